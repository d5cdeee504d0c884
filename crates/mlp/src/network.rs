use crate::{Init, Matrix};
use activations::Activation;
use backprop::{ActivationLayer, Dense, Param};
use rand::Rng;

/// One step of a multilayer perceptron.
#[derive(Clone, Debug, PartialEq)]
pub enum Layer {
    /// z = x·W + b.
    Dense(Dense),
    /// a = g(z), element-wise.
    Activation(ActivationLayer),
}

impl Layer {
    fn forward(&self, x: &Matrix) -> Matrix {
        match self {
            Layer::Dense(d) => d.forward(x),
            Layer::Activation(a) => a.forward(x),
        }
    }

    fn backward(&mut self, x: &Matrix, grad_output: &Matrix) -> Matrix {
        match self {
            Layer::Dense(d) => d.backward(x, grad_output),
            Layer::Activation(a) => a.backward(x, grad_output),
        }
    }
}

/// A multilayer perceptron: dense layers, with an activation after each but the
/// last (the output stays linear, ready for a loss).
///
/// # Shapes
/// Input N × `sizes[0]`, output N × `sizes[last]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp {
    /// The layers, applied in order.
    pub layers: Vec<Layer>,
}

impl Mlp {
    /// Dense layers of the given `sizes` (e.g. `[1, 10, 1]`), `hidden` between them.
    ///
    /// # Panics
    /// If fewer than two sizes are given, or one is zero.
    #[track_caller]
    pub fn new(
        sizes: &[usize],
        hidden: Activation,
        init: Init,
        rng: &mut impl Rng,
    ) -> Self {
        assert!(
            sizes.len() >= 2 && sizes.iter().all(|&s| s > 0),
            "Mlp::new: need at least an input and an output size, all > 0; got {sizes:?}"
        );
        let mut layers = Vec::new();
        for (i, pair) in sizes.windows(2).enumerate() {
            let (w, b) = init.weights(pair[0], pair[1], rng);
            layers.push(Layer::Dense(Dense::new(w, b)));
            if i + 2 < sizes.len() {
                layers.push(Layer::Activation(ActivationLayer(hidden)));
            }
        }
        Mlp { layers }
    }

    /// ŷ for a batch.
    pub fn forward(&self, x: &Matrix) -> Matrix {
        self.layers
            .iter()
            .fold(x.clone(), |h, layer| layer.forward(&h))
    }

    /// The input of every layer followed by the network's output: what
    /// [`Mlp::backward`] needs. The last entry is ŷ.
    // ANCHOR: forward_trace
    pub fn forward_trace(&self, x: &Matrix) -> Vec<Matrix> {
        let mut trace = vec![x.clone()];
        for layer in &self.layers {
            let next = layer.forward(trace.last().expect("trace starts with x"));
            trace.push(next);
        }
        trace
    }
    // ANCHOR_END: forward_trace

    /// Backpropagates ∂L/∂ŷ through every layer, from the last to the first,
    /// accumulating parameter gradients; returns ∂L/∂x.
    ///
    /// # Panics
    /// If `trace` did not come from [`Mlp::forward_trace`] on this network.
    // ANCHOR: backward
    #[track_caller]
    pub fn backward(&mut self, trace: &[Matrix], grad_output: &Matrix) -> Matrix {
        assert_eq!(
            trace.len(),
            self.layers.len() + 1,
            "Mlp::backward: trace has {} entries, expected layers + 1 = {}",
            trace.len(),
            self.layers.len() + 1
        );
        let mut grad = grad_output.clone();
        for (layer, input) in self.layers.iter_mut().zip(trace).rev() {
            grad = layer.backward(input, &grad);
        }
        grad
    }
    // ANCHOR_END: backward

    /// The dense layers, in order.
    pub fn dense_layers(&self) -> impl Iterator<Item = &Dense> {
        self.layers.iter().filter_map(|l| match l {
            Layer::Dense(d) => Some(d),
            Layer::Activation(_) => None,
        })
    }

    /// Every weight and bias with its gradient, layer by layer.
    pub fn parameters(&mut self) -> Vec<Param<'_>> {
        self.layers
            .iter_mut()
            .flat_map(|l| match l {
                Layer::Dense(d) => d.parameters(),
                Layer::Activation(_) => Vec::new(),
            })
            .collect()
    }

    /// Clears every accumulated gradient.
    pub fn zero_grad(&mut self) {
        for layer in &mut self.layers {
            if let Layer::Dense(d) = layer {
                d.zero_grad();
            }
        }
    }

    /// The number of trainable numbers, as PyTorch's
    /// `sum(p.numel() for p in model.parameters())`.
    pub fn parameter_count(&self) -> usize {
        self.dense_layers()
            .map(|d| d.weight.len() + d.bias.len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn course_mlp_shapes_and_count() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let net =
            Mlp::new(&[3072, 200, 200, 10], Activation::Relu, Init::He, &mut rng);
        // 3072·200 + 200 + 200·200 + 200 + 200·10 + 10
        assert_eq!(net.parameter_count(), 656_810);
        assert_eq!(net.layers.len(), 5);
        assert_eq!(net.forward(&Matrix::zeros(4, 3072)).shape(), (4, 10));
    }
}
