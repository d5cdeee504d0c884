//! `fast::matmul` against a plain triple loop, and `fast::par_matmul` against
//! `matmul`: the same bits with 1, 2 or 3 threads, blocks by rows or by columns,
//! operands transposed or not, C wider than its rows.

use conv::dense::{affine_using, Kernels};
use conv::fast::{matmul, par_matmul, Strided};
use proptest::prelude::*;

fn values(len: usize, seed: u64) -> Vec<f32> {
    (0..len as u64)
        .map(|i| ((i * 37 + seed * 11) % 29) as f32 / 14.0 - 1.0)
        .collect()
}

/// Operand `rows × cols` stored row-major, or as its transpose.
fn operand(data: &[f32], rows: usize, cols: usize, transposed: bool) -> Strided<'_> {
    if transposed {
        Strided::row_major(data, rows).t()
    } else {
        Strided::row_major(data, cols)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn par_matmul_is_matmul_for_any_thread_count(
        // Small shapes run on one thread; these others are split, by rows
        // (m ≥ n) or by columns, with a last block shorter than the rest.
        (m, k, n) in prop_oneof![
            (1usize..90, 1usize..260, 1usize..90),
            prop::sample::select(vec![(301, 100, 50), (64, 784, 200), (33, 700, 97), (97, 700, 33)]),
        ],
        (ta, tb) in (any::<bool>(), any::<bool>()),
        extra in 0usize..3,
        beta in prop::sample::select(vec![0.0f32, 1.0, 0.5]),
        seed in 0u64..1000,
    ) {
        let (a, b) = (values(m * k, seed), values(k * n, seed + 1));
        let ldc = n + extra;
        let start = values((m - 1) * ldc + n, seed + 2);
        let (a, b) = (operand(&a, m, k, ta), operand(&b, k, n, tb));
        let mut expected = start.clone();
        matmul((m, k, n), a, b, beta, &mut expected, ldc);
        // The definition, in f64; the padding between rows is left alone.
        for i in 0..m {
            for j in 0..ldc.min(start.len() - i * ldc) {
                let got = expected[i * ldc + j];
                if j >= n {
                    prop_assert_eq!(got, start[i * ldc + j]);
                    continue;
                }
                let mut sum = f64::from(beta) * f64::from(start[i * ldc + j]);
                for p in 0..k {
                    sum += f64::from(a.data[i * a.row_stride + p * a.col_stride])
                        * f64::from(b.data[p * b.row_stride + j * b.col_stride]);
                }
                prop_assert!(
                    (f64::from(got) - sum).abs() <= 1e-5 * k as f64 * (1.0 + sum.abs()),
                    "C[{}][{}] = {}, expected {}", i, j, got, sum
                );
            }
        }
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let mut c = start.clone();
            pool.install(|| par_matmul((m, k, n), a, b, beta, &mut c, ldc));
            let first = c.iter().zip(&expected).position(|(a, b)| a.to_bits() != b.to_bits());
            prop_assert!(
                first.is_none(),
                "{} threads, {}×{}×{}: C[{:?}] differs from one call's", threads, m, k, n, first
            );
        }
    }
}

