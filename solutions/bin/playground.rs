//! `cargo run --release -p solutions --bin playground -- --help`: see `solutions::demos::playground`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    solutions::exit(solutions::demos::playground::run(
        solutions::demos::playground::Args::parse(),
    ))
}
