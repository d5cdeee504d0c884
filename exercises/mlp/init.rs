//! The course's weight initialisation.

use nalgebra::{DMatrix, RowDVector};
use rand::rngs::StdRng;
use rand_distr::{Distribution, StandardNormal};

/// One (W, b) per consecutive pair of `sizes`: W (inputs × outputs) with every
/// entry drawn from N(0, 1) (numpy's `randn`), b (1 × outputs) all zeros.
///
/// Draw every number from `rng`, so the same seed gives the same network.
pub fn course_init(
    sizes: &[usize],
    rng: &mut StdRng,
) -> Vec<(DMatrix<f32>, RowDVector<f32>)> {
    // TODO: for each pair in sizes.windows(2): W = DMatrix::from_fn(pair[0], pair[1], |_, _| StandardNormal.sample(rng)), b = RowDVector::zeros(pair[1]); collect the (W, b).
    todo!()
}
