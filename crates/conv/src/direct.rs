//! A direct convolution for the layers the course's CNNs are made of: stride 1 and
//! "same" padding (k = 1, 3 or 5, p = (k − 1)/2), on x86-64 CPUs with AVX2 and FMA.
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
//! with the kernel flipped and its channels swapped. ∂L/∂w is a sum over pixels
//! per (output channel, input channel, tap); a second micro-kernel keeps the sums
//! of 2 output channels × 2 kernel rows × 3 taps in twelve AVX registers, so
//! that each ∂L/∂y and input vector it loads feeds several multiply-adds.
//!
//! On CPUs with AVX-512 the same kernels run in 16-lane registers (`direct::avx512`),
//! adding the same terms in the same order: the results are the same bits on
//! either kind of CPU ([`Kernels`] names the two; the tests compare them).
//!
//! [`crate::fast`] calls this path when it applies (and the batch is large enough
//! that images alone keep the cores busy); otherwise, and on CPUs without AVX2 and
//! FMA, it uses im2col. The agreement tests cover both.

use crate::{Chunk, Conv2d, Tensor};
use rayon::prelude::*;
use std::cell::RefCell;

#[cfg(target_arch = "x86_64")]
mod avx512;
/// The fused batch norm → ReLU → 2 × 2 max-pooling of one plane, for
/// [`crate::fast::halve_planes_affine_relu`].
#[cfg(target_arch = "x86_64")]
pub(crate) use avx512::pool_affine_relu;

/// Output channels per micro-kernel block.
#[cfg(target_arch = "x86_64")] // Only the AVX2 kernels use it.
const OB: usize = 4;
/// Output pixels per micro-kernel block (two 8-lane vectors).
const QB: usize = 16;
/// From this batch size on, images alone keep the cores busy.
const MIN_BATCH: usize = 8;

thread_local! {
    /// A padded image, and the (h, w, p, c) whose zero borders it holds.
    static PADDED: RefCell<(Vec<f32>, Option<[usize; 4]>)> =
        const { RefCell::new((Vec::new(), None)) };
    static OUT: RefCell<Vec<f32>> = const { RefCell::new(Vec::new()) };
}

/// The instruction sets the direct path has kernels for. Both give the same
/// bits; the wider is faster where the CPU has it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernels {
    /// AVX2 and FMA: 8-lane registers, 16 of them.
    Avx2,
    /// AVX-512 F and DQ: 16-lane registers, 32 of them.
    Avx512,
}

impl Kernels {
    /// The widest kernels this CPU runs, or `None` when it lacks AVX2 and FMA
    /// (then the direct path does not apply).
    pub fn detect() -> Option<Kernels> {
        #[cfg(target_arch = "x86_64")]
        {
            use std::is_x86_feature_detected as has;
            if has!("avx512f") && has!("avx512dq") && has!("avx2") && has!("fma") {
                return Some(Kernels::Avx512);
            }
            if has!("avx2") && has!("fma") {
                return Some(Kernels::Avx2);
            }
        }
        None
    }

    /// Whether this CPU runs these kernels.
    pub fn available(self) -> bool {
        match (self, Kernels::detect()) {
            (_, None) => false,
            (Kernels::Avx512, Some(best)) => best == Kernels::Avx512,
            (Kernels::Avx2, Some(_)) => true,
        }
    }
}

/// Below this many output channels the direct path is faster; from it on, the
/// GEMM's larger blocks win (the benchmark's wider 32 → 64 layer).
const MAX_OUT_CHANNELS: usize = 32;

/// Whether the direct path handles this convolution on this CPU: stride 1,
/// "same" padding, fewer than 32 output channels, a batch of at least 8.
pub fn applies(input: [usize; 4], weight: [usize; 4], spec: Conv2d) -> bool {
    let [n, _, h, w] = input;
    let [c_out, _, kh, kw] = weight;
    c_out < MAX_OUT_CHANNELS
        && h > 0
        && w > 0
        && kh == kw
        && matches!(kh, 1 | 3 | 5)
        && spec.stride == 1
        && spec.padding == (kh - 1) / 2
        && n >= MIN_BATCH
        && Kernels::detect().is_some()
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
}

