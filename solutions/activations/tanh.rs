//! The course's first reto: the derivative of tanh.

/// tanh′(x) = 1 − tanh²(x).
pub fn tanh_derivative(x: f32) -> f32 {
    let t = x.tanh();
    1.0 - t * t
}
