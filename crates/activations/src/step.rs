/// The Heaviside step of Rosenblatt's perceptron: 1 if x > 0, else 0.
///
/// (The lecture's slide prints the two cases the other way round; this is the
/// usual convention, and the one its perceptron examples use.)
pub fn step(x: f32) -> f32 {
    if x > 0.0 {
        1.0
    } else {
        0.0
    }
}

/// The step's derivative: 0 wherever it exists (it is undefined at x = 0, where we
/// also return 0). This is why a perceptron cannot be trained by gradient descent.
pub fn step_derivative(_x: f32) -> f32 {
    0.0
}
