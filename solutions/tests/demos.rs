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

fn run_err(bin: &str, args: &[&str]) -> String {
    let out = Command::new(bin)
        .args(args)
        .output()
        .expect("the demo starts");
    assert!(!out.status.success(), "{bin} {args:?} should fail");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !stderr.contains("panicked"),
        "{bin} {args:?} panicked:\n{stderr}"
    );
    stderr
}

#[test]
fn cnn_trains_saves_resumes_and_evaluates() {
    let out = scratch("cnn");
    let o = out.to_str().expect("utf-8 path");
    let cnn = env!("CARGO_BIN_EXE_cnn");
    let small = [
        "--train-limit",
        "256",
        "--test-limit",
        "64",
        "--epochs",
        "1",
        "--out",
        o,
    ];
    let stdout = run(cnn, &small);
    assert!(stdout.contains("Epoch [1/1], Average Loss:"), "{stdout}");
    assert!(
        stdout.contains("test accuracy") && stdout.contains("confusion matrix"),
        "{stdout}"
    );
    assert_png(&out.join("tinyvgg_curves.png"));
    let weights = out.join("tinyvgg.safetensors");
    let w = weights.to_str().expect("utf-8 path");
    let evaluated = run(cnn, &["--eval", w, "--test-limit", "64", "--out", o]);
    // Evaluating the saved weights gives the accuracy the run reported.
    let accuracy = |s: &str| {
        s.lines()
            .find(|l| l.contains("test accuracy") && l.contains(" on "))
            .map(str::to_string)
    };
    assert_eq!(
        accuracy(&stdout),
        accuracy(&evaluated),
        "{stdout}\n---\n{evaluated}"
    );
    let resumed = run(cnn, &[&small[..], &["--resume", w]].concat());
    assert!(resumed.contains("resuming from"), "{resumed}");
}

#[test]
fn cnn_explains_bad_input() {
    let out = scratch("cnn-bad");
    let o = out.to_str().expect("utf-8 path");
    let cnn = env!("CARGO_BIN_EXE_cnn");
    // An unknown flag.
    assert!(
        run_err(cnn, &["--epoch", "3"]).contains("unexpected argument '--epoch'")
    );
    // A truncated dataset file.
    let data = out.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/cnn/data/fashion-mnist");
    for f in std::fs::read_dir(&src).unwrap() {
        let f = f.unwrap().path();
        if f.extension().is_some_and(|e| e == "gz") {
            std::fs::copy(&f, data.join(f.file_name().unwrap())).unwrap();
        }
    }
    let images = data.join("t10k-images-idx3-ubyte.gz");
    let bytes = std::fs::read(&images).unwrap();
    std::fs::write(&images, &bytes[..bytes.len() / 2]).unwrap();
    let e = run_err(cnn, &["--data", data.to_str().unwrap(), "--out", o]);
    assert!(
        e.contains("t10k-images-idx3-ubyte.gz") && e.contains("download it again"),
        "{e}"
    );
    // A checkpoint of another model.
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(0);
    let other = cnn::models::mlp([1, 28, 28], 10, &mut rng);
    let ckpt = out.join("mlp.safetensors");
    let fashion = cnn::data::embedded_fashion_mnist().test.take(1);
    cnn::checkpoint::save(&other, &fashion, &ckpt).unwrap();
    let e = run_err(cnn, &["--eval", ckpt.to_str().unwrap(), "--out", o]);
    assert!(e.contains("holds a mlp model, not tinyvgg"), "{e}");
    // A loss that becomes NaN.
    let e = run_err(
        cnn,
        &[
            "--lr",
            "1e9",
            "--train-limit",
            "512",
            "--test-limit",
            "10",
            "--out",
            o,
        ],
    );
    assert!(
        e.contains("training diverged") && e.contains("lower the learning rate"),
        "{e}"
    );
    // Data that is not there.
    let e = run_err(cnn, &["--dataset", "cifar10", "--data", o]);
    assert!(
        e.contains("test_batch.bin") && e.contains("--download"),
        "{e}"
    );
}

