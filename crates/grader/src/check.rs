use crate::cases::fail_with_hint;
use crate::messages::{fill, tr, Msg};
use crate::Verdict;
pub use proptest::strategy::Strategy;
pub use proptest::test_runner::TestCaseError;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::fmt::Debug;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

/// What a `todo!()` panics with.
const TODO: &str = "not yet implemented";

/// Runs `test` on `cases` random inputs from `strategy` (a fixed seed, so every
/// run grades the same cases) and turns the outcome into a [`Verdict`].
///
/// A `todo!()` anywhere means *not started*. A panic in the student's code is
/// a *wrong* verdict with a hint for its kind (see [`panicked`]), and so is a
/// failed comparison. The report shows proptest's shrunk minimal input, unless
/// the shrunk case is degenerate (see `degenerate`: an input shrunk to zeros
/// makes any mistake look like "all zeros", one value left shows no pattern):
/// then it shows the first failing input, unshrunk, and says so.
pub fn check<S>(
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) -> Verdict
where
    S: Strategy,
    S::Value: Debug + Clone,
{
    grade(cases, strategy, test, Msg::MinimalFailingInput)
}

/// [`check`], with `label` heading a failing input that was not replaced by
/// its first unshrunk form.
fn grade<S>(
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
    label: Msg,
) -> Verdict
where
    S: Strategy,
    S::Value: Debug + Clone,
{
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    };
    let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let not_started = Cell::new(false);
    let first: RefCell<Option<(S::Value, String)>> = RefCell::new(None);
    let wrapped = |value: S::Value| {
        if not_started.get() {
            // Shrinking a todo!() teaches nothing: fail at once.
            return Err(TestCaseError::fail(TODO));
        }
        let kept = value.clone();
        let outcome = match catch_unwind(AssertUnwindSafe(|| test(value))) {
            Ok(outcome) => outcome,
            Err(payload) => {
                let message = panic_message(payload.as_ref());
                if message.contains(TODO) {
                    not_started.set(true);
                    return Err(TestCaseError::fail(TODO));
                }
                Err(panicked(&message, None))
            }
        };
        if let Err(TestCaseError::Fail(reason)) = &outcome {
            let mut first = first.borrow_mut();
            if first.is_none() {
                *first = Some((kept, reason.message().to_string()));
            }
        }
        outcome
    };
    // The student's panics are part of the verdict, not noise on the terminal.
    let outcome = quietly(|| runner.run(&strategy, wrapped));
    if not_started.get() {
        return Verdict::NotStarted;
    }
    match outcome {
        Ok(()) => Verdict::Passed,
        Err(TestError::Fail(reason, input)) => {
            let reason = reason.message().to_string();
            let first = first.into_inner();
            match first {
                Some((original, first_reason))
                    if degenerate(&reason, &first_reason) =>
                {
                    let header = tr(Msg::FirstFailingInput);
                    Verdict::Wrong(report(header, &original, &first_reason))
                }
                _ => Verdict::Wrong(report(tr(label), &input, &reason)),
            }
        }
        Err(TestError::Abort(reason)) => {
            Verdict::Wrong(reason.message().to_string())
        }
    }
}

