//! The playground page's network: TensorFlow Playground's experiment with the
//! workspace's `Mlp`, losses and `Sgd`.
//!
//! A pass over the training points in shuffled mini-batches is one epoch, as in
//! Playground. Classification trains on the softmax cross-entropy of one output
//! per class, regression on the MSE of one linear output. L1 and L2 add
//! λ·sign(w) and λ·w to the weights' gradients (not the biases'), as Playground
//! does.

use crate::datasets::{self, Data, Point, EXTENT};
use activations::Activation;
use mlp::{Init, Layer, Matrix, Mlp};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use sgd::{Optimizer, Sgd};
use wasm_bindgen::prelude::*;

/// An input feature, as Playground offers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Feature {
    X1,
    X2,
    X1Squared,
    X2Squared,
    X1X2,
    SinX1,
    SinX2,
}

impl Feature {
    fn parse(name: &str) -> Result<Feature, String> {
        Ok(match name {
            "x1" => Feature::X1,
            "x2" => Feature::X2,
            "x1sq" => Feature::X1Squared,
            "x2sq" => Feature::X2Squared,
            "x1x2" => Feature::X1X2,
            "sinx1" => Feature::SinX1,
            "sinx2" => Feature::SinX2,
            _ => return Err(format!("unknown feature {name:?}")),
        })
    }

    fn of(self, x: f32, y: f32) -> f32 {
        match self {
            Feature::X1 => x,
            Feature::X2 => y,
            Feature::X1Squared => x * x,
            Feature::X2Squared => y * y,
            Feature::X1X2 => x * y,
            Feature::SinX1 => x.sin(),
            Feature::SinX2 => y.sin(),
        }
    }
}

/// The most hidden layers and neurons per layer the page offers (Playground's).
pub const MAX_LAYERS: usize = 6;
/// See [`MAX_LAYERS`].
pub const MAX_NEURONS: usize = 8;

/// The playground: points, a network, and its training state.
#[wasm_bindgen]
pub struct Playground {
    points: Vec<Point>,
    n_train: usize,
    regression: bool,
    classes: usize,
    features: Vec<Feature>,
    hidden: Vec<usize>,
    activation: Activation,
    batch: usize,
    l1: f32,
    l2: f32,
    optimizer: Sgd,
    rng: StdRng,
    net: Mlp,
    epoch: u32,
    x_train: Matrix,
    x_test: Matrix,
}

/// The feature matrix of `points`.
fn feature_matrix(points: &[Point], which: &[Feature]) -> Matrix {
    Matrix::from_fn(points.len(), which.len(), |i, j| {
        which[j].of(points[i].x, points[i].y)
    })
}

/// The labels of classification points.
fn labels(points: &[Point]) -> Vec<usize> {
    points.iter().map(|p| p.label as usize).collect()
}

/// The targets of regression points, N × 1.
fn targets(points: &[Point]) -> Matrix {
    Matrix::from_fn(points.len(), 1, |i, _| points[i].label)
}

/// The n × n grid over the plane, row by row from the top (x₂ = 6) down.
fn grid(n: usize) -> Vec<Point> {
    let at = |k: usize| -EXTENT + 2.0 * EXTENT * (k as f32 + 0.5) / n as f32;
    (0..n * n)
        .map(|k| Point {
            x: at(k % n),
            y: -at(k / n),
            label: 0.0,
        })
        .collect()
}

#[wasm_bindgen]
impl Playground {
    /// TensorFlow Playground's defaults: circle, 500 points, noise 0, half of
    /// them for training, x₁ and x₂, hidden layers of 4 and 2 tanh neurons,
    /// learning rate 0.03, batch 10, no regularisation. `seed` draws the points,
    /// the weights and the batches.
    #[wasm_bindgen(constructor)]
    pub fn new(seed: u32) -> Playground {
        let mut p = Playground {
            points: Vec::new(),
            n_train: 0,
            regression: false,
            classes: 2,
            features: vec![Feature::X1, Feature::X2],
            hidden: vec![4, 2],
            activation: Activation::Tanh,
            batch: 10,
            l1: 0.0,
            l2: 0.0,
            optimizer: Sgd::new(0.03),
            rng: StdRng::seed_from_u64(u64::from(seed)),
            net: Mlp { layers: Vec::new() },
            epoch: 0,
            x_train: Matrix::zeros(0, 0),
            x_test: Matrix::zeros(0, 0),
        };
        p.set_data("circle", 2, 500, 0.0, 0.5, seed)
            .expect("the defaults are valid");
        p
    }

