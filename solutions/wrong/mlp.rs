//! Wrong multilayer perceptrons.

use super::WrongAnswer;
use activations::Activation;
use grader::mlp::{Answers, Weights};
use nalgebra::{DMatrix, RowDVector};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};

type Layers = [(DMatrix<f32>, RowDVector<f32>)];

fn init_uniform(sizes: &[usize], rng: &mut StdRng) -> Weights {
    sizes
        .windows(2)
        .map(|p| {
            (
                DMatrix::from_fn(p[0], p[1], |_, _| rng.random::<f32>()),
                RowDVector::zeros(p[1]),
            )
        })
        .collect()
}

fn init_transposed(sizes: &[usize], rng: &mut StdRng) -> Weights {
    sizes
        .windows(2)
        .map(|p| {
            let w = DMatrix::from_fn(p[1], p[0], |_, _| StandardNormal.sample(rng));
            (w, RowDVector::zeros(p[1]))
        })
        .collect()
}

fn init_random_bias(sizes: &[usize], rng: &mut StdRng) -> Weights {
    sizes
        .windows(2)
        .map(|p| {
            let w = DMatrix::from_fn(p[0], p[1], |_, _| StandardNormal.sample(rng));
            (
                w,
                RowDVector::from_fn(p[1], |_, _| StandardNormal.sample(rng)),
            )
        })
        .collect()
}

fn forward_activates_output(
    x: &DMatrix<f32>,
    layers: &Layers,
    hidden: Activation,
) -> DMatrix<f32> {
    let mut h = x.clone();
    for (w, b) in layers {
        h = &h * w;
        for mut row in h.row_iter_mut() {
            row += b;
        }
        h.apply(|v| *v = hidden.apply(*v));
    }
    h
}

fn collapse_adds_biases(layers: &Layers) -> (DMatrix<f32>, RowDVector<f32>) {
    let (mut w_acc, mut b_acc) = layers[0].clone();
    for (w, b) in &layers[1..] {
        w_acc = &w_acc * w;
        b_acc = if b_acc.len() == b.len() {
            &b_acc + b
        } else {
            b.clone()
        };
    }
    (w_acc, b_acc)
}

fn init_copied_rng(sizes: &[usize], rng: &mut StdRng) -> Weights {
    // Each layer draws from its own generator, all seeded alike from rng: the
    // seed still decides everything, but layer 2 repeats layer 1's draws.
    let seed: u64 = rng.random();
    sizes
        .windows(2)
        .map(|p| {
            let mut copy = StdRng::seed_from_u64(seed);
            let w = DMatrix::from_fn(p[0], p[1], |_, _| {
                StandardNormal.sample(&mut copy)
            });
            (w, RowDVector::zeros(p[1]))
        })
        .collect()
}

/// The kept wrong answers of this section.
pub fn answers() -> Vec<WrongAnswer<Answers>> {
    let ok = crate::mlp::answers;
    vec![
        WrongAnswer {
            exercise: "course_init",
            mistake: "uniform in [0, 1) instead of N(0, 1)",
            report_mentions: "standard normal",
            answers: Answers {
                course_init: init_uniform,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "course_init",
            mistake:
                "W is outputs × inputs (PyTorch's layout), not inputs × outputs",
            report_mentions: "inputs × outputs",
            answers: Answers {
                course_init: init_transposed,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "course_init",
            mistake: "random biases",
            report_mentions: "biases at zero",
            answers: Answers {
                course_init: init_random_bias,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "mlp_forward",
            mistake: "applies the activation to the output layer too",
            report_mentions: "except the last",
            answers: Answers {
                mlp_forward: forward_activates_output,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "collapse_linear",
            mistake: "adds the biases instead of passing them through later weights",
            report_mentions: "b′ ← b′·W + b",
            answers: Answers {
                collapse_linear: collapse_adds_biases,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "course_init",
            mistake: "every layer drawn from a copy of the generator",
            report_mentions: "drawn from a copy of the generator",
            answers: Answers {
                course_init: init_copied_rng,
                ..ok()
            },
        },
    ]
}
