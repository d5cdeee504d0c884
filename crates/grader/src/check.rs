use crate::cases::fail_with_hint;
use crate::messages::{fill, tr, Msg};
use crate::Verdict;
pub use proptest::strategy::Strategy;
pub use proptest::test_runner::TestCaseError;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};
use std::fmt::Debug;

/// Runs `test` on `cases` random inputs from `strategy` (a fixed seed, so every
/// run grades the same cases) and turns the outcome into a [`Verdict`].
///
/// A `todo!()` anywhere means *not started*; any other panic or failed
/// comparison means *wrong*, reported with proptest's shrunk minimal input.
pub fn check<S>(
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) -> Verdict
where
    S: Strategy,
    S::Value: Debug,
{
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    };
    let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let mut runner = TestRunner::new_with_rng(config, rng);
    // The student's panics are part of the verdict, not noise on the terminal.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = runner.run(&strategy, test);
    std::panic::set_hook(previous_hook);
    match outcome {
        Ok(()) => Verdict::Passed,
        Err(TestError::Fail(reason, input)) => {
            let reason = reason.message().to_string();
            if reason.contains("not yet implemented") {
                Verdict::NotStarted
            } else {
                let input = format!("{input:#?}");
                let minimal =
                    fill(tr(Msg::MinimalFailingInput), &[("input", &input)]);
                Verdict::Wrong(format!("{minimal}\n{reason}"))
            }
        }
        Err(TestError::Abort(reason)) => {
            Verdict::Wrong(reason.message().to_string())
        }
    }
}

/// Compares values element by element: |a − e| ≤ `tol`·max(1, |e|).
///
/// On a mismatch the error names `what`, shows both values, and adds the hint
/// that fits the pattern of the mistake (see `diagnose`) or `hint`.
pub fn compare(
    what: &str,
    expected: &[f64],
    actual: &[f64],
    tol: f64,
    hint: &str,
) -> Result<(), TestCaseError> {
    if expected.len() != actual.len() {
        let lengths = fill(
            tr(Msg::LengthMismatch),
            &[
                ("what", &what),
                ("expected", &expected.len()),
                ("actual", &actual.len()),
            ],
        );
        return Err(fail_with_hint(&lengths, tr(Msg::HintCheckShape)));
    }
    let bad = expected.iter().zip(actual).position(|(e, a)| {
        let error = (a - e).abs();
        error.is_nan() || error > tol * e.abs().max(1.0)
    });
    match bad {
        None => Ok(()),
        Some(i) => Err(mismatch(what, expected, actual, i, hint)),
    }
}

/// Compares an analytic gradient with a central-difference one: each element must
/// have relative error |a − n| / max(1e-8, |a| + |n|) below `tol`, or differ by less
/// than `tol`·1e-2 times max(1, the gradient's largest entry). Entries that cancel
/// to nearly zero (1 − tanh²(8) in f32, a sum of terms of both signs) carry f32
/// rounding of that absolute size and no information about the mistake.
pub fn compare_gradient(
    what: &str,
    numeric: &[f64],
    analytic: &[f64],
    tol: f64,
    hint: &str,
) -> Result<(), TestCaseError> {
    if numeric.len() != analytic.len() {
        return compare(what, numeric, analytic, tol, hint);
    }
    let bad =
        ::backprop::gradcheck::first_mismatch(analytic, numeric, tol, tol * 1e-2);
    match bad {
        None => Ok(()),
        Some(i) => Err(mismatch(what, numeric, analytic, i, hint)),
    }
}

