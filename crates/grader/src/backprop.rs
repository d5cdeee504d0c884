//! Graders for `exercises/backprop/`.

use crate::cases::{calls, f64s, fields, labelled, matrix, row, same_shape};
use crate::messages::{tr, Msg};
use crate::{call, check, compare_gradient, Exercise, Section, Source};
use backprop::gradcheck::numerical_gradient;
use backprop::{DenseGrads, TwoLayerTanh};
use nalgebra::DMatrix;
use proptest::prelude::*;

type Matrix = DMatrix<f32>;

/// The student's backward passes.
#[derive(Clone, Copy)]
pub struct Answers {
    /// Gradients of z = x·W + b given ∂L/∂z: (x, W, grad_output) → grads.
    pub dense_backward: fn(&Matrix, &Matrix, &Matrix) -> DenseGrads,
    /// The course's sine network: (network, x, y) → ∂MSE/∂(W₁, b₁, W₂, b₂).
    pub two_layer_backward: fn(&TwoLayerTanh, &Matrix, &Matrix) -> TwoLayerTanh,
    /// Where this copy's files are, for the library-call scan.
    pub source: Source,
}

type RowVector = nalgebra::RowDVector<f32>;

/// x (N × I), W (I × O), b (1 × O) and an upstream gradient G (N × O). The
/// function does not take b (its gradients do not depend on it); the loss does.
fn dense_case() -> impl Strategy<Value = (Matrix, Matrix, RowVector, Matrix)> {
    (1usize..5, 1usize..5, 1usize..5).prop_flat_map(|(n, i, o)| {
        (
            matrix(n, i, -2.0..2.0),
            matrix(i, o, -2.0..2.0),
            row(o, -1.0..1.0),
            matrix(n, o, -2.0..2.0),
        )
    })
}

/// L = Σ (x·W + b) ⊙ G in f64, so that ∂L/∂z = G exactly.
fn dense_loss(
    x: &[f64],
    w: &[f64],
    b: &[f64],
    g: &[f64],
    n: usize,
    i: usize,
    o: usize,
) -> f64 {
    let mut total = 0.0;
    for r in 0..n {
        for c in 0..o {
            let z = (0..i).map(|k| x[k * n + r] * w[c * i + k]).sum::<f64>() + b[c];
            total += z * g[c * n + r];
        }
    }
    total
}

/// A small sine network and a batch for it.
fn two_layer_case() -> impl Strategy<Value = (TwoLayerTanh, Matrix, Matrix)> {
    (1usize..8, 1usize..6).prop_flat_map(|(n, h)| {
        (
            matrix(1, h, -1.5..1.5),
            row(h, -1.0..1.0),
            matrix(h, 1, -1.5..1.5),
            row(1, -1.0..1.0),
            matrix(n, 1, -3.0..3.0),
            matrix(n, 1, -1.0..1.0),
        )
            .prop_map(|(w1, b1, w2, b2, x, y)| {
                (TwoLayerTanh { w1, b1, w2, b2 }, x, y)
            })
    })
}

fn show_two_layer(c: &(TwoLayerTanh, Matrix, Matrix)) -> String {
    let net = &c.0;
    let net = fields(
        "TwoLayerTanh",
        &[
            ("w1", &net.w1),
            ("b1", &net.b1),
            ("w2", &net.w2),
            ("b2", &net.b2),
        ],
    );
    labelled(&[("net", &net), ("x", &c.1), ("y", &c.2)])
}

/// MSE of the sine network in f64, parameters packed as [W₁ | b₁ | W₂ | b₂].
fn two_layer_loss(theta: &[f64], x: &[f64], y: &[f64], h: usize) -> f64 {
    let (w1, rest) = theta.split_at(h);
    let (b1, rest) = rest.split_at(h);
    let (w2, b2) = rest.split_at(h);
    let mut total = 0.0;
    for (&xn, &yn) in x.iter().zip(y) {
        let y_hat = (0..h)
            .map(|j| (xn * w1[j] + b1[j]).tanh() * w2[j])
            .sum::<f64>()
            + b2[0];
        total += (y_hat - yn) * (y_hat - yn);
    }
    total / x.len() as f64
}

