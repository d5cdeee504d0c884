//! Binary cross-entropy on probabilities.

use nalgebra::DMatrix;

/// L = −(1/n) Σ [y·ln p + (1 − y)·ln(1 − p)], n = the number of elements.
///
/// # Shapes
/// `p` (probabilities in (0, 1)) and `y` (targets in [0, 1]) have the same shape.
pub fn binary_cross_entropy(p: &DMatrix<f32>, y: &DMatrix<f32>) -> f32 {
    // TODO: p.zip_fold(y, 0.0, |acc, p, y| …) walks both matrices (f32 has .ln()); negate and divide by p.len() as f32.
    todo!()
}

/// ∂L/∂p = (p − y) / (p(1 − p)) / n.
pub fn binary_cross_entropy_gradient(
    p: &DMatrix<f32>,
    y: &DMatrix<f32>,
) -> DMatrix<f32> {
    // TODO: p.zip_map(y, |p, y| …) builds the matrix of (p − y) / (p(1 − p)) / n, with n = p.len() as f32.
    todo!()
}
