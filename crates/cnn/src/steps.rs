//! Small pieces of steps 4 and 5 (the training loop and the evaluation) that
//! the `cnn` exercises share with the library: the logits of a batch as the
//! N × K matrix the loss takes, its gradient back as the tensor the backward
//! pass takes, and the two numbers an evaluation reports.

use crate::Tensor;
use backprop::Matrix;

/// N × K × 1 × 1 logits as an N × K matrix (one row per image), for
/// `losses::softmax_cross_entropy`.
///
/// # Panics
/// If the logits are not N × K × 1 × 1.
#[track_caller]
pub fn logits_matrix(logits: &Tensor) -> Matrix {
    let [n, k, h, w] = logits.shape();
    assert!(
        h == 1 && w == 1,
        "logits_matrix: logits are N × K × 1 × 1, got {:?}",
        logits.shape()
    );
    Matrix::from_row_slice(n, k, logits.data())
}

/// An N × K gradient with respect to the logits as the N × K × 1 × 1 tensor
/// that [`crate::Cnn::backward`] takes.
pub fn logits_gradient(grad: &Matrix) -> Tensor {
    Tensor::from_vec(
        [grad.nrows(), grad.ncols(), 1, 1],
        grad.transpose().as_slice().to_vec(),
    )
}

/// How a model does on a test set: what the hands-on prints after each epoch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score {
    /// The fraction of images whose largest logit is their label's, in [0, 1].
    pub accuracy: f32,
    /// The softmax cross-entropy, averaged over every image.
    pub loss: f32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logits_go_to_a_matrix_and_back() {
        // Two images, three classes: row i holds image i's logits.
        let t = Tensor::from_vec([2, 3, 1, 1], vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        let m = logits_matrix(&t);
        assert_eq!(m.shape(), (2, 3));
        assert_eq!(m[(1, 0)], 4.0);
        assert_eq!(logits_gradient(&m), t);
    }
}
