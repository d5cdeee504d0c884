//! The reference path: every output computed by direct loops, as the formula reads.
//!
//! Slow (no reuse, no vectors, one core) and meant to be read; [`crate::fast`] must
//! agree with it.

use crate::{
    check_conv, check_grad_output, Conv2d, ConvGrads, MaxPool, Pooled, Tensor,
};

/// The input pixel that kernel tap `k` of output `o` reads, or `None` in the
/// padding: o·s + k − p.
#[inline]
fn source(o: usize, k: usize, spec: Conv2d, size: usize) -> Option<usize> {
    (o * spec.stride + k)
        .checked_sub(spec.padding)
        .filter(|&i| i < size)
}

/// `y[n, o, i, j] = b[o] + Σ_c Σ_u Σ_v x[n, c, i·s + u − p, j·s + v − p] · w[o, c, u, v]`.
///
/// # Panics
/// If the shapes do not fit (see [`Conv2d::output_shape`]).
// ANCHOR: conv2d_forward
#[track_caller]
pub fn conv2d_forward(
    input: &Tensor,
    weight: &Tensor,
    bias: Option<&[f32]>,
    spec: Conv2d,
) -> Tensor {
    let [n_batch, c_out, out_h, out_w] = check_conv(input, weight, bias, spec);
    let [_, c_in, in_h, in_w] = input.shape();
    let [_, _, k_h, k_w] = weight.shape();
    Tensor::from_fn([n_batch, c_out, out_h, out_w], |n, o, i, j| {
        let mut sum = bias.map_or(0.0, |b| b[o]);
        for c in 0..c_in {
            for u in 0..k_h {
                let Some(y) = source(i, u, spec, in_h) else {
                    continue;
                };
                for v in 0..k_w {
                    let Some(x) = source(j, v, spec, in_w) else {
                        continue;
                    };
                    sum += input.at(n, c, y, x) * weight.at(o, c, u, v);
                }
            }
        }
        sum
    })
}
// ANCHOR_END: conv2d_forward

/// The gradients of [`conv2d_forward`] given ∂L/∂y. Each output y[n, o, i, j]
/// received x[n, c, y, x]·w[o, c, u, v] from every tap, so its gradient g flows
/// back along the same taps:
/// ∂L/∂x[n, c, y, x] += g·w[o, c, u, v], ∂L/∂w[o, c, u, v] += g·x[n, c, y, x],
/// `∂L/∂b[o] += g`. (Gathered per input pixel instead, the first sum is a
/// convolution of g with the kernel flipped.)
///
/// # Panics
/// If the shapes do not fit.
// ANCHOR: conv2d_backward
#[track_caller]
pub fn conv2d_backward(
    input: &Tensor,
    weight: &Tensor,
    grad_output: &Tensor,
    spec: Conv2d,
) -> ConvGrads {
    check_grad_output(input, weight, grad_output, spec);
    let [n_batch, c_out, out_h, out_w] = grad_output.shape();
    let [_, c_in, in_h, in_w] = input.shape();
    let [_, _, k_h, k_w] = weight.shape();
    let mut grads = ConvGrads {
        input: Tensor::zeros(input.shape()),
        weight: Tensor::zeros(weight.shape()),
        bias: vec![0.0; c_out],
    };
    for n in 0..n_batch {
        for o in 0..c_out {
            for i in 0..out_h {
                for j in 0..out_w {
                    let g = grad_output.at(n, o, i, j);
                    grads.bias[o] += g;
                    for c in 0..c_in {
                        for u in 0..k_h {
                            let Some(y) = source(i, u, spec, in_h) else {
                                continue;
                            };
                            for v in 0..k_w {
                                let Some(x) = source(j, v, spec, in_w) else {
                                    continue;
                                };
                                let xi = grads.input.index(n, c, y, x);
                                grads.input.data_mut()[xi] +=
                                    g * weight.at(o, c, u, v);
                                let wi = grads.weight.index(o, c, u, v);
                                grads.weight.data_mut()[wi] +=
                                    g * input.at(n, c, y, x);
                            }
                        }
                    }
                }
            }
        }
    }
    grads
}
// ANCHOR_END: conv2d_backward

