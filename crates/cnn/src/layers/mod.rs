//! The layers of the course's CNNs and the sequential model that chains them.
//!
//! Every layer takes and returns N × C × H × W [`Tensor`]s (a flattened vector is
//! N × F × 1 × 1) and has its backward pass next to its forward pass.

mod batch_norm;
mod conv2d;
pub mod fused;
mod linear;

pub use batch_norm::BatchNorm2d;
pub use conv2d::Conv2dLayer;
pub use linear::Linear;

use crate::Tensor;
use backprop::Param;
use conv::MaxPool;
use rand::{Rng, RngExt};
use rayon::prelude::*;

/// Training (batch statistics, running averages updated) or evaluation (running
/// averages used), as PyTorch's `model.train()` / `model.eval()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Batch norm normalises with the batch's statistics and updates its
    /// running averages.
    Train,
    /// Batch norm normalises with its running averages.
    Eval,
}

/// One layer of a [`Cnn`].
#[derive(Clone, Debug, PartialEq)]
pub enum Layer {
    /// 2-D convolution (from `conv::fast`).
    Conv(Conv2dLayer),
    /// Batch normalisation over channels.
    BatchNorm(BatchNorm2d),
    /// max(0, x), element-wise.
    Relu,
    /// Max-pooling (from `conv::fast`).
    MaxPool(MaxPool),
    /// N × C × H × W → N × (C·H·W) × 1 × 1.
    Flatten,
    /// A dense layer on flattened inputs (`backprop::Dense`).
    Linear(Linear),
}

impl Layer {
    /// Whether the layer has trainable parameters.
    fn has_parameters(&self) -> bool {
        matches!(
            self,
            Layer::Conv(_) | Layer::BatchNorm(_) | Layer::Linear(_)
        )
    }
}

/// max(0, x) into a new tensor, in parallel chunks.
fn relu_forward(x: &Tensor) -> Tensor {
    const CHUNK: usize = 1 << 14;
    Tensor::par_build(x.shape(), CHUNK, |i, out| {
        out.extend_mapped(
            &x.data()[i * CHUNK..i * CHUNK + out.len()],
            activations::relu,
        );
    })
}

/// max(0, x) in place, in parallel chunks.
fn relu_in_place(x: &mut Tensor) {
    x.data_mut().par_chunks_mut(1 << 14).for_each(|chunk| {
        for v in chunk {
            *v = activations::relu(*v);
        }
    });
}

/// maxpool(relu(x)) for 2 × 2 / 2 pooling in one pass: each window's four
/// values rectified, then compared as the pooling layer compares them.
fn relu_pool(x: &Tensor) -> Tensor {
    let plane = x.shape()[2] * x.shape()[3];
    conv::fast::halve_planes(x.shape(), |p| {
        let x = &x.data()[p * plane..(p + 1) * plane];
        move |k| activations::relu(x[k])
    })
    .output
}

/// ∂L/∂x = ∂L/∂y ⊙ `[x > 0]`, computed in place in the gradient's buffer.
fn relu_backward(x: &Tensor, mut grad: Tensor) -> Tensor {
    grad.data_mut()
        .par_chunks_mut(1 << 14)
        .zip(x.data().par_chunks(1 << 14))
        .for_each(|(g, x)| {
            for (g, &x) in g.iter_mut().zip(x) {
                *g *= activations::relu_derivative(x);
            }
        });
    grad
}

/// A named tensor of a checkpoint: (PyTorch name, shape, values row-major).
pub type NamedTensor = (String, Vec<usize>, Vec<f32>);

/// What a forward pass keeps for the backward pass.
pub struct Trace {
    /// The input of every layer. In training, where batch norm, ReLU and
    /// max-pooling run as one step, the ReLU's and the pooling's inputs are not
    /// kept (empty tensors).
    pub inputs: Vec<Tensor>,
    /// What each layer keeps besides its input.
    saved: Vec<Saved>,
    /// The network's output (logits).
    pub output: Tensor,
}

