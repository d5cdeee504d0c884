//! The grader's messages in English.

use super::Msg;

/// The English text of `m`.
pub(super) fn text(m: Msg) -> &'static str {
    match m {
        // The report.
        Msg::VerdictPassed => "passed",
        Msg::VerdictWrong => "wrong",
        Msg::VerdictNotStarted => "not started",
        Msg::GradeExpectUnknown => {
            "GRADE_EXPECT={value} is not understood: leave it unset to grade your \
             exercises, or set it to not-started to check the stubs are untouched"
        }
        Msg::Grading => "Grading exercises/{section}/ ({count} exercises)",
        Msg::Summary => {
            "{passed}/{total} passed, {wrong} wrong, {not_started} not started \
             ({seconds} s)."
        }
        Msg::SectionDone => "Section {section} done.",
        Msg::Next => {
            "Next: exercises/{file} ({exercise}), then rerun `cargo test -p {section}`."
        }
        Msg::Stuck => "Stuck? The solved copy is solutions/{file}.",
        Msg::ExpectNotStartedOk => {
            "GRADE_EXPECT=not-started: every stub of {section} is untouched, as it \
             must be."
        }
        Msg::ExpectNotStartedFailed => {
            "GRADE_EXPECT=not-started is the maintainers' check that the stubs are \
             untouched, and some in exercises/{section}/ are solved. To grade your \
             work, run `cargo test -p {section}` without GRADE_EXPECT; a maintainer \
             puts the stubs back before committing (solved copies belong in \
             solutions/)."
        }

        // The progress table.
        Msg::ProgressSection => "section",
        Msg::ProgressExercise => "exercise",
        Msg::ProgressStatus => "status",
        Msg::ProgressGradeWith => "grade with",
        Msg::ProgressDone => "done",
        Msg::ProgressTotal => "{done} of {total} exercises done.",

        // Failure reports.
        Msg::MinimalFailingInput => "minimal failing input: {input}",
        Msg::FirstFailingInput => {
            "failing input, as first found (shrinking it changes what the mistake \
             looks like): {input}"
        }
        Msg::ChosenFailingInput => {
            "failing input (one of the cases chosen by hand, not shrunk): {input}"
        }
        Msg::MorePlanes => "… ({count} planes in all)",
        Msg::Panicked => "your code panicked: {message}",
        Msg::HintSubtractOverflow => {
            "a usize went below zero, as i·s + u − p does at the padding: compute \
             the index as isize (`i as isize * s as isize + u as isize - p as \
             isize`) and skip it when it is < 0 or ≥ the size, or use \
             `(i * s + u).checked_sub(p)`, which gives None in the padding"
        }
        Msg::HintOverflow => {
            "an integer overflowed: look at the index arithmetic in the failing \
             input's shapes"
        }
        Msg::HintIndexOutOfBounds => {
            "an index ran past the end: check each loop's bound against the shapes \
             above, and that taps in the padding are skipped rather than read"
        }
        Msg::HintUnwrapNone => {
            "an Option was None: an optional argument (such as a bias, None for the \
             course's bias=False layers) may be absent; use `map_or` or `if let \
             Some(…)` instead of unwrap"
        }
        Msg::HintDivideByZero => "a division by zero: check what you divide by",
        Msg::HintShapePanic => {
            "two shapes did not fit: a product (a × b)·(c × d) needs b = c, a sum \
             needs equal shapes; compare the shapes of the arguments above, and \
             look for a missing .transpose()."
        }
        Msg::HintPanicked => "the failing input above reproduces the panic",
        Msg::LibraryCall => {
            "line {line}: `{exercise}` calls `{item}`, the library's own answer to \
             this exercise"
        }
        Msg::HintLibraryCall => {
            "write it yourself: the library is there to check your answer (other \
             library items, such as the helpers the TODO names, are fine)"
        }
        Msg::FieldChanged => "{field} changed, and must be left as it was",
        Msg::Hint => "hint: {hint}",
        Msg::LengthMismatch => "{what}: expected {expected} values, got {actual}",
        Msg::HintCheckShape => "check the shape of what you return",
        Msg::ElementMismatch => "{what}: element {i} expected {expected}, got {actual}",
        Msg::ExpectedValues => "  expected {values}",
        Msg::ActualValues => "  actual   {values}",
        Msg::MoreValues => ", … ({count} values)",
        Msg::LooksLike => "looks like: {diagnosis}",
        Msg::DiagnosisNotFinite => {
            "your result has NaN or infinity: look for an exp() that overflows or a \
             division by zero"
        }
        Msg::DiagnosisAllZeros => {
            "your result is all zeros: is something never written, or a gradient \
             forgotten?"
        }
        Msg::DiagnosisSignFlipped => {
            "the sign is flipped: compare (ŷ − y) with (y − ŷ), or += with −="
        }
        Msg::DiagnosisScale => {
            "right direction, wrong size: every value is {factor} times the \
             expected one, so a constant factor (1/n, 2, the learning rate) is off"
        }
        Msg::ShapeMismatch => "{what} has shape {actual}, expected {expected}",

        // activations
        Msg::AtX => "at x = {x}",
        Msg::HintSigmoid => {
            "σ(x) = 1 / (1 + e^(−x)); that form is safe in f32 (e^1000 = ∞ and \
             1/∞ = 0), while e^x / (1 + e^x) is ∞/∞ = NaN for x > 88: use it only \
             for x < 0"
        }
        Msg::HintSigmoidMirrored => {
            "you computed σ(−x) = 1 / (1 + e^x): the exponent is −x, e^(−x)"
        }
        Msg::HintSigmoidDerivative => "σ′(x) = σ(x)·(1 − σ(x))",
        Msg::HintTanhDerivative => "tanh′(x) = 1 − tanh(x)², not 1 − x²",
        Msg::HintRelu => {
            "ReLU(x) = max(0, x), in Rust x.max(0.0) (f32 has no Ord, so \
             std::cmp::max does not apply)"
        }
        Msg::HintReluDerivative => {
            "ReLU′(x) is 1 for x > 0 and 0 otherwise (0 at x = 0, as PyTorch)"
        }

        // losses
        Msg::Loss => "loss",
        Msg::TheGradient => "the gradient",
        Msg::HintSameShapes => {
            "both arguments have the same shape: subtract them as matrices (a − b) \
             or element by element (zip_map)"
        }
        Msg::HintPredictionShape => "it has the prediction's shape",
        Msg::HintOneRowPerExample => "one row per example",
        Msg::HintCeGradient => {
            "∂L/∂z = (softmax(z) − onehot(y)) / N; subtract the row's max before exp"
        }
        Msg::HintCeLoss => {
            "L = mean over rows of log Σ e^z − z_label; compute log Σ e^z as \
             m + log Σ e^(z − m), m = max z"
        }
        Msg::HintMse => "MSE = mean of (ŷ − y)² over every element",
        Msg::HintMseDerivative => "∂L/∂ŷ = 2(ŷ − y)/n, n = number of elements",
        Msg::HintBce => "L = −mean of y·ln p + (1 − y)·ln(1 − p)",
        Msg::HintBceGradient => "∂L/∂p = (p − y) / (p(1 − p)) / n",

        // perceptron
        Msg::HintLinearShape => "N images × K classes: x (N × D) · W (D × K)",
        Msg::HintLinearForward => {
            "p = softmax(x·W + b) row by row; subtract each row's max before exp so \
             large scores do not overflow"
        }
        Msg::HintRosenblatt => {
            "ŷ = step(w·x + b), with step(z) = 1 only for z > 0; then \
             w += lr·(y − ŷ)·x and b += lr·(y − ŷ): nothing moves when ŷ = y"
        }
        Msg::HintStepAtZero => {
            "at w·x + b = 0 the step is 0 (step(z) = 1 only for z > 0, as \
             p.predict does): a perceptron that starts from zero weights predicts 0"
        }
        Msg::Weights => "weights",
        Msg::Bias => "bias",
        Msg::ReturnedBool => "returned {actual}, expected {expected}",
        Msg::HintReturnWhetherWrong => "return whether ŷ differed from y",

        // mlp
        Msg::LayerCount => "sizes {sizes} need {expected} layers, got {count}",
        Msg::HintOneLayerPerPair => "one (W, b) per consecutive pair of sizes",
        Msg::HintWShape => "W is inputs × outputs, as x·W needs",
        Msg::HintBShape => "b is 1 × outputs",
        Msg::BiasNotZero => "{name} is not all zeros",
        Msg::HintBiasesZero => "the course starts biases at zero",
        Msg::WeightStats => {
            "{name} has mean {mean} and variance {variance}, expected 0 and 1"
        }
        Msg::HintStandardNormal => {
            "draw each weight from the standard normal N(0, 1) (numpy's randn), \
             e.g. rand_distr::StandardNormal"
        }
        Msg::RepeatedDraws => {
            "{later} repeats {count} values of the layers before it: it was drawn \
             from a copy of the generator"
        }
        Msg::HintOneRng => {
            "draw every layer from the one rng you are given, one after another: \
             pass `rng` on (it is already `&mut`), never a clone or a new StdRng"
        }
        Msg::SeedDeterminism => {
            "the same seed must give the same weights, another seed other weights"
        }
        Msg::HintUseRng => "draw every number from the rng you are given, nothing else",
        Msg::HintMlpShapes => {
            "h is N × inₖ and Wₖ is inₖ × outₖ, so h·Wₖ is N × outₖ; then bₖ \
             (1 × outₖ) is added to every row"
        }
        Msg::HintMlpOutputShape => "one row per example, one column per output",
        Msg::HintMlpForward => {
            "apply the activation after every layer except the last, whose output \
             stays linear"
        }
        Msg::HintCollapsedWShape => "W′ = W₁W₂… is first-inputs × last-outputs",
        Msg::HintCollapsedBShape => "b′ is 1 × outputs",
        Msg::CollapsedAgainstNetwork => "x·W′ + b′ against the network",
        Msg::HintCollapse => {
            "fold left to right: W′ ← W′·W, b′ ← b′·W + b (earlier biases pass \
             through later weights)"
        }

        // backprop
        Msg::HintDenseShapes => {
            "x is N × in, W is in × out, grad_output is N × out: grad_output · Wᵀ is \
             N × in and xᵀ · grad_output is in × out"
        }
        Msg::HintTwoLayerShapes => {
            "x and y are N × 1, W₁ is 1 × H and W₂ is H × 1: z₁ and a₁ are N × H, \
             d_z₂ is N × 1, so d_W₂ = a₁ᵀ·d_z₂ and d_a₁ = d_z₂·W₂ᵀ"
        }
        Msg::HintGradInputShape => "∂L/∂x has x's shape, N × in: grad_output · Wᵀ",
        Msg::HintGradWeightShape => {
            "∂L/∂W has W's shape, in × out: xᵀ · grad_output"
        }
        Msg::HintGradBiasShape => {
            "∂L/∂b has b's shape, 1 × out: sum grad_output over rows"
        }
        Msg::HintGradInput => "∂L/∂x = grad_output · Wᵀ",
        Msg::HintGradWeight => "∂L/∂W = xᵀ · grad_output (check the transpose)",
        Msg::HintGradBias => "∂L/∂b = grad_output summed over the rows (examples)",
        Msg::HintDW1Shape => "d_W1 = xᵀ·d_z1 has W1's shape",
        Msg::HintDB1Shape => "d_b1 sums d_z1 over rows",
        Msg::HintDW2Shape => "d_W2 = a1ᵀ·d_z2 has W2's shape",
        Msg::HintDB2Shape => "d_b2 sums d_z2 over rows",
        Msg::HintDW2 => "d_W2 = a1ᵀ · d_z2, with d_z2 = 2(ŷ − y)/n",
        Msg::HintDB2 => "d_b2 = d_z2 summed over the rows",
        Msg::HintDW1 => "d_W1 = xᵀ · d_z1, d_z1 = (d_z2 · W2ᵀ) ⊙ (1 − tanh²(z1))",
        Msg::HintDB1 => {
            "d_b1 = d_z1 summed over the rows, d_z1 = (d_z2 · W2ᵀ) ⊙ (1 − tanh²(z1))"
        }

        // sgd
        Msg::AfterTheStep => "{what} after the step",
        Msg::HintSgd => "θ ← θ − lr·g",
        Msg::HintMomentum => {
            "first v ← μ·v + g, then θ ← θ − lr·v (PyTorch's form: lr multiplies v, \
             not g)"
        }
        Msg::HintAdamM => "m ← β₁m + (1 − β₁)g",
        Msg::HintAdamV => "v ← β₂v + (1 − β₂)g² (g squared, element by element)",
        Msg::HintAdamTheta => {
            "θ ← θ − lr·m̂/(√v̂ + ε) with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ): ε goes \
             outside the root"
        }
        Msg::HintAdamDefaults => {
            "your step matches PyTorch's default β₁ = 0.9, β₂ = 0.999, ε = 1e-8, and \
             these cases use others: read them from adam (adam.beta1, adam.beta2, \
             adam.eps)"
        }
        Msg::FitSineShape => {
            "the network maps 200×1 inputs to {shape}, expected (200, 1)"
        }
        Msg::HintFitSineSizes => "sizes [1, …, 1]",
        Msg::FitSineMse => {
            "the returned network has MSE {mse} on sin x, the target is < {target}"
        }
        Msg::HintFitSine => {
            "each step: zero_grad, forward_trace, losses::mse, backward, \
             optimizer.step(&mut net.parameters()); Adam lr 0.01 for a few thousand \
             steps"
        }

        // conv
        Msg::HintConvShapes => {
            "input is N × C × H × W, weight O × C × K_h × K_w (K_h and K_w may \
             differ), the output N × O × H_out × W_out: \
             spec.output_shape(input.shape(), weight.shape()) gives it"
        }
        Msg::HintConvOutputSide => {
            "output side = (input + 2·padding − kernel) / stride + 1"
        }
        Msg::HintConvForward => {
            "y[n,o,i,j] = b[o] + Σ x[n,c,i·s+u−p, j·s+v−p]·w[o,c,u,v] over c, \
             u < K_h and v < K_w (kernels need not be square), skipping taps that \
             fall in the padding; b[o] is 0 when the bias is None"
        }
        Msg::GradInput => "grad input",
        Msg::GradWeight => "grad weight",
        Msg::GradBias => "grad bias",
        Msg::Output => "output",
        Msg::HintInputShape => "∂L/∂x has the input's shape",
        Msg::HintWeightShape => "∂L/∂w has the weight's shape",
        Msg::HintConvGradInput => {
            "each output's g flows back along the taps it read: ∂x[n,c,i·s+u−p, \
             j·s+v−p] += g·w[o,c,u,v] (same u, v: no extra flip)"
        }
        Msg::HintConvGradWeight => {
            "∂w[o,c,u,v] += g[n,o,i,j]·x[n,c,i·s+u−p, j·s+v−p], with the same stride \
             and padding as the forward pass"
        }
        Msg::HintConvGradBias => "∂b[o] = Σ over n, i, j of g[n,o,i,j]",
        Msg::HintPoolOutputSide => "output side = (input − kernel) / stride + 1",
        Msg::HintPoolForward => {
            "the maximum of each kernel × kernel window, windows stride apart"
        }
        Msg::Argmax => "argmax: expected {expected}, got {actual}",
        Msg::HintArgmax => {
            "flat indices into the input; on ties keep the first maximum (replace \
             only when strictly greater)"
        }
        Msg::HintPoolBackward => {
            "each output's gradient goes only to its argmax input (+=, windows may \
             overlap); every other input gets 0"
        }

        // cnn
        Msg::HintBatchNormShape => {
            "x is N × C × H × W with one γ, β and running average per channel C; \
             y has x's shape"
        }
        Msg::HintBatchNormForward => {
            "per channel, over N, H and W: μ and the biased σ² (divide by \
             M = N·H·W); then y = γ·(x − μ)/√(σ² + ε) + β with ε = bn.eps"
        }
        Msg::HintBatchNormRunning => {
            "with m = bn.momentum: running_mean ← (1 − m)·running_mean + m·μ and \
             running_var ← (1 − m)·running_var + m·σ²·M/(M − 1), the unbiased \
             variance"
        }
        Msg::HintBatchNormLeave => {
            "the forward pass changes only the running averages; the backward pass \
             only adds to grad_gamma and grad_beta"
        }
        Msg::HintBatchNormBackward => {
            "with x̂ = (x − μ)/√(σ² + ε) from the batch's statistics: ∂L/∂x = \
             γ/√(σ² + ε)·(g − mean(g) − x̂·mean(g·x̂)), the means per channel over \
             N, H and W"
        }
        Msg::HintBatchNormGamma => {
            "∂L/∂γ = Σ g·x̂ over N, H and W, added to bn.grad_gamma"
        }
        Msg::HintBatchNormBeta => "∂L/∂β = Σ g over N, H and W, added to bn.grad_beta",
        Msg::HintAccumulate => {
            "gradients accumulate: add to bn.grad_gamma and bn.grad_beta (+=), as \
             every backward pass in the workspace does; zero_grad clears them"
        }
        Msg::TinyModel => {
            "a small model whose batch norm has the running averages of a trained one:"
        }
        Msg::TinyModelStale => {
            "a small model, with gradients left over from an earlier backward pass \
             on other images:"
        }
        Msg::SomeImages => "{count} images of {shape} (Fashion-MNIST)",
        Msg::HintLogitsShape => {
            "the logits are N × K × 1 × 1: cnn::steps::logits_matrix makes the N × K \
             matrix the loss takes, and cnn::steps::logits_gradient turns its \
             gradient back into a tensor for model.backward"
        }
        Msg::EvaluateChangedModel => {
            "the model is not the same after evaluate: its batch norm's running \
             averages moved"
        }
        Msg::HintEvalMode => {
            "run the forward pass in Mode::Eval: batch norm then uses its running \
             averages, and evaluating changes nothing"
        }
        Msg::Accuracy => "accuracy",
        Msg::MeanLoss => "mean loss",
        Msg::HintEvaluateAccuracy => {
            "over every test image, in batches of batch_size (the last one may be \
             shorter): the fraction, in [0, 1], whose largest logit is their label's"
        }
        Msg::HintEvaluateLoss => {
            "the cross-entropy averaged over images, not over batches: add each \
             batch's mean loss times its length, then divide by the number of images"
        }
        Msg::AfterTheEpoch => "{what} after the epoch",
        Msg::AverageLoss => "average loss",
        Msg::HintTrainOrder => {
            "for each batch, in this order: model.zero_grad(), model.forward_trace(&x, \
             Mode::Train), losses::softmax_cross_entropy on the logits, \
             model.backward(&trace, &gradient), optimizer.step(&mut \
             model.parameters())"
        }
        Msg::HintTrainEpochLoss => {
            "return the mean of the batch losses, one per batch (each computed \
             before its step), as PyTorch's \"Average Loss\" is"
        }
        Msg::HintConvolutionalModel => {
            "\"stem.0\": Conv2dLayer (C → 16, 3×3, Conv2d::SAME_3X3, no bias), \
             \"stem.1\": BatchNorm2d(16); then for k in 0..4, \"blocks.k.0\" to \
             \"blocks.k.3\": Conv(16 → 16, no bias), BatchNorm2d(16), ReLU, MaxPool \
             2×2; \"flatten\"; \"classifier\": Linear(16·(H/16)·(W/16) → classes)"
        }
        Msg::ParameterCount => "{actual} parameters, expected {expected}",
        Msg::ModelLayerCount => "the model has {actual} layers, expected {expected}",
        Msg::LayerDiffers => "layer {k} is {actual}, expected {expected}",
        Msg::HintModelRng => {
            "the layers are right but the weights are not those of the same seed: \
             create the layers in order (stem, blocks, classifier), each with its \
             constructor (Conv2dLayer::new, Linear::new) drawing from rng"
        }
    }
}
