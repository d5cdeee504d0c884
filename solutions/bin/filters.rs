//! `cargo run --release -p solutions --bin filters -- --help`: see `solutions::demos::filters`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    solutions::exit(solutions::demos::filters::run(
        solutions::demos::filters::Args::parse(),
    ))
}
