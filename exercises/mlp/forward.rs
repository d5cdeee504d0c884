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
    // TODO: let mut h = x.clone(); for (k, (w, b)) in layers.iter().enumerate(): h = &h * w, add b to each row (h.row_iter_mut()), and unless k is the last, h.apply(|v| *v = hidden.apply(*v)).
    todo!()
}
