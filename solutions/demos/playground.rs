//! TensorFlow Playground's experiment, offline: a small network learns to
//! separate 2-D points (circle, xor, gauss, spiral, or a CSV of your own); the
//! decision boundary is drawn as a heat map with the training and test points,
//! next to the train and test loss curves and one small map per hidden neuron.
//!
//! The generators follow Playground's (`dataset.ts`): points in [−6, 6]², noise as
//! a fraction of the spread. Beyond Playground: more than two classes (gauss and
//! spiral) and cross-entropy on K outputs.

use crate::plot::{
    decision_map, line_charts, picture_grid, Axes, LabelledPoint, Picture, Series,
    PALETTE,
};
use crate::say;
use activations::Activation;
use clap::{Parser, ValueEnum};
use mlp::{Init, Layer, Matrix, Mlp};
use plotters::prelude::*;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Normal};
use sgd::{Optimizer, Sgd};
use std::path::{Path, PathBuf};

/// Playground's datasets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Data {
    /// A disc of one class inside a ring of the other.
    Circle,
    /// The four quadrants, alternating.
    Xor,
    /// Gaussian blobs (two, or --classes around a circle).
    Gauss,
    /// Interleaved spiral arms (two, or --classes).
    Spiral,
}

/// Input features, as Playground offers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Feature {
    /// x₁.
    X1,
    /// x₂.
    X2,
    /// x₁².
    X1sq,
    /// x₂².
    X2sq,
    /// x₁x₂.
    X1x2,
    /// sin x₁.
    SinX1,
    /// sin x₂.
    SinX2,
}

impl Feature {
    fn of(self, x: f32, y: f32) -> f32 {
        match self {
            Feature::X1 => x,
            Feature::X2 => y,
            Feature::X1sq => x * x,
            Feature::X2sq => y * y,
            Feature::X1x2 => x * y,
            Feature::SinX1 => x.sin(),
            Feature::SinX2 => y.sin(),
        }
    }
}

/// Ready-made experiments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Preset {
    /// The lecture's point: the same network on the circle with ReLU (a boundary of
    /// straight pieces) and with sigmoid (a curved one), side by side.
    ReluVsSigmoid,
}

/// Options (Playground's defaults where it has them).
#[derive(Parser, Debug, Clone)]
#[command(
    name = "playground",
    about = "TensorFlow Playground's experiment, offline"
)]
pub struct Args {
    /// The dataset.
    #[arg(long, value_enum, default_value = "circle")]
    pub data: Data,
    /// Points of your own instead: a CSV of x,y,label rows (labels 0, 1, …).
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Classes, for gauss and spiral.
    #[arg(long, default_value_t = 2)]
    pub classes: usize,
    /// Number of points.
    #[arg(long, default_value_t = 500)]
    pub samples: usize,
    /// Noise, 0 to 0.5 (Playground's 0 to 50).
    #[arg(long, default_value_t = 0.0)]
    pub noise: f32,
    /// Fraction of the points used for training.
    #[arg(long, default_value_t = 0.5)]
    pub train_ratio: f64,
    /// Input features, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "x1,x2")]
    pub features: Vec<Feature>,
    /// Hidden layer widths, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "4,2")]
    pub hidden: Vec<usize>,
    /// Activation: tanh, relu, sigmoid, identity (or sine:<ω₀>).
    #[arg(long, default_value = "tanh")]
    pub activation: Activation,
    /// Learning rate (SGD).
    #[arg(long, default_value_t = 0.03)]
    pub lr: f32,
    /// Batch size.
    #[arg(long, default_value_t = 10)]
    pub batch_size: usize,
    /// Epochs.
    #[arg(long, default_value_t = 300)]
    pub epochs: usize,
    /// L1 regularisation rate (on the weights).
    #[arg(long, default_value_t = 0.0)]
    pub l1: f32,
    /// L2 regularisation rate (on the weights).
    #[arg(long, default_value_t = 0.0)]
    pub l2: f32,
    /// A ready-made experiment (overrides the dataset and activation).
    #[arg(long, value_enum)]
    pub preset: Option<Preset>,
    /// Seed for the points, the weights and the batches.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Folder for the figures.
    #[arg(long, default_value = "out/playground")]
    pub out: PathBuf,
}

