//! `cargo bench -p conv`: the reference and fast convolutions at the course CNN's
//! shapes and a wider one, against the machine's GEMM rate measured in the same
//! run. Prints times (median of repeated runs for the fast path, one run for the
//! slow reference), their ratio, GFLOP/s and the fraction of the GEMM rate.

use conv::{fast, reference, Conv2d, Tensor};
use rayon::prelude::*;
use std::time::{Duration, Instant};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

/// Median time of `f` over runs filling about a second (at least 5).
fn time_fast(mut f: impl FnMut()) -> Duration {
    f(); // warm up: thread-local buffers, caches
    let mut runs = Vec::new();
    let start = Instant::now();
    while runs.len() < 5
        || (start.elapsed() < Duration::from_secs(1) && runs.len() < 50)
    {
        let t = Instant::now();
        f();
        runs.push(t.elapsed());
    }
    median(runs)
}

fn time_once(f: impl FnOnce()) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
}

fn gflops(flops: f64, d: Duration) -> f64 {
    flops / d.as_secs_f64() / 1e9
}

/// sgemm of two n × n matrices, the rows of C split evenly over rayon's threads.
fn gemm_rate(n: usize, threads: usize) -> f64 {
    let a: Vec<f32> = (0..n * n).map(|i| (i % 7) as f32 * 0.1).collect();
    let b: Vec<f32> = (0..n * n).map(|i| (i % 5) as f32 * 0.1).collect();
    let mut c = vec![0.0f32; n * n];
    let rows = n.div_ceil(threads);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let d = pool.install(|| {
        time_fast(|| {
            c.par_chunks_mut(rows * n).enumerate().for_each(|(t, c)| {
                let m = c.len() / n;
                // SAFETY: A is n × n, this block's rows start at t·rows and there are
                // m of them; B is n × n; C is this block's m × n slice.
                #[allow(unsafe_code)]
                unsafe {
                    matrixmultiply::sgemm(
                        m,
                        n,
                        n,
                        1.0,
                        a.as_ptr().add(t * rows * n),
                        n as isize,
                        1,
                        b.as_ptr(),
                        n as isize,
                        1,
                        0.0,
                        c.as_mut_ptr(),
                        n as isize,
                        1,
                    );
                }
            })
        })
    });
    gflops(2.0 * (n * n * n) as f64, d)
}

fn tensor(shape: [usize; 4], seed: usize) -> Tensor {
    Tensor::from_fn(shape, |n, c, i, j| {
        ((n * 131 + c * 31 + i * 7 + j + seed) % 17) as f32 * 0.06 - 0.5
    })
}

fn main() {
    let threads = rayon::current_num_threads();
    println!("conv benchmark, {threads} rayon threads\n");
    let gemm_1 = gemm_rate(1024, 1);
    let gemm = gemm_rate(1024, threads);
    println!(
        "GEMM (matrixmultiply sgemm, 1024³): {gemm:.1} GFLOP/s on {threads} threads, {gemm_1:.1} on 1\n"
    );
    println!(
        "{:<44} {:>10} {:>10} {:>8} {:>9} {:>8}",
        "shape / pass", "reference", "fast", "ratio", "GFLOP/s", "of GEMM"
    );
    for (name, n, c_in, c_out) in [
        ("course CNN: N=64, 16→16, 32×32, 3×3, pad 1", 64, 16, 16),
        ("wider: N=64, 32→64, 32×32, 3×3, pad 1", 64, 32, 64),
    ] {
        let spec = Conv2d::SAME_3X3;
        let x = tensor([n, c_in, 32, 32], 0);
        let w = tensor([c_out, c_in, 3, 3], 5);
        let b: Vec<f32> = (0..c_out).map(|o| o as f32 * 0.01).collect();
        let g = tensor([n, c_out, 32, 32], 9);
        let forward_flops = 2.0 * (n * c_out * 32 * 32 * c_in * 9) as f64;
        let backward_flops = 2.0 * forward_flops;

        let ref_fwd = time_once(|| {
            std::hint::black_box(reference::conv2d_forward(&x, &w, Some(&b), spec));
        });
        let fast_fwd = time_fast(|| {
            std::hint::black_box(fast::conv2d_forward(&x, &w, Some(&b), spec));
        });
        let ref_bwd = time_once(|| {
            std::hint::black_box(reference::conv2d_backward(&x, &w, &g, spec));
        });
        let fast_bwd = time_fast(|| {
            std::hint::black_box(fast::conv2d_backward(&x, &w, &g, spec));
        });
        let path = if conv::direct::applies(x.shape(), w.shape(), spec) {
            "direct"
        } else {
            "im2col + GEMM"
        };
        println!("{name} (fast path: {path})");
        let row = |pass: &str, r: Duration, f: Duration, flops: f64| {
            let rate = gflops(flops, f);
            println!(
                "  {pass:<42} {:>8.2}ms {:>8.2}ms {:>7.1}× {:>9.1} {:>7.0}%",
                r.as_secs_f64() * 1e3,
                f.as_secs_f64() * 1e3,
                r.as_secs_f64() / f.as_secs_f64(),
                rate,
                100.0 * rate / gemm
            );
        };
        row("forward", ref_fwd, fast_fwd, forward_flops);
        row(
            "backward (input + weight + bias)",
            ref_bwd,
            fast_bwd,
            backward_flops,
        );
        row(
            "forward + backward",
            ref_fwd + ref_bwd,
            fast_fwd + fast_bwd,
            forward_flops + backward_flops,
        );
    }
}
