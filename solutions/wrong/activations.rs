//! Wrong activations.

use super::WrongAnswer;
use grader::activations::Answers;

fn sigmoid_overflows(x: f32) -> f32 {
    x.exp() / (1.0 + x.exp()) // inf / inf = NaN for x > 88
}

fn sigmoid_derivative_of_tanh(x: f32) -> f32 {
    1.0 - x.tanh() * x.tanh()
}

fn sigmoid_derivative_in_x(x: f32) -> f32 {
    let s = crate::activations::sigmoid::sigmoid(x);
    s * (1.0 - x)
}

fn tanh_derivative_in_x(x: f32) -> f32 {
    1.0 - x * x
}

fn relu_derivative_one_at_zero(x: f32) -> f32 {
    if x >= 0.0 {
        1.0
    } else {
        0.0
    }
}

fn relu_leaks(x: f32) -> f32 {
    x.abs()
}

fn sigmoid_sign_slip(x: f32) -> f32 {
    1.0 / (1.0 + x.exp())
}

/// The kept wrong answers of this section.
pub fn answers() -> Vec<WrongAnswer<Answers>> {
    let ok = crate::activations::answers;
    vec![
        WrongAnswer {
            exercise: "sigmoid",
            mistake: "e^x / (1 + e^x) everywhere: overflows to NaN for large x",
            report_mentions: "NaN",
            answers: Answers {
                sigmoid: sigmoid_overflows,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "sigmoid_derivative",
            mistake: "the derivative of tanh instead of sigmoid",
            report_mentions: "σ(x)·(1 − σ(x))",
            answers: Answers {
                sigmoid_derivative: sigmoid_derivative_of_tanh,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "sigmoid_derivative",
            mistake: "σ(x)(1 − x) instead of σ(x)(1 − σ(x))",
            report_mentions: "σ(x)·(1 − σ(x))",
            answers: Answers {
                sigmoid_derivative: sigmoid_derivative_in_x,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "tanh_derivative",
            mistake: "1 − x² instead of 1 − tanh²(x)",
            report_mentions: "1 − tanh(x)²",
            answers: Answers {
                tanh_derivative: tanh_derivative_in_x,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "relu_derivative",
            mistake: "1 at x = 0",
            report_mentions: "at x = 0",
            answers: Answers {
                relu_derivative: relu_derivative_one_at_zero,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "relu",
            mistake: "|x| instead of max(0, x)",
            report_mentions: "max(0, x)",
            answers: Answers {
                relu: relu_leaks,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "sigmoid",
            mistake: "1 / (1 + e^x): the minus sign of the exponent lost",
            report_mentions: "you computed σ(−x)",
            answers: Answers {
                sigmoid: sigmoid_sign_slip,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "sigmoid",
            mistake: "calls the library's sigmoid, imported under another name",
            report_mentions: "calls `activations::sigmoid`",
            answers: Answers {
                sigmoid: super::library::activations::sigmoid::sigmoid,
                source: super::library::SOURCE,
                ..ok()
            },
        },
    ]
}
