//! Under-fitting, a good fit and over-fitting side by side (the lecture's three
//! panels): models of growing capacity — a dense layer on the features
//! 1, x, …, xᵏ, fitted exactly by least squares ([`Fits`]) — on a few noisy points of
//! y = sin(πx), with the training, validation and test losses against the
//! capacity k. The capacity is chosen on the validation points; the test points
//! are looked at once, for the chosen model, at the end.

use crate::plot::{line_chart_grid, line_charts, panels, Axes, Series, PALETTE};
use crate::say;
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
    /// Training points (at most 2 000).
    #[arg(long, default_value_t = 12)]
    pub points: usize,
    /// Standard deviation of the noise on y (≥ 0).
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

/// The least-squares polynomials of every degree 0, 1, …, `max_degree` through
/// a set of points, computed together by "Vandermonde with Arnoldi" (Brubeck,
/// Nakatsukasa & Trefethen, SIAM Review 2021).
///
/// The features 1, x, …, xᵈ span the same functions as an orthonormal basis
/// q₀, …, q_d of them on the training points, built one degree at a time:
/// q₀ = 1/√n, and q_{k+1} is x·q_k with its components along q₀, …, q_k removed,
/// then normalised (the coefficients h go into a Hessenberg matrix). In that
/// basis the least-squares weights are just cᵏ = ⟨q_k, y⟩, and the fit of degree d
/// is Σ_{k≤d} c_k q_k. Degree d costs O(n·d) on top of degree d − 1, the size
/// of its own problem (an SVD per degree costs O(n·d²), O(n⁴) for all of them),
/// and the basis, unlike the powers of x, stays well-conditioned at high degree.
pub struct Fits {
    /// h[k]: the coefficients of x·q_k along q₀, …, q_{k+1}.
    h: Vec<Vec<f64>>,
    /// c_k = ⟨q_k, y⟩, the weight of q_k.
    weights: Vec<f64>,
    /// The fits at the training points, one row per degree.
    train: Vec<Vec<f64>>,
    /// Multiply-adds done so far, for the test that the cost stays O(n·d) a degree.
    pub work: u64,
}

impl Fits {
    /// Fits every degree up to `max_degree` (at most `x.len() − 1`) to (x, y).
    pub fn new(x: &[f64], y: &[f64], max_degree: usize) -> Fits {
        let n = x.len();
        let dot =
            |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(p, q)| p * q).sum::<f64>();
        let mut q = vec![vec![1.0 / (n as f64).sqrt(); n]];
        let mut h: Vec<Vec<f64>> = Vec::new();
        let mut weights = vec![dot(&q[0], y)];
        let mut work = 2 * n as u64;
        let mut fit: Vec<f64> = q[0].iter().map(|v| v * weights[0]).collect();
        let mut train = vec![fit.clone()];
        for k in 0..max_degree.min(n.saturating_sub(1)) {
            // x·q_k, orthogonalised against q₀, …, q_k (modified Gram–Schmidt).
            let mut v: Vec<f64> = x.iter().zip(&q[k]).map(|(a, b)| a * b).collect();
            let mut column = Vec::with_capacity(k + 2);
            for qj in &q {
                let c = dot(qj, &v);
                v.iter_mut().zip(qj).for_each(|(v, q)| *v -= c * q);
                column.push(c);
            }
            let norm = dot(&v, &v).sqrt();
            work += (n * (2 * q.len() + 4)) as u64;
            if norm.is_nan() || norm <= 1e-13 {
                // No new direction: two training points share an x.
                break;
            }
            column.push(norm);
            v.iter_mut().for_each(|v| *v /= norm);
            let c = dot(&v, y);
            fit.iter_mut().zip(&v).for_each(|(f, q)| *f += c * q);
            train.push(fit.clone());
            weights.push(c);
            h.push(column);
            q.push(v);
        }
        Fits {
            h,
            weights,
            train,
            work,
        }
    }

    /// The highest degree fitted.
    pub fn max_degree(&self) -> usize {
        self.weights.len() - 1
    }

    /// The fit of every degree at the training points, one row per degree.
    pub fn at_training_points(&self) -> &[Vec<f64>] {
        &self.train
    }

    /// The fit of every degree at new points `z`, one row per degree: the basis
    /// at z follows the same recurrence, q_{k+1}(z) = (z·q_k(z) − Σ_{j≤k} h_jk
    /// q_j(z)) / h_{k+1,k}.
    pub fn at(&mut self, z: &[f64]) -> Vec<Vec<f64>> {
        let d = self.max_degree();
        let mut out = vec![vec![0.0; z.len()]; d + 1];
        let q0 = 1.0 / (self.train[0].len() as f64).sqrt();
        for (i, &zi) in z.iter().enumerate() {
            let mut q = Vec::with_capacity(d + 1);
            q.push(q0);
            let mut fit = self.weights[0] * q0;
            out[0][i] = fit;
            for (k, column) in self.h.iter().enumerate() {
                let along: f64 =
                    column[..=k].iter().zip(&q).map(|(h, q)| h * q).sum();
                let next = (zi * q[k] - along) / column[k + 1];
                fit += self.weights[k + 1] * next;
                q.push(next);
                out[k + 1][i] = fit;
            }
        }
        self.work += (z.len() * (d + 1) * (d + 4) / 2) as u64;
        out
    }
}

