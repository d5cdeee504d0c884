//! Graders for `exercises/sgd/`.

use crate::cases::{calls, f64s, fail_with_hint, fields, labelled, Call, Show};
use crate::messages::{fill, tr, Msg};
use crate::{call, check, check_each, compare, Exercise, Section, Source};
use mlp::Mlp;
use nalgebra::DMatrix;
use proptest::prelude::*;
use sgd::{Adam, Moments};

type Matrix = DMatrix<f32>;

/// The student's optimizer steps and training loop.
#[derive(Clone, Copy)]
pub struct Answers {
    /// θ ← θ − lr·g: (θ, g, lr).
    pub sgd_step: fn(&mut [f32], &[f32], f32),
    /// v ← μv + g; θ ← θ − lr·v: (θ, g, v, lr, μ).
    pub momentum_step: fn(&mut [f32], &[f32], &mut [f32], f32, f32),
    /// One Adam update at step t (from 1): (θ, g, moments, t, hyper-parameters).
    pub adam_step: fn(&mut [f32], &[f32], &mut Moments, u32, &Adam),
    /// Trains an MLP on (x, y) with the given seed and returns it.
    pub fit_sine: fn(&Matrix, &Matrix, u64) -> Mlp,
    /// Where this copy's files are, for the library-call scan.
    pub source: Source,
}

/// The MSE a trained sine network must reach on x = linspace(−π, 3π, 200).
/// The course's numpy loop reached 0.0016; Adam gets far below 0.01 in seconds.
pub const SINE_MSE_TARGET: f32 = 0.01;

/// The course's sine data: x = linspace(−π, 3π, n), y = sin x, as n × 1 columns.
pub fn sine_data(n: usize) -> (Matrix, Matrix) {
    let (lo, hi) = (-std::f32::consts::PI, 3.0 * std::f32::consts::PI);
    let x = Matrix::from_fn(n, 1, |i, _| lo + (hi - lo) * i as f32 / (n - 1) as f32);
    let y = x.map(f32::sin);
    (x, y)
}

/// Parameters and a gradient of the same length; tiny gradients too, where ε
/// decides Adam's step.
fn theta_and_grad() -> impl Strategy<Value = (Vec<f32>, Vec<f32>)> {
    (1usize..6).prop_flat_map(|n| {
        (
            proptest::collection::vec(-2.0f32..2.0, n),
            (
                prop_oneof![Just(1.0f32), Just(1e-6f32)],
                proptest::collection::vec(-3.0f32..3.0, n),
            )
                .prop_map(|(scale, g)| g.into_iter().map(|v| v * scale).collect()),
        )
    })
}

/// A vector of `n` values in `range`, or zeros (the state before the first step).
fn state(n: usize, range: std::ops::Range<f32>) -> BoxedStrategy<Vec<f32>> {
    prop_oneof![
        1 => Just(vec![0.0f32; n]),
        3 => proptest::collection::vec(range, n),
    ]
    .boxed()
}

/// `momentum_step`'s arguments: θ, g, v, lr, μ.
type MomentumCase = (Vec<f32>, Vec<f32>, Vec<f32>, f32, f32);

fn momentum_case() -> impl Strategy<Value = MomentumCase> {
    theta_and_grad().prop_flat_map(|(theta, grad)| {
        let n = theta.len();
        (
            Just(theta),
            Just(grad),
            state(n, -3.0..3.0),
            0.001f32..0.5,
            prop_oneof![Just(0.9f32), Just(0.0f32), 0.5f32..0.99],
        )
    })
}

/// `adam_step`'s arguments: θ, g, moments, t and the hyper-parameters.
type AdamCase = (Vec<f32>, Vec<f32>, Moments, u32, Adam);

