//! Section 2, *El perceptrón*: the linear classifier and Rosenblatt's rule.

pub mod linear;
pub mod rosenblatt;

/// This copy's answers, as the grader sees them.
pub fn answers() -> grader::perceptron::Answers {
    grader::perceptron::Answers {
        linear_forward: linear::linear_forward,
        rosenblatt_update: rosenblatt::rosenblatt_update,
        source: grader::Source::new(env!("CARGO_MANIFEST_DIR")),
    }
}
