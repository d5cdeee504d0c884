use crate::ops::{add_row, sum_rows};
use crate::{Matrix, Param, RowVector};

/// A fully connected layer, z = x·W + b (the lecture's Wᵀx + b, one row per example).
///
/// # Shapes
/// - `weight`: in × out (the course's numpy layout; PyTorch stores its transpose)
/// - `bias`: 1 × out
/// - input x: N × in, output z: N × out
#[derive(Clone, Debug, PartialEq)]
pub struct Dense {
    /// W, in × out.
    pub weight: Matrix,
    /// b, 1 × out.
    pub bias: RowVector,
    /// ∂L/∂W accumulated over backward calls, in × out.
    pub grad_weight: Matrix,
    /// ∂L/∂b accumulated over backward calls, 1 × out.
    pub grad_bias: RowVector,
}

/// What a dense layer's backward produces.
#[derive(Clone, Debug, PartialEq)]
pub struct DenseGrads {
    /// ∂L/∂x = ∂L/∂z · Wᵀ, N × in.
    pub grad_input: Matrix,
    /// ∂L/∂W = xᵀ · ∂L/∂z, in × out.
    pub grad_weight: Matrix,
    /// ∂L/∂b = Σ over rows of ∂L/∂z, 1 × out.
    pub grad_bias: RowVector,
}

impl Dense {
    /// A layer with the given weights and biases and zero gradients.
    ///
    /// # Panics
    /// If `bias` does not have one entry per column of `weight`.
    #[track_caller]
    pub fn new(weight: Matrix, bias: RowVector) -> Self {
        assert_eq!(
            weight.ncols(),
            bias.ncols(),
            "Dense::new: weight has {} outputs, bias has {}",
            weight.ncols(),
            bias.ncols()
        );
        let (grad_weight, grad_bias) = (weight.map(|_| 0.0), bias.map(|_| 0.0));
        Dense {
            weight,
            bias,
            grad_weight,
            grad_bias,
        }
    }

    /// Number of input features.
    pub fn inputs(&self) -> usize {
        self.weight.nrows()
    }

    /// Number of output features.
    pub fn outputs(&self) -> usize {
        self.weight.ncols()
    }

    /// z = x·W + b.
    ///
    /// # Panics
    /// If `x` does not have [`Dense::inputs`] columns.
    // ANCHOR: forward
    #[track_caller]
    pub fn forward(&self, x: &Matrix) -> Matrix {
        self.check_input("forward", x);
        let mut z = x * &self.weight;
        add_row(&mut z, &self.bias);
        z
    }
    // ANCHOR_END: forward

    /// The three gradients of z = x·W + b, given ∂L/∂z; pure, changes nothing.
    ///
    /// # Panics
    /// If the shapes of `x` and `grad_output` do not fit the layer.
    // ANCHOR: gradients
    #[track_caller]
    pub fn gradients(&self, x: &Matrix, grad_output: &Matrix) -> DenseGrads {
        self.check_input("backward", x);
        assert!(
            grad_output.nrows() == x.nrows()
                && grad_output.ncols() == self.outputs(),
            "Dense::backward: grad_output is {}×{}, expected {}×{}",
            grad_output.nrows(),
            grad_output.ncols(),
            x.nrows(),
            self.outputs()
        );
        DenseGrads {
            // ∂z/∂x = Wᵀ: each input feeds every output through its row of W.
            grad_input: grad_output * self.weight.transpose(),
            // ∂z/∂W: example n contributes x[n]ᵀ·g[n]; summing over n gives xᵀ·g.
            grad_weight: x.tr_mul(grad_output),
            // ∂z/∂b = 1 for every example, so the bias gradient sums the rows.
            grad_bias: sum_rows(grad_output),
        }
    }
    // ANCHOR_END: gradients

    /// Backward pass: adds ∂L/∂W and ∂L/∂b to the layer's gradients and returns
    /// ∂L/∂x. Gradients accumulate until [`Dense::zero_grad`], as in PyTorch.
    #[track_caller]
    pub fn backward(&mut self, x: &Matrix, grad_output: &Matrix) -> Matrix {
        let grads = self.gradients(x, grad_output);
        self.grad_weight += grads.grad_weight;
        self.grad_bias += grads.grad_bias;
        grads.grad_input
    }

    /// Clears the accumulated gradients.
    pub fn zero_grad(&mut self) {
        // On the storage slices, one memset each: nalgebra's `fill` walks its
        // element iterator, which took a sixth of the MLP's training step.
        self.grad_weight.as_mut_slice().fill(0.0);
        self.grad_bias.as_mut_slice().fill(0.0);
    }

    /// W then b, each with its gradient.
    pub fn parameters(&mut self) -> Vec<Param<'_>> {
        vec![
            Param::new(self.weight.as_mut_slice(), self.grad_weight.as_slice()),
            Param::new(self.bias.as_mut_slice(), self.grad_bias.as_slice()),
        ]
    }

    #[track_caller]
    fn check_input(&self, what: &str, x: &Matrix) {
        assert_eq!(
            x.ncols(),
            self.inputs(),
            "Dense::{what}: input has {} features, layer expects {}",
            x.ncols(),
            self.inputs()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_and_backward_by_hand() {
        // x = [1 2], W = [[1 0 -1], [2 1 0]], b = [0.5 0 0]
        // z = [1+4+0.5, 0+2, -1+0] = [5.5 2 -1]
        let x = Matrix::from_row_slice(1, 2, &[1.0, 2.0]);
        let w = Matrix::from_row_slice(2, 3, &[1.0, 0.0, -1.0, 2.0, 1.0, 0.0]);
        let mut layer = Dense::new(w, RowVector::from_row_slice(&[0.5, 0.0, 0.0]));
        let z = layer.forward(&x);
        assert_eq!(z.as_slice(), &[5.5, 2.0, -1.0]);
        // g = [1 0 2]: dx = g·Wᵀ = [1-2, 2+0] = [-1 2]; dW = xᵀg; db = g.
        let g = Matrix::from_row_slice(1, 3, &[1.0, 0.0, 2.0]);
        let dx = layer.backward(&x, &g);
        assert_eq!(dx, Matrix::from_row_slice(1, 2, &[-1.0, 2.0]));
        let dw = Matrix::from_row_slice(2, 3, &[1.0, 0.0, 2.0, 2.0, 0.0, 4.0]);
        assert_eq!(layer.grad_weight, dw);
        assert_eq!(layer.grad_bias.as_slice(), &[1.0, 0.0, 2.0]);
        // A second backward accumulates; zero_grad clears.
        layer.backward(&x, &g);
        assert_eq!(layer.grad_weight, dw * 2.0);
        layer.zero_grad();
        assert_eq!(layer.grad_bias.as_slice(), &[0.0; 3]);
    }

    #[test]
    #[should_panic(
        expected = "Dense::forward: input has 5 features, layer expects 3"
    )]
    fn wrong_input_width_names_both_shapes() {
        let layer = Dense::new(Matrix::zeros(3, 2), RowVector::zeros(2));
        layer.forward(&Matrix::zeros(4, 5));
    }
}
