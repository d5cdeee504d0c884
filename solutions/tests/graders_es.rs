//! The graders speak Spanish when the locale is Spanish: the reports of the
//! stubs and of the kept wrong answers, and the progress table, hold the Spanish
//! words and none of the English ones.
//!
//! The language is process-global, so these tests live in a binary of their own
//! and every one of them pins Spanish.

use grader::{Lang, Mode, Verdict};

/// Words of the English reports that must not appear in a Spanish one.
const ENGLISH: &[&str] = &[
    "not started",
    "wrong",
    "passed",
    "minimal failing input",
    "chosen by hand",
    "looks like",
    "hint",
    "Next",
    "Stuck",
    "expected",
    "got",
    "Grading",
];

fn assert_spanish(text: &str) {
    for word in ENGLISH {
        assert!(
            !text.contains(word),
            "{word:?} in a Spanish report:\n{text}"
        );
    }
}

#[test]
fn stub_report_is_spanish() {
    grader::set_language(Lang::Es);
    let section = grader::backprop::exercises(exercises::backprop::answers());
    let report = grader::grade_report(&section, Mode::Student);
    assert!(!report.success);
    let text = &report.text;
    for word in [
        "Calificando exercises/backprop/",
        "sin empezar",
        "aprobados: 0/2, incorrectos: 0, sin empezar: 2",
        "Siguiente: exercises/backprop/dense.rs (dense_backward)",
        "¿Atascado?",
    ] {
        assert!(text.contains(word), "{word:?} missing:\n{text}");
    }
    assert_spanish(text);

    let maintainers = grader::grade_report(&section, Mode::ExpectNotStarted);
    assert!(maintainers.success);
    assert!(
        maintainers.text.contains("siguen intactos"),
        "{}",
        maintainers.text
    );
    assert_spanish(&maintainers.text);
}

#[test]
fn wrong_answer_reports_are_spanish() {
    grader::set_language(Lang::Es);
    let mut diagnosed = 0;
    for w in solutions::wrong::backprop::answers() {
        let section = grader::backprop::exercises(w.answers);
        let report = grader::grade_report(&section, Mode::Student);
        assert!(!report.success, "{}", w.mistake);
        let text = &report.text;
        for word in [
            "incorrecto",
            "entrada ",
            "que falla",
            "pista: ",
            "Siguiente",
        ] {
            assert!(
                text.contains(word),
                "{} / {}: {word:?} missing:\n{text}",
                w.exercise,
                w.mistake
            );
        }
        // A comparison says what was expected; a panic says what happened.
        assert!(
            text.contains("se esperaba") || text.contains("entró en pánico"),
            "{text}"
        );
        diagnosed += usize::from(text.contains("parece que "));
        assert_spanish(text);
    }
    // The zero, scale and sign diagnoses fire on the dense layer's mistakes.
    assert!(diagnosed >= 3, "only {diagnosed} reports have a diagnosis");
}

#[test]
fn every_wrong_answer_is_reported_in_spanish() {
    grader::set_language(Lang::Es);
    let reports: Vec<String> = [
        reports(
            solutions::wrong::activations::answers(),
            grader::activations::exercises,
        ),
        reports(
            solutions::wrong::losses::answers(),
            grader::losses::exercises,
        ),
        reports(
            solutions::wrong::perceptron::answers(),
            grader::perceptron::exercises,
        ),
        reports(solutions::wrong::mlp::answers(), grader::mlp::exercises),
        reports(
            solutions::wrong::backprop::answers(),
            grader::backprop::exercises,
        ),
        reports(solutions::wrong::sgd::answers(), grader::sgd::exercises),
        reports(solutions::wrong::conv::answers(), grader::conv::exercises),
        reports(solutions::wrong::cnn::answers(), grader::cnn::exercises),
    ]
    .concat();
    for report in &reports {
        assert!(report.contains("pista: "), "{report}");
        assert_spanish(report);
    }
}

/// The failure report of each wrong answer.
fn reports<A>(
    wrong: Vec<solutions::wrong::WrongAnswer<A>>,
    grade: impl Fn(A) -> grader::Section,
) -> Vec<String> {
    wrong
        .into_iter()
        .map(|w| {
            let section = grade(w.answers);
            let exercise = section
                .exercises
                .iter()
                .find(|e| e.name == w.exercise)
                .expect("the exercise exists");
            match (exercise.grade)() {
                Verdict::Wrong(report) => report,
                other => panic!(
                    "{} / {}: expected wrong, got {other:?}",
                    w.exercise, w.mistake
                ),
            }
        })
        .collect()
}

#[test]
fn new_failure_reports_are_spanish() {
    grader::set_language(Lang::Es);
    let report = |text: &str| {
        let all = [
            reports(solutions::wrong::conv::answers(), grader::conv::exercises),
            reports(
                solutions::wrong::losses::answers(),
                grader::losses::exercises,
            ),
        ]
        .concat();
        all.into_iter()
            .find(|r| r.contains(text))
            .unwrap_or_else(|| panic!("no report with {text:?}"))
    };
    // A panic, a library call, and a counterexample laid out by argument.
    let panic = report("tu código entró en pánico: attempt to subtract");
    assert!(panic.contains("isize"), "{panic}");
    let library = report("llama a `losses::mse_derivative`");
    assert!(library.contains("escríbelo tú"), "{library}");
    assert!(panic.contains("\n  input  = "), "{panic}");
}

#[test]
fn progress_table_is_spanish() {
    grader::set_language(Lang::Es);
    let table = grader::progress_table(&exercises::sections());
    let header = table.lines().next().expect("a header");
    for word in ["sección", "ejercicio", "estado", "se califica con"] {
        assert!(header.contains(word), "{word:?} missing: {header}");
    }
    assert!(table.contains("sin empezar"), "{table}");
    assert!(table.contains("ejercicios hechos."), "{table}");
    assert_spanish(&table);
    for word in ["section", "exercise", "status", "grade with", "done"] {
        assert!(!header.contains(word), "{word:?} in {header}");
    }
}

#[test]
fn verdict_labels() {
    grader::set_language(Lang::Es);
    assert_eq!(Verdict::NotStarted.label(), "not started");
    assert_eq!(Verdict::NotStarted.label_in(Lang::Es), "sin empezar");
    assert_eq!(Verdict::Passed.label_in(Lang::Es), "aprobado");
    assert_eq!(
        Verdict::Wrong(String::new()).label_in(Lang::Es),
        "incorrecto"
    );
}
