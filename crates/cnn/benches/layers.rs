//! `cargo bench -p cnn --bench layers`: where a training step of the course's
//! ConvolutionalModel (batch 64, 3 × 32 × 32) spends its time, layer by layer:
//! the forward and the backward pass of each, averaged over 20 runs.

use cnn::layers::{Layer, Mode};
use cnn::models::convolutional_model;
use cnn::Tensor;
use rand::SeedableRng;
use std::time::Instant;
fn main() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    let mut m = convolutional_model([3, 32, 32], 10, &mut rng);
    let x = Tensor::from_fn([64, 3, 32, 32], |n, c, i, j| {
        ((n * 7 + c * 5 + i * 3 + j) % 255) as f32 / 127.5 - 1.0
    });
    let trace = m.forward_trace(&x, Mode::Train);
    let reps = 20;
    for (k, (name, layer)) in m.layers.iter_mut().enumerate() {
        let inp = &trace.inputs[k];
        let out = trace
            .inputs
            .get(k + 1)
            .cloned()
            .unwrap_or(trace.output.clone());
        let t = Instant::now();
        for _ in 0..reps {
            let _ = match layer {
                Layer::Conv(l) => l.forward(inp),
                Layer::BatchNorm(l) => l.forward(inp, Mode::Train),
                Layer::Relu => inp.clone(),
                Layer::MaxPool(p) => conv::fast::max_pool_forward(inp, *p).output,
                Layer::Flatten => inp.clone(),
                Layer::Linear(l) => l.forward(inp),
            };
        }
        let f = t.elapsed().as_secs_f64() / reps as f64 * 1e3;
        let t = Instant::now();
        for _ in 0..reps {
            let _ = match layer {
                Layer::Conv(l) => l.backward(inp, &out, k > 0),
                Layer::BatchNorm(l) => l.backward(inp, out.clone()),
                Layer::MaxPool(p) => {
                    let a = conv::fast::max_pool_forward(inp, *p).argmax;
                    conv::fast::max_pool_backward(&out, &a, inp.shape())
                }
                Layer::Linear(l) => l.backward(inp, &out),
                _ => inp.clone(),
            };
        }
        let b = t.elapsed().as_secs_f64() / reps as f64 * 1e3;
        println!(
            "{name:<14} {:?} fwd {f:6.2} ms  bwd {b:6.2} ms",
            inp.shape()
        );
    }
}
