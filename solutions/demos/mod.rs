//! The demos' code, one module per binary in `solutions/bin/`, so that the
//! hands-on binary can run several of them in a row.

pub mod cnn;
pub mod sine;
