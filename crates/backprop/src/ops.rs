//! Two matrix helpers every layer needs, written over the column-major storage so
//! the compiler vectorises them (nalgebra's row iterators stride through memory).

use crate::{Matrix, RowVector};

/// m += b on every row: the bias of x·W + b.
///
/// # Panics
/// If `b` does not have one entry per column of `m`.
#[track_caller]
pub fn add_row(m: &mut Matrix, b: &RowVector) {
    assert_eq!(
        m.ncols(),
        b.len(),
        "add_row: the matrix has {} columns, the bias {} entries",
        m.ncols(),
        b.len()
    );
    let rows = m.nrows().max(1);
    for (column, &bj) in m.as_mut_slice().chunks_exact_mut(rows).zip(b.iter()) {
        column.iter_mut().for_each(|v| *v += bj);
    }
}

/// Σ over the rows (examples) of `m`, 1 × columns: the gradient of a bias.
pub fn sum_rows(m: &Matrix) -> RowVector {
    if m.nrows() == 0 {
        return RowVector::zeros(m.ncols());
    }
    let rows = m.nrows();
    RowVector::from_iterator(m.ncols(), m.as_slice().chunks_exact(rows).map(sum))
}

/// aᵀ·b, each entry a dot product of two columns (contiguous in memory), summed
/// in eight lanes like [`sum`]. nalgebra hands products with a dimension ≤ 5 to a
/// scalar loop; this is what the sine network's xᵀ·d_z₁ (N × 1 by N × H) needs.
///
/// # Panics
/// If `a` and `b` have different numbers of rows.
#[track_caller]
pub fn tr_mul(a: &Matrix, b: &Matrix) -> Matrix {
    assert_eq!(
        a.nrows(),
        b.nrows(),
        "tr_mul: aᵀ·b needs equal row counts, got {} and {}",
        a.nrows(),
        b.nrows()
    );
    Matrix::from_fn(a.ncols(), b.ncols(), |i, j| {
        dot(a.column(i).as_slice(), b.column(j).as_slice())
    })
}

/// Σ aᵢbᵢ in eight interleaved partial sums (see [`sum`]).
#[inline]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            lanes[k] += x[k] * y[k];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

/// Σ of a slice in eight interleaved partial sums, which the compiler keeps in
/// one vector register (a single running sum cannot be reordered, so it is not
/// vectorised). The order is fixed, so the result is deterministic.
#[inline]
pub fn sum(values: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let chunks = values.chunks_exact(8);
    let tail: f32 = chunks.remainder().iter().sum();
    for chunk in chunks {
        for (lane, &v) in lanes.iter_mut().zip(chunk) {
            *lane += v;
        }
    }
    lanes.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand() {
        let mut m = Matrix::from_row_slice(2, 3, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        add_row(&mut m, &RowVector::from_row_slice(&[10.0, 20.0, 30.0]));
        assert_eq!(
            m,
            Matrix::from_row_slice(2, 3, &[11.0, 22.0, 33.0, 14.0, 25.0, 36.0])
        );
        assert_eq!(sum_rows(&m).as_slice(), &[25.0, 47.0, 69.0]);
        assert_eq!(sum_rows(&Matrix::zeros(0, 2)).as_slice(), &[0.0, 0.0]);
        let v: Vec<f32> = (1..=19).map(|i| i as f32).collect();
        assert_eq!(sum(&v), 190.0);
        assert_eq!(dot(&v, &v), 2470.0); // Σ i² for i ≤ 19
        let a = Matrix::from_fn(11, 2, |i, j| (i + j) as f32);
        let b = Matrix::from_fn(11, 3, |i, j| i as f32 - j as f32);
        assert_eq!(tr_mul(&a, &b), a.transpose() * b);
    }
}