/// What one layer keeps besides its input.
enum Saved {
    /// Nothing.
    Nothing,
    /// Max-pooling: where its maxima came from.
    Argmax(Vec<usize>),
    /// Batch norm that ran fused with the ReLU and pooling after it.
    Fused(fused::FusedTrace),
    /// A ReLU or pooling layer that ran inside a fused step.
    InFused,
}

/// A sequential network of named layers, the course's `nn.Sequential`.
#[derive(Clone, Debug, PartialEq)]
pub struct Cnn {
    /// The model's name, stored in checkpoints (e.g. `tinyvgg`).
    pub name: String,
    /// The input it expects: channels, height, width.
    pub input: [usize; 3],
    /// (PyTorch-style name, layer), in order.
    pub layers: Vec<(String, Layer)>,
}

/// A dense layer at the start of `layers`, after a flatten or not, and whether
/// a ReLU follows it: `(layer, flatten, relu)`. Inference runs the two or three
/// layers as one step, reading a flatten's input where it lies and applying the
/// ReLU as the dense layer stores its outputs.
fn dense_step(layers: &[(String, Layer)]) -> Option<(&Linear, bool, bool)> {
    let (flatten, rest) = match layers {
        [(_, Layer::Flatten), rest @ ..] => (true, rest),
        _ => (false, layers),
    };
    match rest {
        [(_, Layer::Linear(l)), after @ ..] => {
            Some((l, flatten, matches!(after, [(_, Layer::Relu), ..])))
        }
        _ => None,
    }
}

/// The activations one group of images of [`Cnn::infer`] may hold per layer:
/// well within a core's L2 cache (2 MB on the machines the benchmarks ran on),
/// with room for the layer's input and the next layer's output.
const INFERENCE_GROUP_BYTES: usize = 512 * 1024;

impl Cnn {
    /// The logits for a batch. In evaluation mode nothing is kept for a
    /// backward pass, so the layers run as [`Cnn::infer`] runs them.
    pub fn forward(&mut self, x: &Tensor, mode: Mode) -> Tensor {
        match mode {
            Mode::Train => self.forward_trace(x, mode).output,
            Mode::Eval => self.infer(x),
        }
    }

    /// The logits in evaluation mode, keeping no trace: batch norm → ReLU →
    /// max-pool and ReLU → max-pool each run as one pass that writes only the
    /// pooled values, a dense layer applies the ReLU after it as it stores its
    /// outputs ([`conv::dense::affine`]), ReLU and batch norm alone work in
    /// place, and a flatten before a dense layer copies nothing. The values are those of the layers
    /// one by one, to the bit (`tests/layers.rs` compares them).
    ///
    /// A large batch of images runs in groups of a few images, in parallel, each
    /// group through every layer before the next: a group's activations stay in
    /// one core's cache from the first layer to the logits, instead of going out
    /// to memory between layers. Every image's logits are computed as in the
    /// whole batch (no layer mixes images in evaluation mode), so the grouping
    /// changes no bit.
    ///
    /// # Panics
    /// If `x` is not N × C × H × W with the model's C, H, W.
    #[track_caller]
    pub fn infer(&self, x: &Tensor) -> Tensor {
        self.check_input(x);
        let [n, c, h, w] = x.shape();
        let group = self.inference_group(n);
        if group == 0 || n < 2 * group {
            return self.infer_layers(0, None, x);
        }
        let groups = n / group;
        let image = c * h * w;
        // Equal groups, the last one taking the remainder: every group has at
        // least `group` images, so each layer takes the path (direct or GEMM
        // convolution) it takes for the whole batch.
        let parts: Vec<Tensor> = (0..groups)
            .into_par_iter()
            .map(|g| {
                let end = if g + 1 == groups { n } else { (g + 1) * group };
                let images = &x.data()[g * group * image..end * image];
                self.infer_part([end - g * group, c, h, w], images, x)
            })
            .collect();
        let [_, oc, oh, ow] = parts[0].shape();
        let mut logits = Vec::with_capacity(n * oc * oh * ow);
        for part in parts {
            logits.extend_from_slice(part.data());
        }
        Tensor::from_vec([n, oc, oh, ow], logits)
    }

