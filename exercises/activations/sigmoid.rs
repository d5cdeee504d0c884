//! The logistic sigmoid and its derivative.

/// σ(x) = 1 / (1 + e^(−x)).
///
/// It must be finite for every finite x: σ(1000) = 1 and σ(−1000) = 0, never NaN.
/// (e^(−x) overflows to infinity for x < −88 in f32; find a form that does not.)
pub fn sigmoid(x: f32) -> f32 {
    // TODO: return σ(x) without overflow: for x < 0 use e^x / (1 + e^x).
    todo!()
}

/// σ′(x) = σ(x)·(1 − σ(x)).
pub fn sigmoid_derivative(x: f32) -> f32 {
    // TODO: return σ(x)·(1 − σ(x)), reusing your sigmoid.
    todo!()
}
