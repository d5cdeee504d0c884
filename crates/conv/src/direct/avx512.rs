//! The direct path's kernels for CPUs with AVX-512 (F and DQ): the AVX2 kernels'
//! sums, term for term in the same order, in registers twice as wide and with
//! twice as many of them, so the results are the same bits.
//!
//! - **Forward** (and ∂L/∂x): a block of 8 output channels × 32 pixels, sixteen
//!   accumulators of 16 lanes. Each lane is one output pixel and adds the same
//!   taps in the same order as in the AVX2 kernel (bias first, then input
//!   channel, kernel row, tap), so only the block's shape differs. The block
//!   writes the output tensor itself: each vector's lanes that are real pixels
//!   (not the 2p extra columns of a padded row, nor past the last row) are
//!   compressed together and stored with a mask where they belong ([`Store`]),
//!   so no padded copy of the output is written and copied again.
//! - **∂L/∂w**: the AVX2 kernel keeps 8 running sums per weight, one per pixel
//!   class q mod 8. Here one register holds those 8 sums for two weights —
//!   output channels r and r + 1, same input channel and tap — and ∂L/∂y is laid
//!   out with the two channels' rows interleaved 8 pixels at a time, so one load
//!   fetches both and each input window, loaded once into both halves, feeds
//!   both channels. Every lane sees the same products in the same order as its
//!   AVX2 counterpart.

use super::{Plane, Store, QB};
use std::arch::x86_64::*;

/// out (c_out planes of h × w) = bias + conv(padded input, w) for one image, for
/// k = K: output channels 8 at a time, then 4, 2, 1; along each channel's padded
/// rows, pixels 32 at a time, then the last 16 (q_len is a multiple of 16).
/// `stores` is [`super::stores`] of `geo`.
///
/// # Safety
/// A CPU with AVX-512 F; geo.k = K; `x` holds `geo.buffer(c_in)` floats, `w`
/// c_out·c_in·K·K and `bias` c_out; `out` is valid for c_out·h·w writes.
#[target_feature(enable = "avx512f")]
#[allow(clippy::too_many_arguments)]
pub(super) unsafe fn blocks<const K: usize>(
    x: &[f32],
    w: &[f32],
    bias: &[f32],
    out: *mut f32,
    stores: &[Store],
    c_in: usize,
    c_out: usize,
    geo: Plane,
) {
    let q_len = geo.q_len();
    debug_assert_eq!(q_len % QB, 0);
    assert!(
        x.len() >= geo.buffer(c_in)
            && w.len() >= c_out * c_in * K * K
            && bias.len() >= c_out
            && stores.len() == q_len / QB
    );
    let mut o = 0;
    while o < c_out {
        let r = match c_out - o {
            r if r >= 8 => 8,
            r if r >= 4 => 4,
            r if r >= 2 => 2,
            _ => 1,
        };
        let mut q = 0;
        while q < q_len {
            let v = if q + 32 <= q_len { 2 } else { 1 };
            // SAFETY: the caller's bounds, which `block` relies on.
            unsafe {
                match (r, v) {
                    (8, 2) => {
                        block::<8, K, 2>(x, w, bias, out, stores, c_in, o, q, geo)
                    }
                    (8, _) => {
                        block::<8, K, 1>(x, w, bias, out, stores, c_in, o, q, geo)
                    }
                    (4, 2) => {
                        block::<4, K, 2>(x, w, bias, out, stores, c_in, o, q, geo)
                    }
                    (4, _) => {
                        block::<4, K, 1>(x, w, bias, out, stores, c_in, o, q, geo)
                    }
                    (2, 2) => {
                        block::<2, K, 2>(x, w, bias, out, stores, c_in, o, q, geo)
                    }
                    (2, _) => {
                        block::<2, K, 1>(x, w, bias, out, stores, c_in, o, q, geo)
                    }
                    (_, 2) => {
                        block::<1, K, 2>(x, w, bias, out, stores, c_in, o, q, geo)
                    }
                    _ => block::<1, K, 1>(x, w, bias, out, stores, c_in, o, q, geo),
                }
            }
            q += 16 * v;
        }
        o += r;
    }
}

