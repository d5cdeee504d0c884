//! Graders for `exercises/mlp/`.

use crate::cases::{
    calls, f64s, fail_with_hint, labelled, matrix, row, same_shape, Call, Show,
};
use crate::messages::{fill, tr, Msg};
use crate::{
    call, check, check_each, compare, Exercise, Section, Source, TestCaseError,
};
use activations::Activation;
use backprop::{ActivationLayer, Dense};
use mlp::{Layer, Mlp};
use nalgebra::{DMatrix, RowDVector};
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::collections::HashSet;

type Matrix = DMatrix<f32>;
type RowVector = RowDVector<f32>;
/// A network as the exercises see it: (W, b) per dense layer.
pub type Weights = Vec<(Matrix, RowVector)>;
/// A borrowed network: (W, b) per dense layer.
pub type Layers = [(Matrix, RowVector)];

/// The student's MLP functions.
#[derive(Clone, Copy)]
pub struct Answers {
    /// The course's initialisation: W ~ N(0, 1) (in × out), b = 0.
    pub course_init: fn(&[usize], &mut StdRng) -> Weights,
    /// ŷ for a batch: `hidden` after every layer but the last.
    pub mlp_forward: fn(&Matrix, &Layers, Activation) -> Matrix,
    /// The one (W′, b′) equal to a stack of linear layers.
    pub collapse_linear: fn(&Layers) -> (Matrix, RowVector),
    /// Where this copy's files are, for the library-call scan.
    pub source: Source,
}

/// A batch and random weights for layer sizes of two to four layers.
fn network_case() -> impl Strategy<Value = (Matrix, Weights)> {
    (proptest::collection::vec(1usize..5, 2..5), 1usize..4).prop_flat_map(
        |(sizes, n)| {
            let layers: Vec<_> = sizes
                .windows(2)
                .map(|p| (matrix(p[0], p[1], -1.5..1.5), row(p[1], -1.0..1.0)))
                .collect();
            (matrix(n, sizes[0], -2.0..2.0), layers)
        },
    )
}

/// The layers as `[k].W` and `[k].b` lines.
fn show_layers(layers: &Layers) -> String {
    let names: Vec<(String, String)> = (0..layers.len())
        .map(|k| (format!("[{k}].W"), format!("[{k}].b")))
        .collect();
    let mut args: Vec<(&str, &dyn Show)> = Vec::new();
    for ((w_name, b_name), (w, b)) in names.iter().zip(layers) {
        args.push((w_name, w));
        args.push((b_name, b));
    }
    labelled(&args)
}

/// The reference network with these weights.
fn reference(weights: &Layers, hidden: Activation) -> Mlp {
    let mut layers = Vec::new();
    for (i, (w, b)) in weights.iter().enumerate() {
        if i > 0 {
            layers.push(Layer::Activation(ActivationLayer(hidden)));
        }
        layers.push(Layer::Dense(Dense::new(w.clone(), b.clone())));
    }
    Mlp { layers }
}

/// Every activation the contract allows, the odd ones included.
fn activation() -> impl Strategy<Value = Activation> {
    prop_oneof![
        Just(Activation::Tanh),
        Just(Activation::Relu),
        Just(Activation::Sigmoid),
        Just(Activation::Identity),
        Just(Activation::Step),
        Just(Activation::Sine { omega_0: 2.0 }),
    ]
}

/// course_init's arguments: the sizes and the seed of the rng.
type InitCase = (Vec<usize>, u64);

