//! `cargo run --release -p solutions --bin activations -- --help`: see `solutions::demos::activations`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    solutions::exit(solutions::demos::activations::run(
        solutions::demos::activations::Args::parse(),
    ))
}
