/// The rectified linear unit, ReLU(x) = max(0, x).
// ANCHOR: relu
pub fn relu(x: f32) -> f32 {
    x.max(0.0)
}
// ANCHOR_END: relu

/// ReLU′(x) = 1 if x > 0, else 0. At x = 0, where ReLU has no derivative, we
/// return 0 as PyTorch does.
pub fn relu_derivative(x: f32) -> f32 {
    // d/dx max(0, x) = [x > 0]
    if x > 0.0 {
        1.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relu_by_hand() {
        assert_eq!(relu(-3.0), 0.0);
        assert_eq!(relu(2.5), 2.5);
        assert_eq!(relu_derivative(-0.1), 0.0);
        assert_eq!(relu_derivative(0.0), 0.0);
        assert_eq!(relu_derivative(0.1), 1.0);
    }
}
