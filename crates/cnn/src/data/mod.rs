//! Step 1 of the hands-on, the data: labelled images kept as bytes, turned into
//! normalised tensors one batch at a time.
//!
//! - [`idx`]: the idx format of MNIST and Fashion-MNIST (gzipped or raw);
//! - [`cifar`]: CIFAR-10's binary format;
//! - [`download`]: fetching and checking CIFAR-10;
//! - [`embedded_fashion_mnist`]: 6 000 + 1 000 real Fashion-MNIST images compiled
//!   into the crate, so the hands-on runs with no download.

pub mod cifar;
#[cfg(not(target_arch = "wasm32"))]
pub mod download;
pub mod idx;

use crate::Tensor;
use rand::seq::SliceRandom;
use rand::Rng;

/// Fashion-MNIST's classes, in label order.
pub const FASHION_MNIST_CLASSES: [&str; 10] = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
];

/// MNIST's classes: the digits.
pub const MNIST_CLASSES: [&str; 10] =
    ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/// CIFAR-10's classes, in label order.
pub const CIFAR10_CLASSES: [&str; 10] = [
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
];

/// Labelled images, each stored as C × H × W bytes (0–255).
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// What it is, for messages (e.g. `Fashion-MNIST train`).
    pub name: String,
    /// The dataset it is part of (`Fashion-MNIST`, `MNIST`, `CIFAR-10`), which a
    /// checkpoint records so that it is not used on another.
    pub source: String,
    /// Every image's bytes, one after another.
    pub images: Vec<u8>,
    /// One label per image, below `classes.len()`.
    pub labels: Vec<u8>,
    /// Channels, height, width of one image.
    pub shape: [usize; 3],
    /// The class names, in label order.
    pub classes: Vec<String>,
}

impl Dataset {
    /// The number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Bytes per image.
    pub fn image_len(&self) -> usize {
        self.shape.iter().product()
    }

    /// The bytes of image `i`.
    pub fn image(&self, i: usize) -> &[u8] {
        &self.images[i * self.image_len()..(i + 1) * self.image_len()]
    }

    /// The images at `indices` as an N × C × H × W tensor normalised to [−1, 1]
    /// (x/255 − 0.5)/0.5, as the course's `Normalize((0.5,), (0.5,))`, and their
    /// labels.
    pub fn batch(&self, indices: &[usize]) -> (Tensor, Vec<usize>) {
        let [c, h, w] = self.shape;
        let mut data = Vec::with_capacity(indices.len() * self.image_len());
        for &i in indices {
            data.extend(self.image(i).iter().map(|&b| f32::from(b) / 127.5 - 1.0));
        }
        let labels = indices
            .iter()
            .map(|&i| usize::from(self.labels[i]))
            .collect();
        (Tensor::from_vec([indices.len(), c, h, w], data), labels)
    }

    /// The first `n` images (all of them if there are fewer).
    pub fn take(&self, n: usize) -> Dataset {
        let n = n.min(self.len());
        Dataset {
            name: self.name.clone(),
            source: self.source.clone(),
            images: self.images[..n * self.image_len()].to_vec(),
            labels: self.labels[..n].to_vec(),
            shape: self.shape,
            classes: self.classes.clone(),
        }
    }

    /// A random subset of `n` images, drawn with `rng`.
    pub fn sample(&self, n: usize, rng: &mut impl Rng) -> Dataset {
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.shuffle(rng);
        order.truncate(n.min(self.len()));
        order.sort_unstable();
        let mut images = Vec::with_capacity(order.len() * self.image_len());
        for &i in &order {
            images.extend_from_slice(self.image(i));
        }
        Dataset {
            name: self.name.clone(),
            source: self.source.clone(),
            images,
            labels: order.iter().map(|&i| self.labels[i]).collect(),
            shape: self.shape,
            classes: self.classes.clone(),
        }
    }
}

/// A training and a test set.
#[derive(Clone, Debug)]
pub struct Split {
    /// To learn from.
    pub train: Dataset,
    /// To measure on, never trained on.
    pub test: Dataset,
}

/// The embedded Fashion-MNIST subset: the first 6 000 training and 1 000 test
/// images of the official files (MIT licence, Zalando Research).
pub fn embedded_fashion_mnist() -> Split {
    const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/fashion-mnist");
    let read = |name: &str, bytes: &[u8]| {
        idx::parse(bytes, std::path::Path::new(&format!("{DIR}/{name}")))
            .expect("the embedded files are valid idx")
    };
    let images = |name, bytes| read(name, bytes);
    let train_images = images(
        "train-images-idx3-ubyte.gz",
        include_bytes!("../../data/fashion-mnist/train-images-idx3-ubyte.gz"),
    );
    let train_labels = read(
        "train-labels-idx1-ubyte.gz",
        include_bytes!("../../data/fashion-mnist/train-labels-idx1-ubyte.gz"),
    );
    let test_images = images(
        "t10k-images-idx3-ubyte.gz",
        include_bytes!("../../data/fashion-mnist/t10k-images-idx3-ubyte.gz"),
    );
    let test_labels = read(
        "t10k-labels-idx1-ubyte.gz",
        include_bytes!("../../data/fashion-mnist/t10k-labels-idx1-ubyte.gz"),
    );
    let make = |name: &str, images: idx::Idx, labels: idx::Idx| {
        idx::labelled(
            name,
            "Fashion-MNIST",
            images,
            labels,
            &FASHION_MNIST_CLASSES,
            (std::path::Path::new(DIR), std::path::Path::new(DIR)),
        )
        .expect("the embedded files agree")
    };
    Split {
        train: make(
            "Fashion-MNIST train (embedded subset)",
            train_images,
            train_labels,
        ),
        test: make(
            "Fashion-MNIST test (embedded subset)",
            test_images,
            test_labels,
        ),
    }
}
