//! Lecture section 8, *Redes neuronales convolucionales*: 2-D convolution and
//! max-pooling over batches of images.
//!
//! Two implementations of the same operations, which must always agree:
//!
//! - [`reference`](mod@reference): direct loops over every output, kernel tap and channel, written
//!   to be read next to the formula (and shown in the book);
//! - [`fast`]: im2col + a SIMD GEMM, with rayon spreading the work over the cores,
//!   or for stride-1 "same" convolutions of large batches [`direct`], a register-
//!   blocked AVX2 kernel.
//!
//! A convolution here is what PyTorch's `Conv2d` computes, a cross-correlation:
//! `y[n, o, i, j] = b[o] + Σ_c Σ_u Σ_v x[n, c, i·s + u − p, j·s + v − p] · w[o, c, u, v]`,
//! with zeros outside the image.
//!
//! # Shapes
//! Tensors are N × C × H × W, row-major (W varies fastest), as in PyTorch.
//! Weights are C_out × C_in × K_h × K_w; a bias has C_out entries.

// AVX2 + FMA intrinsics behind a run-time check, justified in the module.
#[allow(unsafe_code)]
pub mod direct;
// AVX-512 and AVX2 + FMA intrinsics behind a run-time check, justified in the
// module.
#[allow(unsafe_code)]
pub mod dense;
#[allow(unsafe_code)]
// One call into matrixmultiply::sgemm, justified in the module.
pub mod fast;
pub mod reference;
// Filling a new tensor in parallel without a separate zeroing pass.
#[allow(unsafe_code)]
mod tensor;

pub use tensor::{Chunk, Tensor};

/// Stride and zero padding of a convolution (the same in both directions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conv2d {
    /// Step between two outputs, in input pixels.
    pub stride: usize,
    /// Zeros added on every side of the input.
    pub padding: usize,
}

impl Conv2d {
    /// The course's 3 × 3 convolutions: stride 1, padding 1 (size-preserving).
    pub const SAME_3X3: Conv2d = Conv2d {
        stride: 1,
        padding: 1,
    };

    /// The output shape of this convolution of `input` by `weight`.
    ///
    /// # Panics
    /// If the channel counts differ, the stride is 0, or the kernel does not fit
    /// in the padded input; the message names both shapes.
    #[track_caller]
    pub fn output_shape(&self, input: [usize; 4], weight: [usize; 4]) -> [usize; 4] {
        let [n, c, h, w] = input;
        let [c_out, c_in, kh, kw] = weight;
        assert!(
            c == c_in,
            "conv2d: input has {c} channels, weight expects {c_in} (input {input:?}, weight {weight:?})"
        );
        assert!(self.stride > 0, "conv2d: stride must be at least 1");
        let (ph, pw) = (h + 2 * self.padding, w + 2 * self.padding);
        assert!(
            kh >= 1 && kw >= 1 && kh <= ph && kw <= pw,
            "conv2d: a {kh}×{kw} kernel does not fit a {h}×{w} input with padding {}",
            self.padding
        );
        [
            n,
            c_out,
            (ph - kh) / self.stride + 1,
            (pw - kw) / self.stride + 1,
        ]
    }
}

/// Kernel size and stride of a max-pooling (no padding).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MaxPool {
    /// The window is kernel × kernel.
    pub kernel: usize,
    /// Step between two windows.
    pub stride: usize,
}

impl MaxPool {
    /// The course's 2 × 2 pooling with stride 2, halving height and width.
    pub const HALVE: MaxPool = MaxPool {
        kernel: 2,
        stride: 2,
    };

    /// The output shape for an `input` shape: ⌊(H − k)/s⌋ + 1 by ⌊(W − k)/s⌋ + 1.
    ///
    /// # Panics
    /// If the window is larger than the input or the stride is 0.
    #[track_caller]
    pub fn output_shape(&self, input: [usize; 4]) -> [usize; 4] {
        let [n, c, h, w] = input;
        assert!(
            self.kernel >= 1
                && self.stride >= 1
                && self.kernel <= h
                && self.kernel <= w,
            "max_pool: a {k}×{k} window with stride {} does not fit a {h}×{w} input",
            self.stride,
            k = self.kernel
        );
        [
            n,
            c,
            (h - self.kernel) / self.stride + 1,
            (w - self.kernel) / self.stride + 1,
        ]
    }
}

/// The gradients of a convolution with respect to its three inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct ConvGrads {
    /// ∂L/∂x, the input's shape.
    pub input: Tensor,
    /// ∂L/∂w, the weight's shape.
    pub weight: Tensor,
    /// ∂L/∂b, one value per output channel.
    pub bias: Vec<f32>,
}

/// A max-pooling's output and where each maximum came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Pooled {
    /// The maxima.
    pub output: Tensor,
    /// For each output, the flat index (into the input's data) of the chosen
    /// input. Ties pick the first maximum in the window, scanning rows top to
    /// bottom and each row left to right.
    pub argmax: Vec<usize>,
}

/// Checks the bias length and returns the output shape.
#[track_caller]
fn check_conv(
    input: &Tensor,
    weight: &Tensor,
    bias: Option<&[f32]>,
    spec: Conv2d,
) -> [usize; 4] {
    let out = spec.output_shape(input.shape(), weight.shape());
    if let Some(b) = bias {
        assert_eq!(
            b.len(),
            out[1],
            "conv2d: bias has {} entries, weight has {} output channels",
            b.len(),
            out[1]
        );
    }
    out
}

/// Checks that `grad_output` has the convolution's output shape.
#[track_caller]
fn check_grad_output(
    input: &Tensor,
    weight: &Tensor,
    grad_output: &Tensor,
    spec: Conv2d,
) {
    let expected = spec.output_shape(input.shape(), weight.shape());
    assert_eq!(
        grad_output.shape(),
        expected,
        "conv2d backward: grad_output is {:?}, the convolution's output is {expected:?}",
        grad_output.shape()
    );
}

/// Checks that max-pool's output gradient and its argmax indices match up.
#[track_caller]
fn check_pool_grad(grad_output: &Tensor, argmax: &[usize]) {
    assert_eq!(
        grad_output.data().len(),
        argmax.len(),
        "max_pool_backward: {} gradients but {} argmax indices",
        grad_output.data().len(),
        argmax.len()
    );
}
