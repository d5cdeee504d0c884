//! The lecture's activation functions, each next to its derivative: step,
//! sigmoid, tanh, ReLU and SIREN's sine.

use crate::plot::{line_chart_grid, panels, Axes, Series, PALETTE};
use crate::say;
use activations::Activation;
use clap::Parser;
use std::path::PathBuf;

/// Options.
#[derive(Parser, Debug, Clone)]
#[command(
    name = "activations",
    about = "Plot step, sigmoid, tanh, ReLU and sine with their derivatives"
)]
pub struct Args {
    /// Folder for the figure.
    #[arg(long, default_value = "out/activations")]
    pub out: PathBuf,
    /// ω₀ of the sine activation (SIREN uses 30; 1 shows the shape).
    #[arg(long, default_value_t = 1.0)]
    pub omega_0: f32,
    /// Half-width of the x range.
    #[arg(long, default_value_t = 5.0)]
    pub range: f32,
    /// Accepted for uniformity with the other demos; nothing here is random.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

/// Writes `activations.png`.
pub fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    if !(args.range.is_finite() && args.range > 0.0) {
        return Err("--range must be a positive number".into());
    }
    if !(args.omega_0.is_finite() && args.omega_0 > 0.0) {
        return Err(format!(
            "--omega-0 {} is not a frequency: pass a positive number (SIREN uses 30)",
            args.omega_0
        )
        .into());
    }
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let functions = [
        ("step", Activation::Step),
        ("sigmoid", Activation::Sigmoid),
        ("tanh", Activation::Tanh),
        ("ReLU", Activation::Relu),
        (
            "sine (SIREN)",
            Activation::Sine {
                omega_0: args.omega_0,
            },
        ),
    ];
    let xs: Vec<f32> = (0..=400)
        .map(|i| -args.range + 2.0 * args.range * i as f32 / 400.0)
        .collect();
    let titles: Vec<String> = functions.iter().map(|(n, _)| n.to_string()).collect();
    let axes: Vec<Axes<'_>> = titles
        .iter()
        .map(|t| Axes {
            title: t,
            x_label: "x",
            y_label: "",
            log_y: false,
        })
        .collect();
    let series: Vec<Vec<Series>> = functions
        .iter()
        .map(|(_, g)| {
            vec![
                Series::line(
                    "g(x)",
                    xs.iter().map(|&x| (x, g.apply(x))).collect(),
                    PALETTE[0],
                ),
                Series::line(
                    "g′(x)",
                    xs.iter().map(|&x| (x, g.derivative(x))).collect(),
                    PALETTE[1],
                ),
            ]
        })
        .collect();
    let panels = panels(&axes, &series);
    let path = args.out.join("activations.png");
    line_chart_grid(&path, (1500, 820), &panels, 3)?;
    say!("wrote {}", path.display());
    Ok(())
}
