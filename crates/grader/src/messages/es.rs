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
            "GRADE_EXPECT=not-started es la comprobación de los mantenedores de que \
             los esqueletos siguen intactos, y algunos de exercises/{section}/ ya \
             están resueltos. Para calificar tu trabajo, corre `cargo test -p \
             {section}` sin GRADE_EXPECT; quien mantiene el curso restaura los \
             esqueletos antes de confirmar cambios (las copias resueltas van en \
             solutions/)."
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
        Msg::FirstFailingInput => {
            "entrada que falla, tal como se encontró (al reducirla cambia el aspecto \
             del error): {input}"
        }
        Msg::ChosenFailingInput => {
            "entrada que falla (uno de los casos elegidos a mano, sin reducir): {input}"
        }
        Msg::MorePlanes => "… ({count} planos en total)",
        Msg::Panicked => "tu código entró en pánico: {message}",
        Msg::HintSubtractOverflow => {
            "un usize quedó por debajo de cero, como le pasa a i·s + u − p en el \
             relleno: calcula el índice como isize (`i as isize * s as isize + u as \
             isize - p as isize`) y sáltalo cuando sea < 0 o ≥ el tamaño, o usa \
             `(i * s + u).checked_sub(p)`, que da None en el relleno"
        }
        Msg::HintOverflow => {
            "un entero se desbordó: revisa la aritmética de índices con las formas \
             de la entrada que falla"
        }
        Msg::HintIndexOutOfBounds => {
            "un índice se pasó del final: compara el límite de cada bucle con las \
             formas de arriba, y revisa que los términos del relleno se salten en \
             vez de leerse"
        }
        Msg::HintUnwrapNone => {
            "un Option era None: un argumento opcional (como el sesgo, None en las \
             capas sin sesgo del curso) puede faltar; usa `map_or` o `if let \
             Some(…)` en vez de unwrap"
        }
        Msg::HintDivideByZero => "una división por cero: revisa entre qué divides",
        Msg::HintShapePanic => {
            "dos formas no encajaron: un producto (a × b)·(c × d) necesita b = c, \
             una suma necesita formas iguales; compara las formas de los argumentos \
             de arriba y busca un .transpose() que falte."
        }
        Msg::HintPanicked => "la entrada que falla, arriba, reproduce el pánico",
        Msg::LibraryCall => {
            "línea {line}: `{exercise}` llama a `{item}`, la respuesta de la propia \
             biblioteca a este ejercicio"
        }
        Msg::HintLibraryCall => {
            "escríbelo tú: la biblioteca está para comprobar tu respuesta (sus demás \
             funciones, como las ayudas que nombra el TODO, sí se pueden usar)"
        }
        Msg::FieldChanged => "{field} cambió, y debe quedar como estaba",
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
            "la dirección es correcta pero la magnitud no: cada valor es {factor} \
             veces el esperado, así que sobra o falta un factor constante (1/n, 2, \
             la tasa de aprendizaje)"
        }
        Msg::ShapeMismatch => "{what} tiene forma {actual}, se esperaba {expected}",

        // activations
        Msg::AtX => "en x = {x}",
        Msg::HintSigmoid => {
            "σ(x) = 1 / (1 + e^(−x)); esa forma es segura en f32 (e^1000 = ∞ y \
             1/∞ = 0), mientras que e^x / (1 + e^x) da ∞/∞ = NaN para x > 88: úsala \
             solo para x < 0"
        }
        Msg::HintSigmoidMirrored => {
            "calculaste σ(−x) = 1 / (1 + e^x): el exponente es −x, e^(−x)"
        }
        Msg::HintSigmoidDerivative => "σ′(x) = σ(x)·(1 − σ(x))",
        Msg::HintTanhDerivative => "tanh′(x) = 1 − tanh(x)², no 1 − x²",
        Msg::HintRelu => {
            "ReLU(x) = max(0, x), en Rust x.max(0.0) (f32 no implementa Ord, así que \
             std::cmp::max no sirve)"
        }
        Msg::HintReluDerivative => {
            "ReLU′(x) vale 1 para x > 0 y 0 en otro caso (0 en x = 0, como en \
             PyTorch)"
        }

        // losses
        Msg::Loss => "costo",
        Msg::TheGradient => "el gradiente",
        Msg::HintSameShapes => {
            "los dos argumentos tienen la misma forma: réstalos como matrices \
             (a − b) o elemento por elemento (zip_map)"
        }
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
            "ŷ = step(w·x + b), la función escalón, con step(z) = 1 solo para z > 0; \
             luego w += lr·(y − ŷ)·x y b += lr·(y − ŷ): nada cambia cuando ŷ = y"
        }
        Msg::HintStepAtZero => {
            "en w·x + b = 0 el escalón vale 0 (step(z) = 1 solo para z > 0, como en \
             p.predict): un perceptrón que empieza con pesos en cero predice 0"
        }
        Msg::Weights => "pesos",
        Msg::Bias => "sesgo",
        Msg::ReturnedBool => "devolviste {actual}, se esperaba {expected}",
        Msg::HintReturnWhetherWrong => "devuelve si ŷ fue distinto de y",

        // mlp
        Msg::LayerCount => {
            "los tamaños {sizes} necesitan {expected} capas, se obtuvieron {count}"
        }
        Msg::HintOneLayerPerPair => "un (W, b) por cada par consecutivo de tamaños",
        Msg::HintWShape => "W es entradas × salidas, como lo pide x·W",
        Msg::HintBShape => "b es 1 × salidas",
        Msg::BiasNotZero => "{name} no es todo ceros",
        Msg::HintBiasesZero => "el curso empieza con los sesgos en cero",
        Msg::WeightStats => {
            "{name} tiene media {mean} y varianza {variance}, se esperaban 0 y 1"
        }
        Msg::HintStandardNormal => {
            "saca cada peso de la normal estándar N(0, 1) (randn de numpy), por \
             ejemplo con rand_distr::StandardNormal"
        }
        Msg::RepeatedDraws => {
            "{later} repite {count} valores de las capas anteriores: salió de una \
             copia del generador"
        }
        Msg::HintOneRng => {
            "saca todas las capas del único rng que recibes, una tras otra: pásalo \
             tal cual (ya es `&mut`), nunca un clon ni un StdRng nuevo"
        }
        Msg::SeedDeterminism => {
            "la misma semilla debe dar los mismos pesos, y otra semilla, otros pesos"
        }
        Msg::HintUseRng => "saca cada número del rng que recibes, y de nada más",
        Msg::HintMlpShapes => {
            "h es N × entradasₖ y Wₖ es entradasₖ × salidasₖ, así que h·Wₖ es \
             N × salidasₖ; luego bₖ (1 × salidasₖ) se suma a cada fila"
        }
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
        Msg::HintDenseShapes => {
            "x es N × entradas, W es entradas × salidas, grad_output es N × salidas: \
             grad_output · Wᵀ es N × entradas y xᵀ · grad_output es entradas × \
             salidas"
        }
        Msg::HintTwoLayerShapes => {
            "x e y son N × 1, W₁ es 1 × H y W₂ es H × 1: z₁ y a₁ son N × H, d_z₂ es \
             N × 1, así que d_W₂ = a₁ᵀ·d_z₂ y d_a₁ = d_z₂·W₂ᵀ"
        }
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
        Msg::AfterTheStep => "{what} tras el paso",
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
        Msg::HintAdamDefaults => {
            "tu paso coincide con los valores por defecto de PyTorch, β₁ = 0.9, \
             β₂ = 0.999, ε = 1e-8, y estos casos usan otros: léelos de adam \
             (adam.beta1, adam.beta2, adam.eps)"
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
        Msg::HintConvShapes => {
            "la entrada es N × C × H × W, los pesos O × C × K_h × K_w (K_h y K_w \
             pueden ser distintos), la salida N × O × H_sal × W_sal: \
             spec.output_shape(…) la calcula"
        }
        Msg::HintConvOutputSide => {
            "lado de la salida = (entrada + 2·relleno − kernel) / paso + 1"
        }
        Msg::HintConvForward => {
            "y[n,o,i,j] = b[o] + Σ x[n,c,i·s+u−p, j·s+v−p]·w[o,c,u,v] sobre c, \
             u < K_h y v < K_w (el kernel no tiene por qué ser cuadrado), sin contar \
             los términos que caen en el relleno; b[o] es 0 cuando el sesgo es None"
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

        // cnn
        Msg::HintBatchNormShape => {
            "x es N × C × H × W, con un γ, un β y un promedio móvil por canal C; y \
             tiene la forma de x"
        }
        Msg::HintBatchNormForward => {
            "por canal, sobre N, H y W: μ y la σ² sesgada (divide entre M = N·H·W); \
             luego y = γ·(x − μ)/√(σ² + ε) + β con ε = bn.eps"
        }
        Msg::HintBatchNormRunning => {
            "con m = bn.momentum: running_mean ← (1 − m)·running_mean + m·μ y \
             running_var ← (1 − m)·running_var + m·σ²·M/(M − 1), la varianza \
             insesgada"
        }
        Msg::HintBatchNormLeave => {
            "la pasada hacia adelante solo cambia los promedios móviles; la pasada \
             hacia atrás solo suma a grad_gamma y grad_beta"
        }
        Msg::HintBatchNormBackward => {
            "con x̂ = (x − μ)/√(σ² + ε) según las estadísticas del lote: ∂L/∂x = \
             γ/√(σ² + ε)·(g − media(g) − x̂·media(g·x̂)), las medias por canal sobre \
             N, H y W"
        }
        Msg::HintBatchNormGamma => {
            "∂L/∂γ = Σ g·x̂ sobre N, H y W, sumado a bn.grad_gamma"
        }
        Msg::HintBatchNormBeta => "∂L/∂β = Σ g sobre N, H y W, sumado a bn.grad_beta",
        Msg::HintAccumulate => {
            "los gradientes se acumulan: suma a bn.grad_gamma y bn.grad_beta (+=), \
             como toda pasada hacia atrás del proyecto; zero_grad los pone en cero"
        }
        Msg::TinyModel => {
            "un modelo pequeño cuya normalización por lotes tiene los promedios \
             móviles de uno entrenado:"
        }
        Msg::TinyModelStale => {
            "un modelo pequeño, con gradientes que quedaron de una pasada hacia atrás \
             anterior sobre otras imágenes:"
        }
        Msg::SomeImages => "{count} imágenes de {shape} (Fashion-MNIST)",
        Msg::HintLogitsShape => {
            "los logits son N × K × 1 × 1: cnn::steps::logits_matrix da la matriz \
             N × K que recibe el costo, y cnn::steps::logits_gradient convierte su \
             gradiente de nuevo en tensor para model.backward"
        }
        Msg::EvaluateChangedModel => {
            "el modelo no es el mismo después de evaluate: se movieron los promedios \
             móviles de su normalización por lotes"
        }
        Msg::HintEvalMode => {
            "haz la pasada hacia adelante en Mode::Eval: así la normalización por \
             lotes usa sus promedios móviles, y evaluar no cambia nada"
        }
        Msg::Accuracy => "exactitud",
        Msg::MeanLoss => "costo promedio",
        Msg::HintEvaluateAccuracy => {
            "sobre todas las imágenes de prueba, en lotes de batch_size (el último \
             puede ser más corto): la fracción, en [0, 1], cuyo logit más grande es \
             el de su etiqueta"
        }
        Msg::HintEvaluateLoss => {
            "la entropía cruzada promediada sobre las imágenes, no sobre los lotes: \
             suma el costo promedio de cada lote por su tamaño y divide entre el \
             número de imágenes"
        }
        Msg::AfterTheEpoch => "{what} tras la época",
        Msg::AverageLoss => "costo promedio de la época",
        Msg::HintTrainOrder => {
            "para cada lote, en este orden: model.zero_grad(), \
             model.forward_trace(&x, Mode::Train), losses::softmax_cross_entropy \
             sobre los logits, model.backward(&trace, &gradiente), \
             optimizer.step(&mut model.parameters())"
        }
        Msg::HintTrainEpochLoss => {
            "devuelve el promedio de los costos de los lotes, uno por lote (cada uno \
             calculado antes de su paso), como el promedio por época que imprime el \
             cuaderno del curso"
        }
        Msg::HintConvolutionalModel => {
            "\"stem.0\": Conv2dLayer (C → 16, 3×3, Conv2d::SAME_3X3, sin sesgo), \
             \"stem.1\": BatchNorm2d(16); luego para k en 0..4, de \"blocks.k.0\" a \
             \"blocks.k.3\": Conv(16 → 16, sin sesgo), BatchNorm2d(16), ReLU, \
             MaxPool 2×2; \"flatten\"; \"classifier\": Linear(16·(H/16)·(W/16) → \
             clases)"
        }
        Msg::ParameterCount => "{actual} parámetros, se esperaban {expected}",
        Msg::ModelLayerCount => "el modelo tiene {actual} capas, se esperaban {expected}",
        Msg::LayerDiffers => "la capa {k} es {actual}, se esperaba {expected}",
        Msg::HintModelRng => {
            "las capas están bien pero los pesos no son los de la misma semilla: \
             crea las capas en orden (stem, blocks, classifier), cada una con su \
             constructor (Conv2dLayer::new, Linear::new) y sacando del rng"
        }
    }
}
