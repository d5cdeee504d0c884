//! Batch norm's backward against central differences in f64, and the whole
//! network's backward against finite differences of its own f32 forward.

use backprop::gradcheck::{first_mismatch, numerical_gradient, relative_error};
use cnn::layers::{BatchNorm2d, Layer, Mode};
use cnn::models::{convolutional_model, tiny_vgg};
use cnn::Tensor;
use proptest::prelude::*;
use rand::SeedableRng;

fn tensor(shape: [usize; 4]) -> impl Strategy<Value = Tensor> {
    proptest::collection::vec(-2.0f32..2.0, shape.iter().product::<usize>())
        .prop_map(move |v| Tensor::from_vec(shape, v))
}

/// Σ BN(x) ⊙ G in f64 with batch statistics, γ and β given.
fn bn_loss(
    x: &[f64],
    gamma: &[f64],
    beta: &[f64],
    g: &[f32],
    shape: [usize; 4],
) -> f64 {
    let [n, c, h, w] = shape;
    let plane = h * w;
    let mut total = 0.0;
    for ch in 0..c {
        let values: Vec<(usize, f64)> = (0..n)
            .flat_map(|i| (0..plane).map(move |k| (i * c + ch) * plane + k))
            .map(|k| (k, x[k]))
            .collect();
        let m = values.len() as f64;
        let mean = values.iter().map(|v| v.1).sum::<f64>() / m;
        let var = values.iter().map(|v| (v.1 - mean).powi(2)).sum::<f64>() / m;
        for (k, v) in values {
            total += (gamma[ch] * (v - mean) / (var + 1e-5).sqrt() + beta[ch])
                * f64::from(g[k]);
        }
    }
    total
}

proptest! {
    /// Relative error < 1e-3, or absolute < 1e-4·max(1, |∇|): normalisation divides
    /// by σ, which amplifies the f32 rounding of x − μ.
    #[test]
    fn batch_norm_backward_matches_numeric(
        (x, g) in (1usize..4, 1usize..3, 1usize..4, 1usize..4)
            .prop_filter("two values per channel", |&(n, _, h, w)| n * h * w >= 2)
            .prop_flat_map(|(n, c, h, w)| (tensor([n, c, h, w]), tensor([n, c, h, w]))),
        scale in 0.5f32..2.0,
    ) {
        let shape = x.shape();
        // Keep each channel's spread away from zero, where BN is ill-conditioned.
        let spread = |t: &Tensor| t.data().iter().fold(f32::MIN, |m, &v| m.max(v)) - t.data().iter().fold(f32::MAX, |m, &v| m.min(v));
        prop_assume!(spread(&x) > 0.5);
        let mut bn = BatchNorm2d::new(shape[1]);
        bn.gamma.iter_mut().enumerate().for_each(|(i, v)| *v = scale + i as f32 * 0.3);
        bn.beta.iter_mut().enumerate().for_each(|(i, v)| *v = 0.1 * i as f32);
        let dx = bn.backward(&x, g.clone());
        let xs: Vec<f64> = x.data().iter().map(|&v| f64::from(v)).collect();
        let gamma: Vec<f64> = bn.gamma.iter().map(|&v| f64::from(v)).collect();
        let beta: Vec<f64> = bn.beta.iter().map(|&v| f64::from(v)).collect();
        let checks = [
            ("dx", dx.data().to_vec(), numerical_gradient(|v| bn_loss(v, &gamma, &beta, g.data(), shape), &xs, 1e-6)),
            ("dγ", bn.grad_gamma.clone(), numerical_gradient(|v| bn_loss(&xs, v, &beta, g.data(), shape), &gamma, 1e-6)),
            ("dβ", bn.grad_beta.clone(), numerical_gradient(|v| bn_loss(&xs, &gamma, v, g.data(), shape), &beta, 1e-6)),
        ];
        for (what, analytic, numeric) in checks {
            let analytic: Vec<f64> = analytic.iter().map(|&v| f64::from(v)).collect();
            if let Some(i) = first_mismatch(&analytic, &numeric, 1e-3, 1e-4) {
                prop_assert!(false, "{}[{}]: {} vs {}", what, i, analytic[i], numeric[i]);
            }
        }
    }
}

