//! A dense layer's inference, z = x·W + b and optionally ReLU(z), for a weight
//! matrix stored row-major (F × O, a row per input feature).
//!
//! [`crate::fast::par_matmul`] reaches the same product through matrixmultiply,
//! which first copies ("packs") both operands into its own layout, in every
//! thread and for every call. At inference's sizes (a batch of 256 rows, a few
//! hundred features) the packing is a third of the time: W alone is 600 KB to
//! 2.4 MB for the course's MLPs. Here, on CPUs with AVX-512, a register tile of
//! 12 rows × 32 outputs reads W where it lies — row k of W holds the 32 outputs'
//! weights for feature k side by side, so one load fetches 16 of them — and
//! broadcasts x's values from their rows: nothing is copied.
//!
//! **Same bits as the GEMM.** matrixmultiply adds each output's products in
//! blocks of [`KC`] features: every block's sum starts from zero and adds one
//! fused multiply-add per feature, in order, then is added to the output (which
//! starts as the bias). This module adds the same products in the same blocks and
//! the same order, so z is the same, to the bit, as through `par_matmul` with
//! C preset to the bias and β = 1 — the path training takes and the one used
//! where the CPU lacks AVX-512 (and in WebAssembly). The property test
//! `affine_is_the_gemm_to_the_bit` (tests/matmul.rs) holds the two together.
//!
//! **Threads.** The rows are cut into one block per rayon thread, multiples of
//! the tile's 12 rows; every output is computed by one thread, as above, so the
//! result does not depend on the number of threads.

use crate::fast::{par_matmul, Strided};

/// matrixmultiply's block of the sum (its `S_KC` for f32): each output adds its
/// products in blocks of this many features.
pub const KC: usize = 256;

/// z = x·W + b, then ReLU if `relu`: `x` is n × f and `w` f × o, both row-major,
/// `bias` has o values; z is n × o, row-major. ReLU is `activations::relu`,
/// max(z, 0) with NaN → 0.
///
/// # Panics
/// If the slices do not have those lengths.
#[track_caller]
pub fn affine(
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
    if n == 0 || o == 0 {
        return z;
    }
    #[cfg(target_arch = "x86_64")]
    if f > 0 && avx512::available() {
        // SAFETY: the CPU has AVX-512 F; the lengths are asserted above.
        unsafe { avx512::affine((n, f, o), x, w, &mut z, relu) };
        return z;
    }
    if f > 0 {
        par_matmul(
            (n, f, o),
            Strided::row_major(x, f),
            Strided::row_major(w, o),
            1.0,
            &mut z,
            o,
        );
    }
    if relu {
        for v in &mut z {
            *v = v.max(0.0);
        }
    }
    z
}

/// Whether [`affine`] takes its AVX-512 kernel on this CPU (else it calls
/// [`par_matmul`]; the results are the same).
pub fn uses_avx512() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        avx512::available()
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::KC;
    use rayon::prelude::*;
    use std::arch::x86_64::*;

    /// Rows of x per register tile.
    const MR: usize = 12;

    /// Below this many multiply-adds the product runs on one thread.
    const PARALLEL_FROM: usize = 1 << 20;

    pub(super) fn available() -> bool {
        std::is_x86_feature_detected!("avx512f")
    }

    /// [`super::affine`] on z, which holds the bias on every row: the rows in
    /// one block per thread (a multiple of [`MR`] rows each).
    ///
    /// # Safety
    /// The CPU has AVX-512 F; x is n × f, w f × o and z n × o.
    pub(super) unsafe fn affine(
        (n, f, o): (usize, usize, usize),
        x: &[f32],
        w: &[f32],
        z: &mut [f32],
        relu: bool,
    ) {
        let threads = if n * f * o >= PARALLEL_FROM {
            rayon::current_num_threads().min(n.div_ceil(MR)).max(1)
        } else {
            1
        };
        let rows = n.div_ceil(threads).div_ceil(MR) * MR;
        z.par_chunks_mut(rows * o)
            .zip(x.par_chunks(rows * f))
            // SAFETY: the caller's CPU and lengths; each block of z has as many
            // rows as its block of x.
            .for_each(|(z, x)| unsafe { self::rows(x, f, w, o, z, relu) });
    }

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
        // A block of the sum at a time over all the rows: its KC rows of W (200 KB
        // for 200 outputs) stay in this core's L2 cache while every tile of
        // rows reads them.
        for k0 in (0..f).step_by(KC) {
            let kc = KC.min(f - k0);
            let last = relu && k0 + kc == f;
            let mut i = 0;
            while i < n {
                let mr = match n - i {
                    r if r >= MR => MR,
                    r if r >= 4 => 4,
                    _ => 1,
                };
                let mut j = 0;
                while j < o {
                    let width = (o - j).min(32);
                    // SAFETY: rows i..i + mr of x and z, features k0..k0 + kc,
                    // outputs j..j + width are inside the slices (the caller's
                    // lengths); the masks keep every access below `width`.
                    unsafe {
                        let x = x.as_ptr().add(i * f + k0);
                        let w = w.as_ptr().add(k0 * o + j);
                        let z = z.as_mut_ptr().add(i * o + j);
                        let t = (x, f, w, o, kc, z, width, last);
                        match (mr, width > 16) {
                            (MR, true) => tile::<MR, 2>(t),
                            (MR, false) => tile::<MR, 1>(t),
                            (4, true) => tile::<4, 2>(t),
                            (4, false) => tile::<4, 1>(t),
                            (_, true) => tile::<1, 2>(t),
                            (_, false) => tile::<1, 1>(t),
                        }
                    }
                    j += width;
                }
                i += mr;
            }
        }
    }

    /// x's rows (pointer, stride), w's block (pointer, stride), the block's
    /// length, z's tile (pointer, stride o), its width, whether to apply ReLU.
    type Tile = (
        *const f32,
        usize,
        *const f32,
        usize,
        usize,
        *mut f32,
        usize,
        bool,
    );

    /// R rows × V·16 outputs (the last register masked to `width`): one block
    /// of the sum, from zero, a fused multiply-add per feature in order, then
    /// added to z (matrixmultiply's epilogue with α = β = 1), then ReLU.
    ///
    /// # Safety
    /// AVX-512 F; x[r·ldx + k] for r < R, k < kc; w[k·ldw + c] and z[r·ldw + c]
    /// for c < width ≤ 16·V.
    #[target_feature(enable = "avx512f")]
    #[inline]
    unsafe fn tile<const R: usize, const V: usize>(
        (x, ldx, w, ldw, kc, z, width, relu): Tile,
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
                *b = unsafe { _mm512_maskz_loadu_ps(mask, w.add(k * ldw + 16 * v)) };
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
                    let p = z.add(r * ldw + 16 * v);
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
