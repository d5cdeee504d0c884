//! The fast path: the same operations as [`crate::reference`], arranged so that
//! almost all the arithmetic is one matrix product per image.
//!
//! **im2col.** For image n, build the matrix `cols` (K × P) whose column p holds
//! the K = C_in·K_h·K_w input values that output pixel p reads (zeros in the
//! padding). Then the convolution of image n is one GEMM,
//! `y_n (C_out × P) = W (C_out × K) · cols (K × P) + b`. Backward is two more:
//! `∂L/∂W += g_n · colsᵀ` and `∂cols = Wᵀ · g_n`, whose columns are scattered back
//! onto the input (col2im).
//!
//! **GEMM.** The products go to the `matrixmultiply` crate (already in the tree
//! through nalgebra): a BLIS-style blocked GEMM whose micro-kernels are written with
//! explicit SIMD intrinsics and chosen at run time (AVX2 + FMA where the CPU has
//! them, SSE2 otherwise), so the fast path is fast without `-C target-cpu=native`
//! and correct on every x86-64. Its own threading is off; rayon decides what runs
//! where. Two paths have kernels of their own, where packing the operands cost
//! more than the product: stride-1 convolutions of large batches
//! ([`crate::direct`]) and dense layers at inference ([`crate::dense`]).
//!
//! **Threads.** rayon runs independent work items: (image, block of output pixels)
//! pairs in the forward pass, so a single image still fills every core; groups
//! of images in the backward pass. Work items are fixed by the shapes, never by the
//! thread count, and the per-group weight gradients are summed in a fixed order,
//! so results are identical, bit for bit, with 1 thread or 16.
//!
//! **Memory.** Each thread keeps its im2col buffers in a thread-local `Vec`, grown
//! once and reused for every image: nothing is allocated per image.

use crate::{
    check_conv, check_grad_output, Conv2d, ConvGrads, MaxPool, Pooled, Tensor,
};
use rayon::prelude::*;
use std::cell::RefCell;

/// From this batch size on, the forward pass gives each image to one work item;
/// below it, images are cut into blocks of [`PIXELS_PER_ITEM`] output pixels so
/// that batch 1 keeps every core busy. Both depend on the shapes only.
const WHOLE_IMAGES_FROM: usize = 8;
/// Output pixels per forward work item for small batches (four per 32 × 32 image).
const PIXELS_PER_ITEM: usize = 256;
/// Backward work items: the batch is cut into at most this many groups of
/// consecutive images (a function of the batch size only).
const MAX_GROUPS: usize = 16;

thread_local! {
    static COLS: RefCell<Vec<f32>> = const { RefCell::new(Vec::new()) };
    static DCOLS: RefCell<Vec<f32>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with this thread's buffer `key`, resized to `len` (grown only once).
fn with_buffer<R>(
    key: &'static std::thread::LocalKey<RefCell<Vec<f32>>>,
    len: usize,
    f: impl FnOnce(&mut [f32]) -> R,
) -> R {
    key.with(|cell| {
        let mut buffer = cell.borrow_mut();
        if buffer.len() < len {
            buffer.resize(len, 0.0);
        }
        f(&mut buffer[..len])
    })
}

/// A matrix read from a slice: element (i, j) is `data[i·row_stride + j·col_stride]`.
///
/// A row-major r × c matrix has strides (c, 1); its transpose, read from the same
/// slice, has strides (1, c). nalgebra's column-major r × c matrix is (1, r).
#[derive(Clone, Copy, Debug)]
pub struct Strided<'a> {
    /// The values.
    pub data: &'a [f32],
    /// Step between two rows.
    pub row_stride: usize,
    /// Step between two columns.
    pub col_stride: usize,
}

impl<'a> Strided<'a> {
    /// A row-major matrix of `cols` columns.
    pub fn row_major(data: &'a [f32], cols: usize) -> Self {
        Strided {
            data,
            row_stride: cols,
            col_stride: 1,
        }
    }

    /// The same values read as the transpose.
    pub fn t(self) -> Self {
        Strided {
            row_stride: self.col_stride,
            col_stride: self.row_stride,
            ..self
        }
    }

