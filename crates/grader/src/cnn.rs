//! Graders for `exercises/cnn/`: the hands-on's batch norm, evaluation,
//! training loop and model.

use crate::cases::{
    calls, f64s, fail_with_hint, fields, labelled, list, tensor, Call,
};
use crate::messages::{fill, tr, Msg};
use crate::{
    call, check, check_each, compare, compare_gradient, Exercise, Section, Source,
    TestCaseError,
};
use ::cnn::data::{embedded_fashion_mnist, Dataset};
use ::cnn::layers::{BatchNorm2d, Conv2dLayer, Linear, Mode};
use ::cnn::steps::{logits_matrix, Score};
use ::cnn::{Cnn, Layer, Tensor};
use backprop::gradcheck::numerical_gradient;
use conv::{Conv2d, MaxPool};
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sgd::{Optimizer, Sgd};
use std::sync::OnceLock;

/// The student's hands-on pieces.
#[derive(Clone, Copy)]
pub struct Answers {
    /// Batch norm in training mode: y, and the running averages updated in `bn`.
    pub batch_norm_forward: fn(&Tensor, &mut BatchNorm2d) -> Tensor,
    /// (x, bn, ∂L/∂y) → ∂L/∂x, adding ∂L/∂γ and ∂L/∂β into `bn`'s gradients.
    pub batch_norm_backward: fn(&Tensor, &mut BatchNorm2d, &Tensor) -> Tensor,
    /// Accuracy and mean loss over every image of a test set, in evaluation mode.
    pub evaluate: fn(&mut Cnn, &Dataset, usize) -> Score,
    /// One epoch over the given batches; returns the mean of the batch losses.
    pub train_epoch:
        fn(&mut Cnn, &Dataset, &[Vec<usize>], &mut dyn Optimizer) -> f32,
    /// The course's CIFAR-10 model, built from layers.
    pub convolutional_model: fn([usize; 3], usize, &mut StdRng) -> Cnn,
    /// Where this copy's files are, for the library-call scan.
    pub source: Source,
}

// ---------------------------------------------------------------------------
// Batch norm

/// Batch norm's input and the layer, as the student's function receives them.
type BnCase = (Tensor, BatchNorm2d);

/// Inputs N × C × H × W with at least two values per channel (PyTorch refuses
/// one), and a layer with random γ, β, running averages, and momentum and ε
/// that are often not the defaults.
fn bn_case() -> impl Strategy<Value = BnCase> {
    (1usize..4, 1usize..4, 1usize..4, 1usize..5)
        .prop_filter("two values per channel", |&(n, _, h, w)| n * h * w >= 2)
        .prop_flat_map(|(n, c, h, w)| {
            let v =
                |range: std::ops::Range<f32>| proptest::collection::vec(range, c);
            (
                tensor([n, c, h, w], -3.0..3.0),
                // γ is never near 0, where y = β would hide the normalisation.
                proptest::collection::vec(
                    prop_oneof![0.5f32..2.0, -2.0f32..-0.5],
                    c,
                ),
                v(-1.0..1.0),
                v(-1.0..1.0),
                v(0.25..2.0),
                prop_oneof![Just(0.1f32), 0.01f32..0.9],
                prop_oneof![Just(1e-5f32), Just(1e-3f32), Just(0.5f32)],
                prop_oneof![Just(false), Just(true)],
                (v(-1.0..1.0), v(-1.0..1.0)),
            )
        })
        .prop_map(
            |(x, gamma, beta, mean, var, momentum, eps, stale, (gg, gb))| {
                let c = gamma.len();
                let mut bn = BatchNorm2d::new(c);
                bn.gamma = gamma;
                bn.beta = beta;
                bn.running_mean = mean;
                bn.running_var = var;
                bn.momentum = momentum;
                bn.eps = eps;
                // Gradients left by an earlier backward pass, half the time.
                if stale {
                    bn.grad_gamma = gg;
                    bn.grad_beta = gb;
                }
                (x, bn)
            },
        )
}

fn show_bn_forward(c: &BnCase) -> String {
    let bn = &c.1;
    let layer = fields(
        "BatchNorm2d",
        &[
            ("gamma", &bn.gamma),
            ("beta", &bn.beta),
            ("running_mean", &bn.running_mean),
            ("running_var", &bn.running_var),
            ("momentum", &bn.momentum),
            ("eps", &bn.eps),
        ],
    );
    labelled(&[("x", &c.0), ("bn", &layer.as_str())])
}

