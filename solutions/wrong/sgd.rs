//! Wrong optimizers and training loops.

use super::WrongAnswer;
use activations::Activation;
use grader::sgd::Answers;
use mlp::{Init, Mlp};
use nalgebra::DMatrix;
use rand::rngs::StdRng;
use rand::SeedableRng;
use sgd::{Adam, Moments, Optimizer};

fn ascends(theta: &mut [f32], grad: &[f32], lr: f32) {
    for (t, g) in theta.iter_mut().zip(grad) {
        *t += lr * g;
    }
}

fn steps_with_stale_velocity(
    theta: &mut [f32],
    grad: &[f32],
    velocity: &mut [f32],
    lr: f32,
    mu: f32,
) {
    for ((t, g), v) in theta.iter_mut().zip(grad).zip(velocity) {
        *t -= lr * *v; // uses v before this step's update
        *v = mu * *v + g;
    }
}

fn lr_inside_velocity(
    theta: &mut [f32],
    grad: &[f32],
    velocity: &mut [f32],
    lr: f32,
    mu: f32,
) {
    for ((t, g), v) in theta.iter_mut().zip(grad).zip(velocity) {
        *v = mu * *v + lr * g;
        *t -= *v;
    }
}

/// Adam with one change, chosen by `mistake`.
fn adam(
    theta: &mut [f32],
    grad: &[f32],
    m: &mut Moments,
    t: u32,
    adam: &Adam,
    mistake: &str,
) {
    let corrected = mistake != "no bias correction";
    let bias1 = if corrected {
        1.0 - adam.beta1.powi(t as i32)
    } else {
        1.0
    };
    let bias2 = if corrected {
        1.0 - adam.beta2.powi(t as i32)
    } else {
        1.0
    };
    for i in 0..theta.len() {
        m.m[i] = adam.beta1 * m.m[i] + (1.0 - adam.beta1) * grad[i];
        // The aliasing slip: the second moment reads the just-updated first one.
        let g2 = if mistake == "v from m" {
            m.m[i] * m.m[i]
        } else {
            grad[i] * grad[i]
        };
        m.v[i] = adam.beta2 * m.v[i] + (1.0 - adam.beta2) * g2;
        let denominator = if mistake == "eps inside the root" {
            (m.v[i] / bias2 + adam.eps).sqrt()
        } else {
            (m.v[i] / bias2).sqrt() + adam.eps
        };
        theta[i] -= adam.lr * (m.m[i] / bias1) / denominator;
    }
}

fn fit_without_backward(x: &DMatrix<f32>, y: &DMatrix<f32>, seed: u64) -> Mlp {
    // The course template's bug: a training loop that never calls backward.
    let mut rng = StdRng::seed_from_u64(seed);
    let mut net = Mlp::new(&[1, 50, 1], Activation::Tanh, Init::Xavier, &mut rng);
    let mut opt = Adam::new(0.01);
    for _ in 0..300 {
        net.zero_grad();
        let trace = net.forward_trace(x);
        let _ = losses::mse(trace.last().expect("output"), y);
        opt.step(&mut net.parameters());
    }
    net
}

fn momentum_fixed(
    theta: &mut [f32],
    grad: &[f32],
    velocity: &mut [f32],
    lr: f32,
    _momentum: f32,
) {
    for ((t, g), v) in theta.iter_mut().zip(grad).zip(velocity) {
        *v = 0.9 * *v + g; // the course's μ, written in
        *t -= lr * *v;
    }
}

fn adam_defaults_written_in(
    theta: &mut [f32],
    grad: &[f32],
    m: &mut Moments,
    t: u32,
    adam: &Adam,
) {
    let (beta1, beta2, eps) = (0.9f32, 0.999f32, 1e-8f32);
    let bias1 = 1.0 - beta1.powi(t as i32);
    let bias2 = 1.0 - beta2.powi(t as i32);
    for i in 0..theta.len() {
        m.m[i] = beta1 * m.m[i] + (1.0 - beta1) * grad[i];
        m.v[i] = beta2 * m.v[i] + (1.0 - beta2) * grad[i] * grad[i];
        theta[i] -= adam.lr * (m.m[i] / bias1) / ((m.v[i] / bias2).sqrt() + eps);
    }
}

/// The kept wrong answers of this section.
pub fn answers() -> Vec<WrongAnswer<Answers>> {
    let ok = crate::sgd::answers;
    vec![
        WrongAnswer {
            exercise: "sgd_step",
            mistake: "θ += lr·g: gradient ascent",
            report_mentions: "θ ← θ − lr·g",
            answers: Answers {
                sgd_step: ascends,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "momentum_step",
            mistake: "steps θ with the velocity before updating it",
            report_mentions: "first v ← μ·v + g",
            answers: Answers {
                momentum_step: steps_with_stale_velocity,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "momentum_step",
            mistake: "lr inside the velocity (another convention, not PyTorch's)",
            report_mentions: "lr multiplies v",
            answers: Answers {
                momentum_step: lr_inside_velocity,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "adam_step",
            mistake: "no bias correction",
            report_mentions: "m̂ = m/(1 − β₁ᵗ)",
            answers: Answers {
                adam_step: |t, g, m, s, a| adam(t, g, m, s, a, "no bias correction"),
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "adam_step",
            mistake: "ε inside the square root",
            report_mentions: "ε goes outside the root",
            answers: Answers {
                adam_step: |t, g, m, s, a| {
                    adam(t, g, m, s, a, "eps inside the root")
                },
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "adam_step",
            mistake: "v accumulates the updated m², not g²",
            report_mentions: "g squared",
            answers: Answers {
                adam_step: |t, g, m, s, a| adam(t, g, m, s, a, "v from m"),
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "fit_sine",
            mistake: "a training loop that never calls backward",
            report_mentions: "the target is < 0.01",
            answers: Answers {
                fit_sine: fit_without_backward,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "momentum_step",
            mistake: "μ = 0.9 written in instead of the momentum argument",
            report_mentions: "first v ← μ·v + g",
            answers: Answers {
                momentum_step: momentum_fixed,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "adam_step",
            mistake:
                "β₁, β₂ and ε written in (PyTorch's defaults), not read from adam",
            report_mentions: "read them from adam",
            answers: Answers {
                adam_step: adam_defaults_written_in,
                ..ok()
            },
        },
    ]
}
