//! The numbers the book quotes from a run are what the named command prints
//! today: each demo runs with its defaults (the command the book names), and the
//! figures it prints must appear on the page that quotes them. A change that
//! moves a result fails here until the page is updated with it.

use std::path::Path;
use std::process::Command;

/// The demo's standard output with its default settings (only `--out` moved).
fn defaults(bin: &str, name: &str) -> String {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("book-{name}"));
    let output = Command::new(bin)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("the demo starts");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{name} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn page(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../book/src")
        .join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The word after `key` on the first line of `text` that contains `line_has`.
fn after<'a>(text: &'a str, line_has: &str, key: &str) -> &'a str {
    let line = text
        .lines()
        .find(|l| l.contains(line_has))
        .unwrap_or_else(|| panic!("no line with {line_has:?} in:\n{text}"));
    let rest = &line[line
        .find(key)
        .unwrap_or_else(|| panic!("no {key:?} in {line:?}"))
        + key.len()..];
    rest.split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_end_matches(',')
}

#[track_caller]
fn quoted(page_name: &str, figure: &str, what: &str) {
    assert!(
        page(page_name).contains(figure),
        "book/src/{page_name} should quote {what} as the command prints it today, \
         {figure}; update the page"
    );
}

#[test]
fn the_sine_hands_on() {
    let s = defaults(env!("CARGO_BIN_EXE_sine"), "sine");
    quoted(
        "hands-on-sine.md",
        after(&s, "by hand", "MSE "),
        "the by-hand MSE",
    );
    quoted(
        "hands-on-sine.md",
        after(&s, "library", "MSE "),
        "the library's MSE",
    );
}

#[test]
fn the_cnn_hands_on_on_the_embedded_data() {
    let s = defaults(env!("CARGO_BIN_EXE_cnn"), "cnn");
    let accuracy =
        format!("{} %", after(&s, "on Fashion-MNIST test", "test accuracy "));
    quoted("hands-on-cnn.md", &accuracy, "TinyVGG's test accuracy");
    quoted("templates.md", &accuracy, "TinyVGG's test accuracy");
}

#[test]
fn the_linear_classifier_as_templates() {
    let s = defaults(env!("CARGO_BIN_EXE_templates"), "templates");
    let accuracy =
        format!("{} %", after(&s, "linear classifier on", "test accuracy "));
    quoted(
        "templates.md",
        &accuracy,
        "the linear classifier's test accuracy",
    );
}

#[test]
fn the_capacity_chosen_on_validation() {
    let s = defaults(env!("CARGO_BIN_EXE_fitting"), "fitting");
    let line = "chosen on validation";
    quoted(
        "fitting.md",
        &format!("degree {}", after(&s, line, "degree ")),
        "the chosen degree",
    );
    quoted(
        "fitting.md",
        after(&s, line, "validation MSE "),
        "its validation MSE",
    );
    quoted("fitting.md", after(&s, line, "test MSE "), "its test MSE");
}
