//! `cargo run --release -p solutions --bin sine`: the course's sin(x) hands-on.

use clap::Parser;

fn main() -> std::process::ExitCode {
    solutions::exit(solutions::demos::sine::run(
        solutions::demos::sine::Args::parse(),
    ))
}
