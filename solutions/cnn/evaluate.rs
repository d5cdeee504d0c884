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
    let indices: Vec<usize> = (0..test.len()).collect();
    let mut total_loss = 0.0f64;
    let mut right = 0usize;
    for chunk in indices.chunks(batch_size.max(1)) {
        let (x, labels) = test.batch(chunk);
        let logits = logits_matrix(&model.forward(&x, Mode::Eval));
        let (loss, _) = losses::softmax_cross_entropy(&logits, &labels);
        total_loss += f64::from(loss) * chunk.len() as f64;
        for (row, &y) in logits.row_iter().zip(&labels) {
            right += usize::from(row.transpose().argmax().0 == y);
        }
    }
    let n = test.len().max(1) as f64;
    Score {
        accuracy: (right as f64 / n) as f32,
        loss: (total_loss / n) as f32,
    }
}
