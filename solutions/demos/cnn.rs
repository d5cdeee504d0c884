//! The CNN hands-on: *clasificación de imágenes con una red neuronal
//! convolucional*, in the lecture's five steps — data, architecture, loss and
//! optimizer, training loop, evaluation — with the course's defaults.
//!
//! Trains (or, with `--eval`, only evaluates) one of the course's models on the
//! embedded Fashion-MNIST subset, the full Fashion-MNIST or MNIST, or CIFAR-10;
//! prints a tqdm-like bar and `Epoch [1/3], Average Loss: …` per epoch and the
//! test accuracy; at the end per-class accuracy and the confusion matrix; writes
//! loss and accuracy curves and the trained weights (safetensors) to `--out`.

use crate::plot::{line_chart_grid, Axes, Series, PALETTE};
use clap::{Parser, ValueEnum};
use cnn::data::{self, download, idx, Split};
use cnn::models::Model;
use cnn::{checkpoint, train, Cnn};
use rand::rngs::StdRng;
use rand::SeedableRng;
use sgd::{Adam, Optimizer, Sgd};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Where the Debian package `dataset-fashion-mnist` installs the full set.
pub const SYSTEM_FASHION_MNIST: &str = "/usr/share/datasets/fashion-mnist";

/// Which dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DatasetKind {
    /// Fashion-MNIST (28 × 28 grey, 10 kinds of clothes).
    FashionMnist,
    /// MNIST (28 × 28 grey digits).
    Mnist,
    /// CIFAR-10 (32 × 32 colour, 10 classes), binary version.
    Cifar10,
}

/// Which optimizer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OptimizerKind {
    /// SGD, with `--momentum`.
    Sgd,
    /// Adam with PyTorch's defaults and `--lr`.
    Adam,
}

/// The CNN hands-on's options.
#[derive(Parser, Debug, Clone)]
#[command(
    name = "cnn",
    about = "Train and evaluate the course's CNNs (the lecture's hands-on)"
)]
pub struct Args {
    /// The model: convolutional (the course's CIFAR-10 CNN), tinyvgg or mlp.
    /// Default: tinyvgg for Fashion-MNIST and MNIST, convolutional for CIFAR-10.
    #[arg(long)]
    pub model: Option<Model>,
    /// The dataset.
    #[arg(long, value_enum, default_value = "fashion-mnist")]
    pub dataset: DatasetKind,
    /// Where the data is: `embedded` (the 6 000 + 1 000 Fashion-MNIST images in the
    /// workspace), `full` (/usr/share/datasets/fashion-mnist, from Debian's
    /// dataset-fashion-mnist) or a folder.
    #[arg(long, default_value = "embedded")]
    pub data: String,
    /// CIFAR-10 only: download the archive (from this address, default the
    /// official one) into --data if it is not there yet.
    #[arg(long, num_args = 0..=1, default_missing_value = download::CIFAR10_URL)]
    pub download: Option<String>,
    /// The optimizer. Default: SGD.
    #[arg(long, value_enum, default_value = "sgd")]
    pub optimizer: OptimizerKind,
    /// Learning rate. Default: the course's for the model (TinyVGG 0.1, the
    /// CIFAR-10 CNN 0.001, the MLP 0.01; Adam 0.001).
    #[arg(long)]
    pub lr: Option<f32>,
    /// SGD momentum. Default: 0.9 for the CIFAR-10 CNN and the MLP, 0 for TinyVGG.
    #[arg(long)]
    pub momentum: Option<f32>,
    /// Mini-batch size. Default: 32 for TinyVGG, 64 otherwise.
    #[arg(long)]
    pub batch_size: Option<usize>,
    /// Epochs. Default: 3 for TinyVGG, 15 for the CIFAR-10 CNN, 10 for the MLP.
    #[arg(long)]
    pub epochs: Option<usize>,
    /// Seed for the weights and the shuffling.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Folder for the curves, the report and the weights.
    #[arg(long, default_value = "out/cnn")]
    pub out: PathBuf,
    /// Start from these weights (a .safetensors this program wrote).
    #[arg(long)]
    pub resume: Option<PathBuf>,
    /// Only evaluate these weights on the test set.
    #[arg(long)]
    pub eval: Option<PathBuf>,
    /// Use only the first N training images (for quick runs).
    #[arg(long)]
    pub train_limit: Option<usize>,
    /// Use only the first N test images.
    #[arg(long)]
    pub test_limit: Option<usize>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
}

