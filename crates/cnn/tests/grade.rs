//! `cargo test -p cnn` grades the student's `exercises/cnn/`: a short report of
//! each exercise (not started, wrong with a counterexample and a hint, or passed).
//!
//! With `GRADE_EXPECT=not-started` (the maintainers' run) it instead checks that
//! every stub is still untouched.

fn main() -> std::process::ExitCode {
    grader::run_section(grader::cnn::exercises(exercises::cnn::answers()))
}
