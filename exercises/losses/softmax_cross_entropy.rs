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
    // TODO: for (row, &y) in logits.row_iter().zip(labels): m = row.max(), log Σ e^z = m + (Σ (z − m).exp()).ln(), minus row[y]; divide the total by labels.len() as f32.
    todo!()
}

/// ∂L/∂z = (softmax(z) − onehot(y)) / N.
pub fn softmax_cross_entropy_gradient(
    logits: &DMatrix<f32>,
    labels: &[usize],
) -> DMatrix<f32> {
    // TODO: let mut grad = logits.clone(); for (mut row, &y) in grad.row_iter_mut().zip(labels): subtract row.max(), row.apply(|z| *z = z.exp()), divide by row.sum(), row[y] -= 1.0; then grad / N as f32.
    todo!()
}
