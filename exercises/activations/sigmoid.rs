//! The logistic sigmoid and its derivative.

/// σ(x) = 1 / (1 + e^(−x)).
///
/// It must be finite for every finite x: σ(1000) = 1 and σ(−1000) = 0, never NaN.
/// In f32, e^t overflows to +∞ for t > 88. The form 1/(1 + e^(−x)) survives it:
/// for x < −88 it is 1/(1 + ∞) = 0, the right answer. The form e^x/(1 + e^x)
/// does not: for x > 88 it is ∞/∞ = NaN (use it, if at all, only for x < 0).
pub fn sigmoid(x: f32) -> f32 {
    // TODO: compute σ(x) with f32's `.exp()`, in a form that stays finite at x = ±1000 (see above).
    todo!()
}

/// σ′(x) = σ(x)·(1 − σ(x)).
pub fn sigmoid_derivative(x: f32) -> f32 {
    // TODO: let s = sigmoid(x) (your function above); return s·(1 − s).
    todo!()
}
