//! `train_epoch` answered with the library's training step.

use cnn::data::Dataset;
use cnn::Cnn;
use sgd::Optimizer;

/// One epoch, each batch by the library's `train_step`.
pub fn train_epoch(
    model: &mut Cnn,
    data: &Dataset,
    batches: &[Vec<usize>],
    optimizer: &mut dyn Optimizer,
) -> f32 {
    let mut total = 0.0;
    for batch in batches {
        let (x, labels) = data.batch(batch);
        total += cnn::train::train_step(model, &x, &labels, optimizer);
    }
    total / batches.len() as f32
}
