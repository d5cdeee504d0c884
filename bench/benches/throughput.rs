//! `cargo bench -p bench --bench throughput`: how fast the course's models train
//! and infer, in images per second, measured as PyTorch users measure it — steps
//! in a tight loop on one batch — and how that compares with the machine.
//!
//! - **Training** (forward, softmax cross-entropy, backward, optimiser step):
//!   ConvolutionalModel (batch 64, 3 × 32 × 32) and TinyVGG (batch 32, 1 × 28 × 28)
//!   with SGD and momentum; the course's MLP, 784 → 200 → 200 → 10 and
//!   3 072 → 200 → 200 → 10, at batch 64 with SGD and momentum and with Adam.
//! - **Inference** (evaluation mode, batch 256): the same four models.
//! - **The machine**: the same run's single-precision GEMM rate (1 024³, every
//!   rayon thread) of the `gemm` crate, the fastest Rust GEMM where the CPU has
//!   AVX-512, and of `matrixmultiply`, the one the workspace uses. Every workload's useful FLOPs
//!   per second are printed as fractions of the `gemm` crate's rate ("of gemm")
//!   and of the faster of the two ("of best").
//!
//! With `CNN_BENCH_PYTHON=<a python with torch>` the same workloads run in PyTorch
//! (`benches/pytorch_throughput.py`, kept running, as many threads as rayon has,
//! `OMP_WAIT_POLICY=PASSIVE`): each workload is measured on both sides back to
//! back, in turn first, over five rounds, and the ratios are of the medians.
//! `BENCH_SECONDS` sets the time per workload and round (default 1); arguments
//! after `--` keep only the workloads whose key contains one of them
//! (`-- infer mlp784`).

use cnn::layers::{Layer, Mode};
use cnn::models::{convolutional_model, mlp, tiny_vgg};
use cnn::{train, Cnn, Tensor};
use rand::SeedableRng;
use rayon::prelude::*;
use std::time::{Duration, Instant};

/// Training or inference.
#[derive(Clone, Copy, PartialEq)]
enum Pass {
    Train,
    Infer,
}

/// The optimiser of a training workload.
#[derive(Clone, Copy, PartialEq)]
enum Opt {
    Momentum,
    Adam,
}

/// One measured workload; `key` names it in PyTorch's output too.
struct Workload {
    key: &'static str,
    label: &'static str,
    pass: Pass,
    opt: Opt,
    batch: usize,
    build: fn(&mut rand::rngs::StdRng) -> Cnn,
}

fn workloads() -> Vec<Workload> {
    let conv = |r: &mut _| convolutional_model([3, 32, 32], 10, r);
    let vgg = |r: &mut _| tiny_vgg([1, 28, 28], 10, 10, r);
    let mlp784 = |r: &mut _| mlp([1, 28, 28], 10, r);
    let mlp3072 = |r: &mut _| mlp([3, 32, 32], 10, r);
    let w = |key, label, pass, opt, batch, build| Workload {
        key,
        label,
        pass,
        opt,
        batch,
        build,
    };
    use {Opt::*, Pass::*};
    vec![
        w(
            "train-conv",
            "ConvolutionalModel, b64, SGD-m",
            Train,
            Momentum,
            64,
            conv,
        ),
        w("train-vgg", "TinyVGG, b32, SGD-m", Train, Momentum, 32, vgg),
        w(
            "train-mlp784-sgd",
            "MLP 784, b64, SGD-m",
            Train,
            Momentum,
            64,
            mlp784,
        ),
        w(
            "train-mlp784-adam",
            "MLP 784, b64, Adam",
            Train,
            Adam,
            64,
            mlp784,
        ),
        w(
            "train-mlp3072-sgd",
            "MLP 3072, b64, SGD-m",
            Train,
            Momentum,
            64,
            mlp3072,
        ),
        w(
            "train-mlp3072-adam",
            "MLP 3072, b64, Adam",
            Train,
            Adam,
            64,
            mlp3072,
        ),
        w(
            "infer-conv",
            "ConvolutionalModel, b256",
            Infer,
            Momentum,
            256,
            conv,
        ),
        w("infer-vgg", "TinyVGG, b256", Infer, Momentum, 256, vgg),
        w(
            "infer-mlp784",
            "MLP 784, b256",
            Infer,
            Momentum,
            256,
            mlp784,
        ),
        w(
            "infer-mlp3072",
            "MLP 3072, b256",
            Infer,
            Momentum,
            256,
            mlp3072,
        ),
    ]
}

