//! A dense layer's inference, z = x·W + b and optionally ReLU(z), for a weight
//! matrix stored row-major (F × O, a row per input feature).
//!
//! [`crate::fast::par_matmul`] reaches the same product through matrixmultiply,
//! which first copies ("packs") both operands into its own layout, in every
//! thread and for every call. At inference's sizes (a batch of 256 rows, a few
//! hundred features) the packing is a third of the time: W alone is 600 KB to
//! 2.4 MB for the course's MLPs. Here a register tile of outputs reads W where
//! it lies — row k of W holds the tile's outputs' weights for feature k side by
//! side, so one load fetches a register of them — and broadcasts x's values
//! from their rows: nothing is copied. The tile is 12 rows × 32 outputs with
//! AVX-512 (24 registers of 16 lanes), 6 rows × 16 outputs with AVX2 and FMA
//! (12 registers of 8).
//!
//! **Same bits as the GEMM.** matrixmultiply adds each output's products in
//! blocks of [`KC`] features: every block's sum starts from zero and adds one
//! fused multiply-add per feature, in order, then is added to the output (which
//! starts as the bias). These kernels add the same products in the same blocks
//! and the same order, so z is the same, to the bit, as through `par_matmul`
//! with C preset to the bias and β = 1 — the path training takes, and the one
//! used where the CPU has neither kernel (and in WebAssembly). The property test
//! `affine_is_the_gemm_to_the_bit` (tests/matmul.rs) holds them together.
//!
//! **Threads.** The rows are cut into one block per rayon thread, multiples of
//! the tile's rows; every output is computed by one thread, as above, so the
//! result does not depend on the number of threads.

pub use crate::direct::Kernels;
use crate::fast::{par_matmul, Strided};
use rayon::prelude::*;

/// matrixmultiply's block of the sum (its `S_KC` for f32): each output adds its
/// products in blocks of this many features.
pub const KC: usize = 256;

/// z = x·W + b, then ReLU if `relu`: `x` is n × f and `w` f × o, both row-major,
/// `bias` has o values; z is n × o, row-major. ReLU is `activations::relu`,
/// max(z, 0) with NaN → 0. Runs the widest kernels this CPU has
/// ([`Kernels::detect`]), else the GEMM.
///
/// # Panics
/// If the slices do not have those lengths.
#[track_caller]
pub fn affine(
    shape: (usize, usize, usize),
    x: &[f32],
    w: &[f32],
    bias: &[f32],
    relu: bool,
) -> Vec<f32> {
    affine_using(Kernels::detect(), shape, x, w, bias, relu)
}

/// [`affine`] with the given kernels, or through [`par_matmul`] for `None`:
/// the same bits every way.
///
/// # Panics
/// If the slices do not have [`affine`]'s lengths, or this CPU does not run
/// `kernels`.
#[track_caller]
pub fn affine_using(
    kernels: Option<Kernels>,
    (n, f, o): (usize, usize, usize),
    x: &[f32],
    w: &[f32],
    bias: &[f32],
    relu: bool,
) -> Vec<f32> {
    assert!(
        x.len() == n * f && w.len() == f * o && bias.len() == o,
        "dense::affine: x has {} values (n × f = {n} × {f}), w {} (f × o = {f} × {o}), \
         bias {} (o = {o})",
        x.len(),
        w.len(),
        bias.len()
    );
    let mut z = Vec::with_capacity(n * o);
    for _ in 0..n {
        z.extend_from_slice(bias);
    }
    add_product_using(kernels, (n, f, o), x, w, &mut z, relu);
    z
}