/// Runs `f` on `image` (c × h × w) padded with p zeros around each plane, in
/// this thread's buffer, which is zeroed only when the geometry changes: the
/// copy writes inside the borders only, so they stay zero from one call to the
/// next. The slack after the last plane stays zero too (the weight gradient
/// multiplies it by zeros, which must not meet a NaN left there).
fn with_padded<R>(
    geo: Plane,
    image: &[f32],
    c: usize,
    f: impl FnOnce(&[f32]) -> R,
) -> R {
    PADDED.with(|cell| {
        let (buffer, zeroed_for) = &mut *cell.borrow_mut();
        let (len, key) = (geo.buffer(c), [geo.h, geo.w, geo.p, c]);
        if *zeroed_for != Some(key) {
            buffer.clear();
            buffer.resize(len, 0.0);
            *zeroed_for = Some(key);
        }
        let (wp, p, w) = (geo.wp(), geo.p, geo.w);
        for (plane, src) in buffer
            .chunks_exact_mut(geo.padded())
            .zip(image.chunks_exact(geo.h * w))
        {
            for (row, from) in plane[p * wp..]
                .chunks_exact_mut(wp)
                .zip(src.chunks_exact(w))
            {
                row[p..p + w].copy_from_slice(from);
            }
        }
        f(&buffer[..len])
    })
}

/// Runs `f` on `len` floats of this thread's buffer `key`.
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

/// Where the AVX-512 kernel puts one 16-lane vector of output pixels, counted
/// along padded rows, in the output plane of h × w: the lanes that are real
/// pixels (`keep`: not one of the 2p extra columns of a row, nor past the last
/// row), compressed to the low `fill` lanes and stored from pixel `first`. The
/// kept lanes of one vector are consecutive pixels of the plane: between the
/// rows a vector spans (several, when a padded row is narrower than 16), only
/// the extra columns lie.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Store {
    keep: u16,
    fill: u16,
    first: u32,
}

/// The [`Store`] of every vector of a plane's q_len padded-row pixels. Every
/// pixel of the plane is stored exactly once, by the vector holding it.
fn stores(geo: Plane) -> Vec<Store> {
    let (h, w, wp) = (geo.h, geo.w, geo.wp());
    let (mut row, mut col) = (0, 0);
    (0..geo.q_len() / QB)
        .map(|_| {
            let (mut keep, mut first) = (0u16, None);
            for lane in 0..QB {
                if row < h && col < w {
                    keep |= 1 << lane;
                    first.get_or_insert(row * w + col);
                }
                col += 1;
                if col == wp {
                    (row, col) = (row + 1, 0);
                }
            }
            Store {
                keep,
                fill: ((1u32 << keep.count_ones()) - 1) as u16,
                first: first.unwrap_or(0) as u32,
            }
        })
        .collect()
}

/// out (c_out × q_len, padded rows) = bias + conv(padded input, w) for one image,
/// with the AVX2 kernels.
///
/// # Safety
/// The CPU must run AVX2 and FMA; `x` must hold `geo.buffer(c_in)` floats, `w`
/// c_out·c_in·k·k, `bias` c_out and `out` c_out·q_len.
#[cfg(target_arch = "x86_64")]
#[allow(clippy::too_many_arguments)]
unsafe fn kernel(
    x: &[f32],
    w: &[f32],
    bias: &[f32],
    out: &mut [f32],
    c_in: usize,
    c_out: usize,
    geo: Plane,
) {
    let (k, q_len) = (geo.k, geo.q_len());
    assert!(
        x.len() >= geo.buffer(c_in)
            && w.len() >= c_out * c_in * k * k
            && bias.len() >= c_out
            && out.len() >= c_out * q_len
    );
    // SAFETY: the caller's CPU check; the assert above bounds every index the
    // blocks use (see there), and `applies` admits k ∈ {1, 3, 5} only.
    unsafe {
        match k {
            1 => blocks::<1>(x, w, bias, out, c_in, c_out, geo),
            3 => blocks::<3>(x, w, bias, out, c_in, c_out, geo),
            _ => blocks::<5>(x, w, bias, out, c_in, c_out, geo),
        }
    }
}

