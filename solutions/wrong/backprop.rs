//! Wrong backward passes.

use super::WrongAnswer;
use backprop::{DenseGrads, TwoLayerTanh};
use grader::backprop::Answers;
use nalgebra::DMatrix;

type Matrix = DMatrix<f32>;

fn transpose_missing(x: &Matrix, w: &Matrix, g: &Matrix) -> DenseGrads {
    DenseGrads {
        grad_weight: g.transpose() * x,
        ..crate::backprop::dense::dense_backward(x, w, g)
    }
}

fn bias_gradient_forgotten(x: &Matrix, w: &Matrix, g: &Matrix) -> DenseGrads {
    let right = crate::backprop::dense::dense_backward(x, w, g);
    DenseGrads {
        grad_bias: right.grad_bias * 0.0,
        ..right
    }
}

fn bias_gradient_averaged(x: &Matrix, w: &Matrix, g: &Matrix) -> DenseGrads {
    let right = crate::backprop::dense::dense_backward(x, w, g);
    DenseGrads {
        grad_bias: right.grad_bias / (x.nrows() as f32 + 1.0),
        ..right
    }
}

fn input_gradient_sign_flipped(x: &Matrix, w: &Matrix, g: &Matrix) -> DenseGrads {
    let right = crate::backprop::dense::dense_backward(x, w, g);
    DenseGrads {
        grad_input: -right.grad_input,
        ..right
    }
}

/// The course's loop with one change, chosen by `mistake`.
fn two_layer(
    net: &TwoLayerTanh,
    x: &Matrix,
    y: &Matrix,
    mistake: &str,
) -> TwoLayerTanh {
    let cache = net.forward(x);
    let n = if mistake == "no 1/n" {
        1.0
    } else {
        y.len() as f32
    };
    let d_z2 = (&cache.y_hat - y) * (2.0 / n);
    let d_a1 = &d_z2 * net.w2.transpose();
    let d_z1 = match mistake {
        "no tanh'" => d_a1,
        "tanh' of a1" => {
            d_a1.zip_map(&cache.a1, |g, a| g * (1.0 - a.tanh() * a.tanh()))
        }
        _ => d_a1.zip_map(&cache.z1, |g, z| g * (1.0 - z.tanh() * z.tanh())),
    };
    let d_b1 = if mistake == "no d_b1" {
        d_z1.row_sum() * 0.0
    } else {
        d_z1.row_sum()
    };
    TwoLayerTanh {
        w1: x.transpose() * &d_z1,
        b1: d_b1,
        w2: cache.a1.transpose() * &d_z2,
        b2: d_z2.row_sum(),
    }
}

fn input_gradient_untransposed(x: &Matrix, w: &Matrix, g: &Matrix) -> DenseGrads {
    DenseGrads {
        grad_input: g * w, // (N × out)·(in × out): the transpose of W is missing
        ..crate::backprop::dense::dense_backward(x, w, g)
    }
}

/// The kept wrong answers of this section.
pub fn answers() -> Vec<WrongAnswer<Answers>> {
    let ok = crate::backprop::answers;
    vec![
        WrongAnswer {
            exercise: "dense_backward",
            mistake: "∂L/∂W = gᵀ·x: the transpose on the wrong factor",
            report_mentions: "xᵀ · grad_output",
            answers: Answers {
                dense_backward: transpose_missing,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "dense_backward",
            mistake: "the bias gradient is forgotten (left at zero)",
            report_mentions: "∂L/∂b = grad_output summed over the rows",
            answers: Answers {
                dense_backward: bias_gradient_forgotten,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "dense_backward",
            mistake: "the bias gradient is scaled instead of summed",
            report_mentions: "∂L/∂b = grad_output summed over the rows",
            answers: Answers {
                dense_backward: bias_gradient_averaged,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "dense_backward",
            mistake: "∂L/∂x has its sign flipped",
            report_mentions: "sign is flipped",
            answers: Answers {
                dense_backward: input_gradient_sign_flipped,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "two_layer_backward",
            mistake: "d_z2 = 2(ŷ − y) without 1/n",
            report_mentions: "constant factor",
            answers: Answers {
                two_layer_backward: |n, x, y| two_layer(n, x, y, "no 1/n"),
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "two_layer_backward",
            mistake: "tanh′ is not applied: d_z1 = d_a1",
            report_mentions: "1 − tanh²(z1)",
            answers: Answers {
                two_layer_backward: |n, x, y| two_layer(n, x, y, "no tanh'"),
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "two_layer_backward",
            mistake: "tanh′ evaluated at a1 = tanh(z1) instead of z1",
            report_mentions: "1 − tanh²(z1)",
            answers: Answers {
                two_layer_backward: |n, x, y| two_layer(n, x, y, "tanh' of a1"),
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "two_layer_backward",
            mistake: "d_b1 is forgotten",
            report_mentions: "d_b1",
            answers: Answers {
                two_layer_backward: |n, x, y| two_layer(n, x, y, "no d_b1"),
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "dense_backward",
            mistake: "∂L/∂x = grad_output · W: a product whose shapes do not fit",
            report_mentions: ".transpose()",
            answers: Answers {
                dense_backward: input_gradient_untransposed,
                ..ok()
            },
        },
    ]
}
