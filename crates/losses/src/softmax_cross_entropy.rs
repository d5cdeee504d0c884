use crate::{check_labels, log_softmax, softmax, Matrix};

/// Softmax cross-entropy on raw logits (PyTorch's `CrossEntropyLoss`):
/// L = (1/N) Σₙ [log Σⱼ e^(zₙⱼ) − zₙ,yₙ]; with ∂L/∂z = (softmax(z) − onehot(y))/N.
///
/// Takes logits, not probabilities: putting a softmax layer before it would apply
/// softmax twice (a mistake in one of the course's templates). Computed through
/// log-sum-exp, it stays finite for logits of ±1e4.
///
/// # Panics
/// If `labels` does not have one entry per row, or a label is ≥ the class count.
// ANCHOR: softmax_cross_entropy
#[track_caller]
pub fn softmax_cross_entropy(logits: &Matrix, labels: &[usize]) -> (f32, Matrix) {
    check_labels("softmax_cross_entropy", logits, labels);
    let n = logits.nrows() as f32;
    let log_p = log_softmax(logits);
    let loss = -labels
        .iter()
        .enumerate()
        .map(|(i, &y)| log_p[(i, y)])
        .sum::<f32>()
        / n;
    // d/dzⱼ [log Σ e^z − z_y] = softmax(z)ⱼ − [j = y]
    let mut grad = softmax(logits);
    for (i, &y) in labels.iter().enumerate() {
        grad[(i, y)] -= 1.0;
    }
    (loss, grad / n)
}
// ANCHOR_END: softmax_cross_entropy

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_entropy_by_hand() {
        // Two classes with equal logits: p = [½ ½], L = ln 2, grad = [½ −½] for y = 1.
        let (l, g) = softmax_cross_entropy(&Matrix::zeros(1, 2), &[1]);
        assert!((l - std::f32::consts::LN_2).abs() < 1e-7);
        assert_eq!(g.as_slice(), &[0.5, -0.5]);
        // Huge, confidently wrong logits: L = 2e4, finite.
        let z = Matrix::from_row_slice(1, 2, &[1e4, -1e4]);
        let (l, g) = softmax_cross_entropy(&z, &[1]);
        assert_eq!(l, 2e4);
        assert_eq!(g.as_slice(), &[1.0, -1.0]);
    }

    #[test]
    #[should_panic(expected = "label 3 of example 0 is out of range for 3 classes")]
    fn label_out_of_range_is_named() {
        softmax_cross_entropy(&Matrix::zeros(1, 3), &[3]);
    }
}
