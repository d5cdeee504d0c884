//! The fast path equals the reference path, forward and backward, for random
//! shapes (stride 1 and 2, padding 0–2, kernels 1/3/5, non-square images, batch
//! 1, one channel); results do not depend on the number of threads; and every
//! reference backward matches central differences in f64.

use backprop::gradcheck::{check_gradient, numerical_gradient};
use conv::{fast, reference, Conv2d, MaxPool, Tensor};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Case {
    input: Tensor,
    weight: Tensor,
    bias: Vec<f32>,
    spec: Conv2d,
    grad_output: Tensor,
}

fn tensor(shape: [usize; 4]) -> impl Strategy<Value = Tensor> {
    proptest::collection::vec(-1.0f32..1.0, shape.iter().product::<usize>())
        .prop_map(move |v| Tensor::from_vec(shape, v))
}

/// Random convolutions whose kernel fits the padded input.
fn case(max_side: usize) -> impl Strategy<Value = Case> {
    (
        1usize..4, // batch
        1usize..4, // input channels
        1usize..5, // output channels
        prop_oneof![Just(1usize), Just(3), Just(5)],
        1usize..3,         // stride
        0usize..3,         // padding
        1usize..=max_side, // height
        1usize..=max_side, // width
    )
        .prop_filter("the kernel must fit", |&(_, _, _, k, _, p, h, w)| {
            k <= h + 2 * p && k <= w + 2 * p
        })
        .prop_flat_map(|(n, c, o, k, s, p, h, w)| {
            let spec = Conv2d {
                stride: s,
                padding: p,
            };
            let out = spec.output_shape([n, c, h, w], [o, c, k, k]);
            (
                tensor([n, c, h, w]),
                tensor([o, c, k, k]),
                proptest::collection::vec(-1.0f32..1.0, o),
                tensor(out),
            )
                .prop_map(move |(input, weight, bias, grad_output)| {
                    Case {
                        input,
                        weight,
                        bias,
                        spec,
                        grad_output,
                    }
                })
        })
}

