//! Lecture section 3, *Perceptrón multicapa*: ŷ = g(W₃ᵀ g(W₂ᵀ g(W₁ᵀx + b₁) + b₂) + b₃).
//!
//! An [`Mlp`] is a list of [`Layer`]s, dense layers with activations between them.
//! [`Init`] holds the ways to draw the first weights. [`Mlp::collapse`] shows the
//! lecture's point about non-linearity: if every g is the identity, the whole
//! stack is one dense layer W′x + b′.

mod collapse;
mod init;
mod network;

pub use init::Init;
pub use network::{Layer, Mlp};

pub use backprop::{Matrix, RowVector};
