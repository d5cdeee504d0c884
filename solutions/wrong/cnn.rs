//! Wrong batch norms, evaluations, training loops and models.

use super::WrongAnswer;
use cnn::data::Dataset;
use cnn::layers::{BatchNorm2d, Conv2dLayer, Linear, Mode};
use cnn::steps::{logits_gradient, logits_matrix, Score};
use cnn::{Cnn, Layer, Tensor};
use conv::{Conv2d, MaxPool};
use grader::cnn::Answers;
use rand::rngs::StdRng;
use rand::SeedableRng;
use sgd::Optimizer;

/// Per-channel statistics of `x` with one change, chosen by `mistake`: the
/// mean and the variance used for normalising.
fn statistics(x: &Tensor, mistake: &str) -> (Vec<f32>, Vec<f32>) {
    let [n, c, h, w] = x.shape();
    // "per image": the statistics of image 0 alone, as if N were not summed over.
    let images = if mistake == "per image" { 1 } else { n };
    let m = (images * h * w) as f32;
    let values = |ch: usize| {
        (0..images).flat_map(move |i| {
            (0..h).flat_map(move |y| (0..w).map(move |xx| x.at(i, ch, y, xx)))
        })
    };
    let mean: Vec<f32> = (0..c).map(|ch| values(ch).sum::<f32>() / m).collect();
    let divisor = if mistake == "unbiased" { m - 1.0 } else { m };
    let var = (0..c)
        .map(|ch| values(ch).map(|v| (v - mean[ch]).powi(2)).sum::<f32>() / divisor)
        .collect();
    (mean, var)
}

/// The solved forward pass with one change, chosen by `mistake`.
fn bn_forward(x: &Tensor, bn: &mut BatchNorm2d, mistake: &str) -> Tensor {
    let [n, _, h, w] = x.shape();
    let m = (n * h * w) as f32;
    let (mean, var) = statistics(x, mistake);
    let k = if mistake == "momentum 0.1" {
        0.1
    } else {
        bn.momentum
    };
    let eps = if mistake == "eps 1e-5" { 1e-5 } else { bn.eps };
    for ch in 0..mean.len() {
        let unbiased = if mistake == "running biased" {
            var[ch]
        } else {
            var[ch] * m / (m - 1.0)
        };
        bn.running_mean[ch] = (1.0 - k) * bn.running_mean[ch] + k * mean[ch];
        bn.running_var[ch] = (1.0 - k) * bn.running_var[ch] + k * unbiased;
    }
    Tensor::from_fn(x.shape(), |i, ch, y, xx| {
        bn.gamma[ch] * (x.at(i, ch, y, xx) - mean[ch]) / (var[ch] + eps).sqrt()
            + bn.beta[ch]
    })
}

/// The solved backward pass with one change, chosen by `mistake`.
fn bn_backward(
    x: &Tensor,
    bn: &mut BatchNorm2d,
    grad_output: &Tensor,
    mistake: &str,
) -> Tensor {
    let [n, c, h, w] = x.shape();
    let m = (n * h * w) as f32;
    let (mean, var) = statistics(x, "");
    let inv: Vec<f32> = var.iter().map(|v| 1.0 / (v + bn.eps).sqrt()).collect();
    let (mut mean_g, mut mean_gx) = (vec![0.0f32; c], vec![0.0f32; c]);
    for ch in 0..c {
        let (mut sum_g, mut sum_gx) = (0.0f32, 0.0f32);
        for i in 0..n {
            for y in 0..h {
                for xx in 0..w {
                    let g = grad_output.at(i, ch, y, xx);
                    sum_g += g;
                    sum_gx += g * (x.at(i, ch, y, xx) - mean[ch]) * inv[ch];
                }
            }
        }
        let d_gamma = if mistake == "no x̂" { sum_g } else { sum_gx };
        if mistake == "overwrites" {
            bn.grad_gamma[ch] = d_gamma;
            bn.grad_beta[ch] = sum_g;
        } else {
            bn.grad_gamma[ch] += d_gamma;
            bn.grad_beta[ch] += sum_g;
        }
        mean_g[ch] = if mistake == "no mean(g)" {
            0.0
        } else {
            sum_g / m
        };
        mean_gx[ch] = sum_gx / m;
    }
    Tensor::from_fn(x.shape(), |i, ch, y, xx| {
        let x_hat = (x.at(i, ch, y, xx) - mean[ch]) * inv[ch];
        let g = grad_output.at(i, ch, y, xx);
        bn.gamma[ch] * inv[ch] * (g - mean_g[ch] - x_hat * mean_gx[ch])
    })
}

