//! The CNN page (CNN Explainer in small): TinyVGG, as the `cnn` binary trained
//! and saved it, read by `cnn::checkpoint` and run by `cnn::Cnn` in evaluation
//! mode, every layer's output kept for the page to draw.

use cnn::data::{Dataset, FASHION_MNIST_CLASSES};
use cnn::layers::Mode;
use cnn::models::Model;
use cnn::{checkpoint, Cnn, Layer, Tensor};
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::path::Path;
use wasm_bindgen::prelude::*;

/// Images of `n` × 28 × 28 bytes as a Fashion-MNIST [`Dataset`] (labels 0): what
/// `Dataset::batch` normalises as training did.
fn dataset(images: &[u8]) -> Dataset {
    let n = images.len() / 784;
    Dataset {
        name: "the page's images".into(),
        source: "Fashion-MNIST".into(),
        images: images[..n * 784].to_vec(),
        labels: vec![0; n],
        shape: [1, 28, 28],
        classes: FASHION_MNIST_CLASSES.map(String::from).to_vec(),
    }
}

/// The test images the page offers, with what the native build computed.
struct TestSet {
    images: Vec<u8>,
    labels: Vec<u8>,
    logits: Vec<f32>,
}

/// A trained TinyVGG and the last image's trace through it.
#[wasm_bindgen]
pub struct Explainer {
    model: Cnn,
    /// Every layer's input, then the logits, for the image last shown.
    maps: Vec<Tensor>,
    tests: Option<TestSet>,
}

#[wasm_bindgen]
impl Explainer {
    /// TinyVGG with the weights of a safetensors file the `cnn` binary wrote,
    /// checked by `cnn::checkpoint` (model, dataset, classes, input size).
    #[wasm_bindgen(constructor)]
    pub fn new(weights: &[u8]) -> Result<Explainer, String> {
        let path = Path::new("tinyvgg.safetensors");
        let file = checkpoint::parse(weights, path).map_err(|e| e.to_string())?;
        let data = dataset(&[]);
        let mut model = Model::TinyVgg.build(
            data.shape,
            data.classes.len(),
            &mut StdRng::seed_from_u64(0),
        );
        checkpoint::load(&mut model, &file, path, &data, false)
            .map_err(|e| e.to_string())?;
        Ok(Explainer {
            model,
            maps: Vec::new(),
            tests: None,
        })
    }

    /// The class names, one per line.
    pub fn classes(&self) -> String {
        FASHION_MNIST_CLASSES.join("\n")
    }

    /// The number of trainable numbers.
    pub fn parameter_count(&mut self) -> u32 {
        self.model.parameter_count() as u32
    }

    /// The logits (n × 10, row by row) of n images of 28 × 28 bytes, in one
    /// batch, as `cnn::train::evaluate` computes them.
    pub fn logits(&mut self, images: &[u8]) -> Vec<f32> {
        let data = dataset(images);
        let all: Vec<usize> = (0..data.len()).collect();
        let (x, _) = data.batch(&all);
        self.model.forward(&x, Mode::Eval).into_vec()
    }

    /// Runs one 28 × 28 image (bytes, 0 is black) and keeps every layer's
    /// output; returns the class probabilities (softmax of the logits).
    pub fn show(&mut self, image: &[u8]) -> Vec<f32> {
        let (x, _) = dataset(image).batch(&[0]);
        let trace = self.model.forward_trace(&x, Mode::Eval);
        self.maps = trace.inputs;
        self.maps.push(trace.output);
        let logits = self.maps.last().expect("the logits").data().to_vec();
        let row = mlp::Matrix::from_row_slice(1, logits.len(), &logits);
        losses::softmax(&row).as_slice().to_vec()
    }

    /// The number of layers.
    pub fn layer_count(&self) -> u32 {
        self.model.layers.len() as u32
    }

    /// Layer `k`'s PyTorch name (`block_1.0`, …) and kind (conv, relu, maxpool,
    /// flatten, linear), as `name kind`.
    pub fn layer(&self, k: u32) -> String {
        let (name, layer) = &self.model.layers[k as usize];
        let kind = match layer {
            Layer::Conv(_) => "conv",
            Layer::BatchNorm(_) => "batchnorm",
            Layer::Relu => "relu",
            Layer::MaxPool(_) => "maxpool",
            Layer::Flatten => "flatten",
            Layer::Linear(_) => "linear",
        };
        format!("{name} {kind}")
    }