/// z += x·W, then ReLU if `relu`: `x` is n × f, `w` f × o and `z` n × o, all
/// row-major — [`affine`] with z already holding what the product is added to.
/// A dense layer's ∂L/∂W += xᵀ·g is one (x's transpose times g, added to the
/// gradient). Runs the widest kernels this CPU has, else the GEMM; the same
/// bits as `par_matmul` with β = 1 either way.
///
/// # Panics
/// If the slices do not have those lengths.
#[track_caller]
pub fn add_product(
    shape: (usize, usize, usize),
    x: &[f32],
    w: &[f32],
    z: &mut [f32],
    relu: bool,
) {
    add_product_using(Kernels::detect(), shape, x, w, z, relu);
}

/// [`add_product`] with the given kernels, or through [`par_matmul`] for
/// `None`.
///
/// # Panics
/// If the slices do not have [`add_product`]'s lengths, or this CPU does not
/// run `kernels`.
#[track_caller]
pub fn add_product_using(
    kernels: Option<Kernels>,
    (n, f, o): (usize, usize, usize),
    x: &[f32],
    w: &[f32],
    z: &mut [f32],
    relu: bool,
) {
    assert!(
        x.len() == n * f && w.len() == f * o && z.len() == n * o,
        "dense::add_product: x has {} values (n × f = {n} × {f}), w {} (f × o = {f} × {o}), \
         z {} (n × o = {n} × {o})",
        x.len(),
        w.len(),
        z.len()
    );
    if let Some(k) = kernels {
        assert!(k.available(), "this CPU does not run the {k:?} kernels");
    }
    if n == 0 || o == 0 || f == 0 {
        if relu {
            z.iter_mut().for_each(|v| *v = v.max(0.0));
        }
        return;
    }
    #[cfg(target_arch = "x86_64")]
    if let Some(kernels) = kernels {
        let mr = match kernels {
            Kernels::Avx512 => avx512::MR,
            Kernels::Avx2 => avx2::MR,
        };
        let threads = if n * f * o >= PARALLEL_FROM {
            rayon::current_num_threads().min(n.div_ceil(mr)).max(1)
        } else {
            1
        };
        let rows = n.div_ceil(threads).div_ceil(mr) * mr;
        z.par_chunks_mut(rows * o)
            .zip(x.par_chunks(rows * f))
            // SAFETY: the CPU runs `kernels` (asserted above); each block of z
            // has as many rows as its block of x, and w is f × o.
            .for_each(|(z, x)| unsafe {
                match kernels {
                    Kernels::Avx512 => avx512::rows(x, f, w, o, z, relu),
                    Kernels::Avx2 => avx2::rows(x, f, w, o, z, relu),
                }
            });
        return;
    }
    par_matmul(
        (n, f, o),
        Strided::row_major(x, f),
        Strided::row_major(w, o),
        1.0,
        z,
        o,
    );
    if relu {
        for v in z {
            *v = v.max(0.0);
        }
    }
}

