//! `cargo run --release -p solutions --bin templates -- --help`: see `solutions::demos::templates`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    solutions::exit(solutions::demos::templates::run(
        solutions::demos::templates::Args::parse(),
    ))
}