/// The solved evaluation with one change, chosen by `mistake`.
fn evaluate(
    model: &mut Cnn,
    test: &Dataset,
    batch_size: usize,
    mistake: &str,
) -> Score {
    let indices: Vec<usize> = (0..test.len()).collect();
    let mode = if mistake == "train mode" {
        Mode::Train
    } else {
        Mode::Eval
    };
    let chunks: Vec<&[usize]> = indices.chunks(batch_size.max(1)).collect();
    // "last batch": the course template's accuracy cell, one batch only.
    let chunks = if mistake == "last batch" {
        chunks[chunks.len() - 1..].to_vec()
    } else {
        chunks
    };
    let (mut total, mut right, mut seen, mut means) =
        (0.0f64, 0usize, 0usize, 0.0f64);
    for chunk in &chunks {
        let (x, labels) = test.batch(chunk);
        let logits = logits_matrix(&model.forward(&x, mode));
        let (loss, _) = losses::softmax_cross_entropy(&logits, &labels);
        total += f64::from(loss) * chunk.len() as f64;
        means += f64::from(loss);
        seen += chunk.len();
        for (row, &y) in logits.row_iter().zip(&labels) {
            right += usize::from(row.transpose().argmax().0 == y);
        }
    }
    let loss = if mistake == "mean of batch means" {
        means / chunks.len() as f64
    } else {
        total / seen as f64
    };
    let accuracy = right as f32 / seen as f32;
    Score {
        accuracy: if mistake == "percent" {
            accuracy * 100.0
        } else {
            accuracy
        },
        loss: loss as f32,
    }
}

/// The solved epoch with one change, chosen by `mistake`.
fn train_epoch(
    model: &mut Cnn,
    data: &Dataset,
    batches: &[Vec<usize>],
    optimizer: &mut dyn Optimizer,
    mistake: &str,
) -> f32 {
    let (mut total, mut weighted, mut images, mut last) =
        (0.0f64, 0.0f64, 0usize, 0.0f32);
    for batch in batches {
        let (x, labels) = data.batch(batch);
        if mistake != "no zero_grad" && mistake != "zero_grad last" {
            model.zero_grad();
        }
        let mode = if mistake == "eval mode" {
            Mode::Eval
        } else {
            Mode::Train
        };
        let trace = model.forward_trace(&x, mode);
        let (loss, grad) =
            losses::softmax_cross_entropy(&logits_matrix(&trace.output), &labels);
        if mistake == "step before backward" {
            optimizer.step(&mut model.parameters());
            model.backward(&trace, &logits_gradient(&grad));
        } else {
            model.backward(&trace, &logits_gradient(&grad));
            optimizer.step(&mut model.parameters());
        }
        if mistake == "zero_grad last" {
            model.zero_grad();
        }
        total += f64::from(loss);
        weighted += f64::from(loss) * batch.len() as f64;
        images += batch.len();
        last = loss;
    }
    match mistake {
        "weighted by images" => (weighted / images as f64) as f32,
        "last loss" => last,
        _ => (total / batches.len() as f64) as f32,
    }
}

