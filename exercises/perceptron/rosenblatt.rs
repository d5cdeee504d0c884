//! Rosenblatt's learning rule, one example at a time.

use perceptron::Perceptron;

/// One step of Rosenblatt's rule on the example `x` with label `y` ∈ {0, 1}:
/// ŷ = step(w·x + b); w ← w + lr·(y − ŷ)·x; b ← b + lr·(y − ŷ).
///
/// Returns whether ŷ was wrong (if not, nothing changes).
pub fn rosenblatt_update(p: &mut Perceptron, x: &[f32], y: f32, lr: f32) -> bool {
    // TODO: ŷ = p.predict(x) (the step gives 0 at z = 0); move each of p.weights.iter_mut().zip(x) and p.bias by lr·(y − ŷ); return whether ŷ != y.
    todo!()
}
