//! The lecture's linear image classifier, f(x, W) = Wᵀx + b, as probabilities.

use nalgebra::{DMatrix, RowDVector};

/// Class probabilities p = softmax(x·W + b), one row per image.
///
/// # Shapes
/// `x`: N × D flattened images; `w`: D × K; `b`: 1 × K; result: N × K, each row
/// summing to 1. Scores can be large (±1000): subtract each row's maximum before
/// exponentiating.
pub fn linear_forward(
    x: &DMatrix<f32>,
    w: &DMatrix<f32>,
    b: &RowDVector<f32>,
) -> DMatrix<f32> {
    // TODO: let mut p = x * w (N × K); for mut row in p.row_iter_mut(): row += b, then subtract row.max(), row.apply(|z| *z = z.exp()) and divide by row.sum().
    todo!()
}
