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
    // TODO: bias corrections 1 − β₁ᵗ, 1 − β₂ᵗ with adam.beta1.powi(t as i32); then for each i update moments.m[i] and moments.v[i], and step theta[i]; read every hyper-parameter from adam.
    todo!()
}
