use super::NamedTensor;
use crate::Tensor;
use backprop::{Dense, Matrix, Param, RowVector};
use conv::fast::{par_matmul, Strided};
use rand::Rng;
use std::sync::OnceLock;

/// The classifier head: `backprop::Dense` (z = x·W + b) on flattened inputs.
///
/// The forward and backward passes compute `Dense`'s math straight on the
/// tensors' storage, split over rayon's threads: z = x·W + b and ∂L/∂W += xᵀ·g
/// through `conv::dense`'s kernels, which read their operands where they lie
/// (W from a row-major copy made once after each change of the weights),
/// ∂L/∂x = g·Wᵀ through the GEMM; `tests/layers.rs` checks them against `Dense`
/// itself.
///
/// # Shapes
/// Input N × F × 1 × 1, output N × O × 1 × 1. `dense.weight` is F × O, the
/// course's layout; checkpoints store its transpose, PyTorch's O × F.
#[derive(Clone, Debug, PartialEq)]
pub struct Linear {
    /// The dense layer.
    dense: Dense,
    /// W again, row-major, for the forward pass: see [`Linear::infer_rows`].
    rows: RowMajor,
}

/// W (F × O) stored row-major, made from `dense.weight` when first needed and
/// forgotten whenever the weights may change. A clone starts empty, and two
/// layers compare equal whatever their copies hold.
#[derive(Default)]
struct RowMajor(OnceLock<Vec<f32>>);

impl Clone for RowMajor {
    fn clone(&self) -> Self {
        RowMajor::default()
    }
}

impl PartialEq for RowMajor {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for RowMajor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = if self.0.get().is_some() {
            "made"
        } else {
            "not made"
        };
        write!(f, "RowMajor({state})")
    }
}

/// N and F of an N × F × 1 × 1 input.
#[track_caller]
fn rows_and_features(x: &Tensor, what: &str, inputs: usize) -> (usize, usize) {
    let [n, f, h, w] = x.shape();
    assert!(
        h == 1 && w == 1,
        "Linear::{what}: input must be flattened (N × F × 1 × 1), got {:?}",
        x.shape()
    );
    assert_eq!(
        f, inputs,
        "Linear::{what}: input has {f} features, layer expects {inputs}"
    );
    (n, f)
}

impl Linear {
    /// An `inputs → outputs` layer initialised as PyTorch's `nn.Linear`.
    pub fn new(inputs: usize, outputs: usize, rng: &mut impl Rng) -> Self {
        let w = super::pytorch_uniform(inputs * outputs, inputs, rng);
        let b = super::pytorch_uniform(outputs, inputs, rng);
        Linear::from_dense(Dense::new(
            Matrix::from_vec(inputs, outputs, w),
            RowVector::from_vec(b),
        ))
    }

    /// The layer computing `dense`'s math.
    pub fn from_dense(dense: Dense) -> Self {
        Linear {
            dense,
            rows: RowMajor::default(),
        }
    }

    /// The dense layer: its weights, bias and gradients.
    pub fn dense(&self) -> &Dense {
        &self.dense
    }

    /// The dense layer, to change.
    pub fn dense_mut(&mut self) -> &mut Dense {
        self.rows = RowMajor::default();
        &mut self.dense
    }

