use crate::{Matrix, RowVector};
use rand::Rng;
use rand_distr::{Distribution, Normal, StandardNormal, Uniform};

/// How a dense layer's first weights are drawn. Biases always start at zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Init {
    /// The course's `np.random.randn`: every weight from N(0, 1).
    Randn,
    /// Glorot/Xavier uniform: U(−a, a), a = √(6 / (in + out)); keeps the variance of
    /// activations steady through tanh and sigmoid layers.
    Xavier,
    /// He/Kaiming normal: N(0, 2 / in); the same for ReLU layers, which zero half
    /// their inputs.
    He,
}

impl Init {
    /// A weight matrix (inputs × outputs) and a zero bias (1 × outputs).
    // ANCHOR: weights
    pub fn weights(
        self,
        inputs: usize,
        outputs: usize,
        rng: &mut impl Rng,
    ) -> (Matrix, RowVector) {
        let (fan_in, fan_out) = (inputs as f32, outputs as f32);
        let mut draw = |d: &dyn Fn(&mut dyn rand::Rng) -> f32| {
            Matrix::from_fn(inputs, outputs, |_, _| d(rng))
        };
        let weight = match self {
            Init::Randn => draw(&|r| StandardNormal.sample(r)),
            Init::Xavier => {
                let a = (6.0 / (fan_in + fan_out)).sqrt();
                let uniform = Uniform::new_inclusive(-a, a).expect("a is finite");
                draw(&|r| uniform.sample(r))
            }
            Init::He => {
                let normal =
                    Normal::new(0.0, (2.0 / fan_in).sqrt()).expect("std > 0");
                draw(&|r| normal.sample(r))
            }
        };
        (weight, RowVector::zeros(outputs))
    }
    // ANCHOR_END: weights
}

impl std::str::FromStr for Init {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "randn" => Ok(Init::Randn),
            "xavier" => Ok(Init::Xavier),
            "he" => Ok(Init::He),
            _ => Err(format!("unknown init {s:?}: expected randn, xavier or he")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// The sample variance of each scheme is within 5 % of its formula.
    #[test]
    fn variances_follow_their_formulas() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(0);
        for (init, expected) in [
            (Init::Randn, 1.0f32),
            (Init::Xavier, 2.0 / (300.0 + 200.0)), // a²/3 = 6/(in+out)/3
            (Init::He, 2.0 / 300.0),
        ] {
            let (w, b) = init.weights(300, 200, &mut rng);
            assert_eq!((w.shape(), b.len()), ((300, 200), 200));
            assert!(b.iter().all(|&v| v == 0.0));
            let mean = w.mean();
            let var = w.iter().map(|&v| (v - mean) * (v - mean)).sum::<f32>()
                / w.len() as f32;
            assert!(mean.abs() < 0.05 * expected.sqrt(), "{init:?} mean {mean}");
            assert!((var / expected - 1.0).abs() < 0.05, "{init:?} var {var}");
        }
    }
}
