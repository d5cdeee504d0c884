//! Lecture section 5, *Losses*: how wrong a prediction is, as one number, and the
//! gradient of that number with respect to the prediction.
//!
//! Every loss averages over the batch as PyTorch's default `reduction='mean'`
//! does: MSE and binary cross-entropy over every element, the cross-entropies
//! over the N examples. Each function returns `(loss, ∂loss/∂input)`.
//!
//! # Shapes
//! Predictions are N × C matrices, one example per row; class targets are a slice
//! of N labels in `0..C`.

mod binary_cross_entropy;
mod mse;
mod nll;
mod softmax;
mod softmax_cross_entropy;

pub use binary_cross_entropy::binary_cross_entropy;
pub use mse::{mse, mse_derivative};
pub use nll::nll;
pub use softmax::{log_softmax, softmax};
pub use softmax_cross_entropy::softmax_cross_entropy;

/// A matrix of f32, N rows (examples) × C columns.
pub type Matrix = nalgebra::DMatrix<f32>;

#[track_caller]
fn check_same_shape(what: &str, prediction: &Matrix, target: &Matrix) {
    assert_eq!(
        prediction.shape(),
        target.shape(),
        "{what}: prediction is {:?}, target is {:?}; they must match",
        prediction.shape(),
        target.shape()
    );
}

#[track_caller]
fn check_labels(what: &str, scores: &Matrix, labels: &[usize]) {
    assert_eq!(
        scores.nrows(),
        labels.len(),
        "{what}: {} rows of scores but {} labels",
        scores.nrows(),
        labels.len()
    );
    if let Some((i, &l)) = labels
        .iter()
        .enumerate()
        .find(|(_, &l)| l >= scores.ncols())
    {
        panic!(
            "{what}: label {l} of example {i} is out of range for {} classes",
            scores.ncols()
        );
    }
}