/// The section's exercises.
pub fn exercises(a: Answers) -> Section {
    let s = a.source;
    Section {
        name: "backprop",
        exercises: vec![
            Exercise::new("dense_backward", "backprop/dense.rs", move || {
                // Relative error 1e-3: the analytic values are f32 sums of ≤ 5
                // products (rounding ~1e-6); the f64 central difference of a
                // linear function is exact up to ~1e-10.
                let show = |c: &(Matrix, Matrix, RowVector, Matrix)| {
                    labelled(&[("x", &c.0), ("w", &c.1), ("grad_output", &c.3)])
                };
                check(128, calls(dense_case(), show), move |case| {
                    let (x, w, b, g) = case.args;
                    let (n, i, o) = (x.nrows(), x.ncols(), w.ncols());
                    let (xs, ws, bs, gs) = (f64s(&x), f64s(&w), f64s(&b), f64s(&g));
                    let shapes = tr(Msg::HintDenseShapes);
                    let grads = call(shapes, || (a.dense_backward)(&x, &w, &g))?;
                    let dx = numerical_gradient(
                        |v| dense_loss(v, &ws, &bs, &gs, n, i, o),
                        &xs,
                        1e-6,
                    );
                    let dw = numerical_gradient(
                        |v| dense_loss(&xs, v, &bs, &gs, n, i, o),
                        &ws,
                        1e-6,
                    );
                    let db = numerical_gradient(
                        |v| dense_loss(&xs, &ws, v, &gs, n, i, o),
                        &bs,
                        1e-6,
                    );
                    same_shape(
                        "grad_input",
                        (n, i),
                        grads.grad_input.shape(),
                        tr(Msg::HintGradInputShape),
                    )?;
                    same_shape(
                        "grad_weight",
                        (i, o),
                        grads.grad_weight.shape(),
                        tr(Msg::HintGradWeightShape),
                    )?;
                    same_shape(
                        "grad_bias",
                        (1, o),
                        grads.grad_bias.shape(),
                        tr(Msg::HintGradBiasShape),
                    )?;
                    compare_gradient(
                        "grad_input",
                        &dx,
                        &f64s(&grads.grad_input),
                        1e-3,
                        tr(Msg::HintGradInput),
                    )?;
                    compare_gradient(
                        "grad_weight",
                        &dw,
                        &f64s(&grads.grad_weight),
                        1e-3,
                        tr(Msg::HintGradWeight),
                    )?;
                    compare_gradient(
                        "grad_bias",
                        &db,
                        &f64s(&grads.grad_bias),
                        1e-3,
                        tr(Msg::HintGradBias),
                    )
                })
            })
            .forbid_library(
                s,
                &["backprop::Dense", "Dense::gradients", "Dense::backward"],
            ),
            Exercise::new(
                "two_layer_backward",
                "backprop/two_layer.rs",
                move || {
                    // Relative error 1e-3 against f64 central differences (h = 1e-6)
                    // of the MSE: f32 rounding through tanh stays below 1e-5.
                    check(96, calls(two_layer_case(), show_two_layer), move |case| {
                        let (net, x, y) = case.args;
                        let h = net.w1.ncols();
                        let theta = [
                            f64s(&net.w1),
                            f64s(&net.b1),
                            f64s(&net.w2),
                            f64s(&net.b2),
                        ]
                        .concat();
                        let (xs, ys) = (f64s(&x), f64s(&y));
                        let numeric = numerical_gradient(
                            |t| two_layer_loss(t, &xs, &ys, h),
                            &theta,
                            1e-6,
                        );
                        let shapes = tr(Msg::HintTwoLayerShapes);
                        let g =
                            call(shapes, || (a.two_layer_backward)(&net, &x, &y))?;
                        same_shape(
                            "d_w1",
                            net.w1.shape(),
                            g.w1.shape(),
                            tr(Msg::HintDW1Shape),
                        )?;
                        same_shape(
                            "d_b1",
                            net.b1.shape(),
                            g.b1.shape(),
                            tr(Msg::HintDB1Shape),
                        )?;
                        same_shape(
                            "d_w2",
                            net.w2.shape(),
                            g.w2.shape(),
                            tr(Msg::HintDW2Shape),
                        )?;
                        same_shape(
                            "d_b2",
                            net.b2.shape(),
                            g.b2.shape(),
                            tr(Msg::HintDB2Shape),
                        )?;
                        let (nw1, rest) = numeric.split_at(h);
                        let (nb1, rest) = rest.split_at(h);
                        let (nw2, nb2) = rest.split_at(h);
                        compare_gradient(
                            "d_w2",
                            nw2,
                            &f64s(&g.w2),
                            1e-3,
                            tr(Msg::HintDW2),
                        )?;
                        compare_gradient(
                            "d_b2",
                            nb2,
                            &f64s(&g.b2),
                            1e-3,
                            tr(Msg::HintDB2),
                        )?;
                        compare_gradient(
                            "d_w1",
                            nw1,
                            &f64s(&g.w1),
                            1e-3,
                            tr(Msg::HintDW1),
                        )?;
                        compare_gradient(
                            "d_b1",
                            nb1,
                            &f64s(&g.b1),
                            1e-3,
                            tr(Msg::HintDB1),
                        )
                    })
                },
            )
            .forbid_library(
                s,
                &[
                    "TwoLayerTanh::backward",
                    "backprop::fast",
                    "backprop::Dense",
                    "mlp::Mlp",
                ],
            ),
        ],
    }
}
