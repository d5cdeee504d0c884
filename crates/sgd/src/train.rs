use std::fmt;
use std::io::Write;

/// The loss stopped being a finite number: the run diverged.
#[derive(Clone, Debug, PartialEq)]
pub struct NonFiniteLoss {
    /// The epoch (from 0) in which it happened.
    pub epoch: usize,
    /// The batch (from 0) in which it happened.
    pub batch: usize,
    /// The value, NaN or ±∞.
    pub loss: f32,
}

impl fmt::Display for NonFiniteLoss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the loss became {} in epoch {}, batch {}: training diverged; \
             lower the learning rate (or check the inputs are normalised) and rerun",
            self.loss,
            self.epoch + 1,
            self.batch
        )
    }
}

impl std::error::Error for NonFiniteLoss {}

/// Per-epoch numbers of a training run, for printing and plotting.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// Average training loss of each epoch.
    pub train_loss: Vec<f32>,
    /// Loss on held-out data after each epoch, when measured.
    pub test_loss: Vec<f32>,
    /// Accuracy on held-out data after each epoch, in [0, 1], when measured.
    pub test_accuracy: Vec<f32>,
}

/// One epoch: calls `step` on every batch (it should run forward, backward and the
/// optimizer, and return the batch's loss) behind a progress bar
/// `Epoch: {epoch}: …`, then prints `Epoch [e/E], Average Loss: …`.
///
/// Returns the average of the batch losses, or [`NonFiniteLoss`] as soon as a
/// batch's loss is NaN or infinite, so a diverged run stops instead of training on
/// garbage.
// ANCHOR: run_epoch
pub fn run_epoch(
    epoch: usize,
    epochs: usize,
    batches: &[Vec<usize>],
    mut step: impl FnMut(&[usize]) -> f32,
) -> Result<f32, NonFiniteLoss> {
    let mut bar = bar::Bar::new(epoch, batches.len());
    let mut total = 0.0f64;
    for (b, batch) in batches.iter().enumerate() {
        let loss = step(batch);
        if !loss.is_finite() {
            bar.finish();
            return Err(NonFiniteLoss {
                epoch,
                batch: b,
                loss,
            });
        }
        total += f64::from(loss);
        bar.inc();
    }
    bar.finish();
    let average = (total / batches.len().max(1) as f64) as f32;
    // Not println!, which panics when standard output is closed (`| head`):
    // the line is lost, the training goes on.
    let line = format!("Epoch [{}/{epochs}], Average Loss: {average:.4}", epoch + 1);
    let _ = writeln!(std::io::stdout(), "{line}");
    Ok(average)
}
// ANCHOR_END: run_epoch

/// The epoch's progress bar, or nothing in a WebAssembly build (the browser has
/// no terminal, and no clock to time steps with).
mod bar {
    #[cfg(not(target_arch = "wasm32"))]
    pub struct Bar(crate::ProgressBar);
    #[cfg(target_arch = "wasm32")]
    pub struct Bar;

    impl Bar {
        pub fn new(epoch: usize, steps: usize) -> Self {
            #[cfg(not(target_arch = "wasm32"))]
            return Bar(crate::ProgressBar::new(format!("Epoch: {epoch}"), steps));
            #[cfg(target_arch = "wasm32")]
            {
                let _ = (epoch, steps);
                Bar
            }
        }

        pub fn inc(&mut self) {
            #[cfg(not(target_arch = "wasm32"))]
            self.0.inc();
        }

        pub fn finish(self) {
            #[cfg(not(target_arch = "wasm32"))]
            self.0.finish();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_batches_and_stops_on_nan() {
        let batches = vec![vec![0], vec![1], vec![2]];
        let mut losses = [1.0, 2.0, 6.0].into_iter();
        assert_eq!(
            run_epoch(0, 1, &batches, |_| losses.next().unwrap()),
            Ok(3.0)
        );
        let mut losses = [1.0, f32::NAN, 6.0].into_iter();
        let err = run_epoch(4, 5, &batches, |_| losses.next().unwrap()).unwrap_err();
        assert_eq!((err.epoch, err.batch), (4, 1));
        assert!(err.to_string().contains("epoch 5, batch 1"), "{err}");
    }
}
