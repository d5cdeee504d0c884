//! The grading harness behind `cargo test -p <crate>`.
//!
//! Each concept crate has a module here with an `Answers` struct (one function
//! pointer per exercise, with the exercise's real signature) and an
//! `exercises(answers)` function that turns it into gradeable [`Exercise`]s.
//! The same graders run on the student's copy (`exercises/`), the solved copy
//! (`solutions/`) and the kept wrong answers (`solutions/wrong/`).
//!
//! A grader is a property test: random shapes and values from proptest, the
//! student's result compared with the reference library (forward values) or with
//! a central-difference gradient in f64 (backward values). A failing case is
//! shrunk to a minimal input, which the report prints with the expected and the
//! actual values and a one-line hint.
//!
//! A failing case is printed as the student's call: each argument by its
//! parameter name, matrices as matrices, tensors compactly ([`cases`]). A
//! panic in the student's code becomes a *wrong* verdict with a hint for its
//! kind (a shape mismatch, an index out of bounds, `usize` arithmetic gone
//! below zero). And since a property test cannot tell an answer from a call
//! to the library's own answer, each exercise also lists the library items
//! that would answer it, and [`scan`] looks for them in the exercise's source
//! file, read from the copy being graded ([`Source`]).
//!
//! Everything the grader prints is in [`messages`], in English and in Spanish;
//! the locale chooses ([`language`]), Spanish for any `es…` locale.

pub mod activations;
pub mod backprop;
pub mod cases;
mod check;
pub mod cnn;
pub mod conv;
mod lang;
pub mod losses;
pub mod messages;
pub mod mlp;
pub mod perceptron;
mod report;
pub mod scan;
pub mod sgd;

pub use check::{
    call, check, check_each, compare, compare_explained, compare_gradient, panicked,
    Strategy, TestCaseError,
};
pub use lang::{language, set_language, Lang};
pub use report::{
    grade_report, grade_section, progress_table, render_report, run_section, Mode,
    Report,
};
pub use scan::Source;

/// What grading one exercise found.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// The body is still `todo!()`.
    NotStarted,
    /// A case failed; the text has the minimal input, expected vs actual, a hint.
    Wrong(String),
    /// Every case passed.
    Passed,
}

impl Verdict {
    /// "passed", "wrong" or "not started" (in English whatever the locale; see
    /// [`Verdict::label_in`]).
    pub fn label(&self) -> &'static str {
        self.label_in(Lang::En)
    }

    /// The label in `lang`: in Spanish "aprobado", "incorrecto" or "sin empezar".
    pub fn label_in(&self, lang: Lang) -> &'static str {
        messages::tr_in(lang, self.message())
    }

    fn message(&self) -> messages::Msg {
        match self {
            Verdict::NotStarted => messages::Msg::VerdictNotStarted,
            Verdict::Wrong(_) => messages::Msg::VerdictWrong,
            Verdict::Passed => messages::Msg::VerdictPassed,
        }
    }
}

/// One exercise: a function a student writes, and how to grade it.
pub struct Exercise {
    /// The function's name, e.g. `dense_backward`.
    pub name: &'static str,
    /// The file that holds it, relative to the copy, e.g. `backprop/dense.rs`.
    pub file: &'static str,
    /// Runs the grader (the library-call scan, then the property tests).
    pub grade: Box<dyn Fn() -> Verdict>,
    /// The library items that would answer the exercise ([`scan`]).
    pub library: &'static [&'static str],
    /// The copy whose file the library-call scan reads.
    pub source: Source,
}

impl Exercise {
    /// An exercise graded by `grade`.
    pub fn new(
        name: &'static str,
        file: &'static str,
        grade: impl Fn() -> Verdict + 'static,
    ) -> Self {
        Exercise {
            name,
            file,
            grade: Box::new(grade),
            library: &[],
            source: Source::NONE,
        }
    }

    /// The same exercise, *wrong* whenever its body in `source`'s copy of its
    /// file uses one of `items`, the library's own answers to it (see
    /// [`scan`] for how items are written and matched). The property tests
    /// run only when none is found; a `todo!()` body finds none.
    pub fn forbid_library(
        mut self,
        source: Source,
        items: &'static [&'static str],
    ) -> Self {
        let (name, file) = (self.name, self.file);
        let tests = self.grade;
        self.library = items;
        self.source = source;
        self.grade = Box::new(move || match scan::find(source, file, name, items) {
            Some(found) => Verdict::Wrong(library_call(name, &found)),
            None => tests(),
        });
        self
    }
}

/// The report of an exercise that calls the library's answer.
fn library_call(name: &str, found: &scan::Found) -> String {
    let line = messages::fill(
        messages::tr(messages::Msg::LibraryCall),
        &[
            ("line", &found.line),
            ("exercise", &name),
            ("item", &found.item),
        ],
    );
    let hint = messages::fill(
        messages::tr(messages::Msg::Hint),
        &[("hint", &messages::tr(messages::Msg::HintLibraryCall))],
    );
    format!("{line}\n{hint}")
}

/// A lecture section's exercises, as graded by `cargo test -p <crate>`.
pub struct Section {
    /// The crate name, e.g. `backprop`.
    pub name: &'static str,
    /// Its exercises, in the order the chapter introduces them.
    pub exercises: Vec<Exercise>,
}
