//! A convolution layer's forward pass, written as the formula reads.

use conv::{Conv2d, Tensor};

/// `y[n, o, i, j] = b[o] + Σ_c Σ_u Σ_v x[n, c, i·s + u − p, j·s + v − p] · w[o, c, u, v]`,
/// where s = `spec.stride`, p = `spec.padding`, and taps that land outside the
/// image (in the zero padding) add nothing.
///
/// # Shapes
/// `input`: N × C × H × W; `weight`: O × C × K_h × K_w; `bias`: O values;
/// output: N × O × ((H + 2p − K_h)/s + 1) × ((W + 2p − K_w)/s + 1).
/// `spec.output_shape(input.shape(), weight.shape())` computes it for you.
pub fn conv2d_forward(
    input: &Tensor,
    weight: &Tensor,
    bias: Option<&[f32]>,
    spec: Conv2d,
) -> Tensor {
    // TODO: Tensor::from_fn(output shape, |n, o, i, j| …) with bias.map_or(0.0, |b| b[o]) plus the sum; compute i·s + u − p as isize (a usize cannot go below 0) and skip taps outside 0..H and 0..W.
    todo!()
}
