//! What students and instructors actually do to the programs: checkpoints from
//! another dataset, full disks and unwritable figures, closed pipes, odd image
//! sizes, loose flags, PyTorch files, hand-made CSVs. Each case ends in one clear
//! line and a non-zero exit, or in the work done; never in a panic or lost work.

use proptest::prelude::*;
use solutions::demos::fitting::Fits;
use solutions::demos::playground::parse_csv;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const CNN: &str = env!("CARGO_BIN_EXE_cnn");

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("robust-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn output(bin: &str, args: &[&str]) -> Output {
    Command::new(bin)
        .args(args)
        .output()
        .expect("the demo starts")
}

/// Runs a demo that should succeed; returns its standard output and error.
fn run(bin: &str, args: &[&str]) -> (String, String) {
    let out = output(bin, args);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(
        out.status.success(),
        "{bin} {args:?} failed:\n{stdout}\n{stderr}"
    );
    (stdout, stderr)
}

/// Runs a demo that should fail with one clear line; returns that line.
#[track_caller]
fn refused(bin: &str, args: &[&str]) -> String {
    let out = output(bin, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !out.status.success(),
        "{bin} {args:?} should fail:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        !stderr.contains("panicked") && out.status.code() != Some(101),
        "{bin} {args:?} panicked:\n{stderr}"
    );
    stderr
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// An idx file of `dims` holding `data` (raw, not gzipped).
fn idx(dims: &[u32], data: &[u8]) -> Vec<u8> {
    let mut v = vec![0, 0, 8, dims.len() as u8];
    for d in dims {
        v.extend(d.to_be_bytes());
    }
    v.extend(data);
    v
}

/// A folder of the four idx files: `n` training and test images of
/// `train_side` and `test_side` pixels (rows × columns).
fn idx_folder(
    name: &str,
    n: u32,
    train_side: [u32; 2],
    test_side: [u32; 2],
) -> PathBuf {
    let dir = scratch(name);
    for (stem, [h, w]) in [("train", train_side), ("t10k", test_side)] {
        let pixels: Vec<u8> = (0..n * h * w).map(|i| (i * 37 % 256) as u8).collect();
        let labels: Vec<u8> = (0..n).map(|i| (i % 10) as u8).collect();
        let images = dir.join(format!("{stem}-images-idx3-ubyte"));
        std::fs::write(images, idx(&[n, h, w], &pixels)).unwrap();
        let labels_file = dir.join(format!("{stem}-labels-idx1-ubyte"));
        std::fs::write(labels_file, idx(&[n], &labels)).unwrap();
    }
    dir
}

/// The embedded Fashion-MNIST files, copied to a folder.
fn fashion_copy(name: &str) -> PathBuf {
    let dir = scratch(name);
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/cnn/data/fashion-mnist");
    for f in std::fs::read_dir(&src).unwrap() {
        let f = f.unwrap().path();
        if f.extension().is_some_and(|e| e == "gz") {
            std::fs::copy(&f, dir.join(f.file_name().unwrap())).unwrap();
        }
    }
    dir
}

const QUICK: [&str; 6] =
    ["--train-limit", "64", "--test-limit", "32", "--epochs", "1"];

// 1. A checkpoint from another dataset.

#[test]
fn a_checkpoint_of_another_dataset_is_refused_and_eval_keeps_the_training_report() {
    // MNIST's digit names on (a copy of) Fashion-MNIST's pixels: what matters is
    // that the checkpoint records what it was trained on.
    let digits = fashion_copy("digits");
    let trained = scratch("digits-out");
    // A folder that does not exist yet: a refused checkpoint must not make it.
    let out = scratch("fashion-out").join("new");
    let mnist_args = [
        "--dataset",
        "mnist",
        "--data",
        s(&digits),
        "--out",
        s(&trained),
    ];
    run(CNN, &[&QUICK[..], &mnist_args].concat());
    let weights = trained.join("tinyvgg.safetensors");
    for flag in ["--eval", "--resume"] {
        let e = refused(
            CNN,
            &[&QUICK[..], &[flag, s(&weights), "--out", s(&out)]].concat(),
        );
        assert!(
            e.contains("was trained on MNIST (10 classes: 0, 1, 2, …)")
                && e.contains("the data here is Fashion-MNIST"),
            "{e}"
        );
    }
    let filters = env!("CARGO_BIN_EXE_filters");
    let e = refused(filters, &["--weights", s(&weights), "--out", s(&out)]);
    assert!(e.contains("was trained on MNIST"), "{e}");
    assert!(
        !out.exists(),
        "a refused checkpoint created {}",
        out.display()
    );

    // On its own dataset it evaluates, into a report of its own.
    let training_report = std::fs::read(trained.join("tinyvgg_report.txt")).unwrap();
    let (stdout, _) = run(
        CNN,
        &[
            &mnist_args[..],
            &["--eval", s(&weights), "--test-limit", "32"],
        ]
        .concat(),
    );
    assert!(stdout.contains("trained on MNIST"), "{stdout}");
    let eval_report = trained.join("tinyvgg_eval_report.txt");
    assert!(
        stdout.contains(&format!("wrote {}", eval_report.display())),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read(trained.join("tinyvgg_report.txt")).unwrap(),
        training_report,
        "--eval replaced the training report"
    );
    // The evaluation of the same weights on the same images reads the same.
    let first = |p: &Path| {
        std::fs::read_to_string(p)
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        first(&eval_report),
        first(&trained.join("tinyvgg_report.txt"))
    );
}

// 2. Outputs written whole or not at all (the full disk itself: cnn's
// `checkpoint::tests::a_full_disk_keeps_the_previous_checkpoint`).

#[test]
fn a_figure_that_cannot_be_written_loses_neither_the_weights_nor_the_report() {
    let out = scratch("figure");
    // A folder where the figure should go: the rename onto it fails.
    std::fs::create_dir_all(out.join("tinyvgg_curves.png")).unwrap();
    let e = refused(CNN, &[&QUICK[..], &["--out", s(&out)]].concat());
    assert!(
        e.contains("cannot write") && e.contains("tinyvgg_curves.png"),
        "{e}"
    );
    assert!(out.join("tinyvgg.safetensors").is_file());
    assert!(out.join("tinyvgg_report.txt").is_file());
    let hidden: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|f| f.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "temporary files left: {hidden:?}");
}