    /// New points: `data` (circle, xor, gauss, spiral; plane or multi-gauss for
    /// regression), `classes` for gauss and spiral, `noise` 0 to 0.5, a fraction
    /// `train_ratio` of them for training, drawn from `seed`. Resets the weights.
    pub fn set_data(
        &mut self,
        data: &str,
        classes: u32,
        samples: u32,
        noise: f32,
        train_ratio: f32,
        seed: u32,
    ) -> Result<(), String> {
        let kind = Data::parse(data)?;
        let mut points = datasets::generate(
            kind,
            samples.max(4) as usize,
            noise.clamp(0.0, 0.5),
            (classes as usize).clamp(2, MAX_NEURONS),
            u64::from(seed),
        );
        points.shuffle(&mut StdRng::seed_from_u64(u64::from(seed)));
        self.use_points(points, kind.is_regression(), train_ratio)
    }

    /// The points of a CSV text (`x,y,label` rows, as `playground --csv`), for
    /// classification; returns how many. Resets the weights.
    pub fn set_csv(&mut self, text: &str, train_ratio: f32) -> Result<u32, String> {
        let mut points = datasets::parse_csv(text)?;
        points.shuffle(&mut self.rng);
        let n = points.len() as u32;
        self.use_points(points, false, train_ratio)?;
        Ok(n)
    }

    fn use_points(
        &mut self,
        points: Vec<Point>,
        regression: bool,
        train_ratio: f32,
    ) -> Result<(), String> {
        if !(train_ratio > 0.0 && train_ratio < 1.0) {
            return Err(format!(
                "the training ratio {train_ratio} is not in (0, 1)"
            ));
        }
        self.n_train = ((points.len() as f32 * train_ratio).round() as usize)
            .clamp(1, points.len() - 1);
        self.classes = if regression {
            1
        } else {
            points.iter().map(|p| p.label as usize).max().unwrap_or(1) + 1
        };
        self.regression = regression;
        self.points = points;
        self.reset();
        Ok(())
    }

    /// The network: `features` (comma-separated: x1, x2, x1sq, x2sq, x1x2,
    /// sinx1, sinx2), hidden layer widths (up to 6 layers of up to 8), and the
    /// activation (relu, tanh, sigmoid, linear). Resets the weights.
    pub fn set_network(
        &mut self,
        features: &str,
        hidden: Vec<u32>,
        activation: &str,
    ) -> Result<(), String> {
        let features = features
            .split(',')
            .filter(|f| !f.is_empty())
            .map(Feature::parse)
            .collect::<Result<Vec<_>, _>>()?;
        if features.is_empty() {
            return Err("pick at least one input feature".into());
        }
        if hidden.len() > MAX_LAYERS
            || hidden.iter().any(|&h| h == 0 || h as usize > MAX_NEURONS)
        {
            return Err(format!(
                "up to {MAX_LAYERS} hidden layers of 1 to {MAX_NEURONS} neurons; got {hidden:?}"
            ));
        }
        self.activation = activation.parse()?;
        self.features = features;
        self.hidden = hidden.iter().map(|&h| h as usize).collect();
        self.reset();
        Ok(())
    }

    /// Learning rate, batch size and regularisation (`none`, `l1`, `l2`) with its
    /// rate; applies from the next step, keeping the weights.
    pub fn set_training(
        &mut self,
        lr: f32,
        batch: u32,
        regularization: &str,
        rate: f32,
    ) -> Result<(), String> {
        if !(lr.is_finite() && lr > 0.0) {
            return Err(format!("the learning rate {lr} is not positive"));
        }
        (self.l1, self.l2) = match regularization {
            "none" => (0.0, 0.0),
            "l1" => (rate, 0.0),
            "l2" => (0.0, rate),
            _ => return Err(format!("unknown regularisation {regularization:?}")),
        };
        self.optimizer.lr = lr;
        self.batch = (batch as usize).max(1);
        Ok(())
    }

    /// New weights (Xavier for tanh, sigmoid and linear, He for ReLU, as the
    /// `playground` demo), epoch 0.
    pub fn reset(&mut self) {
        let mut sizes = vec![self.features.len()];
        sizes.extend(&self.hidden);
        sizes.push(self.classes);
        let init = if self.activation == Activation::Relu {
            Init::He
        } else {
            Init::Xavier
        };
        self.net = Mlp::new(&sizes, self.activation, init, &mut self.rng);
        self.optimizer = Sgd::new(self.optimizer.lr);
        self.epoch = 0;
        let (train, test) = self.points.split_at(self.n_train);
        self.x_train = feature_matrix(train, &self.features);
        self.x_test = feature_matrix(test, &self.features);
    }

    /// The loss of the current network on the training (`test` false) or test
    /// points: cross-entropy, or MSE for regression.
    pub fn loss(&self, test: bool) -> f32 {
        let (x, points) = if test {
            (&self.x_test, &self.points[self.n_train..])
        } else {
            (&self.x_train, &self.points[..self.n_train])
        };
        let out = self.net.forward(x);
        if self.regression {
            losses::mse(&out, &targets(points)).0
        } else {
            losses::softmax_cross_entropy(&out, &labels(points)).0
        }
    }

