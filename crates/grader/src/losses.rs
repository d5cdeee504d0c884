//! Graders for `exercises/losses/`.

use crate::cases::{calls, f64s, labelled, matrix, same_shape};
use crate::messages::{tr, Msg};
use crate::{
    call, check, compare, compare_gradient, Exercise, Section, Source, Verdict,
};
use backprop::gradcheck::numerical_gradient;
use nalgebra::DMatrix;
use proptest::prelude::*;

type Matrix = DMatrix<f32>;

/// The student's losses.
#[derive(Clone, Copy)]
pub struct Answers {
    /// (1/n) Σ (ŷ − y)².
    pub mse_loss: fn(&Matrix, &Matrix) -> f32,
    /// 2(ŷ − y)/n.
    pub mse_loss_derivative: fn(&Matrix, &Matrix) -> Matrix,
    /// −(1/n) Σ [y ln p + (1 − y) ln(1 − p)].
    pub binary_cross_entropy: fn(&Matrix, &Matrix) -> f32,
    /// (p − y) / (p(1 − p)) / n.
    pub binary_cross_entropy_gradient: fn(&Matrix, &Matrix) -> Matrix,
    /// (1/N) Σ [log Σ e^z − z_y].
    pub softmax_cross_entropy: fn(&Matrix, &[usize]) -> f32,
    /// (softmax(z) − onehot(y)) / N.
    pub softmax_cross_entropy_gradient: fn(&Matrix, &[usize]) -> Matrix,
    /// Where this copy's files are, for the library-call scan.
    pub source: Source,
}

/// A prediction and a target of one random shape, target values in `target`.
fn pair(
    prediction: std::ops::Range<f32>,
    target: std::ops::Range<f32>,
) -> impl Strategy<Value = (Matrix, Matrix)> {
    (1usize..5, 1usize..5).prop_flat_map(move |(r, c)| {
        (
            matrix(r, c, prediction.clone()),
            matrix(r, c, target.clone()),
        )
    })
}

/// Logits (possibly huge) and a label per row.
fn logits_and_labels() -> impl Strategy<Value = (Matrix, Vec<usize>)> {
    (
        1usize..5,
        2usize..6,
        prop_oneof![3 => Just(1.0f32), 1 => Just(1e4f32)],
    )
        .prop_flat_map(|(n, c, scale)| {
            (
                matrix(n, c, -3.0..3.0).prop_map(move |m| m * scale),
                proptest::collection::vec(0..c, n),
            )
        })
}

fn mse64(p: &[f64], y: &[f64]) -> f64 {
    p.iter().zip(y).map(|(p, y)| (p - y) * (p - y)).sum::<f64>() / p.len() as f64
}

fn bce64(p: &[f64], y: &[f64]) -> f64 {
    let sum: f64 = p
        .iter()
        .zip(y)
        .map(|(p, y)| y * p.ln() + (1.0 - y) * (1.0 - p).ln())
        .sum();
    -sum / p.len() as f64
}

/// Softmax cross-entropy in f64 on column-major `z` (n rows).
fn ce64(z: &[f64], n: usize, labels: &[usize]) -> f64 {
    let c = z.len() / n;
    let mut total = 0.0;
    for (i, &y) in labels.iter().enumerate() {
        let row: Vec<f64> = (0..c).map(|j| z[j * n + i]).collect();
        let m = row.iter().cloned().fold(f64::MIN, f64::max);
        let lse = row.iter().map(|v| (v - m).exp()).sum::<f64>().ln() + m;
        total += lse - row[y];
    }
    total / n as f64
}

/// A loss value against its f64 formula, relative 1e-4 (f32 sums of ≤ 20 terms).
fn loss_value(
    loss: impl Fn(&Matrix, &Matrix) -> f32 + 'static,
    reference: fn(&[f64], &[f64]) -> f64,
    cases: impl Strategy<Value = (Matrix, Matrix)> + 'static,
    show: fn(&(Matrix, Matrix)) -> String,
    hint: Msg,
) -> Verdict {
    check(128, calls(cases, show), move |case| {
        let (p, y) = case.args;
        let expected = reference(&f64s(&p), &f64s(&y));
        let actual = call(tr(Msg::HintSameShapes), || loss(&p, &y))?;
        compare(
            tr(Msg::Loss),
            &[expected],
            &[f64::from(actual)],
            1e-4,
            tr(hint),
        )
    })
}

/// The arguments of the MSE exercises.
fn show_mse(c: &(Matrix, Matrix)) -> String {
    labelled(&[("prediction", &c.0), ("target", &c.1)])
}

/// The arguments of the binary cross-entropy exercises.
fn show_bce(c: &(Matrix, Matrix)) -> String {
    labelled(&[("p", &c.0), ("y", &c.1)])
}