// 3. A closed standard output.

/// Runs `bin` with its standard output a pipe whose reading end is closed at
/// once (as `| head` does when it has read enough).
fn with_stdout_closed(bin: &str, args: &[&str]) -> Output {
    let mut child = Command::new(bin)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the demo starts");
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_stdout_stops_the_printing_not_the_work() {
    let cases: [(&str, &[&str], &[&str]); 3] = [
        (
            CNN,
            &QUICK,
            &[
                "tinyvgg.safetensors",
                "tinyvgg_report.txt",
                "tinyvgg_curves.png",
            ],
        ),
        (
            env!("CARGO_BIN_EXE_fitting"),
            &[],
            &["fitting.png", "fitting_curves.png"],
        ),
        (
            env!("CARGO_BIN_EXE_playground"),
            &["--epochs", "5"],
            &["playground.png", "playground_loss.png"],
        ),
    ];
    for (k, (bin, args, files)) in cases.into_iter().enumerate() {
        let out = scratch(&format!("pipe-{k}"));
        let result = with_stdout_closed(bin, &[args, &["--out", s(&out)]].concat());
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(
            result.status.success() && !stderr.contains("panicked"),
            "{bin}: {:?}\n{stderr}",
            result.status
        );
        for f in files {
            assert!(out.join(f).is_file(), "{bin} did not write {f}");
        }
    }
}

// 4. Unusual input, checked before training.

#[test]
fn odd_image_sizes_are_checked_before_training() {
    let tiny = idx_folder("1x1", 20, [1, 1], [1, 1]);
    let e = refused(CNN, &["--dataset", "mnist", "--data", s(&tiny)]);
    assert!(
        e.contains("at least 4×4 pixels, and these are 1×1") && e.contains("mlp"),
        "{e}"
    );
    let three = idx_folder("3x3", 20, [3, 3], [3, 3]);
    let e = refused(CNN, &["--dataset", "mnist", "--data", s(&three)]);
    assert!(e.contains("these are 3×3"), "{e}");
    // The MLP takes them.
    let out = scratch("3x3-out");
    run(
        CNN,
        &[
            "--dataset",
            "mnist",
            "--data",
            s(&three),
            "--model",
            "mlp",
            "--epochs",
            "1",
            "--out",
            s(&out),
        ],
    );
    let empty = idx_folder("0x28", 20, [0, 28], [0, 28]);
    let e = refused(CNN, &["--dataset", "mnist", "--data", s(&empty)]);
    assert!(e.contains("0×28 pixels"), "{e}");
    let mixed = idx_folder("28-32", 20, [28, 28], [32, 32]);
    let out = output(CNN, &["--dataset", "mnist", "--data", s(&mixed)]);
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success()
            && e.contains("32×32 pixels, but the training images are 28×28"),
        "{e}"
    );
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("Epoch"),
        "it trained first"
    );
    let small = idx_folder("8x8", 20, [8, 8], [8, 8]);
    let e = refused(
        CNN,
        &[
            "--dataset",
            "mnist",
            "--data",
            s(&small),
            "--model",
            "convolutional",
        ],
    );
    assert!(
        e.contains("convolutional halves the images 4 times") && e.contains("16×16"),
        "{e}"
    );
}

