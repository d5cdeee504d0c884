//! `mse_loss_derivative` answered by the library.

use nalgebra::DMatrix;

/// ∂L/∂ŷ = 2(ŷ − y)/n, by calling the library.
pub fn mse_loss_derivative(
    prediction: &DMatrix<f32>,
    target: &DMatrix<f32>,
) -> DMatrix<f32> {
    losses::mse_derivative(prediction, target)
}