impl Args {
    /// The options with every default, for the main hands-on run.
    pub fn defaults() -> Args {
        Args::parse_from(["cnn"])
    }
}

/// Loads the data the options name.
pub fn load_data(args: &Args) -> Result<Split, Box<dyn std::error::Error>> {
    let kind = match args.dataset {
        DatasetKind::FashionMnist => idx::Kind::FashionMnist,
        DatasetKind::Mnist => idx::Kind::Mnist,
        DatasetKind::Cifar10 => {
            let dir = if args.data == "embedded" {
                Path::new("data/cifar10")
            } else {
                Path::new(&args.data)
            };
            let root = match &args.download {
                Some(url) => download::cifar10(url, download::CIFAR10_MD5, dir)?,
                None => dir.to_path_buf(),
            };
            return Ok(data::cifar::load_dir(&root)?);
        }
    };
    Ok(match args.data.as_str() {
        "embedded" if kind == idx::Kind::FashionMnist => data::embedded_fashion_mnist(),
        "embedded" => return Err("only Fashion-MNIST is embedded: pass --data <folder> with MNIST's idx files".into()),
        "full" => idx::load_dir(Path::new(SYSTEM_FASHION_MNIST), kind).map_err(|e| {
            format!("{e}\n(install it with `sudo apt-get install dataset-fashion-mnist`, or pass --data <folder>)")
        })?,
        folder => idx::load_dir(Path::new(folder), kind)?,
    })
}

/// The course's defaults for a model: (lr, momentum, batch size, epochs).
fn defaults(model: Model, optimizer: OptimizerKind) -> (f32, f32, usize, usize) {
    let (lr, momentum, batch, epochs) = match model {
        Model::TinyVgg => (0.1, 0.0, 32, 3),
        Model::Convolutional => (0.001, 0.9, 64, 15),
        Model::Mlp => (0.01, 0.9, 64, 10),
    };
    match optimizer {
        OptimizerKind::Sgd => (lr, momentum, batch, epochs),
        OptimizerKind::Adam => (1e-3, 0.0, batch, epochs),
    }
}

/// Runs the hands-on.
pub fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    cnn::memory::keep_freed_memory();
    if let Some(threads) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global()
            .map_err(|e| format!("cannot set --threads {threads}: {e}"))?;
    }
    // 1. Data.
    let mut split = load_data(&args)?;
    if let Some(n) = args.train_limit {
        split.train = split.train.take(n);
    }
    if let Some(n) = args.test_limit {
        split.test = split.test.take(n);
    }
    if split.train.is_empty() || split.test.is_empty() {
        return Err("the training or test set is empty: check --train-limit and --test-limit".into());
    }
    let [c, h, w] = split.train.shape;
    println!(
        "train: {}, {} images of {c}×{h}×{w}, {} classes\ntest:  {}, {} images",
        split.train.name,
        split.train.len(),
        split.train.classes.len(),
        split.test.name,
        split.test.len()
    );

    // 2. Architecture.
    let model_kind = args.model.unwrap_or(match args.dataset {
        DatasetKind::Cifar10 => Model::Convolutional,
        _ => Model::TinyVgg,
    });
    let mut rng = StdRng::seed_from_u64(args.seed);
    let mut model =
        model_kind.build(split.train.shape, split.train.classes.len(), &mut rng);
    let count = model.parameter_count();
    println!("model: {} ({count} parameters)", model.name);
    std::fs::create_dir_all(&args.out).map_err(|e| {
        format!(
            "cannot create the output folder {}: {e}",
            args.out.display()
        )
    })?;

    if let Some(path) = &args.eval {
        checkpoint::load_into(&mut model, path)?;
        println!("loaded {}", path.display());
        return report(&mut model, &split, &args.out);
    }
    if let Some(path) = &args.resume {
        checkpoint::load_into(&mut model, path)?;
        println!("resuming from {}", path.display());
    }

    // 3. Loss (softmax cross-entropy, in train::train_step) and optimizer.
    let (lr0, momentum0, batch0, epochs0) = defaults(model_kind, args.optimizer);
    let (lr, batch_size, epochs) = (
        args.lr.unwrap_or(lr0),
        args.batch_size.unwrap_or(batch0),
        args.epochs.unwrap_or(epochs0),
    );
    if batch_size == 0 || epochs == 0 || lr.is_nan() || lr <= 0.0 {
        return Err(
            "--batch-size and --epochs must be at least 1 and --lr positive".into(),
        );
    }
    let mut optimizer: Box<dyn Optimizer> = match args.optimizer {
        OptimizerKind::Sgd => {
            Box::new(Sgd::with_momentum(lr, args.momentum.unwrap_or(momentum0)))
        }
        OptimizerKind::Adam => Box::new(Adam::new(lr)),
    };
    println!(
        "training: {:?}, lr {lr}, batch {batch_size}, {epochs} epochs, seed {}, {} threads",
        args.optimizer,
        args.seed,
        rayon::current_num_threads()
    );

    // 4. Training loop, with the test set measured after every epoch.
    let mut history = sgd::History::default();
    let start = Instant::now();
    for epoch in 0..epochs {
        let loss = train::train_epoch(
            &mut model,
            &split.train,
            batch_size,
            optimizer.as_mut(),
            &mut rng,
            (epoch, epochs),
        )?;
        let eval = train::evaluate(&mut model, &split.test, 256);
        println!(
            "Test loss: {:.4}, test accuracy: {:.2} %",
            eval.loss,
            eval.accuracy * 100.0
        );
        history.train_loss.push(loss);
        history.test_loss.push(eval.loss);
        history.test_accuracy.push(eval.accuracy);
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "trained in {seconds:.1} s ({:.0} images/s)",
        (split.train.len() * epochs) as f64 / seconds
    );
    let weights = args.out.join(format!("{}.safetensors", model.name));
    checkpoint::save(&model, &split.train.classes, &weights)?;
    println!("wrote {}", weights.display());
    curves(&history, &args.out, &model.name)?;

    // 5. Evaluation.
    report(&mut model, &split, &args.out)
}

