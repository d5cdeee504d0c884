//! Wrong losses.

use super::WrongAnswer;
use grader::losses::Answers;
use nalgebra::DMatrix;

type Matrix = DMatrix<f32>;

fn mse_derivative_without_n(p: &Matrix, y: &Matrix) -> Matrix {
    (p - y) * 2.0
}

fn mse_derivative_sign_flipped(p: &Matrix, y: &Matrix) -> Matrix {
    (y - p) * (2.0 / p.len() as f32)
}

fn mse_sum(p: &Matrix, y: &Matrix) -> f32 {
    (p - y).map(|d| d * d).sum()
}

fn bce_gradient_without_n(p: &Matrix, y: &Matrix) -> Matrix {
    p.zip_map(y, |p, y| (p - y) / (p * (1.0 - p)))
}

fn cross_entropy_overflows(z: &Matrix, labels: &[usize]) -> f32 {
    let mut total = 0.0;
    for (row, &y) in z.row_iter().zip(labels) {
        total += row.iter().map(|v| v.exp()).sum::<f32>().ln() - row[y];
    }
    total / labels.len() as f32
}

fn cross_entropy_gradient_without_onehot(z: &Matrix, labels: &[usize]) -> Matrix {
    let n = labels.len() as f32;
    losses::softmax(z) / n
}

fn cross_entropy_gradient_without_n(z: &Matrix, labels: &[usize]) -> Matrix {
    crate::losses::softmax_cross_entropy::softmax_cross_entropy_gradient(z, labels)
        * labels.len() as f32
}

/// The kept wrong answers of this section.
pub fn answers() -> Vec<WrongAnswer<Answers>> {
    let ok = crate::losses::answers;
    vec![
        WrongAnswer {
            exercise: "mse_loss_derivative",
            mistake: "the factor 1/n is missing",
            report_mentions: "constant factor",
            answers: Answers {
                mse_loss_derivative: mse_derivative_without_n,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "mse_loss_derivative",
            mistake: "sign flipped: 2(y − ŷ)/n",
            report_mentions: "sign is flipped",
            answers: Answers {
                mse_loss_derivative: mse_derivative_sign_flipped,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "mse_loss",
            mistake: "sums instead of averaging",
            report_mentions: "mean of (ŷ − y)²",
            answers: Answers {
                mse_loss: mse_sum,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "binary_cross_entropy_gradient",
            mistake: "the factor 1/n is missing",
            report_mentions: "constant factor",
            answers: Answers {
                binary_cross_entropy_gradient: bce_gradient_without_n,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "softmax_cross_entropy",
            mistake:
                "log Σ e^z without subtracting the max: infinite for logits of 1e4",
            report_mentions: "NaN or infinity",
            answers: Answers {
                softmax_cross_entropy: cross_entropy_overflows,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "softmax_cross_entropy_gradient",
            mistake: "forgets to subtract the one-hot label",
            report_mentions: "onehot(y)",
            answers: Answers {
                softmax_cross_entropy_gradient:
                    cross_entropy_gradient_without_onehot,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "softmax_cross_entropy_gradient",
            mistake: "does not divide by the batch size N",
            report_mentions: "constant factor",
            answers: Answers {
                softmax_cross_entropy_gradient: cross_entropy_gradient_without_n,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "mse_loss_derivative",
            mistake: "calls the library's losses::mse_derivative",
            report_mentions: "calls `losses::mse_derivative`",
            answers: Answers {
                mse_loss_derivative:
                    super::library::losses::mse::mse_loss_derivative,
                source: super::library::SOURCE,
                ..ok()
            },
        },
    ]
}
