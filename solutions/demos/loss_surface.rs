//! A 2-D slice of a trained TinyVGG's loss surface (Li et al. 2018, "Visualizing
//! the Loss Landscape of Neural Nets"): L(θ* + α·d₁ + β·d₂) on a grid of α, β,
//! with two random, filter-normalised directions d₁, d₂.

use super::filters::trained_tiny_vgg;
use crate::say;
use clap::Parser;
use cnn::{data, train, Cnn, Layer};
use plotters::prelude::*;
use rand::rngs::StdRng;
use rand_distr::{Distribution, StandardNormal};
use std::path::{Path, PathBuf};

/// Options.
#[derive(Parser, Debug, Clone)]
#[command(
    name = "loss-surface",
    about = "Draw a 2-D slice of a trained TinyVGG's loss surface"
)]
pub struct Args {
    /// Folder for the figure.
    #[arg(long, default_value = "out/loss_surface")]
    pub out: PathBuf,
    /// Seed for training and for the two directions.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Trained TinyVGG weights (from the cnn demo); without them, TinyVGG is
    /// trained on the embedded Fashion-MNIST subset first.
    #[arg(long)]
    pub weights: Option<PathBuf>,
    /// Epochs when training here.
    #[arg(long, default_value_t = 3)]
    pub epochs: usize,
    /// Use only the first N training images when training here.
    #[arg(long)]
    pub train_limit: Option<usize>,
    /// The loss is the mean over the first N training images.
    #[arg(long, default_value_t = 500)]
    pub points: usize,
    /// Grid points per axis, from −1 to 1 (odd, so that θ* is on the grid).
    #[arg(long, default_value_t = 21)]
    pub grid: usize,
}

/// One random direction per layer, in the layout of the layer's weights
/// (empty for layers without weights, and biases are left out: they stay at θ*).
type Direction = Vec<Vec<f32>>;

/// The weights of every layer as one flat slice per layer: a convolution's
/// C_out × C_in × K × K kernels, or a linear layer's in × out matrix stored
/// column by column (so each output unit's weights are contiguous). Returns the
/// block length, one block per filter or output unit.
fn weights_mut(layer: &mut Layer) -> Option<(&mut [f32], usize)> {
    match layer {
        Layer::Conv(conv) => {
            let [_, c_in, k, _] = conv.weight.shape();
            Some((conv.weight.data_mut(), c_in * k * k))
        }
        Layer::Linear(linear) => {
            let inputs = linear.dense().weight.nrows();
            Some((linear.dense_mut().weight.as_mut_slice(), inputs))
        }
        _ => None,
    }
}

/// A Gaussian direction, filter-normalised: each filter's (or output unit's)
/// block is rescaled to the norm of the same block of θ*,
/// d_b ← d_b · ‖θ*_b‖ / ‖d_b‖.
fn filter_normalised_direction(model: &mut Cnn, rng: &mut StdRng) -> Direction {
    model
        .layers
        .iter_mut()
        .map(|(_, layer)| {
            let Some((theta, block)) = weights_mut(layer) else {
                return Vec::new();
            };
            let mut d: Vec<f32> = (0..theta.len())
                .map(|_| StandardNormal.sample(rng))
                .collect();
            for (d, t) in d.chunks_mut(block).zip(theta.chunks(block)) {
                let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
                let scale = norm(t) / norm(d).max(1e-12);
                d.iter_mut().for_each(|x| *x *= scale);
            }
            d
        })
        .collect()
}

/// Sets `model`'s weights to θ* + α·d₁ + β·d₂.
fn move_to(model: &mut Cnn, centre: &Cnn, d: [&Direction; 2], (a, b): (f32, f32)) {
    let mut centre = centre.clone();
    for (k, ((_, layer), (_, base))) in model
        .layers
        .iter_mut()
        .zip(centre.layers.iter_mut())
        .enumerate()
    {
        let (Some((w, _)), Some((t, _))) = (weights_mut(layer), weights_mut(base))
        else {
            continue;
        };
        for (i, w) in w.iter_mut().enumerate() {
            *w = t[i] + a * d[0][k][i] + b * d[1][k][i];
        }
    }
}

