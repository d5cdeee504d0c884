//! Wrong perceptrons.

use super::WrongAnswer;
use grader::perceptron::Answers;
use nalgebra::{DMatrix, RowDVector};
use perceptron::Perceptron;

fn scores_without_softmax(
    x: &DMatrix<f32>,
    w: &DMatrix<f32>,
    b: &RowDVector<f32>,
) -> DMatrix<f32> {
    let mut z = x * w;
    for mut row in z.row_iter_mut() {
        row += b;
    }
    z
}

fn softmax_overflows(
    x: &DMatrix<f32>,
    w: &DMatrix<f32>,
    b: &RowDVector<f32>,
) -> DMatrix<f32> {
    let mut p = scores_without_softmax(x, w, b).map(f32::exp);
    for mut row in p.row_iter_mut() {
        let sum = row.sum();
        row /= sum;
    }
    p
}

fn bias_forgotten(p: &mut Perceptron, x: &[f32], y: f32, lr: f32) -> bool {
    let error = y - p.predict(x);
    for (w, &xi) in p.weights.iter_mut().zip(x) {
        *w += lr * error * xi;
    }
    error != 0.0
}

fn sign_flipped(p: &mut Perceptron, x: &[f32], y: f32, lr: f32) -> bool {
    let error = p.predict(x) - y;
    for (w, &xi) in p.weights.iter_mut().zip(x) {
        *w += lr * error * xi;
    }
    p.bias += lr * error;
    error != 0.0
}

fn step_one_at_zero(p: &mut Perceptron, x: &[f32], y: f32, lr: f32) -> bool {
    // ŷ computed by hand with z >= 0: a perceptron at zero weights predicts 1.
    let z: f32 = p.weights.iter().zip(x).map(|(w, x)| w * x).sum::<f32>() + p.bias;
    let y_hat = if z >= 0.0 { 1.0 } else { 0.0 };
    let error = y - y_hat;
    for (w, &xi) in p.weights.iter_mut().zip(x) {
        *w += lr * error * xi;
    }
    p.bias += lr * error;
    error != 0.0
}

/// The kept wrong answers of this section.
pub fn answers() -> Vec<WrongAnswer<Answers>> {
    let ok = crate::perceptron::answers;
    vec![
        WrongAnswer {
            exercise: "linear_forward",
            mistake: "returns the scores, not probabilities",
            report_mentions: "softmax",
            answers: Answers {
                linear_forward: scores_without_softmax,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "linear_forward",
            mistake: "softmax without subtracting the max: NaN for large scores",
            report_mentions: "NaN",
            answers: Answers {
                linear_forward: softmax_overflows,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "rosenblatt_update",
            mistake: "the bias is never updated",
            report_mentions: "bias",
            answers: Answers {
                rosenblatt_update: bias_forgotten,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "rosenblatt_update",
            mistake: "sign flipped: (ŷ − y)",
            report_mentions: "lr·(y − ŷ)",
            answers: Answers {
                rosenblatt_update: sign_flipped,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "rosenblatt_update",
            mistake: "a step that gives 1 at w·x + b = 0 (where zero weights start)",
            report_mentions: "at w·x + b = 0 the step is 0",
            answers: Answers {
                rosenblatt_update: step_one_at_zero,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "rosenblatt_update",
            mistake: "calls the library's Perceptron::update",
            report_mentions: "calls `Perceptron::update`",
            answers: Answers {
                rosenblatt_update:
                    super::library::perceptron::rosenblatt::rosenblatt_update,
                source: super::library::SOURCE,
                ..ok()
            },
        },
    ]
}
