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
use crate::say;
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
    /// Where the data is: a folder, or for Fashion-MNIST `embedded` (the 6 000 +
    /// 1 000 images in the workspace) or `full` (/usr/share/datasets/fashion-mnist,
    /// from Debian's dataset-fashion-mnist). Default: embedded for Fashion-MNIST,
    /// data/cifar10 for CIFAR-10; MNIST needs a folder with its four idx files.
    #[arg(long)]
    pub data: Option<String>,
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
    /// SGD momentum, in [0, 1). Default: 0.9 for the CIFAR-10 CNN and the MLP,
    /// 0 for TinyVGG.
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
    /// Start from these weights (a .safetensors this program wrote, or a
    /// PyTorch state_dict with --model) and train on.
    #[arg(long, conflicts_with = "eval")]
    pub resume: Option<PathBuf>,
    /// Only evaluate these weights on the test set; the report goes to
    /// `<model>_eval_report.txt`, next to (not over) the training's report.
    #[arg(long)]
    pub eval: Option<PathBuf>,
    /// Use only the first N training images (for quick runs).
    #[arg(long)]
    pub train_limit: Option<usize>,
    /// Use only the first N test images.
    #[arg(long)]
    pub test_limit: Option<usize>,
    /// Worker threads, at least 1 (default: all cores). Results do not depend
    /// on it.
    #[arg(long)]
    pub threads: Option<usize>,
}

impl Args {
    /// The options with every default, for the main hands-on run.
    pub fn defaults() -> Args {
        Args::parse_from(["cnn"])
    }
}

/// Where `--data` points for the idx datasets: the embedded subset or a folder.
enum IdxSource<'a> {
    Embedded,
    Folder(&'a Path),
}