    /// The shape (channels, height, width) of map `k`: 0 is the input image,
    /// k the output of layer k − 1. Empty before [`Explainer::show`].
    pub fn map_shape(&self, k: u32) -> Vec<u32> {
        self.maps
            .get(k as usize)
            .map(|t| t.shape()[1..].iter().map(|&s| s as u32).collect())
            .unwrap_or_default()
    }

    /// Map `k`'s values, channel by channel, row by row.
    pub fn map(&self, k: u32) -> Vec<f32> {
        self.maps
            .get(k as usize)
            .map(|t| t.data().to_vec())
            .unwrap_or_default()
    }

    /// How layer `k` computed output pixel (`row`, `col`) of channel `c`: for a
    /// convolution, [C_in, K, K, the C_in × K × K input window (zeros in the
    /// padding), the kernel, the bias, Σ window ⊙ kernel + bias, the output];
    /// for max-pooling, [1, K, K, the K × K window of channel c, the output].
    /// Empty for other layers or outside the map.
    pub fn window(&self, k: u32, c: u32, row: u32, col: u32) -> Vec<f32> {
        let (k, c, row, col) = (k as usize, c as usize, row as usize, col as usize);
        let (Some(input), Some(output)) = (self.maps.get(k), self.maps.get(k + 1))
        else {
            return Vec::new();
        };
        let [_, c_in, h, w] = input.shape();
        let [_, c_out, h_out, w_out] = output.shape();
        if c >= c_out || row >= h_out || col >= w_out {
            return Vec::new();
        }
        // The input pixel under tap (u, v) of a window at stride s, padding p.
        let at = |ch: usize, s: usize, p: usize, u: usize, v: usize| -> f32 {
            let (i, j) =
                ((row * s + u).wrapping_sub(p), (col * s + v).wrapping_sub(p));
            if i < h && j < w {
                input.at(0, ch, i, j)
            } else {
                0.0
            }
        };
        let out = output.at(0, c, row, col);
        match &self.model.layers[k].1 {
            Layer::Conv(conv) => {
                let [_, _, kh, kw] = conv.weight.shape();
                let (s, p) = (conv.spec.stride, conv.spec.padding);
                let mut window = Vec::with_capacity(c_in * kh * kw);
                let mut kernel = Vec::with_capacity(c_in * kh * kw);
                for ch in 0..c_in {
                    for u in 0..kh {
                        for v in 0..kw {
                            window.push(at(ch, s, p, u, v));
                            kernel.push(conv.weight.at(c, ch, u, v));
                        }
                    }
                }
                let bias = conv.bias.as_ref().map_or(0.0, |b| b[c]);
                let sum =
                    window.iter().zip(&kernel).map(|(a, b)| a * b).sum::<f32>()
                        + bias;
                let mut v = vec![c_in as f32, kh as f32, kw as f32];
                v.extend(window);
                v.extend(kernel);
                v.extend([bias, sum, out]);
                v
            }
            Layer::MaxPool(pool) => {
                let kk = pool.kernel;
                let mut v = vec![1.0, kk as f32, kk as f32];
                for u in 0..kk {
                    for x in 0..kk {
                        v.push(at(c, pool.stride, 0, u, x));
                    }
                }
                v.push(out);
                v
            }
            _ => Vec::new(),
        }
    }

    /// Reads the test images the build exported (`tinyvgg_test.safetensors`:
    /// `images` U8 n × 1 × 28 × 28, `labels` U8 n, `logits` F32 n × 10, the
    /// native build's); returns n.
    pub fn load_tests(&mut self, bytes: &[u8]) -> Result<u32, String> {
        let file = safetensors::SafeTensors::deserialize(bytes)
            .map_err(|e| e.to_string())?;
        let get = |name: &str| {
            file.tensor(name)
                .map(|t| t.data().to_vec())
                .map_err(|e| format!("test images: {e}"))
        };
        let (images, labels, raw) = (get("images")?, get("labels")?, get("logits")?);
        let n = labels.len();
        if images.len() != n * 784 || raw.len() != n * 10 * 4 {
            return Err(format!(
                "test images: {} bytes of images, {} of logits for {n} labels",
                images.len(),
                raw.len()
            ));
        }
        let logits = raw
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        self.tests = Some(TestSet {
            images,
            labels,
            logits,
        });
        Ok(n as u32)
    }

    /// The test images, 784 bytes each.
    pub fn test_images(&self) -> Vec<u8> {
        self.tests
            .as_ref()
            .map(|t| t.images.clone())
            .unwrap_or_default()
    }

    /// The test labels.
    pub fn test_labels(&self) -> Vec<u8> {
        self.tests
            .as_ref()
            .map(|t| t.labels.clone())
            .unwrap_or_default()
    }

