//! Fast versions of the activations whose libm implementation is slow.
//!
//! glibc's `tanhf` takes about 25 ns a call (it goes through `expm1f`), which made
//! the sine hands-on spend 85 % of its time in tanh. Here tanh is a rational
//! function x·P(x²)/Q(x²) of degrees 13/6, the approximation Eigen and XLA use:
//! branch-free, so the compiler vectorises loops over it, and within a few f32
//! ulps of the true value (the property test in `tests/properties.rs` measures it
//! against f64). [`crate::tanh()`] stays the one-line definition to read.

/// tanh(x) by a rational approximation, accurate to a few ulps in f32.
#[inline]
pub fn tanh(x: f32) -> f32 {
    tanh_rational::<false>(x)
}

/// [`tanh`] with fused multiply-adds, for loops compiled with
/// `#[target_feature(enable = "fma")]`; elsewhere `mul_add` is a slow libm call.
#[inline(always)]
pub fn tanh_fma(x: f32) -> f32 {
    tanh_rational::<true>(x)
}

/// The rational approximation; with `FUSED` the polynomials use fused
/// multiply-adds (one rounding instead of two), which only pays on CPUs with FMA.
#[inline(always)]
fn tanh_rational<const FUSED: bool>(x: f32) -> f32 {
    let madd =
        |a: f32, b: f32, c: f32| if FUSED { a.mul_add(b, c) } else { a * b + c };
    // Beyond ±7.905, tanh(x) rounds to ±1 in f32.
    const CLAMP: f32 = 7.905_311;
    // For |x| < 4e-4, tanh(x) = x − x³/3 + … equals x to f32 precision.
    const TINY: f32 = 0.0004;
    const A1: f32 = 4.893_524_6e-3;
    const A3: f32 = 6.372_619_3e-4;
    const A5: f32 = 1.485_722_4e-5;
    const A7: f32 = 5.122_297e-8;
    const A9: f32 = -8.604_672e-11;
    const A11: f32 = 2.000_188e-13;
    const A13: f32 = -2.760_768_5e-16;
    const B0: f32 = 4.893_525e-3;
    const B2: f32 = 2.268_434_6e-3;
    const B4: f32 = 1.185_347_1e-4;
    const B6: f32 = 1.198_258_4e-6;
    let c = x.clamp(-CLAMP, CLAMP);
    let x2 = c * c;
    // Horner's rule: P(x²) = A1 + x²(A3 + x²(A5 + …)), Q(x²) likewise.
    let p = [A11, A9, A7, A5, A3, A1]
        .iter()
        .fold(A13, |acc, &a| madd(acc, x2, a));
    let q = [B4, B2, B0].iter().fold(B6, |acc, &b| madd(acc, x2, b));
    let p = c * p;
    if x.abs() < TINY {
        x
    } else {
        p / q
    }
}

/// tanh′(x) = 1 − tanh²(x), through the fast [`tanh`].
#[inline]
pub fn tanh_derivative(x: f32) -> f32 {
    let t = tanh(x);
    1.0 - t * t
}

/// Replaces every value by its tanh.
///
/// On x86-64 CPUs with AVX2 and FMA (checked at run time) the loop is compiled
/// for 8-wide vectors with fused multiply-adds instead of SSE's 4 lanes; the two
/// differ in the last bit at most (both are within the accuracy above). The
/// choice depends on the CPU only, so a run is deterministic on a machine.
pub fn tanh_in_place(values: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma")
    {
        // SAFETY: the CPU supports AVX2 and FMA, checked just above.
        unsafe { tanh_in_place_avx2(values) };
        return;
    }
    values.iter_mut().for_each(|v| *v = tanh(*v));
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn tanh_in_place_avx2(values: &mut [f32]) {
    values.iter_mut().for_each(|v| *v = tanh_fma(*v));
}