/// Runs a demo with tiny settings and checks the files it says it wrote.
fn smoke(bin: &str, name: &str, args: &[&str], files: &[&str]) -> String {
    let out = scratch(name);
    let o = out.to_str().expect("utf-8 path");
    let stdout = run(bin, &[args, &["--out", o]].concat());
    for f in files {
        assert_png(&out.join(f));
        assert!(
            stdout.contains(&format!("wrote {}", out.join(f).display())),
            "{stdout}"
        );
    }
    stdout
}

#[test]
fn activations_demo() {
    smoke(
        env!("CARGO_BIN_EXE_activations"),
        "activations",
        &[],
        &["activations.png"],
    );
}

#[test]
fn linear_collapse_demo() {
    let s = smoke(
        env!("CARGO_BIN_EXE_linear-collapse"),
        "collapse",
        &["--steps", "400"],
        &[],
    );
    assert!(
        s.contains("largest difference") && s.contains("no activation  MSE 0.25"),
        "{s}"
    );
}

#[test]
fn templates_demo() {
    let s = smoke(
        env!("CARGO_BIN_EXE_templates"),
        "templates",
        &["--epochs", "1", "--train-limit", "600"],
        &["templates.png"],
    );
    assert!(s.contains("test accuracy"), "{s}");
}

#[test]
fn mlp_demo() {
    let s = smoke(
        env!("CARGO_BIN_EXE_mlp"),
        "mlp",
        &[
            "--epochs",
            "1",
            "--train-limit",
            "300",
            "--test-limit",
            "50",
        ],
        &["mlp_curves.png"],
    );
    assert!(s.contains("model: mlp (199210 parameters)"), "{s}");
}

#[test]
fn fitting_demo() {
    let s = smoke(
        env!("CARGO_BIN_EXE_fitting"),
        "fitting",
        &[],
        &["fitting.png", "fitting_curves.png"],
    );
    assert!(
        s.contains("Under-fitting") && s.contains("Over-fitting"),
        "{s}"
    );
    // The capacity is chosen on held-out validation points, not on the test set.
    assert!(s.contains("chosen on validation: degree"), "{s}");
}

#[test]
fn filters_demo() {
    smoke(
        env!("CARGO_BIN_EXE_filters"),
        "filters",
        &["--epochs", "1", "--train-limit", "200"],
        &["filters.png", "feature_maps.png"],
    );
}

/// The numbers after `label` on the line that contains it, e.g. "min 0.5, max 7".
fn numbers_after(stdout: &str, label: &str) -> Vec<f32> {
    let line = stdout
        .lines()
        .find(|l| l.contains(label))
        .unwrap_or_else(|| panic!("no line with {label:?} in:\n{stdout}"));
    let tail = &line[line.find(label).expect("found above") + label.len()..];
    tail.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter_map(|w| w.parse().ok())
        .collect()
}

#[test]
fn loss_surface_demo() {
    let s = smoke(
        env!("CARGO_BIN_EXE_loss-surface"),
        "loss_surface",
        &[
            "--epochs",
            "1",
            "--train-limit",
            "200",
            "--points",
            "50",
            "--grid",
            "5",
        ],
        &["loss_surface.png"],
    );
    let centre = numbers_after(&s, "at θ*:");
    let range = numbers_after(&s, "]: min");
    let border = numbers_after(&s, "border:");
    assert_eq!((centre.len(), range.len(), border.len()), (1, 2, 1), "{s}");
    let (c, lo, hi, b) = (centre[0], range[0], range[1], border[0]);
    assert!(
        [c, lo, hi, b].iter().all(|v| v.is_finite() && *v > 0.0),
        "{s}"
    );
    // θ* is a grid point (5 is odd), so the grid's range contains its loss.
    assert!(lo <= c + 1e-3 && c <= hi + 1e-3, "{s}");
    assert!(lo <= b && b <= hi, "{s}");
}