/// Trains or loads, then evaluates the loss on the grid and draws it.
pub fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    if args.grid < 2 {
        return Err(format!("--grid {} needs at least 2 points", args.grid).into());
    }
    if args.points == 0 {
        return Err(
            "--points 0 leaves no image to measure the loss on: pass at least 1"
                .into(),
        );
    }
    let mut split = data::embedded_fashion_mnist();
    if let Some(n) = args.train_limit {
        split.train = split.train.take(n);
    }
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let (mut model, mut rng) =
        trained_tiny_vgg(&split, args.weights.as_deref(), args.epochs, args.seed)?;

    // The loss on a fixed subset, at every grid point.
    let subset = split.train.take(args.points.min(split.train.len()));
    let d1 = filter_normalised_direction(&mut model, &mut rng);
    let d2 = filter_normalised_direction(&mut model, &mut rng);
    let n = args.grid;
    let coordinate = |i: usize| -1.0 + 2.0 * i as f32 / (n - 1) as f32;
    let mut work = model.clone();
    let mut loss = vec![0.0f32; n * n];
    for i in 0..n {
        for j in 0..n {
            move_to(
                &mut work,
                &model,
                [&d1, &d2],
                (coordinate(j), coordinate(i)),
            );
            loss[i * n + j] = train::evaluate(&mut work, &subset, 500).loss;
        }
    }
    let centre = train::evaluate(&mut model, &subset, 500).loss;
    let (lo, hi) = loss
        .iter()
        .fold((f32::MAX, f32::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let border: Vec<f32> = (0..n * n)
        .filter(|k| [k / n, k % n].iter().any(|&c| c == 0 || c == n - 1))
        .map(|k| loss[k])
        .collect();
    let border_mean = border.iter().sum::<f32>() / border.len() as f32;
    say!(
        "loss on {} training images at θ*: {centre:.4}",
        subset.len()
    );
    say!("grid {n} × {n}, α, β in [−1, 1]: min {lo:.4}, max {hi:.4}");
    say!("mean loss on the grid's border: {border_mean:.4}");

    let path = args.out.join("loss_surface.png");
    draw(&path, n, &loss, (lo, hi))?;
    say!("wrote {}", path.display());
    Ok(())
}

/// Viridis, from 0 (dark purple) to 1 (yellow), by linear interpolation of five stops.
fn viridis(t: f64) -> RGBColor {
    const STOPS: [(f64, f64, f64); 5] = [
        (68.0, 1.0, 84.0),
        (59.0, 82.0, 139.0),
        (33.0, 145.0, 140.0),
        (94.0, 201.0, 98.0),
        (253.0, 231.0, 37.0),
    ];
    let x = t.clamp(0.0, 1.0) * 4.0;
    let k = (x.floor() as usize).min(3);
    let f = x - k as f64;
    let (a, b) = (STOPS[k], STOPS[k + 1]);
    let mix = |p: f64, q: f64| (p + (q - p) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The heat map, coloured by log loss (the loss grows by orders of magnitude
/// away from θ*), with a colour bar in loss units.
fn draw(
    path: &Path,
    n: usize,
    loss: &[f32],
    (lo, hi): (f32, f32),
) -> Result<(), Box<dyn std::error::Error>> {
    crate::plot::png(path, (760, 640), |root| {
        root.fill(&WHITE)?;
        let (main, bar) = root.split_horizontally(640);
        let (llo, lhi) = (
            f64::from(lo).ln(),
            f64::from(hi).ln().max(f64::from(lo).ln() + 1e-6),
        );
        let shade = |v: f32| viridis((f64::from(v).ln() - llo) / (lhi - llo));
        let mut chart = ChartBuilder::on(&main)
            .caption(
                "TinyVGG loss surface around θ* (filter-normalised directions)",
                ("sans-serif", 18),
            )
            .margin(12)
            .x_label_area_size(46)
            .y_label_area_size(56)
            .build_cartesian_2d(-1f32..1f32, -1f32..1f32)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("α (direction d₁)")
            .y_desc("β (direction d₂)")
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 17))
            .draw()?;
        // Bilinear interpolation between grid points, drawn as m × m small cells.
        let m = 120;
        let value = |x: f32, y: f32| {
            let (u, v) = (
                (x + 1.0) / 2.0 * (n - 1) as f32,
                (y + 1.0) / 2.0 * (n - 1) as f32,
            );
            let (j, i) = ((u as usize).min(n - 2), (v as usize).min(n - 2));
            let (fu, fv) = (u - j as f32, v - i as f32);
            let g = |i: usize, j: usize| loss[i * n + j];
            (1.0 - fv) * ((1.0 - fu) * g(i, j) + fu * g(i, j + 1))
                + fv * ((1.0 - fu) * g(i + 1, j) + fu * g(i + 1, j + 1))
        };
        let cell = 2.0 / m as f32;
        chart.draw_series((0..m * m).map(|k| {
            let (x0, y0) =
                (-1.0 + (k % m) as f32 * cell, -1.0 + (k / m) as f32 * cell);
            let shade = shade(value(x0 + cell / 2.0, y0 + cell / 2.0));
            Rectangle::new([(x0, y0), (x0 + cell, y0 + cell)], shade.filled())
        }))?;
        chart.draw_series([
            Cross::new((0f32, 0f32), 8, WHITE.stroke_width(3)),
            Cross::new((0f32, 0f32), 7, BLACK.stroke_width(1)),
        ])?;
        chart.draw_series([Text::new(
            "θ*",
            (0.04f32, 0.1f32),
            ("sans-serif", 20).into_font().color(&WHITE),
        )])?;

        // The colour bar: its axis is ln(loss), as the shading, labelled in loss.
        let mut bar = ChartBuilder::on(&bar)
            .caption("loss", ("sans-serif", 16))
            .margin_top(40)
            .margin_bottom(58)
            .margin_right(8)
            .y_label_area_size(60)
            .build_cartesian_2d(0f64..1f64, llo..lhi)?;
        bar.configure_mesh()
            .disable_mesh()
            .disable_x_axis()
            .y_labels(8)
            .y_label_formatter(&|v| format!("{:.2}", v.exp()))
            .label_style(("sans-serif", 14))
            .draw()?;
        let stripes = 120;
        bar.draw_series((0..stripes).map(|s| {
            let v = |s: usize| llo + (lhi - llo) * s as f64 / stripes as f64;
            let color = viridis(s as f64 / stripes as f64);
            Rectangle::new([(0.0, v(s)), (1.0, v(s + 1))], color.filled())
        }))?;
        Ok(())
    })?;
    Ok(())
}