    /// Whether every element of an r × c matrix is inside the slice.
    fn fits(&self, rows: usize, cols: usize) -> bool {
        rows == 0
            || cols == 0
            || (rows - 1) * self.row_stride + (cols - 1) * self.col_stride
                < self.data.len()
    }
}

/// C (m × n) = A (m × k) · B (k × n) + β·C, on one thread, C row-major with
/// `ldc` values per row. Every element is the same sum, in the same order,
/// whichever rows of C a call is given, so callers may split C's rows over
/// threads and get the same bits as one call.
///
/// # Panics
/// If an operand is too short for its shape and strides, or `ldc < n`.
#[track_caller]
pub fn matmul(
    (m, k, n): (usize, usize, usize),
    a: Strided<'_>,
    b: Strided<'_>,
    beta: f32,
    c: &mut [f32],
    ldc: usize,
) {
    if !check_operands((m, k, n), a, b, c.len(), ldc) {
        return;
    }
    // SAFETY: `check_operands` asserted that every element the strides reach,
    // A[i·rsa + p·csa] for i < m, p < k (and likewise B and C), is inside its
    // slice; ldc ≥ n makes C's elements distinct; the slices do not overlap
    // (C is the only &mut).
    unsafe { sgemm((m, k, n), a, b, beta, c.as_mut_ptr(), ldc) }
}

/// Checks that A (m × k) and B (k × n) lie inside their slices and that C
/// (m × n, `ldc` values per row, `c_len` long) fits; false if C is empty.
///
/// # Panics
/// If an operand is too short for its shape and strides, or `ldc < n`.
#[track_caller]
fn check_operands(
    (m, k, n): (usize, usize, usize),
    a: Strided<'_>,
    b: Strided<'_>,
    c_len: usize,
    ldc: usize,
) -> bool {
    assert!(
        a.fits(m, k) && b.fits(k, n),
        "matmul: an operand is too short for {m}×{k} · {k}×{n}"
    );
    assert!(
        ldc >= n && (m == 0 || n == 0 || c_len >= (m - 1) * ldc + n),
        "matmul: the output is too short for {m}×{n} with {ldc} values per row"
    );
    m > 0 && n > 0
}

/// matrixmultiply's sgemm on strided operands, C row-major with `ldc` per row.
///
/// # Safety
/// Every element A[i][p], B[p][j] the strides reach for i < m, p < k, j < n is
/// inside its slice, C[i][j] = `c[i·ldc + j]` is valid for writes, and no other
/// thread reads or writes those elements of C during the call.
unsafe fn sgemm(
    (m, k, n): (usize, usize, usize),
    a: Strided<'_>,
    b: Strided<'_>,
    beta: f32,
    c: *mut f32,
    ldc: usize,
) {
    // SAFETY: the caller's contract is sgemm's.
    unsafe {
        matrixmultiply::sgemm(
            m,
            k,
            n,
            1.0,
            a.data.as_ptr(),
            a.row_stride as isize,
            a.col_stride as isize,
            b.data.as_ptr(),
            b.row_stride as isize,
            b.col_stride as isize,
            beta,
            c,
            ldc as isize,
            1,
        );
    }
}

/// Below this many multiply-adds [`par_matmul`] runs on one thread: waking
/// another costs more than it saves.
const PARALLEL_FROM: usize = 1 << 20;

/// C's storage, shared by the column blocks of [`par_matmul`], which write
/// disjoint elements of it.
struct SharedOut(*mut f32);
// SAFETY: the pointer is only written through by blocks that own disjoint
// columns of C (see `par_matmul`), while the `&mut [f32]` it came from is held.
unsafe impl Send for SharedOut {}
// SAFETY: as above.
unsafe impl Sync for SharedOut {}

impl SharedOut {
    fn at(&self, offset: usize) -> *mut f32 {
        self.0.wrapping_add(offset)
    }
}

