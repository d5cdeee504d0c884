//! `cargo run --release -p solutions --bin fitting -- --help`: see `solutions::demos::fitting`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    solutions::exit(solutions::demos::fitting::run(
        solutions::demos::fitting::Args::parse(),
    ))
}
