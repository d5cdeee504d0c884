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
    let cache = net.forward(x);
    let n = y.len() as f32;
    let d_z2 = (&cache.y_hat - y) * (2.0 / n);
    let d_w2 = cache.a1.transpose() * &d_z2;
    let d_b2 = d_z2.row_sum();
    let d_a1 = &d_z2 * net.w2.transpose();
    let d_z1 = d_a1.zip_map(&cache.z1, |g, z| g * (1.0 - z.tanh() * z.tanh()));
    let d_w1 = x.transpose() * &d_z1;
    let d_b1 = d_z1.row_sum();
    TwoLayerTanh {
        w1: d_w1,
        b1: d_b1,
        w2: d_w2,
        b2: d_b2,
    }
}
