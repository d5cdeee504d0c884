//! The graders are tested: every solved copy passes, every stub is *not
//! started*, and every kept wrong answer is *wrong* with a report that points at
//! the mistake. A grader that cannot fail would show up here.
//!
//! The reports are checked in English: each test pins the language first
//! (`graders_es.rs` checks the Spanish ones, in a process of their own).

use grader::{Section, Verdict};
use solutions::wrong::WrongAnswer;

fn verdict_of(section: &Section, exercise: &str) -> Verdict {
    let found = section.exercises.iter().find(|e| e.name == exercise);
    let exercise =
        found.unwrap_or_else(|| panic!("{}: no exercise {exercise}", section.name));
    (exercise.grade)()
}

/// The report of a verdict that must be *wrong*.
fn wrong_report(section: &Section, exercise: &str) -> String {
    match verdict_of(section, exercise) {
        Verdict::Wrong(report) => report,
        other => panic!("{exercise}: expected wrong, got {other:?}"),
    }
}

#[test]
fn every_solution_passes() {
    grader::set_language(grader::Lang::En);
    for section in solutions::sections() {
        for exercise in &section.exercises {
            let verdict = (exercise.grade)();
            assert_eq!(
                verdict,
                Verdict::Passed,
                "solutions/{} ({}) should pass",
                exercise.file,
                exercise.name
            );
        }
    }
}

#[test]
fn every_stub_is_not_started() {
    grader::set_language(grader::Lang::En);
    for section in exercises::sections() {
        for exercise in &section.exercises {
            assert_eq!(
                (exercise.grade)(),
                Verdict::NotStarted,
                "exercises/{} ({}) must stay a todo!() stub",
                exercise.file,
                exercise.name
            );
        }
    }
}

/// Grades each wrong answer; returns how many there were and the problems.
fn rejects<A>(
    wrong: Vec<WrongAnswer<A>>,
    grade: impl Fn(A) -> Section,
    problems: &mut Vec<String>,
) -> usize {
    let count = wrong.len();
    for w in wrong {
        let section = grade(w.answers);
        match verdict_of(&section, w.exercise) {
            Verdict::Wrong(report) => {
                if !report.contains(w.report_mentions) {
                    problems.push(format!(
                        "{} / {}: the report should mention {:?}:\n{report}",
                        w.exercise, w.mistake, w.report_mentions
                    ));
                }
                // "All zeros" is a diagnosis for what was never written, not for
                // a degenerate case that shrinking left.
                let about_zeros = ["forgotten", "never"]
                    .iter()
                    .any(|word| w.mistake.contains(word));
                if report.contains("looks like: your result is all zeros")
                    && !about_zeros
                {
                    problems.push(format!(
                        "{} / {}: \"all zeros\" is not this mistake:\n{report}",
                        w.exercise, w.mistake
                    ));
                }
            }
            other => problems.push(format!(
                "{} / {}: expected wrong, got {other:?}",
                w.exercise, w.mistake
            )),
        }
    }
    count
}

#[test]
fn every_kept_wrong_answer_is_rejected() {
    grader::set_language(grader::Lang::En);
    use solutions::wrong;
    let mut problems = Vec::new();
    let p = &mut problems;
    let mut n = 0;
    n += rejects(
        wrong::activations::answers(),
        grader::activations::exercises,
        p,
    );
    n += rejects(wrong::losses::answers(), grader::losses::exercises, p);
    n += rejects(
        wrong::perceptron::answers(),
        grader::perceptron::exercises,
        p,
    );
    n += rejects(wrong::mlp::answers(), grader::mlp::exercises, p);
    n += rejects(wrong::backprop::answers(), grader::backprop::exercises, p);
    n += rejects(wrong::sgd::answers(), grader::sgd::exercises, p);
    n += rejects(wrong::conv::answers(), grader::conv::exercises, p);
    n += rejects(wrong::cnn::answers(), grader::cnn::exercises, p);
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    assert!(n >= 80, "only {n} wrong answers are kept");
}

/// The first kept wrong answer to `exercise`.
fn first<A>(wrong: Vec<WrongAnswer<A>>, exercise: &str) -> WrongAnswer<A> {
    wrong
        .into_iter()
        .find(|w| w.exercise == exercise)
        .expect(exercise)
}

/// The names of the arguments a report's failing input lists: the lines
/// indented by exactly two spaces under its first line, `name = value`.
fn argument_names(report: &str) -> Vec<String> {
    report
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter(|l| !l[2..].starts_with(' '))
        .filter_map(|l| {
            Some(l.trim_start().split_once(" = ")?.0.trim_end().to_string())
        })
        .collect()
}

