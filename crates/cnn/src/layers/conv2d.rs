use super::NamedTensor;
use crate::Tensor;
use backprop::Param;
use conv::{Conv2d, ConvGrads};
use rand::Rng;

/// A convolution layer: weights, optional bias, their gradients, stride and
/// padding; the arithmetic is `conv::fast`.
///
/// # Shapes
/// `weight`: C_out × C_in × K × K; `bias`: C_out (or none, as the course's
/// `bias=False` before a batch norm).
#[derive(Clone, Debug, PartialEq)]
pub struct Conv2dLayer {
    /// The kernels, C_out × C_in × K × K.
    pub weight: Tensor,
    /// One bias per output channel, or none.
    pub bias: Option<Vec<f32>>,
    /// ∂L/∂weight, accumulated.
    pub grad_weight: Tensor,
    /// ∂L/∂bias, accumulated.
    pub grad_bias: Option<Vec<f32>>,
    /// Stride and padding.
    pub spec: Conv2d,
}

impl Conv2dLayer {
    /// A `c_in → c_out` convolution with `k × k` kernels, initialised as PyTorch's
    /// `nn.Conv2d`.
    pub fn new(
        c_in: usize,
        c_out: usize,
        k: usize,
        spec: Conv2d,
        bias: bool,
        rng: &mut impl Rng,
    ) -> Self {
        let fan_in = c_in * k * k;
        let weight = Tensor::from_vec(
            [c_out, c_in, k, k],
            super::pytorch_uniform(c_out * fan_in, fan_in, rng),
        );
        let bias = bias.then(|| super::pytorch_uniform(c_out, fan_in, rng));
        Conv2dLayer {
            grad_weight: Tensor::zeros(weight.shape()),
            grad_bias: bias.as_ref().map(|b| vec![0.0; b.len()]),
            weight,
            bias,
            spec,
        }
    }

    /// y = conv(x, W) + b.
    pub fn forward(&self, x: &Tensor) -> Tensor {
        conv::fast::conv2d_forward(x, &self.weight, self.bias.as_deref(), self.spec)
    }

    /// Adds ∂L/∂W and ∂L/∂b to the gradients; returns ∂L/∂x, or an empty tensor
    /// when `need_input` is false (the first layer's input is the data).
    pub fn backward(
        &mut self,
        x: &Tensor,
        grad_output: &Tensor,
        need_input: bool,
    ) -> Tensor {
        let ConvGrads {
            input,
            weight,
            bias,
        } = if need_input {
            conv::fast::conv2d_backward(x, &self.weight, grad_output, self.spec)
        } else {
            conv::fast::conv2d_backward_params(
                x,
                &self.weight,
                grad_output,
                self.spec,
            )
        };
        for (g, d) in self.grad_weight.data_mut().iter_mut().zip(weight.data()) {
            *g += d;
        }
        if let Some(gb) = &mut self.grad_bias {
            for (g, d) in gb.iter_mut().zip(&bias) {
                *g += d;
            }
        }
        input
    }

    /// Clears the gradients.
    pub fn zero_grad(&mut self) {
        self.grad_weight.data_mut().fill(0.0);
        if let Some(g) = &mut self.grad_bias {
            g.fill(0.0);
        }
    }

    /// The weight, then the bias if any.
    pub fn parameters(&mut self) -> Vec<Param<'_>> {
        let mut out =
            vec![Param::new(self.weight.data_mut(), self.grad_weight.data())];
        if let (Some(b), Some(g)) = (&mut self.bias, &self.grad_bias) {
            out.push(Param::new(b, g));
        }
        out
    }

    pub(crate) fn state(&self, name: &str, out: &mut Vec<NamedTensor>) {
        out.push((
            format!("{name}.weight"),
            self.weight.shape().to_vec(),
            self.weight.data().to_vec(),
        ));
        if let Some(b) = &self.bias {
            out.push((format!("{name}.bias"), vec![b.len()], b.clone()));
        }
    }

    pub(crate) fn load<'a>(&mut self, get: impl Fn(&str) -> Option<&'a [f32]>) {
        if let Some(w) = get("weight") {
            self.weight.data_mut().copy_from_slice(w);
        }
        if let (Some(b), Some(v)) = (&mut self.bias, get("bias")) {
            b.copy_from_slice(v);
        }
    }
}