/// [`matmul`] on every rayon thread: C is cut into one block per thread, by
/// rows when C is at least as tall as it is wide (each block then reads all of
/// B) and by columns otherwise (each block reads all of A), so that the operand
/// every block packs again is the smaller one. Every element is the same sum
/// in the same order as in one call, so the result is the same, to the bit,
/// whatever the number of threads.
///
/// # Panics
/// As [`matmul`].
#[track_caller]
pub fn par_matmul(
    (m, k, n): (usize, usize, usize),
    a: Strided<'_>,
    b: Strided<'_>,
    beta: f32,
    c: &mut [f32],
    ldc: usize,
) {
    let blocks = if m * k * n >= PARALLEL_FROM {
        rayon::current_num_threads()
            .min(m.max(n).div_ceil(16))
            .max(1)
    } else {
        1
    };
    if blocks == 1 {
        return matmul((m, k, n), a, b, beta, c, ldc);
    }
    // Not empty: m·k·n ≥ PARALLEL_FROM.
    check_operands((m, k, n), a, b, c.len(), ldc);
    if m >= n {
        // Blocks of `rows` rows, each its own slice of C.
        let rows = m.div_ceil(blocks);
        let mut parts = Vec::with_capacity(blocks);
        let mut rest = &mut c[..(m - 1) * ldc + n];
        let mut r0 = 0;
        while r0 < m {
            let r = rows.min(m - r0);
            let len = if r0 + r < m { r * ldc } else { rest.len() };
            let (part, tail) = std::mem::take(&mut rest).split_at_mut(len);
            parts.push((r0, r, part));
            rest = tail;
            r0 += r;
        }
        parts.into_par_iter().for_each(|(r0, r, part)| {
            let a = Strided {
                data: &a.data[r0 * a.row_stride..],
                ..a
            };
            matmul((r, k, n), a, b, beta, part, ldc);
        });
    } else {
        let cols = n.div_ceil(blocks);
        let out = SharedOut(c.as_mut_ptr());
        (0..n.div_ceil(cols)).into_par_iter().for_each(|i| {
            let (j0, w) = (i * cols, cols.min(n - i * cols));
            let b = Strided {
                data: &b.data[j0 * b.col_stride..],
                ..b
            };
            assert!(b.fits(k, w), "par_matmul: a block of B out of range");
            // SAFETY: A and B's blocks are inside their slices (asserted above
            // and at the start); this block writes C[r][j0..j0 + w] for r < m,
            // inside `c` since (m − 1)·ldc + n ≤ c.len(), and no other block
            // writes those columns; `c` stays borrowed for the whole call.
            unsafe { sgemm((m, k, w), a, b, beta, out.at(j0), ldc) }
        });
    }
}

/// C (m × n, row stride `ldc`) = A (m × k, row-major) · B (k × n, row-major) + β·C,
/// with `transpose_a`/`transpose_b` reading A or B as their transposes.
#[allow(clippy::too_many_arguments)]
fn gemm(
    (m, k, n): (usize, usize, usize),
    a: &[f32],
    transpose_a: bool,
    b: &[f32],
    transpose_b: bool,
    beta: f32,
    c: &mut [f32],
    ldc: usize,
) {
    let a = if transpose_a {
        Strided::row_major(a, m).t()
    } else {
        Strided::row_major(a, k)
    };
    let b = if transpose_b {
        Strided::row_major(b, k).t()
    } else {
        Strided::row_major(b, n)
    };
    matmul((m, k, n), a, b, beta, c, ldc);
}

/// The shapes one convolution needs, computed once.
#[derive(Clone, Copy)]
struct Geometry {
    c_in: usize,
    in_h: usize,
    in_w: usize,
    k_h: usize,
    k_w: usize,
    out_h: usize,
    out_w: usize,
    spec: Conv2d,
}

impl Geometry {
    fn new(
        input: [usize; 4],
        weight: [usize; 4],
        out: [usize; 4],
        spec: Conv2d,
    ) -> Self {
        Geometry {
            c_in: input[1],
            in_h: input[2],
            in_w: input[3],
            k_h: weight[2],
            k_w: weight[3],
            out_h: out[2],
            out_w: out[3],
            spec,
        }
    }

