//! The backward pass of a dense layer z = x·W + b.

use backprop::DenseGrads;
use nalgebra::DMatrix;

/// Given ∂L/∂z (`grad_output`), the three gradients of z = x·W + b:
/// ∂L/∂x = grad_output·Wᵀ, ∂L/∂W = xᵀ·grad_output, ∂L/∂b = Σ rows of grad_output.
///
/// # Shapes
/// `x`: N × in; `w`: in × out; `grad_output`: N × out. Each gradient has the shape
/// of what it differentiates (x, W, or b: 1 × out).
pub fn dense_backward(
    x: &DMatrix<f32>,
    w: &DMatrix<f32>,
    grad_output: &DMatrix<f32>,
) -> DenseGrads {
    DenseGrads {
        grad_input: grad_output * w.transpose(),
        grad_weight: x.transpose() * grad_output,
        grad_bias: grad_output.row_sum(),
    }
}