#[test]
fn counterexamples_name_exactly_the_functions_arguments() {
    grader::set_language(grader::Lang::En);
    let sgd = first(solutions::wrong::sgd::answers(), "sgd_step");
    let report = wrong_report(&grader::sgd::exercises(sgd.answers), "sgd_step");
    assert_eq!(argument_names(&report), ["theta", "grad", "lr"], "{report}");

    let m = first(solutions::wrong::sgd::answers(), "momentum_step");
    let report = wrong_report(&grader::sgd::exercises(m.answers), "momentum_step");
    assert_eq!(
        argument_names(&report),
        ["theta", "grad", "velocity", "lr", "momentum"],
        "{report}"
    );

    let d = first(solutions::wrong::backprop::answers(), "dense_backward");
    let report =
        wrong_report(&grader::backprop::exercises(d.answers), "dense_backward");
    assert_eq!(
        argument_names(&report),
        ["x", "w", "grad_output"],
        "{report}"
    );

    let c = solutions::wrong::conv::answers()
        .into_iter()
        .find(|w| w.mistake.contains("stride ignored"))
        .unwrap();
    let report =
        wrong_report(&grader::conv::exercises(c.answers), "conv2d_backward");
    assert_eq!(
        argument_names(&report),
        ["input", "weight", "grad_output", "spec"],
        "{report}"
    );
    // Tensors are laid out compactly, not as a debug dump.
    assert!(report.lines().count() < 40, "{report}");
    assert!(!report.contains("data:"), "{report}");

    let r = first(solutions::wrong::perceptron::answers(), "rosenblatt_update");
    let report = wrong_report(
        &grader::perceptron::exercises(r.answers),
        "rosenblatt_update",
    );
    assert_eq!(argument_names(&report), ["p", "x", "y", "lr"], "{report}");
    assert!(report.contains("p  = Perceptron { weights: ["), "{report}");

    // Matrices as matrices: one bracketed row per line.
    let l = first(solutions::wrong::perceptron::answers(), "linear_forward");
    let report =
        wrong_report(&grader::perceptron::exercises(l.answers), "linear_forward");
    assert_eq!(argument_names(&report), ["x", "w", "b"], "{report}");
}

#[test]
fn a_single_number_gets_no_made_up_pattern() {
    grader::set_language(grader::Lang::En);
    let slip = solutions::wrong::activations::answers()
        .into_iter()
        .find(|w| w.mistake.contains("minus sign"))
        .unwrap();
    let report =
        wrong_report(&grader::activations::exercises(slip.answers), "sigmoid");
    assert!(!report.contains("constant factor"), "{report}");
    assert!(!report.contains("overflow"), "{report}");
}

fn sigmoid_plain(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

fn sigmoid_with_e_to_the_x(x: f32) -> f32 {
    x.exp() / (1.0 + x.exp())
}

#[test]
fn the_sigmoid_stubs_warning_is_true() {
    // The stub says 1 / (1 + e^(−x)) is safe in f32 and e^x / (1 + e^x) is not.
    grader::set_language(grader::Lang::En);
    let stub = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../exercises/activations/sigmoid.rs"
    ))
    .unwrap();
    for claim in ["1/(1 + e^(−x)) survives it", "e^x/(1 + e^x)", "∞/∞ = NaN"] {
        assert!(stub.contains(claim), "{claim:?} not in {stub}");
    }
    let plain = grader::activations::Answers {
        sigmoid: sigmoid_plain,
        source: grader::Source::NONE,
        ..solutions::activations::answers()
    };
    assert_eq!(
        verdict_of(&grader::activations::exercises(plain), "sigmoid"),
        Verdict::Passed
    );
    let unsafe_form = grader::activations::Answers {
        sigmoid: sigmoid_with_e_to_the_x,
        ..solutions::activations::answers()
    };
    let report =
        wrong_report(&grader::activations::exercises(unsafe_form), "sigmoid");
    assert!(report.contains("NaN"), "{report}");
    assert!(
        sigmoid_plain(-1000.0) == 0.0 && sigmoid_with_e_to_the_x(1000.0).is_nan()
    );
}

#[test]
fn a_panic_is_a_verdict_with_an_actionable_hint() {
    grader::set_language(grader::Lang::En);
    let by_mistake = |text: &str| {
        solutions::wrong::conv::answers()
            .into_iter()
            .find(|w| w.mistake.contains(text))
            .unwrap()
    };
    let usize_math = by_mistake("usize");
    let report = wrong_report(
        &grader::conv::exercises(usize_math.answers),
        "conv2d_forward",
    );
    assert!(
        report.contains("your code panicked: attempt to subtract with overflow"),
        "{report}"
    );
    assert!(report.contains("checked_sub"), "{report}");
    let unwrap = by_mistake("assumes a bias");
    let report =
        wrong_report(&grader::conv::exercises(unwrap.answers), "conv2d_forward");
    assert!(report.contains("= None"), "{report}");
    let shapes = solutions::wrong::backprop::answers()
        .into_iter()
        .find(|w| w.mistake.contains("do not fit"))
        .unwrap();
    let report = wrong_report(
        &grader::backprop::exercises(shapes.answers),
        "dense_backward",
    );
    assert!(report.contains("dimensions mismatch"), "{report}");
    assert!(report.contains("grad_output · Wᵀ is N × in"), "{report}");
}

#[test]
fn the_library_call_scan_reads_the_graded_copy() {
    // Every listed exercise's function is in its file, in both copies, so the
    // scan reads real code (a scan that finds no file finds nothing).
    for sections in [exercises::sections(), solutions::sections()] {
        for section in sections {
            for e in &section.exercises {
                if e.library.is_empty() {
                    continue;
                }
                let path = e.source.path(e.file).expect("a copy with a source");
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
                assert!(
                    text.contains(&format!("pub fn {}", e.name)),
                    "{} has no fn {}",
                    path.display(),
                    e.name
                );
            }
        }
    }
    // The same scan that rejects the kept library calls finds none in the
    // solved copies, which use library items legitimately (predict, sigmoid in
    // sigmoid_derivative, the layers in convolutional_model).
    for section in solutions::sections() {
        for e in &section.exercises {
            assert_eq!(
                grader::scan::find(e.source, e.file, e.name, e.library),
                None
            );
        }
    }
}
