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
    // TODO: for each batch, data.batch(batch) gives (x, labels); use model.zero_grad(), model.forward_trace(&x, Mode::Train), losses::softmax_cross_entropy(&logits_matrix(&trace.output), &labels), model.backward(&trace, &logits_gradient(&grad)) and optimizer.step(&mut model.parameters()) in the order above; return the mean loss as f32.
    todo!()
}
