//! SGD with momentum, in PyTorch's form.

/// v ← μ·v + g, then θ ← θ − lr·v, element by element (`velocity` starts at 0).
pub fn momentum_step(
    theta: &mut [f32],
    grad: &[f32],
    velocity: &mut [f32],
    lr: f32,
    momentum: f32,
) {
    // TODO: for ((t, g), v) in theta.iter_mut().zip(grad).zip(velocity.iter_mut()): first the new *v, then *t -= lr * *v.
    todo!()
}
