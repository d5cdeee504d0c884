//! Under-fitting, a good fit and over-fitting side by side (the lecture's three
//! panels): models of growing capacity — a dense layer on the features
//! 1, x, …, xᵏ, fitted exactly by least squares — on a few noisy points of
//! y = sin(πx), with the training, validation and test losses against the
//! capacity k. The capacity is chosen on the validation points; the test points
//! are looked at once, for the chosen model, at the end.

use crate::plot::{line_chart_grid, line_charts, panels, Axes, Series, PALETTE};
use clap::Parser;
use mlp::Matrix;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Normal};
use std::path::PathBuf;

/// Options.
#[derive(Parser, Debug, Clone)]
#[command(
    name = "fitting",
    about = "Under-fitting, a good fit and over-fitting, with train and test curves"
)]
pub struct Args {
    /// Folder for the figures.
    #[arg(long, default_value = "out/fitting")]
    pub out: PathBuf,
    /// Seed for the points and the weights.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Training points.
    #[arg(long, default_value_t = 12)]
    pub points: usize,
    /// Standard deviation of the noise on y.
    #[arg(long, default_value_t = 0.2)]
    pub noise: f32,
}

/// Points held out to choose the capacity.
const VALIDATION_POINTS: usize = 50;

/// n points over [−1, 1]: evenly spread with a little jitter when `spread`, else
/// uniform at random; y = sin(πx) + noise.
fn data(n: usize, noise: f32, spread: bool, rng: &mut StdRng) -> (Matrix, Matrix) {
    let normal = Normal::new(0.0, noise.max(0.0)).map_err(|_| ()).ok();
    let step = 2.0 / n as f32;
    let x = Matrix::from_fn(n, 1, |i, _| {
        if spread {
            -1.0 + step * (i as f32 + rng.random_range(0.2..0.8))
        } else {
            rng.random_range(-1.0..1.0)
        }
    });
    let y = x.map(|v| {
        (std::f32::consts::PI * v).sin() + normal.map_or(0.0, |d| d.sample(rng))
    });
    (x, y)
}

/// The features 1, x, x², …, x^degree of each x, one row per point.
fn powers(x: &Matrix, degree: usize) -> Matrix {
    Matrix::from_fn(x.nrows(), degree + 1, |i, k| x[i].powi(k as i32))
}

/// The weights of a dense layer on `powers(x, degree)` that minimise the training
/// MSE exactly (least squares, by SVD), and its predictions on `grid`.
fn fit(x: &Matrix, y: &Matrix, degree: usize) -> Result<Matrix, String> {
    let a = powers(x, degree).cast::<f64>();
    let w = a
        .svd(true, true)
        .solve(&y.clone().cast::<f64>(), 1e-12)
        .map_err(|e| format!("least squares failed for degree {degree}: {e}"))?;
    Ok(w.cast::<f32>())
}

fn mse_of(x: &Matrix, y: &Matrix, w: &Matrix, degree: usize) -> f32 {
    losses::mse(&(powers(x, degree) * w), y).0
}

/// Fits polynomials of every degree and draws three of them and the curves.
pub fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    if args.points < 4 {
        return Err("--points must be at least 4".into());
    }
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let mut rng = StdRng::seed_from_u64(args.seed);
    let (x, y) = data(args.points, args.noise, true, &mut rng);
    let (x_val, y_val) = data(VALIDATION_POINTS, args.noise, false, &mut rng);
    let (x_test, y_test) = data(200, args.noise, false, &mut rng);
    let max_degree = args.points - 1; // enough weights to pass through every point
    let grid: Vec<f32> = (0..=400).map(|i| -1.0 + i as f32 / 200.0).collect();
    let grid_m = Matrix::from_row_slice(grid.len(), 1, &grid);
    let (mut train_curve, mut val_curve, mut test_curve) =
        (Vec::new(), Vec::new(), Vec::new());
    let mut fits = Vec::new();
    for degree in 0..=max_degree {
        let w = fit(&x, &y, degree)?;
        let (train, test) = (
            mse_of(&x, &y, &w, degree),
            mse_of(&x_test, &y_test, &w, degree),
        );
        train_curve.push((degree as f32, train.max(1e-6)));
        val_curve.push((degree as f32, mse_of(&x_val, &y_val, &w, degree)));
        test_curve.push((degree as f32, test));
        fits.push((degree, train, test, powers(&grid_m, degree) * &w));
    }
    // The capacity is a hyper-parameter: choose it on the validation points.
    let best = (1..max_degree)
        .min_by(|&a, &b| val_curve[a].1.total_cmp(&val_curve[b].1))
        .unwrap_or(1);
    println!(
        "{} training, {VALIDATION_POINTS} validation and 200 test points",
        args.points
    );
    println!(
        "chosen on validation: degree {best}, validation MSE {:.4}, test MSE {:.4}",
        val_curve[best].1, test_curve[best].1
    );
    let chosen = [
        (1, "Under-fitting"),
        (best, "Good fit"),
        (max_degree, "Over-fitting"),
    ];
    for &(d, name) in &chosen {
        println!("{name:<14} degree {d:>2} ({:>2} weights): train MSE {:.4}, test MSE {:.4}", d + 1, fits[d].1, fits[d].2);
    }
    let titles: Vec<String> = chosen
        .iter()
        .map(|(d, name)| format!("{name}: degree {d} ({} weights)", d + 1))
        .collect();
    let axes: Vec<Axes<'_>> = titles
        .iter()
        .map(|t| Axes {
            title: t,
            x_label: "x",
            y_label: "y",
            log_y: false,
        })
        .collect();
    let truth: Vec<(f32, f32)> = grid
        .iter()
        .map(|&v| (v, (std::f32::consts::PI * v).sin()))
        .collect();
    let series: Vec<Vec<Series>> = chosen
        .iter()
        .map(|&(d, _)| {
            let (_, train, test, pred) = &fits[d];
            vec![
                Series::line("sin(πx)", truth.clone(), PALETTE[7]),
                Series {
                    name: format!("model: train {train:.3}, test {test:.3}"),
                    points: grid
                        .iter()
                        .copied()
                        .zip(pred.iter().map(|v| v.clamp(-2.0, 2.0)))
                        .collect(),
                    color: PALETTE[0],
                    dots: false,
                },
                Series::dots(
                    "test points",
                    x_test
                        .iter()
                        .copied()
                        .zip(y_test.iter().copied())
                        .take(80)
                        .collect(),
                    PALETTE[1],
                ),
                Series::dots(
                    "training points",
                    x.iter().copied().zip(y.iter().copied()).collect(),
                    PALETTE[3],
                ),
            ]
        })
        .collect();
    let panels = panels(&axes, &series);
    let path = args.out.join("fitting.png");
    // One panel per row: side by side, a page ~750 px wide shrinks the legends
    // until they cannot be read.
    line_chart_grid(&path, (900, 1500), &panels, 1)?;
    println!("wrote {}", path.display());
    let axes = Axes {
        title: "Loss against capacity",
        x_label: "polynomial degree",
        y_label: "MSE (log scale)",
        log_y: true,
    };
    let curves = [
        Series::line("training", train_curve, PALETTE[3]),
        Series::line("validation", val_curve, PALETTE[2]),
        Series::line("test", test_curve, PALETTE[1]),
    ];
    let path = args.out.join("fitting_curves.png");
    line_charts(&path, (900, 520), &[(&axes, &curves)])?;
    println!("wrote {}", path.display());
    Ok(())
}
