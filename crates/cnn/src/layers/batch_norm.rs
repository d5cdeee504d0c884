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
    /// Training batches seen (PyTorch's `num_batches_tracked`, which
    /// checkpoints carry; with a fixed momentum nothing else uses it).
    pub batches_tracked: u64,
}

/// Sums over a plane, around a shift s: Σ(x − s) and Σ(x − s)², and when `g` is
/// given also Σ g and Σ g·(x − s). Eight f32 lanes each, returned in f64: a
/// plane has at most a few thousand values, so the f32 partial sums lose nothing
/// that matters; planes are combined in f64.
fn plane_sums(x: &[f32], shift: f32, g: Option<&[f32]>) -> [f64; 4] {
    let [sums] = planes_sums([x], shift, g.map(|g| [g]));
    sums
}

/// [`plane_sums`] of P planes of the same length at once, each plane's the same
/// bits as alone: every lane's running sum is one chain of dependent adds, so
/// P planes side by side give the CPU P times as many independent chains.
fn planes_sums<const P: usize>(
    x: [&[f32]; P],
    shift: f32,
    g: Option<[&[f32]; P]>,
) -> [[f64; 4]; P] {
    let len = x[0].len();
    assert!(
        x.iter().all(|p| p.len() == len)
            && g.is_none_or(|g| g.iter().all(|p| p.len() == len)),
        "batch norm: planes of different sizes"
    );
    let n = len / 8;
    let xs = x.map(|p| &p.as_chunks::<8>().0[..n]);
    // One pass per sum: the compiler turns each into vector adds, where the four
    // sums in one loop came out as scalar code (2.5× slower; same bits).
    let s = lanes::<P>(n, |p, i, k| xs[p][i][k] - shift);
    let ss = lanes::<P>(n, |p, i, k| (xs[p][i][k] - shift) * (xs[p][i][k] - shift));
    let (sg, sgx) = match g {
        None => ([[0.0; 8]; P], [[0.0; 8]; P]),
        Some(g) => {
            let gs = g.map(|p| &p.as_chunks::<8>().0[..n]);
            (
                lanes::<P>(n, |p, i, k| gs[p][i][k]),
                lanes::<P>(n, |p, i, k| gs[p][i][k] * (xs[p][i][k] - shift)),
            )
        }
    };
    std::array::from_fn(|p| {
        let mut sums: [f64; 4] = [s[p], ss[p], sg[p], sgx[p]]
            .map(|l| l.iter().map(|&v| f64::from(v)).sum());
        for i in 8 * n..len {
            let d = f64::from(x[p][i] - shift);
            let gv = g.map_or(0.0, |g| f64::from(g[p][i]));
            sums[0] += d;
            sums[1] += d * d;
            sums[2] += gv;
            sums[3] += gv * d;
        }
        sums
    })
}

/// Σᵢ term(p, i, k) for each plane p of P and lane k of 8, over chunks i < n,
/// in order.
#[inline(always)]
fn lanes<const P: usize>(
    n: usize,
    term: impl Fn(usize, usize, usize) -> f32,
) -> [[f32; 8]; P] {
    let mut acc = [[0.0f32; 8]; P];
    for i in 0..n {
        for (p, acc) in acc.iter_mut().enumerate() {
            for (k, a) in acc.iter_mut().enumerate() {
                *a += term(p, i, k);
            }
        }
    }
    acc
}

/// The planes of channel `ch`, one per image.
fn planes(x: &Tensor, ch: usize) -> impl Iterator<Item = &[f32]> {
    let [n, c, h, w] = x.shape();
    (0..n).map(move |i| &x.data()[(i * c + ch) * h * w..(i * c + ch + 1) * h * w])
}

/// One channel's normalisation: y = scale·x + shift.
#[derive(Clone, Copy, Debug)]
pub struct Affine {
    /// μ.
    pub mean: f32,
    /// 1/√(σ² + ε).
    pub inv_std: f32,
    /// γ/√(σ² + ε).
    pub scale: f32,
    /// β − μ·scale.
    pub shift: f32,
}

/// What [`channel_stats`] finds for one channel.
struct ChannelStats {
    mean: f32,
    var: f32,
    /// Σ g (zero without a gradient).
    sum_g: f64,
    /// Σ g·(x − μ) (zero without a gradient).
    sum_gx: f64,
}

