//! The sine page: the hands-on's two fits of y = sin x on 200 points of
//! [−π, 3π], side by side, as the `sine` demo runs them.
//!
//! 1. By hand: `backprop::TwoLayerTanh`, 1 → H (tanh) → 1 from randn, full-batch
//!    gradient descent (the fused step of `backprop::fast`).
//! 2. With the library: an `mlp::Mlp` 1 → H (tanh) → 1, Xavier, trained by
//!    `sgd::Adam` on `losses::mse`.

use activations::Activation;
use backprop::TwoLayerTanh;
use mlp::{Init, Matrix, Mlp};
use rand::rngs::StdRng;
use rand::SeedableRng;
use sgd::{Adam, Optimizer};
use wasm_bindgen::prelude::*;

/// The course's data: x = linspace(−π, 3π, n), y = sin x, as N × 1 columns.
pub fn sine_data(n: usize) -> (Matrix, Matrix) {
    let (lo, hi) = (-std::f32::consts::PI, 3.0 * std::f32::consts::PI);
    let x = Matrix::from_fn(n, 1, |i, _| lo + (hi - lo) * i as f32 / (n - 1) as f32);
    let y = x.map(f32::sin);
    (x, y)
}

/// Both networks and their training state.
#[wasm_bindgen]
pub struct Sine {
    x: Matrix,
    y: Matrix,
    seed: u64,
    hand: TwoLayerTanh,
    hand_lr: f32,
    hand_iterations: u32,
    workspace: backprop::fast::Workspace,
    library: Mlp,
    adam: Adam,
}

#[wasm_bindgen]
impl Sine {
    /// The demo's defaults: 1 → 10 → 1 by hand with learning rate 0.01, the
    /// library's 1 → 50 → 1 with Adam at 0.01, weights drawn from `seed` (the
    /// demo's default is 1) in the demo's order, so that the numbers are the
    /// demo's.
    #[wasm_bindgen(constructor)]
    pub fn new(seed: u32) -> Sine {
        let (x, y) = sine_data(200);
        let mut sine = Sine {
            x,
            y,
            seed: u64::from(seed),
            hand: TwoLayerTanh::zeros(1, 1, 1),
            hand_lr: 0.01,
            hand_iterations: 0,
            workspace: backprop::fast::Workspace::default(),
            library: Mlp { layers: Vec::new() },
            adam: Adam::new(0.01),
        };
        sine.reset(10, 50);
        sine
    }

    /// New weights for both networks, with `hand_hidden` and `library_hidden`
    /// hidden units (1 to 200).
    pub fn reset(&mut self, hand_hidden: u32, library_hidden: u32) {
        let (h, l) = (
            hand_hidden.clamp(1, 200) as usize,
            library_hidden.clamp(1, 200) as usize,
        );
        let mut rng = StdRng::seed_from_u64(self.seed);
        let (w1, b1) = Init::Randn.weights(1, h, &mut rng);
        let (w2, b2) = Init::Randn.weights(h, 1, &mut rng);
        self.hand = TwoLayerTanh { w1, b1, w2, b2 };
        self.hand_iterations = 0;
        self.library =
            Mlp::new(&[1, l, 1], Activation::Tanh, Init::Xavier, &mut rng);
        self.adam = Adam::new(self.adam.lr);
    }

    /// The learning rates, from the next step on.
    pub fn set_learning_rates(&mut self, hand: f32, adam: f32) {
        self.hand_lr = hand;
        self.adam.lr = adam;
    }

    /// `n` gradient-descent iterations of the by-hand network; returns the MSE
    /// after them (NaN once it diverged).
    pub fn hand_steps(&mut self, n: u32) -> f32 {
        for _ in 0..n {
            let loss = backprop::fast::descend(
                &mut self.hand,
                &self.x,
                &self.y,
                self.hand_lr,
                &mut self.workspace,
            );
            if !loss.is_finite() {
                return f32::NAN;
            }
            self.hand_iterations += 1;
        }
        self.hand_loss()
    }

    /// `n` Adam steps of the library's network; returns the MSE after them.
    pub fn adam_steps(&mut self, n: u32) -> f32 {
        for _ in 0..n {
            self.library.zero_grad();
            let trace = self.library.forward_trace(&self.x);
            let (loss, grad) =
                losses::mse(trace.last().expect("the output"), &self.y);
            if !loss.is_finite() {
                return f32::NAN;
            }
            self.library.backward(&trace, &grad);
            self.adam.step(&mut self.library.parameters());
        }
        self.library_loss()
    }

    /// The by-hand network's MSE now.
    pub fn hand_loss(&self) -> f32 {
        losses::mse(&self.hand.forward(&self.x).y_hat, &self.y).0
    }

    /// The library network's MSE now.
    pub fn library_loss(&self) -> f32 {
        losses::mse(&self.library.forward(&self.x), &self.y).0
    }

    /// Gradient-descent iterations so far.
    pub fn hand_iterations(&self) -> u32 {
        self.hand_iterations
    }

    /// Adam steps so far.
    pub fn adam_step_count(&self) -> u32 {
        self.adam.steps()
    }

    /// The 200 x values.
    pub fn xs(&self) -> Vec<f32> {
        self.x.as_slice().to_vec()
    }

    /// The by-hand network's ŷ at each x.
    pub fn hand_fit(&self) -> Vec<f32> {
        self.hand.forward(&self.x).y_hat.as_slice().to_vec()
    }

    /// The library network's ŷ at each x.
    pub fn library_fit(&self) -> Vec<f32> {
        self.library.forward(&self.x).as_slice().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page's self-test scenario, natively: 2 000 Adam steps bring the
    /// library's MSE below 0.01; gradient descent lowers the by-hand one.
    #[test]
    fn adam_fits_the_sine_in_2000_steps() {
        let mut s = Sine::new(1);
        let (hand0, lib0) = (s.hand_loss(), s.library_loss());
        let lib = s.adam_steps(2000);
        assert!(lib < 0.01, "library MSE {lib0} → {lib}");
        assert_eq!(s.adam_step_count(), 2000);
        let hand = s.hand_steps(2000);
        assert!(hand < hand0, "by-hand MSE {hand0} → {hand}");
        assert_eq!(
            (s.xs().len(), s.hand_fit().len(), s.library_fit().len()),
            (200, 200, 200)
        );
    }

    #[test]
    fn a_reset_repeats_the_same_draw() {
        let mut s = Sine::new(1);
        let fit = s.library_fit();
        s.adam_steps(5);
        s.reset(10, 50);
        assert_eq!(s.library_fit(), fit);
        s.reset(3, 7);
        assert_eq!(s.library.parameter_count(), 7 + 7 + 7 + 1);
    }
}
