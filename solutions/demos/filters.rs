//! What a trained CNN looks at (Zeiler & Fergus, in small): the first layer's
//! filters, and the feature maps of every block for one test image.

use crate::plot::{picture_grid, Picture};
use crate::say;
use clap::Parser;
use cnn::layers::Mode;
use cnn::models::tiny_vgg;
use cnn::{checkpoint, data, train, Cnn, Layer};
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::path::{Path, PathBuf};

/// Options.
#[derive(Parser, Debug, Clone)]
#[command(
    name = "filters",
    about = "Draw a trained TinyVGG's filters and feature maps"
)]
pub struct Args {
    /// Folder for the figures.
    #[arg(long, default_value = "out/filters")]
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
    /// Which test image to follow through the network.
    #[arg(long, default_value_t = 0)]
    pub index: usize,
    /// Use only the first N training images when training here.
    #[arg(long)]
    pub train_limit: Option<usize>,
}

/// The TinyVGG the demos that look inside a trained network use: the weights of
/// `weights` when given, otherwise trained on `split.train` for `epochs` with the
/// hands-on's recipe (SGD lr 0.1, batch 32), its test accuracy printed. Returns
/// the model and the seeded generator, which goes on from where training left it.
pub fn trained_tiny_vgg(
    split: &data::Split,
    weights: Option<&Path>,
    epochs: usize,
    seed: u64,
) -> Result<(Cnn, StdRng), Box<dyn std::error::Error>> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut model = tiny_vgg(split.train.shape, 10, 10, &mut rng);
    match weights {
        Some(path) => {
            // The demos that look inside a network draw a TinyVGG: the model is
            // named, so a PyTorch state_dict of one loads (with a warning).
            match checkpoint::load_into(&mut model, path, &split.test, true) {
                Ok(loaded) => {
                    if let Some(w) = loaded.warning {
                        crate::warn(format_args!("warning: {w}"));
                    }
                }
                Err(cnn::Error::WrongModel { path, holds, .. }) => {
                    return Err(format!("{}: holds a {holds} model, but this demo draws a TinyVGG: pass the tinyvgg.safetensors the cnn demo writes (cargo run --release -p solutions --bin cnn)", path.display()).into());
                }
                Err(e) => return Err(e.into()),
            }
        }
        None if split.train.is_empty() => {
            return Err("--train-limit 0 leaves no image to train on: pass at least 1, or leave it out for all of them".into());
        }
        None => {
            let mut opt = sgd::Sgd::new(0.1);
            for epoch in 0..epochs {
                train::train_epoch(
                    &mut model,
                    &split.train,
                    32,
                    &mut opt,
                    &mut rng,
                    (epoch, epochs),
                )?;
            }
        }
    }
    let accuracy = train::evaluate(&mut model, &split.test, 256).accuracy;
    say!(
        "TinyVGG test accuracy on {}: {:.2} %",
        split.test.name,
        accuracy * 100.0
    );
    Ok((model, rng))
}

/// Trains or loads, then draws.
pub fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let mut split = data::embedded_fashion_mnist();
    if let Some(n) = args.train_limit {
        split.train = split.train.take(n);
    }
    if args.index >= split.test.len() {
        return Err(format!(
            "--index {} is past the {} test images",
            args.index,
            split.test.len()
        )
        .into());
    }
    let (mut model, _) =
        trained_tiny_vgg(&split, args.weights.as_deref(), args.epochs, args.seed)?;
    // After the weights are accepted: a refused checkpoint leaves no folder.
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;

    // First-layer filters.
    let Some((_, Layer::Conv(first))) = model.layers.first() else {
        return Err("the model does not start with a convolution".into());
    };
    let [c_out, c_in, k, _] = first.weight.shape();
    let filters: Vec<Picture> = (0..c_out)
        .map(|o| {
            let w = &first.weight.data()[o * c_in * k * k..(o * c_in + 1) * k * k];
            Picture::grey_normalised(format!("filter {o}"), k, k, w)
        })
        .collect();
    let path = args.out.join("filters.png");
    picture_grid(
        &path,
        "First-layer filters (3 × 3, black = most negative)",
        &filters,
        5,
        110,
    )?;
    say!("wrote {}", path.display());

    // Feature maps of one image.
    let (x, labels) = split.test.batch(&[args.index]);
    let trace = model.forward_trace(&x, Mode::Eval);
    let class = &split.test.classes[labels[0]];
    let mut pictures = vec![Picture::grey_normalised(
        format!("input: {class}"),
        28,
        28,
        x.data(),
    )];
    pictures.extend((0..9).map(|_| Picture {
        caption: String::new(),
        channels: 1,
        height: 1,
        width: 1,
        pixels: vec![1.0],
    }));
    for (k, (name, layer)) in model.layers.iter().enumerate() {
        let keep = matches!(layer, Layer::Relu | Layer::MaxPool(_));
        let Some(output) = trace.inputs.get(k + 1).filter(|_| keep) else {
            continue;
        };
        let [_, channels, h, w] = output.shape();
        for ch in 0..channels.min(10) {
            let plane = &output.data()[ch * h * w..(ch + 1) * h * w];
            pictures.push(Picture::grey_normalised(
                format!("{name} #{ch}"),
                h,
                w,
                plane,
            ));
        }
    }
    let path = args.out.join("feature_maps.png");
    let title = format!(
        "Feature maps of test image {} ({class}) after each ReLU and pooling",
        args.index
    );
    picture_grid(&path, &title, &pictures, 10, 96)?;
    say!("wrote {}", path.display());
    Ok(())
}
