//! Graders for `exercises/conv/`.

use crate::cases::{calls, fail_with_hint, labelled, same_shape, tensor};
use crate::messages::{fill, tr, Msg};
use crate::{call, check, compare, compare_gradient, Exercise, Section, Source};
use backprop::gradcheck::numerical_gradient;
use conv::{reference, Conv2d, ConvGrads, MaxPool, Pooled, Tensor};
use proptest::prelude::*;

/// The student's convolution and pooling.
#[derive(Clone, Copy)]
pub struct Answers {
    /// y = conv(x, w) + b: (input, weight, bias, stride and padding) → output.
    pub conv2d_forward: fn(&Tensor, &Tensor, Option<&[f32]>, Conv2d) -> Tensor,
    /// (input, weight, ∂L/∂y, spec) → ∂L/∂x, ∂L/∂w, ∂L/∂b.
    pub conv2d_backward: fn(&Tensor, &Tensor, &Tensor, Conv2d) -> ConvGrads,
    /// The window maxima and where they came from.
    pub max_pool_forward: fn(&Tensor, MaxPool) -> Pooled,
    /// (∂L/∂y, argmax, input shape) → ∂L/∂x.
    pub max_pool_backward: fn(&Tensor, &[usize], [usize; 4]) -> Tensor,
    /// Where this copy's files are, for the library-call scan.
    pub source: Source,
}

/// A convolution case: input, weight, bias (or none), spec, upstream gradient.
#[derive(Clone, Debug)]
pub struct ConvCase {
    input: Tensor,
    weight: Tensor,
    bias: Option<Vec<f32>>,
    spec: Conv2d,
    grad_output: Tensor,
}

/// `conv2d_forward`'s arguments.
fn show_forward(c: &ConvCase) -> String {
    labelled(&[
        ("input", &c.input),
        ("weight", &c.weight),
        ("bias", &c.bias.as_deref()),
        ("spec", &c.spec),
    ])
}

/// `conv2d_backward`'s arguments.
fn show_backward(c: &ConvCase) -> String {
    labelled(&[
        ("input", &c.input),
        ("weight", &c.weight),
        ("grad_output", &c.grad_output),
        ("spec", &c.spec),
    ])
}

/// Convolutions with stride 1–3, padding 0–3, kernels 1–3 that need not be
/// square, small images that need not be square, with a bias or without one
/// (the course's convolutions before a batch norm have `bias=False`).
fn conv_case() -> impl Strategy<Value = ConvCase> {
    (
        (1usize..3, 1usize..3, 1usize..3),
        (1usize..4, 1usize..4),
        (1usize..4, 0usize..4),
        (2usize..6, 2usize..6),
        any::<bool>(),
    )
        .prop_filter("kernel fits", |&(_, (kh, kw), (_, p), (h, w), _)| {
            kh <= h + 2 * p && kw <= w + 2 * p
        })
        .prop_flat_map(|((n, c, o), (kh, kw), (s, p), (h, w), has_bias)| {
            let spec = Conv2d {
                stride: s,
                padding: p,
            };
            let out = spec.output_shape([n, c, h, w], [o, c, kh, kw]);
            let bias = if has_bias {
                proptest::collection::vec(-1.0f32..1.0, o)
                    .prop_map(Some)
                    .boxed()
            } else {
                Just(None).boxed()
            };
            (
                tensor([n, c, h, w], -1.0..1.0),
                tensor([o, c, kh, kw], -1.0..1.0),
                bias,
                tensor(out, -1.0..1.0),
            )
                .prop_map(move |(input, weight, bias, grad_output)| {
                    ConvCase {
                        input,
                        weight,
                        bias,
                        spec,
                        grad_output,
                    }
                })
        })
}

fn f64s(v: &[f32]) -> Vec<f64> {
    v.iter().map(|&x| f64::from(x)).collect()
}

/// Σ conv(x, w, b) ⊙ G in f64, straight from the formula.
fn conv_loss(c: &ConvCase, x: &[f64], w: &[f64], b: &[f64]) -> f64 {
    let [n, ci, h, wd] = c.input.shape();
    let [o, _, kh, kw] = c.weight.shape();
    let [_, _, oh, ow] = c.spec.output_shape(c.input.shape(), c.weight.shape());
    let (s, p) = (c.spec.stride as isize, c.spec.padding as isize);
    let g = c.grad_output.data();
    let mut total = 0.0;
    for ni in 0..n {
        for oi in 0..o {
            for i in 0..oh {
                for j in 0..ow {
                    let mut y = b.get(oi).copied().unwrap_or(0.0);
                    for cc in 0..ci {
                        for u in 0..kh {
                            for v in 0..kw {
                                let yy = i as isize * s + u as isize - p;
                                let xx = j as isize * s + v as isize - p;
                                if yy >= 0
                                    && xx >= 0
                                    && (yy as usize) < h
                                    && (xx as usize) < wd
                                {
                                    y += x[((ni * ci + cc) * h + yy as usize) * wd
                                        + xx as usize]
                                        * w[((oi * ci + cc) * kh + u) * kw + v];
                                }
                            }
                        }
                    }
                    total += y * f64::from(g[((ni * o + oi) * oh + i) * ow + j]);
                }
            }
        }
    }
    total
}

