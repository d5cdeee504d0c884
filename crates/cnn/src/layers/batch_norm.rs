use super::Mode;
use super::NamedTensor;
use crate::Tensor;
use backprop::Param;
use rayon::prelude::*;

/// Batch normalisation over the channels of N × C × H × W inputs, with PyTorch's
/// semantics (`nn.BatchNorm2d`, momentum 0.1, ε = 1e-5):
///
/// y = γ·(x − μ)/√(σ² + ε) + β, where in training μ and σ² are the batch's mean
/// and (biased) variance of each channel over N, H, W, and the running averages
/// move: r_μ ← (1 − m)·r_μ + m·μ, r_σ² ← (1 − m)·r_σ² + m·σ²·M/(M − 1) (the
/// unbiased variance, M = N·H·W). In evaluation the running averages replace μ, σ².
#[derive(Clone, Debug, PartialEq)]
pub struct BatchNorm2d {
    /// γ, the scale, one per channel (starts at 1).
    pub gamma: Vec<f32>,
    /// β, the shift, one per channel (starts at 0).
    pub beta: Vec<f32>,
    /// ∂L/∂γ, accumulated.
    pub grad_gamma: Vec<f32>,
    /// ∂L/∂β, accumulated.
    pub grad_beta: Vec<f32>,
    /// The running mean (starts at 0).
    pub running_mean: Vec<f32>,
    /// The running variance (starts at 1).
    pub running_var: Vec<f32>,
    /// m, the weight of the newest batch in the running averages.
    pub momentum: f32,
    /// ε, added to the variance.
    pub eps: f32,
}

/// Σ a and Σ a·b over a plane, in eight f32 lanes (which the compiler keeps in
/// vector registers), returned in f64. A plane has at most a few thousand values,
/// so f32 partial sums lose nothing that matters; planes are combined in f64.
fn plane_sums(a: &[f32], b: &[f32]) -> (f64, f64) {
    let (mut s, mut sp) = ([0.0f32; 8], [0.0f32; 8]);
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            s[k] += x[k];
            sp[k] += x[k] * y[k];
        }
    }
    let tail: (f64, f64) = ra.iter().zip(rb).fold((0.0, 0.0), |t, (&x, &y)| {
        (t.0 + f64::from(x), t.1 + f64::from(x * y))
    });
    let lanes = |v: [f32; 8]| v.iter().map(|&x| f64::from(x)).sum::<f64>();
    (lanes(s) + tail.0, lanes(sp) + tail.1)
}

/// The planes of channel `ch`, one per image.
fn planes(x: &Tensor, ch: usize) -> impl Iterator<Item = &[f32]> {
    let [n, c, h, w] = x.shape();
    (0..n).map(move |i| &x.data()[(i * c + ch) * h * w..(i * c + ch + 1) * h * w])
}

/// Mean and biased variance of each channel over N, H, W, in one pass:
/// Σ(x − s) and Σ(x − s)² around a shift s (the channel's first value), which keeps
/// E[(x − s)²] − E[x − s]² accurate even when the mean is large.
fn channel_stats(x: &Tensor) -> Vec<(f32, f32)> {
    let [n, c, h, w] = x.shape();
    let m = (n * h * w) as f64;
    (0..c)
        .into_par_iter()
        .map(|ch| {
            let shift = planes(x, ch)
                .next()
                .and_then(|p| p.first())
                .copied()
                .unwrap_or(0.0);
            let (mut sum, mut sq) = (0.0f64, 0.0f64);
            let mut centred = vec![0.0f32; h * w];
            for p in planes(x, ch) {
                for (d, &v) in centred.iter_mut().zip(p) {
                    *d = v - shift;
                }
                let (s, q) = plane_sums(&centred, &centred);
                sum += s;
                sq += q;
            }
            let mean = sum / m;
            let var = (sq / m - mean * mean).max(0.0);
            ((mean + f64::from(shift)) as f32, var as f32)
        })
        .collect()
}

impl BatchNorm2d {
    /// Batch norm for `channels` channels, as PyTorch initialises it.
    pub fn new(channels: usize) -> Self {
        BatchNorm2d {
            gamma: vec![1.0; channels],
            beta: vec![0.0; channels],
            grad_gamma: vec![0.0; channels],
            grad_beta: vec![0.0; channels],
            running_mean: vec![0.0; channels],
            running_var: vec![1.0; channels],
            momentum: 0.1,
            eps: 1e-5,
        }
    }