#[test]
fn sizes_and_frequencies_that_cannot_work_are_refused() {
    let siren = env!("CARGO_BIN_EXE_siren");
    for omega in ["0", "-3", "NaN"] {
        let e = refused(siren, &[&format!("--omega-0={omega}")]);
        assert!(
            e.contains("is not a frequency: pass a positive number"),
            "{e}"
        );
    }
    let e = refused(env!("CARGO_BIN_EXE_activations"), &["--omega-0", "NaN"]);
    assert!(e.contains("--omega-0 NaN is not a frequency"), "{e}");
    let e = refused(
        env!("CARGO_BIN_EXE_linear-collapse"),
        &["--hidden", "100000"],
    );
    assert!(e.contains("--hidden 100000 is more than 4096"), "{e}");
    let e = refused(siren, &["--hidden", "100000"]);
    assert!(e.contains("is more than 4096"), "{e}");
}

// 5. Flags.

#[test]
fn loose_flags_are_refused_with_advice_that_names_real_options() {
    let e = refused(CNN, &["--threads", "0"]);
    assert!(e.contains("--threads 0: pass at least 1"), "{e}");
    for m in ["1.5", "1", "-0.1"] {
        let e = refused(CNN, &[&format!("--momentum={m}")]);
        assert!(e.contains("is outside [0, 1)"), "{e}");
    }
    let e = refused(CNN, &["--momentum", "0.9", "--optimizer", "adam"]);
    assert!(e.contains("--momentum is SGD's"), "{e}");
    let e = refused(
        CNN,
        &["--eval", "a.safetensors", "--resume", "b.safetensors"],
    );
    assert!(e.contains("cannot be used with"), "{e}");
    let e = refused(CNN, &["--download"]);
    assert!(e.contains("--download fetches CIFAR-10 only"), "{e}");
    for lr in ["NaN", "-0.1", "0"] {
        let e = refused(CNN, &[&format!("--lr={lr}")]);
        assert!(
            e.contains("is not a learning rate") && !e.contains("lower"),
            "{e}"
        );
    }
    for bin in [
        env!("CARGO_BIN_EXE_playground"),
        env!("CARGO_BIN_EXE_siren"),
        env!("CARGO_BIN_EXE_sine"),
        env!("CARGO_BIN_EXE_templates"),
    ] {
        let e = refused(bin, &["--lr", "NaN"]);
        assert!(
            e.contains("--lr NaN is not a learning rate") && !e.contains("lower"),
            "{bin}: {e}"
        );
    }
    for bin in [
        env!("CARGO_BIN_EXE_templates"),
        env!("CARGO_BIN_EXE_filters"),
    ] {
        let e = refused(bin, &["--train-limit", "0"]);
        assert!(
            e.contains("--train-limit 0 leaves no image to train on"),
            "{bin}: {e}"
        );
    }
    let fitting = env!("CARGO_BIN_EXE_fitting");
    for noise in ["-1", "NaN", "inf"] {
        let e = refused(fitting, &[&format!("--noise={noise}")]);
        assert!(e.contains("is not a standard deviation"), "{e}");
    }
    // Advice names options the program has.
    let out = scratch("advice");
    let e = refused(env!("CARGO_BIN_EXE_templates"), &["--cifar", s(&out)]);
    assert!(
        e.contains("test_batch.bin") && !e.contains("--download"),
        "{e}"
    );
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(0);
    let mlp = cnn::models::mlp([1, 28, 28], 10, &mut rng);
    let fashion = cnn::data::embedded_fashion_mnist().test.take(1);
    let ckpt = out.join("mlp.safetensors");
    cnn::checkpoint::save(&mlp, &fashion, &ckpt).unwrap();
    let e = refused(
        env!("CARGO_BIN_EXE_filters"),
        &["--weights", s(&ckpt), "--out", s(&out)],
    );
    assert!(
        e.contains("holds a mlp model") && !e.contains("--model"),
        "{e}"
    );
    let e = refused(CNN, &["--eval", s(&ckpt), "--out", s(&out)]);
    assert!(e.contains("pass --model mlp"), "{e}");
}