    /// K, the rows of `cols`: one per (input channel, kernel row, kernel column).
    fn k(&self) -> usize {
        self.c_in * self.k_h * self.k_w
    }

    /// P, the output pixels of one image.
    fn p(&self) -> usize {
        self.out_h * self.out_w
    }

    /// For kernel tap `u` along an axis of `size` and `out` outputs, the range of
    /// outputs whose source o·s + u − p lies inside the image.
    fn valid(&self, u: usize, size: usize, out: usize) -> std::ops::Range<usize> {
        let (s, p) = (self.spec.stride, self.spec.padding);
        // First o with o·s + u ≥ p; last with o·s + u − p ≤ size − 1.
        let first = p.saturating_sub(u).div_ceil(s);
        let end = if size + p > u {
            (size + p - u - 1) / s + 1
        } else {
            0
        };
        let first = first.min(out);
        first..end.min(out).max(first)
    }

    /// Fills `cols` (K × len, row-major) with the inputs that output pixels
    /// `start..start + len` of `image` (C_in × H × W) read.
    fn im2col(&self, image: &[f32], start: usize, len: usize, cols: &mut [f32]) {
        let (s, p) = (self.spec.stride, self.spec.padding);
        let end = start + len;
        let mut row = 0;
        for c in 0..self.c_in {
            let plane =
                &image[c * self.in_h * self.in_w..(c + 1) * self.in_h * self.in_w];
            for u in 0..self.k_h {
                let rows_ok = self.valid(u, self.in_h, self.out_h);
                for v in 0..self.k_w {
                    let cols_ok = self.valid(v, self.in_w, self.out_w);
                    let dst = &mut cols[row * len..(row + 1) * len];
                    row += 1;
                    // Output row i covers pixels i·W_out .. (i + 1)·W_out; walk the
                    // rows that overlap start..end.
                    for i in start / self.out_w..end.div_ceil(self.out_w) {
                        let (j0, j1) = (
                            (start.max(i * self.out_w)) - i * self.out_w,
                            (end.min((i + 1) * self.out_w)) - i * self.out_w,
                        );
                        let seg = &mut dst[i * self.out_w + j0 - start
                            ..i * self.out_w + j1 - start];
                        if !rows_ok.contains(&i) {
                            seg.fill(0.0);
                            continue;
                        }
                        let in_row = &plane[(i * s + u - p) * self.in_w
                            ..(i * s + u - p + 1) * self.in_w];
                        // Inside the image: j in cols_ok ∩ j0..j1; zeros on either side.
                        let a = cols_ok.start.clamp(j0, j1);
                        let b = cols_ok.end.clamp(a, j1);
                        seg[..a - j0].fill(0.0);
                        seg[b - j0..].fill(0.0);
                        let inside = &mut seg[a - j0..b - j0];
                        if s == 1 && a < b {
                            let x0 = a + v - p;
                            inside.copy_from_slice(&in_row[x0..x0 + (b - a)]);
                        } else {
                            for (d, j) in inside.iter_mut().zip(a..b) {
                                *d = in_row[j * s + v - p];
                            }
                        }
                    }
                }
            }
        }
    }

