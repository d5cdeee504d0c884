//! The lecture's "necesidad de la no-linealidad": three linear layers equal one
//! W′x + b′ and cannot solve XOR; add a non-linearity and they can.

use crate::say;
use activations::Activation;
use clap::Parser;
use mlp::{Init, Matrix, Mlp};
use rand::rngs::StdRng;
use rand::SeedableRng;
use sgd::{Adam, Optimizer};

/// Options.
#[derive(Parser, Debug, Clone)]
#[command(
    name = "linear-collapse",
    about = "Show that linear layers collapse to one, and fail on XOR"
)]
pub struct Args {
    /// Seed for the weights.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Adam steps on XOR.
    #[arg(long, default_value_t = 2000)]
    pub steps: usize,
    /// Hidden width of the XOR networks (at most 4096).
    #[arg(long, default_value_t = 8)]
    pub hidden: usize,
    /// Accepted for uniformity; this demo only prints.
    #[arg(long, default_value = "out/linear-collapse")]
    pub out: std::path::PathBuf,
}

fn xor() -> (Matrix, Matrix) {
    (
        Matrix::from_row_slice(4, 2, &[0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0]),
        Matrix::from_row_slice(4, 1, &[0.0, 1.0, 1.0, 0.0]),
    )
}

fn train(net: &mut Mlp, steps: usize) -> f32 {
    let (x, y) = xor();
    let mut adam = Adam::new(0.05);
    for _ in 0..steps {
        net.zero_grad();
        let trace = net.forward_trace(&x);
        let (_, grad) = losses::mse(trace.last().expect("output"), &y);
        net.backward(&trace, &grad);
        adam.step(&mut net.parameters());
    }
    losses::mse(&net.forward(&x), &y).0
}

/// Prints the comparison.
pub fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    if args.hidden == 0 {
        return Err("--hidden must be at least 1".into());
    }
    crate::check_width("--hidden", args.hidden)?;
    let mut rng = StdRng::seed_from_u64(args.seed);
    let net = Mlp::new(&[2, 5, 4, 3], Activation::Identity, Init::Randn, &mut rng);
    let one = net.collapse().expect("every activation is the identity");
    say!("A 2 → 5 → 4 → 3 network with no activation collapses to one layer:");
    say!(
        "W′ = W₁W₂W₃ ={:.4}b′ = (b₁W₂ + b₂)W₃ + b₃ ={:.4}",
        one.weight,
        one.bias
    );
    let x = Matrix::from_fn(5, 2, |i, j| (i as f32 - 2.0) * 0.7 + j as f32 * 0.3);
    let (deep, flat) = (net.forward(&x), one.forward(&x));
    say!(
        "on 5 inputs, the three layers give{:.4}and W′x + b′ gives{:.4}",
        deep,
        flat
    );
    say!(
        "largest difference: {:.2e} (f32 rounding)\n",
        (&deep - &flat).amax()
    );

    say!(
        "XOR, trained with Adam (lr 0.05, {} steps), MSE loss:",
        args.steps
    );
    let (inputs, _) = xor();
    for (name, g) in [
        ("no activation", Activation::Identity),
        ("tanh", Activation::Tanh),
    ] {
        let mut net = Mlp::new(
            &[2, args.hidden, args.hidden, 1],
            g,
            Init::Xavier,
            &mut StdRng::seed_from_u64(args.seed),
        );
        let mse = train(&mut net, args.steps);
        let out = net.forward(&inputs);
        let shown: Vec<String> = out.iter().map(|v| format!("{v:.3}")).collect();
        say!(
            "  {name:<14} MSE {mse:.4}  outputs for (0,0) (0,1) (1,0) (1,1): {}",
            shown.join("  ")
        );
    }
    say!("  (targets: 0 1 1 0; the best any linear map can do is 0.5 everywhere, MSE 0.25)");
    Ok(())
}