/// |fast − reference| ≤ 1e-4 · max(1, |reference|) for every value: both sum the
/// same products in f32, in different orders.
fn agree(what: &str, fast: &[f32], reference: &[f32]) -> Result<(), TestCaseError> {
    prop_assert_eq!(fast.len(), reference.len());
    for (i, (a, b)) in fast.iter().zip(reference).enumerate() {
        prop_assert!(
            (a - b).abs() <= 1e-4 * b.abs().max(1.0),
            "{}[{}]: fast {} reference {}",
            what,
            i,
            a,
            b
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn fast_forward_and_backward_equal_the_reference(c in case(12)) {
        fast_equals_reference(&c)?;
    }

    #[test]
    fn fast_pooling_equals_the_reference(
        input in (1usize..3, 1usize..4, 2usize..10, 2usize..10).prop_flat_map(|(n, c, h, w)| tensor([n, c, h, w])),
        kernel in 1usize..3, stride in 1usize..3,
    ) {
        let pool = MaxPool { kernel, stride };
        let f = fast::max_pool_forward(&input, pool);
        let r = reference::max_pool_forward(&input, pool);
        prop_assert_eq!(&f, &r);
        let g = Tensor::from_fn(r.output.shape(), |n, c, i, j| (n + 2 * c + 3 * i + j) as f32 - 4.0);
        prop_assert_eq!(
            fast::max_pool_backward(&g, &f.argmax, input.shape()),
            reference::max_pool_backward(&g, &r.argmax, input.shape())
        );
    }

    /// The same for the 2 × 2 / 2 pooling of wide rows (odd widths too, whose
    /// last column no window covers).
    #[test]
    fn fast_pooling_of_wide_rows_equals_the_reference(
        input in (1usize..3, 2usize..6, 60usize..140).prop_flat_map(|(c, h, w)| tensor([1, c, h, w])),
    ) {
        let f = fast::max_pool_forward(&input, MaxPool::HALVE);
        prop_assert_eq!(&f, &reference::max_pool_forward(&input, MaxPool::HALVE));
    }

    /// The fused batch norm → ReLU → 2 × 2 pooling: its AVX-512 kernel gives the
    /// scalar loop's maxima and indices, to the bit, on planes of 2 to 69
    /// columns (one to five registers of windows, odd widths), with ties
    /// (values on a coarse grid), NaN, scales of either sign and shifts of ±0
    /// (where a value can be −0 before the ReLU).
    #[test]
    fn fused_pooling_kernel_gives_the_scalar_bits(
        input in (1usize..3, 1usize..4, 2usize..8, 2usize..70).prop_flat_map(|(n, c, h, w)| {
            let len = n * c * h * w;
            proptest::collection::vec(prop_oneof![
                8 => (-8i32..8).prop_map(|k| k as f32 / 4.0),
                4 => -2.0f32..2.0,
                1 => Just(f32::NAN),
                1 => Just(-0.0f32),
            ], len).prop_map(move |v| Tensor::from_vec([n, c, h, w], v))
        }),
        affine in proptest::collection::vec((
            prop_oneof![3 => -2.0f32..2.0, 1 => Just(-1.0f32), 1 => Just(1.0f32)],
            prop_oneof![3 => -1.0f32..1.0, 1 => Just(-0.0f32), 1 => Just(0.0f32)],
        ), 3),
    ) {
        use conv::direct::Kernels;
        prop_assume!(Kernels::Avx512.available());
        let c = input.shape()[1];
        let by = |k| fast::halve_planes_affine_relu_using(k, &input, |p| affine[p % c]);
        let (simd, scalar) = (by(Some(Kernels::Avx512)), by(None));
        let bits = |t: &Tensor| t.data().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        prop_assert_eq!(bits(&simd.output), bits(&scalar.output));
        prop_assert_eq!(simd.argmax, scalar.argmax);
    }

    /// Each reference gradient against central differences of the convolution
    /// computed in f64, for L = Σ y ⊙ G: relative error < 1e-3, or absolute
    /// < 1e-5 · max(1, |∇|) where sums cancel (f32 rounding of sums of ≤ 75 terms).
    #[test]
    fn reference_backward_matches_numeric(c in case(6)) {
        let g = c.grad_output.clone();
        let l = |x: &[f64], w: &[f64], b: &[f64]| conv64(&c, x, w, b).iter().zip(g.data()).map(|(y, &g)| y * f64::from(g)).sum::<f64>();
        let (x, w, b) = (f64s(c.input.data()), f64s(c.weight.data()), f64s(&c.bias));
        let grads = reference::conv2d_backward(&c.input, &c.weight, &g, c.spec);
        close("dx", grads.input.data(), &numerical_gradient(|v| l(v, &w, &b), &x, 1e-6))?;
        close("dw", grads.weight.data(), &numerical_gradient(|v| l(&x, v, &b), &w, 1e-6))?;
        close("db", &grads.bias, &numerical_gradient(|v| l(&x, &w, v), &b, 1e-6))?;
    }

    /// Max-pool backward against central differences (away from ties, where the
    /// maximum has no derivative).
    #[test]
    fn pool_backward_matches_numeric(
        input in (1usize..3, 1usize..3, 2usize..7, 2usize..7).prop_flat_map(|(n, c, h, w)| tensor([n, c, h, w])),
    ) {
        let pool = MaxPool::HALVE;
        let mut sorted = input.data().to_vec();
        sorted.sort_by(f32::total_cmp);
        prop_assume!(sorted.windows(2).all(|p| p[1] - p[0] > 1e-4));
        let out = reference::max_pool_forward(&input, pool);
        let g = Tensor::from_fn(out.output.shape(), |n, c, i, j| 1.0 + (n + c + i + 2 * j) as f32 * 0.5);
        let analytic = reference::max_pool_backward(&g, &out.argmax, input.shape());
        let shape = input.shape();
        let l = |x: &[f64]| {
            let t = Tensor::from_vec(shape, x.iter().map(|&v| v as f32).collect());
            let y = reference::max_pool_forward(&t, pool);
            y.argmax.iter().zip(g.data()).map(|(&k, &g)| x[k] * f64::from(g)).sum::<f64>()
        };
        close("dx", analytic.data(), &numerical_gradient(l, &f64s(input.data()), 1e-6))?;
    }
}

fn f64s(v: &[f32]) -> Vec<f64> {
    v.iter().map(|&x| f64::from(x)).collect()
}

fn close(
    what: &str,
    analytic: &[f32],
    numeric: &[f64],
) -> Result<(), TestCaseError> {
    check_gradient(what, &f64s(analytic), numeric, 1e-3, 1e-5)
        .map_err(TestCaseError::fail)
}

/// The convolution in f64, straight from the formula, on flat row-major data.
fn conv64(c: &Case, x: &[f64], w: &[f64], b: &[f64]) -> Vec<f64> {
    let [n, ci, h, wd] = c.input.shape();
    let [o, _, k, _] = c.weight.shape();
    let [_, _, oh, ow] = c.spec.output_shape(c.input.shape(), c.weight.shape());
    let (s, p) = (c.spec.stride as isize, c.spec.padding as isize);
    let mut y = Vec::with_capacity(n * o * oh * ow);
    for ni in 0..n {
        for oi in 0..o {
            for i in 0..oh {
                for j in 0..ow {
                    let mut sum = b[oi];
                    for cc in 0..ci {
                        for u in 0..k {
                            for v in 0..k {
                                let (yy, xx) = (
                                    i as isize * s + u as isize - p,
                                    j as isize * s + v as isize - p,
                                );
                                if yy >= 0
                                    && xx >= 0
                                    && (yy as usize) < h
                                    && (xx as usize) < wd
                                {
                                    sum += x[((ni * ci + cc) * h + yy as usize)
                                        * wd
                                        + xx as usize]
                                        * w[((oi * ci + cc) * k + u) * k + v];
                                }
                            }
                        }
                    }
                    y.push(sum);
                }
            }
        }
    }
    y
}

/// Forward, backward and the parameters-only backward of the fast path against
/// the reference, for one case.
fn fast_equals_reference(c: &Case) -> Result<(), TestCaseError> {
    let f = fast::conv2d_forward(&c.input, &c.weight, Some(&c.bias), c.spec);
    let r = reference::conv2d_forward(&c.input, &c.weight, Some(&c.bias), c.spec);
    prop_assert_eq!(f.shape(), r.shape());
    agree("y", f.data(), r.data())?;
    let f = fast::conv2d_backward(&c.input, &c.weight, &c.grad_output, c.spec);
    let r = reference::conv2d_backward(&c.input, &c.weight, &c.grad_output, c.spec);
    agree("dx", f.input.data(), r.input.data())?;
    agree("dw", f.weight.data(), r.weight.data())?;
    agree("db", &f.bias, &r.bias)?;
    let params =
        fast::conv2d_backward_params(&c.input, &c.weight, &c.grad_output, c.spec);
    prop_assert_eq!(params.input.shape(), [0; 4]);
    prop_assert_eq!((&params.weight, &params.bias), (&f.weight, &f.bias));
    Ok(())
}

/// The fast forward and backward with `threads` rayon threads.
fn with_threads(
    threads: usize,
    input: &Tensor,
    weight: &Tensor,
    bias: Option<&[f32]>,
    spec: Conv2d,
) -> (Tensor, conv::ConvGrads) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let y = fast::conv2d_forward(input, weight, bias, spec);
        let g = Tensor::from_fn(y.shape(), |n, o, i, j| {
            ((n + o + i * j) % 5) as f32 - 2.0
        });
        let grads = fast::conv2d_backward(input, weight, &g, spec);
        (y, grads)
    })
}