/// The solved model with one change, chosen by `mistake`.
fn model(input: [usize; 3], classes: usize, rng: &mut StdRng, mistake: &str) -> Cnn {
    let features = 16;
    let [c, h, w] = input;
    let bias = mistake == "conv bias";
    let conv = |c_in: usize, rng: &mut StdRng| {
        Layer::Conv(Conv2dLayer::new(
            c_in,
            features,
            3,
            Conv2d::SAME_3X3,
            bias,
            rng,
        ))
    };
    // "fresh rng": each convolution from a new generator, not the one given.
    let mut fresh = StdRng::seed_from_u64(0);
    let mut pick = |rng: &mut StdRng| -> Layer {
        if mistake == "fresh rng" {
            conv(features, &mut fresh)
        } else {
            conv(features, rng)
        }
    };
    let mut layers = vec![("stem.0".to_string(), conv(c, rng))];
    if mistake != "no stem batch norm" {
        layers.push((
            "stem.1".to_string(),
            Layer::BatchNorm(BatchNorm2d::new(features)),
        ));
    }
    for block in 0..4 {
        let name = |i: usize| format!("blocks.{block}.{i}");
        layers.push((name(0), pick(rng)));
        let (bn, relu) = (Layer::BatchNorm(BatchNorm2d::new(features)), Layer::Relu);
        if mistake == "relu before batch norm" {
            layers.push((name(1), relu));
            layers.push((name(2), bn));
        } else {
            layers.push((name(1), bn));
            layers.push((name(2), relu));
        }
        layers.push((name(3), Layer::MaxPool(MaxPool::HALVE)));
    }
    // "flatten 64": CIFAR-10's 16·2·2 written in, whatever the image size.
    let flat = if mistake == "flatten 64" {
        64
    } else {
        features * (h / 16) * (w / 16)
    };
    layers.push(("flatten".to_string(), Layer::Flatten));
    layers.push((
        "classifier".to_string(),
        Layer::Linear(Linear::new(flat, classes, rng)),
    ));
    Cnn {
        name: "convolutional".to_string(),
        input,
        layers,
    }
}

