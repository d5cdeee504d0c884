//! Everything the grader prints, in every [`Lang`]uage.
//!
//! [`Msg`] names each message; `en.rs` and `es.rs` each hold one `match` over
//! every variant, with no wildcard arm, so the compiler proves that each message
//! exists in both languages. Messages with values name them with placeholders
//! (`{what}`, `{i}`, `{expected}`…), filled in by [`fill`].

use crate::lang::{language, Lang};
use std::fmt::Display;

mod en;
mod es;

/// Declares [`Msg`], one variant per message with its doc line, and
/// [`Msg::ALL`], every variant in order.
macro_rules! messages {
    ($( $(#[$doc:meta])+ $name:ident, )+) => {
        /// A message the grader prints; [`tr`] gives its text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Msg {
            $( $(#[$doc])+ $name, )+
        }

        impl Msg {
            /// Every message, in the order they are declared.
            pub const ALL: &[Msg] = &[$( Msg::$name, )+];
        }
    };
}

messages! {
    // The report of `cargo test -p <crate>`.
    /// The verdict of an exercise whose every case passed.
    VerdictPassed,
    /// The verdict of an exercise with a failing case.
    VerdictWrong,
    /// The verdict of an exercise that is still `todo!()`.
    VerdictNotStarted,
    /// `GRADE_EXPECT` holds a value the grader does not know: `{value}`.
    GradeExpectUnknown,
    /// The report's first line: `{section}` and its `{count}` of exercises.
    Grading,
    /// The counts of each verdict and the time taken, in `{seconds}`.
    Summary,
    /// Every exercise of `{section}` passed.
    SectionDone,
    /// The exercise to do next: its `{file}` and `{exercise}` name, and the
    /// command that grades `{section}`.
    Next,
    /// Where the solved copy of `{file}` is.
    Stuck,
    /// The maintainers' run found every stub of `{section}` untouched.
    ExpectNotStartedOk,
    /// The maintainers' run found solved stubs in `{section}`.
    ExpectNotStartedFailed,

    // The progress table.
    /// The header of the section column.
    ProgressSection,
    /// The header of the exercise column.
    ProgressExercise,
    /// The header of the status column.
    ProgressStatus,
    /// The header of the command column.
    ProgressGradeWith,
    /// The status of a passed exercise.
    ProgressDone,
    /// The table's last line: `{done}` of `{total}` exercises.
    ProgressTotal,

    // Failure reports (check, compare, shapes).
    /// The shrunk `{input}` of a failing case.
    MinimalFailingInput,
    /// The first failing `{input}`, shown unshrunk because its shrunk form
    /// changes what the mistake looks like.
    FirstFailingInput,
    /// A failing `{input}` among cases chosen by hand (never shrunk).
    ChosenFailingInput,
    /// The line that stands for a tensor's elided planes, `{count}` in all.
    MorePlanes,
    /// The student's code panicked with `{message}`.
    Panicked,
    /// Hint for `attempt to subtract with overflow`.
    HintSubtractOverflow,
    /// Hint for another arithmetic overflow.
    HintOverflow,
    /// Hint for an index out of bounds.
    HintIndexOutOfBounds,
    /// Hint for `unwrap()` on a `None`.
    HintUnwrapNone,
    /// Hint for a division by zero.
    HintDivideByZero,
    /// Hint for a shape mismatch panic (followed by the exercise's own shapes).
    HintShapePanic,
    /// Hint for any other panic.
    HintPanicked,
    /// `{exercise}` uses the library's answer `{item}`, on `{line}`.
    LibraryCall,
    /// Hint for a library call that answers the exercise.
    HintLibraryCall,
    /// `{field}` was changed by a function that must leave it as it was.
    FieldChanged,
    /// The hint line of a failure report: `{hint}`.
    Hint,
    /// `{what}` has `{actual}` values instead of `{expected}`.
    LengthMismatch,
    /// The hint for a result of the wrong length.
    HintCheckShape,
    /// The first bad element `{i}` of `{what}`: `{expected}` and `{actual}`.
    ElementMismatch,
    /// The expected `{values}`, indented.
    ExpectedValues,
    /// The actual `{values}`, indented as [`Msg::ExpectedValues`].
    ActualValues,
    /// The tail of a long list of `{count}` values.
    MoreValues,
    /// The line that gives a `{diagnosis}` of the pattern of the mistake.
    LooksLike,
    /// Diagnosis: NaN or infinity in the result.
    DiagnosisNotFinite,
    /// Diagnosis: the result is all zeros.
    DiagnosisAllZeros,
    /// Diagnosis: the result is the expected one negated.
    DiagnosisSignFlipped,
    /// Diagnosis: the result is the expected one scaled by `{factor}`.
    DiagnosisScale,
    /// `{what}` has shape `{actual}` instead of `{expected}`.
    ShapeMismatch,

    // activations
    /// The label of a value at one input: `{x}`.
    AtX,
    /// Hint for `sigmoid`.
    HintSigmoid,
    /// Hint for a sigmoid that computed σ(−x).
    HintSigmoidMirrored,
    /// Hint for `sigmoid_derivative`.
    HintSigmoidDerivative,
    /// Hint for `tanh_derivative`.
    HintTanhDerivative,
    /// Hint for `relu`.
    HintRelu,
    /// Hint for `relu_derivative`.
    HintReluDerivative,

    // losses
    /// The label of a loss value.
    Loss,
    /// The label of a gradient's shape.
    TheGradient,
    /// Hint for a shape panic in a loss (its two arguments' shapes).
    HintSameShapes,
    /// Hint for the shape of a loss gradient.
    HintPredictionShape,
    /// Hint for the shape of the softmax cross-entropy gradient.
    HintOneRowPerExample,
    /// Hint for `softmax_cross_entropy_gradient`.
    HintCeGradient,
    /// Hint for `softmax_cross_entropy`.
    HintCeLoss,
    /// Hint for `mse_loss`.
    HintMse,
    /// Hint for `mse_loss_derivative`.
    HintMseDerivative,
    /// Hint for `binary_cross_entropy`.
    HintBce,
    /// Hint for `binary_cross_entropy_gradient`.
    HintBceGradient,

    // perceptron
    /// Hint for the shape of `linear_forward`'s result.
    HintLinearShape,
    /// Hint for `linear_forward`.
    HintLinearForward,
    /// Hint for `rosenblatt_update`.
    HintRosenblatt,
    /// Hint for a perceptron whose step gives 1 at w·x + b = 0.
    HintStepAtZero,
    /// The label of a perceptron's weights.
    Weights,
    /// The label of a perceptron's bias.
    Bias,
    /// A returned bool, `{actual}`, instead of `{expected}`.
    ReturnedBool,
    /// Hint for `rosenblatt_update`'s return value.
    HintReturnWhetherWrong,

    // mlp
    /// `{sizes}` give `{count}` layers instead of `{expected}`.
    LayerCount,
    /// Hint for the number of layers.
    HintOneLayerPerPair,
    /// Hint for the shape of an initial W.
    HintWShape,
    /// Hint for the shape of an initial b.
    HintBShape,
    /// The bias `{name}` does not start at zero.
    BiasNotZero,
    /// Hint for a bias that does not start at zero.
    HintBiasesZero,
    /// The initial weights `{name}` have a `{mean}` and `{variance}` that are off.
    WeightStats,
    /// Hint for the initial weights' distribution.
    HintStandardNormal,
    /// The layer `{later}` repeats `{count}` values of earlier layers.
    RepeatedDraws,
    /// Hint for layers drawn from copies of the rng.
    HintOneRng,
    /// The initial weights do not follow the seed.
    SeedDeterminism,
    /// Hint for weights that do not follow the seed.
    HintUseRng,
    /// Hint for a shape panic in `mlp_forward`.
    HintMlpShapes,
    /// Hint for the shape of `mlp_forward`'s result.
    HintMlpOutputShape,
    /// Hint for `mlp_forward`.
    HintMlpForward,
    /// Hint for the shape of the collapsed W′.
    HintCollapsedWShape,
    /// Hint for the shape of the collapsed b′.
    HintCollapsedBShape,
    /// The label of the collapsed layer's outputs.
    CollapsedAgainstNetwork,
    /// Hint for `collapse_linear`.
    HintCollapse,

    // backprop
    /// Hint for a shape panic in `dense_backward`.
    HintDenseShapes,
    /// Hint for a shape panic in `two_layer_backward`.
    HintTwoLayerShapes,
    /// Hint for the shape of `grad_input`.
    HintGradInputShape,
    /// Hint for the shape of `grad_weight`.
    HintGradWeightShape,
    /// Hint for the shape of `grad_bias`.
    HintGradBiasShape,
    /// Hint for `grad_input`.
    HintGradInput,
    /// Hint for `grad_weight`.
    HintGradWeight,
    /// Hint for `grad_bias`.
    HintGradBias,
    /// Hint for the shape of `d_w1`.
    HintDW1Shape,
    /// Hint for the shape of `d_b1`.
    HintDB1Shape,
    /// Hint for the shape of `d_w2`.
    HintDW2Shape,
    /// Hint for the shape of `d_b2`.
    HintDB2Shape,
    /// Hint for `d_w2`.
    HintDW2,
    /// Hint for `d_b2`.
    HintDB2,
    /// Hint for `d_w1`.
    HintDW1,
    /// Hint for `d_b1`.
    HintDB1,

    // sgd
    /// The label of `{what}` after the student's optimizer step.
    AfterTheStep,
    /// Hint for `sgd_step`.
    HintSgd,
    /// Hint for `momentum_step`.
    HintMomentum,
    /// Hint for Adam's first moment.
    HintAdamM,
    /// Hint for Adam's second moment.
    HintAdamV,
    /// Hint for Adam's parameter update.
    HintAdamTheta,
    /// Hint for an Adam step that used PyTorch's default β₁, β₂, ε.
    HintAdamDefaults,
    /// The trained network's output has `{shape}` instead of (200, 1).
    FitSineShape,
    /// Hint for the trained network's layer sizes.
    HintFitSineSizes,
    /// The trained network's `{mse}` misses the `{target}`.
    FitSineMse,
    /// Hint for `fit_sine`.
    HintFitSine,

    // conv
    /// Hint for a shape panic in a convolution.
    HintConvShapes,
    /// Hint for the shape of `conv2d_forward`'s result.
    HintConvOutputSide,
    /// Hint for `conv2d_forward`.
    HintConvForward,
    /// The label of the gradient with respect to the input.
    GradInput,
    /// The label of the gradient with respect to the weight.
    GradWeight,
    /// The label of the gradient with respect to the bias.
    GradBias,
    /// The label of a pooling output.
    Output,
    /// Hint for the shape of an input gradient.
    HintInputShape,
    /// Hint for the shape of a weight gradient.
    HintWeightShape,
    /// Hint for the convolution's input gradient.
    HintConvGradInput,
    /// Hint for the convolution's weight gradient.
    HintConvGradWeight,
    /// Hint for the convolution's bias gradient.
    HintConvGradBias,
    /// Hint for the shape of `max_pool_forward`'s output.
    HintPoolOutputSide,
    /// Hint for `max_pool_forward`'s output.
    HintPoolForward,
    /// The argmax is `{actual}` instead of `{expected}`.
    Argmax,
    /// Hint for `max_pool_forward`'s argmax.
    HintArgmax,
    /// Hint for `max_pool_backward`.
    HintPoolBackward,

    // cnn
    /// Hint for the shapes of batch norm.
    HintBatchNormShape,
    /// Hint for batch norm's output.
    HintBatchNormForward,
    /// Hint for batch norm's running averages.
    HintBatchNormRunning,
    /// Hint for a batch norm that changed what it must leave.
    HintBatchNormLeave,
    /// Hint for batch norm's input gradient.
    HintBatchNormBackward,
    /// Hint for ∂L/∂γ.
    HintBatchNormGamma,
    /// Hint for ∂L/∂β.
    HintBatchNormBeta,
    /// Hint for gradients overwritten instead of accumulated.
    HintAccumulate,
    /// The tiny model the graders evaluate.
    TinyModel,
    /// The tiny model, with gradients left from an earlier backward pass.
    TinyModelStale,
    /// `{count}` images of `{shape}`.
    SomeImages,
    /// Hint for a shape panic around the logits.
    HintLogitsShape,
    /// `evaluate` changed the model.
    EvaluateChangedModel,
    /// Hint for evaluation in evaluation mode.
    HintEvalMode,
    /// The label of an accuracy.
    Accuracy,
    /// The label of a mean loss over a test set.
    MeanLoss,
    /// Hint for `evaluate`'s accuracy.
    HintEvaluateAccuracy,
    /// Hint for `evaluate`'s loss.
    HintEvaluateLoss,
    /// The label of the tensor `{what}` after an epoch.
    AfterTheEpoch,
    /// The label of an epoch's average loss.
    AverageLoss,
    /// Hint for the order of a training step.
    HintTrainOrder,
    /// Hint for the average loss of an epoch.
    HintTrainEpochLoss,
    /// Hint for the course's CIFAR-10 model.
    HintConvolutionalModel,
    /// The model has `{actual}` parameters, not `{expected}`.
    ParameterCount,
    /// The model has `{actual}` layers, not `{expected}`.
    ModelLayerCount,
    /// Layer `{k}` is `{actual}`, not `{expected}`.
    LayerDiffers,
    /// Hint for a model whose layers are right and whose weights are not.
    HintModelRng,
}

/// The text of `m` in the current [`language`].
pub fn tr(m: Msg) -> &'static str {
    tr_in(language(), m)
}

/// The text of `m` in `lang`.
pub fn tr_in(lang: Lang, m: Msg) -> &'static str {
    match lang {
        Lang::En => en::text(m),
        Lang::Es => es::text(m),
    }
}

/// `template` with each `{name}` placeholder replaced by its value in `values`.
///
/// One pass: a value is inserted as it is, never searched for placeholders.
/// Braces that do not enclose a placeholder name (letters, digits, `_`) stay as
/// they are, and so does a placeholder with no value (a bug, caught in debug).
pub fn fill(template: &str, values: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out += &rest[..start];
        let after = &rest[start + 1..];
        match placeholder(after) {
            Some(name) => {
                match values.iter().find(|(key, _)| *key == name) {
                    Some((_, value)) => out += &value.to_string(),
                    None => {
                        debug_assert!(
                            false,
                            "no value for {{{name}}} in {template:?}"
                        );
                        out += &rest[start..start + name.len() + 2];
                    }
                }
                rest = &after[name.len() + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out + rest
}

/// The placeholder name at the start of `s` (just after a `{`), if `s` starts
/// with `name}`.
fn placeholder(s: &str) -> Option<&str> {
    let end = s.find('}')?;
    let name = &s[..end];
    let valid = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then_some(name)
}

/// The placeholder names of `template`, in order.
#[cfg(test)]
fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        rest = &rest[start + 1..];
        if let Some(name) = placeholder(rest) {
            names.push(name);
            rest = &rest[name.len() + 1..];
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeSet, HashSet};

    /// English words that give away an untranslated Spanish message.
    const ENGLISH: &[&str] = &[
        "the", "and", "of", "is", "not", "your", "with", "for", "each", "every",
        "over", "sum", "sums", "summed", "rows", "row", "shape", "expected", "got",
        "wrong", "passed", "hint", "next", "started", "minimal", "failing", "input",
        "output", "looks", "like", "weights", "weight", "bias", "loss", "gradient",
        "element", "section", "exercise", "status", "done", "at", "after", "has",
        "are", "must", "then", "first", "one", "to", "in", "grade", "stuck",
        "values", "mean", "returned", "result",
    ];

    /// Words of `text` outside its placeholders: runs of letters, digits, `_`
    /// and `-` (code such as `grad_output` and `not-started` stays one word).
    fn words(text: &str) -> Vec<String> {
        let names = placeholders(text);
        let blanks: Vec<(&str, &dyn Display)> =
            names.iter().map(|n| (*n, &" " as &dyn Display)).collect();
        fill(text, &blanks)
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    }

    #[test]
    fn every_message_exists_in_both_languages() {
        let distinct: HashSet<Msg> = Msg::ALL.iter().copied().collect();
        assert_eq!(distinct.len(), Msg::ALL.len());
        for &m in Msg::ALL {
            for lang in [Lang::En, Lang::Es] {
                assert!(!tr_in(lang, m).trim().is_empty(), "{m:?} in {lang:?}");
            }
        }
    }

    #[test]
    fn placeholders_agree() {
        for &m in Msg::ALL {
            let en: BTreeSet<_> =
                placeholders(tr_in(Lang::En, m)).into_iter().collect();
            let es: BTreeSet<_> =
                placeholders(tr_in(Lang::Es, m)).into_iter().collect();
            assert_eq!(en, es, "{m:?}");
        }
    }

    #[test]
    fn fill_replaces_every_placeholder() {
        for &m in Msg::ALL {
            for lang in [Lang::En, Lang::Es] {
                let template = tr_in(lang, m);
                let names = placeholders(template);
                let values: Vec<String> =
                    names.iter().map(|n| format!("<{n}>")).collect();
                let args: Vec<(&str, &dyn Display)> = names
                    .iter()
                    .zip(&values)
                    .map(|(n, v)| (*n, v as &dyn Display))
                    .collect();
                let filled = fill(template, &args);
                assert!(
                    placeholders(&filled).is_empty(),
                    "{m:?} {lang:?}: {filled}"
                );
                for v in &values {
                    assert!(filled.contains(v.as_str()), "{m:?} {lang:?}: {filled}");
                }
            }
        }
    }

    #[test]
    fn fill_is_one_pass() {
        let filled = fill(
            "{what}: element {i}, {not a name} {}",
            &[("what", &"{i}"), ("i", &3)],
        );
        assert_eq!(filled, "{i}: element 3, {not a name} {}");
        assert_eq!(fill("no placeholders", &[]), "no placeholders");
        assert_eq!(fill("{a}{b}", &[("a", &1.5), ("b", &"x")]), "1.5x");
        assert_eq!(fill("{", &[]), "{");
    }

    #[test]
    fn spanish_has_no_english_words() {
        // The check would see an untranslated message.
        for m in [Msg::Summary, Msg::Hint, Msg::HintGradWeight, Msg::Loss] {
            let english = words(tr_in(Lang::En, m));
            assert!(
                english.iter().any(|w| ENGLISH.contains(&w.as_str())),
                "{m:?}"
            );
        }
        for &m in Msg::ALL {
            let (en, es) = (tr_in(Lang::En, m), tr_in(Lang::Es, m));
            let english: Vec<String> = words(es)
                .into_iter()
                .filter(|w| ENGLISH.contains(&w.as_str()))
                .collect();
            assert!(english.is_empty(), "{m:?}: {english:?} in {es:?}");
            if en == es {
                // Only formulas and code may read the same in both languages.
                let english = words(en);
                assert!(
                    english.iter().all(|w| !ENGLISH.contains(&w.as_str())),
                    "{m:?}: {en:?}"
                );
            }
            for phrase in ["not started", "minimal failing input", "looks like"] {
                assert!(!es.contains(phrase), "{m:?}: {es:?}");
            }
        }
    }

    #[test]
    fn english_keeps_its_labels() {
        assert_eq!(tr_in(Lang::En, Msg::VerdictNotStarted), "not started");
        assert_eq!(tr_in(Lang::Es, Msg::VerdictNotStarted), "sin empezar");
        assert_eq!(tr_in(Lang::Es, Msg::VerdictWrong), "incorrecto");
        assert_eq!(tr_in(Lang::Es, Msg::VerdictPassed), "aprobado");
    }
}
