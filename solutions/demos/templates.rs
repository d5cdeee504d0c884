//! The lecture's "interpretación de W": a linear classifier p = softmax(x·W + b)
//! trained on images; each class's column of W, seen as an image, is a template.

use crate::plot::{picture_grid, Picture};
use crate::say;
use clap::Parser;
use cnn::data::{self, Dataset};
use perceptron::{LinearClassifier, Matrix};
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::path::PathBuf;

/// Options.
#[derive(Parser, Debug, Clone)]
#[command(
    name = "templates",
    about = "Train the linear classifier and draw its class templates"
)]
pub struct Args {
    /// Folder for the figure.
    #[arg(long, default_value = "out/templates")]
    pub out: PathBuf,
    /// Seed for the weights and the batches.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// A CIFAR-10 folder to use instead of the embedded Fashion-MNIST subset.
    #[arg(long)]
    pub cifar: Option<PathBuf>,
    /// Epochs of mini-batch gradient descent.
    #[arg(long, default_value_t = 10)]
    pub epochs: usize,
    /// Learning rate.
    #[arg(long, default_value_t = 0.05)]
    pub lr: f32,
    /// Use only the first N training images.
    #[arg(long)]
    pub train_limit: Option<usize>,
}

fn matrix(data: &Dataset, indices: &[usize]) -> (Matrix, Vec<usize>) {
    let (x, y) = data.batch(indices);
    let d = data.image_len();
    (Matrix::from_row_slice(indices.len(), d, x.data()), y)
}

/// Trains, evaluates, draws.
pub fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    crate::check_lr("--lr", args.lr)?;
    if args.train_limit == Some(0) {
        return Err("--train-limit 0 leaves no image to train on: pass at least 1, or leave it out for all of them".into());
    }
    let mut split = match &args.cifar {
        Some(dir) => data::cifar::load_dir(dir)?,
        None => data::embedded_fashion_mnist(),
    };
    if let Some(n) = args.train_limit {
        split.train = split.train.take(n);
    }
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let [c, h, w] = split.train.shape;
    let mut rng = StdRng::seed_from_u64(args.seed);
    let mut clf =
        LinearClassifier::new(c * h * w, split.train.classes.len(), &mut rng);
    for epoch in 0..args.epochs {
        let batches = sgd::batches(split.train.len(), 64, &mut rng);
        let loss = sgd::run_epoch(epoch, args.epochs, &batches, |b| {
            let (x, y) = matrix(&split.train, b);
            clf.train_step(&x, &y, args.lr)
        })?;
        let _ = loss;
    }
    let all: Vec<usize> = (0..split.test.len()).collect();
    let (x, y) = matrix(&split.test, &all);
    let accuracy = clf.accuracy(&x, &y);
    say!(
        "linear classifier on {}: test accuracy {:.2} %",
        split.test.name,
        accuracy * 100.0
    );
    let pictures: Vec<Picture> = split
        .train
        .classes
        .iter()
        .enumerate()
        .map(|(k, name)| Picture {
            caption: name.clone(),
            channels: c,
            height: h,
            width: w,
            pixels: clf.template(k),
        })
        .collect();
    let path = args.out.join("templates.png");
    let title = format!(
        "Columns of W as images (linear classifier, {:.1} % test accuracy)",
        accuracy * 100.0
    );
    picture_grid(&path, &title, &pictures, 5, 140)?;
    say!("wrote {}", path.display());
    Ok(())
}
