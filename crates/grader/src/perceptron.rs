//! Graders for `exercises/perceptron/`.

use crate::cases::{f64s, fail_with_hint, matrix, row, same_shape, M, R};
use crate::messages::{fill, tr, Msg};
use crate::{check, compare, Exercise, Section};
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
}

/// Images, weights (sometimes scaled so that scores reach ±1e3) and biases.
fn linear_case() -> impl Strategy<Value = (M, M, R)> {
    (
        1usize..5,
        1usize..6,
        2usize..5,
        prop_oneof![3 => Just(1.0f32), 1 => Just(300.0f32)],
    )
        .prop_flat_map(|(n, d, k, scale)| {
            (
                matrix(n, d, -1.0..1.0),
                matrix(d, k, -1.0..1.0).prop_map(move |w| M(w.0 * scale)),
                row(k, -1.0..1.0),
            )
        })
}

fn perceptron_case() -> impl Strategy<Value = (Vec<f32>, f32, Vec<f32>, f32, f32)> {
    (1usize..5).prop_flat_map(|d| {
        (
            proptest::collection::vec(-2.0f32..2.0, d),
            -1.0f32..1.0,
            proptest::collection::vec(-2.0f32..2.0, d),
            prop_oneof![Just(0.0f32), Just(1.0f32)],
            prop_oneof![Just(1.0f32), 0.01f32..1.0],
        )
    })
}

/// The section's exercises.
pub fn exercises(a: Answers) -> Section {
    Section {
        name: "perceptron",
        exercises: vec![
            Exercise::new("linear_forward", "perceptron/linear.rs", move || {
                check(128, linear_case(), move |(x, w, b)| {
                    let clf = LinearClassifier {
                        weight: w.0.clone(),
                        bias: b.0.clone(),
                    };
                    let expected = clf.forward(&x.0);
                    let actual = (a.linear_forward)(&x.0, &w.0, &b.0);
                    same_shape(
                        "p",
                        expected.shape(),
                        actual.shape(),
                        tr(Msg::HintLinearShape),
                    )?;
                    compare(
                        "p",
                        &f64s(&expected),
                        &f64s(&actual),
                        1e-5,
                        tr(Msg::HintLinearForward),
                    )
                })
            }),
            Exercise::new(
                "rosenblatt_update",
                "perceptron/rosenblatt.rs",
                move || {
                    check(128, perceptron_case(), move |(w, bias, x, y, lr)| {
                        let mut expected = Perceptron {
                            weights: w.clone(),
                            bias,
                        };
                        let mut actual = expected.clone();
                        let was_wrong = expected.update(&x, y, lr);
                        let said_wrong =
                            (a.rosenblatt_update)(&mut actual, &x, y, lr);
                        let hint = tr(Msg::HintRosenblatt);
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
            ),
        ],
    }
}
