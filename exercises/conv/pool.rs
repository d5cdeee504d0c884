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
    // TODO: for each output, scan its window; replace the best index only when a value is strictly greater.
    todo!()
}

/// ∂L/∂x: each output's gradient added to the input at its `argmax` index; all
/// other inputs get 0.
pub fn max_pool_backward(
    grad_output: &Tensor,
    argmax: &[usize],
    input_shape: [usize; 4],
) -> Tensor {
    // TODO: a zero tensor of input_shape, then data_mut()[argmax[k]] += grad_output.data()[k] for every k.
    todo!()
}
