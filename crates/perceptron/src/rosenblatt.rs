use activations::step;

/// Rosenblatt's perceptron: ŷ = step(w·x + b) ∈ {0, 1}.
#[derive(Clone, Debug, PartialEq)]
pub struct Perceptron {
    /// One weight per input.
    pub weights: Vec<f32>,
    /// The bias b (the threshold is −b).
    pub bias: f32,
}

impl Perceptron {
    /// A perceptron with `inputs` zero weights and zero bias.
    pub fn new(inputs: usize) -> Self {
        Perceptron {
            weights: vec![0.0; inputs],
            bias: 0.0,
        }
    }

    /// ŷ = step(w·x + b).
    ///
    /// # Panics
    /// If `x` does not have one value per weight.
    #[track_caller]
    pub fn predict(&self, x: &[f32]) -> f32 {
        assert_eq!(
            x.len(),
            self.weights.len(),
            "Perceptron::predict: input has {} values, perceptron has {} weights",
            x.len(),
            self.weights.len()
        );
        let z: f32 =
            self.weights.iter().zip(x).map(|(w, x)| w * x).sum::<f32>() + self.bias;
        step(z)
    }

    /// Rosenblatt's rule for one example with label `y` ∈ {0, 1}:
    /// w ← w + lr·(y − ŷ)·x, b ← b + lr·(y − ŷ). Nothing moves when ŷ = y.
    /// Returns whether the example was misclassified.
    // ANCHOR: update
    pub fn update(&mut self, x: &[f32], y: f32, lr: f32) -> bool {
        let error = y - self.predict(x); // −1, 0 or +1
        for (w, &xi) in self.weights.iter_mut().zip(x) {
            *w += lr * error * xi;
        }
        self.bias += lr * error;
        error != 0.0
    }
    // ANCHOR_END: update

    /// Passes over the data until an epoch makes no mistake, at most `max_epochs`
    /// times. Returns the number of epochs it took, or `None` if it never
    /// converged (as on XOR, which no line separates).
    pub fn fit(
        &mut self,
        xs: &[Vec<f32>],
        ys: &[f32],
        lr: f32,
        max_epochs: usize,
    ) -> Option<usize> {
        (1..=max_epochs).find(|_| {
            let mistakes = xs
                .iter()
                .zip(ys)
                .filter(|(x, &y)| self.update(x, y, lr))
                .count();
            mistakes == 0
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corners() -> Vec<Vec<f32>> {
        vec![
            vec![0.0, 0.0],
            vec![0.0, 1.0],
            vec![1.0, 0.0],
            vec![1.0, 1.0],
        ]
    }

    #[test]
    fn learns_and_and_or() {
        for ys in [[0.0, 0.0, 0.0, 1.0], [0.0, 1.0, 1.0, 1.0]] {
            let mut p = Perceptron::new(2);
            let epochs = p.fit(&corners(), &ys, 1.0, 100);
            assert!(epochs.is_some(), "did not converge on {ys:?}");
            let predicted: Vec<f32> =
                corners().iter().map(|x| p.predict(x)).collect();
            assert_eq!(predicted, ys);
        }
    }

    #[test]
    fn never_learns_xor() {
        let ys = [0.0, 1.0, 1.0, 0.0];
        let mut p = Perceptron::new(2);
        assert_eq!(p.fit(&corners(), &ys, 1.0, 1000), None);
        let right = corners()
            .iter()
            .zip(ys)
            .filter(|(x, y)| p.predict(x) == *y)
            .count();
        assert!(right <= 3, "a line cannot get all four XOR corners right");
    }

    #[test]
    fn one_update_by_hand() {
        // w = [0 0], b = 0, x = [1 2], y = 1: ŷ = step(0) = 0, error 1,
        // so w = [0.5 1], b = 0.5 with lr 0.5.
        let mut p = Perceptron::new(2);
        assert!(p.update(&[1.0, 2.0], 1.0, 0.5));
        assert_eq!((p.weights.as_slice(), p.bias), (&[0.5, 1.0][..], 0.5));
        assert!(!p.update(&[1.0, 2.0], 1.0, 0.5), "now correct: no change");
    }
}
