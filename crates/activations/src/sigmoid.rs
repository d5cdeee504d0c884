/// The logistic sigmoid σ(x) = 1 / (1 + e^(−x)), squashing ℝ into (0, 1).
///
/// Written in two branches so that `exp` never overflows: for x ≥ 0 it computes
/// 1 / (1 + e^(−x)); for x < 0 the equal e^x / (1 + e^x). So σ(1000) = 1 and
/// σ(−1000) = 0 exactly, with no NaN.
// ANCHOR: sigmoid
pub fn sigmoid(x: f32) -> f32 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}
// ANCHOR_END: sigmoid

/// σ′(x) = σ(x)(1 − σ(x)); at most 1/4, at x = 0.
// ANCHOR: sigmoid_derivative
pub fn sigmoid_derivative(x: f32) -> f32 {
    let s = sigmoid(x);
    // d/dx σ(x) = σ(x)(1 − σ(x))
    s * (1.0 - s)
}
// ANCHOR_END: sigmoid_derivative

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigmoid_is_exact_at_the_limits_and_symmetric() {
        assert_eq!(sigmoid(1000.0), 1.0);
        assert_eq!(sigmoid(-1000.0), 0.0);
        assert_eq!(sigmoid(0.0), 0.5);
        // σ(−x) = 1 − σ(x); σ(2) = 1 / (1 + e^−2) = 0.880797...
        assert!((sigmoid(2.0) - 0.880_797).abs() < 1e-6);
        assert!((sigmoid(-2.0) - (1.0 - 0.880_797)).abs() < 1e-6);
    }

    #[test]
    fn sigmoid_derivative_peaks_at_a_quarter() {
        assert_eq!(sigmoid_derivative(0.0), 0.25);
        assert_eq!(sigmoid_derivative(1000.0), 0.0);
        assert_eq!(sigmoid_derivative(-1000.0), 0.0);
    }
}
