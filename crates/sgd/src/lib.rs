//! Lecture section 6, *SGD*: how the gradients become better weights.
//!
//! An [`Optimizer`] updates parameters from their gradients: [`Sgd`] (with
//! optional momentum) and [`Adam`], with PyTorch's update rules and defaults.
//! [`batches()`] splits a dataset into seeded, shuffled mini-batches, and
//! [`run_epoch`] drives one pass over them behind a tqdm-like progress bar (on a
//! terminal; a WebAssembly build draws none), returning the epoch's average loss (or an
//! error if it stopped being finite).

mod adam;
mod batches;
#[cfg(not(target_arch = "wasm32"))]
mod progress;
mod sgd;
mod train;

pub use adam::{Adam, Moments};
pub use backprop::Param;
pub use batches::{batches, train_test_split};
#[cfg(not(target_arch = "wasm32"))]
pub use progress::ProgressBar;
pub use sgd::Sgd;
pub use train::{run_epoch, History, NonFiniteLoss};

/// Something that updates parameters from their gradients.
pub trait Optimizer {
    /// One update of every parameter. Pass the same parameters in the same order
    /// every call: optimizers with state (momentum, Adam) keep it by position.
    fn step(&mut self, params: &mut [Param<'_>]);

    /// The learning rate.
    fn learning_rate(&self) -> f32;
}

/// Creates zeroed state for each parameter the first time, and checks that later
/// calls pass parameters of the same sizes.
#[track_caller]
fn ensure_state<S>(
    who: &str,
    state: &mut Vec<S>,
    params: &[Param<'_>],
    new: impl Fn(usize) -> S,
    len: impl Fn(&S) -> usize,
) {
    if state.is_empty() {
        *state = params.iter().map(|p| new(p.value.len())).collect();
    }
    let sizes: Vec<usize> = params.iter().map(|p| p.value.len()).collect();
    let known: Vec<usize> = state.iter().map(len).collect();
    assert_eq!(
        sizes, known,
        "{who}::step: parameter sizes {sizes:?} differ from the first step's {known:?}; \
         pass the same parameters in the same order, or make a new optimizer"
    );
}