    /// Images per group of [`Cnn::infer`] for a batch of `n`. With a
    /// convolution: as many as keep the first convolution's output within
    /// [`INFERENCE_GROUP_BYTES`], and at least 8, the batch size from which
    /// `conv::fast` takes one path (the direct kernels, or the GEMM on whole
    /// images) whatever the batch. Without one: a group per thread, of at least
    /// 16 images (dense layers read their weights where they lie, so a group
    /// costs nothing more than the whole batch, and the threads wake once per
    /// batch instead of once per layer).
    fn inference_group(&self, n: usize) -> usize {
        let [_, h, w] = self.input;
        self.layers
            .iter()
            .find_map(|(_, layer)| match layer {
                Layer::Conv(l) => Some(l.weight.shape()[0] * h * w * 4),
                _ => None,
            })
            .map_or_else(
                || n.div_ceil(rayon::current_num_threads()).max(16),
                |bytes| (INFERENCE_GROUP_BYTES / bytes.max(1)).max(8),
            )
    }

    /// [`Cnn::infer_layers`] on a group of images, `shape` and `images`, read
    /// where they lie in the batch `x` when the model starts with flatten →
    /// dense (a copy otherwise).
    fn infer_part(&self, shape: [usize; 4], images: &[f32], x: &Tensor) -> Tensor {
        if let Some((l, true, relu)) = dense_step(&self.layers) {
            let [n, c, h, w] = shape;
            let z = l.infer_rows(images, n, c * h * w, relu);
            // `x` is not read again: the activation is `z` from here on.
            return self.infer_layers(2 + usize::from(relu), Some(z), x);
        }
        self.infer_layers(0, None, &Tensor::from_vec(shape, images.to_vec()))
    }

    /// [`Cnn::infer`] on one group: the layers from `k` on, in order, fused where
    /// they can be, starting from the activation `h`, or from `x` when `h` is
    /// `None`.
    fn infer_layers(
        &self,
        mut k: usize,
        mut h: Option<Tensor>,
        x: &Tensor,
    ) -> Tensor {
        while k < self.layers.len() {
            let input = h.as_ref().unwrap_or(x);
            let (next, used) = if let Some((l, flatten, relu)) =
                dense_step(&self.layers[k..])
            {
                let next = if flatten {
                    let [n, c, hh, ww] = input.shape();
                    l.infer_rows(input.data(), n, c * hh * ww, relu)
                } else {
                    l.infer(input, relu)
                };
                (next, 1 + usize::from(flatten) + usize::from(relu))
            } else {
                match &self.layers[k..] {
                    [(_, Layer::BatchNorm(bn)), (_, Layer::Relu), (_, Layer::MaxPool(p)), ..]
                        if *p == MaxPool::HALVE =>
                    {
                        (fused::infer(bn, input), 3)
                    }
                    [(_, Layer::Relu), (_, Layer::MaxPool(p)), ..]
                        if *p == MaxPool::HALVE =>
                    {
                        (relu_pool(input), 2)
                    }
                    [(_, layer), ..] => {
                        let next = match layer {
                            Layer::Conv(l) => l.forward(input),
                            Layer::Linear(_) => {
                                unreachable!("dense_step takes every dense layer")
                            }
                            Layer::MaxPool(p) => {
                                conv::fast::max_pool_forward(input, *p).output
                            }
                            Layer::BatchNorm(l) => {
                                let mut t = h.take().unwrap_or_else(|| x.clone());
                                l.normalize_in_place(&mut t);
                                t
                            }
                            Layer::Relu => {
                                let mut t = h.take().unwrap_or_else(|| x.clone());
                                relu_in_place(&mut t);
                                t
                            }
                            Layer::Flatten => {
                                let t = h.take().unwrap_or_else(|| x.clone());
                                let [n, c, hh, ww] = t.shape();
                                t.reshape([n, c * hh * ww, 1, 1])
                            }
                        };
                        (next, 1)
                    }
                    [] => unreachable!("k < the number of layers"),
                }
            };
            h = Some(next);
            k += used;
        }
        h.unwrap_or_else(|| x.clone())
    }

