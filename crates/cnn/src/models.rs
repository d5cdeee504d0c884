//! The course's models, layer for layer, with PyTorch's parameter names.

use crate::layers::{BatchNorm2d, Conv2dLayer, Linear};
use crate::{Cnn, Layer};
use conv::{Conv2d, MaxPool};
use rand::Rng;

/// The models the hands-on can train, by command-line name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    /// "ConvolutionalModel" (features 16, 4 layers) for 32 × 32 × 3 images.
    Convolutional,
    /// TinyVGG (hidden 10) for 28 × 28 × 1 images.
    TinyVgg,
    /// The course's MLP, 3072 (or 784) → 200 → 200 → 10.
    Mlp,
}

impl Model {
    /// Every model, for help texts.
    pub const ALL: [Model; 3] = [Model::Convolutional, Model::TinyVgg, Model::Mlp];

    /// The command-line and checkpoint name.
    pub fn name(self) -> &'static str {
        match self {
            Model::Convolutional => "convolutional",
            Model::TinyVgg => "tinyvgg",
            Model::Mlp => "mlp",
        }
    }

    /// How many times the model halves the image (its 2 × 2 poolings).
    pub fn poolings(self) -> u32 {
        match self {
            Model::Convolutional => 4,
            Model::TinyVgg => 2,
            Model::Mlp => 0,
        }
    }

    /// Whether images of `input` (C × H × W) fit the model: each 2 × 2 pooling
    /// halves the height and width, and at least one pixel must remain. Says what
    /// to change if not, before anything is built or trained.
    pub fn check_input(self, input: [usize; 3]) -> Result<(), String> {
        let [c, h, w] = input;
        if c == 0 || h == 0 || w == 0 {
            return Err(format!(
                "the images are {c}×{h}×{w}: every image needs at least one channel, row and column"
            ));
        }
        let side = 1usize << self.poolings();
        if h < side || w < side {
            return Err(format!(
                "{self} halves the images {} times (2 × 2 max-pooling), so it needs images of at least {side}×{side} pixels, and these are {h}×{w}: use larger images, or the mlp model, which takes any size",
                self.poolings()
            ));
        }
        Ok(())
    }

    /// The model for images of `channels × side × side` and `classes` classes.
    ///
    /// # Panics
    /// If the images are too small for the model ([`Model::check_input`]).
    #[track_caller]
    pub fn build(
        self,
        input: [usize; 3],
        classes: usize,
        rng: &mut impl Rng,
    ) -> Cnn {
        match self {
            Model::Convolutional => convolutional_model(input, classes, rng),
            Model::TinyVgg => tiny_vgg(input, 10, classes, rng),
            Model::Mlp => mlp(input, classes, rng),
        }
    }
}

impl std::fmt::Display for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Model {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Model::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| {
                format!(
                    "unknown model {s:?}: expected convolutional, tinyvgg or mlp"
                )
            })
    }
}

/// Panics with [`Model::check_input`]'s message if `input` does not fit `model`.
#[track_caller]
fn assert_fits(model: Model, input: [usize; 3]) {
    if let Err(e) = model.check_input(input) {
        panic!("models::{}: {e}", model.name());
    }
}

fn conv3x3(c_in: usize, c_out: usize, bias: bool, rng: &mut impl Rng) -> Layer {
    Layer::Conv(Conv2dLayer::new(
        c_in,
        c_out,
        3,
        Conv2d::SAME_3X3,
        bias,
        rng,
    ))
}

/// The course's "ConvolutionalModel" (features 16, 4 layers), for CIFAR-10:
/// Conv(3→16, 3×3, pad 1, no bias) + BatchNorm, then 4 × [Conv(16→16), BatchNorm,
/// ReLU, MaxPool 2×2], flatten (16·2·2 = 64 for 32 × 32 inputs), Linear(64 → 10).
/// 10 458 parameters.
///
/// # Panics
/// If the images are smaller than 16 × 16.
#[track_caller]
// ANCHOR: convolutional_model
pub fn convolutional_model(
    input: [usize; 3],
    classes: usize,
    rng: &mut impl Rng,
) -> Cnn {
    assert_fits(Model::Convolutional, input);
    let features = 16;
    let [c, h, w] = input;
    let mut layers = vec![
        ("stem.0".to_string(), conv3x3(c, features, false, rng)),
        (
            "stem.1".to_string(),
            Layer::BatchNorm(BatchNorm2d::new(features)),
        ),
    ];
    for block in 0..4 {
        let name = |i: usize| format!("blocks.{block}.{i}");
        layers.push((name(0), conv3x3(features, features, false, rng)));
        layers.push((name(1), Layer::BatchNorm(BatchNorm2d::new(features))));
        layers.push((name(2), Layer::Relu));
        layers.push((name(3), Layer::MaxPool(MaxPool::HALVE)));
    }
    let flat = features * (h >> 4) * (w >> 4);
    layers.push(("flatten".to_string(), Layer::Flatten));
    layers.push((
        "classifier".to_string(),
        Layer::Linear(Linear::new(flat, classes, rng)),
    ));
    Cnn {
        name: Model::Convolutional.name().to_string(),
        input,
        layers,
    }
}
// ANCHOR_END: convolutional_model

