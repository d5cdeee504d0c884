//! `cargo run --release -p solutions --bin mlp -- --help`: the course's MLP with the
//! CNN hands-on's options (`--model` defaults to mlp).

fn main() -> std::process::ExitCode {
    solutions::exit(solutions::demos::mlp::run(solutions::demos::mlp::parse()))
}
