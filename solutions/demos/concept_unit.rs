//! A "concept unit" (Bau et al.'s network dissection, in small): the channel of a
//! trained TinyVGG's last convolution that is most selective for one class, its
//! mean activation per class and the test images that excite it most.

use super::filters::trained_tiny_vgg;
use crate::plot::Picture;
use crate::say;
use clap::Parser;
use cnn::layers::Mode;
use cnn::{data, Layer};
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// Options.
#[derive(Parser, Debug, Clone)]
#[command(
    name = "concept-unit",
    about = "Find the most class-selective channel of a trained TinyVGG"
)]
pub struct Args {
    /// Folder for the figure.
    #[arg(long, default_value = "out/concept_unit")]
    pub out: PathBuf,
    /// Seed for training.
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
}

/// Selectivity of a unit from its per-class means:
/// (μ_best − μ_others) / (μ_best + μ_others + 1e-6), where μ_others is the mean
/// of the other classes' means. Returns (best class, selectivity).
fn selectivity(class_means: &[f32]) -> (usize, f32) {
    let (best, &top) =
        class_means
            .iter()
            .enumerate()
            .fold(
                (0, &f32::MIN),
                |b, (k, v)| if *v > *b.1 { (k, v) } else { b },
            );
    let others = (class_means.iter().sum::<f32>() - top)
        / (class_means.len() - 1).max(1) as f32;
    (best, (top - others) / (top + others + 1e-6))
}

/// Trains or loads, then measures every channel and draws the most selective.
pub fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let mut split = data::embedded_fashion_mnist();
    if let Some(n) = args.train_limit {
        split.train = split.train.take(n);
    }
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let (mut model, _) =
        trained_tiny_vgg(&split, args.weights.as_deref(), args.epochs, args.seed)?;

    // The last convolution's output after its ReLU is the input of the layer
    // two places after the convolution.
    let Some(last_conv) = model
        .layers
        .iter()
        .rposition(|(_, l)| matches!(l, Layer::Conv(_)))
        .filter(|&k| matches!(model.layers.get(k + 1), Some((_, Layer::Relu))))
    else {
        return Err("the model has no convolution followed by a ReLU".into());
    };
    let conv_name = model.layers[last_conv].0.clone();

    // mean[i][c]: image i's mean activation of channel c.
    let test = &split.test;
    let mut mean: Vec<Vec<f32>> = Vec::with_capacity(test.len());
    let indices: Vec<usize> = (0..test.len()).collect();
    for batch in indices.chunks(256) {
        let (x, _) = test.batch(batch);
        let trace = model.forward_trace(&x, Mode::Eval);
        let a = &trace.inputs[last_conv + 2];
        let [n, channels, h, w] = a.shape();
        for i in 0..n {
            mean.push(
                (0..channels)
                    .map(|c| {
                        let at = (i * channels + c) * h * w;
                        a.data()[at..at + h * w].iter().sum::<f32>() / (h * w) as f32
                    })
                    .collect(),
            );
        }
    }
    let classes = &test.classes;
    let channels = mean.first().map_or(0, Vec::len);
    let class_means = |c: usize| -> Vec<f32> {
        (0..classes.len())
            .map(|k| {
                let of_k: Vec<f32> = (0..test.len())
                    .filter(|&i| usize::from(test.labels[i]) == k)
                    .map(|i| mean[i][c])
                    .collect();
                of_k.iter().sum::<f32>() / of_k.len().max(1) as f32
            })
            .collect()
    };
    // A dead channel (ReLU output ≈ 0 on every image) has a ratio of rounding
    // noise, so only channels whose best class mean reaches 5 % of the largest
    // class mean of any channel take part.
    let all: Vec<Vec<f32>> = (0..channels).map(class_means).collect();
    let peak = |m: &[f32]| m.iter().fold(0f32, |a, &v| a.max(v));
    let loudest = all.iter().map(|m| peak(m)).fold(0f32, f32::max);
    let Some((unit, (class, score))) = (0..channels)
        .filter(|&c| peak(&all[c]) >= 0.05 * loudest && loudest > 0.0)
        .map(|c| (c, selectivity(&all[c])))
        .max_by(|a, b| a.1 .1.total_cmp(&b.1 .1))
    else {
        return Err("every channel of the last convolution is dead".into());
    };
    let means = all[unit].clone();
    say!(
        "most selective channel of {conv_name}: #{unit}, class {} ({}), selectivity {score:.3}",
        class, classes[class]
    );
    say!("mean activation per class:");
    for (name, m) in classes.iter().zip(&means) {
        say!("  {name:<12} {m:.4}");
    }

    let mut top: Vec<usize> = (0..test.len()).collect();
    top.sort_by(|&a, &b| mean[b][unit].total_cmp(&mean[a][unit]));
    let thumbnails: Vec<Picture> = top
        .iter()
        .take(8)
        .map(|&i| {
            let pixels: Vec<f32> = test
                .image(i)
                .iter()
                .map(|&p| f32::from(p) / 255.0)
                .collect();
            Picture {
                caption: classes[usize::from(test.labels[i])].clone(),
                channels: 1,
                height: test.shape[1],
                width: test.shape[2],
                pixels,
            }
        })
        .collect();
    let path = args.out.join("concept_unit.png");
    let title = format!(
        "{conv_name} channel #{unit}: selectivity {score:.2} for {}",
        classes[class]
    );
    draw(&path, &title, classes, &means, class, &thumbnails)?;
    say!("wrote {}", path.display());
    Ok(())
}

