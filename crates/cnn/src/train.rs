//! Steps 4 and 5 of the hands-on: the training loop and the evaluation.

use crate::data::Dataset;
use crate::layers::{Cnn, Mode};
use crate::Tensor;
use backprop::Matrix;
use rand::Rng;
use sgd::{NonFiniteLoss, Optimizer};

/// Logits N × K × 1 × 1 as an N × K matrix, for the loss.
fn logits_matrix(t: &Tensor) -> Matrix {
    let [n, k, _, _] = t.shape();
    Matrix::from_row_slice(n, k, t.data())
}

/// An N × K matrix as N × K × 1 × 1 logits gradient.
fn gradient_tensor(m: &Matrix) -> Tensor {
    Tensor::from_vec(
        [m.nrows(), m.ncols(), 1, 1],
        m.transpose().as_slice().to_vec(),
    )
}

/// One training step on a batch: forward, softmax cross-entropy, backward,
/// optimizer step. Returns the batch's loss (before the step).
// ANCHOR: train_step
pub fn train_step(
    model: &mut Cnn,
    x: &Tensor,
    labels: &[usize],
    optimizer: &mut dyn Optimizer,
) -> f32 {
    model.zero_grad();
    let trace = model.forward_trace(x, Mode::Train);
    let (loss, grad) =
        losses::softmax_cross_entropy(&logits_matrix(&trace.output), labels);
    if loss.is_finite() {
        model.backward(&trace, &gradient_tensor(&grad));
        optimizer.step(&mut model.parameters());
    }
    loss
}
// ANCHOR_END: train_step

/// One epoch over `data` in shuffled mini-batches (drawn from `rng`), behind a
/// progress bar; returns the average loss, or [`NonFiniteLoss`] if it diverged.
pub fn train_epoch(
    model: &mut Cnn,
    data: &Dataset,
    batch_size: usize,
    optimizer: &mut dyn Optimizer,
    rng: &mut impl Rng,
    (epoch, epochs): (usize, usize),
) -> Result<f32, NonFiniteLoss> {
    let batches = sgd::batches(data.len(), batch_size, rng);
    on_the_pool(|| {
        sgd::run_epoch(epoch, epochs, &batches, |batch| {
            let (x, labels) = data.batch(batch);
            train_step(model, &x, labels.as_slice(), optimizer)
        })
    })
}

/// Runs `work` on one of rayon's threads (on this one if it is already one).
///
/// A step has a dozen parallel loops (every matrix product, ReLU, optimiser
/// update). Started from a thread outside rayon's pool, each of them is handed
/// to the pool while the caller sleeps until it is done, two thread switches a
/// loop; started from a thread of the pool, the loop's work is split with the
/// other threads as they come free, and the caller does its share. On two cores
/// that made the training steps of the MLP 784 about 1.3× as fast, those of the
/// ConvolutionalModel and the MLP 3 072 about 1.1× (`cargo bench -p bench
/// --bench throughput`). Which thread runs what changes no result: the work is
/// cut by the shapes, never by the threads.
pub fn on_the_pool<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    rayon::scope(|_| work())
}

/// How a model does on a dataset.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// Mean softmax cross-entropy.
    pub loss: f32,
    /// Fraction of images classified right, in [0, 1].
    pub accuracy: f32,
    /// `confusion[true][predicted]` counts.
    pub confusion: Vec<Vec<usize>>,
    /// Class names.
    pub classes: Vec<String>,
}

impl Evaluation {
    /// Accuracy of each class: its diagonal count over its row's total, or
    /// `None` for a class with no images to measure it on.
    pub fn per_class_accuracy(&self) -> Vec<Option<f32>> {
        self.confusion
            .iter()
            .enumerate()
            .map(|(k, row)| {
                let total = row.iter().sum::<usize>();
                (total > 0).then(|| row[k] as f32 / total as f32)
            })
            .collect()
    }