/// A batch of `n` images the model takes, values in [−1, 1].
fn batch(model: &Cnn, n: usize) -> Tensor {
    let [c, h, w] = model.input;
    Tensor::from_fn([n, c, h, w], |i, ch, y, x| {
        ((i * 7 + ch * 5 + y * 3 + x) % 255) as f32 / 127.5 - 1.0
    })
}

/// Images per second over about `seconds` of steps (at least 10).
fn ours(work: &Workload, seconds: f64) -> f64 {
    let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    let mut model = (work.build)(&mut rng);
    let x = batch(&model, work.batch);
    let labels: Vec<usize> = (0..work.batch).map(|n| n % 10).collect();
    let mut opt: Box<dyn sgd::Optimizer> = match work.opt {
        Opt::Momentum => Box::new(sgd::Sgd::with_momentum(0.001, 0.9)),
        Opt::Adam => Box::new(sgd::Adam::new(0.001)),
    };
    let mut step = || match work.pass {
        Pass::Train => {
            std::hint::black_box(train::train_step(
                &mut model,
                &x,
                &labels,
                opt.as_mut(),
            ));
        }
        Pass::Infer => {
            std::hint::black_box(model.forward(&x, Mode::Eval));
        }
    };
    // On one of rayon's threads, as `train::train_epoch` and `train::evaluate`
    // run their steps.
    train::on_the_pool(|| {
        for _ in 0..3 {
            step();
        }
        let start = Instant::now();
        let mut steps = 0u32;
        while steps < 10 || start.elapsed() < Duration::from_secs_f64(seconds) {
            step();
            steps += 1;
        }
        work.batch as f64 * f64::from(steps) / start.elapsed().as_secs_f64()
    })
}

/// Multiply-adds ×2 per image that a pass has to do: every convolution and
/// dense layer forward; in training also their weight gradients, and their
/// input gradients except where nothing before has parameters (the data).
fn useful_flops(model: &mut Cnn, pass: Pass) -> f64 {
    let x = batch(model, 1);
    let trace = model.forward_trace(&x, Mode::Eval);
    let mut total = 0.0;
    let mut parameters_before = false;
    for (k, (_, layer)) in model.layers.iter().enumerate() {
        let out = trace.inputs.get(k + 1).unwrap_or(&trace.output);
        let macs = match layer {
            Layer::Conv(l) => {
                let [_, c_in, kh, kw] = l.weight.shape();
                let [_, c_out, h, w] = out.shape();
                (c_out * c_in * kh * kw * h * w) as f64
            }
            Layer::Linear(l) => (l.dense().inputs() * l.dense().outputs()) as f64,
            _ => 0.0,
        };
        let passes = match pass {
            Pass::Infer => 1.0,
            Pass::Train if parameters_before => 3.0,
            Pass::Train => 2.0,
        };
        total += 2.0 * macs * passes;
        parameters_before |=
            !matches!(layer, Layer::Relu | Layer::MaxPool(_) | Layer::Flatten);
    }
    total
}

/// Median seconds of `f` over runs filling about a second (at least 5).
fn median_time(mut f: impl FnMut()) -> f64 {
    f();
    let mut runs = Vec::new();
    let start = Instant::now();
    while runs.len() < 5 || (start.elapsed().as_secs_f64() < 1.0 && runs.len() < 50)
    {
        let t = Instant::now();
        f();
        runs.push(t.elapsed().as_secs_f64());
    }
    median(runs)
}

fn square(n: usize, seed: usize) -> Vec<f32> {
    (0..n * n).map(|i| ((i + seed) % 7) as f32 * 0.1).collect()
}

