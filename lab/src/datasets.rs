//! The playground's points: TensorFlow Playground's generators (`dataset.ts`),
//! with the `playground` demo's extensions (more than two classes for gauss and
//! spiral) and Playground's two regression sets, plus the demo's CSV format.
//!
//! Points live in [−6, 6]²; noise is a fraction of the spread, 0 to 0.5.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Normal};

/// Half-width of the plane, as in Playground.
pub const EXTENT: f32 = 6.0;

/// One point: its coordinates and its target (a class index, or a value in
/// [−1, 1] for regression).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// x₁.
    pub x: f32,
    /// x₂.
    pub y: f32,
    /// The class (0, 1, …) or the regression target.
    pub label: f32,
}

/// The datasets, by the names the page uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Data {
    /// A disc of one class inside a ring of the other.
    Circle,
    /// The four quadrants, alternating.
    Xor,
    /// Gaussian blobs (two, or more around a circle).
    Gauss,
    /// Interleaved spiral arms.
    Spiral,
    /// Regression: a tilted plane, (x₁ + x₂)/10.
    Plane,
    /// Regression: six Gaussian bumps of alternating sign.
    MultiGauss,
}

impl Data {
    /// The dataset named `name` (`circle`, `xor`, `gauss`, `spiral`, `plane`,
    /// `multi-gauss`).
    pub fn parse(name: &str) -> Result<Data, String> {
        Ok(match name {
            "circle" => Data::Circle,
            "xor" => Data::Xor,
            "gauss" => Data::Gauss,
            "spiral" => Data::Spiral,
            "plane" => Data::Plane,
            "multi-gauss" => Data::MultiGauss,
            _ => return Err(format!("unknown dataset {name:?}")),
        })
    }

    /// Whether its targets are values rather than classes.
    pub fn is_regression(self) -> bool {
        matches!(self, Data::Plane | Data::MultiGauss)
    }
}

/// `n` points of `data` with `noise` (0 to 0.5) and, for gauss and spiral,
/// `classes` classes, drawn from `seed`.
pub fn generate(
    data: Data,
    n: usize,
    noise: f32,
    classes: usize,
    seed: u64,
) -> Vec<Point> {
    let rng = &mut StdRng::seed_from_u64(seed);
    let classes = classes.max(2);
    let tau = std::f32::consts::TAU;
    let point = |x, y, label: usize| Point {
        x,
        y,
        label: label as f32,
    };
    match data {
        Data::Circle => {
            let radius = 5.0;
            (0..n)
                .map(|i| {
                    let r = if i < n / 2 {
                        rng.random_range(0.0..radius * 0.5)
                    } else {
                        rng.random_range(radius * 0.7..radius)
                    };
                    let angle = rng.random_range(0.0..tau);
                    let (x, y) = (r * angle.sin(), r * angle.cos());
                    let nx = rng.random_range(-radius..radius) * noise;
                    let ny = rng.random_range(-radius..radius) * noise;
                    let outside = (x + nx).hypot(y + ny) >= radius * 0.5;
                    point(x, y, usize::from(outside))
                })
                .collect()
        }
        Data::Xor => (0..n)
            .map(|_| {
                let pad = 0.3;
                let mut x: f32 = rng.random_range(-5.0..5.0);
                x += if x > 0.0 { pad } else { -pad };
                let mut y: f32 = rng.random_range(-5.0..5.0);
                y += if y > 0.0 { pad } else { -pad };
                let nx = rng.random_range(-5.0..5.0) * noise;
                let ny = rng.random_range(-5.0..5.0) * noise;
                point(x, y, usize::from((x + nx) * (y + ny) < 0.0))
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
                        let a = tau * k as f32 / classes as f32;
                        (3.5 * a.cos(), 3.5 * a.sin())
                    })
                    .collect()
            };
            let normal = Normal::new(0.0, sigma).expect("σ > 0");
            (0..n)
                .map(|i| {
                    let k = i % classes;
                    let x = centres[k].0 + normal.sample(rng);
                    point(x, centres[k].1 + normal.sample(rng), k)
                })
                .collect()
        }
        Data::Spiral => {
            let per = n / classes;
            let mut points = Vec::with_capacity(per * classes);
            for k in 0..classes {
                for i in 0..per {
                    let r = i as f32 / per as f32 * 5.0;
                    let t = 1.75 * i as f32 / per as f32 * tau
                        + tau * k as f32 / classes as f32;
                    let x = r * t.sin() + rng.random_range(-1.0..1.0) * noise;
                    let y = r * t.cos() + rng.random_range(-1.0..1.0) * noise;
                    points.push(point(x, y, k));
                }
            }
            points
        }
        Data::Plane | Data::MultiGauss => {
            // Playground's `regressPlane` and `regressGaussian`.
            let bumps = [
                (-4.0, 2.5, 1.0),
                (0.0, 2.5, -1.0),
                (4.0, 2.5, 1.0),
                (-4.0, -2.5, -1.0),
                (0.0, -2.5, 1.0),
                (4.0, -2.5, -1.0),
            ];
            let label = |x: f32, y: f32| -> f32 {
                if data == Data::Plane {
                    (x + y) / 10.0
                } else {
                    let mut best = 0.0f32;
                    for (cx, cy, sign) in bumps {
                        let d: f32 = (x - cx).hypot(y - cy);
                        let v = sign * (1.0 - d / 2.0).clamp(0.0, 1.0);
                        if v.abs() > best.abs() {
                            best = v;
                        }
                    }
                    best
                }
            };
            (0..n)
                .map(|_| {
                    let x = rng.random_range(-EXTENT..EXTENT);
                    let y = rng.random_range(-EXTENT..EXTENT);
                    let nx = rng.random_range(-EXTENT..EXTENT) * noise;
                    let ny = rng.random_range(-EXTENT..EXTENT) * noise;
                    Point {
                        x,
                        y,
                        label: label(x + nx, y + ny),
                    }
                })
                .collect()
        }
    }
}

