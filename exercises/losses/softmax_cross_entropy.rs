//! Softmax cross-entropy on logits, PyTorch's `CrossEntropyLoss`.

use nalgebra::DMatrix;

/// L = (1/N) Σₙ [log Σⱼ e^(zₙⱼ) − zₙ,yₙ] over the N rows of `logits`.
///
/// It must stay finite for logits of ±1e4: compute log Σ e^z as
/// m + log Σ e^(z − m) with m the row's maximum.
///
/// # Shapes
/// `logits`: N × C; `labels`: N class indices in `0..C`.
pub fn softmax_cross_entropy(logits: &DMatrix<f32>, labels: &[usize]) -> f32 {
    // TODO: for each row, log-sum-exp (stable) minus the label's logit; average.
    todo!()
}

/// ∂L/∂z = (softmax(z) − onehot(y)) / N.
pub fn softmax_cross_entropy_gradient(
    logits: &DMatrix<f32>,
    labels: &[usize],
) -> DMatrix<f32> {
    // TODO: softmax each row (subtract its max first), subtract 1 at the label, divide by N.
    todo!()
}