    /// The native build's logits of the test images, n × 10.
    pub fn native_logits(&self) -> Vec<f32> {
        self.tests
            .as_ref()
            .map(|t| t.logits.clone())
            .unwrap_or_default()
    }
}

/// The test-image file [`Explainer::load_tests`] reads, from images (784 bytes
/// each), their labels and their logits.
pub fn test_file(
    images: &[u8],
    labels: &[u8],
    logits: &[f32],
) -> Result<Vec<u8>, String> {
    use safetensors::tensor::TensorView;
    use safetensors::Dtype;
    let n = labels.len();
    let raw: Vec<u8> = logits.iter().flat_map(|v| v.to_le_bytes()).collect();
    let views = [
        (
            "images",
            TensorView::new(Dtype::U8, vec![n, 1, 28, 28], images),
        ),
        ("labels", TensorView::new(Dtype::U8, vec![n], labels)),
        ("logits", TensorView::new(Dtype::F32, vec![n, 10], &raw)),
    ]
    .into_iter()
    .map(|(name, v)| v.map(|v| (name, v)))
    .collect::<Result<Vec<_>, _>>()
    .map_err(|e| e.to_string())?;
    let meta = [("classes", FASHION_MNIST_CLASSES.join(","))];
    safetensors::tensor::serialize(views, Some(crate::metadata(&meta)))
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explainer() -> Explainer {
        let data = dataset(&[]);
        let model =
            Model::TinyVgg.build([1, 28, 28], 10, &mut StdRng::seed_from_u64(5));
        Explainer::new(&checkpoint::to_bytes(&model, &data)).unwrap()
    }

    fn image(seed: u8) -> Vec<u8> {
        (0..784u32)
            .map(|i| ((i * 7 + u32::from(seed) * 13) % 251) as u8)
            .collect()
    }

    #[test]
    fn loads_a_checkpoint_and_keeps_every_map() {
        let mut e = explainer();
        assert_eq!(e.parameter_count(), 7_740);
        let probs = e.show(&image(1));
        assert!((probs.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        assert_eq!(e.layer_count(), 12);
        assert_eq!(e.layer(0), "block_1.0 conv");
        assert_eq!(e.map_shape(0), [1, 28, 28]);
        assert_eq!(e.map_shape(5), [10, 14, 14]);
        assert_eq!(e.map_shape(12), [10, 1, 1]);
        // The batch and the single image agree.
        let mut both = image(1);
        both.extend(image(2));
        let logits = e.logits(&both);
        assert_eq!(logits.len(), 20);
        assert_eq!(&logits[..10], e.map(12).as_slice());
        assert!(Explainer::new(b"not a checkpoint").is_err());
    }

    #[test]
    fn a_window_adds_up_to_its_output_pixel() {
        let mut e = explainer();
        e.show(&image(3));
        for (k, c, row, col) in [(0, 2, 0, 0), (2, 9, 13, 27), (5, 4, 7, 0)] {
            let v = e.window(k, c, row, col);
            let n = (v[0] * v[1] * v[2]) as usize;
            assert_eq!(v.len(), 3 + 2 * n + 3, "layer {k}");
            let (sum, out) = (v[3 + 2 * n + 1], v[3 + 2 * n + 2]);
            assert!(
                (sum - out).abs() < 1e-4 * (1.0 + out.abs()),
                "layer {k}: {sum} vs {out}"
            );
        }
        // Top-left pixel with padding 1: the first row and column are zeros.
        let v = e.window(0, 0, 0, 0);
        assert_eq!(&v[3..6], &[0.0, 0.0, 0.0]);
        let pool = e.window(4, 1, 3, 3);
        let max = pool[3..7].iter().copied().fold(f32::MIN, f32::max);
        assert_eq!(max, pool[7]);
        assert!(e.window(1, 0, 0, 0).is_empty());
        assert!(e.window(0, 10, 0, 0).is_empty());
    }

    #[test]
    fn the_test_file_round_trips() {
        let images: Vec<u8> = [image(1), image(2)].concat();
        let logits: Vec<f32> = (0..20).map(|i| i as f32 / 3.0).collect();
        let bytes = test_file(&images, &[3, 7], &logits).unwrap();
        let mut e = explainer();
        assert_eq!(e.load_tests(&bytes), Ok(2));
        assert_eq!(e.test_images(), images);
        assert_eq!(e.test_labels(), [3, 7]);
        assert_eq!(e.native_logits(), logits);
    }
}