    /// One epoch: a pass over the training points in shuffled mini-batches, an
    /// SGD step per batch. Returns false (and changes nothing more) if the loss
    /// stops being finite.
    pub fn step(&mut self) -> bool {
        let mut order: Vec<usize> = (0..self.n_train).collect();
        order.shuffle(&mut self.rng);
        for batch in order.chunks(self.batch) {
            let xb = Matrix::from_fn(batch.len(), self.x_train.ncols(), |i, j| {
                self.x_train[(batch[i], j)]
            });
            let chosen: Vec<Point> = batch.iter().map(|&i| self.points[i]).collect();
            self.net.zero_grad();
            let trace = self.net.forward_trace(&xb);
            let out = trace.last().expect("the output");
            let (loss, grad) = if self.regression {
                losses::mse(out, &targets(&chosen))
            } else {
                losses::softmax_cross_entropy(out, &labels(&chosen))
            };
            if !loss.is_finite() {
                return false;
            }
            self.net.backward(&trace, &grad);
            let (l1, l2) = (self.l1, self.l2);
            if l1 != 0.0 || l2 != 0.0 {
                for layer in &mut self.net.layers {
                    if let Layer::Dense(d) = layer {
                        d.grad_weight.zip_apply(&d.weight, |g, w| {
                            *g += l1 * w.signum() + l2 * w
                        });
                    }
                }
            }
            self.optimizer.step(&mut self.net.parameters());
        }
        self.epoch += 1;
        true
    }

    /// Epochs trained since the last reset.
    pub fn epoch(&self) -> u32 {
        self.epoch
    }

    /// SGD steps in one epoch.
    pub fn steps_per_epoch(&self) -> u32 {
        self.n_train.div_ceil(self.batch) as u32
    }

    /// Classes (1 for regression).
    pub fn classes(&self) -> u32 {
        self.classes as u32
    }

    /// Whether the targets are values.
    pub fn regression(&self) -> bool {
        self.regression
    }

    /// Every point as x, y, label, and 1 for a test point (0 for training).
    pub fn points(&self) -> Vec<f32> {
        self.points
            .iter()
            .enumerate()
            .flat_map(|(i, p)| {
                [p.x, p.y, p.label, f32::from(u8::from(i >= self.n_train))]
            })
            .collect()
    }

    /// The network's answer on an n × n grid over [−6, 6]² (rows from the top):
    /// the class probabilities (softmax, `classes` per point), or the value.
    pub fn boundary(&self, n: u32) -> Vec<f32> {
        let out = self
            .net
            .forward(&feature_matrix(&grid(n as usize), &self.features));
        let out = if self.regression {
            out
        } else {
            losses::softmax(&out)
        };
        // Row-major: point by point, its classes together.
        out.transpose().as_slice().to_vec()
    }

    /// The number of units of each layer: the features, each hidden layer, the
    /// outputs.
    pub fn layer_sizes(&self) -> Vec<u32> {
        let mut sizes = vec![self.features.len() as u32];
        sizes.extend(self.net.dense_layers().map(|d| d.outputs() as u32));
        sizes
    }

    /// What every input feature and hidden neuron computes over an n × n grid:
    /// unit after unit (features first, then layer by layer), n² values each.
    pub fn unit_maps(&self, n: u32) -> Vec<f32> {
        let trace = self
            .net
            .forward_trace(&feature_matrix(&grid(n as usize), &self.features));
        let mut maps = trace[0].as_slice().to_vec(); // column-major: unit by unit
        for (k, layer) in self.net.layers.iter().enumerate() {
            if matches!(layer, Layer::Activation(_)) {
                maps.extend_from_slice(trace[k + 1].as_slice());
            }
        }
        maps
    }

    /// Every weight, layer after layer, each as inputs × outputs row by row:
    /// what the page draws as the links' colour and thickness.
    pub fn weights(&self) -> Vec<f32> {
        self.net
            .dense_layers()
            .flat_map(|d| d.weight.transpose().as_slice().to_vec())
            .collect()
    }

