//! Lecture section 8, *Redes neuronales convolucionales*: 2-D convolution and
//! max-pooling over N × C × H × W batches.
//!
//! This crate is the next step of the course and is still being written: the
//! reference path (direct loops) and the fast path (im2col + SIMD GEMM, rayon
//! over the batch) will live in `conv::reference` and `conv::fast`.
