//! `cargo test -p activations` grades the student's `exercises/activations/`: a short report of
//! each exercise (not started, wrong with a counterexample and a hint, or passed).
//!
//! With `GRADE_EXPECT=not-started` (the maintainers' run) it instead checks that
//! every stub is still untouched.

fn main() -> std::process::ExitCode {
    grader::run_section(grader::activations::exercises(
        exercises::activations::answers(),
    ))
}
