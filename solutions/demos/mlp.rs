//! The course's MLP (784 → 200 → 200 → 10 on Fashion-MNIST, 3072 → 200 → 200 → 10
//! on CIFAR-10) with the CNN hands-on's progress bars and evaluation.

use clap::Parser;

/// Runs the CNN hands-on with `--model mlp` unless another model is given.
pub fn run(mut args: super::cnn::Args) -> Result<(), Box<dyn std::error::Error>> {
    args.model.get_or_insert(cnn::models::Model::Mlp);
    if args.out == std::path::Path::new("out/cnn") {
        args.out = "out/mlp".into();
    }
    super::cnn::run(args)
}

/// The options, parsed as the `mlp` binary's.
pub fn parse() -> super::cnn::Args {
    super::cnn::Args::parse()
}