    /// The network as safetensors, with PyTorch's names for
    /// `nn.Sequential(Linear, activation, Linear, …)`: `0.weight` (outputs ×
    /// inputs), `0.bias`, `2.weight`, …; the metadata names the features, the
    /// activation and the task.
    pub fn safetensors(&self) -> Result<Vec<u8>, String> {
        let mut tensors = Vec::new();
        for (k, layer) in self.net.layers.iter().enumerate() {
            if let Layer::Dense(d) = layer {
                // nalgebra is column-major: d.weight (in × out) column by column
                // is PyTorch's out × in row by row.
                let w: Vec<u8> = d
                    .weight
                    .as_slice()
                    .iter()
                    .flat_map(|v| v.to_le_bytes())
                    .collect();
                let b: Vec<u8> =
                    d.bias.iter().flat_map(|v| v.to_le_bytes()).collect();
                tensors.push((
                    format!("{k}.weight"),
                    vec![d.outputs(), d.inputs()],
                    w,
                ));
                tensors.push((format!("{k}.bias"), vec![d.outputs()], b));
            }
        }
        let views = tensors
            .iter()
            .map(|(name, shape, bytes)| {
                safetensors::tensor::TensorView::new(
                    safetensors::Dtype::F32,
                    shape.clone(),
                    bytes,
                )
                .map(|v| (name.clone(), v))
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        let names = ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"];
        let all = [
            Feature::X1,
            Feature::X2,
            Feature::X1Squared,
            Feature::X2Squared,
            Feature::X1X2,
            Feature::SinX1,
            Feature::SinX2,
        ];
        let features: Vec<&str> = self
            .features
            .iter()
            .map(|f| names[all.iter().position(|a| a == f).expect("listed")])
            .collect();
        let meta = [
            ("format", "pt".to_string()),
            ("model", "playground".to_string()),
            ("features", features.join(",")),
            ("activation", self.activation.name().to_string()),
            (
                "task",
                if self.regression {
                    "regression"
                } else {
                    "classification"
                }
                .to_string(),
            ),
            ("epoch", self.epoch.to_string()),
        ];
        safetensors::tensor::serialize(views, Some(crate::metadata(&meta)))
            .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page's self-test scenario, natively: Playground's defaults reach a
    /// test loss below 0.1 in 300 epochs.
    #[test]
    fn the_defaults_learn_the_circle_in_300_epochs() {
        let mut p = Playground::new(0);
        let before = p.boundary(20);
        let first = p.loss(true);
        for _ in 0..300 {
            assert!(p.step());
        }
        let last = p.loss(true);
        assert!(last < 0.1, "test loss {first} → {last}");
        assert_ne!(before, p.boundary(20));
        assert_eq!((p.epoch(), p.steps_per_epoch()), (300, 25));
    }

    #[test]
    fn shapes_of_what_the_page_draws() {
        let mut p = Playground::new(1);
        p.set_network("x1,x2,x1sq", vec![3, 5], "relu").unwrap();
        p.set_data("spiral", 3, 300, 0.1, 0.7, 2).unwrap();
        assert_eq!(p.layer_sizes(), vec![3, 3, 5, 3]);
        assert_eq!(p.boundary(10).len(), 100 * 3);
        let probs = p.boundary(4);
        for point in probs.chunks(3) {
            assert!((point.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        }
        assert_eq!(p.unit_maps(10).len(), (3 + 3 + 5) * 100);
        assert_eq!(p.weights().len(), 3 * 3 + 3 * 5 + 5 * 3);
        assert_eq!(p.points().len(), 300 * 4);
        assert_eq!(p.points().chunks(4).filter(|q| q[3] == 1.0).count(), 90);
        assert!(p.set_network("x1", vec![9], "tanh").is_err());
        assert!(p.set_network("", vec![2], "tanh").is_err());
        assert!(p.set_training(0.0, 10, "none", 0.0).is_err());
    }

    #[test]
    fn regression_and_regularisation_train() {
        let mut p = Playground::new(3);
        p.set_data("plane", 2, 200, 0.0, 0.5, 3).unwrap();
        p.set_training(0.01, 10, "l2", 0.001).unwrap();
        assert_eq!(p.classes(), 1);
        let first = p.loss(false);
        for _ in 0..50 {
            assert!(p.step());
        }
        assert!(p.loss(false) < first / 4.0, "{first} → {}", p.loss(false));
    }

    #[test]
    fn the_download_is_safetensors_with_pytorch_names_and_layouts() {
        let p = Playground::new(0);
        let bytes = p.safetensors().unwrap();
        let file = safetensors::SafeTensors::deserialize(&bytes).unwrap();
        let mut names = file.names();
        names.sort_unstable();
        assert_eq!(
            names,
            ["0.bias", "0.weight", "2.bias", "2.weight", "4.bias", "4.weight"]
        );
        let w = file.tensor("0.weight").unwrap();
        assert_eq!(w.shape(), [4, 2]);
        // PyTorch's weight[o][i] is our weight[(i, o)].
        let d = p.net.dense_layers().next().unwrap();
        let v = |k: usize| {
            f32::from_le_bytes(w.data()[4 * k..4 * k + 4].try_into().unwrap())
        };
        assert_eq!(v(1), d.weight[(1, 0)]);
        assert_eq!(v(2), d.weight[(0, 1)]);
    }
}
