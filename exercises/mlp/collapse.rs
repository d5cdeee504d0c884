//! The lecture's proof that linear layers collapse, as code.

use nalgebra::{DMatrix, RowDVector};

/// The single (W′, b′) with x·W′ + b′ equal to the stack of linear layers
/// (x·W₁ + b₁)·W₂ + b₂ … for every x.
///
/// # Shapes
/// `layers[k]`: (W: inₖ × outₖ, b: 1 × outₖ), at least one; W′: in₁ × outₖ.
pub fn collapse_linear(
    layers: &[(DMatrix<f32>, RowDVector<f32>)],
) -> (DMatrix<f32>, RowDVector<f32>) {
    // TODO: let (mut w_acc, mut b_acc) = layers[0].clone(); fold each later (w, b) in: W′ ← W′·W, b′ ← b′·W + b (nalgebra: &w_acc * w).
    todo!()
}
