use crate::{ensure_state, Optimizer, Param};

/// Adam (Kingma & Ba, 2015) as PyTorch's `torch.optim.Adam`, with its defaults
/// lr = 1e-3, β = (0.9, 0.999), ε = 1e-8, no weight decay:
///
/// m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;
/// θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε).
#[derive(Clone, Debug)]
pub struct Adam {
    /// Learning rate.
    pub lr: f32,
    /// β₁, decay of the first moment (mean of g).
    pub beta1: f32,
    /// β₂, decay of the second moment (mean of g²).
    pub beta2: f32,
    /// ε, keeps the denominator away from zero.
    pub eps: f32,
    /// L2 weight decay λ added to the gradient (PyTorch's Adam, not AdamW).
    pub weight_decay: f32,
    moments: Vec<Moments>,
    t: u32,
}

/// Adam's running averages for one parameter tensor.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Moments {
    /// First moment m, the running mean of g.
    pub m: Vec<f32>,
    /// Second moment v, the running mean of g².
    pub v: Vec<f32>,
}

impl Default for Adam {
    fn default() -> Self {
        Adam::new(1e-3)
    }
}

impl Adam {
    /// Adam with PyTorch's defaults and the given learning rate.
    pub fn new(lr: f32) -> Self {
        Adam {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.0,
            moments: Vec::new(),
            t: 0,
        }
    }

    /// The number of steps taken so far.
    pub fn steps(&self) -> u32 {
        self.t
    }

    /// One Adam update of one tensor at step `t` (counting from 1).
    ///
    /// # Panics
    /// If the slices differ in length.
    // ANCHOR: update
    #[track_caller]
    pub fn update(
        &self,
        theta: &mut [f32],
        grad: &[f32],
        moments: &mut Moments,
        t: u32,
    ) {
        let n = theta.len();
        assert!(
            grad.len() == n && moments.m.len() == n && moments.v.len() == n,
            "Adam::update: θ has {n} values, gradient {}, moments {} and {}",
            grad.len(),
            moments.m.len(),
            moments.v.len()
        );
        self.update_values(theta, grad, [&mut moments.m, &mut moments.v], t);
    }

    /// [`Adam::update`] on slices of the same length: a tensor, or a piece of one.
    fn update_values(
        &self,
        theta: &mut [f32],
        grad: &[f32],
        [m, v]: [&mut [f32]; 2],
        t: u32,
    ) {
        let bias1 = 1.0 - self.beta1.powi(t as i32); // corrects m's start at 0
        let bias2 = 1.0 - self.beta2.powi(t as i32);
        for i in 0..theta.len() {
            let g = grad[i] + self.weight_decay * theta[i];
            m[i] = self.beta1 * m[i] + (1.0 - self.beta1) * g;
            v[i] = self.beta2 * v[i] + (1.0 - self.beta2) * g * g;
            let m_hat = m[i] / bias1;
            let v_hat = v[i] / bias2;
            theta[i] -= self.lr * m_hat / (v_hat.sqrt() + self.eps);
        }
    }
    // ANCHOR_END: update
}

impl Optimizer for Adam {
    fn step(&mut self, params: &mut [Param<'_>]) {
        let zeros = |n| Moments {
            m: vec![0.0; n],
            v: vec![0.0; n],
        };
        let mut moments = std::mem::take(&mut self.moments);
        ensure_state("Adam", &mut moments, params, zeros, |s| s.m.len());
        self.t += 1;
        for (p, state) in params.iter_mut().zip(&mut moments) {
            // Large tensors in parallel pieces, as `Sgd` updates them.
            let t = self.t;
            crate::in_pieces(
                p.value,
                p.grad,
                [&mut state.m, &mut state.v],
                |theta, grad, mv| self.update_values(theta, grad, mv, t),
            );
        }
        self.moments = moments;
    }

    fn learning_rate(&self) -> f32 {
        self.lr
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_two_steps_by_hand() {
        // Step 1, g = 2: m = 0.2, v = 0.004, m̂ = 2, v̂ = 4,
        // θ = 1 − 0.1·2/(2 + 1e-8) = 0.9 (Adam's first step is ±lr).
        let mut theta = [1.0f32];
        let mut opt = Adam::new(0.1);
        opt.step(&mut [Param::new(&mut theta, &[2.0])]);
        assert!((theta[0] - 0.9).abs() < 1e-6);
        // Step 2, g = −1: m = 0.18 − 0.1 = 0.08, v = 0.003996 + 0.001 = 0.004996,
        // m̂ = 0.08/0.19 = 0.421053, v̂ = 0.004996/0.001999 = 2.499250,
        // θ = 0.9 − 0.1·0.421053/1.580902 = 0.873366.
        opt.step(&mut [Param::new(&mut theta, &[-1.0])]);
        assert!((theta[0] - 0.873_366).abs() < 1e-5, "{}", theta[0]);
        assert_eq!(opt.steps(), 2);
    }
}
