//! The demos' code, one module per binary in `solutions/bin/`, so that the
//! hands-on binary can run several of them in a row and tests can call them.

pub mod activations;
pub mod cnn;
pub mod concept_unit;
pub mod filters;
pub mod fitting;
pub mod linear_collapse;
pub mod loss_surface;
pub mod mlp;
pub mod playground;
pub mod sine;
pub mod siren;
pub mod templates;
