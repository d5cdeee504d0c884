//! A direct convolution for the layers the course's CNNs are made of: stride 1 and
//! "same" padding (k odd, p = (k − 1)/2), on x86-64 CPUs with AVX2 and FMA.
//!
//! For these layers im2col copies every input nine times and the GEMM then copies
//! it again into its own layout, which costs as much as the arithmetic when there
//! are only 16 channels. Here the input is copied once, into a zero-padded plane of
//! width W + 2p, and output pixel q (counted along padded rows) reads input
//! q + u·(W + 2p) + v for tap (u, v): one contiguous run per tap. The micro-kernel
//! keeps a 4-channel × 16-pixel block of outputs in eight AVX registers and adds
//! one tap at a time with fused multiply-adds. The two extra columns per row it
//! computes are thrown away.
//!
//! The backward pass reuses it: ∂L/∂x is the same convolution of the padded ∂L/∂y
//! with the kernel flipped and its channels swapped; ∂L/∂w is a dot product per
//! (output channel, input channel, tap).
//!
//! [`crate::fast`] calls this path when it applies (and the batch is large enough
//! that images alone keep the cores busy); otherwise, and on CPUs without AVX2 and
//! FMA, it uses im2col. The agreement tests cover both.

use crate::{Conv2d, Tensor};
use rayon::prelude::*;
use std::cell::RefCell;

/// Output channels per micro-kernel block.
const OB: usize = 4;
/// Output pixels per micro-kernel block (two 8-lane vectors).
const QB: usize = 16;
/// From this batch size on, images alone keep the cores busy.
const MIN_BATCH: usize = 8;

thread_local! {
    static PADDED: RefCell<Vec<f32>> = const { RefCell::new(Vec::new()) };
    static OUT: RefCell<Vec<f32>> = const { RefCell::new(Vec::new()) };
}

/// Below this many output channels the direct path is faster; from it on, the
/// GEMM's larger blocks win (the benchmark's wider 32 → 64 layer).
const MAX_OUT_CHANNELS: usize = 32;

/// Whether the direct path handles this convolution on this CPU: stride 1,
/// "same" padding, fewer than 32 output channels, a batch of at least 8.
pub fn applies(input: [usize; 4], weight: [usize; 4], spec: Conv2d) -> bool {
    let [n, _, _, _] = input;
    let [c_out, _, kh, kw] = weight;
    c_out < MAX_OUT_CHANNELS
        && kh == kw
        && kh % 2 == 1
        && spec.stride == 1
        && spec.padding == (kh - 1) / 2
        && n >= MIN_BATCH
        && has_avx2_fma()
}

fn has_avx2_fma() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// The padded geometry of one image.
#[derive(Clone, Copy)]
struct Plane {
    h: usize,
    w: usize,
    k: usize,
    p: usize,
}

impl Plane {
    /// Width of a padded row.
    fn wp(&self) -> usize {
        self.w + 2 * self.p
    }
    /// Floats in one padded plane.
    fn padded(&self) -> usize {
        (self.h + 2 * self.p) * self.wp()
    }
    /// Output pixels along padded rows, rounded up to whole micro-kernel blocks.
    fn q_len(&self) -> usize {
        (self.h * self.wp()).div_ceil(QB) * QB
    }
    /// Floats a padded image of `c` channels needs, with slack for the last
    /// block's reads past the end.
    fn buffer(&self, c: usize) -> usize {
        c * self.padded() + self.q_len() + self.k * self.wp() + self.k
    }
    /// Copies `image` (c × h × w) into `dst` with p zeros around each plane.
    fn pad(&self, image: &[f32], c: usize, dst: &mut [f32]) {
        dst.fill(0.0);
        let (wp, plane) = (self.wp(), self.padded());
        for ch in 0..c {
            for i in 0..self.h {
                let from = &image
                    [(ch * self.h + i) * self.w..(ch * self.h + i + 1) * self.w];
                let at = ch * plane + (i + self.p) * wp + self.p;
                dst[at..at + self.w].copy_from_slice(from);
            }
        }
    }
}

fn with<R>(
    key: &'static std::thread::LocalKey<RefCell<Vec<f32>>>,
    len: usize,
    f: impl FnOnce(&mut [f32]) -> R,
) -> R {
    key.with(|cell| {
        let mut b = cell.borrow_mut();
        if b.len() < len {
            b.resize(len, 0.0);
        }
        f(&mut b[..len])
    })
}