/// A loss gradient against central differences of the f64 formula (h = 1e-6);
/// relative error below 1e-3 leaves room for f32 rounding only.
fn loss_gradient(
    gradient: impl Fn(&Matrix, &Matrix) -> Matrix + 'static,
    reference: fn(&[f64], &[f64]) -> f64,
    cases: impl Strategy<Value = (Matrix, Matrix)> + 'static,
    show: fn(&(Matrix, Matrix)) -> String,
    hint: Msg,
) -> Verdict {
    check(128, calls(cases, show), move |case| {
        let (p, y) = case.args;
        let target = f64s(&y);
        let numeric = numerical_gradient(|v| reference(v, &target), &f64s(&p), 1e-6);
        let g = call(tr(Msg::HintSameShapes), || gradient(&p, &y))?;
        same_shape(
            tr(Msg::TheGradient),
            p.shape(),
            g.shape(),
            tr(Msg::HintPredictionShape),
        )?;
        compare_gradient("∂L/∂ŷ", &numeric, &f64s(&g), 1e-3, tr(hint))
    })
}

/// The section's exercises.
pub fn exercises(a: Answers) -> Section {
    let ce = move |gradient: bool| {
        let show = |c: &(Matrix, Vec<usize>)| {
            labelled(&[("logits", &c.0), ("labels", &c.1)])
        };
        check(128, calls(logits_and_labels(), show), move |case| {
            let (z, labels) = case.args;
            let n = labels.len();
            let shapes = tr(Msg::HintOneRowPerExample);
            if gradient {
                let numeric =
                    numerical_gradient(|v| ce64(v, n, &labels), &f64s(&z), 1e-6);
                let g = call(shapes, || {
                    (a.softmax_cross_entropy_gradient)(&z, &labels)
                })?;
                same_shape(
                    tr(Msg::TheGradient),
                    z.shape(),
                    g.shape(),
                    tr(Msg::HintOneRowPerExample),
                )?;
                compare_gradient(
                    "∂L/∂z",
                    &numeric,
                    &f64s(&g),
                    1e-3,
                    tr(Msg::HintCeGradient),
                )
            } else {
                let expected = ce64(&f64s(&z), n, &labels);
                let actual = f64::from(call(shapes, || {
                    (a.softmax_cross_entropy)(&z, &labels)
                })?);
                compare(
                    tr(Msg::Loss),
                    &[expected],
                    &[actual],
                    1e-4,
                    tr(Msg::HintCeLoss),
                )
            }
        })
    };
    let s = a.source;
    let mse = &["losses::mse", "losses::mse_derivative"];
    let bce = &["losses::binary_cross_entropy"];
    let ce_items = &[
        "losses::softmax_cross_entropy",
        "losses::log_softmax",
        "losses::softmax",
        "losses::nll",
    ];
    Section {
        name: "losses",
        exercises: vec![
            Exercise::new("mse_loss", "losses/mse.rs", move || {
                loss_value(
                    a.mse_loss,
                    mse64,
                    pair(-3.0..3.0, -3.0..3.0),
                    show_mse,
                    Msg::HintMse,
                )
            })
            .forbid_library(s, mse),
            Exercise::new("mse_loss_derivative", "losses/mse.rs", move || {
                loss_gradient(
                    a.mse_loss_derivative,
                    mse64,
                    pair(-3.0..3.0, -3.0..3.0),
                    show_mse,
                    Msg::HintMseDerivative,
                )
            })
            .forbid_library(s, mse),
            Exercise::new(
                "binary_cross_entropy",
                "losses/binary_cross_entropy.rs",
                move || {
                    loss_value(
                        a.binary_cross_entropy,
                        bce64,
                        pair(0.01..0.99, 0.0..1.0),
                        show_bce,
                        Msg::HintBce,
                    )
                },
            )
            .forbid_library(s, bce),
            Exercise::new(
                "binary_cross_entropy_gradient",
                "losses/binary_cross_entropy.rs",
                move || {
                    loss_gradient(
                        a.binary_cross_entropy_gradient,
                        bce64,
                        pair(0.01..0.99, 0.0..1.0),
                        show_bce,
                        Msg::HintBceGradient,
                    )
                },
            )
            .forbid_library(s, bce),
            Exercise::new(
                "softmax_cross_entropy",
                "losses/softmax_cross_entropy.rs",
                move || ce(false),
            )
            .forbid_library(s, ce_items),
            Exercise::new(
                "softmax_cross_entropy_gradient",
                "losses/softmax_cross_entropy.rs",
                move || ce(true),
            )
            .forbid_library(s, ce_items),
        ],
    }
}