/// Output channels o..o + R, pixels q..q + 16·V: R × V accumulators.
///
/// # Safety
/// As for [`blocks`], q + 16·V ≤ q_len and o + R ≤ c_out.
#[target_feature(enable = "avx512f")]
#[inline]
#[allow(clippy::too_many_arguments)]
unsafe fn block<const R: usize, const K: usize, const V: usize>(
    x: &[f32],
    w: &[f32],
    bias: &[f32],
    out: *mut f32,
    stores: &[Store],
    c_in: usize,
    o: usize,
    q: usize,
    geo: Plane,
) {
    let (wp, plane, pixels) = (geo.wp(), geo.padded(), geo.h * geo.w);
    let taps = K * K;
    // SAFETY: reads of x reach at most (c_in − 1)·plane + q_len + (K − 1)·wp
    // + K − 1 < buffer(c_in); reads of w stay below (o + R)·c_in·taps; each
    // store writes `Store::fill` lanes from `first`, which stay within output
    // channel o + r's plane of h·w (see `stores`): all within the caller's
    // bounds.
    unsafe {
        let mut acc = [[_mm512_setzero_ps(); V]; R];
        for (r, a) in acc.iter_mut().enumerate() {
            *a = [_mm512_set1_ps(bias[o + r]); V];
        }
        for c in 0..c_in {
            let xc = x.as_ptr().add(c * plane + q);
            let wc = w.as_ptr().add(o * c_in * taps + c * taps);
            for u in 0..K {
                for v in 0..K {
                    let xs = xc.add(u * wp + v);
                    let mut xv = [_mm512_setzero_ps(); V];
                    for (i, x) in xv.iter_mut().enumerate() {
                        *x = _mm512_loadu_ps(xs.add(16 * i));
                    }
                    for (r, a) in acc.iter_mut().enumerate() {
                        let wv =
                            _mm512_set1_ps(*wc.add(r * c_in * taps + u * K + v));
                        for (a, x) in a.iter_mut().zip(&xv) {
                            *a = _mm512_fmadd_ps(wv, *x, *a);
                        }
                    }
                }
            }
        }
        for (r, a) in acc.iter().enumerate() {
            let plane = out.add((o + r) * pixels);
            for (i, a) in a.iter().enumerate() {
                let Store { keep, fill, first } = stores[q / QB + i];
                let packed = _mm512_maskz_compress_ps(keep, *a);
                _mm512_mask_storeu_ps(plane.add(first as usize), fill, packed);
            }
        }
    }
}

/// ∂L/∂y of one image (c_out planes of h × w) laid out for [`weight_rows`]: on
/// padded rows of q_len pixels (zeros in the 2p extra columns and after the
/// last row), and for each pair of output channels (2j, 2j + 1) their rows
/// interleaved 8 pixels at a time, in the pair's own 2·q_len floats; an odd
/// last channel's row as it is. Each 16-pixel vector is loaded from the plane
/// with the mask of its real pixels and expanded into its lanes ([`Store`], the
/// forward kernel's stores backwards), so dy is read once and dyq written once.
///
/// # Safety
/// A CPU with AVX-512 F; `dy` holds c_out·h·w floats, `dyq` c_out·q_len, and
/// `stores` is [`super::stores`] of `geo`.
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn pair_rows(
    dy: &[f32],
    dyq: &mut [f32],
    stores: &[Store],
    c_out: usize,
    geo: Plane,
) {
    let (pixels, q_len) = (geo.h * geo.w, geo.q_len());
    assert!(
        dy.len() >= c_out * pixels
            && dyq.len() >= c_out * q_len
            && stores.len() == q_len / QB
    );
    // One channel's vector v, in its padded-row lanes (zeros elsewhere).
    // SAFETY: the masked load reads `fill` values from `first`, which stay in
    // the channel's plane (see `stores`); masked-off lanes are not read.
    let vector = |o: usize, s: &Store| unsafe {
        let from = dy.as_ptr().add(o * pixels + s.first as usize);
        _mm512_maskz_expand_ps(s.keep, _mm512_maskz_loadu_ps(s.fill, from))
    };
    let (pairs, rest) = dyq[..c_out * q_len].split_at_mut(c_out / 2 * 2 * q_len);
    for (j, both) in pairs.chunks_exact_mut(2 * q_len).enumerate() {
        for (s, dst) in stores.iter().zip(both.chunks_exact_mut(2 * QB)) {
            let (a, b) = (vector(2 * j, s), vector(2 * j + 1, s));
            // SAFETY: dst has 32 floats: a's first 8 lanes, b's first 8, then
            // a's last 8 and b's last 8.
            unsafe {
                _mm512_storeu_ps(
                    dst.as_mut_ptr(),
                    _mm512_shuffle_f32x4::<0b01_00_01_00>(a, b),
                );
                _mm512_storeu_ps(
                    dst.as_mut_ptr().add(QB),
                    _mm512_shuffle_f32x4::<0b11_10_11_10>(a, b),
                );
            }
        }
    }
    for (s, dst) in stores.iter().zip(rest.chunks_exact_mut(QB)) {
        // SAFETY: dst has 16 floats.
        unsafe { _mm512_storeu_ps(dst.as_mut_ptr(), vector(c_out - 1, s)) };
    }
}

