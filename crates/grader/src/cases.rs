//! Random inputs for the graders, and how a failing case prints: each argument
//! of the student's function by its parameter name (exactly the function's
//! arguments), small matrices laid out as matrices, tensors compactly.

use crate::messages::{fill, tr, Msg};
use conv::{Conv2d, MaxPool, Tensor};
use nalgebra::{DMatrix, RowDVector};
use proptest::prelude::*;
use std::fmt;

/// A value as a failure report shows it; may span several lines.
pub trait Show {
    /// The text, lines separated by `\n`, without indentation.
    fn show(&self) -> String;
}

/// A number short enough to read and exact enough to reproduce: four
/// decimals in the usual range, scientific notation outside it.
pub fn num(v: f32) -> String {
    let a = v.abs();
    if v == 0.0 {
        "0.0".to_string()
    } else if !v.is_finite() || (1e-3..1e4).contains(&a) {
        let s = format!("{v:.4}");
        // 0.5000 reads as 0.5; keep one decimal so it stays a float.
        let s = s.trim_end_matches('0');
        if s.ends_with('.') {
            format!("{s}0")
        } else {
            s.to_string()
        }
    } else {
        format!("{v:.3e}")
    }
}

impl Show for f32 {
    fn show(&self) -> String {
        num(*self)
    }
}

impl Show for usize {
    fn show(&self) -> String {
        self.to_string()
    }
}

impl Show for u32 {
    fn show(&self) -> String {
        self.to_string()
    }
}

impl Show for u64 {
    fn show(&self) -> String {
        self.to_string()
    }
}

impl Show for bool {
    fn show(&self) -> String {
        self.to_string()
    }
}

impl Show for &str {
    fn show(&self) -> String {
        (*self).to_string()
    }
}

impl Show for String {
    fn show(&self) -> String {
        self.clone()
    }
}

/// The most values a list shows before it is elided.
const LIST_MAX: usize = 12;

/// `[a, b, c]`, or `[a, b, …, z] (n values)` past twelve values.
pub fn list<T: fmt::Display>(values: &[T]) -> String {
    if values.len() <= LIST_MAX {
        let v: Vec<String> = values.iter().map(|x| x.to_string()).collect();
        return format!("[{}]", v.join(", "));
    }
    let head: Vec<String> = values[..LIST_MAX - 2]
        .iter()
        .map(|x| x.to_string())
        .collect();
    let more = fill(tr(Msg::MoreValues), &[("count", &values.len())]);
    format!("[{}{more}, {}]", head.join(", "), values[values.len() - 1])
}

impl Show for [f32] {
    fn show(&self) -> String {
        let v: Vec<String> = self.iter().map(|&x| num(x)).collect();
        list(&v)
    }
}

impl Show for Vec<f32> {
    fn show(&self) -> String {
        self.as_slice().show()
    }
}

impl Show for [usize] {
    fn show(&self) -> String {
        list(self)
    }
}

impl Show for Vec<usize> {
    fn show(&self) -> String {
        list(self)
    }
}

impl Show for [usize; 3] {
    fn show(&self) -> String {
        format!("{self:?}")
    }
}

impl Show for [usize; 4] {
    fn show(&self) -> String {
        format!("{self:?}")
    }
}

impl<T: Show + ?Sized> Show for Option<&T> {
    fn show(&self) -> String {
        match self {
            None => "None".to_string(),
            Some(v) => format!("Some({})", v.show()),
        }
    }
}

impl Show for Conv2d {
    fn show(&self) -> String {
        format!(
            "Conv2d {{ stride: {}, padding: {} }}",
            self.stride, self.padding
        )
    }
}

impl Show for MaxPool {
    fn show(&self) -> String {
        format!(
            "MaxPool {{ kernel: {}, stride: {} }}",
            self.kernel, self.stride
        )
    }
}

impl Show for activations::Activation {
    fn show(&self) -> String {
        format!("Activation::{self:?}")
    }
}

/// The most rows and columns a matrix or a tensor plane shows.
const ROWS_MAX: usize = 8;
const COLS_MAX: usize = 8;

