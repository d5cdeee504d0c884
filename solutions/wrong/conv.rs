//! Wrong convolutions and poolings.

use super::WrongAnswer;
use conv::{Conv2d, ConvGrads, MaxPool, Pooled, Tensor};
use grader::conv::Answers;

fn padding_off_by_one(
    input: &Tensor,
    weight: &Tensor,
    bias: Option<&[f32]>,
    spec: Conv2d,
) -> Tensor {
    // Pads one pixel less on the top and left (reads x[i·s + u − p + 1]).
    let [_, c_in, h, w] = input.shape();
    let [_, _, k_h, k_w] = weight.shape();
    let (s, p) = (spec.stride as isize, spec.padding as isize - 1);
    Tensor::from_fn(
        spec.output_shape(input.shape(), weight.shape()),
        |n, o, i, j| {
            let mut sum = bias.map_or(0.0, |b| b[o]);
            for c in 0..c_in {
                for u in 0..k_h {
                    for v in 0..k_w {
                        let (y, x) = (
                            i as isize * s + u as isize - p,
                            j as isize * s + v as isize - p,
                        );
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

/// The solved backward with one change, chosen by `mistake`.
fn backward(
    input: &Tensor,
    weight: &Tensor,
    grad_output: &Tensor,
    spec: Conv2d,
    mistake: &str,
) -> ConvGrads {
    let [n_batch, c_out, out_h, out_w] = grad_output.shape();
    let [_, c_in, h, w] = input.shape();
    let [_, _, k_h, k_w] = weight.shape();
    let p = spec.padding as isize;
    // "stride ignored": indexes as if the stride were 1.
    let s = if mistake == "stride ignored" {
        1
    } else {
        spec.stride as isize
    };
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
                    if mistake != "bias forgotten" {
                        grads.bias[o] += g;
                    }
                    for c in 0..c_in {
                        for u in 0..k_h {
                            for v in 0..k_w {
                                let (y, x) = (
                                    i as isize * s + u as isize - p,
                                    j as isize * s + v as isize - p,
                                );
                                if y < 0
                                    || x < 0
                                    || y as usize >= h
                                    || x as usize >= w
                                {
                                    continue;
                                }
                                let (y, x) = (y as usize, x as usize);
                                // "kernel flipped": the tap (K−1−u, K−1−v) instead of (u, v).
                                let tap = if mistake == "kernel flipped" {
                                    weight.at(o, c, k_h - 1 - u, k_w - 1 - v)
                                } else {
                                    weight.at(o, c, u, v)
                                };
                                let xi = grads.input.index(n, c, y, x);
                                grads.input.data_mut()[xi] += g * tap;
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

fn pool_last_of_ties(input: &Tensor, pool: MaxPool) -> Pooled {
    let mut argmax = Vec::new();
    let output = Tensor::from_fn(pool.output_shape(input.shape()), |n, c, i, j| {
        let mut best = input.index(n, c, i * pool.stride, j * pool.stride);
        for u in 0..pool.kernel {
            for v in 0..pool.kernel {
                let k = input.index(n, c, i * pool.stride + u, j * pool.stride + v);
                if input.data()[k] >= input.data()[best] {
                    best = k;
                }
            }
        }
        argmax.push(best);
        input.data()[best]
    });
    Pooled { output, argmax }
}

fn pool_backward_overwrites(
    grad_output: &Tensor,
    argmax: &[usize],
    input_shape: [usize; 4],
) -> Tensor {
    let mut dx = Tensor::zeros(input_shape);
    for (&g, &k) in grad_output.data().iter().zip(argmax) {
        dx.data_mut()[k] = g; // loses the sum where windows overlap
    }
    dx
}

/// The solved forward pass with one change, chosen by `mistake`.
fn forward(
    input: &Tensor,
    weight: &Tensor,
    bias: Option<&[f32]>,
    spec: Conv2d,
    mistake: &str,
) -> Tensor {
    let [_, c_in, h, w] = input.shape();
    let [_, _, k_h, k_w] = weight.shape();
    // "square kernel": K_w taken to be K_h.
    let k_w = if mistake == "square kernel" { k_h } else { k_w };
    let s = if mistake == "stride 1" {
        1
    } else {
        spec.stride as isize
    };
    let p = if mistake == "padding 1" {
        1
    } else {
        spec.padding as isize
    };
    Tensor::from_fn(
        spec.output_shape(input.shape(), weight.shape()),
        |n, o, i, j| {
            let mut sum = if mistake == "bias assumed" {
                bias.unwrap()[o]
            } else {
                bias.map_or(0.0, |b| b[o])
            };
            for c in 0..c_in {
                for u in 0..k_h {
                    for v in 0..k_w {
                        let (y, x) = (
                            i as isize * s + u as isize - p,
                            j as isize * s + v as isize - p,
                        );
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

fn forward_in_usize(
    input: &Tensor,
    weight: &Tensor,
    bias: Option<&[f32]>,
    spec: Conv2d,
) -> Tensor {
    // i·s + u − p in usize: below zero at the top and left padding.
    let [_, c_in, h, w] = input.shape();
    let [_, _, k_h, k_w] = weight.shape();
    Tensor::from_fn(
        spec.output_shape(input.shape(), weight.shape()),
        |n, o, i, j| {
            let mut sum = bias.map_or(0.0, |b| b[o]);
            for c in 0..c_in {
                for u in 0..k_h {
                    for v in 0..k_w {
                        let y = i * spec.stride + u - spec.padding;
                        let x = j * spec.stride + v - spec.padding;
                        if y < h && x < w {
                            sum += input.at(n, c, y, x) * weight.at(o, c, u, v);
                        }
                    }
                }
            }
            sum
        },
    )
}

fn pool_windows_a_kernel_apart(input: &Tensor, pool: MaxPool) -> Pooled {
    // Windows placed `kernel` apart, as if the stride were always the kernel.
    let mut argmax = Vec::new();
    let output = Tensor::from_fn(pool.output_shape(input.shape()), |n, c, i, j| {
        let (top, left) = (i * pool.kernel, j * pool.kernel);
        let [_, _, h, w] = input.shape();
        let mut best = input.index(n, c, top.min(h - 1), left.min(w - 1));
        for u in 0..pool.kernel {
            for v in 0..pool.kernel {
                if top + u < h && left + v < w {
                    let k = input.index(n, c, top + u, left + v);
                    if input.data()[k] > input.data()[best] {
                        best = k;
                    }
                }
            }
        }
        argmax.push(best);
        input.data()[best]
    });
    Pooled { output, argmax }
}

/// The kept wrong answers of this section.
pub fn answers() -> Vec<WrongAnswer<Answers>> {
    let ok = crate::conv::answers;
    vec![
        WrongAnswer {
            exercise: "conv2d_forward",
            mistake: "padding off by one",
            report_mentions: "padding",
            answers: Answers { conv2d_forward: padding_off_by_one, ..ok() },
        },
        WrongAnswer {
            exercise: "conv2d_backward",
            mistake: "the kernel flipped in ∂L/∂x (as if the forward pass were a true convolution)",
            report_mentions: "no extra flip",
            answers: Answers { conv2d_backward: |x, w, g, s| backward(x, w, g, s, "kernel flipped"), ..ok() },
        },
        WrongAnswer {
            exercise: "conv2d_backward",
            mistake: "the stride ignored in the backward pass",
            report_mentions: "i·s+u−p",
            answers: Answers { conv2d_backward: |x, w, g, s| backward(x, w, g, s, "stride ignored"), ..ok() },
        },
        WrongAnswer {
            exercise: "conv2d_backward",
            mistake: "the bias gradient forgotten",
            report_mentions: "grad bias",
            answers: Answers { conv2d_backward: |x, w, g, s| backward(x, w, g, s, "bias forgotten"), ..ok() },
        },
        WrongAnswer {
            exercise: "max_pool_forward",
            mistake: "ties keep the last maximum",
            report_mentions: "first maximum",
            answers: Answers { max_pool_forward: pool_last_of_ties, ..ok() },
        },
        WrongAnswer {
            exercise: "max_pool_backward",
            mistake: "= instead of += where windows overlap",
            report_mentions: "+=",
            answers: Answers { max_pool_backward: pool_backward_overwrites, ..ok() },
        },
        WrongAnswer {
            exercise: "conv2d_forward",
            mistake: "assumes a bias (bias.unwrap()): the course's convolutions before batch norm have none",
            report_mentions: "an Option was None",
            answers: Answers { conv2d_forward: |x, w, b, s| forward(x, w, b, s, "bias assumed"), ..ok() },
        },
        WrongAnswer {
            exercise: "conv2d_forward",
            mistake: "assumes a square kernel (K_w = K_h)",
            report_mentions: "kernels need not be square",
            answers: Answers { conv2d_forward: |x, w, b, s| forward(x, w, b, s, "square kernel"), ..ok() },
        },
        WrongAnswer {
            exercise: "conv2d_forward",
            mistake: "stride 1 written in (the course's convolutions all have it)",
            report_mentions: "x[n,c,i·s+u−p, j·s+v−p]",
            answers: Answers { conv2d_forward: |x, w, b, s| forward(x, w, b, s, "stride 1"), ..ok() },
        },
        WrongAnswer {
            exercise: "conv2d_forward",
            mistake: "padding 1 written in (Conv2d::SAME_3X3's)",
            report_mentions: "x[n,c,i·s+u−p, j·s+v−p]",
            answers: Answers { conv2d_forward: |x, w, b, s| forward(x, w, b, s, "padding 1"), ..ok() },
        },
        WrongAnswer {
            exercise: "conv2d_forward",
            mistake: "index arithmetic in usize: i·s + u − p below zero in the padding",
            report_mentions: "as isize",
            answers: Answers { conv2d_forward: forward_in_usize, ..ok() },
        },
        WrongAnswer {
            exercise: "conv2d_forward",
            mistake: "calls the library's reference convolution",
            report_mentions: "calls `conv::conv2d_forward`",
            answers: Answers {
                conv2d_forward: super::library::conv::forward::conv2d_forward,
                source: super::library::SOURCE,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "max_pool_forward",
            mistake: "windows a kernel apart, the stride ignored",
            report_mentions: "windows stride apart",
            answers: Answers { max_pool_forward: pool_windows_a_kernel_apart, ..ok() },
        },
    ]
}
