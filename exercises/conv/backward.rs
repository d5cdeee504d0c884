//! A convolution layer's backward pass.

use conv::{Conv2d, ConvGrads, Tensor};

/// Given g = ∂L/∂y, the gradients of the convolution in [`super::forward`]:
/// for every output (n, o, i, j) and every tap (c, u, v) that reads a pixel inside
/// the image, x[n, c, y, x] with y = i·s + u − p and x = j·s + v − p:
///
/// ∂L/∂x[n, c, y, x] += g·w[o, c, u, v];  ∂L/∂w[o, c, u, v] += g·x[n, c, y, x];
/// and `∂L/∂b[o] += g` for every output.
///
/// # Shapes
/// Each gradient has the shape of what it differentiates; `bias` has O values.
// The loops index by (n, o, i, j, c, u, v) to mirror the formula.
#[allow(clippy::needless_range_loop)]
pub fn conv2d_backward(
    input: &Tensor,
    weight: &Tensor,
    grad_output: &Tensor,
    spec: Conv2d,
) -> ConvGrads {
    // TODO: start from Tensor::zeros(input.shape()), Tensor::zeros(weight.shape()) and vec![0.0; weight.shape()[0]]; loop as in the forward pass; to add into a tensor take the flat index first, let k = dx.index(n, c, y, x); then dx.data_mut()[k] += …; return ConvGrads { input, weight, bias }.
    todo!()
}