/// Evaluates on the test set and prints and writes the report.
fn report(
    model: &mut Cnn,
    split: &Split,
    out: &Path,
) -> Result<(), Box<dyn std::error::Error>> {
    let eval = train::evaluate(model, &split.test, 256);
    let text = format!(
        "{} on {}: test accuracy {:.2} % ({} images), test loss {:.4}\n\n{}",
        model.name,
        split.test.name,
        eval.accuracy * 100.0,
        split.test.len(),
        eval.loss,
        eval.report()
    );
    println!("\n{text}");
    let path = out.join(format!("{}_report.txt", model.name));
    std::fs::write(&path, text)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

/// Loss and accuracy per epoch, side by side.
fn curves(
    history: &sgd::History,
    out: &Path,
    name: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let epochs = |v: &[f32]| {
        v.iter()
            .enumerate()
            .map(|(e, &y)| ((e + 1) as f32, y))
            .collect::<Vec<_>>()
    };
    let loss_axes = Axes {
        title: "Loss per epoch",
        x_label: "epoch",
        y_label: "cross-entropy",
        log_y: false,
    };
    let acc_axes = Axes {
        title: "Test accuracy per epoch",
        x_label: "epoch",
        y_label: "accuracy (%)",
        log_y: false,
    };
    let losses = [
        Series {
            name: "train (average over the epoch)".into(),
            points: epochs(&history.train_loss),
            color: PALETTE[0],
            dots: history.train_loss.len() == 1,
        },
        Series {
            name: "test (after the epoch)".into(),
            points: epochs(&history.test_loss),
            color: PALETTE[1],
            dots: history.test_loss.len() == 1,
        },
    ];
    let pct: Vec<f32> = history.test_accuracy.iter().map(|a| a * 100.0).collect();
    let accuracy = [Series {
        name: "test".into(),
        points: epochs(&pct),
        color: PALETTE[2],
        dots: pct.len() == 1,
    }];
    let path = out.join(format!("{name}_curves.png"));
    // One panel per row, so that a ~750 px page keeps the labels readable.
    line_chart_grid(
        &path,
        (900, 950),
        &[(&loss_axes, &losses), (&acc_axes, &accuracy)],
        1,
    )?;
    println!("wrote {}", path.display());
    Ok(())
}