/// out (c_out × q_len, padded rows) += conv(padded input, w) for one image.
///
/// # Safety
/// The CPU must support AVX2 and FMA; `x` must hold `geo.buffer(c_in)` floats,
/// `w` c_out·c_in·k·k, and `out` c_out·q_len.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn kernel(
    x: &[f32],
    w: &[f32],
    out: &mut [f32],
    c_in: usize,
    c_out: usize,
    geo: Plane,
) {
    let (k, q_len) = (geo.k, geo.q_len());
    assert!(
        x.len() >= geo.buffer(c_in)
            && w.len() >= c_out * c_in * k * k
            && out.len() >= c_out * q_len
    );
    let mut o = 0;
    while o < c_out {
        // SAFETY: the assert above bounds every index `block` uses (see there).
        // Blocks of 4 channels keep 8 FMA chains in flight; the remainder goes
        // in blocks of 2, then 1.
        let step = unsafe {
            match c_out - o {
                r if r >= OB => {
                    block::<OB>(x, w, out, c_in, o, geo);
                    OB
                }
                r if r >= 2 => {
                    block::<2>(x, w, out, c_in, o, geo);
                    2
                }
                _ => {
                    block::<1>(x, w, out, c_in, o, geo);
                    1
                }
            }
        };
        o += step;
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
#[inline]
unsafe fn block<const R: usize>(
    x: &[f32],
    w: &[f32],
    out: &mut [f32],
    c_in: usize,
    o: usize,
    geo: Plane,
) {
    use std::arch::x86_64::*;
    let (k, wp, plane, q_len) = (geo.k, geo.wp(), geo.padded(), geo.q_len());
    let taps = k * k;
    for q in (0..q_len).step_by(QB) {
        // SAFETY: reads of x reach at most (c_in − 1)·plane + q_len + (k − 1)·wp
        // + k − 1 < buffer(c_in); reads of w stay below (o + R)·c_in·taps; writes
        // of out stay below (o + R)·q_len: all within the caller's bounds.
        unsafe {
            let mut acc = [[_mm256_setzero_ps(); 2]; R];
            for (r, a) in acc.iter_mut().enumerate() {
                let row = out.as_ptr().add((o + r) * q_len + q);
                a[0] = _mm256_loadu_ps(row);
                a[1] = _mm256_loadu_ps(row.add(8));
            }
            for c in 0..c_in {
                let xc = x.as_ptr().add(c * plane + q);
                let wc = w.as_ptr().add(o * c_in * taps + c * taps);
                for u in 0..k {
                    for v in 0..k {
                        let xs = xc.add(u * wp + v);
                        let x0 = _mm256_loadu_ps(xs);
                        let x1 = _mm256_loadu_ps(xs.add(8));
                        for (r, a) in acc.iter_mut().enumerate() {
                            let wv = _mm256_broadcast_ss(
                                &*wc.add(r * c_in * taps + u * k + v),
                            );
                            a[0] = _mm256_fmadd_ps(wv, x0, a[0]);
                            a[1] = _mm256_fmadd_ps(wv, x1, a[1]);
                        }
                    }
                }
            }
            for (r, a) in acc.iter().enumerate() {
                let row = out.as_mut_ptr().add((o + r) * q_len + q);
                _mm256_storeu_ps(row, a[0]);
                _mm256_storeu_ps(row.add(8), a[1]);
            }
        }
    }
}

#[cfg(not(target_arch = "x86_64"))]
unsafe fn kernel(_: &[f32], _: &[f32], _: &mut [f32], _: usize, _: usize, _: Plane) {
    unreachable!("the direct path is only chosen on x86-64 with AVX2 and FMA")
}

/// acc[r] += Σ_q dy[r·len + q]·xs[q] for r < R, over `len` floats (a multiple
/// of 8). Each row keeps U independent partial sums, so that R·U fused
/// multiply-adds are in flight and their latency is hidden.
///
/// # Safety
/// AVX2 and FMA; `xs` valid for `len` floats.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
#[inline]
unsafe fn dots<const R: usize, const U: usize>(
    dy: &[f32],
    xs: *const f32,
    len: usize,
    acc: &mut [f32; R],
) {
    use std::arch::x86_64::*;
    assert!(dy.len() >= R * len);
    // SAFETY: the caller guarantees `xs` holds `len` floats; the assert, `dy`.
    unsafe {
        let mut s = [[_mm256_setzero_ps(); U]; R];
        let whole = len / (8 * U) * (8 * U);
        for q in (0..whole).step_by(8 * U) {
            for u in 0..U {
                let x = _mm256_loadu_ps(xs.add(q + 8 * u));
                for (r, s) in s.iter_mut().enumerate() {
                    s[u] = _mm256_fmadd_ps(
                        _mm256_loadu_ps(dy.as_ptr().add(r * len + q + 8 * u)),
                        x,
                        s[u],
                    );
                }
            }
        }
        for q in (whole..len).step_by(8) {
            let x = _mm256_loadu_ps(xs.add(q));
            for (r, s) in s.iter_mut().enumerate() {
                s[0] = _mm256_fmadd_ps(
                    _mm256_loadu_ps(dy.as_ptr().add(r * len + q)),
                    x,
                    s[0],
                );
            }
        }
        for (r, s) in s.iter().enumerate() {
            let mut total = s[0];
            for v in &s[1..] {
                total = _mm256_add_ps(total, *v);
            }
            let mut lanes = [0.0f32; 8];
            _mm256_storeu_ps(lanes.as_mut_ptr(), total);
            acc[r] += lanes.iter().sum::<f32>();
        }
    }
}

/// ∂L/∂w of output channels o..o + R for one image, into `partial` (overwritten
/// when `first`, added to otherwise).
///
/// # Safety
/// AVX2 and FMA; `x` holds `geo.buffer(c_in)` floats, `dyq` c_out·q_len.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn weight_block<const R: usize, const U: usize>(
    x: &[f32],
    dyq: &[f32],
    partial: &mut [f32],
    c_in: usize,
    o: usize,
    geo: Plane,
    first: bool,
) {
    let (k, wp, plane, q_len) = (geo.k, geo.wp(), geo.padded(), geo.q_len());
    assert!(x.len() >= geo.buffer(c_in));
    let taps = k * k;
    for c in 0..c_in {
        for u in 0..k {
            for v in 0..k {
                let mut acc = [0.0f32; R];
                // SAFETY: c·plane + u·wp + v + q_len ≤ buffer(c_in) (asserted).
                unsafe {
                    dots::<R, U>(
                        &dyq[o * q_len..],
                        x.as_ptr().add(c * plane + u * wp + v),
                        q_len,
                        &mut acc,
                    )
                };
                for (r, a) in acc.iter().enumerate() {
                    let at = ((o + r) * c_in + c) * taps + u * k + v;
                    partial[at] = if first { *a } else { partial[at] + a };
                }
            }
        }
    }
}

#[cfg(not(target_arch = "x86_64"))]
unsafe fn weight_block<const R: usize, const U: usize>(
    _: &[f32],
    _: &[f32],
    _: &mut [f32],
    _: usize,
    _: usize,
    _: Plane,
    _: bool,
) {
    unreachable!("the direct path is only chosen on x86-64 with AVX2 and FMA")
}

/// One image's convolution into `out` (c_out × h × w), via padded buffers.
fn image_forward(
    image: &[f32],
    c_in: usize,
    w: &[f32],
    bias: Option<&[f32]>,
    c_out: usize,
    geo: Plane,
    out: &mut [f32],
) {
    let q_len = geo.q_len();
    with(&PADDED, geo.buffer(c_in), |x| {
        geo.pad(image, c_in, x);
        with(&OUT, c_out * q_len, |y| {
            for (o, row) in y.chunks_mut(q_len).enumerate() {
                row.fill(bias.map_or(0.0, |b| b[o]));
            }
            // SAFETY: `applies` checked AVX2 and FMA; the buffers have the sizes
            // `kernel` requires.
            unsafe { kernel(x, w, y, c_in, c_out, geo) };
            let wp = geo.wp();
            for (o, plane) in out.chunks_mut(geo.h * geo.w).enumerate() {
                for (i, row) in plane.chunks_mut(geo.w).enumerate() {
                    row.copy_from_slice(
                        &y[o * q_len + i * wp..o * q_len + i * wp + geo.w],
                    );
                }
            }
        })
    })
}

/// The convolution, for shapes where [`applies`] holds.
pub fn forward(
    input: &Tensor,
    weight: &Tensor,
    bias: Option<&[f32]>,
    out_shape: [usize; 4],
) -> Tensor {
    let [_, c_in, h, w] = input.shape();
    let [c_out, _, k, _] = weight.shape();
    let geo = Plane {
        h,
        w,
        k,
        p: (k - 1) / 2,
    };
    let mut output = Tensor::zeros(out_shape);
    let image_len = c_in * h * w;
    output
        .data_mut()
        .par_chunks_mut(c_out * h * w)
        .enumerate()
        .for_each(|(n, out)| {
            image_forward(
                &input.data()[n * image_len..(n + 1) * image_len],
                c_in,
                weight.data(),
                bias,
                c_out,
                geo,
                out,
            );
        });
    output
}

/// ∂L/∂x, ∂L/∂w, ∂L/∂b (∂L/∂x only if `need_input`), for shapes where [`applies`]
/// holds. Images are grouped as in [`crate::fast`], and the groups' weight
/// gradients summed in order, so the result does not depend on the thread count.
pub fn backward(
    input: &Tensor,
    weight: &Tensor,
    grad_output: &Tensor,
    need_input: bool,
    group: usize,
) -> (Tensor, Vec<f32>) {
    let [n_batch, c_in, h, w] = input.shape();
    let [c_out, _, k, _] = weight.shape();
    let geo = Plane {
        h,
        w,
        k,
        p: (k - 1) / 2,
    };
    let (image_len, out_len, taps) = (c_in * h * w, c_out * h * w, k * k);
    let wlen = c_out * c_in * taps;
    // The kernel flipped and its channels swapped, for ∂L/∂x.
    let mut flipped = vec![0.0f32; wlen];
    for o in 0..c_out {
        for c in 0..c_in {
            for t in 0..taps {
                flipped[(c * c_out + o) * taps + (taps - 1 - t)] =
                    weight.data()[(o * c_in + c) * taps + t];
            }
        }
    }
    let groups = n_batch.div_ceil(group);
    let mut partials = vec![0.0f32; groups * wlen];
    let mut grad_input =
        Tensor::zeros(if need_input { input.shape() } else { [0; 4] });
    let chunk = if need_input { group * image_len } else { 0 };
    let mut slices: Vec<&mut [f32]> = if need_input {
        grad_input.data_mut().chunks_mut(chunk).collect()
    } else {
        Vec::new()
    };
    slices.resize_with(groups, Default::default);
    let (wp, q_len) = (geo.wp(), geo.q_len());
    partials
        .par_chunks_mut(wlen)
        .zip(slices.into_par_iter())
        .enumerate()
        .for_each(|(g, (partial, dx))| {
            for local in 0..group.min(n_batch - g * group) {
                let n = g * group + local;
                let image = &input.data()[n * image_len..(n + 1) * image_len];
                let dy = &grad_output.data()[n * out_len..(n + 1) * out_len];
                // ∂L/∂w: dy on padded rows (zeros in the two extra columns) against the
                // padded input, one dot product per (o, c, tap).
                with(&PADDED, geo.buffer(c_in), |x| {
                    geo.pad(image, c_in, x);
                    with(&OUT, c_out * q_len, |dyq| {
                        dyq.fill(0.0);
                        for o in 0..c_out {
                            for i in 0..h {
                                dyq[o * q_len + i * wp..o * q_len + i * wp + w]
                                    .copy_from_slice(
                                        &dy[(o * h + i) * w..(o * h + i + 1) * w],
                                    );
                            }
                        }
                        let mut o = 0;
                        while o < c_out {
                            let (x, p, first) = (&*x, &mut *partial, local == 0);
                            // SAFETY: `applies` checked AVX2 and FMA; x and dyq have the
                            // sizes weight_block requires. 8 sums in flight per block.
                            let step = unsafe {
                                match c_out - o {
                                    r if r >= OB => {
                                        weight_block::<OB, 2>(
                                            x, dyq, p, c_in, o, geo, first,
                                        );
                                        OB
                                    }
                                    r if r >= 2 => {
                                        weight_block::<2, 4>(
                                            x, dyq, p, c_in, o, geo, first,
                                        );
                                        2
                                    }
                                    _ => {
                                        weight_block::<1, 8>(
                                            x, dyq, p, c_in, o, geo, first,
                                        );
                                        1
                                    }
                                }
                            };
                            o += step;
                        }
                    })
                });
                if need_input {
                    // ∂L/∂x: the same convolution of dy with the flipped, transposed kernel.
                    image_forward(
                        dy,
                        c_out,
                        &flipped,
                        None,
                        c_in,
                        geo,
                        &mut dx[local * image_len..(local + 1) * image_len],
                    );
                }
            }
        });
    let mut grad_weight = vec![0.0f32; wlen];
    for p in partials.chunks(wlen) {
        for (g, v) in grad_weight.iter_mut().zip(p) {
            *g += v;
        }
    }
    (grad_input, grad_weight)
}
