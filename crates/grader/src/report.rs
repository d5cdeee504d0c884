use crate::messages::{fill, tr, Msg};
use crate::{language, Section, Verdict};
use std::fmt::Write;
use std::process::ExitCode;
use std::time::Instant;

/// What the run expects of the exercises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A student's run: succeeds only when every exercise passes.
    Student,
    /// The maintainers' run (`GRADE_EXPECT=not-started`): succeeds only when every
    /// stub is still `todo!()`, so a solved stub is never committed.
    ExpectNotStarted,
}

impl Mode {
    /// Reads `GRADE_EXPECT`: unset means [`Mode::Student`].
    pub fn from_env() -> Result<Mode, String> {
        match std::env::var("GRADE_EXPECT").as_deref() {
            Err(_) | Ok("") | Ok("passed") => Ok(Mode::Student),
            Ok("not-started") => Ok(Mode::ExpectNotStarted),
            Ok(other) => Err(fill(
                tr(Msg::GradeExpectUnknown),
                &[("value", &format!("{other:?}"))],
            )),
        }
    }
}

/// Grades every exercise of a section.
pub fn grade_section(section: &Section) -> Vec<Verdict> {
    section.exercises.iter().map(|e| (e.grade)()).collect()
}

/// What `cargo test -p <crate>` prints, and whether the run succeeds.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The report, in the current [`language`](crate::language).
    pub text: String,
    /// Whether the run succeeds in its [`Mode`].
    pub success: bool,
}

/// Grades the section and builds its report for `mode`.
pub fn grade_report(section: &Section, mode: Mode) -> Report {
    let start = Instant::now();
    let verdicts = grade_section(section);
    render_report(section, &verdicts, mode, start.elapsed().as_secs_f64())
}

/// The report of a graded section: a line per exercise (with the failure
/// report of each wrong one), the counts, and what to do next in `mode`.
pub fn render_report(
    section: &Section,
    verdicts: &[Verdict],
    mode: Mode,
    seconds: f64,
) -> Report {
    let name = section.name;
    let lang = language();
    let mut out = String::new();
    let grading = fill(
        tr(Msg::Grading),
        &[("section", &name), ("count", &verdicts.len())],
    );
    // Writing to a String cannot fail.
    let _ = writeln!(out, "\n{grading}\n");
    for (exercise, verdict) in section.exercises.iter().zip(verdicts) {
        let mark = match verdict {
            Verdict::Passed => "✓",
            Verdict::Wrong(_) => "✗",
            Verdict::NotStarted => "·",
        };
        let _ = writeln!(
            out,
            "  {mark} {:<12} {:<28} exercises/{}",
            verdict.label_in(lang),
            exercise.name,
            exercise.file
        );
        if let Verdict::Wrong(details) = verdict {
            for line in details.lines() {
                let _ = writeln!(out, "        {line}");
            }
        }
    }
    let passed = verdicts.iter().filter(|v| **v == Verdict::Passed).count();
    let not_started = verdicts
        .iter()
        .filter(|v| **v == Verdict::NotStarted)
        .count();
    let total = verdicts.len();
    let summary = fill(
        tr(Msg::Summary),
        &[
            ("passed", &passed),
            ("total", &total),
            ("wrong", &(total - passed - not_started)),
            ("not_started", &not_started),
            ("seconds", &format!("{seconds:.1}")),
        ],
    );
    let _ = writeln!(out, "\n{summary}");
    let success = match mode {
        Mode::Student if passed == total => {
            let done = fill(tr(Msg::SectionDone), &[("section", &name)]);
            let _ = writeln!(out, "{done}\n");
            true
        }
        Mode::Student => {
            let next = section
                .exercises
                .iter()
                .zip(verdicts)
                .find(|(_, v)| **v != Verdict::Passed);
            if let Some((exercise, _)) = next {
                let next = fill(
                    tr(Msg::Next),
                    &[
                        ("file", &exercise.file),
                        ("exercise", &exercise.name),
                        ("section", &name),
                    ],
                );
                let stuck = fill(tr(Msg::Stuck), &[("file", &exercise.file)]);
                let _ = writeln!(out, "{next}\n{stuck}\n");
            }
            false
        }
        Mode::ExpectNotStarted if not_started == total => {
            let ok = fill(tr(Msg::ExpectNotStartedOk), &[("section", &name)]);
            let _ = writeln!(out, "{ok}\n");
            true
        }
        Mode::ExpectNotStarted => {
            let failed =
                fill(tr(Msg::ExpectNotStartedFailed), &[("section", &name)]);
            let _ = writeln!(out, "{failed}\n");
            false
        }
    };
    Report { text: out, success }
}

/// The body of `cargo test -p <crate>`: grades the section, prints a short report
/// and returns success or failure according to [`Mode::from_env`].
pub fn run_section(section: Section) -> ExitCode {
    let mode = match Mode::from_env() {
        Ok(mode) => mode,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let report = grade_report(&section, mode);
    print!("{}", report.text);
    if report.success {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The table of every exercise in every section: done / wrong / not started.
pub fn progress_table(sections: &[Section]) -> String {
    let lang = language();
    let mut out = format!(
        "{:<12} {:<28} {:<12} {}\n",
        tr(Msg::ProgressSection),
        tr(Msg::ProgressExercise),
        tr(Msg::ProgressStatus),
        tr(Msg::ProgressGradeWith)
    );
    let (mut done, mut total) = (0, 0);
    for section in sections {
        for (exercise, verdict) in
            section.exercises.iter().zip(grade_section(section))
        {
            let status = match &verdict {
                Verdict::Passed => tr(Msg::ProgressDone),
                other => other.label_in(lang),
            };
            done += usize::from(verdict == Verdict::Passed);
            total += 1;
            let _ = writeln!(
                out,
                "{:<12} {:<28} {:<12} cargo test -p {}",
                section.name, exercise.name, status, section.name
            );
        }
    }
    let footer = fill(
        tr(Msg::ProgressTotal),
        &[("done", &done), ("total", &total)],
    );
    let _ = writeln!(out, "\n{footer}");
    out
}