/// Everything but the running averages (and, in the backward pass, the
/// gradients) must be left as it was: which field changed, if one did.
fn changed_field(
    before: &BatchNorm2d,
    after: &BatchNorm2d,
    forward: bool,
) -> Option<&'static str> {
    if after.gamma != before.gamma {
        Some("bn.gamma")
    } else if after.beta != before.beta {
        Some("bn.beta")
    } else if after.momentum != before.momentum {
        Some("bn.momentum")
    } else if after.eps != before.eps {
        Some("bn.eps")
    } else if forward && after.grad_gamma != before.grad_gamma {
        Some("bn.grad_gamma")
    } else if forward && after.grad_beta != before.grad_beta {
        Some("bn.grad_beta")
    } else if !forward && after.running_mean != before.running_mean {
        Some("bn.running_mean")
    } else if !forward && after.running_var != before.running_var {
        Some("bn.running_var")
    } else {
        None
    }
}

fn must_not_change(field: &str, hint: Msg) -> TestCaseError {
    let changed = fill(tr(Msg::FieldChanged), &[("field", &field)]);
    fail_with_hint(&changed, tr(hint))
}

fn grade_bn_forward(f: fn(&Tensor, &mut BatchNorm2d) -> Tensor) -> crate::Verdict {
    check(
        128,
        calls(bn_case(), show_bn_forward),
        move |case: Call<BnCase>| {
            let (x, bn) = case.args;
            let mut expected_bn = bn.clone();
            let expected = expected_bn.forward(&x, Mode::Train);
            let mut actual_bn = bn.clone();
            let shapes = tr(Msg::HintBatchNormShape);
            let actual = call(shapes, || f(&x, &mut actual_bn))?;
            crate::cases::same_shape("y", expected.shape(), actual.shape(), shapes)?;
            compare(
                "y",
                &f64s(expected.data()),
                &f64s(actual.data()),
                1e-4,
                tr(Msg::HintBatchNormForward),
            )?;
            compare(
                "bn.running_mean",
                &f64s(&expected_bn.running_mean),
                &f64s(&actual_bn.running_mean),
                1e-4,
                tr(Msg::HintBatchNormRunning),
            )?;
            compare(
                "bn.running_var",
                &f64s(&expected_bn.running_var),
                &f64s(&actual_bn.running_var),
                1e-4,
                tr(Msg::HintBatchNormRunning),
            )?;
            match changed_field(&bn, &actual_bn, true) {
                Some(field) => Err(must_not_change(field, Msg::HintBatchNormLeave)),
                None => Ok(()),
            }
        },
    )
}

/// Batch norm's backward case: the input, the layer, and ∂L/∂y.
type BnBackCase = (Tensor, BatchNorm2d, Tensor);

fn bn_back_case() -> impl Strategy<Value = BnBackCase> {
    bn_case().prop_flat_map(|(x, bn)| {
        let shape = x.shape();
        (Just(x), Just(bn), tensor(shape, -2.0..2.0))
    })
}

fn show_bn_backward(c: &BnBackCase) -> String {
    let bn = &c.1;
    let layer = fields(
        "BatchNorm2d",
        &[
            ("gamma", &bn.gamma),
            ("beta", &bn.beta),
            ("eps", &bn.eps),
            ("grad_gamma", &bn.grad_gamma),
            ("grad_beta", &bn.grad_beta),
        ],
    );
    labelled(&[("x", &c.0), ("bn", &layer.as_str()), ("grad_output", &c.2)])
}

/// L = Σ G ⊙ BN(x; γ, β) in f64, training mode (the batch's mean and biased
/// variance per channel), so that ∂L/∂y = G.
fn bn_loss(
    shape: [usize; 4],
    x: &[f64],
    gamma: &[f64],
    beta: &[f64],
    eps: f64,
    g: &[f64],
) -> f64 {
    let [n, c, h, w] = shape;
    let plane = h * w;
    let m = (n * plane) as f64;
    let mut total = 0.0;
    for ch in 0..c {
        let idx = |i: usize, k: usize| (i * c + ch) * plane + k;
        let values = (0..n).flat_map(|i| (0..plane).map(move |k| idx(i, k)));
        let mean = values.clone().map(|j| x[j]).sum::<f64>() / m;
        let var = values.clone().map(|j| (x[j] - mean).powi(2)).sum::<f64>() / m;
        let inv = 1.0 / (var + eps).sqrt();
        for j in values {
            total += g[j] * (gamma[ch] * (x[j] - mean) * inv + beta[ch]);
        }
    }
    total
}