/// The indices to show out of `n`: all, or the first ones, `None` for the
/// elision, and the last.
fn shown(n: usize, max: usize) -> Vec<Option<usize>> {
    if n <= max {
        (0..n).map(Some).collect()
    } else {
        let mut v: Vec<Option<usize>> = (0..max - 2).map(Some).collect();
        v.push(None);
        v.push(Some(n - 1));
        v
    }
}

/// Rows of numbers, columns right-aligned: `[ a  b ]` per row.
fn grid(rows: usize, cols: usize, at: impl Fn(usize, usize) -> f32) -> Vec<String> {
    let row_ix = shown(rows, ROWS_MAX);
    let col_ix = shown(cols, COLS_MAX);
    let cell =
        |i: usize, j: Option<usize>| j.map_or("…".to_string(), |j| num(at(i, j)));
    let width = row_ix
        .iter()
        .flatten()
        .flat_map(|&i| col_ix.iter().map(move |&j| cell(i, j).chars().count()))
        .max()
        .unwrap_or(1);
    row_ix
        .iter()
        .map(|&i| match i {
            None => "…".to_string(),
            Some(i) => {
                let cells: Vec<String> = col_ix
                    .iter()
                    .map(|&j| format!("{:>width$}", cell(i, j)))
                    .collect();
                format!("[ {} ]", cells.join("  "))
            }
        })
        .collect()
}

impl Show for DMatrix<f32> {
    /// `2×3` and then one line per row; a single row on one line.
    fn show(&self) -> String {
        let (r, c) = self.shape();
        let rows = grid(r, c, |i, j| self[(i, j)]);
        if r == 1 {
            format!("1×{c} {}", rows[0])
        } else {
            format!("{r}×{c}\n{}", rows.join("\n"))
        }
    }
}

impl Show for RowDVector<f32> {
    fn show(&self) -> String {
        self.as_slice().show()
    }
}

impl Show for Tensor {
    /// `N×C×H×W`, then each (n, c) plane row by row, planes past a few
    /// elided; a tensor of one value per plane on one line.
    fn show(&self) -> String {
        let [n, c, h, w] = self.shape();
        let header = format!("{n}×{c}×{h}×{w}");
        if n * c * h * w == 0 {
            return format!("{header} []");
        }
        if h == 1 && w == 1 {
            return format!("{header} {}", self.data().show());
        }
        let planes: Vec<(usize, usize)> =
            (0..n).flat_map(|i| (0..c).map(move |j| (i, j))).collect();
        let mut lines = vec![header];
        for p in shown(planes.len(), 4) {
            match p {
                None => {
                    let more =
                        fill(tr(Msg::MorePlanes), &[("count", &planes.len())]);
                    lines.push(more);
                }
                Some(p) => {
                    let (i, j) = planes[p];
                    let label = format!("({i}, {j}) ");
                    let pad = " ".repeat(label.chars().count());
                    for (k, row) in grid(h, w, |y, x| self.at(i, j, y, x))
                        .into_iter()
                        .enumerate()
                    {
                        lines.push(format!(
                            "{}{row}",
                            if k == 0 { &label } else { &pad }
                        ));
                    }
                }
            }
        }
        lines.join("\n")
    }
}

/// `name = value` lines, the names padded so the `=` line up and each value's
/// later lines indented under its first.
pub fn labelled(args: &[(&str, &dyn Show)]) -> String {
    let width = args
        .iter()
        .map(|(name, _)| name.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = Vec::new();
    for (name, value) in args {
        let pad = " ".repeat(width - name.chars().count());
        let text = value.show();
        let mut lines = text.lines();
        out.push(format!("{name}{pad} = {}", lines.next().unwrap_or("")));
        let indent = " ".repeat(width + 3);
        for line in lines {
            out.push(format!("{indent}{line}"));
        }
    }
    out.join("\n")
}

/// A struct shown as its type's name and its fields, one per line.
pub fn fields(type_name: &str, fields: &[(&str, &dyn Show)]) -> String {
    let body = labelled(fields);
    let indented: Vec<String> = body.lines().map(|l| format!("  {l}")).collect();
    format!("{type_name}\n{}", indented.join("\n"))
}

/// A failing case as the arguments of the student's call. Its `Debug` is the
/// labelled list ([`labelled`]).
#[derive(Clone)]
pub struct Call<T> {
    /// The arguments, as the grader keeps them.
    pub args: T,
    render: fn(&T) -> String,
}

impl<T> Call<T> {
    /// `args`, printed by `render`.
    pub fn new(args: T, render: fn(&T) -> String) -> Self {
        Call { args, render }
    }
}

impl<T> fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&(self.render)(&self.args))
    }
}

