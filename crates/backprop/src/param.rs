/// A view of one parameter tensor and its gradient, as the optimizers see it.
///
/// Models hand a `Vec<Param>` to an optimizer's `step()`, always in the same order,
/// so an optimizer can keep per-parameter state (momentum, Adam's moments) by index.
pub struct Param<'a> {
    /// The values, updated in place by the optimizer.
    pub value: &'a mut [f32],
    /// ∂L/∂value, accumulated by `backward` and cleared by `zero_grad`.
    pub grad: &'a [f32],
}

impl<'a> Param<'a> {
    /// Pairs a value with its gradient.
    ///
    /// # Panics
    /// If the two slices differ in length.
    #[track_caller]
    pub fn new(value: &'a mut [f32], grad: &'a [f32]) -> Self {
        assert_eq!(
            value.len(),
            grad.len(),
            "Param::new: value has {} elements, gradient has {}",
            value.len(),
            grad.len()
        );
        Param { value, grad }
    }
}
