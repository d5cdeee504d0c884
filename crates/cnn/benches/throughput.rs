//! `cargo bench -p cnn`: training throughput (forward, backward and an SGD step
//! per batch) of the course's ConvolutionalModel at batch 64 on CIFAR-shaped data
//! and of TinyVGG at batch 32 on Fashion-MNIST-shaped data, in images per second.
//!
//! With `CNN_BENCH_PYTHON=<a python with torch>` it also runs the same models in
//! PyTorch (`benches/pytorch_throughput.py`, 2 threads, `OMP_WAIT_POLICY=PASSIVE`),
//! alternating the two over three rounds so that both see the same machine, and
//! prints the ratio of the medians. Without it, it compares with figures quoted
//! for PyTorch 2.15 on this workspace's machine, 2 410 and 3 148 images/s, which
//! were measured at another time (side by side, PyTorch has run at about half of
//! that here).

use cnn::models::{convolutional_model, tiny_vgg};
use cnn::{train, Cnn, Tensor};
use rand::SeedableRng;
use std::time::{Duration, Instant};

/// Images per second over about `seconds` of training steps.
fn throughput(model: &mut Cnn, batch: usize, seconds: f64) -> f64 {
    let [c, h, w] = model.input;
    let x = Tensor::from_fn([batch, c, h, w], |n, ch, i, j| {
        ((n * 7 + ch * 5 + i * 3 + j) % 255) as f32 / 127.5 - 1.0
    });
    let labels: Vec<usize> = (0..batch).map(|n| n % 10).collect();
    let mut opt = sgd::Sgd::with_momentum(0.001, 0.9);
    for _ in 0..3 {
        train::train_step(model, &x, &labels, &mut opt);
    }
    let start = Instant::now();
    let mut steps = 0;
    while steps < 10 || start.elapsed() < Duration::from_secs_f64(seconds) {
        train::train_step(model, &x, &labels, &mut opt);
        steps += 1;
    }
    batch as f64 * f64::from(steps) / start.elapsed().as_secs_f64()
}

/// One PyTorch round: (ConvolutionalModel, TinyVGG) images per second.
fn pytorch(python: &str, seconds: f64) -> Result<(f64, f64), String> {
    let script =
        concat!(env!("CARGO_MANIFEST_DIR"), "/benches/pytorch_throughput.py");
    let out = std::process::Command::new(python)
        .arg(script)
        .arg(seconds.to_string())
        .env("OMP_WAIT_POLICY", "PASSIVE")
        .output()
        .map_err(|e| format!("cannot run {python}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{python} {script} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    if let Some(version) = text.lines().find(|l| l.starts_with("torch ")) {
        println!("  ({version})");
    }
    let value = |name: &str| {
        text.lines()
            .find_map(|l| {
                l.strip_prefix(name)
                    .and_then(|v| v.trim().parse::<f64>().ok())
            })
            .ok_or_else(|| format!("no {name} line in PyTorch's output:\n{text}"))
    };
    Ok((value("convolutional ")?, value("tinyvgg ")?))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    cnn::memory::keep_freed_memory();
    let threads = rayon::current_num_threads();
    println!("training throughput, {threads} rayon threads\n");
    let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    let mut conv = convolutional_model([3, 32, 32], 10, &mut rng);
    let mut vgg = tiny_vgg([1, 28, 28], 10, 10, &mut rng);
    let python = std::env::var("CNN_BENCH_PYTHON").ok();
    let rounds = if python.is_some() { 3 } else { 1 };
    let (mut ours, mut theirs) =
        ((Vec::new(), Vec::new()), (Vec::new(), Vec::new()));
    for round in 0..rounds {
        ours.0.push(throughput(&mut conv, 64, 3.0));
        ours.1.push(throughput(&mut vgg, 32, 3.0));
        if let Some(python) = &python {
            match pytorch(python, 3.0) {
                Ok((c, v)) => {
                    theirs.0.push(c);
                    theirs.1.push(v);
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    std::process::exit(1);
                }
            }
        }
        println!(
            "round {}: ours {:.0} / {:.0} images/s{}",
            round + 1,
            ours.0[round],
            ours.1[round],
            theirs.0.get(round).map_or(String::new(), |c| format!(
                ", PyTorch {c:.0} / {:.0} images/s",
                theirs.1[round]
            ))
        );
    }
    let (pt_conv, pt_vgg, source) = if theirs.0.is_empty() {
        (2410.0, 3148.0, "PyTorch 2.15, quoted, not this run")
    } else {
        (
            median(theirs.0),
            median(theirs.1),
            "PyTorch, same run (median of rounds)",
        )
    };
    println!();
    for (name, batch, mine, torch) in [
        (
            "ConvolutionalModel, batch 64, 3×32×32",
            64.0,
            median(ours.0),
            pt_conv,
        ),
        (
            "TinyVGG (hidden 10), batch 32, 1×28×28",
            32.0,
            median(ours.1),
            pt_vgg,
        ),
    ] {
        println!(
            "{name:<40} {:>6.1} ms/step {mine:>7.0} images/s   {source}: {torch:>5.0} images/s   ratio {:.2}×",
            1e3 * batch / mine,
            mine / torch
        );
    }
    if python.is_none() {
        println!(
            "\nThe PyTorch figures above were measured on this machine at another \
             time; the machine is shared, so for a ratio that means something run \
             both side by side: CNN_BENCH_PYTHON=<a python with torch> cargo bench -p cnn"
        );
    }
}