#[test]
fn batch_norm_running_statistics_follow_pytorch() {
    // One channel, values 1, 2, 3, 4: mean 2.5, biased var 1.25, unbiased 5/3.
    let mut bn = BatchNorm2d::new(1);
    let x = Tensor::from_vec([1, 1, 2, 2], vec![1.0, 2.0, 3.0, 4.0]);
    let y = bn.forward(&x, Mode::Train);
    assert!((bn.running_mean[0] - 0.25).abs() < 1e-6); // 0.9·0 + 0.1·2.5
    assert!((bn.running_var[0] - (0.9 + 0.1 * 5.0 / 3.0)).abs() < 1e-6);
    assert!((y.data()[0] + 1.5 / (1.25f32 + 1e-5).sqrt()).abs() < 1e-5);
    // Evaluation mode uses the running averages: (x − 0.25)/√(r_var + ε).
    let e = bn.forward(&x, Mode::Eval);
    let expected = (1.0 - 0.25) / (bn.running_var[0] + 1e-5).sqrt();
    assert!((e.data()[0] - expected).abs() < 1e-6);
}

/// The composed network: each parameter's analytic gradient against
/// (L(θ + h) − L(θ − h)) / 2h of the f32 network, h = 1e-3 (small enough to rarely
/// cross a ReLU or max-pool kink; 1e-2 does). The layers are each
/// checked in f64 elsewhere; this checks that they are chained right, so the
/// tolerance (5 % relative, or 1e-3 absolute) only has to absorb f32 noise.
#[test]
fn tiny_vgg_backward_matches_finite_differences() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    let net = tiny_vgg([1, 8, 8], 3, 4, &mut rng);
    let x = Tensor::from_fn([2, 1, 8, 8], |n, _, i, j| {
        ((n * 5 + i * 3 + j * 7) % 11) as f32 * 0.2 - 1.0
    });
    check_network(net, &x, &[1, 3]);
}

/// The CIFAR-10 model's forward and backward pass in training, where batch norm,
/// ReLU and pooling run as one fused step, against the same model run layer by
/// layer through each layer's own functions (each checked against finite
/// differences above and in `conv`): the same logits and running averages, and
/// the same gradients up to rounding.
#[test]
fn convolutional_model_fused_equals_layer_by_layer() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(4);
    let mut net = convolutional_model([3, 16, 16], 4, &mut rng);
    let mut alone = net.clone();
    let x = Tensor::from_fn([3, 3, 16, 16], |n, c, i, j| {
        ((n * 5 + c * 2 + i * 3 + j * 7) % 11) as f32 * 0.2 - 1.0
    });
    let grad =
        Tensor::from_fn([3, 4, 1, 1], |n, k, _, _| (n * 4 + k) as f32 * 0.1 - 0.5);

    let trace = net.forward_trace(&x, Mode::Train);
    net.backward(&trace, &grad);
    // Four blocks ran fused: their ReLU and pooling inputs were not kept.
    let skipped = trace.inputs.iter().filter(|t| t.data().is_empty()).count();
    assert_eq!(skipped, 8);

    let mut inputs = Vec::new();
    let mut argmax = Vec::new();
    let mut h = x.clone();
    for (_, layer) in &mut alone.layers {
        inputs.push(h.clone());
        h = match layer {
            Layer::Conv(l) => l.forward(&h),
            Layer::BatchNorm(l) => l.forward(&h, Mode::Train),
            Layer::Relu => relu(&h),
            Layer::MaxPool(p) => {
                let pooled = conv::fast::max_pool_forward(&h, *p);
                argmax.push(pooled.argmax);
                pooled.output
            }
            Layer::Flatten => {
                let [n, c, hh, ww] = h.shape();
                h.reshape([n, c * hh * ww, 1, 1])
            }
            Layer::Linear(l) => l.forward(&h),
        };
    }
    assert_eq!(h.data(), trace.output.data());
    let mut g = grad.clone();
    for (k, (_, layer)) in alone.layers.iter_mut().enumerate().rev() {
        let x = &inputs[k];
        g = match layer {
            Layer::Conv(l) => l.backward(x, &g, k > 0),
            Layer::BatchNorm(l) => l.backward(x, g),
            Layer::Relu => Tensor::from_vec(
                g.shape(),
                g.data()
                    .iter()
                    .zip(x.data())
                    .map(|(&g, &x)| g * activations::relu_derivative(x))
                    .collect(),
            ),
            Layer::MaxPool(_) => conv::fast::max_pool_backward(
                &g,
                &argmax.pop().expect("one argmax per pooling layer"),
                x.shape(),
            ),
            Layer::Flatten => g.reshape(x.shape()),
            Layer::Linear(l) => l.backward(x, &g, k > 0),
        };
    }
    assert_eq!(net.state(), alone.state(), "weights and running averages");
    for (a, b) in net.parameters().iter().zip(alone.parameters().iter()) {
        for (i, (&a, &b)) in a.grad.iter().zip(b.grad.iter()).enumerate() {
            assert!(
                (a - b).abs() <= 1e-4 * (1.0 + b.abs()),
                "gradient {i}: fused {a}, layer by layer {b}"
            );
        }
    }
}