/// The transpose of `a`, `rows` × `cols` row-major: `cols` × `rows` row-major. A
/// dense layer stores W as O × F (PyTorch's layout) and [`affine`] reads it
/// F × O, so training makes this copy once a step, after the weights change:
/// bands of 16 rows of the result on rayon's threads, 8 × 8 blocks turned in
/// AVX registers where the CPU has AVX2 and FMA (as for the kernels), and every
/// value written once (no zeroing first). The values are copied, not computed: the same bits.
///
/// # Panics
/// If `a` does not hold rows × cols values.
#[track_caller]
pub fn transpose(a: &[f32], rows: usize, cols: usize) -> Vec<f32> {
    assert_eq!(
        a.len(),
        rows * cols,
        "dense::transpose: {} values for a {rows} × {cols} matrix",
        a.len()
    );
    let len = rows * cols;
    let mut t: Vec<f32> = Vec::with_capacity(len);
    if len == 0 {
        return t;
    }
    #[cfg(target_arch = "x86_64")]
    let avx2 = Kernels::detect().is_some();
    t.spare_capacity_mut()[..len]
        .par_chunks_mut(BAND * rows)
        .enumerate()
        .for_each(|(b, band)| {
            let (c0, n_cols) = (b * BAND, band.len() / rows);
            // The first r0 rows of a full band's columns in 8 × 8 blocks, two
            // side by side.
            #[cfg(target_arch = "x86_64")]
            let r0 = if avx2 && n_cols == BAND {
                let whole = rows / 8 * 8;
                let (left, right) = band.split_at_mut(8 * rows);
                for r in (0..whole).step_by(8) {
                    // SAFETY: the CPU has AVX2 (Kernels::detect); rows r..r + 8
                    // of columns c0..c0 + 16 lie in `a`, and their places in the
                    // band, t·rows + r..+8 for t < 16, in `left` (t < 8) and
                    // `right`.
                    unsafe {
                        transpose8(a, cols, r, c0, left, rows);
                        transpose8(a, cols, r, c0 + 8, right, rows);
                    }
                }
                whole
            } else {
                0
            };
            #[cfg(not(target_arch = "x86_64"))]
            let r0 = 0;
            for (t, row) in band.chunks_exact_mut(rows).enumerate().take(n_cols) {
                for (r, slot) in row.iter_mut().enumerate().skip(r0) {
                    slot.write(a[r * cols + c0 + t]);
                }
            }
        });
    // SAFETY: the bands cover the first `len` slots, and every slot of a band
    // was written: rows 0..r0 of each of its columns by the 8 × 8 blocks, the
    // rest by the loop after them.
    unsafe { t.set_len(len) };
    t
}

/// Columns of `a` (rows of the transpose) per band of [`transpose`]: 16
/// floats, a whole cache line of each row of `a` (two 8 × 8 blocks).
const BAND: usize = 16;

/// Rows r0..r0 + 8 × columns c0..c0 + 8 of `a` (row-major, `cols` wide),
/// transposed into `band` (8 rows of the transpose, `rows` wide) at column r0.
///
/// # Safety
/// AVX2; r0 + 8 ≤ the rows of `a`, c0 + 8 ≤ cols, and band holds 8 rows.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn transpose8(
    a: &[f32],
    cols: usize,
    r0: usize,
    c0: usize,
    band: &mut [std::mem::MaybeUninit<f32>],
    rows: usize,
) {
    use std::arch::x86_64::*;
    assert!((r0 + 7) * cols + c0 + 8 <= a.len() && band.len() >= 7 * rows + r0 + 8);
    // SAFETY: the assert bounds the 8 loads and the 8 stores.
    unsafe {
        let r: [__m256; 8] = std::array::from_fn(|i| {
            _mm256_loadu_ps(a.as_ptr().add((r0 + i) * cols + c0))
        });
        // Pairs of rows interleaved, then pairs of pairs, then the halves
        // swapped: column j of the block ends up in register j.
        let t0 = _mm256_unpacklo_ps(r[0], r[1]);
        let t1 = _mm256_unpackhi_ps(r[0], r[1]);
        let t2 = _mm256_unpacklo_ps(r[2], r[3]);
        let t3 = _mm256_unpackhi_ps(r[2], r[3]);
        let t4 = _mm256_unpacklo_ps(r[4], r[5]);
        let t5 = _mm256_unpackhi_ps(r[4], r[5]);
        let t6 = _mm256_unpacklo_ps(r[6], r[7]);
        let t7 = _mm256_unpackhi_ps(r[6], r[7]);
        let u0 = _mm256_shuffle_ps::<0x44>(t0, t2);
        let u1 = _mm256_shuffle_ps::<0xEE>(t0, t2);
        let u2 = _mm256_shuffle_ps::<0x44>(t1, t3);
        let u3 = _mm256_shuffle_ps::<0xEE>(t1, t3);
        let u4 = _mm256_shuffle_ps::<0x44>(t4, t6);
        let u5 = _mm256_shuffle_ps::<0xEE>(t4, t6);
        let u6 = _mm256_shuffle_ps::<0x44>(t5, t7);
        let u7 = _mm256_shuffle_ps::<0xEE>(t5, t7);
        let columns = [
            _mm256_permute2f128_ps::<0x20>(u0, u4),
            _mm256_permute2f128_ps::<0x20>(u1, u5),
            _mm256_permute2f128_ps::<0x20>(u2, u6),
            _mm256_permute2f128_ps::<0x20>(u3, u7),
            _mm256_permute2f128_ps::<0x31>(u0, u4),
            _mm256_permute2f128_ps::<0x31>(u1, u5),
            _mm256_permute2f128_ps::<0x31>(u2, u6),
            _mm256_permute2f128_ps::<0x31>(u3, u7),
        ];
        for (j, c) in columns.into_iter().enumerate() {
            _mm256_storeu_ps(band.as_mut_ptr().add(j * rows + r0).cast::<f32>(), c);
        }
    }
}

