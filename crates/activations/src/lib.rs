//! Lecture section 4, *No-linealidad*: the activation functions `g` of
//! ŷ = g(Wᵀx + b), each next to its derivative.
//!
//! Without a non-linear `g`, stacked layers collapse into one linear map (see the
//! `mlp` crate). Each function here is a plain `f32 -> f32` so that it reads like
//! its formula; [`Activation`] names them so a layer can store which one it uses.
//! Every function is finite for every finite input.

#[allow(unsafe_code)] // Run-time AVX2 dispatch, justified in the module.
pub mod fast;
mod relu;
mod sigmoid;
mod sine;
mod step;
mod tanh;

pub use relu::{relu, relu_derivative};
pub use sigmoid::{sigmoid, sigmoid_derivative};
pub use sine::{sine, sine_derivative, SIREN_OMEGA_0};
pub use step::{step, step_derivative};
pub use tanh::{tanh, tanh_derivative};

/// Which non-linearity a layer applies, element by element.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Activation {
    /// g(x) = x: no non-linearity at all (the "tubo de acero" of the lecture).
    Identity,
    /// The perceptron's Heaviside step.
    Step,
    /// The logistic sigmoid 1 / (1 + e^(−x)).
    Sigmoid,
    /// The hyperbolic tangent.
    Tanh,
    /// The rectified linear unit max(0, x).
    Relu,
    /// SIREN's sin(ω₀x); the SIREN paper uses ω₀ = 30 ([`SIREN_OMEGA_0`]).
    Sine {
        /// The frequency ω₀.
        omega_0: f32,
    },
}

impl Activation {
    /// g(x). (tanh runs through [`fast::tanh`]; the others are the plain functions.)
    #[inline]
    pub fn apply(self, x: f32) -> f32 {
        match self {
            Activation::Identity => x,
            Activation::Step => step(x),
            Activation::Sigmoid => sigmoid(x),
            Activation::Tanh => fast::tanh(x),
            Activation::Relu => relu(x),
            Activation::Sine { omega_0 } => sine(x, omega_0),
        }
    }

    /// g′(x), the derivative at the pre-activation `x`.
    #[inline]
    pub fn derivative(self, x: f32) -> f32 {
        match self {
            Activation::Identity => 1.0,
            Activation::Step => step_derivative(x),
            Activation::Sigmoid => sigmoid_derivative(x),
            Activation::Tanh => fast::tanh_derivative(x),
            Activation::Relu => relu_derivative(x),
            Activation::Sine { omega_0 } => sine_derivative(x, omega_0),
        }
    }

    /// The lower-case name used on command lines and in figure legends.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Identity => "identity",
            Activation::Step => "step",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::Sine { .. } => "sine",
        }
    }
}

impl std::str::FromStr for Activation {
    type Err = String;

    /// Parses `identity`, `step`, `sigmoid`, `tanh`, `relu`, `sine` (ω₀ = 30)
    /// or `sine:<ω₀>`.
    fn from_str(s: &str) -> Result<Self, String> {
        let expected = "expected one of identity, step, sigmoid, tanh, relu, sine, \
                        sine:<omega_0>";
        Ok(match s {
            "identity" | "linear" => Activation::Identity,
            "step" => Activation::Step,
            "sigmoid" => Activation::Sigmoid,
            "tanh" => Activation::Tanh,
            "relu" => Activation::Relu,
            "sine" | "siren" => Activation::Sine {
                omega_0: SIREN_OMEGA_0,
            },
            _ => match s.strip_prefix("sine:") {
                Some(w) => Activation::Sine {
                    omega_0: w
                        .parse()
                        .ok()
                        .filter(|w: &f32| w.is_finite() && *w > 0.0)
                        .ok_or_else(|| {
                            format!(
                                "bad ω₀ in {s:?}: a positive number ({expected})"
                            )
                        })?,
                },
                None => return Err(format!("unknown activation {s:?}: {expected}")),
            },
        })
    }
}