/// Pooling inputs, half of them small integers so that windows hold ties.
fn pool_case() -> impl Strategy<Value = (Tensor, MaxPool)> {
    (
        1usize..3,
        1usize..3,
        2usize..7,
        2usize..7,
        1usize..4,
        1usize..4,
        any::<bool>(),
    )
        .prop_filter("window fits", |&(_, _, h, w, k, _, _)| k <= h && k <= w)
        .prop_flat_map(|(n, c, h, w, kernel, stride, ties)| {
            let values = tensor([n, c, h, w], -1.0..1.0);
            let data = if ties {
                values
                    .prop_map(|t| {
                        Tensor::from_vec(
                            t.shape(),
                            t.data().iter().map(|v| (v * 2.0).round()).collect(),
                        )
                    })
                    .boxed()
            } else {
                values.boxed()
            };
            (data, Just(MaxPool { kernel, stride }))
        })
}

/// The section's exercises.
pub fn exercises(a: Answers) -> Section {
    let s = a.source;
    Section {
        name: "conv",
        exercises: vec![
            Exercise::new("conv2d_forward", "conv/forward.rs", move || {
                check(128, calls(conv_case(), show_forward), move |case| {
                    let c = case.args;
                    let bias = c.bias.as_deref();
                    let expected =
                        reference::conv2d_forward(&c.input, &c.weight, bias, c.spec);
                    let shapes = tr(Msg::HintConvShapes);
                    let actual = call(shapes, || {
                        (a.conv2d_forward)(&c.input, &c.weight, bias, c.spec)
                    })?;
                    same_shape(
                        "y",
                        expected.shape(),
                        actual.shape(),
                        tr(Msg::HintConvOutputSide),
                    )?;
                    compare(
                        "y",
                        &f64s(expected.data()),
                        &f64s(actual.data()),
                        1e-4,
                        tr(Msg::HintConvForward),
                    )
                })
            })
            .forbid_library(
                s,
                &["conv::conv2d_forward", "conv::direct", "cnn::Conv2dLayer"],
            ),
            Exercise::new("conv2d_backward", "conv/backward.rs", move || {
                // Relative error 1e-3 against f64 central differences of the
                // convolution (h = 1e-6); f32 sums of ≤ 36 products round near 1e-6.
                check(128, calls(conv_case(), show_backward), move |case| {
                    let c = case.args;
                    let shapes = tr(Msg::HintConvShapes);
                    let grads = call(shapes, || {
                        (a.conv2d_backward)(
                            &c.input,
                            &c.weight,
                            &c.grad_output,
                            c.spec,
                        )
                    })?;
                    // The gradient of the bias is asked for even when the layer
                    // has none; the loss below then has one, of zeros.
                    let o = c.weight.shape()[0];
                    let zeros = vec![0.0; o];
                    let (x, w, b) = (
                        f64s(c.input.data()),
                        f64s(c.weight.data()),
                        f64s(c.bias.as_deref().unwrap_or(&zeros)),
                    );
                    same_shape(
                        tr(Msg::GradInput),
                        c.input.shape(),
                        grads.input.shape(),
                        tr(Msg::HintInputShape),
                    )?;
                    same_shape(
                        tr(Msg::GradWeight),
                        c.weight.shape(),
                        grads.weight.shape(),
                        tr(Msg::HintWeightShape),
                    )?;
                    let dx =
                        numerical_gradient(|v| conv_loss(&c, v, &w, &b), &x, 1e-6);
                    let dw =
                        numerical_gradient(|v| conv_loss(&c, &x, v, &b), &w, 1e-6);
                    let db =
                        numerical_gradient(|v| conv_loss(&c, &x, &w, v), &b, 1e-6);
                    compare_gradient(
                        tr(Msg::GradInput),
                        &dx,
                        &f64s(grads.input.data()),
                        1e-3,
                        tr(Msg::HintConvGradInput),
                    )?;
                    compare_gradient(
                        tr(Msg::GradWeight),
                        &dw,
                        &f64s(grads.weight.data()),
                        1e-3,
                        tr(Msg::HintConvGradWeight),
                    )?;
                    compare_gradient(
                        tr(Msg::GradBias),
                        &db,
                        &f64s(&grads.bias),
                        1e-3,
                        tr(Msg::HintConvGradBias),
                    )
                })
            })
            .forbid_library(
                s,
                &[
                    "conv::conv2d_backward",
                    "conv::conv2d_backward_params",
                    "conv::direct",
                    "cnn::Conv2dLayer",
                ],
            ),
            Exercise::new("max_pool_forward", "conv/pool.rs", move || {
                let show = |c: &(Tensor, MaxPool)| {
                    labelled(&[("input", &c.0), ("pool", &c.1)])
                };
                check(128, calls(pool_case(), show), move |case| {
                    let (input, pool) = case.args;
                    let expected = reference::max_pool_forward(&input, pool);
                    let shapes = tr(Msg::HintPoolOutputSide);
                    let actual =
                        call(shapes, || (a.max_pool_forward)(&input, pool))?;
                    same_shape(
                        tr(Msg::Output),
                        expected.output.shape(),
                        actual.output.shape(),
                        shapes,
                    )?;
                    compare(
                        tr(Msg::Output),
                        &f64s(expected.output.data()),
                        &f64s(actual.output.data()),
                        0.0,
                        tr(Msg::HintPoolForward),
                    )?;
                    if expected.argmax != actual.argmax {
                        let argmax = fill(
                            tr(Msg::Argmax),
                            &[
                                ("expected", &format!("{:?}", expected.argmax)),
                                ("actual", &format!("{:?}", actual.argmax)),
                            ],
                        );
                        // An index outside its own window is a misplaced window,
                        // not a tie resolved the wrong way.
                        let hint = if in_windows(&input, pool, &actual.argmax) {
                            Msg::HintArgmax
                        } else {
                            Msg::HintPoolForward
                        };
                        return Err(fail_with_hint(&argmax, tr(hint)));
                    }
                    Ok(())
                })
            })
            .forbid_library(s, &["conv::max_pool_forward"]),
            Exercise::new("max_pool_backward", "conv/pool.rs", move || {
                // The upstream gradient is fixed by the output's shape, so the
                // case is the pooling and its input (from which argmax comes).
                let show = |c: &(Tensor, MaxPool)| {
                    let forward = reference::max_pool_forward(&c.0, c.1);
                    let g = pool_gradient(forward.output.shape());
                    labelled(&[
                        ("grad_output", &g),
                        ("argmax", &forward.argmax),
                        ("input_shape", &c.0.shape()),
                    ])
                };
                check(128, calls(pool_case(), show), move |case| {
                    let (input, pool) = case.args;
                    let forward = reference::max_pool_forward(&input, pool);
                    let g = pool_gradient(forward.output.shape());
                    let expected = reference::max_pool_backward(
                        &g,
                        &forward.argmax,
                        input.shape(),
                    );
                    let actual = call(tr(Msg::HintInputShape), || {
                        (a.max_pool_backward)(&g, &forward.argmax, input.shape())
                    })?;
                    same_shape(
                        tr(Msg::GradInput),
                        input.shape(),
                        actual.shape(),
                        tr(Msg::HintInputShape),
                    )?;
                    compare(
                        tr(Msg::GradInput),
                        &f64s(expected.data()),
                        &f64s(actual.data()),
                        1e-6,
                        tr(Msg::HintPoolBackward),
                    )
                })
            })
            .forbid_library(s, &["conv::max_pool_backward"]),
        ],
    }
}

/// Whether each of `argmax` (one per output, in order) is an index inside
/// that output's window.
fn in_windows(input: &Tensor, pool: MaxPool, argmax: &[usize]) -> bool {
    let [n, c, oh, ow] = pool.output_shape(input.shape());
    let [_, _, h, w] = input.shape();
    let outputs = (0..n).flat_map(|b| {
        (0..c).flat_map(move |ch| {
            (0..oh).flat_map(move |i| (0..ow).map(move |j| (b, ch, i, j)))
        })
    });
    argmax.len() == n * c * oh * ow
        && outputs.zip(argmax).all(|((b, ch, i, j), &k)| {
            let (plane, y, x) = (k / (h * w), k / w % h, k % w);
            plane == b * c + ch
                && (i * pool.stride..i * pool.stride + pool.kernel).contains(&y)
                && (j * pool.stride..j * pool.stride + pool.kernel).contains(&x)
        })
}

/// The upstream gradient of a pooling: distinct values, so that every
/// misplaced or lost one shows.
fn pool_gradient(shape: [usize; 4]) -> Tensor {
    Tensor::from_fn(shape, |n, c, i, j| {
        1.0 + (n + 2 * c + 3 * i + 5 * j) as f32 * 0.25
    })
}
