/// A 4-D array of f32 in N × C × H × W order, row-major (W varies fastest).
#[derive(Clone, Debug, PartialEq)]
pub struct Tensor {
    shape: [usize; 4],
    data: Vec<f32>,
}

impl Tensor {
    /// A tensor of zeros.
    pub fn zeros(shape: [usize; 4]) -> Self {
        Tensor {
            shape,
            data: vec![0.0; shape.iter().product()],
        }
    }

    /// A tensor holding `data` (row-major).
    ///
    /// # Panics
    /// If `data` does not have N·C·H·W values.
    #[track_caller]
    pub fn from_vec(shape: [usize; 4], data: Vec<f32>) -> Self {
        let expected: usize = shape.iter().product();
        assert_eq!(
            data.len(),
            expected,
            "Tensor::from_vec: shape {shape:?} needs {expected} values, got {}",
            data.len()
        );
        Tensor { shape, data }
    }

    /// A tensor whose value at (n, c, h, w) is `f(n, c, h, w)`.
    pub fn from_fn(
        shape: [usize; 4],
        mut f: impl FnMut(usize, usize, usize, usize) -> f32,
    ) -> Self {
        let [n, c, h, w] = shape;
        let mut data = Vec::with_capacity(n * c * h * w);
        for i in 0..n {
            for j in 0..c {
                for y in 0..h {
                    for x in 0..w {
                        data.push(f(i, j, y, x));
                    }
                }
            }
        }
        Tensor { shape, data }
    }

    /// [N, C, H, W].
    pub fn shape(&self) -> [usize; 4] {
        self.shape
    }

    /// The values, row-major.
    pub fn data(&self) -> &[f32] {
        &self.data
    }

    /// The values, row-major, to change in place.
    pub fn data_mut(&mut self) -> &mut [f32] {
        &mut self.data
    }

    /// The values, giving up the shape.
    pub fn into_vec(self) -> Vec<f32> {
        self.data
    }

    /// The same values under another shape with as many elements (e.g. flatten).
    ///
    /// # Panics
    /// If the element counts differ.
    #[track_caller]
    pub fn reshape(self, shape: [usize; 4]) -> Self {
        Tensor::from_vec(shape, self.data)
    }

    /// The flat index of (n, c, h, w).
    #[inline]
    pub fn index(&self, n: usize, c: usize, h: usize, w: usize) -> usize {
        let [_, cs, hs, ws] = self.shape;
        ((n * cs + c) * hs + h) * ws + w
    }

    /// The value at (n, c, h, w).
    #[inline]
    pub fn at(&self, n: usize, c: usize, h: usize, w: usize) -> f32 {
        self.data[self.index(n, c, h, w)]
    }

    /// The largest |a − b| over the two tensors' values.
    ///
    /// # Panics
    /// If the shapes differ.
    #[track_caller]
    pub fn max_abs_diff(&self, other: &Tensor) -> f32 {
        assert_eq!(self.shape, other.shape, "max_abs_diff: shapes differ");
        self.data
            .iter()
            .zip(&other.data)
            .fold(0.0, |m, (a, b)| m.max((a - b).abs()))
    }
}
