//! Every derivative against a central difference computed in f64.

use activations::Activation;
use proptest::prelude::*;

/// The f64 twin of each activation, so the numerical derivative is not limited by
/// f32 rounding.
fn g64(a: Activation, x: f64) -> f64 {
    match a {
        Activation::Identity => x,
        Activation::Step => f64::from(u8::from(x > 0.0)),
        Activation::Sigmoid => 1.0 / (1.0 + (-x).exp()),
        Activation::Tanh => x.tanh(),
        Activation::Relu => x.max(0.0),
        Activation::Sine { omega_0 } => (f64::from(omega_0) * x).sin(),
    }
}

fn smooth() -> impl Strategy<Value = Activation> {
    prop_oneof![
        Just(Activation::Identity),
        Just(Activation::Sigmoid),
        Just(Activation::Tanh),
        Just(Activation::Relu),
        (0.5f32..30.0).prop_map(|omega_0| Activation::Sine { omega_0 }),
    ]
}

proptest! {
    /// |analytic − numeric| / max(1e-8, |analytic| + |numeric|) < 1e-3, away from
    /// ReLU's kink. The tolerance covers f32 rounding of the analytic value
    /// (≈ 1e-7 relative) and the O(h²) truncation of a step h = 1e-5 times ω₀².
    /// Where the derivative is tiny (tanh and sigmoid saturating), 1 − t² and
    /// s(1 − s) cancel in f32 with an absolute error near 1e-7, so an absolute
    /// difference below 1e-6 also passes. For sin(ω₀x) the f32 product ω₀x itself
    /// is off by up to ε·|ω₀x| (ε = 2⁻²³), which moves ω₀cos(ω₀x) by up to
    /// ω₀·ε·|ω₀x|: twice that is allowed on top (near a zero of the cosine the
    /// relative error is meaningless).
    #[test]
    fn derivative_matches_central_difference(a in smooth(), x in -6.0f32..6.0) {
        prop_assume!(a != Activation::Relu || x.abs() > 1e-3);
        let h = 1e-5;
        let x64 = f64::from(x);
        let numeric = (g64(a, x64 + h) - g64(a, x64 - h)) / (2.0 * h);
        let analytic = f64::from(a.derivative(x));
        let rel = (analytic - numeric).abs() / (analytic.abs() + numeric.abs()).max(1e-8);
        let phase = match a {
            Activation::Sine { omega_0 } => {
                let w = f64::from(omega_0);
                2.0 * f64::from(f32::EPSILON) * w * (w * x64).abs()
            }
            _ => 0.0,
        };
        let floor = 1e-6 + phase;
        prop_assert!(rel < 1e-3 || (analytic - numeric).abs() < floor, "{a:?} at {x}: analytic {analytic}, numeric {numeric}");
    }

    /// g(x) in f32 agrees with the f64 formula and is finite for any finite x.
    #[test]
    fn forward_is_finite_and_accurate(a in smooth(), x in -1e4f32..1e4) {
        let y = a.apply(x);
        prop_assert!(y.is_finite() && a.derivative(x).is_finite());
        let expected = g64(a, f64::from(x));
        // Sine at |ω₀x| up to 3e5 loses digits to the f32 argument itself.
        let tol = if matches!(a, Activation::Sine { .. }) { 1e-1 } else { 1e-5 };
        prop_assert!((f64::from(y) - expected).abs() <= tol * expected.abs().max(1.0));
    }
}

#[test]
fn parses_names_and_rejects_unknown_ones() {
    assert_eq!("relu".parse::<Activation>(), Ok(Activation::Relu));
    assert_eq!(
        "sine:2".parse::<Activation>(),
        Ok(Activation::Sine { omega_0: 2.0 })
    );
    let err = "rleu".parse::<Activation>().unwrap_err();
    assert!(err.contains("unknown activation \"rleu\""), "{err}");
    // ω₀ is a frequency: NaN, zero, negative and infinite ones are refused.
    for bad in ["sine:NaN", "sine:0", "sine:-3", "sine:inf"] {
        let err = bad.parse::<Activation>().unwrap_err();
        assert!(err.contains("a positive number"), "{bad}: {err}");
    }
}

proptest! {
    /// The fast tanh is within 4 f32 ulps (relative 5e-7) of the true value, or
    /// within 1e-9 absolutely near zero.
    #[test]
    fn fast_tanh_matches_f64(x in prop_oneof![-10.0f32..10.0, -1e-3f32..1e-3, -1e4f32..1e4]) {
        let exact = f64::from(x).tanh();
        let fast = f64::from(activations::fast::tanh(x));
        prop_assert!((fast - exact).abs() <= 5e-7 * exact.abs() + 1e-9,
            "tanh({x}): fast {fast}, exact {exact}");
        // The vector path (AVX2 + FMA where present) meets the same bound.
        let mut v = [x; 11];
        activations::fast::tanh_in_place(&mut v);
        let vector = f64::from(v[10]);
        prop_assert!((vector - exact).abs() <= 5e-7 * exact.abs() + 1e-9,
            "tanh_in_place({x}): {vector}, exact {exact}");
    }
}
