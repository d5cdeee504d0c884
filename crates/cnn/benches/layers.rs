//! `cargo bench -p cnn --bench layers`: where a training step of the course's
//! ConvolutionalModel (batch 64, 3 × 32 × 32) spends its time, layer by layer:
//! the forward and the backward pass of each, averaged over 20 runs; then each
//! stage's batch norm → ReLU → max-pool as the one fused step training runs.

use cnn::layers::{fused, Layer, Mode};
use cnn::models::convolutional_model;
use cnn::Tensor;
use rand::SeedableRng;
use std::time::Instant;

const REPS: usize = 20;

/// Milliseconds per call of `f`, averaged over [`REPS`] calls.
fn time(mut f: impl FnMut()) -> f64 {
    let t = Instant::now();
    for _ in 0..REPS {
        f();
    }
    t.elapsed().as_secs_f64() / REPS as f64 * 1e3
}

fn main() {
    cnn::memory::keep_freed_memory();
    let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    let mut m = convolutional_model([3, 32, 32], 10, &mut rng);
    let x = Tensor::from_fn([64, 3, 32, 32], |n, c, i, j| {
        ((n * 7 + c * 5 + i * 3 + j) % 255) as f32 / 127.5 - 1.0
    });
    // Every layer's input (evaluation mode runs the layers one by one).
    let trace = m.forward_trace(&x, Mode::Eval);
    let layers = m.layers.clone();
    println!("layer by layer:");
    let mut blocks = Vec::new();
    for (k, (name, layer)) in m.layers.iter_mut().enumerate() {
        let inp = &trace.inputs[k];
        let out = trace.inputs.get(k + 1).unwrap_or(&trace.output);
        if let (Layer::BatchNorm(bn), true) =
            (&*layer, fused::starts_block(&layers[k..]))
        {
            blocks.push((name.clone(), bn.clone(), inp.clone()));
        }
        let f = time(|| {
            let _ = match layer {
                Layer::Conv(l) => l.forward(inp),
                Layer::BatchNorm(l) => l.forward(inp, Mode::Train),
                Layer::Relu | Layer::Flatten => inp.clone(),
                Layer::MaxPool(p) => conv::fast::max_pool_forward(inp, *p).output,
                Layer::Linear(l) => l.forward(inp),
            };
        });
        let argmax = match layer {
            Layer::MaxPool(p) => conv::fast::max_pool_forward(inp, *p).argmax,
            _ => Vec::new(),
        };
        let b = time(|| {
            let _ = match layer {
                Layer::Conv(l) => l.backward(inp, out, k > 0),
                Layer::BatchNorm(l) => l.backward(inp, out.clone()),
                Layer::MaxPool(_) => {
                    conv::fast::max_pool_backward(out, &argmax, inp.shape())
                }
                Layer::Linear(l) => l.backward(inp, out, k > 0),
                Layer::Relu | Layer::Flatten => inp.clone(),
            };
        });
        println!(
            "  {name:<14} {:?} fwd {f:6.2} ms  bwd {b:6.2} ms",
            inp.shape()
        );
    }
    println!("batch norm → ReLU → max-pool, fused:");
    for (name, mut bn, inp) in blocks {
        let (f, b) = (
            time(|| {
                let _ = fused::forward(&mut bn, &inp);
            }),
            {
                let (pooled, trace) = fused::forward(&mut bn, &inp);
                time(|| {
                    let _ = fused::backward(&mut bn, &inp, &trace, &pooled);
                })
            },
        );
        println!(
            "  {name:<14} {:?} fwd {f:6.2} ms  bwd {b:6.2} ms",
            inp.shape()
        );
    }
}