#[test]
fn concept_unit_demo() {
    let s = smoke(
        env!("CARGO_BIN_EXE_concept-unit"),
        "concept_unit",
        &["--epochs", "1", "--train-limit", "300"],
        &["concept_unit.png"],
    );
    let selectivity = numbers_after(&s, "selectivity");
    assert_eq!(selectivity.len(), 1, "{s}");
    // (best − others) / (best + others) of non-negative means lies in [0, 1].
    assert!((0.0..=1.0).contains(&selectivity[0]), "{s}");
    let means: Vec<f32> = s
        .lines()
        .skip_while(|l| !l.starts_with("mean activation per class"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().last()?.parse().ok())
        .collect();
    assert_eq!(means.len(), 10, "{s}");
    assert!(means.iter().all(|m| m.is_finite() && *m >= 0.0), "{s}");
}

#[test]
fn siren_demo() {
    let s = smoke(
        env!("CARGO_BIN_EXE_siren"),
        "siren",
        &["--steps", "5", "--hidden", "8"],
        &["siren.png", "siren_psnr.png"],
    );
    assert!(s.contains("PSNR"), "{s}");
}

#[test]
fn playground_demo_and_preset() {
    let bin = env!("CARGO_BIN_EXE_playground");
    let args = [
        "--data",
        "spiral",
        "--classes",
        "3",
        "--epochs",
        "5",
        "--features",
        "x1,x2,sin-x1,x1x2",
        "--l2",
        "0.001",
    ];
    let s = smoke(
        bin,
        "playground",
        &args,
        &[
            "playground.png",
            "playground_loss.png",
            "playground_neurons.png",
        ],
    );
    assert!(s.contains("3 classes"), "{s}");
    smoke(
        bin,
        "playground-preset",
        &["--preset", "relu-vs-sigmoid", "--epochs", "3"],
        &["relu_vs_sigmoid.png"],
    );
    // Points of one's own, and a bad file.
    let dir = scratch("playground-csv");
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("points.csv");
    let rows: String = (0..40)
        .map(|i| {
            format!(
                "{},{},{}\n",
                (i % 7) as f32 - 3.0,
                (i % 5) as f32 - 2.0,
                i % 2
            )
        })
        .collect();
    std::fs::write(&csv, format!("x,y,label\n{rows}")).unwrap();
    smoke(
        bin,
        "playground-own",
        &["--csv", csv.to_str().unwrap(), "--epochs", "3"],
        &["playground.png"],
    );
    std::fs::write(&csv, "x,y,label\n1,2,0\n1,oops,1\n").unwrap();
    let e = run_err(bin, &["--csv", csv.to_str().unwrap()]);
    assert!(e.contains("line 3 is not x,y,label"), "{e}");
}

#[test]
fn cnn_trains_the_cifar10_model_on_files_in_the_official_format() {
    let out = scratch("cnn-cifar");
    let data = out.join("cifar-10-batches-bin");
    std::fs::create_dir_all(&data).unwrap();
    // 16 records per training file, 8 in the test file: label byte, then 3 072 pixels.
    let file = |records: usize, seed: usize| -> Vec<u8> {
        (0..records)
            .flat_map(|r| {
                let label = ((r + seed) % 10) as u8;
                std::iter::once(label).chain(
                    (0..3072).map(move |i| ((i * 7 + r * 13 + seed) % 256) as u8),
                )
            })
            .collect()
    };
    for k in 1..=5 {
        std::fs::write(data.join(format!("data_batch_{k}.bin")), file(16, k))
            .unwrap();
    }
    std::fs::write(data.join("test_batch.bin"), file(8, 0)).unwrap();
    let o = out.to_str().expect("utf-8 path");
    let stdout = run(
        env!("CARGO_BIN_EXE_cnn"),
        &[
            "--dataset",
            "cifar10",
            "--data",
            o,
            "--epochs",
            "1",
            "--out",
            o,
        ],
    );
    assert!(
        stdout.contains("train: CIFAR-10 train, 80 images of 3×32×32, 10 classes"),
        "{stdout}"
    );
    assert!(
        stdout.contains("model: convolutional (10458 parameters)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("airplane") && stdout.contains("truck"),
        "{stdout}"
    );
    assert_png(&out.join("convolutional_curves.png"));
}
