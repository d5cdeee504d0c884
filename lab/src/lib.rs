//! The book's lab: three interactive pages that run this workspace's own crates,
//! compiled to WebAssembly (`wasm32-unknown-unknown`) by `lab/build.sh`.
//!
//! - [`Playground`]: TensorFlow Playground's experiment, an `mlp::Mlp` trained
//!   by `sgd::Sgd` on `losses`' cross-entropy or MSE ([`datasets`] draws the
//!   points);
//! - [`Sine`]: the sine hands-on, `backprop::TwoLayerTanh` by gradient descent
//!   beside an `Mlp` trained by `sgd::Adam`;
//! - [`Explainer`]: CNN Explainer in small, the `cnn` crate's TinyVGG with the
//!   weights the `cnn` binary trained, every layer's feature maps kept.
//!
//! The JavaScript beside the pages (`book/src/lab/*.js`) only reads the
//! controls and draws what these types return; the network, the loss, the
//! optimiser and the convolution are the crates'. Everything here also builds
//! natively, where its tests run.

pub mod datasets;
mod explainer;
mod playground;
mod sine;

pub use explainer::{test_file, Explainer};
pub use playground::{Playground, MAX_LAYERS, MAX_NEURONS};
pub use sine::{sine_data, Sine};

/// The metadata map of `safetensors::tensor::serialize`, whatever map type
/// that crate's build uses (the standard one, or hashbrown's without `std`).
pub(crate) fn metadata<M: Default + Extend<(String, String)>>(
    pairs: &[(&str, String)],
) -> M {
    let mut m = M::default();
    m.extend(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())));
    m
}