thread_local! {
    /// Whether this thread is grading, and its panics are to be kept quiet.
    static GRADING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with this thread's panics silenced. The hook is installed once for
/// the process and silences only threads that are grading, so that tests run
/// in parallel keep their own panic messages (a hook swapped in and out per
/// call would race between threads).
fn quietly<T>(f: impl FnOnce() -> T) -> T {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GRADING.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = GRADING.with(|g| g.replace(true));
    let out = f();
    GRADING.with(|g| g.set(was));
    out
}

/// Runs `test` on each of `values` in turn, one case each (no shrinking: they
/// are chosen by hand, and the report says so), and gives the first verdict
/// that is not *passed*.
pub fn check_each<T: Debug + Clone>(
    values: Vec<T>,
    test: impl Fn(T) -> Result<(), TestCaseError>,
) -> Verdict {
    for v in values {
        let case = proptest::strategy::Just(v);
        match grade(1, case, &test, Msg::ChosenFailingInput) {
            Verdict::Passed => {}
            other => return other,
        }
    }
    Verdict::Passed
}

/// The input under `header` (on the same line when it is one line, indented
/// below it otherwise), then the failure.
fn report(header: &str, input: &dyn Debug, reason: &str) -> String {
    let input = format!("{input:?}");
    let shown = if input.contains('\n') {
        let lines: Vec<String> = input.lines().map(|l| format!("  {l}")).collect();
        format!(
            "{}\n{}",
            fill(header, &[("input", &"")]).trim_end(),
            lines.join("\n")
        )
    } else {
        fill(header, &[("input", &input)])
    };
    format!("{shown}\n{reason}")
}

/// Whether shrinking made the failure misleading: the shrunk case's "all
/// zeros" is an artefact when the first case shows no such thing (shrinking
/// drives every input towards zero), and a pattern the first case shows and
/// the shrunk one no longer does (one value left, say) is worth the larger
/// input. A pattern only the shrunk case shows, such as a sign slip on one
/// clean value, is kept.
fn degenerate(shrunk: &str, first: &str) -> bool {
    let zeros = tr(Msg::DiagnosisAllZeros);
    match (diagnosis_line(shrunk), diagnosis_line(first)) {
        (None, Some(_)) => true,
        (Some(s), f) => s.contains(zeros) && f != Some(s),
        (None, None) => false,
    }
}

/// The "looks like" line of a failure, if it has one.
fn diagnosis_line(reason: &str) -> Option<&str> {
    let prefix = fill(tr(Msg::LooksLike), &[("diagnosis", &"")]);
    let prefix = prefix.trim_end();
    reason.lines().find(|l| l.starts_with(prefix))
}

/// The text a panic carried.
fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        String::new()
    }
}

/// A panic of the student's code as a failure: its message and the hint for
/// its kind. `shapes` is the exercise's own hint for shape mistakes (which
/// shapes its products need), when it has one.
pub fn panicked(message: &str, shapes: Option<&str>) -> TestCaseError {
    let lower = message.to_lowercase();
    let hint = if lower.contains("subtract with overflow") {
        tr(Msg::HintSubtractOverflow).to_string()
    } else if lower.contains("with overflow") {
        tr(Msg::HintOverflow).to_string()
    } else if lower.contains("index out of bounds") {
        tr(Msg::HintIndexOutOfBounds).to_string()
    } else if lower.contains("`none` value") {
        tr(Msg::HintUnwrapNone).to_string()
    } else if lower.contains("divide by zero") {
        tr(Msg::HintDivideByZero).to_string()
    } else if lower.contains("dimension")
        || lower.contains("mismatch")
        || lower.contains("shape")
    {
        match shapes {
            Some(s) if !s.is_empty() => format!("{} {s}", tr(Msg::HintShapePanic)),
            _ => tr(Msg::HintShapePanic).to_string(),
        }
    } else {
        tr(Msg::HintPanicked).to_string()
    };
    let line = fill(tr(Msg::Panicked), &[("message", &message.trim())]);
    fail_with_hint(&line, &hint)
}

