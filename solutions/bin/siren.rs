//! `cargo run --release -p solutions --bin siren -- --help`: see `solutions::demos::siren`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    solutions::exit(solutions::demos::siren::run(
        solutions::demos::siren::Args::parse(),
    ))
}
