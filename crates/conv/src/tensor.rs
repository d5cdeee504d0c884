use rayon::prelude::*;
use std::mem::MaybeUninit;

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

    /// A new tensor whose values `fill(i, chunk)` writes, chunk `i` of `chunk`
    /// values at a time (the last may be shorter), in parallel. Each chunk is
    /// zeroed just before `fill` sees it, while it is in the writing core's cache,
    /// instead of in a separate pass over the whole tensor as [`Tensor::zeros`]
    /// followed by writes would: for the 4 MB activations of a CNN that pass costs
    /// as much as the writes.
    pub fn par_build(
        shape: [usize; 4],
        chunk: usize,
        fill: impl Fn(usize, &mut [f32]) + Sync,
    ) -> Self {
        let chunks = shape.iter().product::<usize>().div_ceil(chunk.max(1));
        Tensor::par_build_with(
            shape,
            chunk,
            &mut vec![(); chunks],
            1,
            |i, out, _| fill(i, out),
        )
    }

    /// [`Tensor::par_build`], where the work item that fills chunk `i` also gets
    /// chunk `i` of `side` (`side_chunk` values each) to write, e.g. where each
    /// maximum of a pooling came from.
    ///
    /// # Panics
    /// If `side` does not have one chunk per chunk of the tensor.
    #[track_caller]
    pub fn par_build_with<T: Send>(
        shape: [usize; 4],
        chunk: usize,
        side: &mut [T],
        side_chunk: usize,
        fill: impl Fn(usize, &mut [f32], &mut [T]) + Sync,
    ) -> Self {
        let (len, chunk, side_chunk) =
            (shape.iter().product(), chunk.max(1), side_chunk.max(1));
        assert_eq!(
            usize::div_ceil(len, chunk),
            side.len().div_ceil(side_chunk),
            "Tensor::par_build_with: {len} values in chunks of {chunk} but {} side \
             values in chunks of {side_chunk}",
            side.len()
        );
        let mut data: Vec<f32> = Vec::with_capacity(len);
        data.spare_capacity_mut()[..len]
            .par_chunks_mut(chunk)
            .zip(side.par_chunks_mut(side_chunk))
            .enumerate()
            .for_each(|(i, (part, side))| {
                for v in part.iter_mut() {
                    v.write(0.0);
                }
                // SAFETY: every element of `part` was initialised just above, and
                // MaybeUninit<f32> has f32's layout.
                let part =
                    unsafe { &mut *(part as *mut [MaybeUninit<f32>] as *mut [f32]) };
                fill(i, part, side);
            });
        // SAFETY: the chunks (as many as the side's, asserted) cover the first
        // `len` elements and each was initialised; had `fill` panicked, the panic
        // would have left before here.
        unsafe { data.set_len(len) };
        Tensor { shape, data }
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
