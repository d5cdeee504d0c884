//! `cargo run --release -p solutions --bin concept-unit -- --help`: see `solutions::demos::concept_unit`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    solutions::exit(solutions::demos::concept_unit::run(
        solutions::demos::concept_unit::Args::parse(),
    ))
}