/// Per channel, over N, H, W: the mean, the biased variance and, when `g` is
/// given, Σ g and Σ g·(x − μ), in one pass. The sums are taken around a shift s
/// (the channel's first value), which keeps E[(x − s)²] − E[x − s]² accurate
/// even when the mean is large.
fn channel_stats(x: &Tensor, g: Option<&Tensor>) -> Vec<ChannelStats> {
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
            let mut sums = [0.0f64; 4];
            let mut add = |plane: [f64; 4]| {
                for (s, v) in sums.iter_mut().zip(plane) {
                    *s += v;
                }
            };
            // The images' planes four at a time, then one by one, added in order.
            let xs: Vec<&[f32]> = planes(x, ch).collect();
            let gs: Option<Vec<&[f32]>> = g.map(|g| planes(g, ch).collect());
            let (fours, rest) = xs.as_chunks::<4>();
            for (j, four) in fours.iter().enumerate() {
                let g4 =
                    gs.as_ref().map(|gs| std::array::from_fn(|k| gs[4 * j + k]));
                planes_sums(*four, shift, g4).into_iter().for_each(&mut add);
            }
            for (j, p) in rest.iter().enumerate() {
                let gp = gs.as_ref().map(|gs| gs[4 * fours.len() + j]);
                add(plane_sums(p, shift, gp));
            }
            let [sx, sxx, sum_g, sgx] = sums;
            let centred = sx / m;
            ChannelStats {
                mean: (centred + f64::from(shift)) as f32,
                var: (sxx / m - centred * centred).max(0.0) as f32,
                sum_g,
                // Σ g·(x − μ) = Σ g·(x − s) − (μ − s)·Σ g.
                sum_gx: sgx - centred * sum_g,
            }
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
            batches_tracked: 0,
        }
    }

    /// Normalises each channel; in [`Mode::Train`] also updates the running
    /// averages.
    ///
    /// # Panics
    /// If `x` does not have one channel per γ.
    #[track_caller]
    pub fn forward(&mut self, x: &Tensor, mode: Mode) -> Tensor {
        let affine = self.affine(x, mode);
        let plane = x.shape()[2] * x.shape()[3];
        Tensor::par_build(x.shape(), plane, |k, out| {
            let Affine { scale, shift, .. } = affine[k % affine.len()];
            out.extend_mapped(&x.data()[k * plane..(k + 1) * plane], |v| {
                v * scale + shift
            });
        })
    }

    /// [`BatchNorm2d::forward`] in evaluation mode, in `x`'s own buffer.
    ///
    /// # Panics
    /// If `x` does not have one channel per γ.
    #[track_caller]
    pub fn normalize_in_place(&self, x: &mut Tensor) {
        let affine = self.eval_affine(x);
        let plane = x.shape()[2] * x.shape()[3];
        if plane == 0 {
            return;
        }
        x.data_mut()
            .par_chunks_mut(plane)
            .enumerate()
            .for_each(|(k, values)| {
                let Affine { scale, shift, .. } = affine[k % affine.len()];
                for v in values {
                    *v = *v * scale + shift;
                }
            });
    }

    /// Per channel, what forward applies, y = scale·x + shift with scale =
    /// γ/√(σ² + ε) and shift = β − μ·scale: with the batch's μ and σ² in
    /// [`Mode::Train`] (where the running averages are updated too), the running
    /// ones in [`Mode::Eval`].
    ///
    /// # Panics
    /// If `x` does not have one channel per γ.
    #[track_caller]
    pub(crate) fn affine(&mut self, x: &Tensor, mode: Mode) -> Vec<Affine> {
        if mode == Mode::Eval {
            return self.eval_affine(x);
        }
        self.check_channels(x);
        let [n, _, h, w] = x.shape();
        let stats: Vec<(f32, f32)> = channel_stats(x, None)
            .iter()
            .map(|s| (s.mean, s.var))
            .collect();
        self.batches_tracked += 1;
        let m = (n * h * w) as f32;
        let unbias = if m > 1.0 { m / (m - 1.0) } else { 1.0 };
        for (ch, &(mean, var)) in stats.iter().enumerate() {
            let k = self.momentum;
            self.running_mean[ch] = (1.0 - k) * self.running_mean[ch] + k * mean;
            self.running_var[ch] =
                (1.0 - k) * self.running_var[ch] + k * var * unbias;
        }
        self.affine_of(stats)
    }

    /// [`BatchNorm2d::affine`] in [`Mode::Eval`], which changes nothing.
    #[track_caller]
    pub(crate) fn eval_affine(&self, x: &Tensor) -> Vec<Affine> {
        self.check_channels(x);
        self.affine_of(
            self.running_mean
                .iter()
                .copied()
                .zip(self.running_var.iter().copied())
                .collect(),
        )
    }

    #[track_caller]
    fn check_channels(&self, x: &Tensor) {
        let c = x.shape()[1];
        assert_eq!(
            c,
            self.gamma.len(),
            "BatchNorm2d::forward: input has {c} channels, layer has {}",
            self.gamma.len()
        );
    }

    /// The per-channel affine maps for these (μ, σ²).
    fn affine_of(&self, stats: Vec<(f32, f32)>) -> Vec<Affine> {
        stats
            .iter()
            .zip(self.gamma.iter().zip(&self.beta))
            .map(|(&(mean, var), (&gamma, &beta))| {
                let scale = gamma / (var + self.eps).sqrt();
                Affine {
                    mean,
                    inv_std: 1.0 / (var + self.eps).sqrt(),
                    scale,
                    shift: beta - mean * scale,
                }
            })
            .collect()
    }

    /// Backward pass in training mode (batch statistics), with x̂ = (x − μ)/σ:
    /// ∂L/∂β = Σ g, ∂L/∂γ = Σ g·x̂, ∂L/∂x = γ/σ · (g − mean(g) − x̂·mean(g·x̂)).
    /// The statistics are recomputed from `x`; ∂L/∂y's buffer is reused for ∂L/∂x.
    // ANCHOR: backward
    pub fn backward(&mut self, x: &Tensor, grad_output: Tensor) -> Tensor {
        let [n, c, h, w] = x.shape();
        let plane = h * w;
        let m = (n * plane) as f64;
        // Per channel, in one pass over x and g: μ, σ², Σ g and Σ g·(x − μ).
        let stats = channel_stats(x, Some(&grad_output));
        let inv_std: Vec<f32> = stats
            .iter()
            .map(|s| 1.0 / (s.var + self.eps).sqrt())
            .collect();
        for (ch, s) in stats.iter().enumerate() {
            self.grad_beta[ch] += s.sum_g as f32;
            // Σ g·x̂ = Σ g·(x − μ)/σ.
            self.grad_gamma[ch] += (s.sum_gx * f64::from(inv_std[ch])) as f32;
        }
        // ∂L/∂x overwrites ∂L/∂y in its own buffer.
        let mut dx = grad_output;
        dx.data_mut()
            .par_chunks_mut(plane.max(1))
            .zip(x.data().par_chunks(plane.max(1)))
            .enumerate()
            .for_each(|(k, (d, xs))| {
                let ch = k % c;
                let (mean, inv_std) = (stats[ch].mean, inv_std[ch]);
                let mean_g = (stats[ch].sum_g / m) as f32;
                let mean_gx = (stats[ch].sum_gx * f64::from(inv_std) / m) as f32;
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

#[cfg(test)]
mod tests {
    use super::{plane_sums, planes_sums};
    use proptest::prelude::*;

    /// What [`plane_sums`] must add, written as one loop: lane k sums the values
    /// at indices ≡ k (mod 8) before the tail, in order; the tail goes in f64.
    fn by_lanes(x: &[f32], shift: f32, g: Option<&[f32]>) -> [f64; 4] {
        let whole = x.len() / 8 * 8;
        let mut lanes = [[0.0f32; 8]; 4];
        for i in 0..whole {
            let (d, gv) = (x[i] - shift, g.map_or(0.0, |g| g[i]));
            lanes[0][i % 8] += d;
            lanes[1][i % 8] += d * d;
            lanes[2][i % 8] += gv;
            lanes[3][i % 8] += gv * d;
        }
        let mut sums = lanes.map(|l| l.iter().map(|&v| f64::from(v)).sum::<f64>());
        for i in whole..x.len() {
            let d = f64::from(x[i] - shift);
            let gv = g.map_or(0.0, |g| f64::from(g[i]));
            sums[0] += d;
            sums[1] += d * d;
            sums[2] += gv;
            sums[3] += gv * d;
        }
        sums
    }

    proptest! {
        /// The sums of one pass per sum are the single loop's, to the bit.
        #[test]
        fn plane_sums_add_each_lane_in_order(
            (x, g) in (0usize..70).prop_flat_map(|n| (
                proptest::collection::vec(-3.0f32..3.0, n),
                proptest::collection::vec(-1.0f32..1.0, n),
            )),
            shift in -1.0f32..1.0,
        ) {
            for g in [None, Some(g.as_slice())] {
                let (fast, slow) = (plane_sums(&x, shift, g), by_lanes(&x, shift, g));
                prop_assert_eq!(fast.map(f64::to_bits), slow.map(f64::to_bits));
            }
        }

        /// Four planes side by side give each plane's own sums, to the bit.
        #[test]
        fn four_planes_at_once_are_each_planes_sums(
            (x, g) in (0usize..70).prop_flat_map(|n| (
                proptest::collection::vec(proptest::collection::vec(-3.0f32..3.0, n), 4),
                proptest::collection::vec(proptest::collection::vec(-1.0f32..1.0, n), 4),
            )),
            shift in -1.0f32..1.0,
        ) {
            let (x4, g4) = (
                std::array::from_fn(|p| x[p].as_slice()),
                std::array::from_fn(|p| g[p].as_slice()),
            );
            for with_g in [false, true] {
                let four = planes_sums::<4>(x4, shift, with_g.then_some(g4));
                for p in 0..4 {
                    let alone = by_lanes(&x[p], shift, with_g.then_some(&g[p]));
                    prop_assert_eq!(four[p].map(f64::to_bits), alone.map(f64::to_bits));
                }
            }
        }
    }
}
