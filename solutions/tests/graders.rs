//! The graders are tested: every solved copy passes, every stub is *not
//! started*, and every kept wrong answer is *wrong* with a report that points at
//! the mistake. A grader that cannot fail would show up here.
//!
//! The reports are checked in English: each test pins the language first
//! (`graders_es.rs` checks the Spanish ones, in a process of its own).

use grader::{Section, Verdict};
use solutions::wrong::WrongAnswer;

fn verdict_of(section: &Section, exercise: &str) -> Verdict {
    let found = section.exercises.iter().find(|e| e.name == exercise);
    let exercise =
        found.unwrap_or_else(|| panic!("{}: no exercise {exercise}", section.name));
    (exercise.grade)()
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

/// Grades each wrong answer and checks the verdict and the report.
fn rejects<A>(wrong: Vec<WrongAnswer<A>>, grade: impl Fn(A) -> Section) -> usize {
    let count = wrong.len();
    for w in wrong {
        let section = grade(w.answers);
        match verdict_of(&section, w.exercise) {
            Verdict::Wrong(report) => assert!(
                report.contains(w.report_mentions),
                "{} / {}: the report should mention {:?}:\n{report}",
                w.exercise,
                w.mistake,
                w.report_mentions
            ),
            other => panic!(
                "{} / {}: expected wrong, got {other:?}",
                w.exercise, w.mistake
            ),
        }
    }
    count
}

#[test]
fn every_kept_wrong_answer_is_rejected() {
    grader::set_language(grader::Lang::En);
    use solutions::wrong;
    let mut n = 0;
    n += rejects(
        wrong::activations::answers(),
        grader::activations::exercises,
    );
    n += rejects(wrong::losses::answers(), grader::losses::exercises);
    n += rejects(wrong::perceptron::answers(), grader::perceptron::exercises);
    n += rejects(wrong::mlp::answers(), grader::mlp::exercises);
    n += rejects(wrong::backprop::answers(), grader::backprop::exercises);
    n += rejects(wrong::sgd::answers(), grader::sgd::exercises);
    n += rejects(wrong::conv::answers(), grader::conv::exercises);
    assert!(n >= 35, "only {n} wrong answers are kept");
}
