//! The lecture's "ReLU (baseline) / SIREN" slide: one network fits a picture as a
//! function f(x, y) → intensity, once with ReLU and once with SIREN's sine
//! activations, for the same number of steps.
//!
//! The picture is scikit-image's `camera` (photograph by Lav Varshney, CC0),
//! 64 × 64 grey, in `assets/images/`.

use crate::plot::{line_charts, picture_grid, Axes, Picture, Series, PALETTE};
use crate::say;
use activations::Activation;
use clap::Parser;
use mlp::{Init, Layer, Matrix, Mlp};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sgd::{Adam, Optimizer};
use std::path::{Path, PathBuf};

/// The embedded picture.
const CAMERA: &[u8] = include_bytes!("../../assets/images/camera-64.pgm");

/// Options.
#[derive(Parser, Debug, Clone)]
#[command(
    name = "siren",
    about = "ReLU against SIREN fitting a picture as f(x, y)"
)]
pub struct Args {
    /// Folder for the figures.
    #[arg(long, default_value = "out/siren")]
    pub out: PathBuf,
    /// Seed for the weights.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Full-batch Adam steps for each network.
    #[arg(long, default_value_t = 500)]
    pub steps: usize,
    /// Adam's learning rate (the SIREN paper's 1e-4).
    #[arg(long, default_value_t = 1e-4)]
    pub lr: f32,
    /// Hidden width (three hidden layers, at most 4096).
    #[arg(long, default_value_t = 64)]
    pub hidden: usize,
    /// SIREN's ω₀, a positive number.
    #[arg(long, default_value_t = 30.0)]
    pub omega_0: f32,
    /// A binary PGM (P5) picture to fit instead of the embedded one.
    #[arg(long)]
    pub image: Option<PathBuf>,
}

/// Reads a binary PGM: "P5", width, height, max value, then the bytes.
pub fn read_pgm(
    bytes: &[u8],
    path: &Path,
) -> Result<(usize, usize, Vec<f32>), String> {
    let bad = |what: &str| {
        format!(
            "{}: {what}; expected a binary PGM (P5) with max value 255",
            path.display()
        )
    };
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'#' {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if start == i {
            return Err(bad("the header is truncated"));
        }
        fields.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
    }
    if fields[0] != "P5" || fields[3] != "255" {
        return Err(bad("not a P5 file with 8-bit values"));
    }
    let (w, h): (usize, usize) = match (fields[1].parse(), fields[2].parse()) {
        (Ok(w), Ok(h)) if w > 0 && h > 0 => (w, h),
        _ => return Err(bad("the size is not two positive numbers")),
    };
    let body = &bytes[(i + 1).min(bytes.len())..];
    if w.checked_mul(h) != Some(body.len()) {
        return Err(bad(&format!(
            "{w}×{h} needs {} bytes of pixels, the file has {}",
            w as u128 * h as u128,
            body.len()
        )));
    }
    Ok((w, h, body.iter().map(|&b| f32::from(b) / 255.0).collect()))
}

/// SIREN's initialisation (Sitzmann et al., 2020): first layer U(−1/in, 1/in),
/// later layers U(−√(6/in)/ω₀, √(6/in)/ω₀); biases U(−1/√in, 1/√in).
fn siren_init(net: &mut Mlp, omega_0: f32, rng: &mut StdRng) {
    for (k, layer) in net
        .layers
        .iter_mut()
        .filter_map(|l| match l {
            Layer::Dense(d) => Some(d),
            Layer::Activation(_) => None,
        })
        .enumerate()
    {
        let fan_in = layer.inputs() as f32;
        let bound = if k == 0 {
            1.0 / fan_in
        } else {
            (6.0 / fan_in).sqrt() / omega_0
        };
        layer.weight.apply(|w| *w = rng.random_range(-bound..bound));
        let b = 1.0 / fan_in.sqrt();
        layer.bias.apply(|v| *v = rng.random_range(-b..b));
    }
}

fn psnr(mse: f32) -> f32 {
    // Intensities in [0, 1]: PSNR = 10·log₁₀(1 / MSE).
    10.0 * (1.0 / mse.max(1e-12)).log10()
}

