//! The rectified linear unit and its derivative.

/// ReLU(x) = max(0, x).
pub fn relu(x: f32) -> f32 {
    // TODO: return x when it is positive, else 0.0 (an `if`, or f32's `.max(…)`; the free function `max` of the standard library needs `Ord`, which f32 does not have).
    todo!()
}

/// ReLU′(x) = 1 for x > 0, 0 otherwise (0 at x = 0, as PyTorch).
pub fn relu_derivative(x: f32) -> f32 {
    // TODO: return 1.0 when x > 0.0, else 0.0 (f32 literals need the `.0`).
    todo!()
}
