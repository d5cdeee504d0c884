//! Batch norm → ReLU → 2 × 2 max-pooling, the end of every stage of the
//! course's ConvolutionalModel, as one step in training.
//!
//! Layer by layer, the three make about fifteen passes over 4 MB tensors in the
//! first stage: batch norm reads its input twice and writes its output, ReLU
//! reads that and writes another, pooling reads that; backwards, pooling
//! scatters its gradient into a new 4 MB tensor, ReLU reads its input and masks
//! that gradient in place, batch norm reads the gradient and its input twice and
//! writes ∂L/∂x. Fused there are four: the forward pass reads the convolution's
//! output twice (statistics, then normalise, rectify and pool in one go) and
//! writes only the pooled quarter and where each maximum came from; backwards,
//! ∂L/∂(batch-norm output) is zero except at the maxima that were positive, so
//! batch norm's sums Σg and Σg·(x − μ) are gathered from the pooled gradient
//! alone, and ∂L/∂x is computed from the input and written once.
//!
//! [`crate::Cnn`] takes this path in training whenever the three layers follow
//! each other; the values are those of the layers one by one (the tests compare
//! the two). It is public for the benchmarks.

use super::batch_norm::Affine;
use super::{BatchNorm2d, Layer, Mode};
use crate::Tensor;
use conv::{MaxPool, Pooled};
use rayon::prelude::*;

/// What the fused forward pass keeps for the backward pass.
pub struct FusedTrace {
    /// Each channel's normalisation, from the batch's statistics.
    affine: Vec<Affine>,
    /// For each pooled value, the flat index of the input it came from.
    argmax: Vec<usize>,
}

/// Whether `layers` start with batch norm, ReLU and 2 × 2 / 2 max-pooling.
pub fn starts_block(layers: &[(String, Layer)]) -> bool {
    matches!(
        layers,
        [(_, Layer::BatchNorm(_)), (_, Layer::Relu), (_, Layer::MaxPool(p)), ..]
            if *p == MaxPool::HALVE
    )
}

/// maxpool(relu(bn(x))) in training mode (the running averages are updated).
pub fn forward(bn: &mut BatchNorm2d, x: &Tensor) -> (Tensor, FusedTrace) {
    let affine = bn.affine(x, Mode::Train);
    let c = x.shape()[1];
    // The values the ReLU layer would hold, relu(x·scale + shift) computed as
    // batch norm and ReLU compute them, pooled as the pooling layer pools.
    let Pooled { output, argmax } = conv::fast::halve_planes_affine_relu(x, |p| {
        (affine[p % c].scale, affine[p % c].shift)
    });
    (output, FusedTrace { affine, argmax })
}

/// maxpool(relu(bn(x))) in evaluation mode (the running averages), writing only
/// the pooled values: what [`crate::Cnn::infer`] runs.
pub fn infer(bn: &BatchNorm2d, x: &Tensor) -> Tensor {
    let affine = bn.eval_affine(x);
    let [_, c, h, w] = x.shape();
    let plane_in = h * w;
    conv::fast::halve_planes(x.shape(), |p| {
        let Affine { scale, shift, .. } = affine[p % c];
        let x = &x.data()[p * plane_in..(p + 1) * plane_in];
        move |k| activations::relu(x[k] * scale + shift)
    })
    .output
}