/// ∂L/∂w of output channels o..o + 2·P for one image, added to the running sums
/// `lanes` (8 per weight, as in [`super::weight_tile`]): kernel rows (c, u) two
/// at a time, then one. `dyq` is ∂L/∂y in [`pair_rows`]'s layout, and o
/// is even.
///
/// # Safety
/// AVX-512 F and DQ; the asserts below hold, and geo.k = K.
#[target_feature(enable = "avx512f,avx512dq")]
pub(super) unsafe fn weight_rows<const P: usize, const K: usize>(
    x: &[f32],
    dyq: &[f32],
    lanes: &mut [f32],
    c_in: usize,
    o: usize,
    geo: Plane,
) {
    let (wp, plane, q_len) = (geo.wp(), geo.padded(), geo.q_len());
    let pairs = c_in * K * K;
    assert!(geo.k == K && o.is_multiple_of(2) && x.len() >= geo.buffer(c_in));
    assert!(
        dyq.len() >= (o + 2 * P) * q_len && lanes.len() >= (o + 2 * P) * pairs * 8
    );
    // As in the AVX2 kernel, kernel row (c, u) with its K taps reads up to
    // (c_in − 1)·plane + (K − 1)·wp + K − 1 + q_len, within buffer(c_in).
    let row = |l: usize| x[(l / K) * plane + (l % K) * wp..].as_ptr();
    let dy = dyq[o * q_len..].as_ptr();
    let sums = lanes[o * pairs * 8..].as_mut_ptr();
    let n_rows = c_in * K;
    let mut l = 0;
    while l < n_rows {
        // SAFETY: the asserts above and the bound on `row`'s reads; the tile's
        // lanes end below (o + 2·P)·pairs·8.
        unsafe {
            if l + 2 <= n_rows {
                weight_tile::<P, 2, K>(
                    dy,
                    [row(l), row(l + 1)],
                    q_len,
                    sums,
                    pairs,
                    l,
                );
            } else {
                weight_tile::<P, 1, K>(dy, [row(l)], q_len, sums, pairs, l);
            }
        }
        l += 2;
    }
}

/// P pairs of output channels × L kernel rows (from kernel row `l0`) × K taps:
/// the sums of [`super::weight_tile`] for 2·P channels, two channels per
/// register.
///
/// # Safety
/// AVX-512 F and DQ; `dy` valid for 2·P·q_len floats (interleaved pairs), each
/// `rows[l]` for q_len + K − 1, `lanes` for the 2·P channels' sums.
#[target_feature(enable = "avx512f,avx512dq")]
#[inline]
#[allow(clippy::needless_range_loop)]
unsafe fn weight_tile<const P: usize, const L: usize, const K: usize>(
    dy: *const f32,
    rows: [*const f32; L],
    q_len: usize,
    lanes: *mut f32,
    pairs: usize,
    l0: usize,
) {
    // The 8 sums of output channel r (of the tile), kernel row l0 + l, tap v.
    let at = |r: usize, l: usize, v: usize| (r * pairs + (l0 + l) * K + v) * 8;
    // SAFETY: the caller guarantees every access below is in bounds.
    unsafe {
        let mut acc = [[[_mm512_setzero_ps(); K]; L]; P];
        for p in 0..P {
            for l in 0..L {
                for v in 0..K {
                    let lo = _mm256_loadu_ps(lanes.add(at(2 * p, l, v)));
                    let hi = _mm256_loadu_ps(lanes.add(at(2 * p + 1, l, v)));
                    acc[p][l][v] =
                        _mm512_insertf32x8::<1>(_mm512_castps256_ps512(lo), hi);
                }
            }
        }
        let mut d = [_mm512_setzero_ps(); P];
        for q in (0..q_len).step_by(8) {
            for (p, d) in d.iter_mut().enumerate() {
                *d = _mm512_loadu_ps(dy.add(2 * p * q_len + 2 * q));
            }
            for l in 0..L {
                for v in 0..K {
                    let xv =
                        _mm512_broadcast_f32x8(_mm256_loadu_ps(rows[l].add(q + v)));
                    for p in 0..P {
                        acc[p][l][v] = _mm512_fmadd_ps(d[p], xv, acc[p][l][v]);
                    }
                }
            }
        }
        for p in 0..P {
            for l in 0..L {
                for v in 0..K {
                    let a = acc[p][l][v];
                    _mm256_storeu_ps(
                        lanes.add(at(2 * p, l, v)),
                        _mm512_castps512_ps256(a),
                    );
                    _mm256_storeu_ps(
                        lanes.add(at(2 * p + 1, l, v)),
                        _mm512_extractf32x8_ps::<1>(a),
                    );
                }
            }
        }
    }
}

