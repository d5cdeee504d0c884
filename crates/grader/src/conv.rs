//! Graders for `exercises/conv/`.

use crate::cases::{fail_with_hint, shape_mismatch};
use crate::messages::{fill, tr, Msg};
use crate::{check, compare, compare_gradient, Exercise, Section, TestCaseError};
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
}

/// A convolution case: input, weight, bias, spec, upstream gradient.
#[derive(Clone)]
pub struct ConvCase {
    input: Tensor,
    weight: Tensor,
    bias: Vec<f32>,
    spec: Conv2d,
    grad_output: Tensor,
}

impl std::fmt::Debug for ConvCase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = fill(
            tr(Msg::ConvCase),
            &[
                ("input_shape", &format!("{:?}", self.input.shape())),
                ("input", &format!("{:?}", self.input.data())),
                ("weight_shape", &format!("{:?}", self.weight.shape())),
                ("weight", &format!("{:?}", self.weight.data())),
                ("bias", &format!("{:?}", self.bias)),
                ("stride", &self.spec.stride),
                ("padding", &self.spec.padding),
            ],
        );
        f.write_str(&text)
    }
}

fn tensor(
    shape: [usize; 4],
    values: std::ops::Range<f32>,
) -> impl Strategy<Value = Tensor> {
    proptest::collection::vec(values, shape.iter().product::<usize>())
        .prop_map(move |v| Tensor::from_vec(shape, v))
}

/// Convolutions with stride 1–2, padding 0–2, kernels 1–3, small images.
fn conv_case() -> impl Strategy<Value = ConvCase> {
    (
        1usize..3,
        1usize..3,
        1usize..3,
        1usize..4,
        1usize..3,
        0usize..3,
        2usize..6,
        2usize..6,
    )
        .prop_filter("kernel fits", |&(_, _, _, k, _, p, h, w)| {
            k <= h + 2 * p && k <= w + 2 * p
        })
        .prop_flat_map(|(n, c, o, k, s, p, h, w)| {
            let spec = Conv2d {
                stride: s,
                padding: p,
            };
            let out = spec.output_shape([n, c, h, w], [o, c, k, k]);
            (
                tensor([n, c, h, w], -1.0..1.0),
                tensor([o, c, k, k], -1.0..1.0),
                proptest::collection::vec(-1.0f32..1.0, o),
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
                    let mut y = b[oi];
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

fn same_shape(
    what: &str,
    expected: [usize; 4],
    actual: [usize; 4],
    hint: &str,
) -> Result<(), TestCaseError> {
    if expected == actual {
        Ok(())
    } else {
        Err(shape_mismatch(what, &expected, &actual, hint))
    }
}

/// Pooling inputs, half of them small integers so that windows hold ties.
fn pool_case() -> impl Strategy<Value = (Tensor, MaxPool)> {
    (
        1usize..3,
        1usize..3,
        2usize..7,
        2usize..7,
        1usize..4,
        1usize..3,
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
    Section {
        name: "conv",
        exercises: vec![
            Exercise::new("conv2d_forward", "conv/forward.rs", move || {
                check(96, conv_case(), move |c| {
                    let expected = reference::conv2d_forward(
                        &c.input,
                        &c.weight,
                        Some(&c.bias),
                        c.spec,
                    );
                    let actual = (a.conv2d_forward)(
                        &c.input,
                        &c.weight,
                        Some(&c.bias),
                        c.spec,
                    );
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
            }),
            Exercise::new("conv2d_backward", "conv/backward.rs", move || {
                // Relative error 1e-3 against f64 central differences of the
                // convolution (h = 1e-6); f32 sums of ≤ 36 products round near 1e-6.
                check(96, conv_case(), move |c| {
                    let grads = (a.conv2d_backward)(
                        &c.input,
                        &c.weight,
                        &c.grad_output,
                        c.spec,
                    );
                    let (x, w, b) =
                        (f64s(c.input.data()), f64s(c.weight.data()), f64s(&c.bias));
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
            }),
            Exercise::new("max_pool_forward", "conv/pool.rs", move || {
                check(96, pool_case(), move |(input, pool)| {
                    let expected = reference::max_pool_forward(&input, pool);
                    let actual = (a.max_pool_forward)(&input, pool);
                    same_shape(
                        tr(Msg::Output),
                        expected.output.shape(),
                        actual.output.shape(),
                        tr(Msg::HintPoolOutputSide),
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
                        return Err(fail_with_hint(&argmax, tr(Msg::HintArgmax)));
                    }
                    Ok(())
                })
            }),
            Exercise::new("max_pool_backward", "conv/pool.rs", move || {
                check(96, pool_case(), move |(input, pool)| {
                    let forward = reference::max_pool_forward(&input, pool);
                    let g = Tensor::from_fn(forward.output.shape(), |n, c, i, j| {
                        1.0 + (n + 2 * c + 3 * i + 5 * j) as f32 * 0.25
                    });
                    let expected = reference::max_pool_backward(
                        &g,
                        &forward.argmax,
                        input.shape(),
                    );
                    let actual =
                        (a.max_pool_backward)(&g, &forward.argmax, input.shape());
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
            }),
        ],
    }
}