/// Loads the data the options name.
pub fn load_data(args: &Args) -> Result<Split, Box<dyn std::error::Error>> {
    let data = args.data.as_deref();
    let (kind, source) = match (args.dataset, data) {
        (DatasetKind::Cifar10, Some("embedded" | "full")) => {
            return Err("--data embedded and --data full are Fashion-MNIST: pass the folder of CIFAR-10's binary version (default data/cifar10), with --download to fetch it".into())
        }
        (DatasetKind::Cifar10, folder) => {
            let dir = Path::new(folder.unwrap_or("data/cifar10"));
            let root = match &args.download {
                Some(url) => download::cifar10(url, download::CIFAR10_MD5, dir)?,
                None => dir.to_path_buf(),
            };
            return data::cifar::load_dir(&root).map_err(|e| {
                let missing = data::cifar::locate(&root).is_none();
                if missing && args.download.is_none() {
                    format!("{e}, or add --download to fetch it").into()
                } else {
                    e.into()
                }
            });
        }
        _ if args.download.is_some() => {
            return Err("--download fetches CIFAR-10 only (--dataset cifar10): Fashion-MNIST is embedded, or --data full after `sudo apt-get install dataset-fashion-mnist`; for MNIST pass --data <folder> with its four idx files".into())
        }
        (DatasetKind::FashionMnist, None | Some("embedded")) => {
            (idx::Kind::FashionMnist, IdxSource::Embedded)
        }
        (DatasetKind::FashionMnist, Some("full")) => (
            idx::Kind::FashionMnist,
            IdxSource::Folder(Path::new(SYSTEM_FASHION_MNIST)),
        ),
        (DatasetKind::Mnist, None | Some("embedded")) => {
            return Err("only Fashion-MNIST is embedded: pass --data <folder> with MNIST's four idx files (train-images-idx3-ubyte.gz, …)".into())
        }
        (DatasetKind::Mnist, Some(folder))
            if folder == "full"
                || Path::new(folder).canonicalize().ok()
                    == Path::new(SYSTEM_FASHION_MNIST).canonicalize().ok() =>
        {
            return Err(format!("--data full is Debian's Fashion-MNIST ({SYSTEM_FASHION_MNIST}), not MNIST: pass --data <folder> with MNIST's four idx files").into())
        }
        (kind, Some(folder)) => {
            let kind = match kind {
                DatasetKind::Mnist => idx::Kind::Mnist,
                _ => idx::Kind::FashionMnist,
            };
            (kind, IdxSource::Folder(Path::new(folder)))
        }
    };
    Ok(match source {
        IdxSource::Embedded => data::embedded_fashion_mnist(),
        IdxSource::Folder(dir) if dir == Path::new(SYSTEM_FASHION_MNIST) => {
            idx::load_dir(dir, kind).map_err(|e| {
                format!("{e}\n(install it with `sudo apt-get install dataset-fashion-mnist`, or pass --data <folder>)")
            })?
        }
        IdxSource::Folder(dir) => idx::load_dir(dir, kind)?,
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

/// Refuses options that cannot work, before any data is loaded.
fn check_options(args: &Args) -> Result<(), String> {
    if args.threads == Some(0) {
        return Err(
            "--threads 0: pass at least 1, or leave it out to use every core".into(),
        );
    }
    if let Some(m) = args.momentum {
        if !(0.0..1.0).contains(&m) {
            return Err(format!("--momentum {m} is outside [0, 1): 0 is plain SGD, the course uses 0.9"));
        }
        if args.optimizer == OptimizerKind::Adam {
            return Err("--momentum is SGD's; Adam keeps its own averages (β₁ = 0.9): leave --momentum out, or pass --optimizer sgd".into());
        }
    }
    if let Some(lr) = args.lr {
        crate::check_lr("--lr", lr)?;
    }
    if args.batch_size == Some(0) || args.epochs == Some(0) {
        return Err("--batch-size and --epochs must be at least 1".into());
    }
    if args.train_limit == Some(0) || args.test_limit == Some(0) {
        return Err("--train-limit and --test-limit must be at least 1 (leave them out for every image)".into());
    }
    Ok(())
}

/// Loads `path` into `model`, refusing a checkpoint of another model, dataset
/// or input size with what it was trained on, and naming the options to change.
fn load_weights(
    model: &mut Cnn,
    path: &Path,
    data: &data::Dataset,
    model_named: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    let file = checkpoint::read(path)?;
    if file.info.is_none() && !model_named {
        return Err(format!("{}: has no metadata saying which model it holds (a state_dict saved by PyTorch?): pass --model convolutional, tinyvgg or mlp to say which", path.display()).into());
    }
    match checkpoint::load(model, &file, path, data, model_named) {
        Ok(loaded) => {
            if let Some(w) = loaded.warning {
                crate::warn(format_args!("warning: {w}"));
            }
            if let Some(info) = loaded.info.filter(|i| !i.dataset.is_empty()) {
                say!("loaded {} ({}, trained on {})", path.display(), info.model, info.dataset);
            } else {
                say!("loaded {}", path.display());
            }
            Ok(())
        }
        Err(cnn::Error::WrongModel { path, holds, wanted }) => Err(format!(
            "{}: holds a {holds} model, not {wanted}: pass --model {holds}, or a {wanted} checkpoint",
            path.display()
        )
        .into()),
        Err(e) => Err(e.into()),
    }
}

/// Runs the hands-on.
pub fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    check_options(&args)?;
    cnn::memory::keep_freed_memory();
    if let Some(threads) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
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
        return Err(format!(
            "{} has {} training and {} test images: both are needed",
            split.train.source,
            split.train.len(),
            split.test.len()
        )
        .into());
    }
    if split.train.shape != split.test.shape {
        let size = |s: [usize; 3]| format!("{}×{}×{}", s[0], s[1], s[2]);
        return Err(format!(
            "the training images are {} but the test images are {}: both sets must come from the same dataset",
            size(split.train.shape),
            size(split.test.shape)
        )
        .into());
    }
    let [c, h, w] = split.train.shape;
    say!(
        "train: {}, {} images of {c}×{h}×{w}, {} classes\ntest:  {}, {} images",
        split.train.name,
        split.train.len(),
        split.train.classes.len(),
        split.test.name,
        split.test.len()
    );

    // 2. Architecture, checked against the images before anything is built.
    let model_kind = args.model.unwrap_or(match args.dataset {
        DatasetKind::Cifar10 => Model::Convolutional,
        _ => Model::TinyVgg,
    });
    model_kind
        .check_input(split.train.shape)
        .map_err(|e| format!("{e} (--model mlp)"))?;
    let mut rng = StdRng::seed_from_u64(args.seed);
    let mut model =
        model_kind.build(split.train.shape, split.train.classes.len(), &mut rng);
    let count = model.parameter_count();
    say!("model: {} ({count} parameters)", model.name);
    let named = args.model.is_some();
    if let Some(path) = &args.eval {
        load_weights(&mut model, path, &split.test, named)?;
    }
    if let Some(path) = &args.resume {
        load_weights(&mut model, path, &split.train, named)?;
        say!("resuming from {}", path.display());
    }
    // Only now that every input is accepted: a refused checkpoint leaves no
    // empty folder behind.
    std::fs::create_dir_all(&args.out).map_err(|e| {
        format!(
            "cannot create the output folder {}: {e}",
            args.out.display()
        )
    })?;
    if args.eval.is_some() {
        let eval_report = format!("{}_eval_report.txt", model.name);
        return report(&mut model, &split, &args.out.join(eval_report));
    }

    // 3. Loss (softmax cross-entropy, in train::train_step) and optimizer.
    let (lr0, momentum0, batch0, epochs0) = defaults(model_kind, args.optimizer);
    let (lr, batch_size, epochs) = (
        args.lr.unwrap_or(lr0),
        args.batch_size.unwrap_or(batch0),
        args.epochs.unwrap_or(epochs0),
    );
    let mut optimizer: Box<dyn Optimizer> = match args.optimizer {
        OptimizerKind::Sgd => {
            Box::new(Sgd::with_momentum(lr, args.momentum.unwrap_or(momentum0)))
        }
        OptimizerKind::Adam => Box::new(Adam::new(lr)),
    };
    say!(
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
        say!(
            "Test loss: {:.4}, test accuracy: {:.2} %",
            eval.loss,
            eval.accuracy * 100.0
        );
        history.train_loss.push(loss);
        history.test_loss.push(eval.loss);
        history.test_accuracy.push(eval.accuracy);
    }
    let seconds = start.elapsed().as_secs_f64();
    say!(
        "trained in {seconds:.1} s ({:.0} images/s)",
        (split.train.len() * epochs) as f64 / seconds
    );
    // The weights first, then the report, then the figure: a figure that
    // cannot be written loses neither.
    let weights = args.out.join(format!("{}.safetensors", model.name));
    checkpoint::save(&model, &split.train, &weights)?;
    say!("wrote {}", weights.display());

    // 5. Evaluation.
    let report_path = args.out.join(format!("{}_report.txt", model.name));
    report(&mut model, &split, &report_path)?;
    curves(&history, &args.out, &model.name)
}

/// Evaluates on the test set and prints and writes the report to `path`.
fn report(
    model: &mut Cnn,
    split: &Split,
    path: &Path,
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
    say!("\n{text}");
    cnn::output::write(path, text.as_bytes())?;
    say!("wrote {}", path.display());
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
    say!("wrote {}", path.display());
    Ok(())
}
