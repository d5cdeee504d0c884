use crate::{Matrix, RowVector};
use rand::Rng;
use rand_distr::{Distribution, Normal};

/// The linear image classifier: p = softmax(x·W + b).
///
/// # Shapes
/// - `weight`: D × K (D = pixels, K = classes), `bias`: 1 × K
/// - input x: N × D flattened images, output: N × K probabilities
#[derive(Clone, Debug, PartialEq)]
pub struct LinearClassifier {
    /// W, D × K. Column k is class k's template.
    pub weight: Matrix,
    /// b, 1 × K.
    pub bias: RowVector,
}

impl LinearClassifier {
    /// A classifier with weights from N(0, 0.01²) and zero biases.
    pub fn new(inputs: usize, classes: usize, rng: &mut impl Rng) -> Self {
        let normal = Normal::new(0.0, 0.01).expect("σ > 0");
        LinearClassifier {
            weight: Matrix::from_fn(inputs, classes, |_, _| normal.sample(rng)),
            bias: RowVector::zeros(classes),
        }
    }

    /// The class scores (logits) x·W + b.
    ///
    /// # Panics
    /// If `x` does not have one column per row of W.
    #[track_caller]
    pub fn scores(&self, x: &Matrix) -> Matrix {
        assert_eq!(
            x.ncols(),
            self.weight.nrows(),
            "LinearClassifier::scores: input has {} features, classifier expects {}",
            x.ncols(),
            self.weight.nrows()
        );
        let mut z = x * &self.weight;
        for mut row in z.row_iter_mut() {
            row += &self.bias;
        }
        z
    }

    /// Class probabilities softmax(x·W + b), one row per image.
    // ANCHOR: forward
    pub fn forward(&self, x: &Matrix) -> Matrix {
        losses::softmax(&self.scores(x))
    }
    // ANCHOR_END: forward

    /// One gradient-descent step on the softmax cross-entropy of a batch; returns
    /// the loss before the step. With G = (p − onehot(y))/N: ∂L/∂W = xᵀG and
    /// ∂L/∂b = Σ rows of G.
    pub fn train_step(&mut self, x: &Matrix, labels: &[usize], lr: f32) -> f32 {
        let (loss, grad) = losses::softmax_cross_entropy(&self.scores(x), labels);
        self.weight -= x.tr_mul(&grad) * lr;
        self.bias -= grad.row_sum() * lr;
        loss
    }

    /// The predicted class of each row: the one with the highest score.
    pub fn predict(&self, x: &Matrix) -> Vec<usize> {
        self.scores(x)
            .row_iter()
            .map(|r| r.transpose().argmax().0)
            .collect()
    }

    /// The fraction of rows whose predicted class is their label.
    pub fn accuracy(&self, x: &Matrix, labels: &[usize]) -> f32 {
        let right = self
            .predict(x)
            .iter()
            .zip(labels)
            .filter(|(p, y)| p == y)
            .count();
        right as f32 / labels.len().max(1) as f32
    }

    /// Class `k`'s weights rescaled to [0, 1] for display: the lecture's
    /// *interpretación de W*. Reshape to the image's size to look at it.
    ///
    /// # Panics
    /// If `k` is not a class.
    #[track_caller]
    pub fn template(&self, k: usize) -> Vec<f32> {
        assert!(
            k < self.weight.ncols(),
            "LinearClassifier::template: class {k} of {}",
            self.weight.ncols()
        );
        let column = self.weight.column(k);
        let (lo, hi) = (column.min(), column.max());
        let range = (hi - lo).max(f32::MIN_POSITIVE);
        column.iter().map(|&w| (w - lo) / range).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn learns_two_blobs_and_templates_point_at_them() {
        // Class 0 lights pixel 0, class 1 lights pixel 1 (plus noise).
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let noise = Normal::new(0.0, 0.1).unwrap();
        let n = 200;
        let labels: Vec<usize> = (0..n).map(|i| i % 2).collect();
        let x = Matrix::from_fn(n, 3, |i, j| {
            let signal = if j == labels[i] { 1.0 } else { 0.0 };
            signal + noise.sample(&mut rng)
        });
        let mut clf = LinearClassifier::new(3, 2, &mut rng);
        let first = clf.train_step(&x, &labels, 0.5);
        let mut last = first;
        for _ in 0..200 {
            last = clf.train_step(&x, &labels, 0.5);
        }
        assert!(last < first / 4.0, "loss {first} → {last}");
        assert_eq!(clf.accuracy(&x, &labels), 1.0);
        // Each class's template is brightest at its own pixel.
        assert_eq!(clf.template(0)[0], 1.0);
        assert_eq!(clf.template(1)[1], 1.0);
        let p = clf.forward(&x);
        assert!((p.row(0).sum() - 1.0).abs() < 1e-6);
    }
}
