//! scratch
use cnn::models::convolutional_model;
use cnn::{train, Tensor};
use rand::SeedableRng;
use std::time::Instant;
fn main() {
    cnn::memory::keep_freed_memory();
    let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    let mut model = convolutional_model([3, 32, 32], 10, &mut rng);
    let x = Tensor::from_fn([64, 3, 32, 32], |n, ch, i, j| {
        ((n * 7 + ch * 5 + i * 3 + j) % 255) as f32 / 127.5 - 1.0
    });
    let labels: Vec<usize> = (0..64).map(|n| n % 10).collect();
    let mut opt = sgd::Sgd::with_momentum(0.001, 0.9);
    let secs: f64 = std::env::args().nth(1).map_or(5.0, |s| s.parse().unwrap());
    for _ in 0..3 {
        train::train_step(&mut model, &x, &labels, &mut opt);
    }
    let mut times = vec![];
    let start = Instant::now();
    while start.elapsed().as_secs_f64() < secs {
        let t = Instant::now();
        train::train_step(&mut model, &x, &labels, &mut opt);
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "steps {} median {:.2} ms  min {:.2} ms",
        times.len(),
        times[times.len() / 2],
        times[0]
    );
}