/// Adam steps from any point of a run (t up to 20, moments already moved) with
/// hyper-parameters that are often not PyTorch's defaults.
fn adam_case() -> impl Strategy<Value = AdamCase> {
    theta_and_grad().prop_flat_map(|(theta, grad)| {
        let n = theta.len();
        (
            Just(theta),
            Just(grad),
            (state(n, -1.0..1.0), state(n, 0.0..4.0)),
            1u32..20,
            (
                0.001f32..0.5,
                prop_oneof![Just(0.9f32), 0.5f32..0.99],
                prop_oneof![Just(0.999f32), 0.9f32..0.9999],
                prop_oneof![Just(1e-8f32), Just(1e-3f32), Just(0.1f32)],
            ),
        )
            .prop_map(
                |(theta, grad, (m, v), t, (lr, beta1, beta2, eps))| {
                    let mut adam = Adam::new(lr);
                    adam.beta1 = beta1;
                    adam.beta2 = beta2;
                    adam.eps = eps;
                    (theta, grad, Moments { m, v }, t, adam)
                },
            )
    })
}

impl Show for Moments {
    fn show(&self) -> String {
        format!("Moments {{ m: {}, v: {} }}", self.m.show(), self.v.show())
    }
}

impl Show for Adam {
    fn show(&self) -> String {
        fields(
            "Adam",
            &[
                ("lr", &self.lr),
                ("beta1", &self.beta1),
                ("beta2", &self.beta2),
                ("eps", &self.eps),
            ],
        )
    }
}

fn after(what: &str) -> String {
    fill(tr(Msg::AfterTheStep), &[("what", &what)])
}

