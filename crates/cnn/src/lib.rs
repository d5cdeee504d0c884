//! Lecture section 8, hands-on: *clasificación de imágenes con una red neuronal
//! convolucional*, in the lecture's five steps.
//!
//! 1. **Data** ([`data`]): Fashion-MNIST and MNIST in the idx format, CIFAR-10 in
//!    its binary format (with a downloader), a real Fashion-MNIST subset embedded
//!    in the crate; images kept as bytes and normalised to [−1, 1] per batch.
//! 2. **Architecture** ([`models`]): the course's ConvolutionalModel (10 458
//!    parameters), TinyVGG (7 740) and MLP, built from the [`layers`]: convolution
//!    and max-pooling from `conv`, batch normalisation, ReLU, flatten, and the
//!    `Dense` layer of `backprop`.
//! 3. **Loss and optimizer**: softmax cross-entropy from `losses`, SGD with
//!    momentum or Adam from `sgd`.
//! 4. **Training loop** ([`train`]): seeded mini-batches behind a tqdm-like bar.
//! 5. **Evaluation** ([`train::evaluate`]): accuracy on the *test* set, per class,
//!    and a confusion matrix.
//!
//! Trained weights are saved as safetensors ([`checkpoint`]) with PyTorch's names
//! and layouts; every output is written whole or not at all ([`output`]).

pub mod checkpoint;
pub mod data;
mod error;
pub mod layers;
#[allow(unsafe_code)] // Two mallopt calls, justified in the module.
#[cfg(not(target_arch = "wasm32"))] // No allocator to tune in a browser.
pub mod memory;

pub mod models;
#[cfg(not(target_arch = "wasm32"))] // Files: none in a browser.
pub mod output;
pub mod steps;
pub mod train;

pub use conv::Tensor;
pub use error::Error;
pub use layers::{Cnn, Layer};
