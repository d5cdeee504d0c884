use crate::ops::{add_row, sum_rows, tr_mul};
use crate::{Matrix, RowVector};
use activations::fast::tanh_in_place;

/// The course's sine network written out by hand: 1 → H (tanh) → 1, trained on
/// MSE. Also used for its gradients, which have the same shapes as its parameters.
///
/// z₁ = x·W₁ + b₁, a₁ = tanh(z₁), ŷ = z₂ = a₁·W₂ + b₂, L = mean((ŷ − y)²).
/// (tanh is [`activations::fast::tanh`]: the hands-on runs it 2·10⁸ times.)
///
/// # Shapes
/// x, y: N × 1; `w1`: 1 × H; `b1`: 1 × H; `w2`: H × 1; `b2`: 1 × 1.
#[derive(Clone, Debug, PartialEq)]
pub struct TwoLayerTanh {
    /// W₁, inputs × hidden.
    pub w1: Matrix,
    /// b₁, 1 × hidden.
    pub b1: RowVector,
    /// W₂, hidden × outputs.
    pub w2: Matrix,
    /// b₂, 1 × outputs.
    pub b2: RowVector,
}

/// The values the backward pass reuses: z₁, a₁ and ŷ.
pub struct Cache {
    /// z₁ = x·W₁ + b₁.
    pub z1: Matrix,
    /// a₁ = tanh(z₁).
    pub a1: Matrix,
    /// ŷ = a₁·W₂ + b₂.
    pub y_hat: Matrix,
}

impl TwoLayerTanh {
    /// All-zero parameters of the given sizes (a shape to fill, or a zero gradient).
    pub fn zeros(inputs: usize, hidden: usize, outputs: usize) -> Self {
        TwoLayerTanh {
            w1: Matrix::zeros(inputs, hidden),
            b1: RowVector::zeros(hidden),
            w2: Matrix::zeros(hidden, outputs),
            b2: RowVector::zeros(outputs),
        }
    }

    /// The forward pass, keeping what backward needs.
    pub fn forward(&self, x: &Matrix) -> Cache {
        let mut z1 = x * &self.w1;
        add_row(&mut z1, &self.b1);
        let mut a1 = z1.clone();
        tanh_in_place(a1.as_mut_slice());
        let mut y_hat = &a1 * &self.w2;
        add_row(&mut y_hat, &self.b2);
        Cache { z1, a1, y_hat }
    }

    /// The gradients of L = mean((ŷ − y)²) with respect to W₁, b₁, W₂, b₂, in the
    /// course's order.
    // ANCHOR: backward
    pub fn backward(&self, x: &Matrix, y: &Matrix, cache: &Cache) -> TwoLayerTanh {
        let d_z2 = losses::mse_derivative(&cache.y_hat, y); // 2(ŷ − y)/n
        let d_w2 = tr_mul(&cache.a1, &d_z2); // a₁ᵀ·d_z₂
        let d_b2 = sum_rows(&d_z2); // Σ over examples
        let d_a1 = &d_z2 * self.w2.transpose(); // d_z₂·W₂ᵀ
                                                // ⊙ tanh′(z₁) = 1 − tanh²(z₁) = 1 − a₁²: the forward pass already has a₁.
        let d_z1 = d_a1.zip_map(&cache.a1, |g, a| g * (1.0 - a * a));
        let d_w1 = tr_mul(x, &d_z1); // xᵀ·d_z₁
        let d_b1 = sum_rows(&d_z1);
        TwoLayerTanh {
            w1: d_w1,
            b1: d_b1,
            w2: d_w2,
            b2: d_b2,
        }
    }
    // ANCHOR_END: backward

    /// θ ← θ − lr·∇θ for every parameter: plain gradient descent.
    pub fn descend(&mut self, grads: &TwoLayerTanh, lr: f32) {
        self.w1 -= &grads.w1 * lr;
        self.b1 -= &grads.b1 * lr;
        self.w2 -= &grads.w2 * lr;
        self.b2 -= &grads.b2 * lr;
    }
}
