//! `cargo run --release -p solutions --bin loss-surface -- --help`: see `solutions::demos::loss_surface`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    solutions::exit(solutions::demos::loss_surface::run(
        solutions::demos::loss_surface::Args::parse(),
    ))
}
