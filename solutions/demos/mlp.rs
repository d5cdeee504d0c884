//! The course's MLP (784 → 200 → 200 → 10 on Fashion-MNIST, 3072 → 200 → 200 → 10
//! on CIFAR-10) with the CNN hands-on's progress bars and evaluation.

use clap::{CommandFactory, FromArgMatches};

/// Runs the CNN hands-on with `--model mlp` unless another model is given.
pub fn run(mut args: super::cnn::Args) -> Result<(), Box<dyn std::error::Error>> {
    args.model.get_or_insert(cnn::models::Model::Mlp);
    if args.out == std::path::Path::new("out/cnn") {
        args.out = "out/mlp".into();
    }
    super::cnn::run(args)
}

/// The `mlp` binary's command line: the CNN hands-on's options under its own
/// name, with the MLP and `out/mlp` as the defaults its help shows.
pub fn command() -> clap::Command {
    super::cnn::Args::command()
        .name("mlp")
        .bin_name("mlp")
        .about("Train and evaluate the course's MLP (the CNN hands-on's options)")
        .mut_arg("model", |a| {
            a.default_value("mlp").help(
                "The model: mlp (784 or 3072 → 200 → 200 → 10), or the CNN \
                 hands-on's convolutional or tinyvgg",
            )
        })
        .mut_arg("out", |a| a.default_value("out/mlp"))
}

/// The options, parsed as the `mlp` binary's.
pub fn parse() -> super::cnn::Args {
    let matches = command().get_matches();
    super::cnn::Args::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}
