use crate::Matrix;

/// Row-wise softmax, pᵢ = e^(zᵢ − m) / Σⱼ e^(zⱼ − m) with m = max z.
///
/// Subtracting the row's maximum changes nothing mathematically and keeps every
/// exponent ≤ 0, so logits of ±1e4 give no overflow.
pub fn softmax(logits: &Matrix) -> Matrix {
    let mut p = logits.clone();
    for mut row in p.row_iter_mut() {
        let m = row.max();
        row.apply(|v| *v = (*v - m).exp());
        let sum = row.sum();
        row /= sum;
    }
    p
}

/// Row-wise log-softmax, zᵢ − log Σⱼ e^(zⱼ), computed as zᵢ − m − log Σⱼ e^(zⱼ − m).
pub fn log_softmax(logits: &Matrix) -> Matrix {
    let mut out = logits.clone();
    for mut row in out.row_iter_mut() {
        let m = row.max();
        let log_sum = row.iter().map(|&v| (v - m).exp()).sum::<f32>().ln() + m;
        row.add_scalar_mut(-log_sum);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_of_huge_logits_is_finite() {
        let z = Matrix::from_row_slice(1, 3, &[1e4, 0.0, -1e4]);
        let p = softmax(&z);
        assert_eq!(p.as_slice(), &[1.0, 0.0, 0.0]);
        let lp = log_softmax(&z);
        assert_eq!(lp.as_slice(), &[0.0, -1e4, -2e4]);
    }

    #[test]
    fn softmax_by_hand() {
        // softmax([0, ln 3]) = [1/4, 3/4]
        let p = softmax(&Matrix::from_row_slice(1, 2, &[0.0, 3f32.ln()]));
        assert!((p[0] - 0.25).abs() < 1e-7 && (p[1] - 0.75).abs() < 1e-7);
    }
}
