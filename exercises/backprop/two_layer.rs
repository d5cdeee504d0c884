//! The course's backprop loop for the sine network, 1 → H (tanh) → 1 with MSE.

use backprop::TwoLayerTanh;
use nalgebra::DMatrix;

/// The gradients of L = mean((ŷ − y)²) for ŷ = tanh(x·W₁ + b₁)·W₂ + b₂, returned in
/// a `TwoLayerTanh` (each field the gradient of the parameter of the same name).
///
/// The course's steps: z₁ = x·W₁ + b₁, a₁ = tanh(z₁), z₂ = a₁·W₂ + b₂ (= ŷ);
/// d_z₂ = 2(ŷ − y)/n; d_W₂ = a₁ᵀ·d_z₂; d_b₂ = Σ rows of d_z₂; d_a₁ = d_z₂·W₂ᵀ;
/// d_z₁ = d_a₁ ⊙ (1 − tanh²(z₁)); d_W₁ = xᵀ·d_z₁; d_b₁ = Σ rows of d_z₁.
///
/// # Shapes
/// `x`, `y`: N × 1; the network's fields as in [`TwoLayerTanh`].
pub fn two_layer_backward(
    net: &TwoLayerTanh,
    x: &DMatrix<f32>,
    y: &DMatrix<f32>,
) -> TwoLayerTanh {
    // TODO: let cache = net.forward(x) (z1, a1, y_hat); the steps above with &a * &b, .transpose(), .row_sum(), d_a1.zip_map(&cache.z1, |g, z| …) for ⊙ and n = y.len() as f32; return TwoLayerTanh { w1: d_w1, b1: d_b1, w2: d_w2, b2: d_b2 }.
    todo!()
}
