//! The rectified linear unit and its derivative.

/// ReLU(x) = max(0, x).
pub fn relu(x: f32) -> f32 {
    // TODO: return max(0, x).
    todo!()
}

/// ReLU′(x) = 1 for x > 0, 0 otherwise (0 at x = 0, as PyTorch).
pub fn relu_derivative(x: f32) -> f32 {
    // TODO: return 1 when x > 0, else 0.
    todo!()
}
