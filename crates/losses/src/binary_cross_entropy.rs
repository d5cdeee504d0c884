use crate::{check_same_shape, Matrix};

/// Binary cross-entropy on probabilities p ∈ [0, 1] against targets y ∈ [0, 1]:
/// L = −(1/n) Σ [y·ln p + (1 − y)·ln(1 − p)], n = every element; with ∂L/∂p.
///
/// As in PyTorch's `BCELoss`, each logarithm is clamped at −100 so that p = 0 or
/// p = 1 gives a large finite loss instead of infinity, and the gradient
/// (p − y) / (p(1 − p)) / n divides by at least 1e-12.
///
/// # Panics
/// If the shapes differ.
#[track_caller]
pub fn binary_cross_entropy(p: &Matrix, y: &Matrix) -> (f32, Matrix) {
    check_same_shape("binary_cross_entropy", p, y);
    let n = p.len() as f32;
    let loss = p.zip_fold(y, 0.0, |acc, p, y| {
        acc - (y * p.ln().max(-100.0) + (1.0 - y) * (1.0 - p).ln().max(-100.0))
    }) / n;
    // ANCHOR: bce_gradient
    // d/dp −[y ln p + (1 − y) ln(1 − p)] = −y/p + (1 − y)/(1 − p) = (p − y)/(p(1 − p))
    let grad = p.zip_map(y, |p, y| (p - y) / (p * (1.0 - p)).max(1e-12) / n);
    // ANCHOR_END: bce_gradient
    (loss, grad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bce_by_hand() {
        // p = 0.8, y = 1: L = −ln 0.8 = 0.223144; ∂L/∂p = −0.2/0.16 = −1.25.
        let (l, g) = binary_cross_entropy(
            &Matrix::from_element(1, 1, 0.8),
            &Matrix::from_element(1, 1, 1.0),
        );
        assert!((l - 0.223_144).abs() < 1e-6);
        assert!((g[0] + 1.25).abs() < 1e-5);
        // Confidently wrong: −ln 0 is clamped to 100, not infinite.
        let (l, g) = binary_cross_entropy(
            &Matrix::from_element(1, 1, 0.0),
            &Matrix::from_element(1, 1, 1.0),
        );
        assert_eq!(l, 100.0);
        assert!(g[0].is_finite());
    }
}
