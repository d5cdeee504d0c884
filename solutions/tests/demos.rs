//! Each demo runs with tiny settings and writes the files it promises.

use std::path::Path;
use std::process::Command;

fn run(bin: &str, args: &[&str]) -> String {
    let out = Command::new(bin)
        .args(args)
        .output()
        .expect("the demo starts");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{bin} {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn assert_png(path: &Path) {
    let bytes =
        std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "{} is not a PNG",
        path.display()
    );
    assert!(bytes.len() > 10_000, "{} is nearly empty", path.display());
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn sine_writes_its_figures_and_reports_both_fits() {
    let out = scratch("sine");
    let o = out.to_str().expect("utf-8 path");
    let stdout = run(
        env!("CARGO_BIN_EXE_sine"),
        &["--iterations", "3000", "--adam-steps", "300", "--out", o],
    );
    assert!(
        stdout.contains("by hand") && stdout.contains("library"),
        "{stdout}"
    );
    assert_png(&out.join("sine_fit.png"));
    assert_png(&out.join("sine_loss.png"));
}

#[test]
fn sine_rejects_a_bad_flag_with_a_message() {
    let out = Command::new(env!("CARGO_BIN_EXE_sine"))
        .arg("--iterations=many")
        .output()
        .expect("the demo starts");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("invalid value 'many'"), "{stderr}");
}
