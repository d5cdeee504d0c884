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
    // TODO: per channel ch, μ and σ² from x.at(n, ch, y, x) over n, y, x (f32 sums divided by M as f32); update bn.running_mean[ch] and bn.running_var[ch]; then return Tensor::from_fn(x.shape(), |n, ch, i, j| …).
    todo!()
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
    // TODO: per channel, recompute μ and σ², sum g and g·x̂ (grad_output.at(…)), add them to bn.grad_beta[ch] and bn.grad_gamma[ch] (+=); return Tensor::from_fn(x.shape(), |n, ch, i, j| …) with ∂L/∂x above.
    todo!()
}
