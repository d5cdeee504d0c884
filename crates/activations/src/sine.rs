/// ω₀ = 30, the frequency the SIREN paper (Sitzmann et al., 2020) uses.
pub const SIREN_OMEGA_0: f32 = 30.0;

/// SIREN's periodic activation sin(ω₀x).
///
/// A network of these represents fine detail (an image as f(x, y)) far better than
/// ReLU, whose output is piecewise linear.
pub fn sine(x: f32, omega_0: f32) -> f32 {
    (omega_0 * x).sin()
}

/// d/dx sin(ω₀x) = ω₀ cos(ω₀x).
pub fn sine_derivative(x: f32, omega_0: f32) -> f32 {
    // Chain rule: the inner ω₀x contributes the factor ω₀.
    omega_0 * (omega_0 * x).cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sine_by_hand() {
        let pi = std::f32::consts::PI;
        assert!((sine(0.5, pi) - 1.0).abs() < 1e-6); // sin(π/2)
        assert!((sine_derivative(0.0, 30.0) - 30.0).abs() < 1e-6); // 30·cos 0
        assert!((sine_derivative(1.0, pi) + pi).abs() < 1e-5); // π·cos π
    }
}
