//! One Adam update, as PyTorch's `torch.optim.Adam`.

use sgd::{Adam, Moments};

/// One Adam step at step number `t` (the first step is t = 1), with the
/// hyper-parameters `adam.lr`, `adam.beta1`, `adam.beta2`, `adam.eps`:
///
/// m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;
/// m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ);  θ ← θ − lr·m̂ / (√v̂ + ε).
pub fn adam_step(
    theta: &mut [f32],
    grad: &[f32],
    moments: &mut Moments,
    t: u32,
    adam: &Adam,
) {
    let bias1 = 1.0 - adam.beta1.powi(t as i32);
    let bias2 = 1.0 - adam.beta2.powi(t as i32);
    for i in 0..theta.len() {
        let g = grad[i];
        moments.m[i] = adam.beta1 * moments.m[i] + (1.0 - adam.beta1) * g;
        moments.v[i] = adam.beta2 * moments.v[i] + (1.0 - adam.beta2) * g * g;
        let m_hat = moments.m[i] / bias1;
        let v_hat = moments.v[i] / bias2;
        theta[i] -= adam.lr * m_hat / (v_hat.sqrt() + adam.eps);
    }
}