/// [`kernel`] for k = K, known at compile time so that the taps unroll: blocks
/// of 4 output channels keep 8 FMA chains in flight; the remainder goes in
/// blocks of 2, then 1.
///
/// # Safety
/// As for [`kernel`], and geo.k = K.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn blocks<const K: usize>(
    x: &[f32],
    w: &[f32],
    bias: &[f32],
    out: &mut [f32],
    c_in: usize,
    c_out: usize,
    geo: Plane,
) {
    let mut o = 0;
    while o < c_out {
        // SAFETY: the caller's bounds, which `block` relies on.
        let step = unsafe {
            match c_out - o {
                r if r >= OB => {
                    block::<OB, K>(x, w, bias, out, c_in, o, geo);
                    OB
                }
                r if r >= 2 => {
                    block::<2, K>(x, w, bias, out, c_in, o, geo);
                    2
                }
                _ => {
                    block::<1, K>(x, w, bias, out, c_in, o, geo);
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
unsafe fn block<const R: usize, const K: usize>(
    x: &[f32],
    w: &[f32],
    bias: &[f32],
    out: &mut [f32],
    c_in: usize,
    o: usize,
    geo: Plane,
) {
    use std::arch::x86_64::*;
    let (k, wp, plane, q_len) = (K, geo.wp(), geo.padded(), geo.q_len());
    debug_assert_eq!(geo.k, K);
    let taps = k * k;
    for q in (0..q_len).step_by(QB) {
        // SAFETY: reads of x reach at most (c_in − 1)·plane + q_len + (k − 1)·wp
        // + k − 1 < buffer(c_in); reads of w stay below (o + R)·c_in·taps; writes
        // of out stay below (o + R)·q_len: all within the caller's bounds.
        unsafe {
            let mut acc = [[_mm256_setzero_ps(); 2]; R];
            for (r, a) in acc.iter_mut().enumerate() {
                *a = [_mm256_set1_ps(bias[o + r]); 2];
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
#[allow(clippy::too_many_arguments)]
unsafe fn kernel(
    _: &[f32],
    _: &[f32],
    _: &[f32],
    _: &mut [f32],
    _: usize,
    _: usize,
    _: Plane,
) {
    unreachable!("the direct path is only chosen on x86-64 with AVX2 and FMA")
}

/// ∂L/∂w for R output channels × L kernel rows × K taps of one image, added to
/// running sums kept as 8 lanes each: lanes[(r·pairs + l·K + v)·8 + j] gets
/// Σ dy[r·q_len + q]·rows[l][q + v] over the pixels q ≡ j (mod 8), where
/// `rows[l]` is where a kernel row (input channel c, row u) starts in the padded
/// input. The R·L·K sums stay in AVX registers while the pixels go by: each step
/// loads R rows of ∂L/∂y and L·K shifted input windows for R·L·K fused
/// multiply-adds (2 × 2 × 3: 8 loads for 12), where separate dot products would
/// load two vectors per multiply-add. The lanes are added up once per group of
/// images, not once per image, which matters for small planes.
///
/// # Safety
/// AVX2 and FMA; `dy` valid for R·q_len floats, each `rows[l]` for q_len + K − 1,
/// `lanes` for ((R − 1)·pairs + L·K)·8.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
#[inline]
// Indices, as in the formula above: the loops are unrolled into register tiles.
#[allow(clippy::needless_range_loop)]
unsafe fn weight_tile<const R: usize, const L: usize, const K: usize>(
    dy: *const f32,
    rows: [*const f32; L],
    q_len: usize,
    lanes: *mut f32,
    pairs: usize,
) {
    use std::arch::x86_64::*;
    let at = |r: usize, l: usize, v: usize| (r * pairs + l * K + v) * 8;
    // SAFETY: the caller guarantees every access below is in bounds.
    unsafe {
        let mut acc = [[[_mm256_setzero_ps(); K]; L]; R];
        for r in 0..R {
            for l in 0..L {
                for v in 0..K {
                    acc[r][l][v] = _mm256_loadu_ps(lanes.add(at(r, l, v)));
                }
            }
        }
        let mut d = [_mm256_setzero_ps(); R];
        for q in (0..q_len).step_by(8) {
            for (r, d) in d.iter_mut().enumerate() {
                *d = _mm256_loadu_ps(dy.add(r * q_len + q));
            }
            for l in 0..L {
                for v in 0..K {
                    let xv = _mm256_loadu_ps(rows[l].add(q + v));
                    for r in 0..R {
                        acc[r][l][v] = _mm256_fmadd_ps(d[r], xv, acc[r][l][v]);
                    }
                }
            }
        }
        for r in 0..R {
            for l in 0..L {
                for v in 0..K {
                    _mm256_storeu_ps(lanes.add(at(r, l, v)), acc[r][l][v]);
                }
            }
        }
    }
}

/// ∂L/∂w of output channels o..o + R for one image, added to the running sums
/// `lanes` (8 per weight, see [`weight_tile`]): kernel rows (c, u) two at a
/// time, then one.
///
/// # Safety
/// AVX2 and FMA; `x` holds `geo.buffer(c_in)` floats, `dyq` c_out·q_len, and
/// geo.k = K.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn weight_rows<const R: usize, const K: usize>(
    x: &[f32],
    dyq: &[f32],
    lanes: &mut [f32],
    c_in: usize,
    o: usize,
    geo: Plane,
) {
    let (wp, plane, q_len) = (geo.wp(), geo.padded(), geo.q_len());
    let pairs = c_in * K * K;
    assert!(geo.k == K && x.len() >= geo.buffer(c_in));
    assert!(dyq.len() >= (o + R) * q_len && lanes.len() >= (o + R) * pairs * 8);
    // Kernel row (c, u) starts at c·plane + u·wp in the padded input; with its K
    // taps it reads up to (c_in − 1)·plane + (K − 1)·wp + K − 1 + q_len, which is
    // within buffer(c_in).
    let row = |l: usize| x[(l / K) * plane + (l % K) * wp..].as_ptr();
    let dy = dyq[o * q_len..].as_ptr();
    let n_rows = c_in * K;
    let mut l = 0;
    while l < n_rows {
        let sums = lanes[(o * pairs + l * K) * 8..].as_mut_ptr();
        // SAFETY: the asserts above and the bound on `row`'s reads; the tile's
        // lanes end at ((o + R − 1)·pairs + (l + 2)·K)·8 ≤ (o + R)·pairs·8.
        unsafe {
            if l + 2 <= n_rows {
                weight_tile::<R, 2, K>(dy, [row(l), row(l + 1)], q_len, sums, pairs);
            } else {
                weight_tile::<R, 1, K>(dy, [row(l)], q_len, sums, pairs);
            }
        }
        l += 2;
    }
}

#[cfg(not(target_arch = "x86_64"))]
unsafe fn weight_rows<const R: usize, const K: usize>(
    _: &[f32],
    _: &[f32],
    _: &mut [f32],
    _: usize,
    _: usize,
    _: Plane,
) {
    unreachable!("the direct path is only chosen on x86-64 with AVX2 and FMA")
}

/// One image's convolution into `out` (c_out × h × w), from a padded copy of
/// the image: the AVX-512 kernel stores the output planes directly (`stores`
/// says where, see [`Store`]); the AVX2 kernel writes padded rows, which are
/// then copied.
#[allow(clippy::too_many_arguments)]
fn image_forward(
    kernels: Kernels,
    image: &[f32],
    c_in: usize,
    w: &[f32],
    bias: &[f32],
    c_out: usize,
    geo: Plane,
    stores: &[Store],
    out: &mut Chunk<'_>,
) {
    let q_len = geo.q_len();
    with_padded(geo, image, c_in, |x| {
        #[cfg(target_arch = "x86_64")]
        if kernels == Kernels::Avx512 {
            let pixels = c_out * geo.h * geo.w;
            let slots = &mut out.unwritten()[..pixels];
            // SAFETY: the callers checked that the CPU runs AVX-512; `x` is
            // `geo.buffer(c_in)` floats, `w` and `bias` are the layer's, and
            // `slots` has room for the c_out planes, every pixel of which the
            // kernel writes once (`stores`), so all `pixels` are written.
            unsafe {
                let y = slots.as_mut_ptr().cast::<f32>();
                match geo.k {
                    1 => {
                        avx512::blocks::<1>(x, w, bias, y, stores, c_in, c_out, geo)
                    }
                    3 => {
                        avx512::blocks::<3>(x, w, bias, y, stores, c_in, c_out, geo)
                    }
                    _ => {
                        avx512::blocks::<5>(x, w, bias, y, stores, c_in, c_out, geo)
                    }
                }
                out.assume_written(pixels);
            }
            return;
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = (kernels, stores); // Only x86-64 has kernels to choose from.
        with(&OUT, c_out * q_len, |y| {
            // SAFETY: the callers checked that the CPU runs `kernels`, AVX2 and
            // FMA here; the buffers have the sizes `kernel` requires.
            unsafe { kernel(x, w, bias, y, c_in, c_out, geo) };
            for plane in y.chunks_exact(q_len) {
                for row in plane.chunks_exact(geo.wp()).take(geo.h) {
                    out.extend_from_slice(&row[..geo.w]);
                }
            }
        })
    })
}

/// [`stores`] where the kernels use them.
fn stores_for(kernels: Kernels, geo: Plane) -> Vec<Store> {
    match kernels {
        Kernels::Avx512 => stores(geo),
        Kernels::Avx2 => Vec::new(),
    }
}

/// The convolution, for shapes where [`applies`] holds.
pub fn forward(
    input: &Tensor,
    weight: &Tensor,
    bias: Option<&[f32]>,
    out_shape: [usize; 4],
) -> Tensor {
    let kernels = Kernels::detect().expect("the direct path needs AVX2 and FMA");
    forward_using(kernels, input, weight, bias, out_shape)
}

/// [`forward`] with the given kernels.
///
/// # Panics
/// If this CPU does not run `kernels`.
pub fn forward_using(
    kernels: Kernels,
    input: &Tensor,
    weight: &Tensor,
    bias: Option<&[f32]>,
    out_shape: [usize; 4],
) -> Tensor {
    assert!(
        kernels.available(),
        "this CPU does not run the {kernels:?} kernels"
    );
    let [_, c_in, h, w] = input.shape();
    let [c_out, _, k, _] = weight.shape();
    let geo = Plane {
        h,
        w,
        k,
        p: (k - 1) / 2,
    };
    let image_len = c_in * h * w;
    let stores = stores_for(kernels, geo);
    let zeros;
    let bias = match bias {
        Some(b) => b,
        None => {
            zeros = vec![0.0f32; c_out];
            &zeros
        }
    };
    Tensor::par_build(out_shape, c_out * h * w, |n, out| {
        let image = &input.data()[n * image_len..(n + 1) * image_len];
        let w = weight.data();
        image_forward(kernels, image, c_in, w, bias, c_out, geo, &stores, out);
    })
}

/// Adds one image's ∂L/∂w to `lanes` (8 running sums per weight, see
/// [`weight_tile`]): the padded input against ∂L/∂y laid out on padded rows
/// (zeros in the 2p extra columns and after the last row), output channels two
/// at a time (four with AVX-512, two per register).
#[allow(clippy::too_many_arguments)]
fn image_weight_grad(
    kernels: Kernels,
    image: &[f32],
    dy: &[f32],
    c_in: usize,
    c_out: usize,
    geo: Plane,
    stores: &[Store],
    lanes: &mut [f32],
) {
    let (h, w, wp, q_len) = (geo.h, geo.w, geo.wp(), geo.q_len());
    with_padded(geo, image, c_in, |x| {
        with(&OUT, c_out * q_len, |dyq| {
            #[cfg(not(target_arch = "x86_64"))]
            let _ = (kernels, stores); // Only x86-64 has kernels to choose from.
            #[cfg(target_arch = "x86_64")]
            if kernels == Kernels::Avx512 {
                // SAFETY: the caller checked AVX-512 F; dy holds c_out planes of
                // h·w, dyq c_out·q_len floats, and `stores` is of `geo`.
                unsafe { avx512::pair_rows(dy, dyq, stores, c_out, geo) };
                let pairs_end = c_out / 2 * 2;
                let mut o = 0;
                while o < pairs_end {
                    let p = if pairs_end - o >= 4 { 2 } else { 1 };
                    // SAFETY: the caller checked AVX-512 F and DQ; k ∈ {1, 3, 5};
                    // x and dyq have the sizes weight_rows requires, and dyq
                    // holds the pairs interleaved.
                    unsafe {
                        match (p, geo.k) {
                            (2, 1) => avx512::weight_rows::<2, 1>(
                                x, dyq, lanes, c_in, o, geo,
                            ),
                            (2, 3) => avx512::weight_rows::<2, 3>(
                                x, dyq, lanes, c_in, o, geo,
                            ),
                            (2, _) => avx512::weight_rows::<2, 5>(
                                x, dyq, lanes, c_in, o, geo,
                            ),
                            (_, 1) => avx512::weight_rows::<1, 1>(
                                x, dyq, lanes, c_in, o, geo,
                            ),
                            (_, 3) => avx512::weight_rows::<1, 3>(
                                x, dyq, lanes, c_in, o, geo,
                            ),
                            _ => avx512::weight_rows::<1, 5>(
                                x, dyq, lanes, c_in, o, geo,
                            ),
                        }
                    }
                    o += 2 * p;
                }
                if o < c_out {
                    // SAFETY: as below; the odd last channel's row is as it was.
                    unsafe {
                        match geo.k {
                            1 => weight_rows::<1, 1>(x, dyq, lanes, c_in, o, geo),
                            3 => weight_rows::<1, 3>(x, dyq, lanes, c_in, o, geo),
                            _ => weight_rows::<1, 5>(x, dyq, lanes, c_in, o, geo),
                        }
                    }
                }
                return;
            }
            for (dst, src) in dyq.chunks_exact_mut(q_len).zip(dy.chunks_exact(h * w))
            {
                let (rows, tail) = dst.split_at_mut(h * wp);
                tail.fill(0.0);
                for (d, s) in rows.chunks_exact_mut(wp).zip(src.chunks_exact(w)) {
                    d[..w].copy_from_slice(s);
                    d[w..].fill(0.0);
                }
            }
            let mut o = 0;
            while o < c_out {
                let r = if c_out - o >= 2 { 2 } else { 1 };
                // SAFETY: `applies` checked AVX2 and FMA and k ∈ {1, 3, 5}; x and
                // dyq have the sizes weight_rows requires.
                unsafe {
                    match (r, geo.k) {
                        (2, 1) => weight_rows::<2, 1>(x, dyq, lanes, c_in, o, geo),
                        (2, 3) => weight_rows::<2, 3>(x, dyq, lanes, c_in, o, geo),
                        (2, _) => weight_rows::<2, 5>(x, dyq, lanes, c_in, o, geo),
                        (_, 1) => weight_rows::<1, 1>(x, dyq, lanes, c_in, o, geo),
                        (_, 3) => weight_rows::<1, 3>(x, dyq, lanes, c_in, o, geo),
                        _ => weight_rows::<1, 5>(x, dyq, lanes, c_in, o, geo),
                    }
                }
                o += r;
            }
        })
    })
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
    let kernels = Kernels::detect().expect("the direct path needs AVX2 and FMA");
    backward_using(kernels, input, weight, grad_output, need_input, group)
}

/// [`backward`] with the given kernels.
///
/// # Panics
/// If this CPU does not run `kernels`.
pub fn backward_using(
    kernels: Kernels,
    input: &Tensor,
    weight: &Tensor,
    grad_output: &Tensor,
    need_input: bool,
    group: usize,
) -> (Tensor, Vec<f32>) {
    assert!(
        kernels.available(),
        "this CPU does not run the {kernels:?} kernels"
    );
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
    // ∂L/∂w: per group of images, 8 running sums per weight, then the group's
    // lanes added up in its own work item.
    let stores = stores_for(kernels, geo);
    let partials: Vec<Vec<f32>> = (0..n_batch.div_ceil(group))
        .into_par_iter()
        .map(|g| {
            let mut partial = vec![0.0f32; wlen * 8];
            for n in g * group..n_batch.min((g + 1) * group) {
                image_weight_grad(
                    kernels,
                    &input.data()[n * image_len..(n + 1) * image_len],
                    &grad_output.data()[n * out_len..(n + 1) * out_len],
                    c_in,
                    c_out,
                    geo,
                    &stores,
                    &mut partial,
                );
            }
            partial
                .chunks_exact(8)
                .map(|lanes| lanes.iter().sum::<f32>())
                .collect::<Vec<f32>>()
        })
        .collect();
    // ∂L/∂x: the same convolution of dy with the flipped, transposed kernel.
    let grad_input = if need_input {
        // (∂L/∂x has the layer's input channels as outputs, and no bias.)
        let zeros = vec![0.0f32; c_in];
        Tensor::par_build(input.shape(), image_len, |n, dx| {
            let dy = &grad_output.data()[n * out_len..(n + 1) * out_len];
            let w = &flipped;
            image_forward(kernels, dy, c_out, w, &zeros, c_in, geo, &stores, dx);
        })
    } else {
        Tensor::zeros([0; 4])
    };
    // The groups' sums, in a fixed order.
    let mut grad_weight = vec![0.0f32; wlen];
    for p in &partials {
        for (g, v) in grad_weight.iter_mut().zip(p) {
            *g += v;
        }
    }
    (grad_input, grad_weight)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pixel of the plane is stored once, from the lane that computed it.
    #[test]
    fn stores_put_every_pixel_once_where_it_belongs() {
        for (h, w, k) in [
            (32, 32, 3),
            (28, 28, 3),
            (4, 4, 3),
            (1, 1, 5),
            (7, 3, 1),
            (5, 9, 5),
        ] {
            let geo = Plane {
                h,
                w,
                k,
                p: (k - 1) / 2,
            };
            let mut seen = vec![0; h * w];
            for (v, s) in stores(geo).iter().enumerate() {
                assert_eq!(s.fill.count_ones(), s.keep.count_ones());
                let kept = (0..QB).filter(|&l| s.keep & (1 << l) != 0);
                for (next, lane) in (s.first as usize..).zip(kept) {
                    let q = v * QB + lane;
                    assert_eq!(
                        next,
                        (q / geo.wp()) * w + q % geo.wp(),
                        "{h}×{w}, k {k}"
                    );
                    seen[next] += 1;
                }
            }
            assert!(seen.iter().all(|&n| n == 1), "{h}×{w}, k {k}: {seen:?}");
        }
    }
}