fn grade_bn_backward(
    f: fn(&Tensor, &mut BatchNorm2d, &Tensor) -> Tensor,
) -> crate::Verdict {
    // Relative error 1e-3 against f64 central differences (h = 1e-6): the f32
    // answer sums at most 48 values per channel, rounding near 1e-6.
    check(128, calls(bn_back_case(), show_bn_backward), move |case| {
        let (x, bn, g) = case.args;
        let shape = x.shape();
        let (xs, gs) = (f64s(x.data()), f64s(g.data()));
        let (gamma, beta) = (f64s(&bn.gamma), f64s(&bn.beta));
        let eps = f64::from(bn.eps);
        let dx = numerical_gradient(
            |v| bn_loss(shape, v, &gamma, &beta, eps, &gs),
            &xs,
            1e-6,
        );
        let dgamma = numerical_gradient(
            |v| bn_loss(shape, &xs, v, &beta, eps, &gs),
            &gamma,
            1e-6,
        );
        let dbeta = numerical_gradient(
            |v| bn_loss(shape, &xs, &gamma, v, eps, &gs),
            &beta,
            1e-6,
        );
        let mut actual_bn = bn.clone();
        let shapes = tr(Msg::HintBatchNormShape);
        let actual = call(shapes, || f(&x, &mut actual_bn, &g))?;
        crate::cases::same_shape(tr(Msg::GradInput), shape, actual.shape(), shapes)?;
        compare_gradient(
            "∂L/∂x",
            &dx,
            &f64s(actual.data()),
            1e-3,
            tr(Msg::HintBatchNormBackward),
        )?;
        for (what, before, numeric, after, hint) in [
            (
                "bn.grad_gamma",
                &bn.grad_gamma,
                &dgamma,
                &actual_bn.grad_gamma,
                Msg::HintBatchNormGamma,
            ),
            (
                "bn.grad_beta",
                &bn.grad_beta,
                &dbeta,
                &actual_bn.grad_beta,
                Msg::HintBatchNormBeta,
            ),
        ] {
            let expected: Vec<f64> = f64s(before)
                .iter()
                .zip(numeric)
                .map(|(b, d)| b + d)
                .collect();
            let overwrote = before.iter().any(|&b| b != 0.0)
                && after.len() == numeric.len()
                && compare_gradient(what, numeric, &f64s(after), 1e-3, "").is_ok();
            let hint = if overwrote { Msg::HintAccumulate } else { hint };
            compare_gradient(what, &expected, &f64s(after), 1e-3, tr(hint))?;
        }
        match changed_field(&bn, &actual_bn, false) {
            Some(field) => Err(must_not_change(field, Msg::HintBatchNormLeave)),
            None => Ok(()),
        }
    })
}

// ---------------------------------------------------------------------------
// A tiny model and real images, for evaluate and train_epoch

/// The embedded Fashion-MNIST subset, read once.
fn fashion() -> &'static ::cnn::data::Split {
    static DATA: OnceLock<::cnn::data::Split> = OnceLock::new();
    DATA.get_or_init(embedded_fashion_mnist)
}

/// Conv(1→2, 3×3, pad 1, no bias) → BatchNorm(2) → ReLU → MaxPool 2×2 →
/// Flatten → Linear(392 → 10), for 1 × 28 × 28 images; its batch norm has the
/// running averages of a trained model, far from a batch's statistics, so that
/// evaluation and training mode give other logits.
fn tiny_model(seed: u64) -> Cnn {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut bn = BatchNorm2d::new(2);
    bn.running_mean = vec![0.3, -0.4];
    bn.running_var = vec![0.05, 2.5];
    bn.gamma = vec![1.5, 0.8];
    bn.beta = vec![0.1, -0.2];
    let conv = Conv2dLayer::new(1, 2, 3, Conv2d::SAME_3X3, false, &mut rng);
    Cnn {
        name: "tiny".to_string(),
        input: [1, 28, 28],
        layers: vec![
            ("0".to_string(), Layer::Conv(conv)),
            ("1".to_string(), Layer::BatchNorm(bn)),
            ("2".to_string(), Layer::Relu),
            ("3".to_string(), Layer::MaxPool(MaxPool::HALVE)),
            ("4".to_string(), Layer::Flatten),
            (
                "5".to_string(),
                Layer::Linear(Linear::new(2 * 14 * 14, 10, &mut rng)),
            ),
        ],
    }
}

