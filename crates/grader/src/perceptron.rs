//! Graders for `exercises/perceptron/`.

use crate::cases::{
    calls, f64s, fail_with_hint, labelled, matrix, row, same_shape, Show,
};
use crate::messages::{fill, tr, Msg};
use crate::{
    call, check, compare, compare_explained, Exercise, Section, Source,
    TestCaseError,
};

/// A comparison, with or without a diagnosis.
type Compare = fn(&str, &[f64], &[f64], f64, &str) -> Result<(), TestCaseError>;
use nalgebra::{DMatrix, RowDVector};
use perceptron::{LinearClassifier, Perceptron};
use proptest::prelude::*;

type Matrix = DMatrix<f32>;

/// The student's perceptron functions.
#[derive(Clone, Copy)]
pub struct Answers {
    /// softmax(x·W + b), one row of class probabilities per image.
    pub linear_forward: fn(&Matrix, &Matrix, &RowDVector<f32>) -> Matrix,
    /// One step of Rosenblatt's rule; returns whether the example was wrong.
    pub rosenblatt_update: fn(&mut Perceptron, &[f32], f32, f32) -> bool,
    /// Where this copy's files are, for the library-call scan.
    pub source: Source,
}

/// `linear_forward`'s arguments: x, W, b.
type LinearCase = (Matrix, Matrix, RowDVector<f32>);

/// Images, weights (sometimes all zero, sometimes scaled so that scores reach
/// ±1e3) and biases.
fn linear_case() -> impl Strategy<Value = LinearCase> {
    (
        1usize..5,
        1usize..6,
        2usize..5,
        prop_oneof![3 => Just(1.0f32), 1 => Just(300.0f32), 1 => Just(0.0f32)],
    )
        .prop_flat_map(|(n, d, k, scale)| {
            (
                matrix(n, d, -1.0..1.0),
                matrix(d, k, -1.0..1.0).prop_map(move |w| w * scale),
                row(k, -1.0..1.0),
            )
        })
}

impl Show for Perceptron {
    fn show(&self) -> String {
        format!(
            "Perceptron {{ weights: {}, bias: {} }}",
            self.weights.show(),
            self.bias.show()
        )
    }
}

/// `rosenblatt_update`'s arguments: p, x, y, lr.
type RosenblattCase = (Perceptron, Vec<f32>, f32, f32);

/// Perceptrons and examples, often with w·x + b = 0 exactly: zero weights and
/// bias (where the course's perceptron starts) or a zero input.
fn perceptron_case() -> impl Strategy<Value = RosenblattCase> {
    (1usize..5).prop_flat_map(|d| {
        let values = move || {
            prop_oneof![
                3 => proptest::collection::vec(-2.0f32..2.0, d),
                1 => Just(vec![0.0f32; d]),
            ]
        };
        (
            values(),
            prop_oneof![3 => -1.0f32..1.0, 1 => Just(0.0f32)],
            values(),
            prop_oneof![Just(0.0f32), Just(1.0f32)],
            prop_oneof![Just(1.0f32), 0.01f32..1.0],
        )
            .prop_map(|(weights, bias, x, y, lr)| {
                (Perceptron { weights, bias }, x, y, lr)
            })
    })
}

/// Rosenblatt's rule with ŷ = 1 at w·x + b = 0, the usual slip.
fn update_with_step_one_at_zero(p: &mut Perceptron, x: &[f32], y: f32, lr: f32) {
    let z: f32 = p.weights.iter().zip(x).map(|(w, x)| w * x).sum::<f32>() + p.bias;
    let error = y - if z >= 0.0 { 1.0 } else { 0.0 };
    for (w, &xi) in p.weights.iter_mut().zip(x) {
        *w += lr * error * xi;
    }
    p.bias += lr * error;
}

/// The section's exercises.
pub fn exercises(a: Answers) -> Section {
    let s = a.source;
    Section {
        name: "perceptron",
        exercises: vec![
            Exercise::new("linear_forward", "perceptron/linear.rs", move || {
                let show = |c: &LinearCase| {
                    labelled(&[("x", &c.0), ("w", &c.1), ("b", &c.2)])
                };
                check(128, calls(linear_case(), show), move |case| {
                    let (x, w, b) = case.args;
                    let clf = LinearClassifier {
                        weight: w.clone(),
                        bias: b.clone(),
                    };
                    let expected = clf.forward(&x);
                    let shapes = tr(Msg::HintLinearShape);
                    let actual = call(shapes, || (a.linear_forward)(&x, &w, &b))?;
                    same_shape("p", expected.shape(), actual.shape(), shapes)?;
                    compare(
                        "p",
                        &f64s(&expected),
                        &f64s(&actual),
                        1e-5,
                        tr(Msg::HintLinearForward),
                    )
                })
            })
            .forbid_library(
                s,
                &[
                    "perceptron::LinearClassifier",
                    "losses::softmax",
                    "losses::log_softmax",
                    "losses::softmax_cross_entropy",
                ],
            ),
            Exercise::new(
                "rosenblatt_update",
                "perceptron/rosenblatt.rs",
                move || {
                    let show = |c: &RosenblattCase| {
                        labelled(&[
                            ("p", &c.0),
                            ("x", &c.1),
                            ("y", &c.2),
                            ("lr", &c.3),
                        ])
                    };
                    check(128, calls(perceptron_case(), show), move |case| {
                        let (p, x, y, lr) = case.args;
                        let mut expected = p.clone();
                        let mut actual = p.clone();
                        let was_wrong = expected.update(&x, y, lr);
                        let said_wrong =
                            (a.rosenblatt_update)(&mut actual, &x, y, lr);
                        let mut slip = p.clone();
                        update_with_step_one_at_zero(&mut slip, &x, y, lr);
                        let at_zero = actual == slip && slip != expected;
                        let (hint, compare) = if at_zero {
                            (tr(Msg::HintStepAtZero), compare_explained as Compare)
                        } else {
                            (tr(Msg::HintRosenblatt), compare as Compare)
                        };
                        compare(
                            tr(Msg::Weights),
                            &f64s(&expected.weights),
                            &f64s(&actual.weights),
                            1e-6,
                            hint,
                        )?;
                        compare(
                            tr(Msg::Bias),
                            &[f64::from(expected.bias)],
                            &[f64::from(actual.bias)],
                            1e-6,
                            hint,
                        )?;
                        if was_wrong != said_wrong {
                            let returned = fill(
                                tr(Msg::ReturnedBool),
                                &[("actual", &said_wrong), ("expected", &was_wrong)],
                            );
                            return Err(fail_with_hint(
                                &returned,
                                tr(Msg::HintReturnWhetherWrong),
                            ));
                        }
                        Ok(())
                    })
                },
            )
            .forbid_library(s, &["Perceptron::update", "Perceptron::fit"]),
        ],
    }
}
