//! `cargo bench -p bench --bench kernels`: criterion's statistics for each kernel
//! the course's models spend their time in. Throughput is in elements per
//! second where an element is one floating-point operation (convolutions and
//! dense layers, 2 per multiply-add) or one value (batch norm, pooling, tanh).
//!
//! criterion keeps every run under `target/criterion`: `-- --save-baseline main`
//! stores one, `-- --baseline main` compares a later run with it and reports
//! which kernels got faster or slower; a filter (`-- conv`) runs a subset.

use cnn::layers::{BatchNorm2d, Linear, Mode};
use conv::{fast, Conv2d, MaxPool, Tensor};
use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};
use rand::SeedableRng;
use std::hint::black_box;

fn tensor(shape: [usize; 4], seed: usize) -> Tensor {
    Tensor::from_fn(shape, |n, c, i, j| {
        ((n * 131 + c * 31 + i * 7 + j + seed) % 17) as f32 * 0.06 - 0.5
    })
}

/// The convolutions of the course's two CNNs and a wider one: (name, N, C_in,
/// C_out, side).
const CONVS: [(&str, usize, usize, usize, usize); 5] = [
    ("conv-model stem 3→16 32×32 b64", 64, 3, 16, 32),
    ("conv-model block 16→16 32×32 b64", 64, 16, 16, 32),
    ("conv-model block 16→16 8×8 b64", 64, 16, 16, 8),
    ("tinyvgg 10→10 28×28 b32", 32, 10, 10, 28),
    ("wider 32→64 32×32 b64", 64, 32, 64, 32),
];

fn convolution(c: &mut Criterion) {
    let spec = Conv2d::SAME_3X3;
    let mut group = c.benchmark_group("conv2d");
    for (name, n, c_in, c_out, side) in CONVS {
        let x = tensor([n, c_in, side, side], 0);
        let w = tensor([c_out, c_in, 3, 3], 5);
        let g = tensor([n, c_out, side, side], 9);
        let flops = 2 * (n * c_out * side * side * c_in * 9) as u64;
        group.throughput(Throughput::Elements(flops));
        group.bench_function(BenchmarkId::new("forward", name), |b| {
            b.iter(|| fast::conv2d_forward(black_box(&x), &w, None, spec))
        });
        group.throughput(Throughput::Elements(2 * flops));
        group.bench_function(BenchmarkId::new("backward", name), |b| {
            b.iter(|| fast::conv2d_backward(black_box(&x), &w, &g, spec))
        });
    }
    group.finish();
}

fn dense(c: &mut Criterion) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    let mut group = c.benchmark_group("dense");
    for (inputs, outputs, n) in [
        (784, 200, 64),
        (3072, 200, 64),
        (200, 200, 64),
        (784, 200, 256),
    ] {
        let name = format!("{inputs}→{outputs} b{n}");
        let mut layer = Linear::new(inputs, outputs, &mut rng);
        let x = tensor([n, inputs, 1, 1], 1);
        let g = tensor([n, outputs, 1, 1], 2);
        let flops = 2 * (n * inputs * outputs) as u64;
        group.throughput(Throughput::Elements(flops));
        group.bench_function(BenchmarkId::new("forward", &name), |b| {
            b.iter(|| layer.forward(black_box(&x)))
        });
        group.throughput(Throughput::Elements(2 * flops));
        group.bench_function(BenchmarkId::new("backward", &name), |b| {
            b.iter(|| layer.backward(black_box(&x), &g, true))
        });
    }
    // Inference's kernel, z = ReLU(x·W + b) with W row-major, as `Cnn::infer`
    // runs the course's MLPs (batch 256).
    for (inputs, outputs) in [(784, 200), (3072, 200), (200, 200), (200, 10)] {
        let n = 256;
        let name = format!("{inputs}→{outputs} b{n}");
        let x = tensor([n, inputs, 1, 1], 1);
        let w = tensor([inputs, outputs, 1, 1], 2);
        let bias = vec![0.1; outputs];
        group.throughput(Throughput::Elements(2 * (n * inputs * outputs) as u64));
        group.bench_function(BenchmarkId::new("inference", &name), |b| {
            b.iter(|| {
                conv::dense::affine(
                    (n, inputs, outputs),
                    black_box(x.data()),
                    w.data(),
                    &bias,
                    true,
                )
            })
        });
    }
    group.finish();
}

fn batch_norm_and_pooling(c: &mut Criterion) {
    let shape = [64, 16, 32, 32];
    let values = shape.iter().product::<usize>() as u64;
    let x = tensor(shape, 3);
    let g = tensor(shape, 4);
    let mut bn = BatchNorm2d::new(16);
    let mut group = c.benchmark_group("elementwise 64×16×32×32");
    group.throughput(Throughput::Elements(values));
    group.bench_function("batch norm forward (train)", |b| {
        b.iter(|| bn.forward(black_box(&x), Mode::Train))
    });
    group.bench_function("batch norm forward (eval)", |b| {
        b.iter(|| bn.forward(black_box(&x), Mode::Eval))
    });
    group.bench_function("batch norm backward", |b| {
        b.iter(|| bn.backward(black_box(&x), g.clone()))
    });
    let pooled = fast::max_pool_forward(&x, MaxPool::HALVE);
    group.bench_function("max-pool 2×2 forward", |b| {
        b.iter(|| fast::max_pool_forward(black_box(&x), MaxPool::HALVE))
    });
    group.bench_function("max-pool 2×2 backward", |b| {
        b.iter(|| {
            fast::max_pool_backward(black_box(&pooled.output), &pooled.argmax, shape)
        })
    });
    group.bench_function(
        "batch norm → ReLU → max-pool forward (train, fused)",
        |b| b.iter(|| cnn::layers::fused::forward(&mut bn, black_box(&x))),
    );
    let (fused_out, trace) = cnn::layers::fused::forward(&mut bn, &x);
    group.bench_function("batch norm → ReLU → max-pool backward (fused)", |b| {
        b.iter(|| {
            cnn::layers::fused::backward(&mut bn, black_box(&x), &trace, &fused_out)
        })
    });
    let mut values_f32: Vec<f32> = x.data().to_vec();
    group.bench_function("fast tanh in place", |b| {
        b.iter(|| activations::fast::tanh_in_place(black_box(&mut values_f32)))
    });
    group.finish();
}

criterion_group!(kernels, convolution, dense, batch_norm_and_pooling);

fn main() {
    // Freed memory stays in the process, as in the course's binaries (`cnn`,
    // `hands-on`): a kernel's output is then not fresh pages from the system at
    // every call.
    cnn::memory::keep_freed_memory();
    kernels();
    Criterion::default().configure_from_args().final_summary();
}
