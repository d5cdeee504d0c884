//! `cargo run --release -p solutions --bin cnn -- …`: the course's CNN hands-on.

use clap::Parser;

fn main() -> std::process::ExitCode {
    solutions::exit(solutions::demos::cnn::run(
        solutions::demos::cnn::Args::parse(),
    ))
}
