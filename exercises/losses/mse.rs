//! Mean squared error, the sine hands-on's loss.

use nalgebra::DMatrix;

/// L = (1/n) Σ (ŷ − y)², n = the number of elements.
///
/// # Shapes
/// `prediction` and `target` have the same shape.
pub fn mse_loss(prediction: &DMatrix<f32>, target: &DMatrix<f32>) -> f32 {
    // TODO: (prediction - target) is the matrix of differences; .map(|d| d * d).sum() adds their squares; divide by prediction.len() as f32.
    todo!()
}

/// ∂L/∂ŷ = 2(ŷ − y)/n, the course's `mse_loss_derivative`.
pub fn mse_loss_derivative(
    prediction: &DMatrix<f32>,
    target: &DMatrix<f32>,
) -> DMatrix<f32> {
    // TODO: return (prediction - target) times the f32 2.0 / n, with n = prediction.len() as f32 (a matrix times an f32, not a usize).
    todo!()
}