    /// Normalises each channel; in [`Mode::Train`] also updates the running
    /// averages.
    ///
    /// # Panics
    /// If `x` does not have one channel per γ.
    #[track_caller]
    pub fn forward(&mut self, x: &Tensor, mode: Mode) -> Tensor {
        let [n, c, h, w] = x.shape();
        assert_eq!(
            c,
            self.gamma.len(),
            "BatchNorm2d::forward: input has {c} channels, layer has {}",
            self.gamma.len()
        );
        let stats = match mode {
            Mode::Train => {
                let stats = channel_stats(x);
                let m = (n * h * w) as f32;
                let unbias = if m > 1.0 { m / (m - 1.0) } else { 1.0 };
                for (ch, &(mean, var)) in stats.iter().enumerate() {
                    let k = self.momentum;
                    self.running_mean[ch] =
                        (1.0 - k) * self.running_mean[ch] + k * mean;
                    self.running_var[ch] =
                        (1.0 - k) * self.running_var[ch] + k * var * unbias;
                }
                stats
            }
            Mode::Eval => self
                .running_mean
                .iter()
                .copied()
                .zip(self.running_var.iter().copied())
                .collect(),
        };
        let mut y = x.clone();
        let plane = h * w;
        y.data_mut()
            .par_chunks_mut(plane.max(1))
            .enumerate()
            .for_each(|(k, p)| {
                let ch = k % c;
                let (mean, var) = stats[ch];
                let scale = self.gamma[ch] / (var + self.eps).sqrt();
                let shift = self.beta[ch] - mean * scale;
                p.iter_mut().for_each(|v| *v = *v * scale + shift);
            });
        y
    }

    /// Backward pass in training mode (batch statistics), with x̂ = (x − μ)/σ:
    /// ∂L/∂β = Σ g, ∂L/∂γ = Σ g·x̂, ∂L/∂x = γ/σ · (g − mean(g) − x̂·mean(g·x̂)).
    /// The statistics are recomputed from `x`; ∂L/∂y's buffer is reused for ∂L/∂x.
    // ANCHOR: backward
    pub fn backward(&mut self, x: &Tensor, grad_output: Tensor) -> Tensor {
        let [n, c, h, w] = x.shape();
        let plane = h * w;
        let m = (n * plane) as f64;
        let stats = channel_stats(x);
        // Per channel: Σ g and Σ g·x̂ = (Σ g·x − μ·Σ g)/σ, planes in a fixed order.
        let sums: Vec<(f64, f64)> = (0..c)
            .into_par_iter()
            .map(|ch| {
                let (mean, var) = stats[ch];
                let inv_std = 1.0 / f64::from(var + self.eps).sqrt();
                let (mut sg, mut sgx) = (0.0f64, 0.0f64);
                for (gp, xp) in planes(&grad_output, ch).zip(planes(x, ch)) {
                    let (a, b) = plane_sums(gp, xp);
                    sg += a;
                    sgx += b;
                }
                (sg, (sgx - f64::from(mean) * sg) * inv_std)
            })
            .collect();
        for (ch, &(sg, sgx)) in sums.iter().enumerate() {
            self.grad_beta[ch] += sg as f32;
            self.grad_gamma[ch] += sgx as f32;
        }
        // ∂L/∂x overwrites ∂L/∂y in its own buffer.
        let mut dx = grad_output;
        dx.data_mut()
            .par_chunks_mut(plane.max(1))
            .zip(x.data().par_chunks(plane.max(1)))
            .enumerate()
            .for_each(|(k, (d, xs))| {
                let ch = k % c;
                let (mean, var) = stats[ch];
                let inv_std = 1.0 / (var + self.eps).sqrt();
                let (mean_g, mean_gx) =
                    ((sums[ch].0 / m) as f32, (sums[ch].1 / m) as f32);
                let scale = self.gamma[ch] * inv_std;
                for (g, &v) in d.iter_mut().zip(xs) {
                    let x_hat = (v - mean) * inv_std;
                    *g = scale * (*g - mean_g - x_hat * mean_gx);
                }
            });
        dx
    }
    // ANCHOR_END: backward

    /// Clears the gradients.
    pub fn zero_grad(&mut self) {
        self.grad_gamma.fill(0.0);
        self.grad_beta.fill(0.0);
    }

    /// γ then β (the running averages are not trained).
    pub fn parameters(&mut self) -> Vec<Param<'_>> {
        vec![
            Param::new(&mut self.gamma, &self.grad_gamma),
            Param::new(&mut self.beta, &self.grad_beta),
        ]
    }

    pub(crate) fn state(&self, name: &str, out: &mut Vec<NamedTensor>) {
        let c = vec![self.gamma.len()];
        out.push((format!("{name}.weight"), c.clone(), self.gamma.clone()));
        out.push((format!("{name}.bias"), c.clone(), self.beta.clone()));
        out.push((
            format!("{name}.running_mean"),
            c.clone(),
            self.running_mean.clone(),
        ));
        out.push((format!("{name}.running_var"), c, self.running_var.clone()));
    }

    pub(crate) fn load<'a>(&mut self, get: impl Fn(&str) -> Option<&'a [f32]>) {
        for (field, key) in [
            (&mut self.gamma, "weight"),
            (&mut self.beta, "bias"),
            (&mut self.running_mean, "running_mean"),
            (&mut self.running_var, "running_var"),
        ] {
            if let Some(v) = get(key) {
                field.copy_from_slice(v);
            }
        }
    }
}
