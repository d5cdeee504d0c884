//! Mean squared error, the sine hands-on's loss.

use nalgebra::DMatrix;

/// L = (1/n) Σ (ŷ − y)², n = the number of elements.
///
/// # Shapes
/// `prediction` and `target` have the same shape.
pub fn mse_loss(prediction: &DMatrix<f32>, target: &DMatrix<f32>) -> f32 {
    let n = prediction.len() as f32;
    (prediction - target).map(|d| d * d).sum() / n
}

/// ∂L/∂ŷ = 2(ŷ − y)/n, the course's `mse_loss_derivative`.
pub fn mse_loss_derivative(
    prediction: &DMatrix<f32>,
    target: &DMatrix<f32>,
) -> DMatrix<f32> {
    (prediction - target) * (2.0 / prediction.len() as f32)
}
