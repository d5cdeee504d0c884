use crate::{Layer, Mlp};
use activations::Activation;
use backprop::Dense;

impl Mlp {
    /// The single dense layer W′x + b′ that equals this network, if every
    /// activation is the identity; `None` otherwise.
    ///
    /// Two linear layers compose to one: (x·W₁ + b₁)·W₂ + b₂ = x·(W₁W₂) + (b₁W₂ + b₂).
    /// Folding that left to right collapses any depth.
    // ANCHOR: collapse
    pub fn collapse(&self) -> Option<Dense> {
        let mut merged: Option<Dense> = None;
        for layer in &self.layers {
            match layer {
                Layer::Activation(a) if a.0 != Activation::Identity => return None,
                Layer::Activation(_) => {}
                Layer::Dense(d) => {
                    merged = Some(match merged {
                        None => d.clone(),
                        Some(m) => Dense::new(
                            &m.weight * &d.weight,         // W′ = W₁W₂
                            &m.bias * &d.weight + &d.bias, // b′ = b₁W₂ + b₂
                        ),
                    });
                }
            }
        }
        merged
    }
    // ANCHOR_END: collapse
}
