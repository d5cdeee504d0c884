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
    let features = 16;
    let [c, h, w] = input;
    let conv = |c_in: usize, rng: &mut StdRng| {
        let layer =
            Conv2dLayer::new(c_in, features, 3, Conv2d::SAME_3X3, false, rng);
        Layer::Conv(layer)
    };
    let mut layers = vec![
        ("stem.0".to_string(), conv(c, rng)),
        (
            "stem.1".to_string(),
            Layer::BatchNorm(BatchNorm2d::new(features)),
        ),
    ];
    for block in 0..4 {
        let name = |i: usize| format!("blocks.{block}.{i}");
        layers.push((name(0), conv(features, rng)));
        layers.push((name(1), Layer::BatchNorm(BatchNorm2d::new(features))));
        layers.push((name(2), Layer::Relu));
        layers.push((name(3), Layer::MaxPool(MaxPool::HALVE)));
    }
    let flat = features * (h / 16) * (w / 16);
    layers.push(("flatten".to_string(), Layer::Flatten));
    layers.push((
        "classifier".to_string(),
        Layer::Linear(Linear::new(flat, classes, rng)),
    ));
    Cnn {
        name: "convolutional".to_string(),
        input,
        layers,
    }
}
