/// The hyperbolic tangent, tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x)), in (−1, 1).
///
/// `f32::tanh` is already stable: tanh(±1000) = ±1.
pub fn tanh(x: f32) -> f32 {
    x.tanh()
}

/// tanh′(x) = 1 − tanh²(x), the course's first reto.
// ANCHOR: tanh_derivative
pub fn tanh_derivative(x: f32) -> f32 {
    let t = x.tanh();
    // d/dx tanh(x) = 1 − tanh(x)²
    1.0 - t * t
}
// ANCHOR_END: tanh_derivative

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tanh_derivative_by_hand() {
        assert_eq!(tanh_derivative(0.0), 1.0);
        // tanh(1) = 0.761594..., so 1 − 0.580026 = 0.419974.
        assert!((tanh_derivative(1.0) - 0.419_974).abs() < 1e-6);
        assert_eq!(tanh(1000.0), 1.0);
        assert_eq!(tanh_derivative(-1000.0), 0.0);
    }
}
