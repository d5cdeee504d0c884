//! Numerical gradients: the check every backward pass must pass.
//!
//! For a scalar function f and a point x, the central difference
//! (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h approximates ∂f/∂xᵢ with error O(h²). It is
//! computed in f64, where h = 1e-6 leaves rounding error near 1e-10, so it is a
//! trustworthy reference for the f32 analytic gradient.

/// ∂f/∂xᵢ for every i, by central differences with step `h`.
// ANCHOR: numerical_gradient
pub fn numerical_gradient(f: impl Fn(&[f64]) -> f64, x: &[f64], h: f64) -> Vec<f64> {
    let mut x = x.to_vec();
    (0..x.len())
        .map(|i| {
            let original = x[i];
            x[i] = original + h;
            let plus = f(&x);
            x[i] = original - h;
            let minus = f(&x);
            x[i] = original;
            (plus - minus) / (2.0 * h)
        })
        .collect()
}
// ANCHOR_END: numerical_gradient

/// |a − n| / max(1e-8, |a| + |n|): 0 when equal, 1 when of opposite sign.
///
/// The floor 1e-8 keeps two tiny gradients (both ≈ 0) from dividing by zero.
pub fn relative_error(analytic: f64, numeric: f64) -> f64 {
    (analytic - numeric).abs() / (analytic.abs() + numeric.abs()).max(1e-8)
}

/// The largest relative error between two gradients, and its index.
///
/// # Panics
/// If the lengths differ.
#[track_caller]
pub fn max_relative_error(analytic: &[f64], numeric: &[f64]) -> (f64, usize) {
    assert_eq!(
        analytic.len(),
        numeric.len(),
        "max_relative_error: {} analytic values, {} numeric",
        analytic.len(),
        numeric.len()
    );
    analytic
        .iter()
        .zip(numeric)
        .map(|(&a, &n)| relative_error(a, n))
        .enumerate()
        .fold(
            (0.0, 0),
            |best, (i, e)| if e > best.0 { (e, i) } else { best },
        )
}

/// The first element where an analytic gradient and a numerical one disagree, or
/// `None`. An element agrees when its [`relative_error`] is below `relative`, or
/// when the two differ by less than `absolute`·max(1, the largest |numeric|):
/// entries that cancel to nearly zero carry f32 rounding of about that absolute
/// size and no information about the gradient.
///
/// # Panics
/// If the lengths differ.
#[track_caller]
pub fn first_mismatch(
    analytic: &[f64],
    numeric: &[f64],
    relative: f64,
    absolute: f64,
) -> Option<usize> {
    assert_eq!(
        analytic.len(),
        numeric.len(),
        "first_mismatch: {} analytic values, {} numeric",
        analytic.len(),
        numeric.len()
    );
    let scale = numeric.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    analytic.iter().zip(numeric).position(|(&a, &n)| {
        let agrees =
            relative_error(a, n) < relative || (a - n).abs() < absolute * scale;
        !agrees
    })
}

/// [`first_mismatch`] as a message naming `what`, the element, and both values,
/// for tests to fail with.
///
/// # Panics
/// If the lengths differ.
#[track_caller]
pub fn check_gradient(
    what: &str,
    analytic: &[f64],
    numeric: &[f64],
    relative: f64,
    absolute: f64,
) -> Result<(), String> {
    match first_mismatch(analytic, numeric, relative, absolute) {
        None => Ok(()),
        Some(i) => Err(format!(
            "{what}[{i}]: analytic {}, numeric {}",
            analytic[i], numeric[i]
        )),
    }
}

/// An f32 slice as f64, for comparing with a numerical gradient.
pub fn to_f64(v: &[f32]) -> Vec<f64> {
    v.iter().map(|&x| f64::from(x)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_of_a_known_function() {
        // f(x, y) = x²y + 3y: ∂f/∂x = 2xy = 12, ∂f/∂y = x² + 3 = 7 at (2, 3).
        let g = numerical_gradient(
            |v| v[0] * v[0] * v[1] + 3.0 * v[1],
            &[2.0, 3.0],
            1e-6,
        );
        assert!(
            (g[0] - 12.0).abs() < 1e-6 && (g[1] - 7.0).abs() < 1e-6,
            "{g:?}"
        );
    }

    #[test]
    fn relative_error_scale() {
        assert_eq!(relative_error(1.0, 1.0), 0.0);
        assert_eq!(relative_error(1.0, -1.0), 1.0);
        assert_eq!(relative_error(0.0, 0.0), 0.0);
        assert!((relative_error(1.01, 1.0) - 0.01 / 2.01).abs() < 1e-12);
        assert_eq!(max_relative_error(&[1.0, 2.0], &[1.0, -2.0]), (1.0, 1));
        // 1e-3 apart near zero: a mismatch in relative terms, not in absolute ones.
        assert_eq!(
            first_mismatch(&[1e-3, 5.0], &[2e-3, 5.0], 1e-3, 0.0),
            Some(0)
        );
        assert_eq!(first_mismatch(&[1e-3, 5.0], &[2e-3, 5.0], 1e-3, 1e-3), None);
        assert_eq!(
            first_mismatch(&[1.0, 5.0], &[1.0, -5.0], 1e-3, 1e-3),
            Some(1)
        );
    }
}