/// Half-width of the plane, as in Playground.
const EXTENT: f32 = 6.0;

/// Playground's generators; labels 0..classes.
fn generate(
    data: Data,
    n: usize,
    noise: f32,
    classes: usize,
    rng: &mut StdRng,
) -> Vec<(f32, f32, usize)> {
    let mut u = |lo: f32, hi: f32| rng.random_range(lo..hi);
    match data {
        Data::Circle => {
            let radius = 5.0;
            (0..n)
                .map(|i| {
                    let inner = i < n / 2;
                    let r = if inner {
                        u(0.0, radius * 0.5)
                    } else {
                        u(radius * 0.7, radius)
                    };
                    let angle = u(0.0, std::f32::consts::TAU);
                    let (x, y) = (r * angle.sin(), r * angle.cos());
                    let (nx, ny) =
                        (u(-radius, radius) * noise, u(-radius, radius) * noise);
                    let label = usize::from((x + nx).hypot(y + ny) >= radius * 0.5);
                    (x, y, label)
                })
                .collect()
        }
        Data::Xor => (0..n)
            .map(|_| {
                let pad = 0.3;
                let mut x = u(-5.0, 5.0);
                x += if x > 0.0 { pad } else { -pad };
                let mut y = u(-5.0, 5.0);
                y += if y > 0.0 { pad } else { -pad };
                let (nx, ny) = (u(-5.0, 5.0) * noise, u(-5.0, 5.0) * noise);
                (x, y, usize::from((x + nx) * (y + ny) < 0.0))
            })
            .collect(),
        Data::Gauss => {
            // Playground: variance from 0.5 to 4 as noise goes from 0 to 0.5.
            let sigma = (0.5 + 7.0 * noise.clamp(0.0, 0.5)).sqrt();
            let centres: Vec<(f32, f32)> = if classes == 2 {
                vec![(2.0, 2.0), (-2.0, -2.0)]
            } else {
                (0..classes)
                    .map(|k| {
                        let a = std::f32::consts::TAU * k as f32 / classes as f32;
                        (3.5 * a.cos(), 3.5 * a.sin())
                    })
                    .collect()
            };
            let normal = Normal::new(0.0, sigma).expect("σ > 0");
            (0..n)
                .map(|i| {
                    let k = i % classes;
                    (
                        centres[k].0 + normal.sample(rng),
                        centres[k].1 + normal.sample(rng),
                        k,
                    )
                })
                .collect()
        }
        Data::Spiral => {
            let per = n / classes.max(1);
            (0..classes)
                .flat_map(|k| (0..per).map(move |i| (k, i)))
                .map(|(k, i)| {
                    let r = i as f32 / per as f32 * 5.0;
                    let t = 1.75 * i as f32 / per as f32 * std::f32::consts::TAU
                        + std::f32::consts::TAU * k as f32 / classes as f32;
                    let x = r * t.sin() + rng.random_range(-1.0..1.0) * noise;
                    let y = r * t.cos() + rng.random_range(-1.0..1.0) * noise;
                    (x, y, k)
                })
                .collect()
        }
    }
}

/// Reads x,y,label rows from the file `path` (see [`parse_csv`]).
fn read_csv(path: &Path) -> Result<Vec<(f32, f32, usize)>, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse_csv(&bytes, path)
}

