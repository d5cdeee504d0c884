//! `sigmoid` answered by the library, imported under another name.

use activations::sigmoid as logistic;

/// σ(x), by calling the library.
pub fn sigmoid(x: f32) -> f32 {
    logistic(x)
}
