//! Wrong answers that call the library's own answer: every property test
//! passes, and the library-call scan must say so. The files mirror the
//! exercises' paths (`losses/mse.rs`, …), so that [`SOURCE`] is a copy the
//! grader reads exactly as it reads `exercises/` or `solutions/`.

/// This folder, as a copy of the exercises' files.
pub const SOURCE: grader::Source =
    grader::Source::new(concat!(env!("CARGO_MANIFEST_DIR"), "/wrong/library"));

/// `activations/sigmoid.rs`.
pub mod activations {
    pub mod sigmoid;
}

/// `cnn/train_epoch.rs`.
pub mod cnn {
    pub mod train_epoch;
}

/// `conv/forward.rs`.
pub mod conv {
    pub mod forward;
}

/// `losses/mse.rs`.
pub mod losses {
    pub mod mse;
}

/// `perceptron/rosenblatt.rs`.
pub mod perceptron {
    pub mod rosenblatt;
}
