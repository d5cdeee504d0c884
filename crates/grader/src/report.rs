use crate::{Section, Verdict};
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
            Ok(other) => Err(format!(
                "GRADE_EXPECT={other:?} is not understood: leave it unset to grade your \
                 exercises, or set it to not-started to check the stubs are untouched"
            )),
        }
    }
}

/// Grades every exercise of a section.
pub fn grade_section(section: &Section) -> Vec<Verdict> {
    section.exercises.iter().map(|e| (e.grade)()).collect()
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
    let start = Instant::now();
    let verdicts = grade_section(&section);
    let name = section.name;
    println!(
        "\nGrading exercises/{name}/ ({} exercises)\n",
        verdicts.len()
    );
    for (exercise, verdict) in section.exercises.iter().zip(&verdicts) {
        let mark = match verdict {
            Verdict::Passed => "✓",
            Verdict::Wrong(_) => "✗",
            Verdict::NotStarted => "·",
        };
        println!(
            "  {mark} {:<12} {:<28} exercises/{}",
            verdict.label(),
            exercise.name,
            exercise.file
        );
        if let Verdict::Wrong(details) = verdict {
            for line in details.lines() {
                println!("        {line}");
            }
        }
    }
    let passed = verdicts.iter().filter(|v| **v == Verdict::Passed).count();
    let not_started = verdicts
        .iter()
        .filter(|v| **v == Verdict::NotStarted)
        .count();
    let total = verdicts.len();
    println!(
        "\n{passed}/{total} passed, {} wrong, {not_started} not started ({:.1} s).",
        total - passed - not_started,
        start.elapsed().as_secs_f64()
    );
    match mode {
        Mode::Student if passed == total => {
            println!("Section {name} done.\n");
            ExitCode::SUCCESS
        }
        Mode::Student => {
            let next = section
                .exercises
                .iter()
                .zip(&verdicts)
                .find(|(_, v)| **v != Verdict::Passed);
            if let Some((exercise, _)) = next {
                println!(
                    "Next: exercises/{} ({}), then rerun `cargo test -p {name}`.\n\
                     Stuck? The solved copy is solutions/{}.\n",
                    exercise.file, exercise.name, exercise.file
                );
            }
            ExitCode::FAILURE
        }
        Mode::ExpectNotStarted if not_started == total => {
            println!("GRADE_EXPECT=not-started: every stub of {name} is untouched, as it must be.\n");
            ExitCode::SUCCESS
        }
        Mode::ExpectNotStarted => {
            println!(
                "GRADE_EXPECT=not-started: some stubs in exercises/{name}/ are no longer \
                 todo!(); put the stubs back (solved copies belong in solutions/).\n"
            );
            ExitCode::FAILURE
        }
    }
}

/// The table of every exercise in every section: done / wrong / not started.
pub fn progress_table(sections: &[Section]) -> String {
    let mut out = format!(
        "{:<12} {:<28} {:<12} {}\n",
        "section", "exercise", "status", "grade with"
    );
    let (mut done, mut total) = (0, 0);
    for section in sections {
        for (exercise, verdict) in
            section.exercises.iter().zip(grade_section(section))
        {
            let status = match &verdict {
                Verdict::Passed => "done",
                other => other.label(),
            };
            done += usize::from(verdict == Verdict::Passed);
            total += 1;
            out += &format!(
                "{:<12} {:<28} {:<12} cargo test -p {}\n",
                section.name, exercise.name, status, section.name
            );
        }
    }
    out += &format!("\n{done} of {total} exercises done.\n");
    out
}