/// GFLOP/s of the `gemm` crate on n × n matrices, on every rayon thread (its
/// AVX-512 kernels compiled in, chosen at run time where the CPU has them).
fn gemm_crate_rate(n: usize) -> f64 {
    let (a, b, mut c) = (square(n, 0), square(n, 3), vec![0.0f32; n * n]);
    let seconds = median_time(|| {
        // SAFETY: A, B and C are n × n row-major (column stride 1, row stride
        // n), each slice holds n² values, and C does not overlap A or B.
        #[allow(unsafe_code)]
        unsafe {
            gemm::gemm(
                n,
                n,
                n,
                c.as_mut_ptr(),
                1,
                n as isize,
                false,
                a.as_ptr(),
                1,
                n as isize,
                b.as_ptr(),
                1,
                n as isize,
                0.0,
                1.0,
                false,
                false,
                false,
                gemm::Parallelism::Rayon(0),
            );
        }
    });
    2.0 * (n * n * n) as f64 / seconds / 1e9
}

/// GFLOP/s of `conv::fast::matmul` (matrixmultiply) on n × n matrices, the
/// rows of C split over rayon's threads as the workspace's layers split them.
fn matrixmultiply_rate(n: usize, threads: usize) -> f64 {
    let (a, b, mut c) = (square(n, 0), square(n, 3), vec![0.0f32; n * n]);
    let rows = n.div_ceil(threads);
    let seconds = median_time(|| {
        c.par_chunks_mut(rows * n).enumerate().for_each(|(t, c)| {
            conv::fast::matmul(
                (c.len() / n, n, n),
                conv::fast::Strided::row_major(&a[t * rows * n..], n),
                conv::fast::Strided::row_major(&b, n),
                0.0,
                c,
                n,
            );
        });
    });
    2.0 * (n * n * n) as f64 / seconds / 1e9
}

/// PyTorch's side, `benches/pytorch_throughput.py`, kept running: it measures
/// one workload per request, so that each of our measurements has PyTorch's
/// right next to it.
struct PyTorch {
    python: String,
    child: std::process::Child,
    requests: std::process::ChildStdin,
    answers: std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
}

impl PyTorch {
    const SCRIPT: &str =
        concat!(env!("CARGO_MANIFEST_DIR"), "/benches/pytorch_throughput.py");

    /// Starts the script and waits for its first line (torch's version).
    fn start(python: &str, seconds: f64, threads: usize) -> Result<Self, String> {
        use std::io::BufRead;
        use std::process::Stdio;
        let mut child = std::process::Command::new(python)
            .arg(Self::SCRIPT)
            .arg(seconds.to_string())
            .env("OMP_WAIT_POLICY", "PASSIVE")
            .env("CNN_BENCH_THREADS", threads.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run {python}: {e}"))?;
        let requests = child.stdin.take().expect("stdin is piped");
        let answers = std::io::BufReader::new(child.stdout.take().expect("piped"));
        let mut torch = PyTorch {
            python: python.to_string(),
            child,
            requests,
            answers: answers.lines(),
        };
        match torch.answers.next() {
            Some(Ok(line)) if line.starts_with("torch ") => {
                println!("PyTorch side by side: {line}");
                Ok(torch)
            }
            _ => Err(torch.failure()),
        }
    }

    /// Images per second of the workload `key`, measured now.
    fn measure(&mut self, key: &str) -> Result<f64, String> {
        use std::io::Write;
        if writeln!(self.requests, "{key}").is_err() {
            return Err(self.failure());
        }
        let line = match self.answers.next() {
            Some(Ok(line)) => line,
            _ => return Err(self.failure()),
        };
        let mut words = line.split_whitespace();
        match (words.next(), words.next().map(str::parse::<f64>)) {
            (Some(k), Some(Ok(v))) if k == key => Ok(v),
            _ => Err(format!("{} answered {line:?} for {key}", Self::SCRIPT)),
        }
    }

    /// What went wrong with the script, from its standard error (it is stopped).
    fn failure(&mut self) -> String {
        use std::io::Read;
        let _ = self.child.kill();
        let mut stderr = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut stderr);
        }
        let status = self
            .child
            .wait()
            .map_or_else(|e| e.to_string(), |s| s.to_string());
        format!(
            "{} ({}) stopped ({status}); is torch installed there?\n{stderr}",
            Self::SCRIPT,
            self.python
        )
    }
}