/// How the tiny model prints in a failing case.
fn show_tiny(stale: bool) -> String {
    let layers =
        "Conv2d(1, 2, kernel_size=(3, 3), padding=1, bias=False) → BatchNorm2d(2) \
                  → ReLU() → MaxPool2d(2) → Flatten() → Linear(392, 10)";
    let what = tr(if stale {
        Msg::TinyModelStale
    } else {
        Msg::TinyModel
    });
    format!("{what}\n{layers}")
}

fn show_images(d: &Dataset) -> String {
    let [c, h, w] = d.shape;
    fill(
        tr(Msg::SomeImages),
        &[("count", &d.len()), ("shape", &format!("{c}×{h}×{w}"))],
    )
}

/// Accuracy and mean loss of `model` over every image of `data`, in
/// evaluation mode, all in one batch.
fn reference_score(model: &Cnn, data: &Dataset) -> Score {
    let mut model = model.clone();
    let all: Vec<usize> = (0..data.len()).collect();
    let (x, labels) = data.batch(&all);
    let logits = logits_matrix(&model.forward(&x, Mode::Eval));
    let (loss, _) = losses::softmax_cross_entropy(&logits, &labels);
    let right = logits
        .row_iter()
        .zip(&labels)
        .filter(|(row, &y)| row.transpose().argmax().0 == y)
        .count();
    Score {
        accuracy: right as f32 / data.len() as f32,
        loss,
    }
}

fn grade_evaluate(f: fn(&mut Cnn, &Dataset, usize) -> Score) -> crate::Verdict {
    let test = fashion().test.take(70);
    let model = tiny_model(1);
    let expected = reference_score(&model, &test);
    // 70 images: batches of 32 leave a short last batch of 6.
    let show = |b: &usize| {
        let test = fashion().test.take(70);
        labelled(&[
            ("model", &show_tiny(false).as_str()),
            ("test", &show_images(&test).as_str()),
            ("batch_size", b),
        ])
    };
    let sizes = [32usize, 7, 70, 100].map(|b| Call::new(b, show)).to_vec();
    check_each(sizes, move |case| {
        let batch_size = case.args;
        let mut actual_model = model.clone();
        let shapes = tr(Msg::HintLogitsShape);
        let score = call(shapes, || f(&mut actual_model, &test, batch_size))?;
        if actual_model != model {
            return Err(fail_with_hint(
                tr(Msg::EvaluateChangedModel),
                tr(Msg::HintEvalMode),
            ));
        }
        compare(
            tr(Msg::Accuracy),
            &[f64::from(expected.accuracy)],
            &[f64::from(score.accuracy)],
            1e-6,
            tr(Msg::HintEvaluateAccuracy),
        )?;
        compare(
            tr(Msg::MeanLoss),
            &[f64::from(expected.loss)],
            &[f64::from(score.loss)],
            1e-4,
            tr(Msg::HintEvaluateLoss),
        )
    })
}

/// A train_epoch case: 20 training images, cut into these batches.
type EpochCase = Vec<Vec<usize>>;

/// The epochs graded: 20 images shuffled, cut into batches of 8, 8 and a
/// short 4; of 5; and one batch of all 20.
fn epoch_cases() -> Vec<Call<EpochCase>> {
    [vec![8usize, 8, 4], vec![5, 5, 5, 5], vec![20]]
        .into_iter()
        .enumerate()
        .map(|(seed, sizes)| {
            let mut order: Vec<usize> = (0..20).collect();
            let mut rng = StdRng::seed_from_u64(seed as u64);
            for i in (1..order.len()).rev() {
                order.swap(i, rng.random_range(0..=i));
            }
            let mut batches = Vec::new();
            let mut start = 0;
            for s in sizes {
                batches.push(order[start..start + s].to_vec());
                start += s;
            }
            Call::new(batches, show_epoch)
        })
        .collect()
}

