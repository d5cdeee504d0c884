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
    let mut argmax = Vec::new();
    let output = Tensor::from_fn(pool.output_shape(input.shape()), |n, c, i, j| {
        let mut best = input.index(n, c, i * pool.stride, j * pool.stride);
        for u in 0..pool.kernel {
            for v in 0..pool.kernel {
                let k = input.index(n, c, i * pool.stride + u, j * pool.stride + v);
                if input.data()[k] > input.data()[best] {
                    best = k;
                }
            }
        }
        argmax.push(best);
        input.data()[best]
    });
    Pooled { output, argmax }
}

/// ∂L/∂x: each output's gradient added to the input at its `argmax` index; all
/// other inputs get 0.
pub fn max_pool_backward(
    grad_output: &Tensor,
    argmax: &[usize],
    input_shape: [usize; 4],
) -> Tensor {
    let mut dx = Tensor::zeros(input_shape);
    for (&g, &k) in grad_output.data().iter().zip(argmax) {
        dx.data_mut()[k] += g;
    }
    dx
}
