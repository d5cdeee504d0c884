//! Plain stochastic gradient descent.

/// θ ← θ − lr·g, element by element.
pub fn sgd_step(theta: &mut [f32], grad: &[f32], lr: f32) {
    // TODO: for (t, g) in theta.iter_mut().zip(grad): *t -= lr times g.
    todo!()
}
