//! Plain stochastic gradient descent.

/// θ ← θ − lr·g, element by element.
pub fn sgd_step(theta: &mut [f32], grad: &[f32], lr: f32) {
    // TODO: move every θ against its gradient, scaled by lr.
    todo!()
}