/// Asserts that 2, 3 and 8 threads give the same bits as 1.
fn assert_thread_independent(
    input: &Tensor,
    weight: &Tensor,
    bias: Option<&[f32]>,
    spec: Conv2d,
) {
    let one = with_threads(1, input, weight, bias, spec);
    for threads in [2, 3, 8] {
        assert_eq!(
            with_threads(threads, input, weight, bias, spec),
            one,
            "{threads} threads"
        );
    }
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let input = Tensor::from_fn([5, 3, 17, 23], |n, c, i, j| {
        ((n * 31 + c * 7 + i * 3 + j) % 13) as f32 * 0.1 - 0.6
    });
    let weight = Tensor::from_fn([8, 3, 3, 3], |o, c, u, v| {
        ((o * 5 + c * 3 + u + 2 * v) % 7) as f32 * 0.2 - 0.6
    });
    let bias: Vec<f32> = (0..8).map(|o| o as f32 * 0.1).collect();
    let spec = Conv2d::SAME_3X3;
    assert_thread_independent(&input, &weight, Some(&bias), spec);
}

#[test]
fn large_batches_do_not_depend_on_the_thread_count() {
    let input = Tensor::from_fn([20, 2, 9, 11], |n, c, i, j| {
        ((n * 13 + c * 7 + i * 3 + j) % 11) as f32 * 0.1 - 0.5
    });
    let weight = Tensor::from_fn([4, 2, 3, 3], |o, c, u, v| {
        ((o * 5 + c * 3 + u + 2 * v) % 7) as f32 * 0.2 - 0.6
    });
    let spec = Conv2d {
        stride: 2,
        padding: 1,
    };
    assert_thread_independent(&input, &weight, None, spec);
}

