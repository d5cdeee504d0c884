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
    let [n_batch, c_out, out_h, out_w] = grad_output.shape();
    let [_, c_in, h, w] = input.shape();
    let [_, _, k_h, k_w] = weight.shape();
    let (s, p) = (spec.stride as isize, spec.padding as isize);
    let mut dx = Tensor::zeros(input.shape());
    let mut dw = Tensor::zeros(weight.shape());
    let mut db = vec![0.0; c_out];
    for n in 0..n_batch {
        for o in 0..c_out {
            for i in 0..out_h {
                for j in 0..out_w {
                    let g = grad_output.at(n, o, i, j);
                    db[o] += g;
                    for c in 0..c_in {
                        for u in 0..k_h {
                            for v in 0..k_w {
                                let y = i as isize * s + u as isize - p;
                                let x = j as isize * s + v as isize - p;
                                if y >= 0
                                    && x >= 0
                                    && (y as usize) < h
                                    && (x as usize) < w
                                {
                                    let (y, x) = (y as usize, x as usize);
                                    let xi = dx.index(n, c, y, x);
                                    dx.data_mut()[xi] += g * weight.at(o, c, u, v);
                                    let wi = dw.index(o, c, u, v);
                                    dw.data_mut()[wi] += g * input.at(n, c, y, x);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    ConvGrads {
        input: dx,
        weight: dw,
        bias: db,
    }
}
