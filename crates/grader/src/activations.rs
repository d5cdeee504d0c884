//! Graders for `exercises/activations/`.

use crate::cases::{calls, labelled, Call};
use crate::messages::{fill, tr, Msg};
use crate::{check, compare, compare_gradient, Exercise, Section, Source};
use proptest::prelude::*;

/// The student's activation functions.
#[derive(Clone, Copy)]
pub struct Answers {
    /// σ(x) = 1 / (1 + e^(−x)), finite for any finite x.
    pub sigmoid: fn(f32) -> f32,
    /// σ′(x) = σ(x)(1 − σ(x)).
    pub sigmoid_derivative: fn(f32) -> f32,
    /// tanh′(x) = 1 − tanh²(x).
    pub tanh_derivative: fn(f32) -> f32,
    /// max(0, x).
    pub relu: fn(f32) -> f32,
    /// 1 if x > 0, else 0.
    pub relu_derivative: fn(f32) -> f32,
    /// Where this copy's files are, for the library-call scan.
    pub source: Source,
}

/// Inputs that include huge values (where e^x / (1 + e^x) is ∞/∞ = NaN for
/// x > 88) and zero (where a ReLU derivative is decided).
fn inputs() -> impl Strategy<Value = Call<f32>> {
    let x = prop_oneof![
        4 => -8.0f32..8.0,
        1 => -1000.0f32..1000.0,
        1 => Just(0.0f32),
    ];
    calls(x, |x| labelled(&[("x", x)]))
}

/// Grades a function against its f64 formula; `mirrored` is the hint when the
/// answer is the function of −x (σ(−x) = 1 − σ(x), a sign slip in the exponent).
fn forward(
    f: fn(f32) -> f32,
    reference: fn(f64) -> f64,
    hint: Msg,
    mirrored: Option<Msg>,
) -> crate::Verdict {
    check(256, inputs(), move |case| {
        let x = case.args;
        let expected = reference(f64::from(x));
        let actual = f64::from(f(x));
        let hint = match mirrored {
            Some(m)
                if x != 0.0 && (actual - reference(-f64::from(x))).abs() < 1e-5 =>
            {
                m
            }
            _ => hint,
        };
        compare(
            &fill(tr(Msg::AtX), &[("x", &x)]),
            &[expected],
            &[actual],
            1e-5,
            tr(hint),
        )
    })
}

/// Grades a derivative against the central difference of the f64 function.
/// Tolerance 1e-3 relative: f32 rounding of the answer is ~1e-7, the O(h²)
/// truncation at h = 1e-5 is below 1e-9.
fn derivative(f: fn(f32) -> f32, of: fn(f64) -> f64, hint: Msg) -> crate::Verdict {
    check(256, inputs(), move |case| {
        let x = case.args;
        // A kink (ReLU at 0) has no central difference; the convention there is 0.
        let h = 1e-5;
        let x64 = f64::from(x);
        let (right, left) = ((of(h) - of(0.0)) / h, (of(0.0) - of(-h)) / h);
        let numeric = if x == 0.0 && (right - left).abs() > 1e-3 {
            0.0
        } else {
            (of(x64 + h) - of(x64 - h)) / (2.0 * h)
        };
        let actual = f64::from(f(x));
        compare_gradient(
            &fill(tr(Msg::AtX), &[("x", &x)]),
            &[numeric],
            &[actual],
            1e-3,
            tr(hint),
        )
    })
}

fn sigmoid64(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// The section's exercises.
pub fn exercises(a: Answers) -> Section {
    let s = a.source;
    Section {
        name: "activations",
        exercises: vec![
            Exercise::new("sigmoid", "activations/sigmoid.rs", move || {
                forward(
                    a.sigmoid,
                    sigmoid64,
                    Msg::HintSigmoid,
                    Some(Msg::HintSigmoidMirrored),
                )
            })
            .forbid_library(s, &["activations::sigmoid", "activations::Activation"]),
            Exercise::new(
                "sigmoid_derivative",
                "activations/sigmoid.rs",
                move || {
                    derivative(
                        a.sigmoid_derivative,
                        sigmoid64,
                        Msg::HintSigmoidDerivative,
                    )
                },
            )
            .forbid_library(
                s,
                &["activations::sigmoid_derivative", "activations::Activation"],
            ),
            Exercise::new("tanh_derivative", "activations/tanh.rs", move || {
                derivative(a.tanh_derivative, f64::tanh, Msg::HintTanhDerivative)
            })
            .forbid_library(
                s,
                &[
                    "activations::tanh_derivative",
                    "activations::fast",
                    "activations::Activation",
                ],
            ),
            Exercise::new("relu", "activations/relu.rs", move || {
                forward(a.relu, |x| x.max(0.0), Msg::HintRelu, None)
            })
            .forbid_library(s, &["activations::relu", "activations::Activation"]),
            Exercise::new("relu_derivative", "activations/relu.rs", move || {
                derivative(
                    a.relu_derivative,
                    |x| x.max(0.0),
                    Msg::HintReluDerivative,
                )
            })
            .forbid_library(
                s,
                &["activations::relu_derivative", "activations::Activation"],
            ),
        ],
    }
}
