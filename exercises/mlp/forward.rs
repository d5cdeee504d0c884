//! The multilayer perceptron's forward pass.

use activations::Activation;
use nalgebra::{DMatrix, RowDVector};

/// ŷ = g(…g(x·W₁ + b₁)·W₂ + b₂…)·Wₖ + bₖ: `hidden` after every layer but the last.
///
/// # Shapes
/// `x`: N × inputs; `layers[k]`: (W: inₖ × outₖ, b: 1 × outₖ); result: N × outputs.
pub fn mlp_forward(
    x: &DMatrix<f32>,
    layers: &[(DMatrix<f32>, RowDVector<f32>)],
    hidden: Activation,
) -> DMatrix<f32> {
    // TODO: h = x; for each layer h = h·W + b, then hidden.apply on every entry unless it is the last.
    todo!()
}
