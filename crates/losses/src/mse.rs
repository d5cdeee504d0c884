use crate::{check_same_shape, Matrix};

/// Mean squared error, L = (1/n) Σ (ŷ − y)², n = every element; with ∂L/∂ŷ.
///
/// # Panics
/// If `prediction` and `target` differ in shape.
#[track_caller]
pub fn mse(prediction: &Matrix, target: &Matrix) -> (f32, Matrix) {
    check_same_shape("mse", prediction, target);
    let n = prediction.len() as f32;
    let loss =
        prediction.zip_fold(target, 0.0, |acc, p, t| acc + (p - t) * (p - t)) / n;
    (loss, mse_derivative(prediction, target))
}

/// ∂L/∂ŷ = 2(ŷ − y)/n, the course's `mse_loss_derivative`.
///
/// # Panics
/// If `prediction` and `target` differ in shape.
// ANCHOR: mse_derivative
#[track_caller]
pub fn mse_derivative(prediction: &Matrix, target: &Matrix) -> Matrix {
    check_same_shape("mse_derivative", prediction, target);
    let n = prediction.len() as f32;
    // d/dŷᵢ (1/n) Σ (ŷ − y)² = 2(ŷᵢ − yᵢ)/n
    (prediction - target) * (2.0 / n)
}
// ANCHOR_END: mse_derivative

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mse_by_hand() {
        // ŷ = [1 2], y = [0 4]: L = (1 + 4)/2 = 2.5; ∂L/∂ŷ = 2·[1 −2]/2 = [1 −2].
        let (l, g) = mse(
            &Matrix::from_row_slice(1, 2, &[1.0, 2.0]),
            &Matrix::from_row_slice(1, 2, &[0.0, 4.0]),
        );
        assert_eq!(l, 2.5);
        assert_eq!(g.as_slice(), &[1.0, -2.0]);
    }
}
