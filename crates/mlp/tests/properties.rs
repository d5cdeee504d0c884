//! The multilayer perceptron: its backward pass against central differences,
//! the collapse of linear layers, and the lecture's XOR argument.

use activations::Activation;
use backprop::gradcheck::{first_mismatch, numerical_gradient};
use mlp::{Init, Layer, Matrix, Mlp};
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::SeedableRng;
use sgd::{Adam, Optimizer};

fn network() -> impl Strategy<Value = (Vec<usize>, u64, Activation)> {
    (
        proptest::collection::vec(1usize..5, 2..5),
        any::<u64>(),
        prop_oneof![
            Just(Activation::Tanh),
            Just(Activation::Sigmoid),
            Just(Activation::Identity)
        ],
    )
}

/// The network's output in f64 with every weight taken from `theta` (in
/// `parameters()` order: W then b for each dense layer, column-major).
fn forward64(net: &Mlp, theta: &[f64], x: &Matrix) -> Vec<Vec<f64>> {
    let mut h: Vec<Vec<f64>> = x
        .row_iter()
        .map(|r| r.iter().map(|&v| f64::from(v)).collect())
        .collect();
    let mut offset = 0;
    for layer in &net.layers {
        match layer {
            Layer::Dense(d) => {
                let (i, o) = (d.inputs(), d.outputs());
                let w = &theta[offset..offset + i * o];
                let b = &theta[offset + i * o..offset + i * o + o];
                offset += i * o + o;
                h = h
                    .iter()
                    .map(|row| {
                        (0..o)
                            .map(|c| {
                                (0..i).map(|k| row[k] * w[c * i + k]).sum::<f64>()
                                    + b[c]
                            })
                            .collect()
                    })
                    .collect();
            }
            Layer::Activation(a) => {
                let g = |z: f64| match a.0 {
                    Activation::Tanh => z.tanh(),
                    Activation::Sigmoid => 1.0 / (1.0 + (-z).exp()),
                    _ => z,
                };
                h = h
                    .iter()
                    .map(|row| row.iter().map(|&z| g(z)).collect())
                    .collect();
            }
        }
    }
    h
}

proptest! {
    /// ∂L/∂θ of L = Σ ŷ ⊙ R: relative error < 1e-3, or absolute < 1e-5·max(1, |∇|)
    /// where terms cancel (the f32 forward and backward carry ~1e-6 relative error).
    #[test]
    fn mlp_backward_matches_numeric((sizes, seed, g) in network(), n in 1usize..4) {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut net = Mlp::new(&sizes, g, Init::Xavier, &mut rng);
        let x = Matrix::from_fn(n, sizes[0], |i, j| ((i * 7 + j * 3) % 5) as f32 * 0.4 - 0.8);
        let r = Matrix::from_fn(n, *sizes.last().unwrap(), |i, j| ((i + 2 * j) % 3) as f32 - 1.0);
        let trace = net.forward_trace(&x);
        net.backward(&trace, &r);
        let (theta, analytic): (Vec<f64>, Vec<f64>) = net.parameters().iter()
            .flat_map(|p| p.value.iter().zip(p.grad.iter()).map(|(&v, &g)| (f64::from(v), f64::from(g))).collect::<Vec<_>>())
            .unzip();
        let l = |t: &[f64]| {
            forward64(&net, t, &x).iter().enumerate()
                .map(|(i, row)| row.iter().enumerate().map(|(j, v)| v * f64::from(r[(i, j)])).sum::<f64>()).sum::<f64>()
        };
        let numeric = numerical_gradient(l, &theta, 1e-6);
        if let Some(k) = first_mismatch(&analytic, &numeric, 1e-3, 1e-5) {
            prop_assert!(false, "θ[{}]: analytic {}, numeric {}", k, analytic[k], numeric[k]);
        }
    }

    /// A linear-only MLP and its collapsed W′x + b′ give the same outputs.
    #[test]
    fn linear_layers_collapse((sizes, seed, _) in network(), n in 1usize..5) {
        let mut rng = StdRng::seed_from_u64(seed);
        let net = Mlp::new(&sizes, Activation::Identity, Init::Randn, &mut rng);
        let one = net.collapse().expect("an all-linear network collapses");
        let x = Matrix::from_fn(n, sizes[0], |i, j| (i as f32 - j as f32) * 0.5);
        let (deep, flat) = (net.forward(&x), one.forward(&x));
        let tol = 1e-4 * deep.amax().max(1.0);
        prop_assert!((&deep - &flat).amax() <= tol, "{deep} vs {flat}");
        prop_assert_eq!(one.weight.shape(), (sizes[0], *sizes.last().unwrap()));
    }
}

#[test]
fn a_network_with_a_nonlinearity_does_not_collapse() {
    let net = Mlp::new(
        &[2, 3, 1],
        Activation::Tanh,
        Init::Xavier,
        &mut StdRng::seed_from_u64(0),
    );
    assert!(net.collapse().is_none());
}

/// Trains on XOR with Adam (lr 0.05, 2 000 full-batch steps) and returns the MSE.
fn fit_xor(hidden: Activation, seed: u64) -> f32 {
    let x = Matrix::from_row_slice(4, 2, &[0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0]);
    let y = Matrix::from_row_slice(4, 1, &[0.0, 1.0, 1.0, 0.0]);
    let mut net = Mlp::new(
        &[2, 8, 8, 1],
        hidden,
        Init::Xavier,
        &mut StdRng::seed_from_u64(seed),
    );
    let mut adam = Adam::new(0.05);
    for _ in 0..2000 {
        net.zero_grad();
        let trace = net.forward_trace(&x);
        let (_, grad) = losses::mse(trace.last().unwrap(), &y);
        net.backward(&trace, &grad);
        adam.step(&mut net.parameters());
    }
    losses::mse(&net.forward(&x), &y).0
}

#[test]
fn xor_needs_a_nonlinearity() {
    for seed in 0..3 {
        // The best any linear map does on XOR is predict 0.5 everywhere: MSE 0.25.
        let linear = fit_xor(Activation::Identity, seed);
        assert!(
            linear > 0.24,
            "seed {seed}: a linear MLP reached MSE {linear} on XOR"
        );
        let tanh = fit_xor(Activation::Tanh, seed);
        assert!(
            tanh < 0.01,
            "seed {seed}: the tanh MLP only reached MSE {tanh}"
        );
    }
}