#[test]
fn a_checkpoint_full_of_nan_is_refused() {
    let out = scratch("nan");
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(0);
    let mut model = cnn::models::tiny_vgg([1, 28, 28], 10, 10, &mut rng);
    for p in model.parameters() {
        p.value.fill(f32::NAN);
    }
    let ckpt = out.join("tinyvgg.safetensors");
    let fashion = cnn::data::embedded_fashion_mnist().test.take(1);
    cnn::checkpoint::save(&model, &fashion, &ckpt).unwrap();
    let e = refused(CNN, &["--eval", s(&ckpt), "--out", s(&out)]);
    assert!(
        e.contains("NaN or infinite values") && e.contains("diverged"),
        "{e}"
    );
    assert!(!out.join("tinyvgg_eval_report.txt").exists());
}

#[test]
fn a_playground_csv_is_read_as_written() {
    let playground = env!("CARGO_BIN_EXE_playground");
    let dir = scratch("csv");
    let csv = dir.join("points.csv");
    let rows: String = (0..20)
        .map(|i| {
            format!(
                "{},{},{}\n",
                (i % 7) as f32 - 3.0,
                (i % 5) as f32 - 2.0,
                i % 2
            )
        })
        .collect();
    let out = scratch("csv-out");
    let go = |text: &str| {
        std::fs::write(&csv, text).unwrap();
        output(
            playground,
            &["--csv", s(&csv), "--epochs", "2", "--out", s(&out)],
        )
    };
    // A label of 255 is refused, not taken as 256 classes.
    let e = String::from_utf8_lossy(&go(&format!("{rows}1,1,255\n")).stderr)
        .into_owned();
    assert!(
        e.contains("count from 0 with no gaps") && e.contains("2 is missing"),
        "{e}"
    );
    // A byte order mark before the first data row: the row is kept.
    let result = go(&format!("\u{feff}{rows}"));
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(
        stdout.contains("10 training and 10 test points"),
        "{stdout}"
    );
    // A first row of the wrong width is an error, not a header.
    let e =
        String::from_utf8_lossy(&go(&format!("1,2\n{rows}")).stderr).into_owned();
    assert!(
        e.contains("line 1 is not x,y,label") && e.contains("2 fields"),
        "{e}"
    );
}

// 6. Help and defaults.

