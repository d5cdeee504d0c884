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
    /// values at a time (the last may be shorter), in parallel. Each value is
    /// written once, front to back through [`Chunk`], instead of being zeroed by
    /// [`Tensor::zeros`] and then overwritten: for the 4 MB activations of a CNN
    /// that zeroing pass costs as much as the writes.
    ///
    /// # Panics
    /// If `fill` leaves a chunk short.
    #[track_caller]
    pub fn par_build(
        shape: [usize; 4],
        chunk: usize,
        fill: impl Fn(usize, &mut Chunk<'_>) + Sync,
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
    /// If `side` does not have one chunk per chunk of the tensor, or `fill`
    /// leaves a chunk short.
    #[track_caller]
    pub fn par_build_with<T: Send>(
        shape: [usize; 4],
        chunk: usize,
        side: &mut [T],
        side_chunk: usize,
        fill: impl Fn(usize, &mut Chunk<'_>, &mut [T]) + Sync,
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
            .for_each(|(i, (slots, side))| {
                let mut out = Chunk { slots, filled: 0 };
                fill(i, &mut out, side);
                assert!(
                    out.filled == out.slots.len(),
                    "Tensor::par_build: chunk {i} was left short"
                );
            });
        // SAFETY: the chunks (as many as the side's, asserted) cover the first
        // `len` elements, and each chunk was checked to be filled completely; had
        // a check failed or `fill` panicked, the panic would have left before here.
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

/// One chunk of a tensor under construction ([`Tensor::par_build`]): its values
/// are written front to back, each once.
pub struct Chunk<'a> {
    slots: &'a mut [MaybeUninit<f32>],
    filled: usize,
}

impl Chunk<'_> {
    /// How many values the chunk holds.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether the chunk holds no values.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Writes the next value.
    ///
    /// # Panics
    /// If the chunk is full.
    #[inline]
    #[track_caller]
    pub fn push(&mut self, v: f32) {
        self.slots[self.filled].write(v);
        self.filled += 1;
    }

    /// Writes `values` as the next values.
    ///
    /// # Panics
    /// If they do not fit.
    #[inline]
    #[track_caller]
    pub fn extend_from_slice(&mut self, values: &[f32]) {
        self.extend_mapped(values, |v| v);
    }

    /// Writes `f(v)` for each of `values`, as the next values.
    ///
    /// # Panics
    /// If they do not fit.
    #[inline]
    #[track_caller]
    pub fn extend_mapped(&mut self, values: &[f32], f: impl Fn(f32) -> f32) {
        let end = self.filled + values.len();
        for (slot, &v) in self.slots[self.filled..end].iter_mut().zip(values) {
            slot.write(f(v));
        }
        self.filled = end;
    }

    /// The slots not written yet, for a kernel that writes them in its own order
    /// and then counts them with [`Chunk::assume_written`].
    pub(crate) fn unwritten(&mut self) -> &mut [MaybeUninit<f32>] {
        &mut self.slots[self.filled..]
    }

    /// Counts the next `n` slots as written.
    ///
    /// # Safety
    /// Every one of them must have been written (through [`Chunk::unwritten`]).
    ///
    /// # Panics
    /// If fewer than `n` slots are left.
    #[track_caller]
    pub(crate) unsafe fn assume_written(&mut self, n: usize) {
        assert!(
            n <= self.slots.len() - self.filled,
            "Chunk::assume_written: {n} slots past the end"
        );
        self.filled += n;
    }

    /// The values written so far, to change at will.
    pub fn written(&mut self) -> &mut [f32] {
        let filled = &mut self.slots[..self.filled];
        // SAFETY: the first `filled` elements were written, and MaybeUninit<f32>
        // has f32's layout.
        unsafe { &mut *(filled as *mut [MaybeUninit<f32>] as *mut [f32]) }
    }

    /// Fills the whole chunk with zeros and hands it out to change at will.
    ///
    /// # Panics
    /// If values were written already.
    #[track_caller]
    pub fn zeroed(&mut self) -> &mut [f32] {
        assert_eq!(self.filled, 0, "Chunk::zeroed after values were written");
        for slot in self.slots.iter_mut() {
            slot.write(0.0);
        }
        self.filled = self.slots.len();
        self.written()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn par_build_writes_every_chunk_in_place() {
        // 2·3·2·2 = 24 values in chunks of 5: the last chunk has 4.
        let t = Tensor::par_build([2, 3, 2, 2], 5, |i, out| {
            for k in 0..out.len() {
                out.push((i * 5 + k) as f32);
            }
        });
        assert_eq!(t.data(), (0..24).map(|v| v as f32).collect::<Vec<_>>());
        let mut side = vec![0usize; 6];
        let t =
            Tensor::par_build_with([1, 1, 2, 3], 3, &mut side, 3, |i, out, s| {
                out.extend_mapped(&[1.0, 2.0, 3.0], |v| v * i as f32);
                out.written()[0] = -1.0;
                s.fill(i + 7);
            });
        assert_eq!(t.data(), [-1.0, 0.0, 0.0, -1.0, 2.0, 3.0]);
        assert_eq!(side, [7, 7, 7, 8, 8, 8]);
    }

    #[test]
    fn accessors_and_differences() {
        let a = Tensor::from_fn([1, 2, 1, 2], |_, c, _, j| (c * 2 + j) as f32);
        let b = Tensor::from_vec([1, 2, 1, 2], vec![0.0, 1.5, 2.0, 2.0]);
        assert_eq!(a.max_abs_diff(&b), 1.0);
        assert_eq!(b.max_abs_diff(&a), 1.0);
        assert_eq!(a.max_abs_diff(&a), 0.0);
        assert_eq!(a.at(0, 1, 0, 1), 3.0);
        assert_eq!(a.clone().into_vec(), vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(a.reshape([4, 1, 1, 1]).shape(), [4, 1, 1, 1]);
        let _ = Tensor::par_build([1, 1, 1, 3], 3, |_, out| {
            assert!(!out.is_empty() && out.len() == 3);
            out.zeroed();
        });
    }

    #[test]
    #[should_panic(expected = "chunk 1 was left short")]
    fn par_build_refuses_a_chunk_left_short() {
        let _ = Tensor::par_build([1, 1, 1, 6], 3, |i, out| {
            out.extend_from_slice(if i == 0 { &[1.0, 2.0, 3.0] } else { &[4.0] });
        });
    }

    #[test]
    #[should_panic(expected = "side")]
    fn par_build_with_refuses_a_side_of_another_length() {
        let mut side = vec![0u8; 7];
        let _ =
            Tensor::par_build_with([1, 1, 1, 6], 3, &mut side, 3, |_, out, _| {
                out.zeroed();
            });
    }

    #[test]
    #[should_panic]
    fn a_chunk_refuses_values_past_its_end() {
        let _ = Tensor::par_build([1, 1, 1, 2], 2, |_, out| {
            out.extend_from_slice(&[1.0, 2.0, 3.0]);
        });
    }
}
