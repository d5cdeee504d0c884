//! Every backward pass of the crate against central differences in f64.
//!
//! Each test builds a scalar L = Σ output ⊙ R for a random R (so ∂L/∂output = R),
//! computes L in f64 from the same numbers, and compares the layer's analytic
//! gradients with `numerical_gradient` (h = 1e-6). Tolerance: relative error
//! below 1e-3 per element, or an absolute error below 1e-5·max(1, |gradient|)
//! where terms cancel; f32 rounding of the analytic side is ~1e-6 relative.

use activations::Activation;
use backprop::gradcheck::{check_gradient, numerical_gradient, to_f64};
use backprop::{ActivationLayer, Dense, Matrix, RowVector, TwoLayerTanh};
use proptest::prelude::*;

fn close(
    what: &str,
    analytic: &[f64],
    numeric: &[f64],
) -> Result<(), TestCaseError> {
    check_gradient(what, analytic, numeric, 1e-3, 1e-5).map_err(TestCaseError::fail)
}

fn matrix(rows: usize, cols: usize) -> impl Strategy<Value = Matrix> {
    proptest::collection::vec(-2.0f32..2.0, rows * cols)
        .prop_map(move |v| Matrix::from_vec(rows, cols, v))
}

/// x·W + b in f64 from column-major slices, dotted with R.
fn dense_l(
    x: &[f64],
    w: &[f64],
    b: &[f64],
    r: &[f64],
    n: usize,
    i: usize,
    o: usize,
) -> f64 {
    let mut total = 0.0;
    for row in 0..n {
        for col in 0..o {
            let z: f64 =
                (0..i).map(|k| x[k * n + row] * w[col * i + k]).sum::<f64>()
                    + b[col];
            total += z * r[col * n + row];
        }
    }
    total
}

fn g64(a: Activation, z: f64) -> f64 {
    match a {
        Activation::Sigmoid => 1.0 / (1.0 + (-z).exp()),
        Activation::Tanh => z.tanh(),
        Activation::Relu => z.max(0.0),
        Activation::Sine { omega_0 } => (f64::from(omega_0) * z).sin(),
        Activation::Identity => z,
        Activation::Step => f64::from(u8::from(z > 0.0)),
    }
}

proptest! {
    #[test]
    fn dense_backward_matches_numeric(
        (x, w, b, r) in (1usize..6, 1usize..6, 1usize..6).prop_flat_map(|(n, i, o)| {
            (matrix(n, i), matrix(i, o), matrix(1, o), matrix(n, o))
        })
    ) {
        let (n, i, o) = (x.nrows(), x.ncols(), w.ncols());
        let mut layer = Dense::new(w.clone(), RowVector::from_iterator(o, b.iter().copied()));
        let dx = layer.backward(&x, &r);
        let (xs, ws, bs, rs) = (to_f64(x.as_slice()), to_f64(w.as_slice()), to_f64(b.as_slice()), to_f64(r.as_slice()));
        close("dx", &to_f64(dx.as_slice()), &numerical_gradient(|v| dense_l(v, &ws, &bs, &rs, n, i, o), &xs, 1e-6))?;
        close("dW", &to_f64(layer.grad_weight.as_slice()), &numerical_gradient(|v| dense_l(&xs, v, &bs, &rs, n, i, o), &ws, 1e-6))?;
        close("db", &to_f64(layer.grad_bias.as_slice()), &numerical_gradient(|v| dense_l(&xs, &ws, v, &rs, n, i, o), &bs, 1e-6))?;
    }

    #[test]
    fn activation_backward_matches_numeric(
        a in prop_oneof![Just(Activation::Sigmoid), Just(Activation::Tanh), Just(Activation::Relu),
                         Just(Activation::Identity), Just(Activation::Sine { omega_0: 3.0 })],
        (z, r) in (1usize..5, 1usize..5).prop_flat_map(|(n, f)| (matrix(n, f), matrix(n, f)))
    ) {
        // ReLU has no derivative at 0; random values land there with probability 0,
        // but stay clear of it so the central difference does not straddle it.
        prop_assume!(a != Activation::Relu || z.iter().all(|v| v.abs() > 1e-4));
        let dz = ActivationLayer(a).backward(&z, &r);
        let rs = to_f64(r.as_slice());
        let l = |v: &[f64]| v.iter().zip(&rs).map(|(&z, r)| g64(a, z) * r).sum::<f64>();
        close("dz", &to_f64(dz.as_slice()), &numerical_gradient(l, &to_f64(z.as_slice()), 1e-6))?;
    }

    #[test]
    fn two_layer_backward_matches_numeric(
        (x, y, w1, b1, w2, b2) in (1usize..8, 1usize..6).prop_flat_map(|(n, h)| {
            (matrix(n, 1), matrix(n, 1), matrix(1, h), matrix(1, h), matrix(h, 1), matrix(1, 1))
        })
    ) {
        let h = w1.ncols();
        let net = TwoLayerTanh {
            w1, b1: RowVector::from_iterator(h, b1.iter().copied()),
            w2, b2: RowVector::from_iterator(1, b2.iter().copied()),
        };
        let grads = net.backward(&x, &y, &net.forward(&x));
        let theta: Vec<f64> = [net.w1.as_slice(), net.b1.as_slice(), net.w2.as_slice(), net.b2.as_slice()]
            .concat().iter().map(|&v| f64::from(v)).collect();
        let (xs, ys) = (to_f64(x.as_slice()), to_f64(y.as_slice()));
        let mse = |t: &[f64]| {
            xs.iter().zip(&ys).map(|(&xn, &yn)| {
                let y_hat = (0..h).map(|j| (xn * t[j] + t[h + j]).tanh() * t[2 * h + j]).sum::<f64>() + t[3 * h];
                (y_hat - yn) * (y_hat - yn)
            }).sum::<f64>() / xs.len() as f64
        };
        let numeric = numerical_gradient(mse, &theta, 1e-6);
        let analytic: Vec<f64> = [grads.w1.as_slice(), grads.b1.as_slice(), grads.w2.as_slice(), grads.b2.as_slice()]
            .concat().iter().map(|&v| f64::from(v)).collect();
        close("∂MSE/∂θ", &analytic, &numeric)?;
    }
}