#[test]
fn every_binary_has_its_own_help_and_the_right_defaults() {
    let (help, _) = run(env!("CARGO_BIN_EXE_hands-on"), &["--help"]);
    assert!(
        help.contains("--seed")
            && help.contains("--out")
            && help.contains("<out>/cnn"),
        "{help}"
    );
    let e = refused(env!("CARGO_BIN_EXE_hands-on"), &["--epochs", "3"]);
    assert!(e.contains("unexpected argument"), "{e}");
    let (help, _) = run(env!("CARGO_BIN_EXE_mlp"), &["--help"]);
    assert!(
        help.contains("Usage: mlp")
            && help.contains("[default: mlp]")
            && help.contains("[default: out/mlp]"),
        "{help}"
    );
    assert!(!help.contains("out/cnn"), "{help}");
    let (help, _) = run(CNN, &["--help"]);
    assert!(
        help.contains("embedded for Fashion-MNIST")
            && help.contains("data/cifar10 for CIFAR-10"),
        "{help}"
    );
    let e = refused(CNN, &["--dataset", "mnist", "--data", "full"]);
    assert!(
        e.contains("--data full is Debian's Fashion-MNIST")
            && e.contains("not MNIST"),
        "{e}"
    );
    let e = refused(CNN, &["--dataset", "mnist"]);
    assert!(e.contains("only Fashion-MNIST is embedded"), "{e}");
}

// 7. The cost of `fitting --points`.

/// The multiply-adds of fitting every degree to n points, and of evaluating
/// every degree on the demo's 651 other points (validation, test, the plot).
fn fitting_work(n: usize) -> (u64, u64) {
    let x: Vec<f64> = (0..n)
        .map(|i| -1.0 + 2.0 * (i as f64 + 0.5) / n as f64)
        .collect();
    let y: Vec<f64> = x.iter().map(|v| (std::f64::consts::PI * v).sin()).collect();
    let mut fits = Fits::new(&x, &y, n - 1);
    let fitted = fits.work;
    let z: Vec<f64> = (0..651).map(|i| -1.0 + i as f64 / 325.0).collect();
    fits.at(&z);
    (fitted, fits.work - fitted)
}

#[test]
fn fitting_every_degree_costs_n_times_the_degree_per_degree() {
    // Fitting degree d costs O(n·d) on top of degree d − 1, so all n degrees
    // cost O(n³): doubling n multiplies the work by 8, where an SVD per degree,
    // O(n·d²) each and O(n⁴) in all, multiplied it by 16. Evaluating degree d at
    // a point costs O(d): O(n²) per point for all of them, ×4.
    let work: Vec<(u64, u64)> = [100, 200, 400].map(fitting_work).to_vec();
    for pair in work.windows(2) {
        let fit = pair[1].0 as f64 / pair[0].0 as f64;
        let eval = pair[1].1 as f64 / pair[0].1 as f64;
        assert!(
            (7.0..8.5).contains(&fit),
            "fitting grew {fit:.2}×: {work:?}"
        );
        assert!(
            (3.8..4.2).contains(&eval),
            "evaluating grew {eval:.2}×: {work:?}"
        );
    }
    let (fit, eval) = work[2];
    assert!(
        fit < 2 * 400u64.pow(3) && eval < 651 * 400 * 400,
        "{work:?}"
    );
}

#[test]
fn the_fits_are_the_least_squares_fits() {
    // Against the normal equations solved by SVD (the old way) on 12 points.
    let n = 12;
    let x: Vec<f64> = (0..n)
        .map(|i| -1.0 + 2.0 * (i as f64 + 0.37) / n as f64)
        .collect();
    let y: Vec<f64> = x.iter().map(|v| (3.0 * v).sin() + 0.1 * v * v).collect();
    let fits = Fits::new(&x, &y, n - 1);
    let mut last = f64::INFINITY;
    for d in 0..n {
        let a = nalgebra::DMatrix::from_fn(n, d + 1, |i, k| x[i].powi(k as i32));
        let w = a
            .clone()
            .svd(true, true)
            .solve(&nalgebra::DVector::from_vec(y.clone()), 1e-14)
            .unwrap();
        let want = &a * w;
        let got = &fits.at_training_points()[d];
        let sse: f64 = got.iter().zip(&y).map(|(g, y)| (g - y).powi(2)).sum();
        for i in 0..n {
            assert!(
                (got[i] - want[i]).abs() < 1e-7,
                "degree {d}, point {i}: {} vs {}",
                got[i],
                want[i]
            );
        }
        // A larger model never fits its training points worse.
        assert!(sse <= last + 1e-12, "degree {d}");
        last = sse;
    }
    assert!(
        last < 1e-20,
        "degree n − 1 passes through every point: {last}"
    );
}