/// The section's exercises.
pub fn exercises(a: Answers) -> Section {
    let s = a.source;
    let optimizers = &[
        "sgd::Sgd",
        "sgd::Adam",
        "Optimizer::step",
        "TwoLayerTanh::descend",
    ];
    Section {
        name: "sgd",
        exercises: vec![
            Exercise::new("sgd_step", "sgd/plain.rs", move || {
                let cases = (theta_and_grad(), 0.001f32..0.5)
                    .prop_map(|((theta, grad), lr)| (theta, grad, lr));
                let show = |c: &(Vec<f32>, Vec<f32>, f32)| {
                    labelled(&[("theta", &c.0), ("grad", &c.1), ("lr", &c.2)])
                };
                check(64, calls(cases, show), move |case| {
                    let (theta, grad, lr) = case.args;
                    let expected: Vec<f32> =
                        theta.iter().zip(&grad).map(|(t, g)| t - lr * g).collect();
                    let mut actual = theta;
                    call("", || (a.sgd_step)(&mut actual, &grad, lr))?;
                    compare(
                        &after("θ"),
                        &f64s(&expected),
                        &f64s(&actual),
                        1e-5,
                        tr(Msg::HintSgd),
                    )
                })
            })
            .forbid_library(s, optimizers),
            Exercise::new("momentum_step", "sgd/momentum.rs", move || {
                let show = |c: &MomentumCase| {
                    labelled(&[
                        ("theta", &c.0),
                        ("grad", &c.1),
                        ("velocity", &c.2),
                        ("lr", &c.3),
                        ("momentum", &c.4),
                    ])
                };
                check(96, calls(momentum_case(), show), move |case| {
                    let (theta, grad, velocity, lr, mu) = case.args;
                    // PyTorch's SGD: v ← μv + g, θ ← θ − lr·v.
                    let v_expected: Vec<f32> = velocity
                        .iter()
                        .zip(&grad)
                        .map(|(v, g)| mu * v + g)
                        .collect();
                    let t_expected: Vec<f32> = theta
                        .iter()
                        .zip(&v_expected)
                        .map(|(t, v)| t - lr * v)
                        .collect();
                    let (mut theta, mut velocity) = (theta, velocity);
                    call("", || {
                        (a.momentum_step)(&mut theta, &grad, &mut velocity, lr, mu)
                    })?;
                    let hint = tr(Msg::HintMomentum);
                    compare(
                        &after("v"),
                        &f64s(&v_expected),
                        &f64s(&velocity),
                        1e-5,
                        hint,
                    )?;
                    compare(
                        &after("θ"),
                        &f64s(&t_expected),
                        &f64s(&theta),
                        1e-5,
                        hint,
                    )
                })
            })
            .forbid_library(s, optimizers),
            Exercise::new("adam_step", "sgd/adam.rs", move || {
                let show = |c: &AdamCase| {
                    labelled(&[
                        ("theta", &c.0),
                        ("grad", &c.1),
                        ("moments", &c.2),
                        ("t", &c.3),
                        ("adam", &c.4),
                    ])
                };
                check(128, calls(adam_case(), show), move |case| {
                    let (theta, grad, moments, t, adam) = case.args;
                    let (mut expected, mut m_expected) =
                        (theta.clone(), moments.clone());
                    adam.update(&mut expected, &grad, &mut m_expected, t);
                    // What PyTorch's default β₁, β₂, ε would give instead.
                    let (mut defaults, mut m_defaults) =
                        (theta.clone(), moments.clone());
                    Adam::new(adam.lr).update(
                        &mut defaults,
                        &grad,
                        &mut m_defaults,
                        t,
                    );
                    let (mut actual, mut m_actual) = (theta, moments);
                    call("", || {
                        (a.adam_step)(&mut actual, &grad, &mut m_actual, t, &adam)
                    })?;
                    let close = |e: &[f32], a: &[f32]| {
                        compare("", &f64s(e), &f64s(a), 1e-6, "").is_ok()
                    };
                    let used_defaults = close(&m_defaults.m, &m_actual.m)
                        && close(&m_defaults.v, &m_actual.v)
                        && close(&defaults, &actual)
                        && !close(&expected, &defaults);
                    let hint = |h: Msg| {
                        tr(if used_defaults {
                            Msg::HintAdamDefaults
                        } else {
                            h
                        })
                    };
                    compare(
                        &after("m"),
                        &f64s(&m_expected.m),
                        &f64s(&m_actual.m),
                        1e-5,
                        hint(Msg::HintAdamM),
                    )?;
                    compare(
                        &after("v"),
                        &f64s(&m_expected.v),
                        &f64s(&m_actual.v),
                        1e-5,
                        hint(Msg::HintAdamV),
                    )?;
                    compare(
                        &after("θ"),
                        &f64s(&expected),
                        &f64s(&actual),
                        1e-4,
                        hint(Msg::HintAdamTheta),
                    )
                })
            })
            .forbid_library(s, &["Adam::update", "Optimizer::step", "sgd::Sgd"]),
            Exercise::new("fit_sine", "sgd/fit_sine.rs", move || {
                let show = |seed: &u64| {
                    let (x, y) = sine_data(200);
                    labelled(&[("x", &x), ("y", &y), ("seed", seed)])
                };
                let seeds = vec![Call::new(0u64, show), Call::new(7, show)];
                check_each(seeds, move |case| {
                    let seed = case.args;
                    let (x, y) = sine_data(200);
                    let net = call("", || (a.fit_sine)(&x, &y, seed))?;
                    let y_hat = call(tr(Msg::HintFitSineSizes), || net.forward(&x))?;
                    if y_hat.shape() != (200, 1) {
                        let shape = fill(
                            tr(Msg::FitSineShape),
                            &[("shape", &format!("{:?}", y_hat.shape()))],
                        );
                        return Err(fail_with_hint(
                            &shape,
                            tr(Msg::HintFitSineSizes),
                        ));
                    }
                    let (mse, _) = losses::mse(&y_hat, &y);
                    if mse.is_nan() || mse >= SINE_MSE_TARGET {
                        let missed = fill(
                            tr(Msg::FitSineMse),
                            &[
                                ("mse", &format!("{mse:.5}")),
                                ("target", &SINE_MSE_TARGET),
                            ],
                        );
                        return Err(fail_with_hint(&missed, tr(Msg::HintFitSine)));
                    }
                    Ok(())
                })
            }),
        ],
    }
}
