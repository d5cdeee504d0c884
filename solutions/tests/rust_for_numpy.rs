//! The lines of the book's chapter "Rust for numpy users", each a test: a numpy
//! idiom in a comment, its nalgebra or plain-Rust form, and the value it must give.
//! The chapter includes them by anchor, so every line it shows compiles and runs.

use conv::Tensor;
use nalgebra::{DMatrix, DVector, RowDVector};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};

// ANCHOR: create
#[test]
fn create() {
    // a = np.array([[1., 2., 3.], [4., 5., 6.]], dtype=np.float32)
    let a = DMatrix::<f32>::from_row_slice(2, 3, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    // np.zeros((2, 3)), np.full((2, 3), 0.5)
    let zeros = DMatrix::<f32>::zeros(2, 3);
    let halves = DMatrix::<f32>::from_element(2, 3, 0.5);
    // np.zeros_like(a)
    let like = DMatrix::<f32>::zeros(a.nrows(), a.ncols());
    assert_eq!(like, zeros);
    assert_eq!(halves.sum(), 3.0);
    // b = np.array([0.5, 0., -0.5]): a bias, one row of 3
    let b = RowDVector::<f32>::from_row_slice(&[0.5, 0.0, -0.5]);
    assert_eq!(b.ncols(), 3);
    // np.linspace(0, 1, 5) as a column, one example per row
    let x = DMatrix::<f32>::from_fn(5, 1, |i, _| i as f32 / 4.0);
    assert_eq!(x[(4, 0)], 1.0);
    // nalgebra stores a matrix column by column: the order numpy calls "F"
    assert_eq!(a.as_slice(), &[1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
}
// ANCHOR_END: create

// ANCHOR: shape
#[test]
fn shape() {
    let x = DMatrix::<f32>::zeros(4, 3);
    assert_eq!(x.shape(), (4, 3)); // x.shape
    assert_eq!(x.nrows(), 4); // x.shape[0], numpy's len(x)
    assert_eq!(x.ncols(), 3); // x.shape[1]
    assert_eq!(x.len(), 12); // x.size: len() counts every entry

    // Sizes are usize; cast one to f32 before dividing a float by it.
    let n = x.nrows() as f32;
    assert_eq!(8.0 / n, 2.0);
}
// ANCHOR_END: shape

// ANCHOR: matmul
#[test]
fn matmul() {
    let a = DMatrix::<f32>::from_row_slice(2, 3, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    let b = DMatrix::<f32>::from_row_slice(3, 2, &[1.0, 0.0, 0.0, 1.0, 1.0, 1.0]);
    // a @ b: borrow both (&a, &b) so that a and b can still be used afterwards
    let c = &a * &b;
    assert_eq!(c, DMatrix::from_row_slice(2, 2, &[4.0, 5.0, 10.0, 11.0]));
    // a.T: a new 3 × 2 matrix
    let t = a.transpose();
    assert_eq!(
        t,
        DMatrix::from_row_slice(3, 2, &[1.0, 4.0, 2.0, 5.0, 3.0, 6.0])
    );
    // a.T @ d without building a.T first
    let d = DMatrix::<f32>::from_row_slice(2, 2, &[1.0, 0.0, 0.0, 2.0]);
    let td = a.tr_mul(&d);
    assert_eq!(
        td,
        DMatrix::from_row_slice(3, 2, &[1.0, 8.0, 2.0, 10.0, 3.0, 12.0])
    );
    assert_eq!(td, &t * &d);
    // a @ a.T
    let aat = &a * a.transpose();
    assert_eq!(
        aat,
        DMatrix::from_row_slice(2, 2, &[14.0, 32.0, 32.0, 77.0])
    );
    // Not np.dot: nalgebra's dot is the sum of the element-wise products.
    assert_eq!(a.dot(&a), 91.0);
}
// ANCHOR_END: matmul

// ANCHOR: broadcast
#[test]
fn broadcast_bias() {
    let x = DMatrix::<f32>::from_row_slice(2, 2, &[1.0, 2.0, 3.0, 4.0]);
    let w = DMatrix::<f32>::from_row_slice(2, 3, &[1.0, 0.0, -1.0, 0.0, 1.0, 1.0]);
    let b = RowDVector::<f32>::from_row_slice(&[0.5, 0.0, -0.5]);
    // z = x @ w + b: numpy stretches b over the rows; here we add it to each row.
    let mut z = &x * &w;
    for mut row in z.row_iter_mut() {
        row += &b;
    }
    let expected = [1.5, 2.0, 0.5, 3.5, 4.0, 0.5];
    assert_eq!(z, DMatrix::from_row_slice(2, 3, &expected));
    // The same, entry by entry.
    let xw = &x * &w;
    let z2 = DMatrix::from_fn(2, 3, |i, j| xw[(i, j)] + b[j]);
    assert_eq!(z2, z);
}
// ANCHOR_END: broadcast

// ANCHOR: sums
#[test]
fn sums() {
    let a = DMatrix::<f32>::from_row_slice(2, 3, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    assert_eq!(a.sum(), 21.0); // a.sum()
    assert_eq!(a.mean(), 3.5); // a.mean()

    // a.sum(axis=0): the rows added together, one row of 3
    let down = a.row_sum();
    assert_eq!(down, RowDVector::from_row_slice(&[5.0, 7.0, 9.0]));
    // a.sum(axis=1): the columns added together, one column of 2
    let across = a.column_sum();
    assert_eq!(across, DVector::from_column_slice(&[6.0, 15.0]));
    // a.mean(axis=0)
    assert_eq!(a.row_mean(), RowDVector::from_row_slice(&[2.5, 3.5, 4.5]));
}
// ANCHOR_END: sums

// ANCHOR: maximum
#[test]
fn maximum_and_clip() {
    let x: f32 = -2.0;
    assert_eq!(x.max(0.0), 0.0); // np.maximum(0, x)
    assert_eq!(x.clamp(-1.0, 1.0), -1.0); // np.clip(x, -1, 1)
    let m = DMatrix::<f32>::from_row_slice(1, 4, &[-2.0, -0.5, 0.5, 2.0]);
    // np.maximum(0, m) and np.clip(m, -1, 1): a function applied to every entry
    assert_eq!(m.map(|v| v.max(0.0)).as_slice(), &[0.0, 0.0, 0.5, 2.0]);
    assert_eq!(
        m.map(|v| v.clamp(-1.0, 1.0)).as_slice(),
        &[-1.0, -0.5, 0.5, 1.0]
    );
    assert_eq!(m.max(), 2.0); // m.max()

    // max over a slice of floats: fold, starting below every value
    let v = [0.5f32, 4.0, -1.0];
    assert_eq!(v.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b)), 4.0);
}
// ANCHOR_END: maximum

// ANCHOR: exp_pow
#[test]
fn exp_and_powers() {
    let x: f32 = 3.0;
    assert_eq!(x.powi(2), 9.0); // x ** 2: an i32 exponent
    assert_eq!(4.0f32.powf(0.5), 2.0); // 4 ** 0.5: an f32 exponent
    let t: u32 = 3;
    assert_eq!(x.powi(t as i32), 27.0); // an exponent held in a counter: cast it
    let m = DMatrix::<f32>::from_row_slice(1, 3, &[0.0, 1.0, 2.0]);
    let e = m.map(f32::exp); // np.exp(m)
    assert_eq!(e[(0, 0)], 1.0);
    assert!((e[(0, 1)] - std::f32::consts::E).abs() < 1e-6);
    assert_eq!(m.map(|v| v.powi(2)).as_slice(), &[0.0, 1.0, 4.0]); // m ** 2
    assert!((1.0f32.exp().ln() - 1.0).abs() < 1e-6); // np.log(np.exp(1.0))
}
// ANCHOR_END: exp_pow

// ANCHOR: int_float
#[test]
fn integers_and_floats() {
    let s: f32 = 0.25;
    assert_eq!(1.0 - s, 0.75); // numpy's 1 - s: here the 1 must be 1.0
    assert_eq!(2.0 * s, 0.5);
    // An integer count becomes a float with `as`.
    let total: f32 = 3.0;
    let count: usize = 4;
    assert_eq!(total / count as f32, 0.75);
    // f32 and f64 do not mix either: convert one of them.
    let precise: f64 = 0.5;
    assert_eq!(precise as f32 + s, 0.75);
    assert_eq!(f64::from(s) + precise, 0.75);
    // A literal's type can be written on it.
    assert_eq!(1.5_f32.floor(), 1.0);
}
// ANCHOR_END: int_float

// ANCHOR: elementwise
#[test]
fn elementwise() {
    let a = DMatrix::<f32>::from_row_slice(2, 2, &[1.0, 2.0, 3.0, 4.0]);
    let b = DMatrix::<f32>::from_row_slice(2, 2, &[2.0, 0.5, -1.0, 1.0]);
    // a * b and a / b in numpy are entry by entry: component_mul, component_div
    let ab = a.component_mul(&b);
    assert_eq!(ab, DMatrix::from_row_slice(2, 2, &[2.0, 1.0, -3.0, 4.0]));
    let a_b = a.component_div(&b);
    assert_eq!(a_b, DMatrix::from_row_slice(2, 2, &[0.5, 4.0, -3.0, 4.0]));
    // + and - and a scalar factor are entry by entry, as in numpy
    let sum = &a + &b;
    assert_eq!(sum, DMatrix::from_row_slice(2, 2, &[3.0, 2.5, 2.0, 5.0]));
    let twice = &a * 2.0;
    assert_eq!(twice, DMatrix::from_row_slice(2, 2, &[2.0, 4.0, 6.0, 8.0]));
    // np.maximum(a, b): zip_map pairs the entries of two matrices
    let larger = a.zip_map(&b, f32::max);
    assert_eq!(larger, DMatrix::from_row_slice(2, 2, &[2.0, 2.0, 3.0, 4.0]));
}
// ANCHOR_END: elementwise

// ANCHOR: in_place
#[test]
fn in_place() {
    let mut a = DMatrix::<f32>::from_row_slice(2, 2, &[1.0, 2.0, 3.0, 4.0]);
    a.apply(|v| *v *= 10.0); // a *= 10, or any function of each entry
    for v in a.iter_mut() {
        *v += 1.0; // a += 1, as a loop
    }
    assert_eq!(a, DMatrix::from_row_slice(2, 2, &[11.0, 21.0, 31.0, 41.0]));
    let b = DMatrix::<f32>::from_element(2, 2, 0.5);
    a += &b; // a += b, same shape
    a.component_mul_assign(&b); // a *= b, entry by entry
    assert_eq!(
        a,
        DMatrix::from_row_slice(2, 2, &[5.75, 10.75, 15.75, 20.75])
    );
    a.fill(0.0); // a[:] = 0
    assert_eq!(a.sum(), 0.0);
    // Two slices walked together: xs *= keep
    let mut xs = [1.0f32, 2.0, 3.0];
    let keep = [1.0f32, 0.0, 1.0];
    for (x, k) in xs.iter_mut().zip(&keep) {
        *x *= k;
    }
    assert_eq!(xs, [1.0, 0.0, 3.0]);
}
// ANCHOR_END: in_place

// ANCHOR: slicing
#[test]
fn slicing() {
    let data = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
    let a = DMatrix::<f32>::from_row_slice(3, 3, &data);
    assert_eq!(a[(1, 2)], 5.0); // a[1, 2]
    let row: Vec<f32> = a.row(1).iter().copied().collect(); // a[1]
    assert_eq!(row, [3.0, 4.0, 5.0]);
    assert_eq!(a.column(2).as_slice(), &[2.0, 5.0, 8.0]); // a[:, 2]

    // a[1:3]: rows(first, how many), or rows_range(1..3)
    let below = DMatrix::from_row_slice(2, 3, &[3.0, 4.0, 5.0, 6.0, 7.0, 8.0]);
    assert_eq!(a.rows(1, 2), below);
    assert_eq!(a.rows_range(1..3), below);
    // a[0:2, 1:3]: view((first row, first column), (rows, columns))
    let corner = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 4.0, 5.0]);
    assert_eq!(a.view((0, 1), (2, 2)), corner);
    // Careful: a[k] with one index counts down the columns.
    assert_eq!(a[1], 3.0);
    // An array, Vec or slice: v[1:3] and v[-1]
    let v = [1.0f32, 2.0, 3.0, 4.0];
    assert_eq!(&v[1..3], &[2.0, 3.0]);
    assert_eq!(v[v.len() - 1], 4.0);
    assert_eq!(v.last(), Some(&4.0));
    // a[:, 1] = 0
    let mut b = a.clone();
    b.column_mut(1).fill(0.0);
    assert_eq!(
        b.column_sum(),
        DVector::from_column_slice(&[2.0, 8.0, 14.0])
    );
}
// ANCHOR_END: slicing

// ANCHOR: argmax
#[test]
fn argmax() {
    let scores =
        DMatrix::<f32>::from_row_slice(2, 3, &[0.1, 2.0, -1.0, 3.0, 0.0, 3.0]);
    // np.argmax(scores, axis=1): one index per row; on a tie the first, as numpy
    let best: Vec<usize> = scores
        .row_iter()
        .map(|row| row.transpose().argmax().0)
        .collect();
    assert_eq!(best, [1, 0]);
    // np.argmax(v) on a slice, written out: replace only when strictly larger
    let v = [0.5f32, 4.0, 4.0, -1.0];
    let mut best = 0;
    for (i, &value) in v.iter().enumerate() {
        if value > v[best] {
            best = i;
        }
    }
    assert_eq!(best, 1);
}
// ANCHOR_END: argmax

// ANCHOR: padding
/// x[i + u − p], or 0 where that index falls in the padding (below 0 or past
/// the end): `checked_sub` gives `None` instead of going below zero.
fn padded(x: &[f32], i: usize, u: usize, p: usize) -> f32 {
    match (i + u).checked_sub(p) {
        Some(k) if k < x.len() => x[k],
        _ => 0.0,
    }
}

/// The same read in signed integers: compute the index, then test both bounds.
fn padded_signed(x: &[f32], i: usize, u: usize, p: usize) -> f32 {
    let k = (i + u) as isize - p as isize;
    if k < 0 || k >= x.len() as isize {
        0.0
    } else {
        x[k as usize]
    }
}

#[test]
fn padding() {
    let x = [1.0, 2.0, 3.0];
    // With p = 1: index 0 + 0 − 1 is in the left padding, 2 + 2 − 1 past the end.
    assert_eq!(padded(&x, 0, 0, 1), 0.0);
    assert_eq!(padded(&x, 0, 1, 1), 1.0);
    assert_eq!(padded(&x, 2, 2, 1), 0.0);
    for (i, u) in [(0, 0), (0, 1), (1, 2), (2, 2)] {
        assert_eq!(padded(&x, i, u, 1), padded_signed(&x, i, u, 1));
    }
}
// ANCHOR_END: padding

// ANCHOR: tensor
#[test]
fn tensor() {
    // x = np.arange(8.).reshape(1, 2, 2, 2): N × C × H × W
    let x = Tensor::from_vec([1, 2, 2, 2], (0..8).map(|v| v as f32).collect());
    assert_eq!(x.at(0, 1, 0, 1), 5.0); // x[0, 1, 0, 1]
    assert_eq!(x.shape(), [1, 2, 2, 2]); // x.shape

    // g = np.zeros_like(x); g[0, 1, 0, 1] += 2.5
    let mut g = Tensor::zeros(x.shape());
    let k = g.index(0, 1, 0, 1); // the flat position: ((0·2 + 1)·2 + 0)·2 + 1
    assert_eq!(k, 5);
    g.data_mut()[k] += 2.5;
    g.data_mut()[k] += 0.5;
    assert_eq!(g.at(0, 1, 0, 1), 3.0);
    assert_eq!(g.data().iter().sum::<f32>(), 3.0);
}
// ANCHOR_END: tensor

// ANCHOR: random
#[test]
fn random_numbers() {
    // np.random.seed(0), but as a value you hand to whoever draws
    let mut rng = StdRng::seed_from_u64(0);
    let z: f32 = StandardNormal.sample(&mut rng); // np.random.randn()
    let u: f32 = rng.random_range(-1.0..1.0); // np.random.uniform(-1, 1)
    let p: f32 = rng.random(); // np.random.rand(), in [0, 1)
    let mut order: Vec<usize> = (0..5).collect();
    order.shuffle(&mut rng); // np.random.shuffle(order)
    assert!((-1.0..1.0).contains(&u) && (0.0..1.0).contains(&p));
    order.sort();
    assert_eq!(order, [0, 1, 2, 3, 4]);
    // The same seed gives the same numbers.
    let mut again = StdRng::seed_from_u64(0);
    let z_again: f32 = StandardNormal.sample(&mut again);
    assert_eq!(z, z_again);
}
// ANCHOR_END: random
