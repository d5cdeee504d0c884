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

/// Something that updates parameters from their gradients. `Send`, so that a
/// training loop can run on one of rayon's threads (`cnn::train` does).
pub trait Optimizer: Send {
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

/// Values per piece of [`in_pieces`]: 128 KB of each slice, and a tensor smaller
/// than two pieces is updated on the calling thread.
const PIECE: usize = 1 << 15;

/// Runs `update` on pieces of `theta`, `grad` and each state slice (of equal
/// lengths: asserted, or the pieces would silently leave values out), in
/// parallel on rayon's threads.
/// An update where each value depends only on its own gradient and state gives
/// the same bits in pieces as in one call, whatever the number of threads.
fn in_pieces<const K: usize>(
    theta: &mut [f32],
    grad: &[f32],
    state: [&mut [f32]; K],
    update: impl Fn(&mut [f32], &[f32], [&mut [f32]; K]) + Sync,
) {
    use rayon::prelude::*;
    let n = theta.len();
    assert!(
        grad.len() == n && state.iter().all(|s| s.len() == n),
        "optimizer step: θ has {n} values, its gradient {} and state {:?}",
        grad.len(),
        state.iter().map(|s| s.len()).collect::<Vec<_>>()
    );
    if n < 2 * PIECE {
        return update(theta, grad, state);
    }
    let mut pieces = Vec::new();
    let mut state = state.map(|s| s.chunks_mut(PIECE));
    for (theta, grad) in theta.chunks_mut(PIECE).zip(grad.chunks(PIECE)) {
        let s = std::array::from_fn(|k| state[k].next().expect("same length as θ"));
        pieces.push((theta, grad, s));
    }
    pieces
        .into_par_iter()
        .for_each(|(theta, grad, s)| update(theta, grad, s));
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// θ and ∇θ of a tensor large enough to be updated in pieces.
    fn tensor(seed: u64, extra: usize) -> (Vec<f32>, Vec<f32>) {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let n = 2 * PIECE + extra;
        let theta = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
        let grad = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
        (theta, grad)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(8))]

        /// Three steps of `step` (in parallel pieces) give the bits of
        /// `update` on the whole tensor.
        #[test]
        fn pieces_change_no_bit(seed in any::<u64>(), extra in 0..PIECE, wd in 0.0f32..0.1) {
            let (theta, grad) = tensor(seed, extra);
            let mut sgd = Sgd::with_momentum(0.01, 0.9);
            sgd.weight_decay = wd;
            let (mut a, mut b, mut v) = (theta.clone(), theta.clone(), vec![0.0; theta.len()]);
            let mut opt = sgd.clone();
            let mut adam = Adam::new(1e-3);
            adam.weight_decay = wd;
            let (mut c, mut d, mut m) = (theta.clone(), theta.clone(), Moments {
                m: vec![0.0; theta.len()],
                v: vec![0.0; theta.len()],
            });
            let mut adam_opt = adam.clone();
            for t in 1..=3 {
                opt.step(&mut [Param::new(&mut a, &grad)]);
                sgd.update(&mut b, &grad, &mut v);
                adam_opt.step(&mut [Param::new(&mut c, &grad)]);
                adam.update(&mut d, &grad, &mut m, t);
            }
            prop_assert!(a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits()));
            prop_assert!(c.iter().zip(&d).all(|(x, y)| x.to_bits() == y.to_bits()));
            prop_assert_ne!(&a, &theta);
            prop_assert_ne!(&c, &theta);
        }
    }
}