/// Adds ∂L/∂γ and ∂L/∂β to `bn`'s gradients and returns ∂L/∂x, given ∂L/∂(pooled
/// output) and the trace of [`forward`] on `x`.
///
/// # Panics
/// If the gradient does not have the pooled output's shape, or the trace is of
/// another input.
#[track_caller]
pub fn backward(
    bn: &mut BatchNorm2d,
    x: &Tensor,
    trace: &FusedTrace,
    grad_output: &Tensor,
) -> Tensor {
    let [n, c, h, w] = x.shape();
    let pooled = MaxPool::HALVE.output_shape(x.shape());
    assert!(
        grad_output.shape() == pooled
            && trace.argmax.len() == grad_output.data().len()
            && trace.affine.len() == c,
        "fused::backward: the gradient is {:?} and the trace holds {} maxima of {} \
         channels, for an input {:?} whose pooled output is {pooled:?}",
        grad_output.shape(),
        trace.argmax.len(),
        trace.affine.len(),
        x.shape()
    );
    let [_, _, out_h, out_w] = pooled;
    let (plane_in, plane_out) = (h * w, out_h * out_w);
    let m = (n * plane_in) as f64;
    let (xs, g, argmax) = (x.data(), grad_output.data(), &trace.argmax);
    // The pooled values of plane p that were positive: (∂L/∂y there, input index).
    let positive = |p: usize| {
        let a = trace.affine[p % c];
        let outs = p * plane_out..(p + 1) * plane_out;
        g[outs.clone()]
            .iter()
            .zip(&argmax[outs])
            .filter(move |&(_, &k)| xs[k] * a.scale + a.shift > 0.0)
            .map(|(&g, &k)| (g, k))
    };
    // Σg and Σg·(x − μ) over the only places where g ≠ 0: per plane in f32 (a
    // plane has a few hundred of them), in parallel; then per channel in f64,
    // images in order.
    let per_plane: Vec<(f32, f32)> = (0..n * c)
        .into_par_iter()
        .map(|p| {
            let mean = trace.affine[p % c].mean;
            positive(p).fold((0.0, 0.0), |(sg, sgx), (g, k)| {
                (sg + g, sgx + g * (xs[k] - mean))
            })
        })
        .collect();
    let sums: Vec<(f64, f64)> = (0..c)
        .map(|ch| {
            per_plane[ch..]
                .iter()
                .step_by(c.max(1))
                .fold((0.0, 0.0), |(sg, sgx), &(g, gx)| {
                    (sg + f64::from(g), sgx + f64::from(gx))
                })
        })
        .collect();
    for (ch, &(sg, sgx)) in sums.iter().enumerate() {
        bn.grad_beta[ch] += sg as f32;
        bn.grad_gamma[ch] += (sgx * f64::from(trace.affine[ch].inv_std)) as f32;
    }
    // ∂L/∂x = γ/σ · (g − mean(g) − x̂·mean(g·x̂)), as batch norm's backward pass:
    // first with g = 0 everywhere, then again where g ≠ 0.
    Tensor::par_build(x.shape(), plane_in, |p, dx| {
        let ch = p % c;
        let Affine { mean, inv_std, .. } = trace.affine[ch];
        let mean_g = (sums[ch].0 / m) as f32;
        let mean_gx = (sums[ch].1 * f64::from(inv_std) / m) as f32;
        let scale = bn.gamma[ch] * inv_std;
        let base = p * plane_in;
        let dx_at = |g: f32, v: f32| {
            let x_hat = (v - mean) * inv_std;
            scale * (g - mean_g - x_hat * mean_gx)
        };
        dx.extend_mapped(&xs[base..base + plane_in], |v| dx_at(0.0, v));
        let dx = dx.written();
        for (g, k) in positive(p) {
            dx[k - base] = dx_at(g, xs[k]);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tensor(shape: [usize; 4]) -> impl Strategy<Value = Tensor> {
        proptest::collection::vec(-2.0f32..2.0, shape.iter().product::<usize>())
            .prop_map(move |v| Tensor::from_vec(shape, v))
    }

    /// Batch norm, ReLU and 2 × 2 max-pooling one after another, through the
    /// layers' own functions: (pooled output, ∂L/∂x).
    fn layer_by_layer(
        bn: &mut BatchNorm2d,
        x: &Tensor,
        grad_pooled: &Tensor,
    ) -> (Tensor, Tensor) {
        let z = bn.forward(x, Mode::Train);
        let r = super::super::relu_forward(&z);
        let pooled = conv::fast::max_pool_forward(&r, MaxPool::HALVE);
        let g_r =
            conv::fast::max_pool_backward(grad_pooled, &pooled.argmax, r.shape());
        let g_z = super::super::relu_backward(&z, g_r);
        (pooled.output, bn.backward(x, g_z))
    }

    /// A window whose maximum is exactly 0 after batch norm (x = μ, β = 0) passes
    /// no gradient: ReLU's derivative at 0 is 0.
    #[test]
    fn a_maximum_of_exactly_zero_passes_no_gradient() {
        // One channel, mean 0: the first window's maximum is the 0, the second's 1.
        let x = Tensor::from_vec(
            [1, 1, 2, 4],
            vec![0.0, -1.0, 1.0, 0.5, -1.0, -1.0, 0.5, 1.0],
        );
        let g = Tensor::from_vec([1, 1, 1, 2], vec![1.0, 1.0]);
        let mut bn = BatchNorm2d::new(1);
        let mut alone = bn.clone();
        let (_, dx_alone) = layer_by_layer(&mut alone, &x, &g);
        let (output, trace) = forward(&mut bn, &x);
        assert_eq!(output.data()[0], 0.0);
        let dx = backward(&mut bn, &x, &trace, &g);
        assert!(
            dx.max_abs_diff(&dx_alone) < 1e-5,
            "{:?} vs {:?}",
            dx.data(),
            dx_alone.data()
        );
        assert!((bn.grad_beta[0] - alone.grad_beta[0]).abs() < 1e-6);
        assert_eq!(
            bn.grad_beta[0], 1.0,
            "only the second window's gradient counts"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        /// The same pooled values, argmax and running averages as the layers one
        /// by one, bit for bit, and the same gradients up to rounding; with γ of
        /// both signs, odd sizes, and values on a coarse grid half the time so
        /// that windows hold ties.
        #[test]
        fn fused_equals_the_layers_one_by_one(
            (x, g) in (1usize..4, 1usize..4, 2usize..7, 2usize..7)
                .prop_flat_map(|(n, c, h, w)| (tensor([n, c, h, w]), tensor([n, c, h / 2, w / 2]))),
            coarse in any::<bool>(),
            gammas in proptest::collection::vec(-2.0f32..2.0, 3),
        ) {
            let x = if coarse {
                Tensor::from_vec(x.shape(), x.data().iter().map(|v| (v * 2.0).round() / 2.0).collect())
            } else {
                x
            };
            let c = x.shape()[1];
            let mut bn = BatchNorm2d::new(c);
            bn.gamma.copy_from_slice(&gammas[..c]);
            bn.beta.iter_mut().enumerate().for_each(|(i, b)| *b = 0.3 * i as f32 - 0.2);
            let mut alone = bn.clone();
            let (pooled, dx_alone) = layer_by_layer(&mut alone, &x, &g);

            let (output, trace) = forward(&mut bn, &x);
            prop_assert_eq!(output.data(), pooled.data());
            prop_assert_eq!(&bn.running_mean, &alone.running_mean);
            prop_assert_eq!(&bn.running_var, &alone.running_var);
            let dx = backward(&mut bn, &x, &trace, &g);
            let close = |a: f32, b: f32| (a - b).abs() <= 1e-4 * (1.0 + b.abs());
            for (what, a, b) in [
                ("dx", dx.data(), dx_alone.data()),
                ("dγ", &bn.grad_gamma[..], &alone.grad_gamma[..]),
                ("dβ", &bn.grad_beta[..], &alone.grad_beta[..]),
            ] {
                for (i, (&a, &b)) in a.iter().zip(b).enumerate() {
                    prop_assert!(close(a, b), "{}[{}]: fused {}, layer by layer {}", what, i, a, b);
                }
            }
        }
    }
}
