//! Graders for `exercises/mlp/`.

use crate::cases::{f64s, fail_with_hint, matrix, same_shape, M};
use crate::messages::{fill, tr, Msg};
use crate::{check, compare, Exercise, Section, TestCaseError};
use activations::Activation;
use backprop::{ActivationLayer, Dense};
use mlp::{Layer, Mlp};
use nalgebra::{DMatrix, RowDVector};
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::SeedableRng;

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
}

/// Layer sizes, a batch for them, and random weights.
fn network_case() -> impl Strategy<Value = (Vec<usize>, M, Vec<(M, M)>)> {
    (proptest::collection::vec(1usize..5, 2..5), 1usize..4).prop_flat_map(
        |(sizes, n)| {
            let layers: Vec<_> = sizes
                .windows(2)
                .map(|p| (matrix(p[0], p[1], -1.5..1.5), matrix(1, p[1], -1.0..1.0)))
                .collect();
            (Just(sizes.clone()), matrix(n, sizes[0], -2.0..2.0), layers)
        },
    )
}

fn unpack(layers: &[(M, M)]) -> Weights {
    layers
        .iter()
        .map(|(w, b)| {
            (
                w.0.clone(),
                RowVector::from_iterator(b.0.len(), b.0.iter().copied()),
            )
        })
        .collect()
}

/// The reference network with these weights.
fn reference(weights: &[(Matrix, RowVector)], hidden: Activation) -> Mlp {
    let mut layers = Vec::new();
    for (i, (w, b)) in weights.iter().enumerate() {
        if i > 0 {
            layers.push(Layer::Activation(ActivationLayer(hidden)));
        }
        layers.push(Layer::Dense(Dense::new(w.clone(), b.clone())));
    }
    Mlp { layers }
}

fn activation() -> impl Strategy<Value = Activation> {
    prop_oneof![
        Just(Activation::Tanh),
        Just(Activation::Relu),
        Just(Activation::Sigmoid)
    ]
}

fn check_init(
    init: fn(&[usize], &mut StdRng) -> Weights,
) -> Result<(), TestCaseError> {
    let sizes = [300, 200, 3];
    let weights = init(&sizes, &mut StdRng::seed_from_u64(0));
    if weights.len() != 2 {
        let count = fill(
            tr(Msg::LayerCount),
            &[("sizes", &format!("{sizes:?}")), ("count", &weights.len())],
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
    // 60 600 draws from N(0, 1): the sample mean is within ±0.02 and the variance
    // within ±0.03 of 1 with overwhelming probability (5 standard errors).
    let all: Vec<f64> = weights.iter().flat_map(|(w, _)| f64s(w)).collect();
    let mean = all.iter().sum::<f64>() / all.len() as f64;
    let var =
        all.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / all.len() as f64;
    if mean.abs() > 0.02 || (var - 1.0).abs() > 0.03 {
        let stats = fill(
            tr(Msg::WeightStats),
            &[
                ("mean", &format!("{mean:.4}")),
                ("variance", &format!("{var:.4}")),
            ],
        );
        return Err(fail_with_hint(&stats, tr(Msg::HintStandardNormal)));
    }
    let again = init(&sizes, &mut StdRng::seed_from_u64(0));
    let other = init(&sizes, &mut StdRng::seed_from_u64(1));
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
    Section {
        name: "mlp",
        exercises: vec![
            Exercise::new("course_init", "mlp/init.rs", move || {
                check(1, Just(()), move |()| check_init(a.course_init))
            }),
            Exercise::new("mlp_forward", "mlp/forward.rs", move || {
                check(
                    128,
                    (network_case(), activation()),
                    move |((_, x, layers), g)| {
                        let weights = unpack(&layers);
                        let expected = reference(&weights, g).forward(&x.0);
                        let actual = (a.mlp_forward)(&x.0, &weights, g);
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
            }),
            Exercise::new("collapse_linear", "mlp/collapse.rs", move || {
                check(128, network_case(), move |(_, x, layers)| {
                    let weights = unpack(&layers);
                    let net = reference(&weights, Activation::Identity);
                    let (w, b) = (a.collapse_linear)(&weights);
                    let d = net.collapse().expect("an identity network collapses");
                    same_shape(
                        "W′",
                        d.weight.shape(),
                        w.shape(),
                        tr(Msg::HintCollapsedWShape),
                    )?;
                    same_shape(
                        "b′",
                        d.bias.shape(),
                        b.shape(),
                        tr(Msg::HintCollapsedBShape),
                    )?;
                    // Outputs, not parameters, are what must agree.
                    let mut z = &x.0 * &w;
                    for mut r in z.row_iter_mut() {
                        r += &b;
                    }
                    compare(
                        tr(Msg::CollapsedAgainstNetwork),
                        &f64s(&net.forward(&x.0)),
                        &f64s(&z),
                        1e-3,
                        tr(Msg::HintCollapse),
                    )
                })
            }),
        ],
    }
}