impl Drop for PyTorch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    cnn::memory::keep_freed_memory();
    let threads = rayon::current_num_threads();
    let seconds = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| *s > 0.0)
        .unwrap_or(1.0);
    let python = std::env::var("CNN_BENCH_PYTHON").ok();
    let rounds = if python.is_some() { 5 } else { 1 };
    println!(
        "throughput, {threads} rayon threads, {seconds} s per workload and round\n"
    );

    // `cargo bench` passes `--bench`; any other argument filters the workloads.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let work: Vec<Workload> = workloads()
        .into_iter()
        .filter(|w| {
            filters.is_empty() || filters.iter().any(|f| w.key.contains(f.as_str()))
        })
        .collect();
    let mut torch = python.as_deref().map(|python| {
        PyTorch::start(python, seconds, threads).unwrap_or_else(|e| {
            eprintln!("error: {e}");
            std::process::exit(1);
        })
    });
    let mut mine: Vec<Vec<f64>> = vec![Vec::new(); work.len()];
    let mut theirs: Vec<Vec<f64>> = vec![Vec::new(); work.len()];
    let (mut gemm_rates, mut mm_rates) = (Vec::new(), Vec::new());
    for round in 1..=rounds {
        gemm_rates.push(gemm_crate_rate(1024));
        mm_rates.push(matrixmultiply_rate(1024, threads));
        for (k, w) in work.iter().enumerate() {
            // Each workload measured on both sides back to back, in turn first.
            let ours_first = round % 2 == 1;
            if ours_first {
                mine[k].push(ours(w, seconds));
            }
            if let Some(torch) = &mut torch {
                match torch.measure(w.key) {
                    Ok(v) => theirs[k].push(v),
                    Err(e) => {
                        eprintln!("error: {e}");
                        std::process::exit(1);
                    }
                }
            }
            if !ours_first {
                mine[k].push(ours(w, seconds));
            }
        }
        println!("round {round}/{rounds} done");
    }
    drop(torch);

    let gemm = median(gemm_rates);
    let mm = median(mm_rates);
    // The yardstick is the faster of the two in this run: the `gemm` crate is
    // the faster where it has AVX-512 kernels, matrixmultiply on some AVX2-only
    // machines.
    let best = gemm.max(mm);
    println!(
        "\nGEMM, 1024³, {threads} threads: gemm crate {gemm:.1} GFLOP/s, matrixmultiply {mm:.1} GFLOP/s ({:.0} %)",
        100.0 * mm / gemm
    );
    let source = if python.is_some() {
        "PyTorch, same run"
    } else {
        "no PyTorch (set CNN_BENCH_PYTHON)"
    };
    println!(
        "\n{:<34} {:>9} {:>10} {:>9} {:>9} {:>9} {:>8}   {source}",
        "workload",
        "ms/batch",
        "images/s",
        "GFLOP/s",
        "of gemm",
        "of best",
        "PyTorch"
    );
    for (k, w) in work.iter().enumerate() {
        let rate = median(mine[k].clone());
        let mut model = (w.build)(&mut rand::rngs::StdRng::seed_from_u64(0));
        let gflops = useful_flops(&mut model, w.pass) * rate / 1e9;
        let versus = if theirs[k].is_empty() {
            String::new()
        } else {
            let torch = median(theirs[k].clone());
            format!("{torch:>8.0}   ratio {:.2}×", rate / torch)
        };
        let pass = if w.pass == Pass::Train {
            "train"
        } else {
            "infer"
        };
        println!(
            "{:<34} {:>9.2} {rate:>10.0} {gflops:>9.1} {:>7.0} % {:>7.0} % {versus}",
            format!("{pass} {}", w.label),
            1e3 * w.batch as f64 / rate,
            100.0 * gflops / gemm,
            100.0 * gflops / best,
        );
    }
    if python.is_none() {
        println!(
            "\nFor the ratios against PyTorch, run both side by side: \
             CNN_BENCH_PYTHON=<a python with torch> cargo bench -p bench --bench throughput"
        );
    }
}
