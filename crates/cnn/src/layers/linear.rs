use super::NamedTensor;
use crate::Tensor;
use backprop::{Dense, Matrix, Param, RowVector};
use rand::Rng;

/// The classifier head: `backprop::Dense` (z = x·W + b) on flattened inputs.
///
/// # Shapes
/// Input N × F × 1 × 1, output N × O × 1 × 1. `dense.weight` is F × O, the
/// course's layout; checkpoints store its transpose, PyTorch's O × F.
#[derive(Clone, Debug, PartialEq)]
pub struct Linear {
    /// The dense layer.
    pub dense: Dense,
}

/// An N × F × 1 × 1 tensor as an N × F matrix.
fn to_matrix(x: &Tensor) -> Matrix {
    let [n, f, h, w] = x.shape();
    assert!(
        h == 1 && w == 1,
        "Linear: input must be flattened (N × F × 1 × 1), got {:?}",
        x.shape()
    );
    Matrix::from_row_slice(n, f, x.data())
}

/// An N × O matrix as an N × O × 1 × 1 tensor.
fn to_tensor(m: &Matrix) -> Tensor {
    Tensor::from_vec(
        [m.nrows(), m.ncols(), 1, 1],
        m.transpose().as_slice().to_vec(),
    )
}

impl Linear {
    /// An `inputs → outputs` layer initialised as PyTorch's `nn.Linear`.
    pub fn new(inputs: usize, outputs: usize, rng: &mut impl Rng) -> Self {
        let w = super::pytorch_uniform(inputs * outputs, inputs, rng);
        let b = super::pytorch_uniform(outputs, inputs, rng);
        Linear {
            dense: Dense::new(
                Matrix::from_vec(inputs, outputs, w),
                RowVector::from_vec(b),
            ),
        }
    }

    /// z = x·W + b.
    pub fn forward(&self, x: &Tensor) -> Tensor {
        to_tensor(&self.dense.forward(&to_matrix(x)))
    }

    /// Adds ∂L/∂W, ∂L/∂b to the gradients; returns ∂L/∂x.
    pub fn backward(&mut self, x: &Tensor, grad_output: &Tensor) -> Tensor {
        let dx = self.dense.backward(&to_matrix(x), &to_matrix(grad_output));
        to_tensor(&dx).reshape(x.shape())
    }

    /// Clears the gradients.
    pub fn zero_grad(&mut self) {
        self.dense.zero_grad();
    }

    /// W then b.
    pub fn parameters(&mut self) -> Vec<Param<'_>> {
        self.dense.parameters()
    }

    pub(crate) fn state(&self, name: &str, out: &mut Vec<NamedTensor>) {
        let (f, o) = self.dense.weight.shape();
        // Column-major F × O storage read as row-major is the O × F transpose.
        out.push((
            format!("{name}.weight"),
            vec![o, f],
            self.dense.weight.as_slice().to_vec(),
        ));
        out.push((
            format!("{name}.bias"),
            vec![o],
            self.dense.bias.as_slice().to_vec(),
        ));
    }

    pub(crate) fn load<'a>(&mut self, get: impl Fn(&str) -> Option<&'a [f32]>) {
        if let Some(w) = get("weight") {
            self.dense.weight.as_mut_slice().copy_from_slice(w);
        }
        if let Some(b) = get("bias") {
            self.dense.bias.as_mut_slice().copy_from_slice(b);
        }
    }
}
