//! Step 5 of the hands-on: the evaluation, on the whole test set.

use cnn::data::Dataset;
use cnn::layers::Mode;
use cnn::steps::{logits_matrix, Score};
use cnn::Cnn;

/// The accuracy and the mean loss of `model` on every image of `test`, in
/// evaluation mode (`Mode::Eval`: batch norm uses its running averages, and
/// nothing in the model changes), in batches of `batch_size` images (the last
/// one may be shorter).
///
/// The loss is the softmax cross-entropy of the logits, averaged over images
/// (a batch's mean loss counts as many times as it has images); an image is
/// classified right when its largest logit is its label's. The accuracy is a
/// fraction, in [0, 1].
///
/// Not the course template's mistake: the last training batch tells nothing
/// about images the model has not seen.
pub fn evaluate(model: &mut Cnn, test: &Dataset, batch_size: usize) -> Score {
    // TODO: for each chunk of indices (a Vec of 0..test.len(), .chunks(batch_size)): test.batch(chunk), model.forward(&x, Mode::Eval), logits_matrix, losses::softmax_cross_entropy; add the loss × chunk.len(), count rows whose argmax is the label; divide both by test.len().
    todo!()
}
