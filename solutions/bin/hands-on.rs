//! `cargo run -p solutions --bin hands-on`: the lecture's hands-on end
//! to end on the embedded data — the sin(x) fit, then TinyVGG on the embedded
//! Fashion-MNIST subset — with every figure written under `out/`.

use clap::Parser;
use std::ffi::OsString;
use std::path::PathBuf;

/// The options.
#[derive(Parser, Debug)]
#[command(
    name = "hands-on",
    about = "The lecture's hands-on on the embedded data: the sin(x) fit (the sine \
             demo), then TinyVGG on Fashion-MNIST (the cnn demo), each with its defaults"
)]
struct Args {
    /// Seed for both parts. Default: each demo's own (sine 1, cnn 0), the runs
    /// the book quotes.
    #[arg(long)]
    seed: Option<u64>,
    /// Folder for the outputs: the sine demo's under <out>/sine, the cnn demo's
    /// under <out>/cnn.
    #[arg(long, default_value = "out")]
    out: PathBuf,
}

fn main() -> std::process::ExitCode {
    use solutions::demos::{cnn, sine};
    let args = Args::parse();
    // Each demo's own command line, with the folder and the seed passed on.
    let with = |name: &str, out: PathBuf| {
        let mut argv: Vec<OsString> = vec![name.into(), "--out".into(), out.into()];
        if let Some(seed) = args.seed {
            argv.extend(["--seed".into(), seed.to_string().into()]);
        }
        argv
    };
    solutions::say!("== Hands-on 1: approximating sin(x) ==\n");
    let sine =
        sine::run(sine::Args::parse_from(with("sine", args.out.join("sine"))));
    if sine.is_err() {
        return solutions::exit(sine);
    }
    solutions::say!("\n== Hands-on 2: classifying images with a CNN (TinyVGG, embedded Fashion-MNIST) ==\n");
    let cnn = cnn::Args::parse_from(with("cnn", args.out.join("cnn")));
    solutions::exit(cnn::run(cnn))
}