fn mismatch(
    what: &str,
    expected: &[f64],
    actual: &[f64],
    i: usize,
    hint: &str,
) -> TestCaseError {
    let pattern = diagnose(expected, actual).map_or(String::new(), |p| {
        format!("\n{}", fill(tr(Msg::LooksLike), &[("diagnosis", &p)]))
    });
    let element = fill(
        tr(Msg::ElementMismatch),
        &[
            ("what", &what),
            ("i", &i),
            ("expected", &format!("{:.6}", expected[i])),
            ("actual", &format!("{:.6}", actual[i])),
        ],
    );
    let expected_line =
        fill(tr(Msg::ExpectedValues), &[("values", &short(expected))]);
    let actual_line = fill(tr(Msg::ActualValues), &[("values", &short(actual))]);
    let hint = fill(tr(Msg::Hint), &[("hint", &hint)]);
    TestCaseError::fail(format!(
        "{element}\n{expected_line}\n{actual_line}{pattern}\n{hint}"
    ))
}

/// Recognises the usual mistakes from the pattern of the whole result.
fn diagnose(expected: &[f64], actual: &[f64]) -> Option<&'static str> {
    let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    let (ne, na) = (norm(expected), norm(actual));
    if actual.iter().any(|a| !a.is_finite()) {
        return Some(tr(Msg::DiagnosisNotFinite));
    }
    if ne > 1e-6 && na < 1e-9 * ne.max(1.0) {
        return Some(tr(Msg::DiagnosisAllZeros));
    }
    if ne < 1e-9 {
        return None;
    }
    let dot: f64 = expected.iter().zip(actual).map(|(e, a)| e * a).sum();
    let cos = dot / (ne * na).max(1e-300);
    if cos < -0.9999 && (na / ne - 1.0).abs() < 1e-2 {
        return Some(tr(Msg::DiagnosisSignFlipped));
    }
    if cos > 0.9999 && (na / ne - 1.0).abs() > 1e-3 {
        return Some(tr(Msg::DiagnosisScale));
    }
    None
}

fn short(v: &[f64]) -> String {
    let shown: Vec<String> = v.iter().take(8).map(|x| format!("{x:.5}")).collect();
    let more = if v.len() > 8 {
        fill(tr(Msg::MoreValues), &[("count", &v.len())])
    } else {
        String::new()
    };
    format!("[{}{more}]", shown.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn verdicts() {
        crate::set_language(crate::Lang::En);
        assert_eq!(check(8, 0.0f64..1.0, |_| Ok(())), Verdict::Passed);
        let todo = |_: f64| -> Result<(), TestCaseError> { todo!() };
        assert_eq!(check(8, 0.0f64..1.0, todo), Verdict::NotStarted);
        let v = check(32, 0u32..10, |x| {
            prop_assert!(x < 5, "x too big");
            Ok(())
        });
        // Shrinking finds the smallest failing input, 5.
        let Verdict::Wrong(msg) = v else {
            panic!("{v:?}")
        };
        assert!(msg.starts_with("minimal failing input: 5\n"), "{msg}");
    }

    #[test]
    fn diagnoses_sign_and_scale() {
        crate::set_language(crate::Lang::En);
        let e = [1.0, -2.0, 3.0];
        let flip = compare("g", &e, &[-1.0, 2.0, -3.0], 1e-6, "x").unwrap_err();
        assert!(flip.to_string().contains("sign is flipped"), "{flip}");
        let scaled = compare("g", &e, &[2.0, -4.0, 6.0], 1e-6, "x").unwrap_err();
        assert!(scaled.to_string().contains("constant factor"), "{scaled}");
        let other =
            compare("g", &e, &[1.0, 2.0, 3.0], 1e-6, "the default").unwrap_err();
        assert!(other.to_string().contains("hint: the default"), "{other}");
        assert!(!other.to_string().contains("looks like"), "{other}");
        // Opposite sign but another size is not a sign flip.
        let far = compare("g", &[0.0003], &[-22.3], 1e-6, "x").unwrap_err();
        assert!(!far.to_string().contains("sign is flipped"), "{far}");
        assert!(compare("g", &e, &[1.0, -2.0, 3.0 + 1e-9], 1e-6, "x").is_ok());
        assert!(
            compare_gradient("g", &[1e-3, 1.0], &[1.1e-3, 1.0], 1e-3, "x").is_err()
        );
    }
}
