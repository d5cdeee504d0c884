//! Random inputs for the graders, printed readably when a case fails.

use crate::messages::{fill, tr, Msg};
use nalgebra::{DMatrix, RowDVector};
use proptest::prelude::*;
use std::fmt;

/// A matrix that prints as a grid in failure reports.
#[derive(Clone, PartialEq)]
pub struct M(pub DMatrix<f32>);

impl fmt::Debug for M {
    /// `2×3 [[a, b, c], [d, e, f]]`, row by row.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows: Vec<String> = self
            .0
            .row_iter()
            .map(|r| {
                let v: Vec<String> = r.iter().map(|x| format!("{x:.4}")).collect();
                format!("[{}]", v.join(", "))
            })
            .collect();
        write!(
            f,
            "{}×{} [{}]",
            self.0.nrows(),
            self.0.ncols(),
            rows.join(", ")
        )
    }
}

/// A row vector that prints on one line.
#[derive(Clone, PartialEq)]
pub struct R(pub RowDVector<f32>);

impl fmt::Debug for R {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v: Vec<String> = self.0.iter().map(|x| format!("{x:.4}")).collect();
        write!(f, "[{}]", v.join(", "))
    }
}

/// A `rows × cols` matrix with entries in `range`.
pub fn matrix(
    rows: usize,
    cols: usize,
    range: std::ops::Range<f32>,
) -> BoxedStrategy<M> {
    proptest::collection::vec(range, rows * cols)
        .prop_map(move |v| M(DMatrix::from_vec(rows, cols, v)))
        .boxed()
}

/// A row vector of `len` entries in `range`.
pub fn row(len: usize, range: std::ops::Range<f32>) -> BoxedStrategy<R> {
    proptest::collection::vec(range, len)
        .prop_map(|v| R(RowDVector::from_vec(v)))
        .boxed()
}

/// A matrix as f64 values in nalgebra's (column-major) order.
pub fn f64s<'a>(m: impl IntoIterator<Item = &'a f32>) -> Vec<f64> {
    m.into_iter().map(|&v| f64::from(v)).collect()
}

/// Fails with a clear message unless `actual` has the `expected` shape.
pub fn same_shape(
    what: &str,
    expected: (usize, usize),
    actual: (usize, usize),
    hint: &str,
) -> Result<(), TestCaseError> {
    if expected == actual {
        Ok(())
    } else {
        Err(shape_mismatch(what, &expected, &actual, hint))
    }
}

/// "`what` has shape `actual`, expected `expected`" and the hint.
pub fn shape_mismatch(
    what: &str,
    expected: &dyn fmt::Debug,
    actual: &dyn fmt::Debug,
    hint: &str,
) -> TestCaseError {
    let shapes = fill(
        tr(Msg::ShapeMismatch),
        &[
            ("what", &what),
            ("actual", &format!("{actual:?}")),
            ("expected", &format!("{expected:?}")),
        ],
    );
    fail_with_hint(&shapes, hint)
}

/// A failure: `message`, then the hint line.
pub fn fail_with_hint(message: &str, hint: &str) -> TestCaseError {
    let hint = fill(tr(Msg::Hint), &[("hint", &hint)]);
    TestCaseError::fail(format!("{message}\n{hint}"))
}