#[test]
fn batch_one_with_one_channel_and_a_wide_image() {
    let input = Tensor::from_fn([1, 1, 5, 600], |_, _, i, j| {
        ((i * 600 + j) % 17) as f32 * 0.1
    });
    let weight = Tensor::from_fn([2, 1, 3, 3], |o, _, u, v| {
        (o + u * 3 + v) as f32 * 0.05 - 0.2
    });
    for spec in [
        Conv2d::SAME_3X3,
        Conv2d {
            stride: 2,
            padding: 2,
        },
    ] {
        let f = fast::conv2d_forward(&input, &weight, None, spec);
        let r = reference::conv2d_forward(&input, &weight, None, spec);
        assert!(f.max_abs_diff(&r) < 1e-4);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// The direct path (stride 1, "same" padding, batch ≥ 8) against the reference.
    #[test]
    fn direct_path_equals_the_reference(
        c in (8usize..11, 1usize..6, 1usize..7usize, prop_oneof![Just(1usize), Just(3), Just(5)], 1usize..12, 1usize..12)
            .prop_flat_map(|(n, ci, o, k, h, w)| {
                let spec = Conv2d { stride: 1, padding: (k - 1) / 2 };
                let out = spec.output_shape([n, ci, h, w], [o, ci, k, k]);
                (tensor([n, ci, h, w]), tensor([o, ci, k, k]), proptest::collection::vec(-1.0f32..1.0, o), tensor(out))
                    .prop_map(move |(input, weight, bias, grad_output)| Case { input, weight, bias, spec, grad_output })
            })
    ) {
        prop_assume!(conv::direct::applies(c.input.shape(), c.weight.shape(), c.spec));
        fast_equals_reference(&c)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The AVX-512 kernels add the AVX2 kernels' terms in the same order: the
    /// same bits forward, for ∂L/∂x and for ∂L/∂w. Output channels up to 19
    /// reach every block of 8, 4, 2 and 1 and an odd last channel; widths up to
    /// 40 reach rows of one and of several 32-pixel blocks and a 16-pixel tail.
    #[test]
    fn avx512_kernels_give_the_avx2_bits(
        c in (8usize..10, 1usize..7, 1usize..20, prop_oneof![Just(1usize), Just(3), Just(5)], 1usize..10, 1usize..41)
            .prop_flat_map(|(n, ci, o, k, h, w)| {
                let spec = Conv2d { stride: 1, padding: (k - 1) / 2 };
                let out = spec.output_shape([n, ci, h, w], [o, ci, k, k]);
                (tensor([n, ci, h, w]), tensor([o, ci, k, k]), proptest::collection::vec(-1.0f32..1.0, o), tensor(out))
                    .prop_map(move |(input, weight, bias, grad_output)| Case { input, weight, bias, spec, grad_output })
            })
    ) {
        use conv::direct::{backward_using, forward_using, Kernels};
        if !Kernels::Avx512.available() {
            eprintln!("this CPU has no AVX-512: nothing to compare");
            return Ok(());
        }
        let shape = c.spec.output_shape(c.input.shape(), c.weight.shape());
        let by = |k| forward_using(k, &c.input, &c.weight, Some(&c.bias), shape);
        let (narrow, wide) = (by(Kernels::Avx2), by(Kernels::Avx512));
        prop_assert!(same_bits(narrow.data(), wide.data()), "forward differs");
        let by = |k| backward_using(k, &c.input, &c.weight, &c.grad_output, true, 3);
        let ((dx2, dw2), (dx5, dw5)) = (by(Kernels::Avx2), by(Kernels::Avx512));
        prop_assert!(same_bits(dx2.data(), dx5.data()), "∂L/∂x differs");
        prop_assert!(same_bits(&dw2, &dw5), "∂L/∂w differs");
    }
}

/// Equal to the bit (and of equal length).
fn same_bits(a: &[f32], b: &[f32]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

/// A case of patterned values (no randomness): `n` images of c_in × h × w, a
/// c_out × c_in × k × k kernel with "same" padding, a bias and a ∂L/∂y.
fn patterned(
    n: usize,
    c_in: usize,
    c_out: usize,
    (h, w): (usize, usize),
    k: usize,
) -> Case {
    let spec = Conv2d {
        stride: 1,
        padding: (k - 1) / 2,
    };
    Case {
        input: Tensor::from_fn([n, c_in, h, w], |n, c, i, j| {
            ((n * 31 + c * 7 + i * 3 + j) % 13) as f32 * 0.1 - 0.6
        }),
        weight: Tensor::from_fn([c_out, c_in, k, k], |o, c, u, v| {
            ((o * 5 + c * 3 + u + 2 * v) % 7) as f32 * 0.2 - 0.6
        }),
        bias: (0..c_out).map(|o| (o % 5) as f32 * 0.2 - 0.4).collect(),
        spec,
        grad_output: Tensor::from_fn([n, c_out, h, w], |n, o, i, j| {
            ((n + o * 3 + i * 5 + j * 7) % 11) as f32 * 0.1 - 0.5
        }),
    }
}

/// `patterned`, checked to take the direct path, against the reference.
fn direct_equals_reference(c: &Case) {
    assert!(conv::direct::applies(
        c.input.shape(),
        c.weight.shape(),
        c.spec
    ));
    fast_equals_reference(c).unwrap();
}

#[test]
fn the_direct_path_is_used_for_the_course_shapes_and_is_thread_independent() {
    let c = patterned(16, 16, 16, (32, 32), 3);
    assert!(conv::direct::applies(
        c.input.shape(),
        c.weight.shape(),
        c.spec
    ));
    assert_thread_independent(&c.input, &c.weight, None, c.spec);
    let (y1, _) = with_threads(2, &c.input, &c.weight, None, c.spec);
    let r = reference::conv2d_forward(&c.input, &c.weight, None, c.spec);
    assert!(y1.max_abs_diff(&r) < 1e-4);
}

/// A batch large enough that the direct path's backward pass groups several
/// images per work item (37 = 16 groups, the last one short).
#[test]
fn direct_path_groups_images_like_the_reference() {
    for k in [1, 3, 5] {
        direct_equals_reference(&patterned(37, 3, 5, (6, 7), k));
    }
}

/// Many input channels and few outputs: ∂L/∂x has more channels than the
/// direct path's forward ever produces.
#[test]
fn direct_path_handles_wide_inputs() {
    direct_equals_reference(&patterned(8, 40, 3, (5, 6), 3));
}

#[test]
fn halving_pool_breaks_ties_like_the_reference() {
    // Small integers: most windows hold ties.
    let input = Tensor::from_fn([3, 2, 8, 6], |n, c, i, j| {
        ((n + c * 3 + i * 5 + j * 7) % 3) as f32
    });
    let f = fast::max_pool_forward(&input, MaxPool::HALVE);
    let r = reference::max_pool_forward(&input, MaxPool::HALVE);
    assert_eq!(f, r);
}
