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
    let mut total = 0.0;
    for (row, &y) in logits.row_iter().zip(labels) {
        let m = row.max();
        let log_sum_exp = row.iter().map(|&z| (z - m).exp()).sum::<f32>().ln() + m;
        total += log_sum_exp - row[y];
    }
    total / labels.len() as f32
}

/// ∂L/∂z = (softmax(z) − onehot(y)) / N.
pub fn softmax_cross_entropy_gradient(
    logits: &DMatrix<f32>,
    labels: &[usize],
) -> DMatrix<f32> {
    let n = labels.len() as f32;
    let mut grad = logits.clone();
    for (mut row, &y) in grad.row_iter_mut().zip(labels) {
        let m = row.max();
        row.apply(|z| *z = (*z - m).exp());
        let sum = row.sum();
        row /= sum;
        row[y] -= 1.0;
    }
    grad / n
}
