//! `rosenblatt_update` answered by the library's `Perceptron::update`.

use perceptron::Perceptron;

/// One step of Rosenblatt's rule, by calling the library.
pub fn rosenblatt_update(p: &mut Perceptron, x: &[f32], y: f32, lr: f32) -> bool {
    p.update(x, y, lr)
}