    /// W, F × O, read from `dense.weight`'s column-major storage.
    fn weight(&self) -> Strided<'_> {
        Strided::row_major(self.dense.weight.as_slice(), self.dense.inputs()).t()
    }

    /// z = x·W + b, the math of [`Dense::forward`] on the tensor's own
    /// row-major storage (no copies into and out of nalgebra matrices), in
    /// training. The weights change every step, so the row-major copy of W that
    /// inference reads would be made again for every batch; while it is not
    /// there and the batch is small, transposing x and z costs less (zᵀ = Wᵀ·xᵀ
    /// on W's own storage). The same bits either way.
    ///
    /// # Panics
    /// If `x` is not N × F × 1 × 1 with the layer's F.
    #[track_caller]
    pub fn forward(&self, x: &Tensor) -> Tensor {
        let (n, f) = rows_and_features(x, "forward", self.dense.inputs());
        let o = self.dense.outputs();
        if self.rows.0.get().is_none() && n * (f + o) < f * o {
            self.through_transposes(x.data(), n, f)
        } else {
            self.infer_rows(x.data(), n, f, false)
        }
    }

    /// z = x·W + b as zᵀ = Wᵀ·xᵀ, with Wᵀ the storage itself (O × F row-major)
    /// and x and zᵀ transposed ([`conv::dense::transpose`]): for the MLP 3 072's
    /// first layer at batch 64, 209 000 values moved instead of W's 614 000.
    /// Each of zᵀ's sums has the same products (a·b = b·a) in the same order as
    /// z's, so the same bits as [`Linear::infer_rows`].
    fn through_transposes(&self, x: &[f32], n: usize, f: usize) -> Tensor {
        self.check_rows(x, n, f);
        let o = self.dense.outputs();
        let mut zt: Vec<f32> = (self.dense.bias.iter())
            .flat_map(|&b| std::iter::repeat_n(b, n))
            .collect();
        let xt = conv::dense::transpose(x, n, f);
        conv::dense::add_product(
            (o, f, n),
            self.dense.weight.as_slice(),
            &xt,
            &mut zt,
            false,
        );
        Tensor::from_vec([n, o, 1, 1], conv::dense::transpose(&zt, o, n))
    }

    /// z = x·W + b on `n` rows of `f` features, row-major (the input of a
    /// flatten read where it lies), then ReLU if `relu`: through
    /// [`conv::dense::affine`], with W read from a row-major copy made by the
    /// first call after the weights last changed (through
    /// [`Linear::parameters`], [`Linear::dense_mut`] or a checkpoint). On a CPU
    /// with AVX-512 or AVX2 its kernels read W where it lies — `dense.weight` is
    /// column-major, along the sum like x, and the copy puts an output's
    /// neighbours side by side — with nothing packed; elsewhere the GEMM packs
    /// the copy a row at a time.
    ///
    /// # Panics
    /// If `f` is not the layer's number of inputs or `x` is not n × f.
    #[track_caller]
    pub(crate) fn infer_rows(
        &self,
        x: &[f32],
        n: usize,
        f: usize,
        relu: bool,
    ) -> Tensor {
        self.check_rows(x, n, f);
        let o = self.dense.outputs();
        let bias = self.dense.bias.as_slice();
        let z = conv::dense::affine((n, f, o), x, self.row_major(), bias, relu);
        Tensor::from_vec([n, o, 1, 1], z)
    }

    /// W, F × O, row-major: made when first needed after the weights last
    /// changed, by [`conv::dense::transpose`] of the column-major storage (read
    /// row-major, it is the O × F transpose).
    fn row_major(&self) -> &[f32] {
        self.rows.0.get_or_init(|| {
            let (f, o) = (self.dense.inputs(), self.dense.outputs());
            conv::dense::transpose(self.dense.weight.as_slice(), o, f)
        })
    }

    /// [`Linear::infer_rows`] on an N × F × 1 × 1 tensor.
    ///
    /// # Panics
    /// If `x` is not N × F × 1 × 1 with the layer's F.
    #[track_caller]
    pub(crate) fn infer(&self, x: &Tensor, relu: bool) -> Tensor {
        let (n, f) = rows_and_features(x, "forward", self.dense.inputs());
        self.infer_rows(x.data(), n, f, relu)
    }

    /// Panics unless `x` holds `n` rows of the layer's number of inputs.
    #[track_caller]
    fn check_rows(&self, x: &[f32], n: usize, f: usize) {
        assert!(
            f == self.dense.inputs() && x.len() == n * f,
            "Linear::forward: input has {f} features, layer expects {}",
            self.dense.inputs()
        );
    }

    /// Adds ∂L/∂W = xᵀ·g and ∂L/∂b = Σₙ g to the gradients (the math of
    /// [`Dense::backward`]); returns ∂L/∂x = g·Wᵀ, or an empty tensor when
    /// `need_input` is false (no layer before this one has parameters).
    ///
    /// # Panics
    /// If `x` or `grad_output` do not fit the layer.
    #[track_caller]
    pub fn backward(
        &mut self,
        x: &Tensor,
        grad_output: &Tensor,
        need_input: bool,
    ) -> Tensor {
        let (n, f) = rows_and_features(x, "backward", self.dense.inputs());
        let o = self.dense.outputs();
        assert_eq!(
            grad_output.shape(),
            [n, o, 1, 1],
            "Linear::backward: grad_output must be N × O × 1 × 1 = {:?}",
            [n, o, 1, 1]
        );
        let g = grad_output.data();
        for row in g.chunks_exact(o) {
            for (b, &d) in self.dense.grad_bias.iter_mut().zip(row) {
                *b += d;
            }
        }
        // The gradient is stored as W is, O × F row-major: ∂L/∂Wᵀ += gᵀ·x, the
        // dense kernels reading x where it lies (no packing of its n × F values)
        // and gᵀ copied (n × O, a few thousand values).
        conv::dense::add_product(
            (o, n, f),
            &conv::dense::transpose(g, n, o),
            x.data(),
            self.dense.grad_weight.as_mut_slice(),
            false,
        );
        if !need_input {
            return Tensor::zeros([0; 4]);
        }
        let mut dx = vec![0.0; n * f];
        par_matmul(
            (n, o, f),
            Strided::row_major(g, o),
            self.weight().t(),
            0.0,
            &mut dx,
            f,
        );
        Tensor::from_vec(x.shape(), dx)
    }

    /// Clears the gradients.
    pub fn zero_grad(&mut self) {
        self.dense.zero_grad();
    }

    /// W then b (to change: the row-major copy is made again when needed).
    pub fn parameters(&mut self) -> Vec<Param<'_>> {
        self.dense_mut().parameters()
    }

    pub(crate) fn state(&self, name: &str, out: &mut Vec<NamedTensor>) {
        let (f, o) = self.dense.weight.shape();
        // Column-major F × O storage read as row-major is the O × F transpose.
        out.push((
            format!("{name}.weight"),
            vec![o, f],
            self.dense.weight.as_slice().to_vec(),
        ));
        out.push((
            format!("{name}.bias"),
            vec![o],
            self.dense.bias.as_slice().to_vec(),
        ));
    }

    pub(crate) fn load<'a>(&mut self, get: impl Fn(&str) -> Option<&'a [f32]>) {
        let dense = self.dense_mut();
        if let Some(w) = get("weight") {
            dense.weight.as_mut_slice().copy_from_slice(w);
        }
        if let Some(b) = get("bias") {
            dense.bias.as_mut_slice().copy_from_slice(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        /// z through the transposes and through the row-major copy of W are
        /// the same bits, and the training forward pass takes the first way
        /// for a small batch (no copy made).
        #[test]
        fn both_ways_to_the_outputs_give_the_same_bits(
            (n, f, o) in (1usize..12, 20usize..300, 1usize..60),
            seed in 0u64..1000,
        ) {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let layer = Linear::new(f, o, &mut rng);
            let x: Vec<f32> = super::super::pytorch_uniform(n * f, 1, &mut rng);
            let through_transposes = layer.through_transposes(&x, n, f);
            let forward = layer.forward(&Tensor::from_vec([n, f, 1, 1], x.clone()));
            let small = n * (f + o) < f * o;
            prop_assert_eq!(layer.rows.0.get().is_none(), small, "the copy of W, for a batch of {}", n);
            let through_the_copy = layer.infer_rows(&x, n, f, false);
            prop_assert_eq!(forward.data(), through_the_copy.data());
            let bits = |t: &Tensor| t.data().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            prop_assert_eq!(bits(&through_transposes), bits(&through_the_copy));
        }
    }
}
