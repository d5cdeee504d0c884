//! Step 4 of the hands-on: one epoch of the training loop.

use cnn::data::Dataset;
use cnn::layers::Mode;
use cnn::steps::{logits_gradient, logits_matrix};
use cnn::Cnn;
use sgd::Optimizer;

/// One epoch over `data`, batch by batch in the order of `batches` (each a
/// list of image indices). For every batch, in this order:
///
/// 1. clear the gradients (`model.zero_grad()`, PyTorch's `optimizer.zero_grad()`);
/// 2. run the forward pass in training mode, keeping its trace;
/// 3. compute the softmax cross-entropy of the logits and its gradient;
/// 4. run the backward pass with that gradient;
/// 5. let the optimizer step on `model.parameters()`.
///
/// Returns the epoch's average loss: the mean of the batch losses, one per
/// batch, each computed before its batch's step.
pub fn train_epoch(
    model: &mut Cnn,
    data: &Dataset,
    batches: &[Vec<usize>],
    optimizer: &mut dyn Optimizer,
) -> f32 {
    let mut total = 0.0f64;
    for batch in batches {
        let (x, labels) = data.batch(batch);
        model.zero_grad();
        let trace = model.forward_trace(&x, Mode::Train);
        let logits = logits_matrix(&trace.output);
        let (loss, grad) = losses::softmax_cross_entropy(&logits, &labels);
        model.backward(&trace, &logits_gradient(&grad));
        optimizer.step(&mut model.parameters());
        total += f64::from(loss);
    }
    (total / batches.len().max(1) as f64) as f32
}
