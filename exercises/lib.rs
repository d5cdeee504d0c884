//! The exercises: one folder per lecture section, each function a stub to fill in.
//!
//! Replace a `todo!()` with your code, then grade the section with
//! `cargo test -p <section>` (e.g. `cargo test -p backprop`). See every section's
//! progress with `cargo run -p exercises --bin progress`. The solved copies are in
//! `solutions/`, at the same paths; look there only when stuck.

// Until a stub is written its parameters are unused, and so are the imports the
// solution will need: that is expected here, not a mistake to warn about.
#![allow(
    unused_variables,
    unused_imports,
    unused_mut,
    clippy::diverging_sub_expression
)]

pub mod activations;
pub mod backprop;
pub mod cnn;
pub mod conv;
pub mod losses;
pub mod mlp;
pub mod perceptron;
pub mod sgd;

/// Every section's answers in this copy, in lecture order, as gradeable sections.
pub fn sections() -> Vec<grader::Section> {
    vec![
        grader::perceptron::exercises(perceptron::answers()),
        grader::mlp::exercises(mlp::answers()),
        grader::activations::exercises(activations::answers()),
        grader::losses::exercises(losses::answers()),
        grader::backprop::exercises(backprop::answers()),
        grader::sgd::exercises(sgd::answers()),
        grader::conv::exercises(conv::answers()),
        grader::cnn::exercises(cnn::answers()),
    ]
}