/// The degree, between 1 and the highest but one, with the lowest validation
/// MSE (`validation[d]` for degree d). A degree whose fit overflowed on the
/// validation points (an MSE of inf or NaN) is never chosen; 1 if all did.
fn best_degree(validation: &[f32]) -> usize {
    (1..validation.len().saturating_sub(1))
        .filter(|&d| validation[d].is_finite())
        .min_by(|&a, &b| validation[a].total_cmp(&validation[b]))
        .unwrap_or(1)
}

/// An MSE with four decimals, or what an infinite or NaN one means: the
/// polynomial's values overflow f32 away from the points it was fitted to.
fn shown(mse: f32) -> String {
    if mse.is_finite() {
        format!("{mse:.4}")
    } else {
        "overflow (the polynomial's values exceed f32)".to_string()
    }
}

/// The MSE of predictions (in f64) against targets, in f32 as the loss is.
fn mse_of(prediction: &[f64], y: &Matrix) -> f32 {
    let p =
        Matrix::from_iterator(y.nrows(), 1, prediction.iter().map(|&v| v as f32));
    losses::mse(&p, y).0
}

/// The most training points: every degree up to points − 1 is fitted, which
/// costs about points³ multiply-adds (8·10⁹ for 2 000, a few seconds).
pub const MAX_POINTS: usize = 2000;

/// Fits polynomials of every degree and draws three of them and the curves.
pub fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    if args.points < 4 {
        return Err("--points must be at least 4".into());
    }
    if args.points > MAX_POINTS {
        return Err(format!(
            "--points {} is more than {MAX_POINTS}: every degree from 0 to points − 1 is fitted, which costs about points³ operations; pass at most {MAX_POINTS}",
            args.points
        )
        .into());
    }
    if !(args.noise.is_finite() && args.noise >= 0.0) {
        return Err(format!(
            "--noise {} is not a standard deviation: pass a number ≥ 0 (0 for no noise)",
            args.noise
        )
        .into());
    }
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let mut rng = StdRng::seed_from_u64(args.seed);
    let (x, y) = data(args.points, args.noise, true, &mut rng);
    let (x_val, y_val) = data(VALIDATION_POINTS, args.noise, false, &mut rng);
    let (x_test, y_test) = data(200, args.noise, false, &mut rng);
    let grid: Vec<f32> = (0..=400).map(|i| -1.0 + i as f32 / 200.0).collect();
    let wide = |m: &Matrix| m.iter().map(|&v| f64::from(v)).collect::<Vec<f64>>();
    // Enough weights to pass through every point: degree points − 1.
    let mut fits = Fits::new(&wide(&x), &wide(&y), args.points - 1);
    let max_degree = fits.max_degree();
    let val = fits.at(&wide(&x_val));
    let test = fits.at(&wide(&x_test));
    let on_grid = fits.at(&grid.iter().map(|&v| f64::from(v)).collect::<Vec<_>>());
    let (mut train_curve, mut val_curve, mut test_curve) =
        (Vec::new(), Vec::new(), Vec::new());
    let mut results = Vec::new();
    for degree in 0..=max_degree {
        let train = mse_of(&fits.at_training_points()[degree], &y);
        let test = mse_of(&test[degree], &y_test);
        train_curve.push((degree as f32, train.max(1e-6)));
        val_curve.push((degree as f32, mse_of(&val[degree], &y_val)));
        test_curve.push((degree as f32, test));
        results.push((train, test));
    }
    // The capacity is a hyper-parameter: choose it on the validation points.
    let validation: Vec<f32> = val_curve.iter().map(|&(_, mse)| mse).collect();
    let best = best_degree(&validation);
    say!(
        "{} training, {VALIDATION_POINTS} validation and 200 test points",
        args.points
    );
    say!(
        "chosen on validation: degree {best}, validation MSE {}, test MSE {}",
        shown(val_curve[best].1),
        shown(test_curve[best].1)
    );
    let chosen = [
        (1, "Under-fitting"),
        (best, "Good fit"),
        (max_degree, "Over-fitting"),
    ];
    let width = (max_degree + 1).to_string().len();
    for &(d, name) in &chosen {
        say!(
            "{name:<14} degree {d:>width$} ({:>width$} weights): train MSE {}, test MSE {}",
            d + 1,
            shown(results[d].0),
            shown(results[d].1)
        );
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
            let (train, test) = results[d];
            let pred = &on_grid[d];
            vec![
                Series::line("sin(πx)", truth.clone(), PALETTE[7]),
                Series {
                    name: format!("model: train {train:.3}, test {test:.3}"),
                    points: grid
                        .iter()
                        .copied()
                        .zip(pred.iter().map(|&v| (v as f32).clamp(-2.0, 2.0)))
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
    say!("wrote {}", path.display());
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
    say!("wrote {}", path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::best_degree;

    #[test]
    fn the_chosen_degree_has_the_lowest_finite_validation_mse() {
        // Degrees 0..=5; the last is never chosen (it passes through every point).
        assert_eq!(best_degree(&[9.0, 4.0, 1.0, 2.0, 3.0, 0.0]), 2);
        // Fits that overflowed on the validation points: NaN of either sign
        // (total_cmp puts −NaN below every number) and inf are passed over.
        let nan = f32::NAN;
        assert_eq!(
            best_degree(&[9.0, 4.0, -nan, 2.0, f32::INFINITY, nan, 0.0]),
            3
        );
        assert_eq!(best_degree(&[9.0, nan, -nan, 0.0]), 1);
    }

    #[test]
    fn an_overflowed_mse_is_shown_as_such() {
        assert_eq!(super::shown(0.04114), "0.0411");
        for mse in [f32::NAN, f32::INFINITY] {
            assert!(super::shown(mse).starts_with("overflow"), "{mse}");
        }
    }
}