/// Below this many multiply-adds the product runs on one thread.
#[cfg(target_arch = "x86_64")]
const PARALLEL_FROM: usize = 1 << 20;

/// Calls `tile((i, mr), (k0, kc), (j, width), last)` for every register tile of
/// `n` rows × `o` outputs with `f` features: the sum's blocks of [`KC`] features
/// in order, rows `sizes[0]` at a time (the rest in the first of `sizes` that
/// fits, else one), outputs `nr` at a time; `last` says the tile's block ends
/// the sum and a ReLU follows. A block's KC rows of W (200 KB for 200 outputs)
/// stay in the core's L2 cache while every tile of rows reads them.
#[cfg(target_arch = "x86_64")]
fn tiles(
    (n, f, o): (usize, usize, usize),
    relu: bool,
    sizes: &[usize],
    nr: usize,
    mut tile: impl FnMut((usize, usize), (usize, usize), (usize, usize), bool),
) {
    for k0 in (0..f).step_by(KC) {
        let kc = KC.min(f - k0);
        let last = relu && k0 + kc == f;
        let mut i = 0;
        while i < n {
            let mr = sizes.iter().copied().find(|&r| r <= n - i).unwrap_or(1);
            let mut j = 0;
            while j < o {
                let width = (o - j).min(nr);
                tile((i, mr), (k0, kc), (j, width), last);
                j += width;
            }
            i += mr;
        }
    }
}

/// One register tile's operands and where its outputs go.
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy)]
struct Tile {
    /// x's first row of the tile, at the block's first feature.
    x: *const f32,
    /// Step between two rows of x (f).
    ldx: usize,
    /// w's row for the block's first feature, at the tile's first output.
    w: *const f32,
    /// Step between two rows of w and of z (o).
    ld: usize,
    /// Features in the block.
    kc: usize,
    /// z's first row of the tile, at its first output.
    z: *mut f32,
    /// Outputs in the tile (the last register masked to them).
    width: usize,
    /// Whether to apply ReLU as the tile is stored.
    relu: bool,
}