/// The optimizer every train_epoch case uses.
fn epoch_optimizer() -> Sgd {
    Sgd::with_momentum(0.05, 0.9)
}

fn show_epoch(batches: &EpochCase) -> String {
    let data = fashion().train.take(20);
    let shown: Vec<String> = batches.iter().map(|b| list(b)).collect();
    let batches = shown.join("\n");
    labelled(&[
        ("model", &show_tiny(true).as_str()),
        ("data", &show_images(&data).as_str()),
        ("batches", &batches.as_str()),
        ("optimizer", &"Sgd::with_momentum(0.05, 0.9)"),
    ])
}

/// The tiny model with gradients left over from an earlier backward pass on
/// other images, which the epoch's first step must clear.
fn stale_model(data: &Dataset) -> Cnn {
    let mut model = tiny_model(2);
    let (x, labels) = data.batch(&[0, 1, 2, 3]);
    let trace = model.forward_trace(&x, Mode::Train);
    let (_, grad) =
        losses::softmax_cross_entropy(&logits_matrix(&trace.output), &labels);
    model.backward(&trace, &::cnn::steps::logits_gradient(&grad));
    // Forward in training mode moved the running averages; put them back.
    let fresh = tiny_model(2);
    for ((_, layer), (_, original)) in model.layers.iter_mut().zip(&fresh.layers) {
        if let (Layer::BatchNorm(bn), Layer::BatchNorm(o)) = (layer, original) {
            bn.running_mean.clone_from(&o.running_mean);
            bn.running_var.clone_from(&o.running_var);
        }
    }
    model
}

fn grade_train_epoch(
    f: fn(&mut Cnn, &Dataset, &[Vec<usize>], &mut dyn Optimizer) -> f32,
) -> crate::Verdict {
    let data = fashion().train.take(20);
    let start = stale_model(&fashion().test.take(4));
    check_each(epoch_cases(), move |case| {
        let batches = case.args;
        let mut expected = start.clone();
        let mut optimizer = epoch_optimizer();
        let mut total = 0.0f64;
        for batch in &batches {
            let (x, labels) = data.batch(batch);
            total += f64::from(::cnn::train::train_step(
                &mut expected,
                &x,
                &labels,
                &mut optimizer,
            ));
        }
        let average = total / batches.len() as f64;
        let mut actual = start.clone();
        let mut optimizer = epoch_optimizer();
        let shapes = tr(Msg::HintLogitsShape);
        let loss = call(shapes, || f(&mut actual, &data, &batches, &mut optimizer))?;
        let (want, got) = (expected.state(), actual.state());
        for ((name, _, e), (_, _, a)) in want.iter().zip(&got) {
            let what = fill(tr(Msg::AfterTheEpoch), &[("what", name)]);
            compare(&what, &f64s(e), &f64s(a), 1e-5, tr(Msg::HintTrainOrder))?;
        }
        compare(
            tr(Msg::AverageLoss),
            &[average],
            &[f64::from(loss)],
            1e-5,
            tr(Msg::HintTrainEpochLoss),
        )
    })
}

// ---------------------------------------------------------------------------
// The model

/// A layer as PyTorch prints it, with its name.
fn describe(layer: &Layer) -> String {
    match layer {
        Layer::Conv(l) => {
            let [o, c, kh, kw] = l.weight.shape();
            format!(
                "Conv2d({c}, {o}, kernel_size=({kh}, {kw}), stride={}, padding={}, bias={})",
                l.spec.stride,
                l.spec.padding,
                if l.bias.is_some() { "True" } else { "False" }
            )
        }
        Layer::BatchNorm(b) => format!(
            "BatchNorm2d({}, eps={:e}, momentum={})",
            b.gamma.len(),
            b.eps,
            b.momentum
        ),
        Layer::Relu => "ReLU()".to_string(),
        Layer::MaxPool(p) => {
            format!("MaxPool2d(kernel_size={}, stride={})", p.kernel, p.stride)
        }
        Layer::Flatten => "Flatten()".to_string(),
        Layer::Linear(l) => format!(
            "Linear(in_features={}, out_features={})",
            l.dense().inputs(),
            l.dense().outputs()
        ),
    }
}

/// A convolutional_model case: images, classes, seed.
type ModelCase = ([usize; 3], usize, u64);