    #[track_caller]
    fn check_input(&self, x: &Tensor) {
        let [_, c, h, w] = x.shape();
        assert_eq!(
            [c, h, w],
            self.input,
            "{}: input images are {c}×{h}×{w}, the model expects {:?}",
            self.name,
            self.input
        );
    }

    /// The forward pass, keeping what [`Cnn::backward`] needs. In training, batch
    /// norm followed by ReLU and 2 × 2 max-pooling runs as one fused step (see
    /// `layers/fused.rs`), with the same result.
    ///
    /// # Panics
    /// If `x` is not N × C × H × W with the model's C, H, W.
    #[track_caller]
    pub fn forward_trace(&mut self, x: &Tensor, mode: Mode) -> Trace {
        self.check_input(x);
        let mut inputs = Vec::with_capacity(self.layers.len());
        let mut saved = Vec::with_capacity(self.layers.len());
        let mut h = x.clone();
        let mut k = 0;
        while k < self.layers.len() {
            if mode == Mode::Train && fused::starts_block(&self.layers[k..]) {
                let Layer::BatchNorm(bn) = &mut self.layers[k].1 else {
                    unreachable!("starts_block checked the layer")
                };
                let (pooled, trace) = fused::forward(bn, &h);
                inputs.push(std::mem::replace(&mut h, pooled));
                saved.push(Saved::Fused(trace));
                for _ in 0..2 {
                    inputs.push(Tensor::zeros([0; 4]));
                    saved.push(Saved::InFused);
                }
                k += 3;
                continue;
            }
            let mut keep = Saved::Nothing;
            let next = match &mut self.layers[k].1 {
                Layer::Conv(l) => l.forward(&h),
                Layer::BatchNorm(l) => l.forward(&h, mode),
                Layer::Relu => relu_forward(&h),
                Layer::MaxPool(p) => {
                    let pooled = conv::fast::max_pool_forward(&h, *p);
                    keep = Saved::Argmax(pooled.argmax);
                    pooled.output
                }
                Layer::Flatten => {
                    let [n, c, hh, ww] = h.shape();
                    h.clone().reshape([n, c * hh * ww, 1, 1])
                }
                Layer::Linear(l) => l.forward(&h),
            };
            inputs.push(std::mem::replace(&mut h, next));
            saved.push(keep);
            k += 1;
        }
        Trace {
            inputs,
            saved,
            output: h,
        }
    }

    /// Backpropagates ∂L/∂logits through every layer (in training mode), adding
    /// to the parameters' gradients. ∂L/∂input is computed only where a layer
    /// with parameters comes before (never for the first layer's input, the data).
    ///
    /// # Panics
    /// If `trace` did not come from this network's [`Cnn::forward_trace`].
    #[track_caller]
    pub fn backward(&mut self, trace: &Trace, grad_output: &Tensor) {
        assert_eq!(
            trace.saved.len(),
            self.layers.len(),
            "{}: the trace is of another network",
            self.name
        );
        // ∂L/∂input is needed only if some layer before has parameters (the
        // MLP's first dense layer, after the flatten, does not compute it).
        let need_input: Vec<bool> = self
            .layers
            .iter()
            .scan(false, |before, (_, layer)| {
                let need = *before;
                *before |= layer.has_parameters();
                Some(need)
            })
            .collect();
        let mut grad = grad_output.clone();
        for (k, (_, layer)) in self.layers.iter_mut().enumerate().rev() {
            if need_input.get(k + 1) == Some(&false) {
                break; // No layer from here down has parameters.
            }
            let x = &trace.inputs[k];
            let need_input = need_input[k];
            grad = match (layer, &trace.saved[k]) {
                // Handled by the batch norm that starts the fused step.
                (_, Saved::InFused) => grad,
                (Layer::BatchNorm(l), Saved::Fused(f)) => {
                    fused::backward(l, x, f, &grad)
                }
                (Layer::MaxPool(_), Saved::Argmax(argmax)) => {
                    conv::fast::max_pool_backward(&grad, argmax, x.shape())
                }
                (Layer::MaxPool(_), _) | (_, Saved::Argmax(_) | Saved::Fused(_)) => {
                    panic!("{}: the trace is of another network", self.name)
                }
                (Layer::Conv(l), _) => l.backward(x, &grad, need_input),
                (Layer::BatchNorm(l), _) => l.backward(x, grad),
                (Layer::Relu, _) => relu_backward(x, grad),
                (Layer::Flatten, _) => grad.reshape(x.shape()),
                (Layer::Linear(l), _) => l.backward(x, &grad, need_input),
            };
        }
    }