/// Maps a strategy's values to [`Call`]s printed by `render`.
pub fn calls<S: Strategy>(
    strategy: S,
    render: fn(&S::Value) -> String,
) -> impl Strategy<Value = Call<S::Value>>
where
    S::Value: Clone,
{
    strategy.prop_map(move |v| Call::new(v, render))
}

/// A `rows × cols` matrix with entries in `range`.
pub fn matrix(
    rows: usize,
    cols: usize,
    range: std::ops::Range<f32>,
) -> BoxedStrategy<DMatrix<f32>> {
    proptest::collection::vec(range, rows * cols)
        .prop_map(move |v| DMatrix::from_vec(rows, cols, v))
        .boxed()
}

/// A row vector of `len` entries in `range`.
pub fn row(
    len: usize,
    range: std::ops::Range<f32>,
) -> BoxedStrategy<RowDVector<f32>> {
    proptest::collection::vec(range, len)
        .prop_map(RowDVector::from_vec)
        .boxed()
}

/// A tensor of `shape` with values in `values`.
pub fn tensor(
    shape: [usize; 4],
    values: std::ops::Range<f32>,
) -> impl Strategy<Value = Tensor> {
    proptest::collection::vec(values, shape.iter().product::<usize>())
        .prop_map(move |v| Tensor::from_vec(shape, v))
}

/// A matrix as f64 values in nalgebra's (column-major) order.
pub fn f64s<'a>(m: impl IntoIterator<Item = &'a f32>) -> Vec<f64> {
    m.into_iter().map(|&v| f64::from(v)).collect()
}

/// Fails with a clear message unless `actual` has the `expected` shape.
pub fn same_shape<S: fmt::Debug + PartialEq>(
    what: &str,
    expected: S,
    actual: S,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_short() {
        assert_eq!(num(0.0), "0.0");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(-2.0), "-2.0");
        assert_eq!(num(0.89523226), "0.8952");
        assert_eq!(num(1e-6), "1.000e-6");
        assert_eq!(num(f32::NAN), "NaN");
    }

    #[test]
    fn matrices_are_laid_out_as_matrices() {
        crate::set_language(crate::Lang::En);
        let m = DMatrix::from_row_slice(2, 3, &[1.0, -0.5, 0.25, 0.0, 2.0, -3.0]);
        assert_eq!(m.show(), "2×3\n[  1.0  -0.5  0.25 ]\n[  0.0   2.0  -3.0 ]");
        let r = DMatrix::from_row_slice(1, 2, &[1.0, 2.0]);
        assert_eq!(r.show(), "1×2 [ 1.0  2.0 ]");
        let text = labelled(&[("x", &m), ("lr", &0.01f32)]);
        assert_eq!(
            text,
            "x  = 2×3\n     [  1.0  -0.5  0.25 ]\n     [  0.0   2.0  -3.0 ]\nlr = 0.01"
        );
    }

    #[test]
    fn tensors_are_compact() {
        crate::set_language(crate::Lang::En);
        let t =
            Tensor::from_fn([1, 2, 2, 3], |_, c, y, x| (c * 6 + y * 3 + x) as f32);
        assert_eq!(
            t.show(),
            "1×2×2×3\n(0, 0) [ 0.0  1.0  2.0 ]\n       [ 3.0  4.0  5.0 ]\n\
             (0, 1) [  6.0   7.0   8.0 ]\n       [  9.0  10.0  11.0 ]"
        );
        let big = Tensor::zeros([2, 4, 20, 20]);
        let text = big.show();
        assert!(text.lines().count() < 40, "{text}");
        assert!(text.contains("8 planes"), "{text}");
        let flat = Tensor::from_vec([2, 1, 1, 1], vec![1.0, 2.0]);
        assert_eq!(flat.show(), "2×1×1×1 [1.0, 2.0]");
    }
}