#[test]
fn fitting_bounds_its_points() {
    let e = refused(env!("CARGO_BIN_EXE_fitting"), &["--points", "5000"]);
    assert!(e.contains("--points 5000 is more than 2000"), "{e}");
}

// 8. Same seed, same bytes.

#[test]
fn the_same_seed_writes_the_same_bytes() {
    let (a, b) = (scratch("bytes-a"), scratch("bytes-b"));
    for dir in [&a, &b] {
        run(
            CNN,
            &[&QUICK[..], &["--seed", "7", "--out", s(dir)]].concat(),
        );
    }
    let mut names: Vec<String> = std::fs::read_dir(&a)
        .unwrap()
        .map(|f| f.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "tinyvgg.safetensors",
            "tinyvgg_curves.png",
            "tinyvgg_report.txt"
        ]
    );
    for name in names {
        assert!(
            std::fs::read(a.join(&name)).unwrap()
                == std::fs::read(b.join(&name)).unwrap(),
            "{name} differs between two runs with the same seed"
        );
    }
}

// 9. A state_dict saved by PyTorch.

#[test]
fn a_pytorch_state_dict_evaluates_when_the_model_is_named() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/cnn/tests/fixtures/convolutional_pytorch.safetensors");
    let out = scratch("pytorch");
    let e = refused(CNN, &["--eval", s(&fixture), "--out", s(&out)]);
    assert!(
        e.contains("has no metadata")
            && e.contains("pass --model convolutional, tinyvgg or mlp"),
        "{e}"
    );
    let (stdout, stderr) = run(
        CNN,
        &[
            "--eval",
            s(&fixture),
            "--model",
            "convolutional",
            "--out",
            s(&out),
        ],
    );
    assert!(
        stderr.contains("warning:") && stderr.contains("cannot be checked"),
        "{stderr}"
    );
    // PyTorch's accuracy on the same 1 000 images (tests/fixtures/convolutional_pytorch.txt).
    assert!(
        stdout.contains("test accuracy 78.50 % (1000 images)"),
        "{stdout}"
    );
}

// 10. The report (its layout: cnn's `train::tests`).

#[test]
fn the_report_columns_line_up() {
    let out = scratch("report");
    run(CNN, &[&QUICK[..], &["--out", s(&out)]].concat());
    let report = std::fs::read_to_string(out.join("tinyvgg_report.txt")).unwrap();
    let matrix: Vec<&str> = report
        .lines()
        .skip_while(|l| !l.starts_with("confusion matrix"))
        .skip(1)
        .collect();
    assert_eq!(matrix.len(), 11, "{report}");
    assert!(
        matrix
            .iter()
            .all(|l| l.chars().count() == matrix[0].chars().count()),
        "{report}"
    );
}

// The CSV parser on arbitrary and mutated bytes.

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_csv_parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = parse_csv(&bytes, Path::new("x.csv"));
    }

    #[test]
    fn the_csv_parser_never_panics_on_mutated_files(
        edits in proptest::collection::vec((any::<usize>(), prop::sample::select(b"0123456789,.-e\n\r \xef\xbb\xbfxNaninf".to_vec())), 1..8),
    ) {
        let mut bytes = b"x,y,label\n1,2,0\n-1,0.5,1\n3,3,2\n0,0,0\n2e1,1,1\n".to_vec();
        let len = bytes.len();
        for (at, b) in edits {
            bytes[at % len] = b;
        }
        if let Ok(points) = parse_csv(&bytes, Path::new("x.csv")) {
            let k = points.iter().map(|p| p.2).max().unwrap() + 1;
            prop_assert!(k <= points.len(), "{k} classes from {} points", points.len());
            prop_assert!(points.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
        }
    }
}
