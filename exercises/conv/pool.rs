//! Max-pooling, forward and backward.

use conv::{MaxPool, Pooled, Tensor};

/// The maximum of each `pool.kernel` × `pool.kernel` window, windows
/// `pool.stride` apart, and for each the flat index (into `input.data()`) of the
/// input it came from. On ties keep the first maximum, scanning the window row by
/// row, left to right.
///
/// # Shapes
/// `input`: N × C × H × W; output: N × C × ((H − k)/s + 1) × ((W − k)/s + 1)
/// (`pool.output_shape(input.shape())`).
pub fn max_pool_forward(input: &Tensor, pool: MaxPool) -> Pooled {
    // TODO: let mut argmax = Vec::new(); Tensor::from_fn(pool.output_shape(input.shape()), |n, c, i, j| …) scans the window with input.index(n, c, i * pool.stride + u, j * pool.stride + v), keeps the first best (strict >) and pushes it to argmax; return Pooled { output, argmax }.
    todo!()
}

/// ∂L/∂x: each output's gradient added to the input at its `argmax` index; all
/// other inputs get 0.
pub fn max_pool_backward(
    grad_output: &Tensor,
    argmax: &[usize],
    input_shape: [usize; 4],
) -> Tensor {
    // TODO: let mut dx = Tensor::zeros(input_shape); then dx.data_mut()[argmax[k]] += grad_output.data()[k] for every k; return dx.
    todo!()
}