/// Calls the student's function, turning a panic into a failure whose hint
/// for shape mistakes is `shapes` (which shapes the exercise's products need).
/// A `todo!()` goes on unwinding, so the exercise is still *not started*.
pub fn call<T>(shapes: &str, f: impl FnOnce() -> T) -> Result<T, TestCaseError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => Ok(v),
        Err(payload) => {
            let message = panic_message(payload.as_ref());
            if message.contains(TODO) {
                resume_unwind(payload);
            }
            Err(panicked(&message, Some(shapes)))
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

/// [`compare`] without a diagnosis: for when the grader has recognised the
/// mistake itself and `hint` says what it is.
pub fn compare_explained(
    what: &str,
    expected: &[f64],
    actual: &[f64],
    tol: f64,
    hint: &str,
) -> Result<(), TestCaseError> {
    match compare(what, expected, actual, tol, hint) {
        Ok(()) => Ok(()),
        Err(TestCaseError::Fail(reason)) => {
            let prefix = fill(tr(Msg::LooksLike), &[("diagnosis", &"")]);
            let prefix = prefix.trim_end();
            let kept: Vec<&str> = reason
                .message()
                .lines()
                .filter(|l| !l.starts_with(prefix))
                .collect();
            Err(TestCaseError::fail(kept.join("\n")))
        }
        Err(other) => Err(other),
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

/// Recognises the usual mistakes from the pattern of the whole result, and only
/// when the pattern says so: values that are not numbers; a result that is all
/// zeros where at least two values are expected to be non-zero; and a result
/// that is the expected one times the same factor k at every significant entry
/// (and near zero where the expected value is zero), which is a sign slip for
/// k = −1 and a constant factor otherwise. One non-zero number is no pattern:
/// it is only called a sign slip when it is exactly the expected one negated.
fn diagnose(expected: &[f64], actual: &[f64]) -> Option<String> {
    if actual.iter().any(|a| !a.is_finite()) {
        return Some(tr(Msg::DiagnosisNotFinite).to_string());
    }
    let largest = expected.iter().fold(0.0f64, |m, e| m.max(e.abs()));
    if largest < 1e-9 {
        return None;
    }
    let significant: Vec<(f64, f64)> = expected
        .iter()
        .zip(actual)
        .filter(|(e, _)| e.abs() > 1e-6 * largest)
        .map(|(&e, &a)| (e, a))
        .collect();
    let largest_actual = actual.iter().fold(0.0f64, |m, a| m.max(a.abs()));
    if significant.len() >= 2 && largest_actual < 1e-9 * largest.max(1.0) {
        return Some(tr(Msg::DiagnosisAllZeros).to_string());
    }
    let k = significant[0].1 / significant[0].0;
    let same_factor = significant
        .iter()
        .all(|(e, a)| (a / e - k).abs() <= 1e-2 * k.abs().max(1e-12));
    // Where nothing is expected, a scaled result is nothing too.
    let zeros_kept = expected
        .iter()
        .zip(actual)
        .filter(|(e, _)| e.abs() <= 1e-6 * largest)
        .all(|(_, a)| a.abs() <= 1e-4 * largest * k.abs().max(1.0));
    if !same_factor || !zeros_kept {
        return None;
    }
    if significant.len() == 1 {
        return ((k + 1.0).abs() < 1e-3)
            .then(|| tr(Msg::DiagnosisSignFlipped).to_string());
    }
    if (k + 1.0).abs() < 1e-2 {
        Some(tr(Msg::DiagnosisSignFlipped).to_string())
    } else if k > 0.0 && (k - 1.0).abs() > 1e-3 {
        let factor = if k >= 0.01 {
            format!("{k:.3}")
        } else {
            format!("{k:.3e}")
        };
        Some(fill(tr(Msg::DiagnosisScale), &[("factor", &factor)]))
    } else {
        None
    }
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
        // Cases chosen by hand are not shrunk, and the report says so.
        let v = check_each(vec![1u32, 7, 9], |x| {
            prop_assert!(x < 5, "x too big");
            Ok(())
        });
        let Verdict::Wrong(msg) = v else {
            panic!("{v:?}")
        };
        assert!(
            msg.starts_with(
                "failing input (one of the cases chosen by hand, not shrunk): 7\n"
            ),
            "{msg}"
        );
    }

    #[test]
    fn a_panic_is_a_verdict_with_a_hint() {
        crate::set_language(crate::Lang::En);
        let v = check(8, 0usize..3, |i| {
            let padding = 1usize;
            let _ = std::hint::black_box(i) - padding;
            Ok(())
        });
        let Verdict::Wrong(msg) = v else {
            panic!("{v:?}")
        };
        assert!(msg.contains("attempt to subtract with overflow"), "{msg}");
        assert!(msg.contains("isize"), "{msg}");
        let v = check(8, 0usize..3, |i| {
            let _ = [1.0f32, 2.0][std::hint::black_box(i) + 2];
            Ok(())
        });
        let Verdict::Wrong(msg) = v else {
            panic!("{v:?}")
        };
        assert!(msg.contains("index out of bounds"), "{msg}");
        // A todo!() inside `call` is still not started.
        let todo = |_: f64| -> Result<(), TestCaseError> {
            call("", || -> f32 { todo!() })?;
            Ok(())
        };
        assert_eq!(check(8, 0.0f64..1.0, todo), Verdict::NotStarted);
        let shape = |_: f64| -> Result<(), TestCaseError> {
            call("W is in × out", || {
                let a = nalgebra::DMatrix::<f32>::zeros(2, 3);
                let _ = &a * &a;
            })?;
            Ok(())
        };
        let Verdict::Wrong(msg) = check(8, 0.0f64..1.0, shape) else {
            panic!()
        };
        assert!(msg.contains("dimensions mismatch"), "{msg}");
        assert!(msg.contains("W is in × out"), "{msg}");
    }

    #[test]
    fn a_degenerate_shrunk_case_gives_way_to_the_first_one() {
        crate::set_language(crate::Lang::En);
        // Fails for every input: shrunk to zeros, the result "is all zeros";
        // the first (unshrunk) case shows no such pattern.
        let v = check(8, (0.5f32..1.0, 0.5f32..1.0), |(a, b)| {
            let expected = [f64::from(a), f64::from(b)];
            let actual = [f64::from(b), f64::from(a)];
            let zero = [0.0, 0.0];
            let actual = if a < 0.6 && b < 0.6 { &zero } else { &actual };
            compare("y", &expected, actual, 1e-9, "swap")
        });
        let Verdict::Wrong(msg) = v else {
            panic!("{v:?}")
        };
        assert!(!msg.contains("all zeros"), "{msg}");
    }

    #[test]
    fn diagnoses_sign_and_scale() {
        crate::set_language(crate::Lang::En);
        let e = [1.0, -2.0, 3.0];
        let flip = compare("g", &e, &[-1.0, 2.0, -3.0], 1e-6, "x").unwrap_err();
        assert!(flip.to_string().contains("sign is flipped"), "{flip}");
        let scaled = compare("g", &e, &[2.0, -4.0, 6.0], 1e-6, "x").unwrap_err();
        assert!(scaled.to_string().contains("constant factor"), "{scaled}");
        assert!(scaled.to_string().contains("2.000"), "{scaled}");
        let other =
            compare("g", &e, &[1.0, 2.0, 3.0], 1e-6, "the default").unwrap_err();
        assert!(other.to_string().contains("hint: the default"), "{other}");
        assert!(!other.to_string().contains("looks like"), "{other}");
        // Opposite sign but another size is not a sign flip.
        let far = compare("g", &[0.0003], &[-22.3], 1e-6, "x").unwrap_err();
        assert!(!far.to_string().contains("sign is flipped"), "{far}");
        // One number is no pattern: no constant factor…
        let one = compare("σ", &[0.992], &[0.0079], 1e-6, "x").unwrap_err();
        assert!(!one.to_string().contains("looks like"), "{one}");
        // …unless it is exactly the expected one negated.
        let neg = compare("σ", &[0.25], &[-0.25], 1e-6, "x").unwrap_err();
        assert!(neg.to_string().contains("sign is flipped"), "{neg}");
        // One scaled entry among others right is not a constant factor.
        let part = compare("g", &[1.0, 1e-3], &[2.0, 1e-3], 1e-9, "x").unwrap_err();
        assert!(!part.to_string().contains("constant"), "{part}");
        // A single expected non-zero value computed as 0 is not "all zeros".
        let zero = compare("g", &[0.5], &[0.0], 1e-9, "x").unwrap_err();
        assert!(!zero.to_string().contains("all zeros"), "{zero}");
        let zeros = compare("g", &[0.5, 1.0], &[0.0, 0.0], 1e-9, "x").unwrap_err();
        assert!(zeros.to_string().contains("all zeros"), "{zeros}");
        assert!(compare("g", &e, &[1.0, -2.0, 3.0 + 1e-9], 1e-6, "x").is_ok());
        assert!(
            compare_gradient("g", &[1e-3, 1.0], &[1.1e-3, 1.0], 1e-3, "x").is_err()
        );
    }
}