fn check_init(
    init: fn(&[usize], &mut StdRng) -> Weights,
    (sizes, seed): &InitCase,
) -> Result<(), TestCaseError> {
    let weights = call(tr(Msg::HintWShape), || {
        init(sizes, &mut StdRng::seed_from_u64(*seed))
    })?;
    if weights.len() != sizes.len() - 1 {
        let count = fill(
            tr(Msg::LayerCount),
            &[
                ("sizes", &format!("{sizes:?}")),
                ("expected", &(sizes.len() - 1)),
                ("count", &weights.len()),
            ],
        );
        return Err(fail_with_hint(&count, tr(Msg::HintOneLayerPerPair)));
    }
    for (k, (w, b)) in weights.iter().enumerate() {
        let (i, o) = (sizes[k], sizes[k + 1]);
        same_shape(
            &format!("W{}", k + 1),
            (i, o),
            w.shape(),
            tr(Msg::HintWShape),
        )?;
        same_shape(
            &format!("b{}", k + 1),
            (1, o),
            b.shape(),
            tr(Msg::HintBShape),
        )?;
        if b.iter().any(|&v| v != 0.0) {
            let name = format!("b{}", k + 1);
            let not_zero = fill(tr(Msg::BiasNotZero), &[("name", &name)]);
            return Err(fail_with_hint(&not_zero, tr(Msg::HintBiasesZero)));
        }
    }
    // Each layer on its own: n draws from N(0, 1) have a sample mean within
    // 5/√n of 0 and a variance within 5·√(2/n) of 1 (5 standard errors).
    // Layers too small to tell are left to the checks below.
    for (k, (w, _)) in weights.iter().enumerate() {
        let all = f64s(w);
        let n = all.len() as f64;
        if all.len() < 500 {
            continue;
        }
        let mean = all.iter().sum::<f64>() / n;
        let var = all.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
        if mean.abs() > 5.0 / n.sqrt() || (var - 1.0).abs() > 5.0 * (2.0 / n).sqrt()
        {
            let stats = fill(
                tr(Msg::WeightStats),
                &[
                    ("name", &format!("W{}", k + 1)),
                    ("mean", &format!("{mean:.4}")),
                    ("variance", &format!("{var:.4}")),
                ],
            );
            return Err(fail_with_hint(&stats, tr(Msg::HintStandardNormal)));
        }
    }
    // Draws from one generator do not repeat: a layer whose values are those of
    // an earlier one came from a copy of the rng (or a new one seeded alike).
    let mut seen: HashSet<u32> = HashSet::new();
    for (k, (w, _)) in weights.iter().enumerate() {
        let repeated = w.iter().filter(|v| seen.contains(&v.to_bits())).count();
        if k > 0 && w.len() >= 4 && repeated * 2 > w.len() {
            let repeats = fill(
                tr(Msg::RepeatedDraws),
                &[("later", &format!("W{}", k + 1)), ("count", &repeated)],
            );
            return Err(fail_with_hint(&repeats, tr(Msg::HintOneRng)));
        }
        seen.extend(w.iter().map(|v| v.to_bits()));
    }
    let again = init(sizes, &mut StdRng::seed_from_u64(*seed));
    let other = init(sizes, &mut StdRng::seed_from_u64(seed + 1));
    if again != weights || other == weights {
        return Err(fail_with_hint(
            tr(Msg::SeedDeterminism),
            tr(Msg::HintUseRng),
        ));
    }
    Ok(())
}

/// The section's exercises.
pub fn exercises(a: Answers) -> Section {
    let s = a.source;
    let library = &[
        "mlp::Mlp",
        "mlp::Layer",
        "backprop::Dense",
        "backprop::ActivationLayer",
    ];
    Section {
        name: "mlp",
        exercises: vec![
            Exercise::new("course_init", "mlp/init.rs", move || {
                let show = |c: &InitCase| {
                    let rng = format!("StdRng::seed_from_u64({})", c.1);
                    labelled(&[("sizes", &c.0), ("rng", &rng)])
                };
                let cases = vec![
                    Call::new((vec![300usize, 200, 3], 0u64), show),
                    Call::new((vec![2usize, 5, 4, 1], 3u64), show),
                ];
                check_each(cases, move |case| check_init(a.course_init, &case.args))
            })
            .forbid_library(s, &["mlp::Init", "mlp::Mlp"]),
            Exercise::new("mlp_forward", "mlp/forward.rs", move || {
                let show = |c: &((Matrix, Weights), Activation)| {
                    let layers = show_layers(&c.0 .1);
                    labelled(&[
                        ("x", &c.0 .0),
                        ("layers", &layers),
                        ("hidden", &c.1),
                    ])
                };
                check(
                    192,
                    calls((network_case(), activation()), show),
                    move |case| {
                        let ((x, weights), g) = case.args;
                        let expected = reference(&weights, g).forward(&x);
                        let shapes = tr(Msg::HintMlpShapes);
                        let actual =
                            call(shapes, || (a.mlp_forward)(&x, &weights, g))?;
                        same_shape(
                            "ŷ",
                            expected.shape(),
                            actual.shape(),
                            tr(Msg::HintMlpOutputShape),
                        )?;
                        compare(
                            "ŷ",
                            &f64s(&expected),
                            &f64s(&actual),
                            1e-4,
                            tr(Msg::HintMlpForward),
                        )
                    },
                )
            })
            .forbid_library(s, library),
            Exercise::new("collapse_linear", "mlp/collapse.rs", move || {
                let show = |c: &(Matrix, Weights)| {
                    labelled(&[("layers", &show_layers(&c.1))])
                };
                check(128, calls(network_case(), show), move |case| {
                    let (x, weights) = case.args;
                    let net = reference(&weights, Activation::Identity);
                    let shapes = tr(Msg::HintCollapsedWShape);
                    let (w, b) = call(shapes, || (a.collapse_linear)(&weights))?;
                    let d = net.collapse().expect("an identity network collapses");
                    same_shape("W′", d.weight.shape(), w.shape(), shapes)?;
                    same_shape(
                        "b′",
                        d.bias.shape(),
                        b.shape(),
                        tr(Msg::HintCollapsedBShape),
                    )?;
                    // Outputs, not parameters, are what must agree.
                    let mut z = &x * &w;
                    for mut r in z.row_iter_mut() {
                        r += &b;
                    }
                    compare(
                        tr(Msg::CollapsedAgainstNetwork),
                        &f64s(&net.forward(&x)),
                        &f64s(&z),
                        1e-3,
                        tr(Msg::HintCollapse),
                    )
                })
            })
            .forbid_library(s, library),
        ],
    }
}
