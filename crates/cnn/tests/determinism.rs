//! The same seed gives the same losses and the same weights with 1 thread and
//! with 2 (or 3): no result depends on how rayon splits the work.

use cnn::data::embedded_fashion_mnist;
use cnn::models::{convolutional_model, tiny_vgg};
use cnn::{train, Cnn};
use rand::rngs::StdRng;
use rand::SeedableRng;

fn run(threads: usize, build: fn(&mut StdRng) -> Cnn) -> (Vec<f32>, Cnn) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let data = embedded_fashion_mnist().train.take(192);
        let mut rng = StdRng::seed_from_u64(42);
        let mut model = build(&mut rng);
        let mut opt = sgd::Sgd::with_momentum(0.05, 0.9);
        let mut losses = Vec::new();
        for _epoch in 0..2 {
            for batch in sgd::batches(data.len(), 32, &mut rng) {
                let (x, y) = data.batch(&batch);
                losses.push(train::train_step(&mut model, &x, &y, &mut opt));
            }
        }
        (losses, model)
    })
}

#[test]
fn tiny_vgg_is_bitwise_deterministic_across_thread_counts() {
    let build = |rng: &mut StdRng| tiny_vgg([1, 28, 28], 10, 10, rng);
    let (l1, m1) = run(1, build);
    for threads in [2, 3] {
        let (l, m) = run(threads, build);
        assert_eq!(l, l1, "losses with {threads} threads");
        assert_eq!(m, m1, "weights with {threads} threads");
    }
    let mean = |v: &[f32]| v.iter().sum::<f32>() / v.len() as f32;
    assert!(mean(&l1[6..]) < mean(&l1[..6]), "it trains: {l1:?}");
}

#[test]
fn batch_norm_model_is_bitwise_deterministic_across_thread_counts() {
    let build = |rng: &mut StdRng| convolutional_model([1, 28, 28], 10, rng);
    let (l1, m1) = run(1, build);
    let (l2, m2) = run(2, build);
    assert_eq!(l1, l2);
    assert_eq!(m1, m2);
}

#[test]
fn mlp_is_bitwise_deterministic_across_thread_counts() {
    // Its dense layers split their GEMMs into one block of rows per thread.
    let build = |rng: &mut StdRng| cnn::models::mlp([1, 28, 28], 10, rng);
    let (l1, m1) = run(1, build);
    for threads in [2, 3] {
        let (l, m) = run(threads, build);
        assert_eq!(l, l1, "losses with {threads} threads");
        assert_eq!(m, m1, "weights with {threads} threads");
    }
}
