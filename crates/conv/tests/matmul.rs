//! `fast::matmul` against a plain triple loop, and `fast::par_matmul` against
//! `matmul`: the same bits with 1, 2 or 3 threads, blocks by rows or by columns,
//! operands transposed or not, C wider than its rows.

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
