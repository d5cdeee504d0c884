//! Section 8, *Redes convolucionales*: convolution and max-pooling by direct loops.

pub mod backward;
pub mod forward;
pub mod pool;

/// This copy's answers, as the grader sees them.
pub fn answers() -> grader::conv::Answers {
    grader::conv::Answers {
        conv2d_forward: forward::conv2d_forward,
        conv2d_backward: backward::conv2d_backward,
        max_pool_forward: pool::max_pool_forward,
        max_pool_backward: pool::max_pool_backward,
        source: grader::Source::new(env!("CARGO_MANIFEST_DIR")),
    }
}
