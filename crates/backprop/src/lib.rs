//! Lecture section 6, *Backpropagation*: the chain rule, one layer at a time.
//!
//! A network is a composition y = fₙ(… f₂(f₁(x))). Backpropagation walks it
//! backwards: each layer receives ∂L/∂(its output) and returns ∂L/∂(its input),
//! adding ∂L/∂(its parameters) to its gradients on the way. Every layer here has
//! `forward(&self, input)` and `backward(&mut self, input, grad_output)` side by
//! side, and every backward is checked against [`gradcheck::numerical_gradient`].
//!
//! Matrices are nalgebra `DMatrix<f32>` with one example per row (N × features),
//! as in the course's numpy code.

mod activation_layer;
mod dense;
#[allow(unsafe_code)] // Run-time AVX2 + FMA dispatch, justified in the module.
pub mod fast;
pub mod gradcheck;
pub mod ops;
mod param;
mod two_layer;

pub use activation_layer::ActivationLayer;
pub use dense::{Dense, DenseGrads};
pub use param::Param;
pub use two_layer::TwoLayerTanh;

/// A row vector: one bias per output feature.
pub type RowVector = nalgebra::RowDVector<f32>;
/// A matrix of f32, N rows (examples) × features.
pub type Matrix = nalgebra::DMatrix<f32>;