fn show_model_case(c: &ModelCase) -> String {
    let rng = format!("StdRng::seed_from_u64({})", c.2);
    labelled(&[("input", &c.0), ("classes", &c.1), ("rng", &rng.as_str())])
}

fn grade_model(f: fn([usize; 3], usize, &mut StdRng) -> Cnn) -> crate::Verdict {
    let cases = vec![
        Call::new(([3usize, 32, 32], 10usize, 0u64), show_model_case),
        Call::new(([1, 28, 28], 10, 1), show_model_case),
        Call::new(([3, 48, 40], 4, 2), show_model_case),
    ];
    check_each(cases, move |case| {
        let (input, classes, seed) = case.args;
        let hint = tr(Msg::HintConvolutionalModel);
        let mut expected = ::cnn::models::convolutional_model(
            input,
            classes,
            &mut StdRng::seed_from_u64(seed),
        );
        let mut actual =
            call(hint, || f(input, classes, &mut StdRng::seed_from_u64(seed)))?;
        let (want, got) = (expected.parameter_count(), actual.parameter_count());
        let count = fill(
            tr(Msg::ParameterCount),
            &[("actual", &got), ("expected", &want)],
        );
        let count = if want == got {
            String::new()
        } else {
            format!("{count}\n")
        };
        if actual.layers.len() != expected.layers.len() {
            let layers = fill(
                tr(Msg::ModelLayerCount),
                &[
                    ("actual", &actual.layers.len()),
                    ("expected", &expected.layers.len()),
                ],
            );
            return Err(fail_with_hint(&format!("{count}{layers}"), hint));
        }
        for (k, ((en, el), (an, al))) in
            expected.layers.iter().zip(&actual.layers).enumerate()
        {
            let (e, a) = (describe(el), describe(al));
            if e != a || en != an {
                let differs = fill(
                    tr(Msg::LayerDiffers),
                    &[
                        ("k", &k),
                        ("expected", &format!("{en:?}: {e}")),
                        ("actual", &format!("{an:?}: {a}")),
                    ],
                );
                return Err(fail_with_hint(&format!("{count}{differs}"), hint));
            }
        }
        if actual.input != input {
            let shape = fill(
                tr(Msg::ShapeMismatch),
                &[
                    ("what", &"Cnn::input"),
                    ("actual", &format!("{:?}", actual.input)),
                    ("expected", &format!("{input:?}")),
                ],
            );
            return Err(fail_with_hint(&shape, hint));
        }
        let [c, h, w] = input;
        let mut rng = StdRng::seed_from_u64(7);
        let x = Tensor::from_fn([2, c, h, w], |_, _, _, _| {
            rng.random_range(-1.0f32..1.0)
        });
        let want = expected.forward(&x, Mode::Train);
        let got = call(hint, || actual.forward(&x, Mode::Train))?;
        crate::cases::same_shape("logits", want.shape(), got.shape(), hint)?;
        compare(
            "logits",
            &f64s(want.data()),
            &f64s(got.data()),
            1e-4,
            tr(Msg::HintModelRng),
        )
    })
}

/// The section's exercises.
pub fn exercises(a: Answers) -> Section {
    let s = a.source;
    Section {
        name: "cnn",
        exercises: vec![
            Exercise::new("batch_norm_forward", "cnn/batch_norm.rs", move || {
                grade_bn_forward(a.batch_norm_forward)
            })
            .forbid_library(s, &["BatchNorm2d::forward", "cnn::fused"]),
            Exercise::new("batch_norm_backward", "cnn/batch_norm.rs", move || {
                grade_bn_backward(a.batch_norm_backward)
            })
            .forbid_library(s, &["BatchNorm2d::backward", "cnn::fused"]),
            Exercise::new("evaluate", "cnn/evaluate.rs", move || {
                grade_evaluate(a.evaluate)
            })
            .forbid_library(s, &["cnn::evaluate", "cnn::Evaluation"]),
            Exercise::new("train_epoch", "cnn/train_epoch.rs", move || {
                grade_train_epoch(a.train_epoch)
            })
            .forbid_library(
                s,
                &["cnn::train_step", "cnn::train_epoch", "sgd::run_epoch"],
            ),
            Exercise::new("convolutional_model", "cnn/model.rs", move || {
                grade_model(a.convolutional_model)
            })
            .forbid_library(s, &["cnn::models"]),
        ],
    }
}
