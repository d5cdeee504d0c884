//! `cargo run --release -p solutions --bin linear-collapse -- --help`: see `solutions::demos::linear_collapse`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    solutions::exit(solutions::demos::linear_collapse::run(
        solutions::demos::linear_collapse::Args::parse(),
    ))
}