/// TinyVGG (CNN Explainer's model, as in the course) with `hidden` channels:
/// 2 × [Conv(3×3, pad 1), ReLU, Conv(3×3, pad 1), ReLU, MaxPool 2], then
/// Linear(hidden·7·7 → classes) for 28 × 28 inputs. 7 740 parameters for hidden 10.
///
/// # Panics
/// If the images are smaller than 4 × 4.
#[track_caller]
pub fn tiny_vgg(
    input: [usize; 3],
    hidden: usize,
    classes: usize,
    rng: &mut impl Rng,
) -> Cnn {
    assert_fits(Model::TinyVgg, input);
    let [c, h, w] = input;
    let mut layers = Vec::new();
    for (block, c_in) in [(1, c), (2, hidden)] {
        let name = |i: usize| format!("block_{block}.{i}");
        layers.push((name(0), conv3x3(c_in, hidden, true, rng)));
        layers.push((name(1), Layer::Relu));
        layers.push((name(2), conv3x3(hidden, hidden, true, rng)));
        layers.push((name(3), Layer::Relu));
        layers.push((name(4), Layer::MaxPool(MaxPool::HALVE)));
    }
    let flat = hidden * (h / 4) * (w / 4);
    layers.push(("classifier.0".to_string(), Layer::Flatten));
    layers.push((
        "classifier.1".to_string(),
        Layer::Linear(Linear::new(flat, classes, rng)),
    ));
    Cnn {
        name: Model::TinyVgg.name().to_string(),
        input,
        layers,
    }
}

/// The course's MLP: flatten, Linear(C·H·W → 200), ReLU, Linear(200 → 200), ReLU,
/// Linear(200 → classes). 656 810 parameters on CIFAR-10, 199 210 on 28 × 28.
#[track_caller]
pub fn mlp(input: [usize; 3], classes: usize, rng: &mut impl Rng) -> Cnn {
    assert_fits(Model::Mlp, input);
    let [c, h, w] = input;
    let layers = vec![
        ("flatten".to_string(), Layer::Flatten),
        (
            "fc1".to_string(),
            Layer::Linear(Linear::new(c * h * w, 200, rng)),
        ),
        ("relu1".to_string(), Layer::Relu),
        ("fc2".to_string(), Layer::Linear(Linear::new(200, 200, rng))),
        ("relu2".to_string(), Layer::Relu),
        (
            "fc3".to_string(),
            Layer::Linear(Linear::new(200, classes, rng)),
        ),
    ];
    Cnn {
        name: Model::Mlp.name().to_string(),
        input,
        layers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::Mode;
    use crate::Tensor;
    use rand::SeedableRng;

    #[test]
    fn parameter_counts_match_the_course() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(0);
        assert_eq!(
            convolutional_model([3, 32, 32], 10, &mut rng).parameter_count(),
            10_458
        );
        assert_eq!(
            tiny_vgg([1, 28, 28], 10, 10, &mut rng).parameter_count(),
            7_740
        );
        assert_eq!(mlp([3, 32, 32], 10, &mut rng).parameter_count(), 656_810);
        assert_eq!(mlp([1, 28, 28], 10, &mut rng).parameter_count(), 199_210);
    }

    #[test]
    fn output_shapes() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(0);
        for (model, input) in [
            (Model::Convolutional, [3, 32, 32]),
            (Model::TinyVgg, [1, 28, 28]),
            (Model::Mlp, [1, 28, 28]),
        ] {
            let mut net = model.build(input, 10, &mut rng);
            let [c, h, w] = input;
            let y = net.forward(&Tensor::zeros([2, c, h, w]), Mode::Eval);
            assert_eq!(y.shape(), [2, 10, 1, 1], "{model:?}");
        }
    }

    #[test]
    fn images_too_small_for_the_poolings_are_refused_before_building() {
        assert!(Model::TinyVgg.check_input([1, 4, 4]).is_ok());
        let e = Model::TinyVgg.check_input([1, 3, 3]).unwrap_err();
        assert!(
            e.contains("at least 4×4") && e.contains("these are 3×3"),
            "{e}"
        );
        let e = Model::Convolutional.check_input([1, 28, 8]).unwrap_err();
        assert!(e.contains("at least 16×16") && e.contains("mlp"), "{e}");
        assert!(Model::Mlp.check_input([1, 1, 1]).is_ok());
        let e = Model::Mlp.check_input([1, 0, 28]).unwrap_err();
        assert!(e.contains("1×0×28"), "{e}");
        // Building one anyway panics with that message, not in the sampler.
        let built = std::panic::catch_unwind(|| {
            let mut rng = rand::rngs::StdRng::seed_from_u64(0);
            tiny_vgg([1, 3, 3], 10, 10, &mut rng)
        });
        let e = built.unwrap_err();
        let e = e.downcast_ref::<String>().unwrap();
        assert!(e.starts_with("models::tinyvgg: tinyvgg halves"), "{e}");
    }
}
