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
    sgd::run_epoch(epoch, epochs, &batches, |batch| {
        let (x, labels) = data.batch(batch);
        train_step(model, &x, labels.as_slice(), optimizer)
    })
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
    /// Accuracy of each class: its diagonal count over its row's total.
    pub fn per_class_accuracy(&self) -> Vec<f32> {
        self.confusion
            .iter()
            .enumerate()
            .map(|(k, row)| row[k] as f32 / row.iter().sum::<usize>().max(1) as f32)
            .collect()
    }

    /// Per-class accuracy and the confusion matrix as aligned text.
    pub fn report(&self) -> String {
        let width = self
            .classes
            .iter()
            .map(|c| c.len())
            .max()
            .unwrap_or(5)
            .max(5);
        let mut out = format!("{:<width$}  accuracy\n", "class");
        for (name, acc) in self.classes.iter().zip(self.per_class_accuracy()) {
            out += &format!("{name:<width$}  {:6.2} %\n", acc * 100.0);
        }
        out += &format!(
            "\nconfusion matrix (rows: true class, columns: predicted)\n{:<width$}",
            ""
        );
        for k in 0..self.classes.len() {
            out += &format!(" {k:>5}");
        }
        out.push('\n');
        for (k, (name, row)) in self.classes.iter().zip(&self.confusion).enumerate()
        {
            out += &format!("{:<width$}", format!("{k} {name}"));
            for v in row {
                out += &format!(" {v:>5}");
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
    let right: usize = (0..k).map(|i| confusion[i][i]).sum();
    Evaluation {
        loss: (total_loss / data.len().max(1) as f64) as f32,
        accuracy: right as f32 / data.len().max(1) as f32,
        confusion,
        classes: data.classes.clone(),
    }
}
