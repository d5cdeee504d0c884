//! Every loss gradient against central differences of the same loss in f64
//! (h = 1e-6). Tolerance: relative error below 1e-3 per element, or absolute below
//! 1e-5·max(1, |gradient|); the f32 analytic values are good to ~1e-6 relative.

use backprop::gradcheck::{
    check_gradient, numerical_gradient as numeric, to_f64 as f64s,
};
use losses::{binary_cross_entropy, mse, nll, softmax_cross_entropy, Matrix};
use proptest::prelude::*;

fn close(
    what: &str,
    analytic: &[f64],
    numeric: &[f64],
) -> Result<(), TestCaseError> {
    check_gradient(what, analytic, numeric, 1e-3, 1e-5).map_err(TestCaseError::fail)
}

fn pair(
    lo: f32,
    hi: f32,
    tlo: f32,
    thi: f32,
) -> impl Strategy<Value = (Matrix, Matrix)> {
    (1usize..5, 1usize..5).prop_flat_map(move |(r, c)| {
        (
            proptest::collection::vec(lo..hi, r * c)
                .prop_map(move |v| Matrix::from_vec(r, c, v)),
            proptest::collection::vec(tlo..thi, r * c)
                .prop_map(move |v| Matrix::from_vec(r, c, v)),
        )
    })
}

fn logits() -> impl Strategy<Value = (Matrix, Vec<usize>)> {
    (
        1usize..5,
        2usize..6,
        prop_oneof![Just(1.0f32), Just(1e4f32)],
    )
        .prop_flat_map(|(n, c, s)| {
            (
                proptest::collection::vec(-3.0f32..3.0, n * c)
                    .prop_map(move |v| Matrix::from_vec(n, c, v) * s),
                proptest::collection::vec(0..c, n),
            )
        })
}

/// log Σ e^z − z_y averaged over rows, in f64, on column-major z.
fn ce64(z: &[f64], n: usize, labels: &[usize]) -> f64 {
    let c = z.len() / n;
    labels
        .iter()
        .enumerate()
        .map(|(i, &y)| {
            let row: Vec<f64> = (0..c).map(|j| z[j * n + i]).collect();
            let m = row.iter().cloned().fold(f64::MIN, f64::max);
            row.iter().map(|v| (v - m).exp()).sum::<f64>().ln() + m - row[y]
        })
        .sum::<f64>()
        / n as f64
}

proptest! {
    #[test]
    fn mse_gradient((p, y) in pair(-3.0, 3.0, -3.0, 3.0)) {
        let (loss, grad) = mse(&p, &y);
        let ys = f64s(y.as_slice());
        let f = |v: &[f64]| v.iter().zip(&ys).map(|(a, b)| (a - b) * (a - b)).sum::<f64>() / v.len() as f64;
        prop_assert!((f64::from(loss) - f(&f64s(p.as_slice()))).abs() < 1e-4 * f(&f64s(p.as_slice())).max(1.0));
        close("∂MSE/∂ŷ", &f64s(grad.as_slice()), &numeric(f, &f64s(p.as_slice()), 1e-6))?;
    }

    #[test]
    fn bce_gradient((p, y) in pair(0.02, 0.98, 0.0, 1.0)) {
        let (loss, grad) = binary_cross_entropy(&p, &y);
        let ys = f64s(y.as_slice());
        let f = |v: &[f64]| -v.iter().zip(&ys).map(|(p, y)| y * p.ln() + (1.0 - y) * (1.0 - p).ln()).sum::<f64>() / v.len() as f64;
        prop_assert!((f64::from(loss) - f(&f64s(p.as_slice()))).abs() < 1e-4 * f(&f64s(p.as_slice())).max(1.0));
        close("∂BCE/∂p", &f64s(grad.as_slice()), &numeric(f, &f64s(p.as_slice()), 1e-6))?;
    }

    #[test]
    fn softmax_cross_entropy_gradient((z, labels) in logits()) {
        let (loss, grad) = softmax_cross_entropy(&z, &labels);
        let n = labels.len();
        let zs = f64s(z.as_slice());
        let expected = ce64(&zs, n, &labels);
        prop_assert!(loss.is_finite());
        prop_assert!((f64::from(loss) - expected).abs() < 1e-4 * expected.abs().max(1.0), "{loss} vs {expected}");
        close("∂CE/∂z", &f64s(grad.as_slice()), &numeric(|v| ce64(v, n, &labels), &zs, 1e-6))?;
    }

    #[test]
    fn nll_gradient((z, labels) in logits()) {
        let log_p = losses::log_softmax(&z);
        let (_, grad) = nll(&log_p, &labels);
        let n = labels.len();
        let f = |v: &[f64]| -labels.iter().enumerate().map(|(i, &y)| v[y * n + i]).sum::<f64>() / n as f64;
        close("∂NLL/∂log p", &f64s(grad.as_slice()), &numeric(f, &f64s(log_p.as_slice()), 1e-6))?;
    }
}