/// Values in [−1, 1) with full mantissas (a splitmix64 stream), so that adding
/// the same products in another order or other blocks changes the bits.
fn noisy(len: usize, seed: u64) -> Vec<f32> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (0..len)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            (z >> 40) as f32 / (1u64 << 23) as f32 - 1.0
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// `dense::affine_using`, with each kernel set this CPU runs (AVX-512: tiles
    /// of 12, 4 and 1 rows × 32 outputs; AVX2: 6, 2 and 1 rows × 16 outputs; a
    /// masked last register), gives the bits of `par_matmul` on C preset to the
    /// bias, then ReLU, with 1, 2 or 3 threads: sums of one to four blocks of
    /// 256 features.
    #[test]
    fn affine_is_the_gemm_to_the_bit(
        (n, f, o) in prop_oneof![
            (1usize..40, 1usize..800, 1usize..70),
            prop::sample::select(vec![(256, 784, 200), (37, 1030, 10), (130, 200, 33)]),
        ],
        relu in any::<bool>(),
        seed in 0u64..1000,
    ) {
        let (x, w, bias) = (noisy(n * f, seed), noisy(f * o, seed + 1), noisy(o, seed + 2));
        let mut expected: Vec<f32> = (0..n).flat_map(|_| bias.iter().copied()).collect();
        matmul((n, f, o), Strided::row_major(&x, f), Strided::row_major(&w, o), 1.0, &mut expected, o);
        if relu {
            for v in &mut expected {
                *v = v.max(0.0);
            }
        }
        let kernels = [None, Some(Kernels::Avx2), Some(Kernels::Avx512)]
            .into_iter()
            .filter(|k| k.is_none_or(Kernels::available));
        for (kernels, threads) in kernels.flat_map(|k| [1, 2, 3].map(|t| (k, t))) {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let z = pool.install(|| affine_using(kernels, (n, f, o), &x, &w, &bias, relu));
            prop_assert_eq!(z.len(), n * o);
            let first = z.iter().zip(&expected).position(|(a, b)| a.to_bits() != b.to_bits());
            prop_assert!(
                first.is_none(),
                "{:?}, {} threads, {}×{}×{}, relu {}: z[{:?}] = {:?}, the GEMM's {:?}",
                kernels, threads, n, f, o, relu, first,
                first.map(|i| z[i]), first.map(|i| expected[i])
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    /// `dense::add_product` (z += x·W on any z, as a dense layer's ∂L/∂W += xᵀ·g)
    /// gives the bits of `par_matmul` with β = 1 on the same z, with every kernel
    /// set the CPU has and with 1 or 2 threads.
    #[test]
    fn add_product_is_the_gemm_to_the_bit(
        (n, f, o) in prop_oneof![
            (1usize..40, 1usize..300, 1usize..70),
            prop::sample::select(vec![(200, 64, 784), (10, 64, 200)]),
        ],
        seed in 0u64..1000,
    ) {
        let (x, w, z0) = (noisy(n * f, seed), noisy(f * o, seed + 1), noisy(n * o, seed + 2));
        let mut expected = z0.clone();
        matmul((n, f, o), Strided::row_major(&x, f), Strided::row_major(&w, o), 1.0, &mut expected, o);
        let kernels = [None, Some(Kernels::Avx2), Some(Kernels::Avx512)]
            .into_iter()
            .filter(|k| k.is_none_or(Kernels::available));
        for (kernels, threads) in kernels.flat_map(|k| [1, 2].map(|t| (k, t))) {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let mut z = z0.clone();
            pool.install(|| conv::dense::add_product_using(kernels, (n, f, o), &x, &w, &mut z, false));
            let first = z.iter().zip(&expected).position(|(a, b)| a.to_bits() != b.to_bits());
            prop_assert!(first.is_none(), "{:?}, {} threads, {}×{}×{}: z[{:?}]", kernels, threads, n, f, o, first);
        }
    }
}

proptest! {
    /// `dense::transpose` moves every value to its place, in 8 × 8 blocks and at
    /// the edges, with 1 or 2 threads.
    #[test]
    fn transpose_puts_every_value_in_its_place(
        (rows, cols) in prop_oneof![
            (0usize..40, 0usize..40),
            prop::sample::select(vec![(200, 784), (10, 200), (200, 3072), (17, 9)]),
        ],
        seed in 0u64..1000,
        threads in 1usize..3,
    ) {
        let a = noisy(rows * cols, seed);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        let t = pool.install(|| conv::dense::transpose(&a, rows, cols));
        prop_assert_eq!(t.len(), rows * cols);
        for r in 0..rows {
            for c in 0..cols {
                prop_assert_eq!(t[c * rows + r].to_bits(), a[r * cols + c].to_bits(), "({}, {}) of {}×{}", r, c, rows, cols);
            }
        }
    }
}

/// `dense::transpose` says which length does not fit.
#[test]
#[should_panic(expected = "dense::transpose: 5 values for a 2 × 3 matrix")]
fn transpose_rejects_a_wrong_length() {
    conv::dense::transpose(&[0.0; 5], 2, 3);
}

/// `dense::affine` says which lengths do not fit.
#[test]
#[should_panic(expected = "dense::affine: x has 5 values (n × f = 2 × 3)")]
fn affine_rejects_a_wrong_shape() {
    conv::dense::affine((2, 3, 4), &[0.0; 5], &[0.0; 12], &[0.0; 4], false);
}