fn relu(x: &Tensor) -> Tensor {
    Tensor::from_vec(
        x.shape(),
        x.data().iter().map(|&v| activations::relu(v)).collect(),
    )
}

fn check_network(mut net: cnn::Cnn, x: &Tensor, labels: &[usize]) {
    let (n, k) = (x.shape()[0], 4);
    let loss = |net: &mut cnn::Cnn| {
        let logits = net.forward(x, Mode::Train);
        let m = backprop::Matrix::from_row_slice(n, k, logits.data());
        losses::softmax_cross_entropy(&m, labels).0
    };
    net.zero_grad();
    let trace = net.forward_trace(x, Mode::Train);
    let (_, grad) = losses::softmax_cross_entropy(
        &backprop::Matrix::from_row_slice(n, k, trace.output.data()),
        labels,
    );
    let grad = Tensor::from_vec([n, k, 1, 1], grad.transpose().as_slice().to_vec());
    net.backward(&trace, &grad);
    let analytic: Vec<Vec<f32>> =
        net.parameters().iter().map(|p| p.grad.to_vec()).collect();
    let mut checked = 0;
    for (k, grads) in analytic.iter().enumerate() {
        for i in (0..grads.len()).step_by(7) {
            let h = 1e-3;
            let original = net.parameters()[k].value[i];
            net.parameters()[k].value[i] = original + h;
            let plus = loss(&mut net);
            net.parameters()[k].value[i] = original - h;
            let minus = loss(&mut net);
            net.parameters()[k].value[i] = original;
            let numeric = (plus - minus) / (2.0 * h);
            let a = grads[i];
            assert!(
                relative_error(f64::from(a), f64::from(numeric)) < 5e-2
                    || (a - numeric).abs() < 1e-3,
                "parameter {k}[{i}]: analytic {a}, numeric {numeric}"
            );
            checked += 1;
        }
    }
    assert!(checked > 50);
}

