//! Graders for `exercises/sgd/`.

use crate::cases::{f64s, fail_with_hint};
use crate::messages::{fill, tr, Msg};
use crate::{check, compare, Exercise, Section};
use mlp::Mlp;
use nalgebra::DMatrix;
use proptest::prelude::*;
use sgd::{Adam, Moments, Optimizer, Param, Sgd};

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

/// Parameters and three successive gradients of the same length.
fn steps_case() -> impl Strategy<Value = (Vec<f32>, Vec<Vec<f32>>, f32, f32)> {
    (1usize..6).prop_flat_map(|n| {
        (
            proptest::collection::vec(-2.0f32..2.0, n),
            // Tiny gradients too: there ε decides Adam's step.
            (
                prop_oneof![Just(1.0f32), Just(1e-6f32)],
                proptest::collection::vec(
                    proptest::collection::vec(-3.0f32..3.0, n),
                    3,
                ),
            )
                .prop_map(|(scale, gs)| {
                    gs.into_iter()
                        .map(|g| g.into_iter().map(|v| v * scale).collect())
                        .collect()
                }),
            0.001f32..0.5,
            0.5f32..0.99,
        )
    })
}

fn at_step(t: usize, what: &str) -> String {
    fill(tr(Msg::AfterStep), &[("what", &what), ("step", &(t + 1))])
}

/// The section's exercises.
pub fn exercises(a: Answers) -> Section {
    Section {
        name: "sgd",
        exercises: vec![
            Exercise::new("sgd_step", "sgd/plain.rs", move || {
                check(64, steps_case(), move |(theta, grads, lr, _)| {
                    let (mut expected, mut actual) = (theta.clone(), theta);
                    let mut opt = Sgd::new(lr);
                    for (t, g) in grads.iter().enumerate() {
                        opt.step(&mut [Param::new(&mut expected, g)]);
                        (a.sgd_step)(&mut actual, g, lr);
                        compare(
                            &at_step(t, "θ"),
                            &f64s(&expected),
                            &f64s(&actual),
                            1e-5,
                            tr(Msg::HintSgd),
                        )?;
                    }
                    Ok(())
                })
            }),
            Exercise::new("momentum_step", "sgd/momentum.rs", move || {
                check(64, steps_case(), move |(theta, grads, lr, mu)| {
                    let (mut expected, mut actual) = (theta.clone(), theta);
                    let mut velocity = vec![0.0; actual.len()];
                    let mut opt = Sgd::with_momentum(lr, mu);
                    for (t, g) in grads.iter().enumerate() {
                        opt.step(&mut [Param::new(&mut expected, g)]);
                        (a.momentum_step)(&mut actual, g, &mut velocity, lr, mu);
                        let hint = tr(Msg::HintMomentum);
                        compare(
                            &at_step(t, "v"),
                            &f64s(&opt.velocity()[0]),
                            &f64s(&velocity),
                            1e-5,
                            hint,
                        )?;
                        compare(
                            &at_step(t, "θ"),
                            &f64s(&expected),
                            &f64s(&actual),
                            1e-5,
                            hint,
                        )?;
                    }
                    Ok(())
                })
            }),
            Exercise::new("adam_step", "sgd/adam.rs", move || {
                check(64, steps_case(), move |(theta, grads, lr, _)| {
                    let (mut expected, mut actual) = (theta.clone(), theta);
                    let n = actual.len();
                    let zeros = || Moments {
                        m: vec![0.0; n],
                        v: vec![0.0; n],
                    };
                    let (mut m_expected, mut m_actual) = (zeros(), zeros());
                    let adam = Adam::new(lr);
                    for (t, g) in grads.iter().enumerate() {
                        let step = t as u32 + 1;
                        adam.update(&mut expected, g, &mut m_expected, step);
                        (a.adam_step)(&mut actual, g, &mut m_actual, step, &adam);
                        compare(
                            &at_step(t, "m"),
                            &f64s(&m_expected.m),
                            &f64s(&m_actual.m),
                            1e-5,
                            tr(Msg::HintAdamM),
                        )?;
                        compare(
                            &at_step(t, "v"),
                            &f64s(&m_expected.v),
                            &f64s(&m_actual.v),
                            1e-5,
                            tr(Msg::HintAdamV),
                        )?;
                        compare(
                            &at_step(t, "θ"),
                            &f64s(&expected),
                            &f64s(&actual),
                            1e-4,
                            tr(Msg::HintAdamTheta),
                        )?;
                    }
                    Ok(())
                })
            }),
            Exercise::new("fit_sine", "sgd/fit_sine.rs", move || {
                check(1, Just(0u64), move |seed| {
                    let (x, y) = sine_data(200);
                    let net = (a.fit_sine)(&x, &y, seed);
                    let y_hat = net.forward(&x);
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