    /// Per-class accuracy and the confusion matrix as aligned text: the first
    /// column as wide as the longest `k name` label, every count column as wide
    /// as the largest count (and at least 5).
    pub fn report(&self) -> String {
        let chars = |s: &str| s.chars().count();
        let pad = |s: &str, width: usize| {
            format!("{s}{}", " ".repeat(width.saturating_sub(chars(s))))
        };
        let labels: Vec<String> = (self.classes.iter().enumerate())
            .map(|(k, name)| format!("{k} {name}"))
            .collect();
        let width = (labels.iter().chain(&self.classes))
            .map(|l| chars(l))
            .max()
            .unwrap_or(0)
            .max(5);
        let mut out = format!("{}  accuracy\n", pad("class", width));
        for (name, acc) in self.classes.iter().zip(self.per_class_accuracy()) {
            let acc = acc
                .map_or(format!("{:>8}", "n/a"), |a| format!("{:6.2} %", a * 100.0));
            out += &format!("{}  {acc}\n", pad(name, width));
        }
        let largest = self.confusion.iter().flatten().max().copied().unwrap_or(0);
        let cell = largest
            .max(self.classes.len().saturating_sub(1))
            .to_string()
            .len()
            .max(5);
        out += &format!(
            "\nconfusion matrix (rows: true class, columns: predicted)\n{} ",
            pad("", width)
        );
        for k in 0..self.classes.len() {
            out += &format!(" {k:>cell$}");
        }
        out.push('\n');
        for (label, row) in labels.iter().zip(&self.confusion) {
            out += &pad(label, width + 1);
            for v in row {
                out += &format!(" {v:>cell$}");
            }
            out.push('\n');
        }
        out
    }
}

/// Evaluates `model` (in evaluation mode) on every image of `data`, in batches.
pub fn evaluate(model: &mut Cnn, data: &Dataset, batch_size: usize) -> Evaluation {
    let k = data.classes.len();
    let mut confusion = vec![vec![0usize; k]; k];
    let mut total_loss = 0.0f64;
    let indices: Vec<usize> = (0..data.len()).collect();
    on_the_pool(|| {
        for batch in indices.chunks(batch_size.max(1)) {
            let (x, labels) = data.batch(batch);
            let logits = logits_matrix(&model.forward(&x, Mode::Eval));
            let (loss, _) = losses::softmax_cross_entropy(&logits, &labels);
            total_loss += f64::from(loss) * batch.len() as f64;
            for (row, &y) in logits.row_iter().zip(&labels) {
                let predicted = row.transpose().argmax().0;
                confusion[y][predicted] += 1;
            }
        }
    });
    let right: usize = (0..k).map(|i| confusion[i][i]).sum();
    Evaluation {
        loss: (total_loss / data.len().max(1) as f64) as f32,
        accuracy: right as f32 / data.len().max(1) as f32,
        confusion,
        classes: data.classes.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::FASHION_MNIST_CLASSES;

    #[test]
    fn the_report_aligns_on_the_course_class_names_and_shows_n_a() {
        let k = FASHION_MNIST_CLASSES.len();
        // Class 3 (Dress) has no test images; class 0 has 12 345 of which 12 000 right.
        let confusion: Vec<Vec<usize>> = (0..k)
            .map(|i| match i {
                0 => (0..k)
                    .map(|j| {
                        if j == 0 {
                            12_000
                        } else {
                            345 * (j == 6) as usize
                        }
                    })
                    .collect(),
                3 => vec![0; k],
                _ => (0..k).map(|j| usize::from(i == j) * 7).collect(),
            })
            .collect();
        let eval = Evaluation {
            loss: 0.5,
            accuracy: 0.9,
            confusion,
            classes: FASHION_MNIST_CLASSES
                .iter()
                .map(|c| c.to_string())
                .collect(),
        };
        let report = eval.report();
        let lines: Vec<&str> = report.lines().collect();
        assert!(
            lines[4].starts_with("Dress") && lines[4].ends_with("     n/a"),
            "{report}"
        );
        assert!(lines[1].ends_with(" 97.21 %"), "{report}");
        // The header and every row of the matrix: the same length, and each
        // column's numbers end where its header's index ends.
        let matrix: Vec<&str> = lines
            .iter()
            .skip_while(|l| !l.starts_with("confusion"))
            .skip(1)
            .copied()
            .collect();
        assert_eq!(matrix.len(), k + 1, "{report}");
        let width = matrix[0].chars().count();
        for line in &matrix {
            assert_eq!(line.chars().count(), width, "{line:?} in\n{report}");
        }
        assert!(matrix[1].starts_with("0 T-shirt/top  12000"), "{report}");
        assert!(matrix[10].starts_with("9 Ankle boot       0"), "{report}");
        let ends = |l: &str| -> Vec<usize> {
            let c: Vec<char> = l.chars().collect();
            (0..c.len())
                .filter(|&i| c[i] != ' ' && c.get(i + 1).is_none_or(|&n| n == ' '))
                .map(|i| i + 1)
                .collect()
        };
        let header_ends: Vec<usize> = ends(matrix[0]);
        for line in &matrix[1..] {
            let row_ends = ends(line);
            // Drop the label's words: compare the last k column ends.
            assert_eq!(
                &row_ends[row_ends.len() - k..],
                &header_ends[header_ends.len() - k..],
                "{line:?}\n{report}"
            );
        }
    }
}