/// Shapes of a dense layer and its batch, some large enough for the layer to
/// split its products over threads.
fn dense_case() -> impl Strategy<Value = (Tensor, cnn::layers::Linear, Tensor)> {
    (1usize..48, 1usize..90, 1usize..60, any::<u64>()).prop_flat_map(
        |(n, f, o, seed)| {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let layer = cnn::layers::Linear::new(f, o, &mut rng);
            (tensor([n, f, 1, 1]), Just(layer), tensor([n, o, 1, 1]))
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The layer's GEMMs on tensor storage compute `backprop::Dense`'s math:
    /// z = x·W + b, ∂L/∂x = g·Wᵀ, ∂L/∂W = xᵀ·g, ∂L/∂b = Σ g, gradients adding up.
    #[test]
    fn linear_agrees_with_dense((x, mut layer, g) in dense_case()) {
        let [n, f, _, _] = x.shape();
        let o = layer.dense().outputs();
        let xm = backprop::Matrix::from_row_slice(n, f, x.data());
        let gm = backprop::Matrix::from_row_slice(n, o, g.data());
        let mut dense = layer.dense().clone();
        let close = |a: &[f32], b: &[f32], what: &str| {
            prop_assert_eq!(a.len(), b.len(), "{}", what);
            for (i, (&a, &b)) in a.iter().zip(b).enumerate() {
                prop_assert!(
                    (a - b).abs() <= 1e-5 * (1.0 + b.abs()) * f as f32,
                    "{} [{}]: fast {}, Dense {}", what, i, a, b
                );
            }
            Ok(())
        };
        let z = layer.forward(&x);
        prop_assert_eq!(z.shape(), [n, o, 1, 1]);
        close(z.data(), dense.forward(&xm).transpose().as_slice(), "z")?;
        for _ in 0..2 {
            let dx = layer.backward(&x, &g, true);
            let expected = dense.backward(&xm, &gm);
            prop_assert_eq!(dx.shape(), x.shape());
            close(dx.data(), expected.transpose().as_slice(), "∂L/∂x")?;
        }
        close(
            layer.dense().grad_weight.as_slice(),
            dense.grad_weight.as_slice(),
            "∂L/∂W",
        )?;
        close(
            layer.dense().grad_bias.as_slice(),
            dense.grad_bias.as_slice(),
            "∂L/∂b",
        )?;
        // Without ∂L/∂x, the parameters' gradients are the same.
        let before = layer.dense().grad_weight.clone();
        prop_assert_eq!(layer.backward(&x, &g, false).shape(), [0; 4]);
        let step = &layer.dense().grad_weight - &before;
        close(step.as_slice(), (&dense.grad_weight / 2.0).as_slice(), "∂L/∂W once")?;
    }
}

/// The inference path (fused passes, in-place layers, large batches in groups
/// of images) gives the logits of the layers run one by one on the whole batch,
/// to the bit, for every model of the course; batch norm's running averages are
/// moved away from their start first. 5 images run as one group; 37 as groups
/// of 16 and 21 (TinyVGG) or 8, 8, 8 and 13 (ConvolutionalModel); the MLP's 64
/// as one group per thread (16, 16, 16 and 16 with 4 threads, 22 and 42 with 3).
#[test]
fn inference_equals_the_layers_one_by_one() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    for mut net in [
        convolutional_model([3, 32, 32], 10, &mut rng),
        tiny_vgg([1, 28, 28], 8, 10, &mut rng),
        cnn::models::mlp([1, 28, 28], 10, &mut rng),
    ] {
        let [c, h, w] = net.input;
        for n in [5, 37, 64] {
            let x = Tensor::from_fn([n, c, h, w], |n, ch, i, j| {
                ((n * 37 + ch * 11 + i * 5 + j * 3) % 23) as f32 / 11.0 - 1.0
            });
            for _ in 0..3 {
                net.forward(&x, Mode::Train);
            }
            let one_by_one = net.forward_trace(&x, Mode::Eval).output;
            for threads in [1, 3, 4] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                let fast = pool.install(|| net.forward(&x, Mode::Eval));
                let what = format!("{} on {n}, {threads} threads", net.name);
                assert_eq!(fast.shape(), one_by_one.shape(), "{what}");
                assert_eq!(fast.data(), one_by_one.data(), "{what}");
            }
        }
    }
}

/// Inference reads the dense layers' weights from a row-major copy: after every
/// way of changing them — an optimiser step through `parameters`, `dense_mut`,
/// a checkpoint — the logits are those of the layers one by one on the new
/// weights, not on the copy of the old ones.
#[test]
fn inference_follows_the_dense_weights_as_they_change() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(5);
    let mut net = cnn::models::mlp([1, 6, 6], 4, &mut rng);
    let x = Tensor::from_fn([3, 1, 6, 6], |n, _, i, j| {
        ((n * 7 + i * 5 + j * 3) % 11) as f32 / 5.0 - 1.0
    });
    let agree = |net: &mut cnn::Cnn, what: &str| {
        let one_by_one = net.forward_trace(&x, Mode::Eval).output;
        assert_eq!(
            net.forward(&x, Mode::Eval).data(),
            one_by_one.data(),
            "{what}"
        );
        one_by_one
    };
    let start = agree(&mut net, "at the start");
    for p in net.parameters() {
        for v in p.value.iter_mut() {
            *v *= -1.5;
        }
    }
    let stepped = agree(&mut net, "after changing the parameters");
    assert_ne!(stepped.data(), start.data(), "the change must show");
    for (_, layer) in &mut net.layers {
        if let Layer::Linear(l) = layer {
            l.dense_mut().weight.as_mut_slice()[0] += 1.0;
        }
    }
    let edited = agree(&mut net, "after dense_mut");
    assert_ne!(edited.data(), stepped.data(), "the edit must show");
    let state = net.state();
    let mut other = cnn::models::mlp([1, 6, 6], 4, &mut rng);
    agree(&mut other, "another model");
    other.load_state(&state).unwrap();
    assert_eq!(agree(&mut other, "after loading").data(), edited.data());
}
