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
            "GRADE_EXPECT=not-started: some stubs in exercises/{section}/ are no \
             longer todo!(); put the stubs back (solved copies belong in solutions/)."
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
            "right direction, wrong size: a constant factor (1/n, 2, the learning \
             rate) is off"
        }
        Msg::ShapeMismatch => "{what} has shape {actual}, expected {expected}",

        // activations
        Msg::AtX => "at x = {x}",
        Msg::HintSigmoid => {
            "for x < 0 write e^x / (1 + e^x), so exp never overflows (σ(−1000) must \
             be 0, not NaN)"
        }
        Msg::HintSigmoidDerivative => "σ′(x) = σ(x)·(1 − σ(x))",
        Msg::HintTanhDerivative => "tanh′(x) = 1 − tanh(x)², not 1 − x²",
        Msg::HintRelu => "ReLU(x) = max(0, x)",
        Msg::HintReluDerivative => {
            "ReLU′(x) is 1 for x > 0 and 0 otherwise (0 at x = 0, as PyTorch)"
        }

        // losses
        Msg::Loss => "loss",
        Msg::TheGradient => "the gradient",
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
            "ŷ = step(w·x + b); then w += lr·(y − ŷ)·x and b += lr·(y − ŷ): nothing \
             moves when ŷ = y"
        }
        Msg::Weights => "weights",
        Msg::Bias => "bias",
        Msg::ReturnedBool => "returned {actual}, expected {expected}",
        Msg::HintReturnWhetherWrong => "return whether ŷ differed from y",

        // mlp
        Msg::LayerCount => "sizes {sizes} need 2 layers, got {count}",
        Msg::HintOneLayerPerPair => "one (W, b) per consecutive pair of sizes",
        Msg::HintWShape => "W is inputs × outputs, as x·W needs",
        Msg::HintBShape => "b is 1 × outputs",
        Msg::BiasNotZero => "{name} is not all zeros",
        Msg::HintBiasesZero => "the course starts biases at zero",
        Msg::WeightStats => {
            "weights have mean {mean} and variance {variance}, expected 0 and 1"
        }
        Msg::HintStandardNormal => {
            "draw each weight from the standard normal N(0, 1) (numpy's randn), \
             e.g. rand_distr::StandardNormal"
        }
        Msg::SeedDeterminism => {
            "the same seed must give the same weights, another seed other weights"
        }
        Msg::HintUseRng => "draw every number from the rng you are given, nothing else",
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
        Msg::AfterStep => "{what} after step {step}",
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
        Msg::ConvCase => {
            "input {input_shape} = {input}, weight {weight_shape} = {weight}, bias \
             {bias}, stride {stride}, padding {padding}"
        }
        Msg::HintConvOutputSide => {
            "output side = (input + 2·padding − kernel) / stride + 1"
        }
        Msg::HintConvForward => {
            "y[n,o,i,j] = b[o] + Σ x[n,c,i·s+u−p, j·s+v−p]·w[o,c,u,v], skipping taps \
             that fall in the padding"
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
    }
}
