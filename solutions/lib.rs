//! The solved copies of `exercises/`, path for path, and the instructor's demos
//! (`solutions/bin/`, run with `cargo run --release -p solutions --bin <demo>`).
//!
//! Look here only when stuck: the grader's hint usually says enough.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

pub mod activations;
pub mod backprop;
pub mod cnn;
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
        grader::cnn::exercises(cnn::answers()),
    ]
}

/// Ends a demo: prints the error, if any, as one line and sets the exit code.
pub fn exit(
    result: Result<(), Box<dyn std::error::Error>>,
) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            warn(format_args!("error: {e}"));
            std::process::ExitCode::FAILURE
        }
    }
}

/// Whether standard output was found closed; from then on nothing is printed.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Prints a line on standard output. Unlike `println!`, a closed output
/// (`cnn | head -4`, a reader that went away) is no reason to stop: printing
/// stops, and the run goes on to write its files.
pub fn say_line(line: std::fmt::Arguments<'_>) {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    if writeln!(std::io::stdout().lock(), "{line}").is_err() {
        STDOUT_CLOSED.store(true, Ordering::Relaxed);
    }
}

/// Prints a line on standard error, ignoring a closed one (as [`say_line`]).
pub fn warn(line: std::fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// `println!` for the demos: see [`say_line`].
#[macro_export]
macro_rules! say {
    () => {
        $crate::say_line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::say_line(format_args!($($arg)*))
    };
}

/// A learning rate must be a positive number: NaN, 0 or a negative one is
/// refused before training, instead of being told later to "lower" it.
pub fn check_lr(flag: &str, lr: f32) -> Result<(), String> {
    if lr.is_finite() && lr > 0.0 {
        Ok(())
    } else {
        Err(format!(
            "{flag} {lr} is not a learning rate: pass a positive number"
        ))
    }
}

/// The widest hidden layer a demo builds: two such layers in a row hold
/// 4096² ≈ 16.8 M weights (64 MB, with gradients and Adam's moments 256 MB).
pub const MAX_WIDTH: usize = 4096;

/// Refuses a layer width that would not fit in memory, before allocating.
pub fn check_width(flag: &str, width: usize) -> Result<(), String> {
    if width > MAX_WIDTH {
        let gb = (width as f64).powi(2) * 4.0 / 1e9;
        return Err(format!(
            "{flag} {width} is more than {MAX_WIDTH}: a layer from {width} to {width} units holds {width}² weights, {gb:.0} GB in f32 before its gradients and the optimizer's state; pass a smaller {flag}"
        ));
    }
    Ok(())
}
