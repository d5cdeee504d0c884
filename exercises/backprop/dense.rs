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
    // TODO: DenseGrads { grad_input, grad_weight, grad_bias } from the formulas above; nalgebra multiplies with a * b (&a * &b to borrow), transposes with .transpose() and sums the rows into 1 × out with .row_sum().
    todo!()
}