/// Parses x,y,label rows; `path` only names the source in errors. A UTF-8 byte
/// order mark is skipped, and so is a first line of three words that are not
/// numbers (a header such as `x,y,label`); any other line that is not two finite
/// numbers and a label is an error. The labels must count from 0 with no gaps
/// (0, 1, …, K − 1, each used at least once): a stray 255 does not make 256 classes.
pub fn parse_csv(
    bytes: &[u8],
    path: &Path,
) -> Result<Vec<(f32, f32, usize)>, String> {
    let name = path.display();
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!("{name}: is not UTF-8 text ({e}): save it as a plain CSV")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut points = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let parsed = match fields.as_slice() {
            [x, y, label] => {
                match (x.parse::<f32>(), y.parse::<f32>(), label.parse::<usize>()) {
                    (Ok(x), Ok(y), Ok(l)) if x.is_finite() && y.is_finite() => {
                        Some((x, y, l))
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        let header = i == 0
            && fields.len() == 3
            && fields
                .iter()
                .all(|f| !f.is_empty() && f.parse::<f64>().is_err());
        match parsed {
            Some(p) => points.push(p),
            None if header => continue,
            None => {
                return Err(format!(
                    "{name}: line {} is not x,y,label (two numbers and a label 0, 1, …; {} fields): {line:?}",
                    i + 1,
                    fields.len()
                ))
            }
        }
    }
    let used: std::collections::BTreeSet<usize> =
        points.iter().map(|p| p.2).collect();
    if points.len() < 4 || used.len() < 2 {
        return Err(format!("{name}: needs at least 4 points and 2 classes"));
    }
    if let Some(missing) = (0..used.len()).find(|k| !used.contains(k)) {
        let labels: Vec<String> =
            used.iter().take(8).map(usize::to_string).collect();
        return Err(format!(
            "{name}: the labels must count from 0 with no gaps (0, 1, …, K − 1), but {missing} is missing; the labels used are {}{}",
            labels.join(", "),
            if used.len() > 8 { ", …" } else { "" }
        ));
    }
    Ok(points)
}

/// The feature matrix of points.
fn features(points: &[(f32, f32, usize)], which: &[Feature]) -> Matrix {
    Matrix::from_fn(points.len(), which.len(), |i, j| {
        which[j].of(points[i].0, points[i].1)
    })
}

/// A trained network and what it went through.
struct Run {
    net: Mlp,
    train_curve: Vec<(f32, f32)>,
    test_curve: Vec<(f32, f32)>,
}

fn loss_of(net: &Mlp, x: &Matrix, labels: &[usize]) -> f32 {
    losses::softmax_cross_entropy(&net.forward(x), labels).0
}

fn train(
    args: &Args,
    activation: Activation,
    train: &[(f32, f32, usize)],
    test: &[(f32, f32, usize)],
    classes: usize,
    rng: &mut StdRng,
) -> Result<Run, String> {
    let mut sizes = vec![args.features.len()];
    sizes.extend(args.hidden.iter().copied().filter(|&h| h > 0));
    sizes.push(classes);
    let init = if activation == Activation::Relu {
        Init::He
    } else {
        Init::Xavier
    };
    let mut net = Mlp::new(&sizes, activation, init, rng);
    let (x_train, x_test) = (
        features(train, &args.features),
        features(test, &args.features),
    );
    let (y_train, y_test): (Vec<usize>, Vec<usize>) = (
        train.iter().map(|p| p.2).collect(),
        test.iter().map(|p| p.2).collect(),
    );
    let mut opt = Sgd::new(args.lr);
    let (mut train_curve, mut test_curve) = (Vec::new(), Vec::new());
    for epoch in 0..=args.epochs {
        train_curve.push((epoch as f32, loss_of(&net, &x_train, &y_train)));
        test_curve.push((epoch as f32, loss_of(&net, &x_test, &y_test)));
        if epoch == args.epochs {
            break;
        }
        let mut order: Vec<usize> = (0..train.len()).collect();
        order.shuffle(rng);
        for batch in order.chunks(args.batch_size.max(1)) {
            let xb = Matrix::from_fn(batch.len(), x_train.ncols(), |i, j| {
                x_train[(batch[i], j)]
            });
            let yb: Vec<usize> = batch.iter().map(|&i| y_train[i]).collect();
            net.zero_grad();
            let trace = net.forward_trace(&xb);
            let (loss, grad) =
                losses::softmax_cross_entropy(trace.last().expect("output"), &yb);
            if !loss.is_finite() {
                return Err(format!(
                    "the loss became {loss} in epoch {epoch}: pass a lower --lr"
                ));
            }
            net.backward(&trace, &grad);
            // Regularisation on the weights (not the biases), as Playground does.
            for layer in &mut net.layers {
                if let Layer::Dense(d) = layer {
                    let (l1, l2) = (args.l1, args.l2);
                    d.grad_weight
                        .zip_apply(&d.weight, |g, w| *g += l1 * w.signum() + l2 * w);
                }
            }
            opt.step(&mut net.parameters());
        }
    }
    Ok(Run {
        net,
        train_curve,
        test_curve,
    })
}

fn points_of(
    train: &[(f32, f32, usize)],
    test: &[(f32, f32, usize)],
) -> Vec<LabelledPoint> {
    let mark = |p: &(f32, f32, usize), test| LabelledPoint {
        x: p.0,
        y: p.1,
        class: p.2,
        test,
    };
    train
        .iter()
        .map(|p| mark(p, false))
        .chain(test.iter().map(|p| mark(p, true)))
        .collect()
}

fn probabilities<'a>(
    net: &'a Mlp,
    which: &'a [Feature],
) -> impl Fn(f32, f32) -> Vec<f32> + 'a {
    move |x, y| {
        let row = Matrix::from_fn(1, which.len(), |_, j| which[j].of(x, y));
        losses::softmax(&net.forward(&row))
            .iter()
            .copied()
            .collect()
    }
}

/// Runs the experiment (or the preset) and writes the figures.
pub fn run(mut args: Args) -> Result<(), Box<dyn std::error::Error>> {
    if args.features.is_empty()
        || args.classes < 2
        || args.samples < 4
        || !(0.0..1.0).contains(&args.train_ratio)
    {
        return Err("need at least one feature, 2 classes, 4 samples, and --train-ratio in (0, 1)".into());
    }
    if args.csv.is_none() && args.samples < 2 * args.classes {
        return Err(format!(
            "--classes {} needs at least 2 points per class: pass --samples {} or more",
            args.classes,
            2 * args.classes
        )
        .into());
    }
    crate::check_lr("--lr", args.lr)?;
    for &width in &args.hidden {
        crate::check_width("--hidden", width)?;
    }
    if args.preset == Some(Preset::ReluVsSigmoid) {
        args.data = Data::Circle;
        args.hidden = vec![6, 6];
        args.lr = 0.1;
    }
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let mut rng = StdRng::seed_from_u64(args.seed);
    let mut points = match &args.csv {
        Some(path) => read_csv(path)?,
        None => {
            generate(args.data, args.samples, args.noise, args.classes, &mut rng)
        }
    };
    let classes = points.iter().map(|p| p.2).max().unwrap_or(1) + 1;
    points.shuffle(&mut rng);
    let n_train = ((points.len() as f64 * args.train_ratio).round() as usize)
        .clamp(1, points.len() - 1);
    let (train_set, test_set) = points.split_at(n_train);
    let source = args
        .csv
        .as_ref()
        .map_or(format!("{:?}", args.data).to_lowercase(), |p| {
            p.display().to_string()
        });

    if args.preset == Some(Preset::ReluVsSigmoid) {
        let path = args.out.join("relu_vs_sigmoid.png");
        crate::plot::png(&path, (1300, 640), |root| {
            root.fill(&WHITE)?;
            let areas = root.split_evenly((1, 2));
            for (area, g) in
                areas.iter().zip([Activation::Relu, Activation::Sigmoid])
            {
                let run = train(
                    &args,
                    g,
                    train_set,
                    test_set,
                    classes,
                    &mut StdRng::seed_from_u64(args.seed),
                )?;
                let test_loss = run.test_curve.last().map_or(f32::NAN, |p| p.1);
                let title =
                    format!("{}: 2 → 6 → 6 → 2, test loss {test_loss:.3}", g.name());
                decision_map(
                    area,
                    &title,
                    EXTENT,
                    &probabilities(&run.net, &args.features),
                    &points_of(train_set, test_set),
                )?;
                say!("{:<8} test loss {test_loss:.4}", g.name());
            }
            Ok(())
        })?;
        say!("wrote {}", path.display());
        return Ok(());
    }

    let run = train(
        &args,
        args.activation,
        train_set,
        test_set,
        classes,
        &mut rng,
    )?;
    let (train_loss, test_loss) = (
        run.train_curve.last().map_or(0.0, |p| p.1),
        run.test_curve.last().map_or(0.0, |p| p.1),
    );
    say!(
        "{source}: {} training and {} test points, {classes} classes",
        train_set.len(),
        test_set.len()
    );
    say!(
        "after {} epochs: training loss {train_loss:.4}, test loss {test_loss:.4}",
        args.epochs
    );

    let path = args.out.join("playground.png");
    {
        crate::plot::png(&path, (700, 700), |root| {
            root.fill(&WHITE)?;
            let title = format!(
                "{source}, {} — train {train_loss:.3}, test {test_loss:.3}",
                args.activation.name()
            );
            decision_map(
                root,
                &title,
                EXTENT,
                &probabilities(&run.net, &args.features),
                &points_of(train_set, test_set),
            )?;
            Ok(())
        })?;
    }
    say!("wrote {}", path.display());

    let axes = Axes {
        title: "Loss (cross-entropy)",
        x_label: "epoch",
        y_label: "loss",
        log_y: false,
    };
    let series = [
        Series::line("training", run.train_curve.clone(), PALETTE[0]),
        Series::line("test", run.test_curve.clone(), PALETTE[1]),
    ];
    let path = args.out.join("playground_loss.png");
    line_charts(&path, (800, 450), &[(&axes, &series)])?;
    say!("wrote {}", path.display());

    // One small map per hidden neuron: its activation over the plane.
    let n = 40;
    let grid: Vec<(f32, f32, usize)> = (0..n * n)
        .map(|k| {
            (
                -EXTENT + 2.0 * EXTENT * ((k % n) as f32 + 0.5) / n as f32,
                EXTENT - 2.0 * EXTENT * ((k / n) as f32 + 0.5) / n as f32,
                0,
            )
        })
        .collect();
    let trace = run.net.forward_trace(&features(&grid, &args.features));
    let mut pictures = Vec::new();
    let mut hidden_layer = 0;
    for (k, layer) in run.net.layers.iter().enumerate() {
        if !matches!(layer, Layer::Activation(_)) {
            continue;
        }
        hidden_layer += 1;
        let out = &trace[k + 1];
        for neuron in 0..out.ncols() {
            let column = out.column(neuron);
            let scale = column.amax().max(1e-6);
            let mut pixels = vec![0.0; 3 * n * n];
            for (i, &v) in column.iter().enumerate() {
                // Playground's colours: orange for negative, blue for positive.
                let t = (v / scale).clamp(-1.0, 1.0);
                let (r, g, b) = if t < 0.0 {
                    (245.0, 147.0, 34.0)
                } else {
                    (8.0, 119.0, 189.0)
                };
                let a = t.abs();
                let mix = |c: f32| ((1.0 - a) * 255.0 + a * c) / 255.0;
                pixels[i] = mix(r);
                pixels[n * n + i] = mix(g);
                pixels[2 * n * n + i] = mix(b);
            }
            pictures.push(Picture {
                caption: format!("layer {hidden_layer}, neuron {}", neuron + 1),
                channels: 3,
                height: n,
                width: n,
                pixels,
            });
        }
    }
    if !pictures.is_empty() {
        let path = args.out.join("playground_neurons.png");
        picture_grid(
            &path,
            "What each hidden neuron computes over the plane",
            &pictures,
            6,
            120,
        )?;
        say!("wrote {}", path.display());
    }
    Ok(())
}
