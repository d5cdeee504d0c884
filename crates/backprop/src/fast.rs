//! A fused, allocation-free training step for [`TwoLayerTanh`], the network of the
//! sine hands-on, which runs it 100 000 times.
//!
//! It computes exactly the math of [`TwoLayerTanh::forward`] and
//! [`TwoLayerTanh::backward`] followed by [`TwoLayerTanh::descend`], but one hidden
//! unit at a time over all examples: z₁, a₁ and the unit's share of ŷ in one pass,
//! then its gradients in another, with tanh inlined and the loops compiled for
//! AVX2 + FMA when the CPU has them (checked at run time). A test checks it
//! against the readable version.

use crate::ops::dot;
use crate::{Matrix, TwoLayerTanh};
use activations::fast::{tanh, tanh_fma};

/// Reusable buffers for [`descend`], so the hot loop allocates nothing.
#[derive(Default)]
pub struct Workspace {
    a1: Vec<f32>,
    y_hat: Vec<f32>,
    d_z2: Vec<f32>,
    d_z1: Vec<f32>,
}

/// One full-batch gradient-descent step on the MSE of `net` for 1-input,
/// 1-output data; returns the loss before the step.
///
/// # Panics
/// If `net` does not have one input and one output, or `x` and `y` are not N × 1.
#[track_caller]
pub fn descend(
    net: &mut TwoLayerTanh,
    x: &Matrix,
    y: &Matrix,
    lr: f32,
    ws: &mut Workspace,
) -> f32 {
    assert!(
        net.w1.nrows() == 1 && net.w2.ncols() == 1 && x.ncols() == 1 && y.shape() == x.shape(),
        "fast::descend: needs a 1 → H → 1 network and N × 1 data; got W₁ {:?}, W₂ {:?}, x {:?}, y {:?}",
        net.w1.shape(),
        net.w2.shape(),
        x.shape(),
        y.shape()
    );
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma")
    {
        // SAFETY: the CPU supports AVX2 and FMA, checked just above.
        return unsafe { descend_avx2(net, x.as_slice(), y.as_slice(), lr, ws) };
    }
    step::<false>(net, x.as_slice(), y.as_slice(), lr, ws)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn descend_avx2(
    net: &mut TwoLayerTanh,
    x: &[f32],
    y: &[f32],
    lr: f32,
    ws: &mut Workspace,
) -> f32 {
    step::<true>(net, x, y, lr, ws)
}

#[inline(always)]
fn step<const FMA: bool>(
    net: &mut TwoLayerTanh,
    x: &[f32],
    y: &[f32],
    lr: f32,
    ws: &mut Workspace,
) -> f32 {
    let (n, h) = (x.len(), net.w1.ncols());
    let th = |v: f32| if FMA { tanh_fma(v) } else { tanh(v) };
    ws.a1.resize(n * h, 0.0);
    ws.d_z1.resize(n * h, 0.0);
    ws.y_hat.clear();
    ws.y_hat.resize(n, net.b2[0]);
    // Forward, one hidden unit (one column of a₁) at a time.
    for j in 0..h {
        let (w, b, v) = (net.w1[j], net.b1[j], net.w2[j]);
        let a = &mut ws.a1[j * n..(j + 1) * n];
        for ((a, &xi), y_hat) in a.iter_mut().zip(x).zip(ws.y_hat.iter_mut()) {
            *a = th(xi * w + b);
            *y_hat += *a * v;
        }
    }
    // d_z₂ = 2(ŷ − y)/n, and the loss on the way.
    let scale = 2.0 / n as f32;
    ws.d_z2.clear();
    ws.d_z2
        .extend(ws.y_hat.iter().zip(y).map(|(p, t)| (p - t) * scale));
    let loss = ws
        .y_hat
        .iter()
        .zip(y)
        .map(|(p, t)| (p - t) * (p - t))
        .sum::<f32>()
        / n as f32;
    let d_b2 = crate::ops::sum(&ws.d_z2);
    // Backward, unit by unit: d_W₂ⱼ = a₁ⱼ·d_z₂, d_z₁ⱼ = d_z₂·W₂ⱼ ⊙ (1 − a₁ⱼ²).
    for j in 0..h {
        let a = &ws.a1[j * n..(j + 1) * n];
        let d_z1 = &mut ws.d_z1[j * n..(j + 1) * n];
        let d_w2 = dot(a, &ws.d_z2);
        let v = net.w2[j];
        for ((d, &a), &g) in d_z1.iter_mut().zip(a).zip(&ws.d_z2) {
            *d = g * v * (1.0 - a * a);
        }
        let d_w1 = dot(x, d_z1);
        let d_b1 = crate::ops::sum(d_z1);
        net.w1[j] -= lr * d_w1;
        net.b1[j] -= lr * d_b1;
        net.w2[j] -= lr * d_w2;
    }
    net.b2[0] -= lr * d_b2;
    loss
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RowVector;

    #[test]
    fn matches_the_readable_step() {
        let x = Matrix::from_fn(37, 1, |i, _| i as f32 / 6.0 - 3.0);
        let y = x.map(f32::sin);
        let mut slow = TwoLayerTanh {
            w1: Matrix::from_fn(1, 7, |_, j| j as f32 * 0.3 - 1.0),
            b1: RowVector::from_fn(7, |_, j| 0.1 * j as f32),
            w2: Matrix::from_fn(7, 1, |i, _| 0.5 - 0.2 * i as f32),
            b2: RowVector::from_element(1, 0.05),
        };
        let mut fast = slow.clone();
        let mut ws = Workspace::default();
        for _ in 0..50 {
            let cache = slow.forward(&x);
            let (expected_loss, _) = losses::mse(&cache.y_hat, &y);
            let grads = slow.backward(&x, &y, &cache);
            slow.descend(&grads, 0.05);
            let loss = descend(&mut fast, &x, &y, 0.05, &mut ws);
            assert!(
                (loss - expected_loss).abs() < 1e-5,
                "{loss} vs {expected_loss}"
            );
        }
        for (a, b) in [(&slow.w1, &fast.w1), (&slow.w2, &fast.w2)] {
            assert!((a - b).amax() < 1e-4, "{a} vs {b}");
        }
        assert!((&slow.b1 - &fast.b1).amax() < 1e-4);
    }
}
