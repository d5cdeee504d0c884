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
    let [_, c_in, h, w] = input.shape();
    let [_, _, k_h, k_w] = weight.shape();
    let (s, p) = (spec.stride as isize, spec.padding as isize);
    Tensor::from_fn(
        spec.output_shape(input.shape(), weight.shape()),
        |n, o, i, j| {
            let mut sum = bias.map_or(0.0, |b| b[o]);
            for c in 0..c_in {
                for u in 0..k_h {
                    for v in 0..k_w {
                        let y = i as isize * s + u as isize - p;
                        let x = j as isize * s + v as isize - p;
                        if y >= 0 && x >= 0 && (y as usize) < h && (x as usize) < w {
                            sum += input.at(n, c, y as usize, x as usize)
                                * weight.at(o, c, u, v);
                        }
                    }
                }
            }
            sum
        },
    )
}
