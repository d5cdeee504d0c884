//! The grader's messages in Spanish, for the course's Latin-American students,
//! with the vocabulary of the lecture (see the book's glossary): *costo*,
//! *gradiente*, *pesos*, *sesgo*, *lote*, *tasa de aprendizaje*, *exactitud*.

use super::Msg;

/// The Spanish text of `m`.
pub(super) fn text(m: Msg) -> &'static str {
    match m {
        // The report.
        Msg::VerdictPassed => "aprobado",
        Msg::VerdictWrong => "incorrecto",
        Msg::VerdictNotStarted => "sin empezar",
        Msg::GradeExpectUnknown => {
            "no se entiende GRADE_EXPECT={value}: déjala sin definir para calificar \
             tus ejercicios, o ponla en not-started para comprobar que los esqueletos \
             siguen intactos"
        }
        Msg::Grading => "Calificando exercises/{section}/ ({count} ejercicios)",
        Msg::Summary => {
            "aprobados: {passed}/{total}, incorrectos: {wrong}, sin empezar: \
             {not_started} ({seconds} s)."
        }
        Msg::SectionDone => "Sección {section} terminada.",
        Msg::Next => {
            "Siguiente: exercises/{file} ({exercise}); luego vuelve a correr \
             `cargo test -p {section}`."
        }
        Msg::Stuck => "¿Atascado? La copia resuelta está en solutions/{file}.",
        Msg::ExpectNotStartedOk => {
            "GRADE_EXPECT=not-started: todos los esqueletos de {section} siguen \
             intactos, como debe ser."
        }
        Msg::ExpectNotStartedFailed => {
            "GRADE_EXPECT=not-started: algunos esqueletos de exercises/{section}/ ya \
             no son todo!(); vuelve a dejarlos como estaban (las copias resueltas van \
             en solutions/)."
        }

        // The progress table.
        Msg::ProgressSection => "sección",
        Msg::ProgressExercise => "ejercicio",
        Msg::ProgressStatus => "estado",
        Msg::ProgressGradeWith => "se califica con",
        Msg::ProgressDone => "hecho",
        Msg::ProgressTotal => "{done} de {total} ejercicios hechos.",

        // Failure reports.
        Msg::MinimalFailingInput => "entrada mínima que falla: {input}",
        Msg::Hint => "pista: {hint}",
        Msg::LengthMismatch => {
            "{what}: se esperaban {expected} valores, se obtuvieron {actual}"
        }
        Msg::HintCheckShape => "revisa la forma de lo que devuelves",
        Msg::ElementMismatch => {
            "{what}: en el elemento {i} se esperaba {expected}, se obtuvo {actual}"
        }
        Msg::ExpectedValues => "  se esperaba {values}",
        Msg::ActualValues => "  se obtuvo   {values}",
        Msg::MoreValues => ", … ({count} valores)",
        Msg::LooksLike => "parece que {diagnosis}",
        Msg::DiagnosisNotFinite => {
            "tu resultado tiene NaN o infinito: busca un exp() que se desborda o una \
             división por cero"
        }
        Msg::DiagnosisAllZeros => {
            "tu resultado es todo ceros: ¿hay algo que nunca se escribe, o un \
             gradiente olvidado?"
        }
        Msg::DiagnosisSignFlipped => {
            "el signo está invertido: compara (ŷ − y) con (y − ŷ), o += con −="
        }
        Msg::DiagnosisScale => {
            "la dirección es correcta pero la magnitud no: sobra o falta un factor \
             constante (1/n, 2, la tasa de aprendizaje)"
        }
        Msg::ShapeMismatch => "{what} tiene forma {actual}, se esperaba {expected}",

        // activations
        Msg::AtX => "en x = {x}",
        Msg::HintSigmoid => {
            "para x < 0 escribe e^x / (1 + e^x), así exp nunca se desborda \
             (σ(−1000) debe dar 0, no NaN)"
        }
        Msg::HintSigmoidDerivative => "σ′(x) = σ(x)·(1 − σ(x))",
        Msg::HintTanhDerivative => "tanh′(x) = 1 − tanh(x)², no 1 − x²",
        Msg::HintRelu => "ReLU(x) = max(0, x)",
        Msg::HintReluDerivative => {
            "ReLU′(x) vale 1 para x > 0 y 0 en otro caso (0 en x = 0, como en \
             PyTorch)"
        }

        // losses
        Msg::Loss => "costo",
        Msg::TheGradient => "el gradiente",
        Msg::HintPredictionShape => "tiene la forma de la predicción",
        Msg::HintOneRowPerExample => "una fila por ejemplo",
        Msg::HintCeGradient => {
            "∂L/∂z = (softmax(z) − onehot(y)) / N; resta el máximo de la fila antes \
             de exp"
        }
        Msg::HintCeLoss => {
            "L = promedio sobre las filas de log Σ e^z − z_label; calcula log Σ e^z \
             como m + log Σ e^(z − m), m = max z"
        }
        Msg::HintMse => "MSE = promedio de (ŷ − y)² sobre todos los elementos",
        Msg::HintMseDerivative => "∂L/∂ŷ = 2(ŷ − y)/n, n = número de elementos",
        Msg::HintBce => "L = −promedio de y·ln p + (1 − y)·ln(1 − p)",
        Msg::HintBceGradient => "∂L/∂p = (p − y) / (p(1 − p)) / n",

        // perceptron
        Msg::HintLinearShape => "N imágenes × K clases: x (N × D) · W (D × K)",
        Msg::HintLinearForward => {
            "p = softmax(x·W + b) fila por fila; resta el máximo de cada fila antes \
             de exp para que las puntuaciones grandes no se desborden"
        }
        Msg::HintRosenblatt => {
            "ŷ = step(w·x + b), la función escalón; luego w += lr·(y − ŷ)·x y \
             b += lr·(y − ŷ): nada cambia cuando ŷ = y"
        }
        Msg::Weights => "pesos",
        Msg::Bias => "sesgo",
        Msg::ReturnedBool => "devolviste {actual}, se esperaba {expected}",
        Msg::HintReturnWhetherWrong => "devuelve si ŷ fue distinto de y",

        // mlp
        Msg::LayerCount => {
            "los tamaños {sizes} necesitan 2 capas, se obtuvieron {count}"
        }
        Msg::HintOneLayerPerPair => "un (W, b) por cada par consecutivo de tamaños",
        Msg::HintWShape => "W es entradas × salidas, como lo pide x·W",
        Msg::HintBShape => "b es 1 × salidas",
        Msg::BiasNotZero => "{name} no es todo ceros",
        Msg::HintBiasesZero => "el curso empieza con los sesgos en cero",
        Msg::WeightStats => {
            "los pesos tienen media {mean} y varianza {variance}, se esperaban 0 y 1"
        }
        Msg::HintStandardNormal => {
            "saca cada peso de la normal estándar N(0, 1) (randn de numpy), por \
             ejemplo con rand_distr::StandardNormal"
        }
        Msg::SeedDeterminism => {
            "la misma semilla debe dar los mismos pesos, y otra semilla, otros pesos"
        }
        Msg::HintUseRng => "saca cada número del rng que recibes, y de nada más",
        Msg::HintMlpOutputShape => "una fila por ejemplo, una columna por salida",
        Msg::HintMlpForward => {
            "aplica la activación después de cada capa excepto la última, cuya salida \
             queda lineal"
        }
        Msg::HintCollapsedWShape => {
            "W′ = W₁W₂… es entradas de la primera capa × salidas de la última"
        }
        Msg::HintCollapsedBShape => "b′ es 1 × salidas",
        Msg::CollapsedAgainstNetwork => "x·W′ + b′ frente a la red",
        Msg::HintCollapse => {
            "acumula de izquierda a derecha: W′ ← W′·W, b′ ← b′·W + b (los sesgos de \
             antes pasan por los pesos de después)"
        }

        // backprop
        Msg::HintGradInputShape => {
            "∂L/∂x tiene la forma de x, N × entradas: grad_output · Wᵀ"
        }
        Msg::HintGradWeightShape => {
            "∂L/∂W tiene la forma de W, entradas × salidas: xᵀ · grad_output"
        }
        Msg::HintGradBiasShape => {
            "∂L/∂b tiene la forma de b, 1 × salidas: suma grad_output sobre las filas"
        }
        Msg::HintGradInput => "∂L/∂x = grad_output · Wᵀ",
        Msg::HintGradWeight => "∂L/∂W = xᵀ · grad_output (revisa la transpuesta)",
        Msg::HintGradBias => {
            "∂L/∂b = grad_output sumado sobre las filas (los ejemplos)"
        }
        Msg::HintDW1Shape => "d_W1 = xᵀ·d_z1 tiene la forma de W1",
        Msg::HintDB1Shape => "d_b1 suma d_z1 sobre las filas",
        Msg::HintDW2Shape => "d_W2 = a1ᵀ·d_z2 tiene la forma de W2",
        Msg::HintDB2Shape => "d_b2 suma d_z2 sobre las filas",
        Msg::HintDW2 => "d_W2 = a1ᵀ · d_z2, con d_z2 = 2(ŷ − y)/n",
        Msg::HintDB2 => "d_b2 = d_z2 sumado sobre las filas",
        Msg::HintDW1 => "d_W1 = xᵀ · d_z1, d_z1 = (d_z2 · W2ᵀ) ⊙ (1 − tanh²(z1))",
        Msg::HintDB1 => {
            "d_b1 = d_z1 sumado sobre las filas, d_z1 = (d_z2 · W2ᵀ) ⊙ (1 − tanh²(z1))"
        }

        // sgd
        Msg::AfterStep => "{what} tras el paso {step}",
        Msg::HintSgd => "θ ← θ − lr·g",
        Msg::HintMomentum => {
            "primero v ← μ·v + g, luego θ ← θ − lr·v (la forma de PyTorch: lr \
             multiplica a v, no a g)"
        }
        Msg::HintAdamM => "m ← β₁m + (1 − β₁)g",
        Msg::HintAdamV => "v ← β₂v + (1 − β₂)g² (g al cuadrado, elemento por elemento)",
        Msg::HintAdamTheta => {
            "θ ← θ − lr·m̂/(√v̂ + ε) con m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ): ε va fuera \
             de la raíz"
        }
        Msg::FitSineShape => {
            "la red lleva entradas de 200×1 a {shape}, se esperaba (200, 1)"
        }
        Msg::HintFitSineSizes => "tamaños [1, …, 1]",
        Msg::FitSineMse => {
            "la red devuelta tiene MSE {mse} en sin x, la meta es < {target}"
        }
        Msg::HintFitSine => {
            "en cada paso: zero_grad, forward_trace, losses::mse, backward, \
             optimizer.step(&mut net.parameters()); Adam con lr 0.01 durante unos \
             miles de pasos"
        }

        // conv
        Msg::ConvCase => {
            "entrada {input_shape} = {input}, pesos {weight_shape} = {weight}, sesgo \
             {bias}, paso {stride}, relleno {padding}"
        }
        Msg::HintConvOutputSide => {
            "lado de la salida = (entrada + 2·relleno − kernel) / paso + 1"
        }
        Msg::HintConvForward => {
            "y[n,o,i,j] = b[o] + Σ x[n,c,i·s+u−p, j·s+v−p]·w[o,c,u,v], sin contar los \
             términos que caen en el relleno"
        }
        Msg::GradInput => "gradiente de la entrada",
        Msg::GradWeight => "gradiente de los pesos",
        Msg::GradBias => "gradiente del sesgo",
        Msg::Output => "salida",
        Msg::HintInputShape => "∂L/∂x tiene la forma de la entrada",
        Msg::HintWeightShape => "∂L/∂w tiene la forma de los pesos",
        Msg::HintConvGradInput => {
            "el g de cada salida vuelve por las mismas posiciones que leyó: \
             ∂x[n,c,i·s+u−p, j·s+v−p] += g·w[o,c,u,v] (los mismos u, v: sin voltear \
             el kernel)"
        }
        Msg::HintConvGradWeight => {
            "∂w[o,c,u,v] += g[n,o,i,j]·x[n,c,i·s+u−p, j·s+v−p], con el mismo paso y \
             el mismo relleno que la pasada hacia adelante"
        }
        Msg::HintConvGradBias => "∂b[o] = Σ sobre n, i, j de g[n,o,i,j]",
        Msg::HintPoolOutputSide => {
            "lado de la salida = (entrada − kernel) / paso + 1"
        }
        Msg::HintPoolForward => {
            "el máximo de cada ventana de kernel × kernel, con las ventanas separadas \
             por el paso"
        }
        Msg::Argmax => "argmax: se esperaba {expected}, se obtuvo {actual}",
        Msg::HintArgmax => {
            "índices planos en la entrada; en los empates quédate con el primer máximo \
             (reemplaza solo cuando sea estrictamente mayor)"
        }
        Msg::HintPoolBackward => {
            "el gradiente de cada salida va solo a la entrada de su argmax (+=, las \
             ventanas pueden solaparse); todas las demás entradas reciben 0"
        }
    }
}
