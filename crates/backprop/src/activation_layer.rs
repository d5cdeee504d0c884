use crate::Matrix;
use activations::Activation;

/// An activation applied element by element, a = g(z), as a layer.
///
/// # Shapes
/// Any N × F input; the output has the same shape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ActivationLayer(pub Activation);

impl ActivationLayer {
    /// a = g(z), element-wise.
    pub fn forward(&self, z: &Matrix) -> Matrix {
        z.map(|v| self.0.apply(v))
    }

    /// ∂L/∂z = ∂L/∂a ⊙ g′(z): the chain rule, element by element.
    ///
    /// # Panics
    /// If `grad_output` and `z` differ in shape.
    // ANCHOR: backward
    #[track_caller]
    pub fn backward(&self, z: &Matrix, grad_output: &Matrix) -> Matrix {
        assert_eq!(
            z.shape(),
            grad_output.shape(),
            "ActivationLayer::backward: input is {:?}, grad_output is {:?}",
            z.shape(),
            grad_output.shape()
        );
        z.zip_map(grad_output, |z, g| g * self.0.derivative(z))
    }
    // ANCHOR_END: backward
}
