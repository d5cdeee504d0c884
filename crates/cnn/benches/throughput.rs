//! `cargo bench -p cnn`: training throughput (forward, backward and an SGD step
//! per batch) of the course's ConvolutionalModel at batch 64 on CIFAR-shaped data
//! and of TinyVGG at batch 32 on Fashion-MNIST-shaped data, in images per second.
//!
//! For scale: PyTorch 2 on this workspace's 2-core machine (2 threads,
//! OMP_WAIT_POLICY=PASSIVE) trains the first at 2 410 images/s and the second at
//! 3 148 images/s.

use cnn::models::{convolutional_model, tiny_vgg};
use cnn::{train, Cnn, Tensor};
use rand::SeedableRng;
use std::time::{Duration, Instant};

fn throughput(name: &str, model: &mut Cnn, batch: usize, pytorch: f64) {
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
    while steps < 10 || start.elapsed() < Duration::from_secs(3) {
        train::train_step(model, &x, &labels, &mut opt);
        steps += 1;
    }
    let per_step = start.elapsed().as_secs_f64() / f64::from(steps);
    let images = batch as f64 / per_step;
    println!(
        "{name:<44} {:>7.1} ms/step {:>8.0} images/s   PyTorch {pytorch:>5.0} images/s   ratio {:.2}×",
        per_step * 1e3,
        images,
        images / pytorch
    );
}

fn main() {
    cnn::memory::keep_freed_memory();
    println!(
        "training throughput, {} rayon threads\n",
        rayon::current_num_threads()
    );
    let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    throughput(
        "ConvolutionalModel, batch 64, 3×32×32",
        &mut convolutional_model([3, 32, 32], 10, &mut rng),
        64,
        2410.0,
    );
    throughput(
        "TinyVGG (hidden 10), batch 32, 1×28×28",
        &mut tiny_vgg([1, 28, 28], 10, 10, &mut rng),
        32,
        3148.0,
    );
}
