//! Writes what the CNN page needs next to the weights the `cnn` binary trained:
//! a copy of the weights, and the first 100 embedded Fashion-MNIST test images
//! with their labels and the logits this native build computes for them (the
//! page's self-test compares its WebAssembly logits with these).
//!
//! Usage: lab-export <tinyvgg.safetensors> <output folder>

use cnn::layers::Mode;
use cnn::models::Model;
use cnn::{checkpoint, data};
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::path::PathBuf;
use std::process::ExitCode;

/// How many test images the page offers and checks.
const IMAGES: usize = 100;

fn run(weights: PathBuf, out: PathBuf) -> Result<(), Box<dyn std::error::Error>> {
    let test = data::embedded_fashion_mnist().test.take(IMAGES);
    let mut model = Model::TinyVgg.build(
        test.shape,
        test.classes.len(),
        &mut StdRng::seed_from_u64(0),
    );
    checkpoint::load_into(&mut model, &weights, &test, false)?;
    // One batch in evaluation mode, as `cnn::train::evaluate` classifies them.
    let all: Vec<usize> = (0..test.len()).collect();
    let (x, labels) = test.batch(&all);
    let logits = model.forward(&x, Mode::Eval).into_vec();
    let right = logits
        .chunks(10)
        .zip(&labels)
        .filter(|(row, &y)| {
            let top = (0..10).max_by(|&a, &b| row[a].total_cmp(&row[b]));
            top == Some(y)
        })
        .count();
    let labels: Vec<u8> = labels.iter().map(|&y| y as u8).collect();
    let file = lab::test_file(&test.images, &labels, &logits)?;
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let copy = out.join("tinyvgg.safetensors");
    std::fs::copy(&weights, &copy)
        .map_err(|e| format!("{}: {e}", copy.display()))?;
    let tests = out.join("tinyvgg_test.safetensors");
    std::fs::write(&tests, file).map_err(|e| format!("{}: {e}", tests.display()))?;
    println!(
        "lab-export: wrote {} and {} ({} test images, {right} classified right natively)",
        copy.display(),
        tests.display(),
        test.len()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [weights, out] = args.as_slice() else {
        eprintln!("usage: lab-export <tinyvgg.safetensors> <output folder>");
        return ExitCode::from(2);
    };
    match run(weights.into(), out.into()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lab-export: {e}");
            ExitCode::FAILURE
        }
    }
}
