//! Batch normalisation in training mode, forward and backward, with PyTorch's
//! semantics (`nn.BatchNorm2d`).

use cnn::layers::BatchNorm2d;
use cnn::Tensor;

/// Batch norm of `x` in training mode. For each channel c, over the M = N·H·W
/// values of that channel: the mean μ and the biased variance σ² (divided by M),
/// then
///
/// y = γ·(x − μ)/√(σ² + ε) + β,  with γ = `bn.gamma[c]`, β = `bn.beta[c]`,
/// ε = `bn.eps`.
///
/// The running averages move towards the batch's, with m = `bn.momentum` and the
/// *unbiased* variance σ²·M/(M − 1):
///
/// `running_mean` ← (1 − m)·`running_mean` + m·μ,
/// `running_var` ← (1 − m)·`running_var` + m·σ²·M/(M − 1).
///
/// Nothing else in `bn` changes.
///
/// # Shapes
/// `x`: N × C × H × W with N·H·W ≥ 2; `bn` has C channels; y has x's shape.
pub fn batch_norm_forward(x: &Tensor, bn: &mut BatchNorm2d) -> Tensor {
    let [n, c, h, w] = x.shape();
    let m = (n * h * w) as f32;
    let mut mean = vec![0.0f32; c];
    let mut var = vec![0.0f32; c];
    for ch in 0..c {
        mean[ch] = channel(x, ch).sum::<f32>() / m;
        var[ch] = channel(x, ch).map(|v| (v - mean[ch]).powi(2)).sum::<f32>() / m;
        let k = bn.momentum;
        bn.running_mean[ch] = (1.0 - k) * bn.running_mean[ch] + k * mean[ch];
        bn.running_var[ch] =
            (1.0 - k) * bn.running_var[ch] + k * var[ch] * m / (m - 1.0);
    }
    Tensor::from_fn(x.shape(), |i, ch, y, xx| {
        let x_hat = (x.at(i, ch, y, xx) - mean[ch]) / (var[ch] + bn.eps).sqrt();
        bn.gamma[ch] * x_hat + bn.beta[ch]
    })
}

/// The backward pass of [`batch_norm_forward`], in training mode. Given
/// g = ∂L/∂y (`grad_output`), with μ and σ² the batch's statistics (recomputed
/// from `x`) and x̂ = (x − μ)/√(σ² + ε), per channel over N × H × W:
///
/// ∂L/∂β = Σ g,  ∂L/∂γ = Σ g·x̂,
/// ∂L/∂x = γ/√(σ² + ε) · (g − mean(g) − x̂·mean(g·x̂)).
///
/// Adds ∂L/∂γ to `bn.grad_gamma` and ∂L/∂β to `bn.grad_beta` (gradients
/// accumulate until `zero_grad`) and returns ∂L/∂x. Nothing else in `bn` changes.
///
/// # Shapes
/// `x` and `grad_output`: N × C × H × W; the result has their shape.
pub fn batch_norm_backward(
    x: &Tensor,
    bn: &mut BatchNorm2d,
    grad_output: &Tensor,
) -> Tensor {
    let [n, c, h, w] = x.shape();
    let m = (n * h * w) as f32;
    let mut mean = vec![0.0f32; c];
    let mut inv_std = vec![0.0f32; c];
    let mut mean_g = vec![0.0f32; c];
    let mut mean_gx = vec![0.0f32; c];
    for ch in 0..c {
        mean[ch] = channel(x, ch).sum::<f32>() / m;
        let var = channel(x, ch).map(|v| (v - mean[ch]).powi(2)).sum::<f32>() / m;
        inv_std[ch] = 1.0 / (var + bn.eps).sqrt();
        let sum_g: f32 = channel(grad_output, ch).sum();
        let sum_gx: f32 = channel(grad_output, ch)
            .zip(channel(x, ch))
            .map(|(g, v)| g * (v - mean[ch]) * inv_std[ch])
            .sum();
        bn.grad_beta[ch] += sum_g;
        bn.grad_gamma[ch] += sum_gx;
        mean_g[ch] = sum_g / m;
        mean_gx[ch] = sum_gx / m;
    }
    Tensor::from_fn(x.shape(), |i, ch, y, xx| {
        let x_hat = (x.at(i, ch, y, xx) - mean[ch]) * inv_std[ch];
        let g = grad_output.at(i, ch, y, xx);
        bn.gamma[ch] * inv_std[ch] * (g - mean_g[ch] - x_hat * mean_gx[ch])
    })
}

/// The values of channel `ch` of `t`, image by image, row by row.
fn channel(t: &Tensor, ch: usize) -> impl Iterator<Item = f32> + '_ {
    let [n, _, h, w] = t.shape();
    (0..n).flat_map(move |i| {
        (0..h).flat_map(move |y| (0..w).map(move |x| t.at(i, ch, y, x)))
    })
}
