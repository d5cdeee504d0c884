use crate::{check_labels, Matrix};

/// Negative log-likelihood on log-probabilities (PyTorch's `NLLLoss`, to follow a
/// log-softmax): L = −(1/N) Σₙ log pₙ,yₙ; with ∂L/∂(log p) = −onehot(y)/N.
///
/// # Panics
/// If `labels` does not have one entry per row, or a label is ≥ the class count.
#[track_caller]
pub fn nll(log_probs: &Matrix, labels: &[usize]) -> (f32, Matrix) {
    check_labels("nll", log_probs, labels);
    let n = log_probs.nrows() as f32;
    let mut grad = Matrix::zeros(log_probs.nrows(), log_probs.ncols());
    let mut loss = 0.0;
    for (i, &y) in labels.iter().enumerate() {
        loss -= log_probs[(i, y)];
        // d/d(log p_y) of −log p_y is −1; every other entry does not appear.
        grad[(i, y)] = -1.0 / n;
    }
    (loss / n, grad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{log_softmax, softmax_cross_entropy};

    #[test]
    fn nll_after_log_softmax_is_cross_entropy() {
        let z = Matrix::from_row_slice(2, 3, &[1.0, 2.0, 0.5, -1.0, 0.0, 3.0]);
        let (a, _) = nll(&log_softmax(&z), &[1, 2]);
        let (b, _) = softmax_cross_entropy(&z, &[1, 2]);
        assert!((a - b).abs() < 1e-6);
        let (_, g) = nll(&Matrix::zeros(2, 2), &[0, 1]);
        assert_eq!(g.as_slice(), &[-0.5, 0.0, 0.0, -0.5]); // column-major
    }
}
