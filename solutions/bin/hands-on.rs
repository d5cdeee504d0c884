//! `cargo run --release -p solutions --bin hands-on`: the lecture's hands-on end
//! to end on the embedded data — the sin(x) fit, then TinyVGG on the embedded
//! Fashion-MNIST subset — with every figure written under `out/`.

fn main() -> std::process::ExitCode {
    use solutions::demos::{cnn, sine};
    println!("== Hands-on 1: approximating sin(x) ==\n");
    let sine = sine::run(clap::Parser::parse_from(["sine"]));
    if sine.is_err() {
        return solutions::exit(sine);
    }
    println!("\n== Hands-on 2: classifying images with a CNN (TinyVGG, embedded Fashion-MNIST) ==\n");
    solutions::exit(cnn::run(cnn::Args::defaults()))
}