/// The kept wrong answers of this section.
pub fn answers() -> Vec<WrongAnswer<Answers>> {
    let ok = crate::cnn::answers;
    vec![
        WrongAnswer {
            exercise: "batch_norm_forward",
            mistake: "normalises with the unbiased variance (÷ (M − 1))",
            report_mentions: "the biased σ²",
            answers: Answers { batch_norm_forward: |x, bn| bn_forward(x, bn, "unbiased"), ..ok() },
        },
        WrongAnswer {
            exercise: "batch_norm_forward",
            mistake: "the running variance takes the biased variance",
            report_mentions: "the unbiased",
            answers: Answers { batch_norm_forward: |x, bn| bn_forward(x, bn, "running biased"), ..ok() },
        },
        WrongAnswer {
            exercise: "batch_norm_forward",
            mistake: "momentum 0.1 written in instead of bn.momentum",
            report_mentions: "m = bn.momentum",
            answers: Answers { batch_norm_forward: |x, bn| bn_forward(x, bn, "momentum 0.1"), ..ok() },
        },
        WrongAnswer {
            exercise: "batch_norm_forward",
            mistake: "ε = 1e-5 written in instead of bn.eps",
            report_mentions: "ε = bn.eps",
            answers: Answers { batch_norm_forward: |x, bn| bn_forward(x, bn, "eps 1e-5"), ..ok() },
        },
        WrongAnswer {
            exercise: "batch_norm_forward",
            mistake: "statistics of one image, not of the whole batch",
            report_mentions: "over N, H and W",
            answers: Answers { batch_norm_forward: |x, bn| bn_forward(x, bn, "per image"), ..ok() },
        },
        WrongAnswer {
            exercise: "batch_norm_backward",
            mistake: "∂L/∂x without the mean(g) term",
            report_mentions: "g − mean(g)",
            answers: Answers { batch_norm_backward: |x, bn, g| bn_backward(x, bn, g, "no mean(g)"), ..ok() },
        },
        WrongAnswer {
            exercise: "batch_norm_backward",
            mistake: "∂L/∂γ = Σ g: the x̂ forgotten",
            report_mentions: "Σ g·x̂",
            answers: Answers { batch_norm_backward: |x, bn, g| bn_backward(x, bn, g, "no x̂"), ..ok() },
        },
        WrongAnswer {
            exercise: "batch_norm_backward",
            mistake: "= instead of +=: the gradients overwritten, not accumulated",
            report_mentions: "gradients accumulate",
            answers: Answers { batch_norm_backward: |x, bn, g| bn_backward(x, bn, g, "overwrites"), ..ok() },
        },
        WrongAnswer {
            exercise: "evaluate",
            mistake: "the course template's cell: the last batch only",
            report_mentions: "every test image",
            answers: Answers { evaluate: |m, t, b| evaluate(m, t, b, "last batch"), ..ok() },
        },
        WrongAnswer {
            exercise: "evaluate",
            mistake: "forward in training mode",
            report_mentions: "Mode::Eval",
            answers: Answers { evaluate: |m, t, b| evaluate(m, t, b, "train mode"), ..ok() },
        },
        WrongAnswer {
            exercise: "evaluate",
            mistake: "the loss as the mean of the batch means (a short last batch counts as much as a full one)",
            report_mentions: "averaged over images, not over batches",
            answers: Answers { evaluate: |m, t, b| evaluate(m, t, b, "mean of batch means"), ..ok() },
        },
        WrongAnswer {
            exercise: "evaluate",
            mistake: "accuracy as a percentage",
            report_mentions: "in [0, 1]",
            answers: Answers { evaluate: |m, t, b| evaluate(m, t, b, "percent"), ..ok() },
        },
        WrongAnswer {
            exercise: "train_epoch",
            mistake: "never clears the gradients",
            report_mentions: "model.zero_grad()",
            answers: Answers { train_epoch: |m, d, b, o| train_epoch(m, d, b, o, "no zero_grad"), ..ok() },
        },
        WrongAnswer {
            exercise: "train_epoch",
            mistake: "clears the gradients after the step, not before the forward pass",
            report_mentions: "in this order",
            answers: Answers { train_epoch: |m, d, b, o| train_epoch(m, d, b, o, "zero_grad last"), ..ok() },
        },
        WrongAnswer {
            exercise: "train_epoch",
            mistake: "steps before the backward pass",
            report_mentions: "in this order",
            answers: Answers { train_epoch: |m, d, b, o| train_epoch(m, d, b, o, "step before backward"), ..ok() },
        },
        WrongAnswer {
            exercise: "train_epoch",
            mistake: "forward in evaluation mode",
            report_mentions: "Mode::Train",
            answers: Answers { train_epoch: |m, d, b, o| train_epoch(m, d, b, o, "eval mode"), ..ok() },
        },
        WrongAnswer {
            exercise: "train_epoch",
            mistake: "the average loss weighted by images",
            report_mentions: "one per batch",
            answers: Answers { train_epoch: |m, d, b, o| train_epoch(m, d, b, o, "weighted by images"), ..ok() },
        },
        WrongAnswer {
            exercise: "train_epoch",
            mistake: "returns the last batch's loss",
            report_mentions: "mean of the batch losses",
            answers: Answers { train_epoch: |m, d, b, o| train_epoch(m, d, b, o, "last loss"), ..ok() },
        },
        WrongAnswer {
            exercise: "train_epoch",
            mistake: "calls the library's train_step for each batch",
            report_mentions: "calls `cnn::train_step`",
            answers: Answers {
                train_epoch: super::library::cnn::train_epoch::train_epoch,
                source: super::library::SOURCE,
                ..ok()
            },
        },
        WrongAnswer {
            exercise: "convolutional_model",
            mistake: "convolutions with a bias (bias=True)",
            report_mentions: "10538 parameters, expected 10458",
            answers: Answers { convolutional_model: |i, c, r| model(i, c, r, "conv bias"), ..ok() },
        },
        WrongAnswer {
            exercise: "convolutional_model",
            mistake: "no batch norm after the stem",
            report_mentions: "the model has 19 layers, expected 20",
            answers: Answers { convolutional_model: |i, c, r| model(i, c, r, "no stem batch norm"), ..ok() },
        },
        WrongAnswer {
            exercise: "convolutional_model",
            mistake: "ReLU before batch norm",
            report_mentions: "expected \"blocks.0.1\": BatchNorm2d",
            answers: Answers { convolutional_model: |i, c, r| model(i, c, r, "relu before batch norm"), ..ok() },
        },
        WrongAnswer {
            exercise: "convolutional_model",
            mistake: "flatten size 64 written in (CIFAR-10's), wrong for other images",
            report_mentions: "Linear(in_features=16",
            answers: Answers { convolutional_model: |i, c, r| model(i, c, r, "flatten 64"), ..ok() },
        },
        WrongAnswer {
            exercise: "convolutional_model",
            mistake: "the block convolutions drawn from a new generator, not rng",
            report_mentions: "same seed",
            answers: Answers { convolutional_model: |i, c, r| model(i, c, r, "fresh rng"), ..ok() },
        },
    ]
}
