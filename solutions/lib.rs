//! The solved copies of `exercises/`, path for path, and the instructor's demos
//! (`solutions/bin/`, run with `cargo run --release -p solutions --bin <demo>`).
//!
//! Look here only when stuck: the grader's hint usually says enough.

pub mod activations;
pub mod backprop;
pub mod conv;
pub mod demos;
pub mod losses;
pub mod mlp;
pub mod perceptron;
pub mod plot;
pub mod sgd;
pub mod wrong;

/// Every section's solved answers, in lecture order, as gradeable sections.
pub fn sections() -> Vec<grader::Section> {
    vec![
        grader::perceptron::exercises(perceptron::answers()),
        grader::mlp::exercises(mlp::answers()),
        grader::activations::exercises(activations::answers()),
        grader::losses::exercises(losses::answers()),
        grader::backprop::exercises(backprop::answers()),
        grader::sgd::exercises(sgd::answers()),
        grader::conv::exercises(conv::answers()),
    ]
}

/// Ends a demo: prints the error, if any, as one line and sets the exit code.
pub fn exit(
    result: Result<(), Box<dyn std::error::Error>>,
) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
