//! Lecture section 2, *El perceptrón*: ŷ = g(Wᵀx + b).
//!
//! [`Perceptron`] is Rosenblatt's (1958): one output, the step function as g, and
//! a learning rule that moves W towards every misclassified example. It learns any
//! linearly separable set and never learns XOR.
//!
//! [`LinearClassifier`] is the lecture's image classifier: a flattened image
//! (3072 numbers for 32×32×3) times W (3072 × 10) plus b gives 10 scores, and a
//! softmax turns them into class probabilities. Each column of W, seen as an
//! image, is a template of its class (*interpretación de W*).

mod linear_classifier;
mod rosenblatt;

pub use linear_classifier::LinearClassifier;
pub use rosenblatt::Perceptron;

/// A matrix of f32, N rows (examples) × features.
pub type Matrix = nalgebra::DMatrix<f32>;
/// A row vector of f32.
pub type RowVector = nalgebra::RowDVector<f32>;
