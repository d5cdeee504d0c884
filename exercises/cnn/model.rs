//! Step 2 of the hands-on: the course's "ConvolutionalModel" for CIFAR-10.

use cnn::layers::{BatchNorm2d, Conv2dLayer, Linear};
use cnn::{Cnn, Layer};
use conv::{Conv2d, MaxPool};
use rand::rngs::StdRng;

/// The course's CIFAR-10 CNN (features 16, 4 layers), with PyTorch's layer
/// names, for images of `input` = C × H × W and `classes` classes:
///
/// | name | layer |
/// | --- | --- |
/// | `stem.0` | Conv(C → 16, 3 × 3, padding 1, no bias) |
/// | `stem.1` | BatchNorm2d(16) |
/// | `blocks.k.0` … `blocks.k.3`, k = 0..4 | Conv(16 → 16, 3 × 3, padding 1, no bias), BatchNorm2d(16), ReLU, MaxPool 2 × 2 |
/// | `flatten` | Flatten |
/// | `classifier` | Linear(16·(H/16)·(W/16) → classes) |
///
/// Each convolution and the linear layer are created in that order with their
/// constructors (`Conv2dLayer::new`, `Linear::new`), which draw PyTorch's initial
/// weights from `rng`. On CIFAR-10 (3 × 32 × 32, 10 classes) the model has
/// 10 458 parameters.
pub fn convolutional_model(
    input: [usize; 3],
    classes: usize,
    rng: &mut StdRng,
) -> Cnn {
    // TODO: a Vec<(String, Layer)> of the table's layers (Layer::Conv(Conv2dLayer::new(c_in, 16, 3, Conv2d::SAME_3X3, false, rng)), Layer::BatchNorm(BatchNorm2d::new(16)), Layer::Relu, Layer::MaxPool(MaxPool::HALVE), Layer::Flatten, Layer::Linear(Linear::new(f, classes, rng))), then Cnn { name: "convolutional".to_string(), input, layers }.
    todo!()
}
