//! The workspace's benchmarks, all of them `cargo bench` targets of this crate:
//!
//! - `cargo bench -p bench --bench kernels`: criterion's statistics for each
//!   kernel (convolution forward and backward per shape, dense layers, batch
//!   norm, max-pooling, the fast tanh), with saved baselines and regression
//!   reports (`-- --save-baseline before`, then `-- --baseline before`).
//! - `cargo bench -p bench --bench throughput`: training and inference
//!   throughput of the course's models, the same run's GEMM rate, and with
//!   `CNN_BENCH_PYTHON=<a python with torch>` PyTorch side by side; it prints
//!   every ratio.
//!
//! They live here, not in the concept crates, so that `cargo test -p <section>`
//! never builds criterion or the GEMM used as a yardstick.
