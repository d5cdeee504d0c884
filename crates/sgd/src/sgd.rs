use crate::{ensure_state, Optimizer, Param};

/// Stochastic gradient descent, optionally with momentum and weight decay, as
/// PyTorch's `torch.optim.SGD` (dampening 0, no Nesterov):
///
/// g ← ∇θ + λθ;  v ← μv + g (v = g on the first step);  θ ← θ − lr·v.
#[derive(Clone, Debug)]
pub struct Sgd {
    /// Learning rate (PyTorch requires one; the course uses 0.01 and 0.001).
    pub lr: f32,
    /// Momentum μ, 0 for plain SGD (the course uses 0.9).
    pub momentum: f32,
    /// L2 weight decay λ, default 0.
    pub weight_decay: f32,
    velocity: Vec<Vec<f32>>,
}

impl Sgd {
    /// Plain SGD: θ ← θ − lr·∇θ.
    pub fn new(lr: f32) -> Self {
        Sgd {
            lr,
            momentum: 0.0,
            weight_decay: 0.0,
            velocity: Vec::new(),
        }
    }

    /// SGD with momentum μ.
    pub fn with_momentum(lr: f32, momentum: f32) -> Self {
        Sgd {
            momentum,
            ..Sgd::new(lr)
        }
    }

    /// One update of one tensor, or of a piece of one, with its velocity.
    ///
    /// # Panics
    /// If the slices differ in length.
    // ANCHOR: update
    #[track_caller]
    pub fn update(&self, theta: &mut [f32], grad: &[f32], velocity: &mut [f32]) {
        assert!(
            grad.len() == theta.len() && velocity.len() == theta.len(),
            "Sgd::update: θ has {} values, gradient {}, velocity {}",
            theta.len(),
            grad.len(),
            velocity.len()
        );
        for ((theta, &grad), v) in theta.iter_mut().zip(grad).zip(velocity) {
            let g = grad + self.weight_decay * *theta;
            // With v starting at 0, μ·0 + g = g: PyTorch's first step.
            *v = self.momentum * *v + g;
            *theta -= self.lr * *v;
        }
    }
    // ANCHOR_END: update

    /// The velocity buffers, one per parameter (empty before the first step).
    pub fn velocity(&self) -> &[Vec<f32>] {
        &self.velocity
    }
}

impl Optimizer for Sgd {
    // ANCHOR: step
    fn step(&mut self, params: &mut [Param<'_>]) {
        ensure_state(
            "Sgd",
            &mut self.velocity,
            params,
            |n| vec![0.0; n],
            Vec::len,
        );
        let mut velocity = std::mem::take(&mut self.velocity);
        for (p, v) in params.iter_mut().zip(&mut velocity) {
            // A large tensor is updated in pieces, in parallel: each value's
            // update depends on that value alone, so the result is the same.
            crate::in_pieces(p.value, p.grad, [v], |theta, grad, [v]| {
                self.update(theta, grad, v)
            });
        }
        self.velocity = velocity;
    }
    // ANCHOR_END: step

    fn learning_rate(&self) -> f32 {
        self.lr
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn momentum_steps_by_hand() {
        // θ = 1, g = 0.5 every step, lr 0.1, μ 0.9:
        // step 1: v = 0.5,  θ = 1 − 0.05 = 0.95
        // step 2: v = 0.95, θ = 0.95 − 0.095 = 0.855
        let mut theta = [1.0f32];
        let grad = [0.5f32];
        let mut opt = Sgd::with_momentum(0.1, 0.9);
        opt.step(&mut [Param::new(&mut theta, &grad)]);
        assert!((theta[0] - 0.95).abs() < 1e-7);
        opt.step(&mut [Param::new(&mut theta, &grad)]);
        assert!((theta[0] - 0.855).abs() < 1e-6, "{}", theta[0]);
    }

    #[test]
    fn weight_decay_by_hand() {
        // θ = 2, g = 0, λ = 0.1, lr 0.5: θ ← 2 − 0.5·(0.2) = 1.9
        let mut theta = [2.0f32];
        let mut opt = Sgd {
            weight_decay: 0.1,
            ..Sgd::new(0.5)
        };
        opt.step(&mut [Param::new(&mut theta, &[0.0])]);
        assert!((theta[0] - 1.9).abs() < 1e-6);
    }

    #[test]
    #[should_panic(
        expected = "Sgd::step: parameter sizes [3] differ from the first step's [1]"
    )]
    fn changing_parameters_is_caught() {
        let mut opt = Sgd::with_momentum(0.1, 0.9);
        opt.step(&mut [Param::new(&mut [1.0], &[1.0])]);
        opt.step(&mut [Param::new(&mut [1.0; 3], &[1.0; 3])]);
    }
}