/// The maximum of each kernel × kernel window, stepping by the stride; ties pick
/// the first maximum scanning the window row by row.
///
/// # Panics
/// If the window does not fit the input.
// ANCHOR: max_pool_forward
#[track_caller]
pub fn max_pool_forward(input: &Tensor, pool: MaxPool) -> Pooled {
    let out_shape = pool.output_shape(input.shape());
    let mut argmax = Vec::with_capacity(out_shape.iter().product());
    let output = Tensor::from_fn(out_shape, |n, c, i, j| {
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
// ANCHOR_END: max_pool_forward

/// ∂L/∂x of a max-pooling: each output's gradient goes to the input that was the
/// maximum; every other input gets 0 (or the sum, where windows overlap).
///
/// # Panics
/// If `grad_output` and `argmax` differ in length or an index is outside the input.
// ANCHOR: max_pool_backward
#[track_caller]
pub fn max_pool_backward(
    grad_output: &Tensor,
    argmax: &[usize],
    input_shape: [usize; 4],
) -> Tensor {
    crate::check_pool_grad(grad_output, argmax);
    let mut grad_input = Tensor::zeros(input_shape);
    for (&g, &k) in grad_output.data().iter().zip(argmax) {
        grad_input.data_mut()[k] += g;
    }
    grad_input
}
// ANCHOR_END: max_pool_backward

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conv_by_hand() {
        // One 3×3 image 1..9, a 2×2 kernel [[1, 0], [0, −1]], no padding:
        // y[i, j] = x[i, j] − x[i+1, j+1] = −4 everywhere, plus bias 0.5.
        let x = Tensor::from_vec([1, 1, 3, 3], (1..=9).map(|v| v as f32).collect());
        let w = Tensor::from_vec([1, 1, 2, 2], vec![1.0, 0.0, 0.0, -1.0]);
        let spec = Conv2d {
            stride: 1,
            padding: 0,
        };
        let y = conv2d_forward(&x, &w, Some(&[0.5]), spec);
        assert_eq!(y.shape(), [1, 1, 2, 2]);
        assert_eq!(y.data(), &[-3.5; 4]);
        // With padding 1 the corner output sees only x[0,0] through w[1,1] = −1.
        let y = conv2d_forward(
            &x,
            &w,
            None,
            Conv2d {
                stride: 1,
                padding: 1,
            },
        );
        assert_eq!(y.shape(), [1, 1, 4, 4]);
        assert_eq!(y.at(0, 0, 0, 0), -1.0);
        // Stride 2 on the padded input: outputs at (0,0), (0,2), (2,0), (2,2).
        let y = conv2d_forward(
            &x,
            &w,
            None,
            Conv2d {
                stride: 2,
                padding: 1,
            },
        );
        assert_eq!(y.data(), &[-1.0, -3.0, -7.0, -4.0]);
        // Backward with g = 1 everywhere (no padding): ∂L/∂b = 4, ∂L/∂w[0,0] = 1+2+4+5.
        let g = Tensor::from_vec([1, 1, 2, 2], vec![1.0; 4]);
        let grads = conv2d_backward(&x, &w, &g, spec);
        assert_eq!(grads.bias, vec![4.0]);
        assert_eq!(grads.weight.data(), &[12.0, 16.0, 24.0, 28.0]);
        // x[1,1] is read by every output: through w[0,0] once... net 1 − 1 = 0.
        assert_eq!(grads.input.at(0, 0, 1, 1), 0.0);
        assert_eq!(grads.input.at(0, 0, 0, 0), 1.0);
        assert_eq!(grads.input.at(0, 0, 2, 2), -1.0);
    }

    #[test]
    fn pool_by_hand_and_ties() {
        let x = Tensor::from_vec(
            [1, 1, 2, 4],
            vec![1.0, 3.0, 5.0, 5.0, 2.0, 3.0, 0.0, 5.0],
        );
        let p = max_pool_forward(&x, MaxPool::HALVE);
        assert_eq!(p.output.data(), &[3.0, 5.0]);
        // 3 appears at index 1 and 5: the first in scan order wins; so does the 5 at 2.
        assert_eq!(p.argmax, vec![1, 2]);
        let g = max_pool_backward(
            &Tensor::from_vec([1, 1, 1, 2], vec![1.0, 2.0]),
            &p.argmax,
            x.shape(),
        );
        assert_eq!(g.data(), &[0.0, 1.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    #[should_panic(expected = "conv2d: input has 3 channels, weight expects 16")]
    fn channel_mismatch_names_both() {
        conv2d_forward(
            &Tensor::zeros([1, 3, 8, 8]),
            &Tensor::zeros([16, 16, 3, 3]),
            None,
            Conv2d::SAME_3X3,
        );
    }
}