/// The [`Tile`] at row i, feature k0, output j of x (n × f), w (f × o) and
/// z (n × o).
///
/// # Safety
/// The offsets are inside the slices.
#[cfg(target_arch = "x86_64")]
unsafe fn at(
    (x, f, w, o): (&[f32], usize, &[f32], usize),
    z: &mut [f32],
    (i, k0, j): (usize, usize, usize),
    (kc, width, relu): (usize, usize, bool),
) -> Tile {
    // SAFETY: the caller's offsets.
    unsafe {
        Tile {
            x: x.as_ptr().add(i * f + k0),
            ldx: f,
            w: w.as_ptr().add(k0 * o + j),
            ld: o,
            kc,
            z: z.as_mut_ptr().add(i * o + j),
            width,
            relu,
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::Tile;
    use std::arch::x86_64::*;

    /// Rows of x per register tile.
    pub(super) const MR: usize = 12;

    /// z (rows × o, holding the bias) += x·w block by block, then ReLU.
    ///
    /// # Safety
    /// The CPU has AVX-512 F; `x` holds z.len() / o rows of `f` values and `w`
    /// f × o values.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn rows(
        x: &[f32],
        f: usize,
        w: &[f32],
        o: usize,
        z: &mut [f32],
        relu: bool,
    ) {
        let n = z.len() / o;
        debug_assert!(x.len() == n * f && w.len() == f * o);
        let shape = (n, f, o);
        super::tiles(
            shape,
            relu,
            &[MR, 4],
            32,
            |(i, mr), (k0, kc), (j, width), last| {
                // SAFETY: `tiles` keeps rows i..i + mr, features k0..k0 + kc and
                // outputs j..j + width inside the slices (the caller's lengths); the
                // masks keep every access below `width`.
                unsafe {
                    let t =
                        super::at((x, f, w, o), z, (i, k0, j), (kc, width, last));
                    match (mr, width > 16) {
                        (MR, true) => tile::<MR, 2>(t),
                        (MR, false) => tile::<MR, 1>(t),
                        (4, true) => tile::<4, 2>(t),
                        (4, false) => tile::<4, 1>(t),
                        (_, true) => tile::<1, 2>(t),
                        (_, false) => tile::<1, 1>(t),
                    }
                }
            },
        );
    }

    /// R rows × V·16 outputs (the last register masked to `width`): one block
    /// of the sum, from zero, a fused multiply-add per feature in order, then
    /// added to z (matrixmultiply's epilogue with α = β = 1), then ReLU.
    ///
    /// # Safety
    /// AVX-512 F; x[r·ldx + k] for r < R, k < kc; w[k·ld + c] and z[r·ld + c]
    /// for c < width ≤ 16·V.
    #[target_feature(enable = "avx512f")]
    #[inline]
    unsafe fn tile<const R: usize, const V: usize>(
        Tile {
            x,
            ldx,
            w,
            ld,
            kc,
            z,
            width,
            relu,
        }: Tile,
    ) {
        let mut mask = [0u16; V];
        for (v, m) in mask.iter_mut().enumerate() {
            let lanes = width.saturating_sub(16 * v).min(16);
            *m = ((1u32 << lanes) - 1) as u16;
        }
        let mut acc = [[_mm512_setzero_ps(); V]; R];
        for k in 0..kc {
            let mut b = [_mm512_setzero_ps(); V];
            for (v, (b, &mask)) in b.iter_mut().zip(&mask).enumerate() {
                // SAFETY: inside w's row k for the lanes the mask keeps.
                *b = unsafe { _mm512_maskz_loadu_ps(mask, w.add(k * ld + 16 * v)) };
            }
            for (r, acc) in acc.iter_mut().enumerate() {
                // SAFETY: x's row r, feature k < kc.
                let a = _mm512_set1_ps(unsafe { *x.add(r * ldx + k) });
                for (acc, &b) in acc.iter_mut().zip(&b) {
                    *acc = _mm512_fmadd_ps(a, b, *acc);
                }
            }
        }
        let zero = _mm512_setzero_ps();
        for (r, acc) in acc.iter().enumerate() {
            for (v, (&acc, &mask)) in acc.iter().zip(&mask).enumerate() {
                // SAFETY: z's row r for the lanes the mask keeps.
                unsafe {
                    let p = z.add(r * ld + 16 * v);
                    let mut s = _mm512_add_ps(_mm512_maskz_loadu_ps(mask, p), acc);
                    if relu {
                        // max(0, s) keeps s unless 0 > s; NaN becomes 0, as
                        // f32::max(s, 0.0) does.
                        let nan = _mm512_cmp_ps_mask::<_CMP_UNORD_Q>(s, s);
                        s = _mm512_mask_mov_ps(_mm512_max_ps(zero, s), nan, zero);
                    }
                    _mm512_mask_storeu_ps(p, mask, s);
                }
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::Tile;
    use std::arch::x86_64::*;

    /// Rows of x per register tile.
    pub(super) const MR: usize = 6;

    /// As `avx512::rows`, with AVX2 and FMA.
    ///
    /// # Safety
    /// The CPU has AVX2 and FMA; `x` holds z.len() / o rows of `f` values and
    /// `w` f × o values.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn rows(
        x: &[f32],
        f: usize,
        w: &[f32],
        o: usize,
        z: &mut [f32],
        relu: bool,
    ) {
        let n = z.len() / o;
        debug_assert!(x.len() == n * f && w.len() == f * o);
        let shape = (n, f, o);
        super::tiles(
            shape,
            relu,
            &[MR, 2],
            16,
            |(i, mr), (k0, kc), (j, width), last| {
                // SAFETY: as in `avx512::rows`.
                unsafe {
                    let t =
                        super::at((x, f, w, o), z, (i, k0, j), (kc, width, last));
                    match (mr, width > 8) {
                        (MR, true) => tile::<MR, 2>(t),
                        (MR, false) => tile::<MR, 1>(t),
                        (2, true) => tile::<2, 2>(t),
                        (2, false) => tile::<2, 1>(t),
                        (_, true) => tile::<1, 2>(t),
                        (_, false) => tile::<1, 1>(t),
                    }
                }
            },
        );
    }

    /// R rows × V·8 outputs, as `avx512::tile`: the same sums in 8-lane
    /// registers, the last one masked to `width`.
    ///
    /// # Safety
    /// AVX2 and FMA; x[r·ldx + k] for r < R, k < kc; w[k·ld + c] and
    /// z[r·ld + c] for c < width ≤ 8·V.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn tile<const R: usize, const V: usize>(
        Tile {
            x,
            ldx,
            w,
            ld,
            kc,
            z,
            width,
            relu,
        }: Tile,
    ) {
        let lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        let mut mask = [_mm256_setzero_si256(); V];
        for (v, m) in mask.iter_mut().enumerate() {
            let lanes = width.saturating_sub(8 * v).min(8) as i32;
            *m = _mm256_cmpgt_epi32(_mm256_set1_epi32(lanes), lane);
        }
        let mut acc = [[_mm256_setzero_ps(); V]; R];
        for k in 0..kc {
            let mut b = [_mm256_setzero_ps(); V];
            for (v, (b, &mask)) in b.iter_mut().zip(&mask).enumerate() {
                // SAFETY: inside w's row k for the lanes the mask keeps.
                *b = unsafe { _mm256_maskload_ps(w.add(k * ld + 8 * v), mask) };
            }
            for (r, acc) in acc.iter_mut().enumerate() {
                // SAFETY: x's row r, feature k < kc.
                let a = _mm256_set1_ps(unsafe { *x.add(r * ldx + k) });
                for (acc, &b) in acc.iter_mut().zip(&b) {
                    *acc = _mm256_fmadd_ps(a, b, *acc);
                }
            }
        }
        let zero = _mm256_setzero_ps();
        for (r, acc) in acc.iter().enumerate() {
            for (v, (&acc, &mask)) in acc.iter().zip(&mask).enumerate() {
                // SAFETY: z's row r for the lanes the mask keeps.
                unsafe {
                    let p = z.add(r * ld + 8 * v);
                    let mut s = _mm256_add_ps(_mm256_maskload_ps(p, mask), acc);
                    if relu {
                        // max(0, s) keeps s unless 0 > s; a NaN s becomes 0, as
                        // f32::max(s, 0.0) makes it.
                        let nan = _mm256_cmp_ps::<_CMP_UNORD_Q>(s, s);
                        s = _mm256_blendv_ps(_mm256_max_ps(zero, s), zero, nan);
                    }
                    _mm256_maskstore_ps(p, mask, s);
                }
            }
        }
    }
}