    /// Adds each column of `dcols` (K × P) back onto the input pixels it came
    /// from: the transpose of [`Geometry::im2col`] for a whole image.
    fn col2im(&self, dcols: &[f32], image: &mut [f32]) {
        let (s, p) = (self.spec.stride, self.spec.padding);
        let pixels = self.p();
        let mut row = 0;
        for c in 0..self.c_in {
            let plane = &mut image
                [c * self.in_h * self.in_w..(c + 1) * self.in_h * self.in_w];
            for u in 0..self.k_h {
                let rows_ok = self.valid(u, self.in_h, self.out_h);
                for v in 0..self.k_w {
                    let cols_ok = self.valid(v, self.in_w, self.out_w);
                    let src = &dcols[row * pixels..(row + 1) * pixels];
                    row += 1;
                    if cols_ok.is_empty() {
                        continue;
                    }
                    for i in rows_ok.clone() {
                        let y = i * s + u - p;
                        let out_row = &src[i * self.out_w..(i + 1) * self.out_w];
                        let in_row = &mut plane[y * self.in_w..(y + 1) * self.in_w];
                        if s == 1 {
                            // Stride 1: a contiguous run of inputs, shifted by v − p.
                            let x0 = cols_ok.start + v - p;
                            let run = &mut in_row[x0..x0 + cols_ok.len()];
                            for (d, g) in
                                run.iter_mut().zip(&out_row[cols_ok.clone()])
                            {
                                *d += g;
                            }
                        } else {
                            for j in cols_ok.clone() {
                                in_row[j * s + v - p] += out_row[j];
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The same as [`crate::reference::conv2d_forward`], fast.
///
/// # Panics
/// If the shapes do not fit (see [`Conv2d::output_shape`]).
#[track_caller]
pub fn conv2d_forward(
    input: &Tensor,
    weight: &Tensor,
    bias: Option<&[f32]>,
    spec: Conv2d,
) -> Tensor {
    let out_shape = check_conv(input, weight, bias, spec);
    if crate::direct::applies(input.shape(), weight.shape(), spec) {
        return crate::direct::forward(input, weight, bias, out_shape);
    }
    let geo = Geometry::new(input.shape(), weight.shape(), out_shape, spec);
    let [n_batch, c_out, _, _] = out_shape;
    let (k, p) = (geo.k(), geo.p());
    let image_len = geo.c_in * geo.in_h * geo.in_w;
    let mut output = Tensor::zeros(out_shape);
    if p == 0 || c_out == 0 {
        return output;
    }
    let weight = weight.data();
    if n_batch >= WHOLE_IMAGES_FROM {
        // One work item per image: the GEMM writes straight into the output,
        // which starts as the bias (β = 1).
        output
            .data_mut()
            .par_chunks_mut(c_out * p)
            .enumerate()
            .for_each(|(n, out)| {
                for (o, row) in out.chunks_mut(p).enumerate() {
                    row.fill(bias.map_or(0.0, |b| b[o]));
                }
                let image = &input.data()[n * image_len..(n + 1) * image_len];
                with_buffer(&COLS, k * p, |cols| {
                    geo.im2col(image, 0, p, cols);
                    // ANCHOR: gemm
                    // y_n (C_out × P) = W (C_out × K) · cols (K × P) + y_n
                    gemm((c_out, k, p), weight, false, cols, false, 1.0, out, p);
                    // ANCHOR_END: gemm
                });
            });
        return output;
    }
    // Small batches: (image, block of pixels) items, so that one image still
    // fills every core. Each item owns C_out row pieces of `len` pixels.
    let items: Vec<(usize, usize, Vec<&mut [f32]>)> = output
        .data_mut()
        .chunks_mut(c_out * p)
        .enumerate()
        .flat_map(|(n, image_out)| {
            let blocks = p.div_ceil(PIXELS_PER_ITEM);
            let mut rows: Vec<Vec<&mut [f32]>> =
                (0..blocks).map(|_| Vec::new()).collect();
            for channel in image_out.chunks_mut(p) {
                for (b, piece) in channel.chunks_mut(PIXELS_PER_ITEM).enumerate() {
                    rows[b].push(piece);
                }
            }
            rows.into_iter().enumerate().map(move |(b, r)| (n, b, r))
        })
        .collect();
    items.into_par_iter().for_each(|(n, block, mut rows)| {
        let start = block * PIXELS_PER_ITEM;
        let len = rows[0].len();
        let image = &input.data()[n * image_len..(n + 1) * image_len];
        with_buffer(&COLS, k * len + c_out * len, |buffer| {
            let (cols, out) = buffer.split_at_mut(k * len);
            geo.im2col(image, start, len, cols);
            // out (C_out × len) = W (C_out × K) · cols (K × len)
            gemm((c_out, k, len), weight, false, cols, false, 0.0, out, len);
            for (o, row) in rows.iter_mut().enumerate() {
                let b = bias.map_or(0.0, |b| b[o]);
                for (dst, &v) in row.iter_mut().zip(&out[o * len..(o + 1) * len]) {
                    *dst = v + b;
                }
            }
        });
    });
    output
}

/// The same as [`crate::reference::conv2d_backward`], fast.
///
/// # Panics
/// If the shapes do not fit.
#[track_caller]
pub fn conv2d_backward(
    input: &Tensor,
    weight: &Tensor,
    grad_output: &Tensor,
    spec: Conv2d,
) -> ConvGrads {
    backward(input, weight, grad_output, spec, true)
}

/// Only ∂L/∂w and ∂L/∂b, for a first layer whose input is the data: skips the
/// ∂cols GEMM and col2im (about a third of the work). The result's `input` is an
/// empty 0 × 0 × 0 × 0 tensor.
///
/// # Panics
/// If the shapes do not fit.
#[track_caller]
pub fn conv2d_backward_params(
    input: &Tensor,
    weight: &Tensor,
    grad_output: &Tensor,
    spec: Conv2d,
) -> ConvGrads {
    backward(input, weight, grad_output, spec, false)
}

/// Σ of a slice in eight interleaved partial sums, which the compiler keeps in a
/// vector register (one running sum cannot be reordered, so it would not be
/// vectorised); the order is fixed, so the result is deterministic.
fn lane_sum(values: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let chunks = values.chunks_exact(8);
    let tail: f32 = chunks.remainder().iter().sum();
    for chunk in chunks {
        for (lane, &v) in lanes.iter_mut().zip(chunk) {
            *lane += v;
        }
    }
    lanes.iter().sum::<f32>() + tail
}

/// Images per backward work item: the batch cut into at most [`MAX_GROUPS`]
/// groups of consecutive images (a function of the batch size only).
fn group_len(n_batch: usize) -> usize {
    n_batch.div_ceil(MAX_GROUPS).max(1)
}

#[track_caller]
fn backward(
    input: &Tensor,
    weight: &Tensor,
    grad_output: &Tensor,
    spec: Conv2d,
    need_input: bool,
) -> ConvGrads {
    check_grad_output(input, weight, grad_output, spec);
    let [n_batch, c_out, _, _] = grad_output.shape();
    let geo =
        Geometry::new(input.shape(), weight.shape(), grad_output.shape(), spec);
    let (k, p) = (geo.k(), geo.p());
    let image_len = geo.c_in * geo.in_h * geo.in_w;
    let weight_len = c_out * k;
    // ∂L/∂b: a fixed-order sum over images and pixels.
    let mut bias = vec![0.0f32; c_out];
    for image in grad_output.data().chunks(c_out * p.max(1)) {
        for (b, channel) in bias.iter_mut().zip(image.chunks(p.max(1))) {
            *b += lane_sum(channel);
        }
    }
    let group = group_len(n_batch);
    if crate::direct::applies(input.shape(), weight.shape(), spec) {
        let (grad_input, grad_weight) =
            crate::direct::backward(input, weight, grad_output, need_input, group);
        return ConvGrads {
            input: grad_input,
            weight: Tensor::from_vec(weight.shape(), grad_weight),
            bias,
        };
    }
    let groups = n_batch.div_ceil(group);
    let mut partials = vec![0.0f32; groups * weight_len];
    let mut grad_input =
        Tensor::zeros(if need_input { input.shape() } else { [0; 4] });
    // Each group owns its images' slice of ∂L/∂x (empty when it is not wanted).
    let input_chunk = if need_input { group * image_len } else { 0 };
    let mut slices: Vec<&mut [f32]> = if need_input {
        grad_input
            .data_mut()
            .chunks_mut(input_chunk.max(1))
            .collect()
    } else {
        (0..groups).map(|_| <&mut [f32]>::default()).collect()
    };
    slices.resize_with(groups, Default::default);
    if p > 0 && image_len > 0 && weight_len > 0 {
        partials
            .par_chunks_mut(weight_len)
            .zip(slices.into_par_iter())
            .enumerate()
            .for_each(|(g, (partial, grad_images))| {
                with_buffer(&COLS, k * p, |cols| {
                    with_buffer(
                        &DCOLS,
                        if need_input { k * p } else { 0 },
                        |dcols| {
                            for local in 0..group.min(n_batch - g * group) {
                                let n = g * group + local;
                                let image = &input.data()
                                    [n * image_len..(n + 1) * image_len];
                                let g_n = &grad_output.data()
                                    [n * c_out * p..(n + 1) * c_out * p];
                                geo.im2col(image, 0, p, cols);
                                // ∂L/∂W (C_out × K) += g_n (C_out × P) · colsᵀ (P × K)
                                let beta = if local == 0 { 0.0 } else { 1.0 };
                                gemm(
                                    (c_out, p, k),
                                    g_n,
                                    false,
                                    cols,
                                    true,
                                    beta,
                                    partial,
                                    k,
                                );
                                if need_input {
                                    // ∂cols (K × P) = Wᵀ (K × C_out) · g_n (C_out × P)
                                    gemm(
                                        (k, c_out, p),
                                        weight.data(),
                                        true,
                                        g_n,
                                        false,
                                        0.0,
                                        dcols,
                                        p,
                                    );
                                    let grad_image = &mut grad_images
                                        [local * image_len..(local + 1) * image_len];
                                    geo.col2im(dcols, grad_image);
                                }
                            }
                        },
                    )
                })
            });
    }
    // Sum the groups' partial gradients in group order: the same for any thread count.
    let mut grad_weight = Tensor::zeros(weight.shape());
    for partial in partials.chunks(weight_len.max(1)) {
        for (w, &v) in grad_weight.data_mut().iter_mut().zip(partial) {
            *w += v;
        }
    }
    ConvGrads {
        input: grad_input,
        weight: grad_weight,
        bias,
    }
}

/// The same as [`crate::reference::max_pool_forward`]: for the course's 2 × 2 / 2
/// pooling with the N·C planes spread over the cores, otherwise by the reference.
///
/// # Panics
/// If the window does not fit the input.
#[track_caller]
pub fn max_pool_forward(input: &Tensor, pool: MaxPool) -> Pooled {
    if pool != MaxPool::HALVE {
        // Other windows are rare in practice: the reference loop serves them.
        return crate::reference::max_pool_forward(input, pool);
    }
    let plane_in = input.shape()[2] * input.shape()[3];
    halve_planes(input.shape(), |p| {
        let x = &input.data()[p * plane_in..(p + 1) * plane_in];
        move |k| x[k]
    })
}

/// 2 × 2 / 2 max-pooling of relu(x·scale + shift), plane p of `x` normalised
/// with `affine(p)` = (scale, shift): batch norm (its affine form), ReLU and
/// max-pooling in one pass, as `cnn`'s fused step runs them — [`halve_planes`]
/// of `(x[k]·scale + shift).max(0.0)`. With AVX-512, 16 windows at a time
/// (`direct`'s kernels), the same values and indices.
pub fn halve_planes_affine_relu(
    x: &Tensor,
    affine: impl Fn(usize) -> (f32, f32) + Sync,
) -> Pooled {
    halve_planes_affine_relu_using(crate::direct::Kernels::detect(), x, affine)
}

/// [`halve_planes_affine_relu`] with AVX-512 when `kernels` says so, else the
/// scalar loop.
///
/// # Panics
/// If this CPU does not run `kernels`.
pub fn halve_planes_affine_relu_using(
    kernels: Option<crate::direct::Kernels>,
    x: &Tensor,
    affine: impl Fn(usize) -> (f32, f32) + Sync,
) -> Pooled {
    if let Some(k) = kernels {
        assert!(k.available(), "this CPU does not run the {k:?} kernels");
    }
    let [_, _, h, w] = x.shape();
    let plane_in = h * w;
    #[cfg(target_arch = "x86_64")]
    if kernels == Some(crate::direct::Kernels::Avx512) {
        return pool_planes(x.shape(), |p, out, arg| {
            let plane = &x.data()[p * plane_in..(p + 1) * plane_in];
            let slots = &mut out.unwritten()[..arg.len()];
            // SAFETY: the CPU runs AVX-512 (asserted); the plane holds h × w
            // values, `slots` and `arg` one per output, and the kernel writes
            // every output of the plane.
            unsafe {
                crate::direct::pool_affine_relu(
                    plane,
                    (h, w),
                    affine(p),
                    slots.as_mut_ptr().cast::<f32>(),
                    arg,
                    p * plane_in,
                );
                out.assume_written(arg.len());
            }
        });
    }
    halve_planes(x.shape(), |p| {
        let (scale, shift) = affine(p);
        let x = &x.data()[p * plane_in..(p + 1) * plane_in];
        move |k| (x[k] * scale + shift).max(0.0)
    })
}

/// 2 × 2 / 2 max-pooling of the N·C planes of an N × C × H × W tensor whose
/// values are given rather than stored: `plane(p)` returns the function that
/// reads value k (row-major) of plane p. The planes are spread over the cores;
/// within a window the four candidates are compared in scan order and the first
/// maximum wins, as in the reference. `cnn`'s fused batch norm → ReLU →
/// max-pool pools values it computes on the fly through this.
pub fn halve_planes<F: Fn(usize) -> f32>(
    shape: [usize; 4],
    plane: impl Fn(usize) -> F + Sync,
) -> Pooled {
    let [_, _, in_h, in_w] = shape;
    let plane_in = in_h * in_w;
    let out_w = in_w / 2;
    pool_planes(shape, |p, out, arg| {
        let (x, base) = (plane(p), p * plane_in);
        // Two input rows per output row.
        for (i, arg_row) in arg.chunks_mut(out_w).enumerate() {
            let (r0, r1) = (2 * i * in_w, (2 * i + 1) * in_w);
            for (j, a) in arg_row.iter_mut().enumerate() {
                let (mut best, mut value) = (r0 + 2 * j, x(r0 + 2 * j));
                for k in [r0 + 2 * j + 1, r1 + 2 * j, r1 + 2 * j + 1] {
                    let v = x(k);
                    if v > value {
                        (best, value) = (k, v);
                    }
                }
                out.push(value);
                *a = base + best;
            }
        }
    })
}

/// The 2 × 2 / 2 pooling of an N × C × H × W tensor, plane by plane on the
/// cores: `fill(p, out, argmax)` writes plane p's maxima into `out` and where
/// each came from into `argmax` (one per output of the plane).
fn pool_planes(
    shape: [usize; 4],
    fill: impl Fn(usize, &mut crate::Chunk<'_>, &mut [usize]) + Sync,
) -> Pooled {
    let out_shape = MaxPool::HALVE.output_shape(shape);
    let plane_out = out_shape[2] * out_shape[3];
    let mut argmax = vec![0usize; out_shape.iter().product()];
    if plane_out == 0 {
        return Pooled {
            output: Tensor::zeros(out_shape),
            argmax,
        };
    }
    let output =
        Tensor::par_build_with(out_shape, plane_out, &mut argmax, plane_out, fill);
    Pooled { output, argmax }
}

/// The same as [`crate::reference::max_pool_backward`], planes in parallel.
///
/// # Panics
/// If `grad_output` and `argmax` differ in length or an index falls outside the
/// plane it belongs to.
#[track_caller]
pub fn max_pool_backward(
    grad_output: &Tensor,
    argmax: &[usize],
    input_shape: [usize; 4],
) -> Tensor {
    crate::check_pool_grad(grad_output, argmax);
    let [_, _, out_h, out_w] = grad_output.shape();
    let plane_in = input_shape[2] * input_shape[3];
    let plane_out = out_h * out_w;
    if plane_out == 0 || plane_in == 0 {
        return Tensor::zeros(input_shape);
    }
    let (g, argmax) = (grad_output.data(), argmax);
    Tensor::par_build(input_shape, plane_in, |plane, dx| {
        let dx = dx.zeroed();
        let (base, outs) =
            (plane * plane_in, plane * plane_out..(plane + 1) * plane_out);
        for (&g, &k) in g[outs.clone()].iter().zip(&argmax[outs]) {
            dx[k - base] += g;
        }
    })
}
