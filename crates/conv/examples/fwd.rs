//! scratch
use conv::{fast, Conv2d, Tensor};
use std::time::Instant;
fn main() {
    let s: usize = std::env::args().nth(2).map_or(32, |v| v.parse().unwrap());
    let x = Tensor::from_fn([64, 16, s, s], |n, c, i, j| {
        ((n * 7 + c * 5 + i * 3 + j) % 17) as f32 * 0.1 - 0.8
    });
    let w = Tensor::from_fn([16, 16, 3, 3], |n, c, i, j| {
        ((n * 7 + c * 5 + i * 3 + j) % 13) as f32 * 0.1 - 0.6
    });
    let dy = Tensor::from_fn([64, 16, s, s], |n, c, i, j| {
        ((n * 3 + c * 5 + i * 7 + j) % 11) as f32 * 0.1 - 0.5
    });
    let spec = Conv2d {
        stride: 1,
        padding: 1,
    };
    let mode = std::env::args().nth(1).unwrap_or_default();
    let mut best = f64::MAX;
    for _ in 0..200 {
        let t = Instant::now();
        if mode == "dw" {
            fast::conv2d_backward_params(&x, &w, &dy, spec);
        } else if mode == "bwd" {
            fast::conv2d_backward(&x, &w, &dy, spec);
        } else {
            fast::conv2d_forward(&x, &w, None, spec);
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!("{mode} best {:.2} ms", best * 1e3);
}