    /// Every trainable tensor with its gradient, in layer order.
    pub fn parameters(&mut self) -> Vec<Param<'_>> {
        self.layers
            .iter_mut()
            .flat_map(|(_, layer)| match layer {
                Layer::Conv(l) => l.parameters(),
                Layer::BatchNorm(l) => l.parameters(),
                Layer::Linear(l) => l.parameters(),
                Layer::Relu | Layer::MaxPool(_) | Layer::Flatten => Vec::new(),
            })
            .collect()
    }

    /// Clears every gradient.
    pub fn zero_grad(&mut self) {
        for (_, layer) in &mut self.layers {
            match layer {
                Layer::Conv(l) => l.zero_grad(),
                Layer::BatchNorm(l) => l.zero_grad(),
                Layer::Linear(l) => l.zero_grad(),
                Layer::Relu | Layer::MaxPool(_) | Layer::Flatten => {}
            }
        }
    }

    /// The number of trainable numbers (PyTorch's `sum(p.numel())`).
    pub fn parameter_count(&mut self) -> usize {
        self.parameters().iter().map(|p| p.value.len()).sum()
    }

    /// Every tensor a checkpoint holds, with PyTorch's names and shapes:
    /// parameters and batch-norm running statistics.
    pub fn state(&self) -> Vec<NamedTensor> {
        let mut out = Vec::new();
        for (name, layer) in &self.layers {
            match layer {
                Layer::Conv(l) => l.state(name, &mut out),
                Layer::BatchNorm(l) => l.state(name, &mut out),
                Layer::Linear(l) => l.state(name, &mut out),
                Layer::Relu | Layer::MaxPool(_) | Layer::Flatten => {}
            }
        }
        out
    }

    /// Loads the tensors [`Cnn::state`] names, checking each name and shape.
    /// Nothing is changed unless every tensor fits.
    pub fn load_state(&mut self, tensors: &[NamedTensor]) -> Result<(), String> {
        let expected = self.state();
        let find = |name: &str| tensors.iter().find(|t| t.0 == name);
        for (name, shape, _) in &expected {
            match find(name) {
                None => return Err(format!("has no tensor {name:?}, which the model {} needs", self.name)),
                Some((_, s, v)) if s != shape || v.len() != shape.iter().product::<usize>() => {
                    return Err(format!("tensor {name:?} has shape {s:?}, the model {} needs {shape:?}", self.name))
                }
                Some(_) => {}
            }
        }
        if let Some((name, _, _)) = tensors
            .iter()
            .find(|t| !expected.iter().any(|e| e.0 == t.0))
        {
            return Err(format!(
                "has a tensor {name:?} that the model {} does not have",
                self.name
            ));
        }
        for (name, layer) in &mut self.layers {
            let get = |suffix: &str| {
                find(&format!("{name}.{suffix}")).map(|t| t.2.as_slice())
            };
            match layer {
                Layer::Conv(l) => l.load(get),
                Layer::BatchNorm(l) => l.load(get),
                Layer::Linear(l) => l.load(get),
                Layer::Relu | Layer::MaxPool(_) | Layer::Flatten => {}
            }
        }
        Ok(())
    }
}

/// PyTorch's default initialisation of a layer with `fan_in` inputs per output:
/// U(−1/√fan_in, 1/√fan_in) (what `kaiming_uniform_(a = √5)` works out to).
pub(crate) fn pytorch_uniform(
    n: usize,
    fan_in: usize,
    rng: &mut impl Rng,
) -> Vec<f32> {
    let bound = 1.0 / (fan_in as f32).sqrt();
    (0..n).map(|_| rng.random_range(-bound..bound)).collect()
}