/// Fits both networks and draws them.
pub fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let (w, h, pixels) = match &args.image {
        Some(p) => read_pgm(
            &std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?,
            p,
        )?,
        None => read_pgm(CAMERA, Path::new("assets/images/camera-64.pgm"))?,
    };
    if args.hidden == 0 || args.steps == 0 {
        return Err("--hidden and --steps must be at least 1".into());
    }
    crate::check_width("--hidden", args.hidden)?;
    crate::check_lr("--lr", args.lr)?;
    if !(args.omega_0.is_finite() && args.omega_0 > 0.0) {
        return Err(format!(
            "--omega-0 {} is not a frequency: pass a positive number (SIREN uses 30)",
            args.omega_0
        )
        .into());
    }
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let coords = Matrix::from_fn(w * h, 2, |i, j| {
        let (y, x) = (i / w, i % w);
        let v = if j == 0 {
            x as f32 / (w - 1).max(1) as f32
        } else {
            y as f32 / (h - 1).max(1) as f32
        };
        2.0 * v - 1.0
    });
    let target = Matrix::from_fn(w * h, 1, |i, _| pixels[i]);
    let sizes = [2, args.hidden, args.hidden, args.hidden, 1];
    let mut rng = StdRng::seed_from_u64(args.seed);
    let mut relu = Mlp::new(&sizes, Activation::Relu, Init::He, &mut rng);
    let mut siren = Mlp::new(
        &sizes,
        Activation::Sine {
            omega_0: args.omega_0,
        },
        Init::Xavier,
        &mut rng,
    );
    siren_init(&mut siren, args.omega_0, &mut rng);
    let mut pictures = vec![Picture {
        caption: "the picture".into(),
        channels: 1,
        height: h,
        width: w,
        pixels: pixels.clone(),
    }];
    let mut curves = Vec::new();
    for (name, net) in [("ReLU (baseline)", &mut relu), ("SIREN (sine)", &mut siren)]
    {
        let mut adam = Adam::new(args.lr);
        let mut curve = Vec::new();
        let start = std::time::Instant::now();
        for step in 0..args.steps {
            net.zero_grad();
            let trace = net.forward_trace(&coords);
            let (loss, grad) = losses::mse(trace.last().expect("output"), &target);
            if !loss.is_finite() {
                return Err(format!(
                    "{name}: the loss became {loss} at step {step}; pass a lower --lr"
                )
                .into());
            }
            curve.push((step as f32, psnr(loss)));
            net.backward(&trace, &grad);
            adam.step(&mut net.parameters());
        }
        let out = net.forward(&coords);
        let mse = losses::mse(&out, &target).0;
        say!(
            "{name:<16} {} steps: MSE {mse:.5}, PSNR {:.1} dB ({:.1} s)",
            args.steps,
            psnr(mse),
            start.elapsed().as_secs_f64()
        );
        pictures.push(Picture {
            caption: format!("{name}, {:.1} dB", psnr(mse)),
            channels: 1,
            height: h,
            width: w,
            pixels: out.iter().map(|v| v.clamp(0.0, 1.0)).collect(),
        });
        curves.push((name, curve));
    }
    let path = args.out.join("siren.png");
    let title = format!(
        "Fitting f(x, y) → intensity, {} Adam steps each",
        args.steps
    );
    picture_grid(&path, &title, &pictures, 3, 256)?;
    say!("wrote {}", path.display());
    let axes = Axes {
        title: "Reconstruction quality while training",
        x_label: "Adam step",
        y_label: "PSNR (dB)",
        log_y: false,
    };
    let series: Vec<Series> = curves
        .into_iter()
        .enumerate()
        .map(|(k, (name, points))| Series {
            name: name.into(),
            points,
            color: PALETTE[k],
            dots: false,
        })
        .collect();
    let path = args.out.join("siren_psnr.png");
    line_charts(&path, (900, 520), &[(&axes, &series)])?;
    say!("wrote {}", path.display());
    Ok(())
}