/// Left: horizontal bars of the mean activation per class (the best in orange);
/// right: the top-activating images with their true class.
fn draw(
    path: &Path,
    title: &str,
    classes: &[String],
    means: &[f32],
    best: usize,
    thumbnails: &[Picture],
) -> Result<(), Box<dyn std::error::Error>> {
    crate::plot::png(path, (760, 420), |root| {
        root.fill(&WHITE)?;
        let root = root.titled(title, ("sans-serif", 20))?;
        let (left, right) = root.split_horizontally(420);
        let top = means.iter().fold(0f32, |m, &v| m.max(v)).max(1e-6) * 1.1;
        let k = classes.len();
        let mut chart = ChartBuilder::on(&left)
            .caption("mean activation per class (test set)", ("sans-serif", 15))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(96)
            .build_cartesian_2d(
                0f32..top,
                (0..k.saturating_sub(1)).into_segmented(),
            )?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(k)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) if *i < k => classes[k - 1 - *i].clone(),
                _ => String::new(),
            })
            .x_labels(5)
            .label_style(("sans-serif", 13))
            .draw()?;
        // The first class on top: row i from the bottom shows class k − 1 − i.
        chart.draw_series((0..k).map(|row| {
            let c = k - 1 - row;
            let color = if c == best {
                RGBColor(255, 127, 14)
            } else {
                RGBColor(31, 119, 180)
            };
            let mut bar = Rectangle::new(
                [
                    (0.0, SegmentValue::Exact(row)),
                    (means[c], SegmentValue::Exact(row + 1)),
                ],
                color.filled(),
            );
            bar.set_margin(3, 3, 0, 0);
            bar
        }))?;

        right.draw(&Text::new(
            "top-activating test images",
            (10, 8),
            ("sans-serif", 15).into_font().color(&BLACK),
        ))?;
        let (cell, columns) = (76i32, 4usize);
        for (n, picture) in thumbnails.iter().enumerate() {
            let x0 = 6 + (n % columns) as i32 * (cell + 8);
            let y0 = 40 + (n / columns) as i32 * (cell + 30);
            let scale =
                f64::from(cell) / picture.width.max(picture.height).max(1) as f64;
            let edge = |v: usize| (v as f64 * scale) as i32;
            for y in 0..picture.height {
                for x in 0..picture.width {
                    let v = (picture.pixels[y * picture.width + x].clamp(0.0, 1.0)
                        * 255.0)
                        .round() as u8;
                    right.draw(&Rectangle::new(
                        [
                            (x0 + edge(x), y0 + edge(y)),
                            (x0 + edge(x + 1), y0 + edge(y + 1)),
                        ],
                        RGBColor(v, v, v).filled(),
                    ))?;
                }
            }
            right.draw(&Text::new(
                picture.caption.as_str(),
                (x0, y0 + cell + 4),
                ("sans-serif", 12).into_font().color(&BLACK),
            ))?;
        }
        Ok(())
    })?;
    Ok(())
}