/// Reads `x,y,label` rows, the format of `playground --csv` (labels 0, 1, …; a
/// first line that does not parse is a header and is skipped).
pub fn parse_csv(text: &str) -> Result<Vec<Point>, String> {
    let mut points = Vec::new();
    let lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    for (k, (i, line)) in lines.enumerate() {
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let parsed = match fields.as_slice() {
            [x, y, label] => {
                match (x.parse::<f32>(), y.parse::<f32>(), label.parse::<u16>()) {
                    (Ok(x), Ok(y), Ok(l)) if x.is_finite() && y.is_finite() => {
                        Some(Point {
                            x,
                            y,
                            label: f32::from(l),
                        })
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        match parsed {
            Some(p) => points.push(p),
            None if k == 0 => continue,
            None => {
                return Err(format!(
                    "line {} is not x,y,label (numbers, label 0, 1, …): {line:?}",
                    i + 1
                ))
            }
        }
    }
    if points.len() < 4 || points.iter().all(|p| p.label == points[0].label) {
        return Err("needs at least 4 points and 2 classes".into());
    }
    if points.iter().any(|p| p.label >= 8.0) {
        return Err("labels go from 0 to 7 here (8 classes at most)".into());
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generators_give_n_points_in_the_plane_with_their_labels() {
        for (data, classes) in [
            (Data::Circle, 2),
            (Data::Xor, 2),
            (Data::Gauss, 3),
            (Data::Spiral, 4),
        ] {
            let points = generate(data, 400, 0.1, classes, 7);
            assert_eq!(points.len(), 400, "{data:?}");
            for k in 0..classes {
                assert!(points.iter().any(|p| p.label == k as f32), "{data:?} {k}");
            }
            assert!(points.iter().all(|p| p.label < classes as f32));
            assert!(points.iter().all(|p| p.x.abs() < 9.0 && p.y.abs() < 9.0));
        }
        let plane = generate(Data::Plane, 100, 0.0, 2, 0);
        // Without noise the plane's target is exactly (x + y)/10.
        assert!(plane
            .iter()
            .all(|p| (p.label - (p.x + p.y) / 10.0).abs() < 1e-6));
        assert_eq!(
            generate(Data::Circle, 10, 0.0, 2, 3),
            generate(Data::Circle, 10, 0.0, 2, 3)
        );
    }

    #[test]
    fn csv_skips_a_header_and_names_a_bad_line() {
        let points = parse_csv("x,y,label\n1,2,0\n3,4,1\n\n5,6,0\n7,8,1\n").unwrap();
        assert_eq!(points.len(), 4);
        assert_eq!(
            points[1],
            Point {
                x: 3.0,
                y: 4.0,
                label: 1.0
            }
        );
        let e = parse_csv("1,2,0\n3,4,one\n").unwrap_err();
        assert!(e.contains("line 2"), "{e}");
        assert!(parse_csv("1,2,0\n3,4,0\n5,6,0\n7,8,0\n").is_err());
    }
}