/// One plane's 2 × 2 / 2 max-pooling of relu(x·scale + shift) (batch norm's
/// normalisation, then ReLU, as `cnn`'s fused step computes them): the four
/// values of each window computed as the scalar code computes them (a multiply,
/// then an add; ReLU as max(0, v) with NaN → 0, as `f32::max(v, 0.0)`),
/// compared top left, top right, bottom left, bottom right with `>`, the first
/// maximum winning. 16 outputs at a time: two rows of 32 inputs loaded (masked
/// at the end of a row), their even and odd columns gathered into registers
/// of 16, three compares. `out` receives the out_h × out_w maxima and `argmax`
/// where each came from, as a flat index from `base`.
///
/// # Safety
/// A CPU with AVX-512 F; `x` holds in_h × in_w values, `out` has room for
/// (in_h / 2)·(in_w / 2) and `argmax` holds as many.
#[target_feature(enable = "avx512f")]
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn pool_affine_relu(
    x: &[f32],
    (in_h, in_w): (usize, usize),
    (scale, shift): (f32, f32),
    out: *mut f32,
    argmax: &mut [usize],
    base: usize,
) {
    let (out_h, out_w) = (in_h / 2, in_w / 2);
    assert!(x.len() >= in_h * in_w && argmax.len() >= out_h * out_w);
    let (scale, shift, zero) = (
        _mm512_set1_ps(scale),
        _mm512_set1_ps(shift),
        _mm512_setzero_ps(),
    );
    let value = |v: __m512| {
        let t = _mm512_add_ps(_mm512_mul_ps(v, scale), shift);
        let nan = _mm512_cmp_ps_mask::<_CMP_UNORD_Q>(t, t);
        _mm512_mask_mov_ps(_mm512_max_ps(zero, t), nan, zero)
    };
    let even =
        _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    let odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
    let lanes =
        _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    for i in 0..out_h {
        let rows = [2 * i * in_w, (2 * i + 1) * in_w];
        for j0 in (0..out_w).step_by(16) {
            let count = (out_w - j0).min(16);
            let inputs = 2 * count;
            let masks = [
                ((1u32 << inputs.min(16)) - 1) as u16,
                ((1u32 << inputs.saturating_sub(16)) - 1) as u16,
            ];
            // The window's corners: [top left, top right, bottom left, bottom right].
            let corners = rows.map(|r| {
                // SAFETY: the masks keep the loads within the row's first
                // 2·out_w ≤ in_w values.
                let [a, b] = [0, 1].map(|h| unsafe {
                    value(_mm512_maskz_loadu_ps(
                        masks[h],
                        x.as_ptr().add(r + 2 * j0 + 16 * h),
                    ))
                });
                [
                    _mm512_permutex2var_ps(a, even, b),
                    _mm512_permutex2var_ps(a, odd, b),
                ]
            });
            let corners =
                [corners[0][0], corners[0][1], corners[1][0], corners[1][1]];
            let (mut best, mut corner) = (corners[0], _mm512_setzero_si512());
            for (k, &v) in corners.iter().enumerate().skip(1) {
                let m = _mm512_cmp_ps_mask::<_CMP_GT_OQ>(v, best);
                best = _mm512_mask_mov_ps(best, m, v);
                corner =
                    _mm512_mask_mov_epi32(corner, m, _mm512_set1_epi32(k as i32));
            }
            let keep = ((1u32 << count) - 1) as u16;
            // The input each maximum came from, within the plane: row 2i or
            // 2i + 1 (corner / 2), column 2j or 2j + 1 (corner % 2).
            let column = _mm512_slli_epi32::<1>(_mm512_add_epi32(
                lanes,
                _mm512_set1_epi32(j0 as i32),
            ));
            let row = _mm512_mullo_epi32(
                _mm512_srli_epi32::<1>(corner),
                _mm512_set1_epi32(in_w as i32),
            );
            let within = _mm512_add_epi32(
                _mm512_add_epi32(_mm512_set1_epi32(rows[0] as i32), row),
                _mm512_add_epi32(
                    column,
                    _mm512_and_si512(corner, _mm512_set1_epi32(1)),
                ),
            );
            let base = _mm512_set1_epi64(base as i64);
            let halves = [
                _mm512_cvtepu32_epi64(_mm512_castsi512_si256(within)),
                _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64::<1>(within)),
            ];
            // SAFETY: outputs i·out_w + j0 .. + count are within `out` and
            // `argmax`; the masks keep the stores to them.
            unsafe {
                _mm512_mask_storeu_ps(out.add(i * out_w + j0), keep, best);
                let at = argmax.as_mut_ptr().add(i * out_w + j0).cast::<i64>();
                _mm512_mask_storeu_epi64(
                    at,
                    keep as u8,
                    _mm512_add_epi64(halves[0], base),
                );
                _mm512_mask_storeu_epi64(
                    at.add(8),
                    (keep >> 8) as u8,
                    _mm512_add_epi64(halves[1], base),
                );
            }
        }
    }
}
