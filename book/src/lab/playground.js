// The playground page: TensorFlow Playground's controls and pictures around
// lab::Playground (lab/src/playground.rs), which holds the points, the mlp::Mlp
// and its sgd::Sgd. This file only reads the controls and draws.
(function () {
  "use strict";
  var L = window.Lab, el = L.el;

  var TEXT = {
    en: {
      play: "Play", pause: "Pause", step: "Step", reset: "Reset", epoch: "Epoch",
      lr: "Learning rate", activation: "Activation", regularization: "Regularisation",
      rate: "Regularisation rate", problem: "Problem type", classification: "Classification",
      regression: "Regression", data: "Data", dataset: "Which dataset?", classes: "Classes",
      ratio: "Ratio of training to test data: {v} %", noise: "Noise: {v}", batch: "Batch size: {v}",
      regenerate: "Regenerate", csv: "Your points (CSV x,y,label):", features: "Features",
      featuresHelp: "Which properties do you want to feed in? Click one to add or remove it.",
      toggle: "click to toggle",
      hidden: "{n} hidden layers", neurons: "{n} neurons", neuron: "{n} neuron", output: "Output",
      trainLoss: "Training loss", testLoss: "Test loss", showTest: "Show test data",
      discretize: "Discretize output", preset: "The lecture's slide: ReLU vs sigmoid",
      presetHelp: "Circle, 2 → 6 → 6 → 2, learning rate 0.1, the same seed and points for both; press Play.",
      download: "Download the weights (safetensors)", none: "None", linear: "Linear",
      diverged: "The loss is no longer finite: lower the learning rate and press Reset.",
      circle: "Circle", xor: "Exclusive or", gauss: "Gaussian", spiral: "Spiral",
      plane: "Plane", "multi-gauss": "Multi-Gaussian", csvData: "Your CSV ({n} points)",
      speed: "{eps} epochs/s, {fps} frames/s",
      legend: "Colours show the data, the neuron and the weight values (orange negative, blue positive).",
    },
    es: {
      play: "Reproducir", pause: "Pausa", step: "Un paso", reset: "Reiniciar", epoch: "Época",
      lr: "Tasa de aprendizaje", activation: "Activación", regularization: "Regularización",
      rate: "Tasa de regularización", problem: "Tipo de problema", classification: "Clasificación",
      regression: "Regresión", data: "Datos", dataset: "¿Qué conjunto de datos?", classes: "Clases",
      ratio: "Proporción de datos de entrenamiento y de prueba: {v} %", noise: "Ruido: {v}", batch: "Tamaño del lote: {v}",
      regenerate: "Generar de nuevo", csv: "Tus puntos (CSV x,y,etiqueta):", features: "Características",
      featuresHelp: "¿Qué propiedades quieres usar como entrada? Haz clic en una para añadirla o quitarla.",
      toggle: "clic: activar o quitar",
      hidden: "{n} capas ocultas", neurons: "{n} neuronas", neuron: "{n} neurona", output: "Salida",
      trainLoss: "Pérdida de entrenamiento", testLoss: "Pérdida de prueba", showTest: "Mostrar los datos de prueba",
      discretize: "Discretizar la salida", preset: "La diapositiva de la clase: ReLU contra sigmoide",
      presetHelp: "Círculo, 2 → 6 → 6 → 2, tasa de aprendizaje 0.1, la misma semilla y los mismos puntos para ambas; pulsa Reproducir.",
      download: "Descargar los pesos (safetensors)", none: "Ninguna", linear: "Lineal",
      diverged: "La pérdida dejó de ser finita: baja la tasa de aprendizaje y pulsa Reiniciar.",
      circle: "Círculo", xor: "O exclusivo", gauss: "Gaussiana", spiral: "Espiral",
      plane: "Plano", "multi-gauss": "Varias gaussianas", csvData: "Tu CSV ({n} puntos)",
      speed: "{eps} épocas/s, {fps} cuadros/s",
      legend: "Los colores muestran los datos, las neuronas y los pesos (naranja negativo, azul positivo).",
    },
  }[L.lang];
  var t = function (k, v) { return L.format(TEXT[k], v); };

  var FEATURES = [
    ["x1", "x₁"], ["x2", "x₂"], ["x1sq", "x₁²"], ["x2sq", "x₂²"],
    ["x1x2", "x₁x₂"], ["sinx1", "sin(x₁)"], ["sinx2", "sin(x₂)"],
  ];
  var MAX_LAYERS = 6, MAX_NEURONS = 8;
  var BOUNDARY = 60, UNIT = 20;

  L.start("playground", "lab-playground.html", function (root, wasm) {
    var ready = false;
    var state = {
      problem: "classification", data: "circle", classes: 2, samples: 500, noise: 0,
      ratio: 50, batch: 10, seed: 0, csv: null,
      features: ["x1", "x2"], hidden: [4, 2], activation: "tanh",
      lr: 0.03, reg: "none", rate: 0, playing: false, showTest: false, discretize: false,
    };
    var pg = new wasm.Playground(0);
    var twin = null; // the sigmoid network of the ReLU-vs-sigmoid preset
    var history = { train: [], test: [] };
    var diverged = false;

    // ---------------------------------------------------------- controls
    var playButton = el("button", { class: "lab-play", onclick: function () { setPlaying(!state.playing); } });
    var epochLabel = el("span", { class: "lab-epoch" });
    var speedLabel = el("span", { class: "lab-speed" });
    var message = el("p", { class: "lab-message lab-hidden" });

    function setPlaying(on) {
      state.playing = on && !diverged;
      playButton.textContent = state.playing ? "❚❚ " + t("pause") : "▶ " + t("play");
      if (state.playing) requestAnimationFrame(frame);
    }

    function setMessage(text) {
      message.textContent = text || "";
      message.classList.toggle("lab-hidden", !text);
    }

    function guard(f) {
      try {
        f();
        setMessage("");
      } catch (e) {
        setMessage(String(e && e.message ? e.message : e));
      }
    }

    function leavePreset() {
      if (twin) {
        twin.free();
        twin = null;
        compare.classList.add("lab-hidden");
      }
    }

    function applyData(keepPreset) {
      if (!keepPreset) leavePreset();
      guard(function () {
        if (state.data === "csv") pg.set_csv(state.csv, state.ratio / 100);
        else pg.set_data(state.data, state.classes, state.samples, state.noise, state.ratio / 100, state.seed);
        applyNetwork(true);
      });
    }

    function applyNetwork(keepPreset) {
      if (!keepPreset) leavePreset();
      guard(function () {
        pg.set_network(state.features.join(","), state.hidden, state.activation);
        applyTraining();
        restart();
      });
    }

    function applyTraining() {
      guard(function () {
        pg.set_training(state.lr, state.batch, state.reg, state.rate);
        if (twin) twin.set_training(state.lr, state.batch, state.reg, state.rate);
      });
    }

    function restart() {
      pg.reset();
      if (twin) twin.reset();
      history = { train: [], test: [] };
      diverged = false;
      record();
      buildNetwork();
      draw();
    }

    function record() {
      history.train.push(pg.loss(false));
      history.test.push(pg.loss(true));
    }

    function row(label, control) {
      return el("label", { class: "lab-control" }, el("span", { text: label }), control);
    }

    var lrs = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
    var rates = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
    var activationSelect = L.select(
      [["relu", "ReLU"], ["tanh", "Tanh"], ["sigmoid", "Sigmoid"], ["linear", t("linear")]],
      state.activation,
      function (v) { state.activation = v; applyNetwork(); }
    );
    var lrSelect = L.select(lrs.map(function (v) { return [v, String(v)]; }), state.lr, function (v) {
      state.lr = Number(v);
      leavePreset();
      applyTraining();
    });
    var regSelect = L.select([["none", t("none")], ["l1", "L1"], ["l2", "L2"]], state.reg, function (v) {
      state.reg = v;
      applyTraining();
    });
    var rateSelect = L.select(rates.map(function (v) { return [v, String(v)]; }), state.rate, function (v) {
      state.rate = Number(v);
      applyTraining();
    });
    var problemSelect = L.select(
      [["classification", t("classification")], ["regression", t("regression")]],
      state.problem,
      function (v) {
        state.problem = v;
        state.data = v === "regression" ? "plane" : "circle";
        buildDatasets();
        applyData();
      }
    );

    var top = el(
      "div",
      { class: "lab-toolbar" },
      el("button", { title: t("reset"), onclick: function () { restart(); } }, "⟲ " + t("reset")),
      playButton,
      el("button", { title: t("step"), onclick: function () { setPlaying(false); train(1); draw(); } }, t("step") + " ›"),
      el("span", { class: "lab-control" }, el("span", { text: t("epoch") }), epochLabel),
      row(t("lr"), lrSelect),
      row(t("activation"), activationSelect),
      row(t("regularization"), regSelect),
      row(t("rate"), rateSelect),
      row(t("problem"), problemSelect)
    );

    // Data column.
    var datasetBox = el("div", { class: "lab-datasets" });
    var classesSelect = L.select([2, 3, 4, 5, 6, 7, 8].map(function (k) { return [k, String(k)]; }), state.classes, function (v) {
      state.classes = Number(v);
      applyData();
    });
    function slider(min, max, stepSize, value, label, onchange) {
      var text = el("span");
      var input = el("input", { type: "range", min: min, max: max, step: stepSize, value: value });
      var show = function () { text.textContent = t(label, { v: input.value }); };
      input.addEventListener("input", show);
      input.addEventListener("change", function () { onchange(Number(input.value)); });
      show();
      return el("label", { class: "lab-slider" }, text, input);
    }
    var csvInput = el("input", {
      type: "file",
      accept: ".csv,text/csv,text/plain",
      onchange: function () {
        var file = csvInput.files[0];
        if (!file) return;
        file.text().then(function (text) {
          state.csv = text;
          state.data = "csv";
          state.problem = "classification";
          problemSelect.value = "classification";
          buildDatasets();
          applyData();
        });
      },
    });
    var dataColumn = el(
      "div",
      { class: "lab-column lab-data" },
      el("h4", { text: t("data") }),
      el("p", { class: "lab-help", text: t("dataset") }),
      datasetBox,
      row(t("classes"), classesSelect),
      slider(10, 90, 10, state.ratio, "ratio", function (v) { state.ratio = v; applyData(); }),
      slider(0, 50, 5, state.noise * 100, "noise", function (v) { state.noise = v / 100; applyData(); }),
      slider(1, 30, 1, state.batch, "batch", function (v) { state.batch = v; applyTraining(); }),
      el("button", { onclick: function () { state.seed += 1; applyData(true); } }, t("regenerate")),
      el("label", { class: "lab-csv" }, el("span", { text: t("csv") }), csvInput)
    );

    function buildDatasets() {
      datasetBox.textContent = "";
      var names = state.problem === "regression" ? ["plane", "multi-gauss"] : ["circle", "xor", "gauss", "spiral"];
      if (state.data === "csv") names = names.concat(["csv"]);
      names.forEach(function (name) {
        var label = name === "csv" ? t("csvData", { n: state.csv.trim().split("\n").length }) : t(name);
        datasetBox.appendChild(
          el("button", {
            class: "lab-dataset" + (state.data === name ? " lab-selected" : ""),
            onclick: function () {
              if (name === "csv") return;
              state.data = name;
              buildDatasets();
              applyData();
            },
          }, label)
        );
      });
      classesSelect.disabled = !(state.data === "gauss" || state.data === "spiral");
    }

    // Network columns.
    var network = el("div", { class: "lab-network" });
    var links = L.canvas(10, 10, "lab-links");
    var networkBox = el("div", { class: "lab-network-box" }, links, network);
    var unitCanvases = []; // [layer][unit] canvases, features first

    function buildNetwork() {
      geometry = null;
      network.textContent = "";
      unitCanvases = [];
      // Features.
      var featureColumn = el("div", { class: "lab-column lab-layer lab-features", title: t("featuresHelp") }, el("h4", { text: t("features") }), el("p", { class: "lab-help", text: t("toggle") }));
      var active = [];
      FEATURES.forEach(function (f) {
        var on = state.features.indexOf(f[0]) >= 0;
        var c = L.canvas(UNIT, UNIT, "lab-unit", 32);
        var node = el("div", {
          class: "lab-node" + (on ? "" : " lab-off"),
          title: f[1],
          onclick: function () {
            var i = state.features.indexOf(f[0]);
            if (i >= 0 && state.features.length > 1) state.features.splice(i, 1);
            else if (i < 0) state.features.push(f[0]);
            state.features.sort(function (a, b) {
              return FEATURES.findIndex(function (x) { return x[0] === a; }) - FEATURES.findIndex(function (x) { return x[0] === b; });
            });
            applyNetwork();
          },
        }, c, el("span", { text: f[1] }));
        featureColumn.appendChild(node);
        if (on) active.push(c);
      });
      unitCanvases.push(active);
      network.appendChild(featureColumn);

      // Hidden layers, with + and − for layers and neurons.
      var hiddenHeader = el(
        "div",
        { class: "lab-layers-header" },
        el("button", { onclick: function () { if (state.hidden.length < MAX_LAYERS) { state.hidden.push(2); applyNetwork(); } } }, "+"),
        el("button", { onclick: function () { if (state.hidden.length > 0) { state.hidden.pop(); applyNetwork(); } } }, "−"),
        el("span", { text: t("hidden", { n: state.hidden.length }) })
      );
      var layersBox = el("div", { class: "lab-hidden-layers" });
      state.hidden.forEach(function (width, k) {
        var column = el(
          "div",
          { class: "lab-column lab-layer" },
          el(
            "div",
            { class: "lab-neuron-buttons" },
            el("button", { onclick: function () { if (state.hidden[k] < MAX_NEURONS) { state.hidden[k] += 1; applyNetwork(); } } }, "+"),
            el("button", { onclick: function () { if (state.hidden[k] > 1) { state.hidden[k] -= 1; applyNetwork(); } } }, "−")
          ),
          el("p", { class: "lab-help", text: t(width === 1 ? "neuron" : "neurons", { n: width }) })
        );
        var units = [];
        for (var i = 0; i < width; i++) {
          var c = L.canvas(UNIT, UNIT, "lab-unit", 32);
          column.appendChild(el("div", { class: "lab-node" }, c));
          units.push(c);
        }
        unitCanvases.push(units);
        layersBox.appendChild(column);
      });
      network.appendChild(el("div", { class: "lab-column lab-hidden-box" }, hiddenHeader, layersBox));
    }

    // Output column.
    var boundary = L.canvas(BOUNDARY, BOUNDARY, "lab-boundary");
    var pointsLayer = L.canvas(300, 300, "lab-points");
    var curve = L.canvas(300, 70, "lab-curve");
    var lossText = el("div", { class: "lab-losses" });
    var showTest = el("input", { type: "checkbox", onchange: function () { state.showTest = showTest.checked; draw(); } });
    var discretize = el("input", { type: "checkbox", onchange: function () { state.discretize = discretize.checked; draw(); } });
    var downloadButton = el("button", { onclick: download }, "⤓ " + t("download"));
    var outputColumn = el(
      "div",
      { class: "lab-column lab-output" },
      el("h4", { text: t("output") }),
      lossText,
      curve,
      el("div", { class: "lab-plane" }, boundary, pointsLayer),
      el("label", { class: "lab-check" }, showTest, t("showTest")),
      el("label", { class: "lab-check" }, discretize, t("discretize")),
      el("p", { class: "lab-help", text: t("legend") }),
      downloadButton
    );

    // The preset's comparison.
    var compareRelu = L.canvas(BOUNDARY, BOUNDARY, "lab-boundary-small");
    var compareSigmoid = L.canvas(BOUNDARY, BOUNDARY, "lab-boundary-small");
    var compareText = [el("p"), el("p")];
    var compare = el(
      "div",
      { class: "lab-compare lab-hidden" },
      el("div", {}, compareRelu, compareText[0]),
      el("div", {}, compareSigmoid, compareText[1])
    );
    var presetButton = el("button", { class: "lab-preset", onclick: preset }, t("preset"));

    root.textContent = "";
    root.appendChild(top);
    root.appendChild(message);
    root.appendChild(el("div", { class: "lab-main" }, dataColumn, networkBox, outputColumn));
    root.appendChild(el("div", { class: "lab-footer" }, presetButton, el("span", { class: "lab-help", text: t("presetHelp") }), speedLabel));
    root.appendChild(compare);

    // ---------------------------------------------------------- drawing
    function colourOf(values, classes, discrete) {
      return function (i) {
        if (classes === 1) {
          var v = values[i];
          return L.diverging(discrete ? Math.sign(v) : v);
        }
        if (classes === 2) {
          var d = values[2 * i + 1] - values[2 * i];
          return L.diverging(discrete ? Math.sign(d) : d);
        }
        var r = 255, g = 255, b = 255, best = 0;
        for (var k = 0; k < classes; k++) if (values[classes * i + k] > values[classes * i + best]) best = k;
        var mix = [0, 0, 0];
        for (var j = 0; j < classes; j++) {
          var p = discrete ? (j === best ? 1 : 0) : values[classes * i + j];
          var c = L.palette[j];
          mix[0] += p * c[0];
          mix[1] += p * c[1];
          mix[2] += p * c[2];
        }
        // Lighter where the network is unsure.
        var sure = discrete ? 1 : Math.min(1, (values[classes * i + best] - 1 / classes) * classes / (classes - 1) + 0.25);
        return [r + (mix[0] - r) * sure, g + (mix[1] - g) * sure, b + (mix[2] - b) * sure];
      };
    }

    // The plane is drawn paler than the points, so that they stand out.
    function drawBoundary(net, cv) {
      var colour = colourOf(net.boundary(BOUNDARY), net.classes(), state.discretize);
      L.paint(cv, BOUNDARY, BOUNDARY, function (i) {
        var c = colour(i);
        return [c[0] + (255 - c[0]) * 0.3, c[1] + (255 - c[1]) * 0.3, c[2] + (255 - c[2]) * 0.3];
      });
    }

    function drawPoints(net, cv) {
      var ctx = cv.getContext("2d");
      var w = cv.width;
      ctx.clearRect(0, 0, w, w);
      var p = net.points(), classes = net.classes();
      for (var i = 0; i < p.length; i += 4) {
        var test = p[i + 3] === 1;
        if (test && !state.showTest) continue;
        var x = ((p[i] + 6) / 12) * w, y = ((6 - p[i + 1]) / 12) * w;
        var c = classes === 1 ? L.diverging(p[i + 2]) : classes === 2 ? (p[i + 2] === 1 ? L.palette[1] : L.palette[0]) : L.palette[p[i + 2]];
        ctx.beginPath();
        ctx.arc(x, y, w / 90, 0, 2 * Math.PI);
        ctx.fillStyle = "rgb(" + c.map(Math.round).join(",") + ")";
        ctx.fill();
        ctx.lineWidth = 1;
        ctx.strokeStyle = test ? "#000" : "#fff";
        ctx.stroke();
      }
    }

    function drawUnits() {
      var maps = pg.unit_maps(UNIT);
      var n2 = UNIT * UNIT, offset = 0;
      unitCanvases.forEach(function (units) {
        units.forEach(function (c) {
          var start = offset;
          var scale = 1e-6;
          for (var i = 0; i < n2; i++) scale = Math.max(scale, Math.abs(maps[start + i]));
          L.paint(c, UNIT, UNIT, function (i) { return L.diverging(maps[start + i] / scale); });
          offset += n2;
        });
      });
    }

    // Where each unit's links start and end, measured once per layout (the
    // network's shape, the window's size).
    var geometry = null;
    function measure() {
      var box = networkBox.getBoundingClientRect();
      var ends = unitCanvases.map(function (units) {
        return units.map(function (c) {
          var r = c.getBoundingClientRect();
          var y = r.top + r.height / 2 - box.top;
          return { left: [r.left - box.left, y], right: [r.right - box.left, y] };
        });
      });
      return { width: Math.max(1, Math.round(box.width)), height: Math.max(1, Math.round(box.height)), ends: ends };
    }

    function drawLinks() {
      var key = networkBox.offsetWidth + "x" + networkBox.offsetHeight;
      if (!geometry || geometry.key !== key) {
        geometry = measure();
        geometry.key = key;
        links.width = geometry.width;
        links.height = geometry.height;
      }
      var ctx = links.getContext("2d");
      ctx.clearRect(0, 0, links.width, links.height);
      var w = pg.weights(), sizes = pg.layer_sizes(), offset = 0;
      for (var l = 0; l + 1 < unitCanvases.length; l++) {
        var from = geometry.ends[l], to = geometry.ends[l + 1];
        var outs = sizes[l + 1];
        for (var i = 0; i < from.length; i++) {
          for (var j = 0; j < to.length; j++) {
            var v = w[offset + i * outs + j];
            var a = from[i].right, b = to[j].left;
            var c = L.diverging(Math.max(-1, Math.min(1, v)));
            ctx.strokeStyle = "rgb(" + c.map(Math.round).join(",") + ")";
            ctx.lineWidth = Math.min(6, 0.4 + 2 * Math.abs(v));
            ctx.beginPath();
            ctx.moveTo(a[0], a[1]);
            ctx.bezierCurveTo((a[0] + b[0]) / 2, a[1], (a[0] + b[0]) / 2, b[1], b[0], b[1]);
            ctx.stroke();
          }
        }
        offset += sizes[l] * outs;
      }
    }

    function fmt(v) {
      return isFinite(v) ? v.toFixed(3) : String(v);
    }

    function draw() {
      drawBoundary(pg, boundary);
      drawPoints(pg, pointsLayer);
      drawUnits();
      drawLinks();
      var e = String(pg.epoch());
      epochLabel.textContent = ("000000" + e).slice(-Math.max(6, e.length)).replace(/(\d{3})$/, ",$1");
      lossText.textContent = t("testLoss") + " " + fmt(history.test[history.test.length - 1]) + " · " + t("trainLoss") + " " + fmt(history.train[history.train.length - 1]);
      L.chart(curve, [
        { values: history.test, colour: "#777", width: 1.5 },
        { values: history.train, colour: "#000", width: 1.5 },
      ]);
      if (twin) {
        drawBoundary(pg, compareRelu);
        drawBoundary(twin, compareSigmoid);
        compareText[0].textContent = "ReLU — " + t("testLoss") + " " + fmt(pg.loss(true));
        compareText[1].textContent = "Sigmoid — " + t("testLoss") + " " + fmt(twin.loss(true));
      }
    }

    function train(epochs) {
      for (var i = 0; i < epochs; i++) {
        var ok = pg.step();
        if (twin) ok = twin.step() && ok;
        if (!ok) {
          diverged = true;
          setPlaying(false);
          setMessage(t("diverged"));
          break;
        }
        record();
      }
    }

    // The frame loop: one epoch per frame, as Playground.
    var frames = 0, epochs = 0, since = performance.now();
    function frame() {
      if (!state.playing) return;
      train(1);
      draw();
      frames += 1;
      epochs += 1;
      var now = performance.now();
      if (now - since > 1000) {
        speedLabel.textContent = t("speed", { eps: Math.round((1000 * epochs) / (now - since)), fps: Math.round((1000 * frames) / (now - since)) });
        frames = 0;
        epochs = 0;
        since = now;
      }
      requestAnimationFrame(frame);
    }

    function download() {
      var bytes = pg.safetensors();
      var url = URL.createObjectURL(new Blob([bytes], { type: "application/octet-stream" }));
      var a = el("a", { href: url, download: "playground-" + state.activation + ".safetensors" });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    }

    function preset() {
      setPlaying(false);
      leavePreset();
      Object.assign(state, {
        problem: "classification", data: "circle", noise: 0, ratio: 50, batch: 10,
        features: ["x1", "x2"], hidden: [6, 6], activation: "relu", lr: 0.1, reg: "none", rate: 0,
      });
      problemSelect.value = "classification";
      activationSelect.value = "relu";
      lrSelect.value = "0.1";
      regSelect.value = "none";
      buildDatasets();
      // Both from the same seed: the same points, the same batches.
      var make = function (activation) {
        var net = new wasm.Playground(0);
        net.set_data(state.data, state.classes, state.samples, state.noise, state.ratio / 100, state.seed);
        net.set_network(state.features.join(","), state.hidden, activation);
        net.set_training(state.lr, state.batch, state.reg, state.rate);
        return net;
      };
      pg.free();
      pg = make("relu");
      twin = make("sigmoid");
      diverged = false;
      compare.classList.remove("lab-hidden");
      history = { train: [], test: [] };
      record();
      buildNetwork();
      draw();
    }

    window.addEventListener("resize", function () {
      geometry = null;
      if (ready) drawLinks();
    });

    buildDatasets();
    setPlaying(false);
    applyData();
    ready = true;
    var interactive = L.since();

    // ---------------------------------------------------------- self-test
    if (L.selftest) {
      return selftest(interactive);
    }

    function pixels(cv) {
      return cv.getContext("2d").getImageData(0, 0, cv.width, cv.height).data;
    }

    function selftest(interactive) {
      // TensorFlow Playground's defaults, which the page starts with: circle,
      // ratio 50 %, noise 0, batch 10, 4 and 2 tanh neurons, lr 0.03, no
      // regularisation; 300 epochs.
      var before = pixels(boundary).slice();
      var done = 0, busy = 0;
      return new Promise(function (resolve) {
        function chunk() {
          var t0 = performance.now();
          train(Math.min(25, 300 - done));
          busy += performance.now() - t0;
          done = pg.epoch();
          if (done < 300 && !diverged) {
            setTimeout(chunk, 0);
            return;
          }
          draw();
          resolve();
        }
        chunk();
      }).then(function () {
        var loss = pg.loss(true);
        var after = pixels(boundary);
        var changed = 0;
        for (var i = 0; i < after.length; i++) if (after[i] !== before[i]) changed++;
        var epochs = pg.epoch();
        var steps = Math.round((epochs * pg.steps_per_epoch() * 1000) / Math.max(busy, 1e-3));
        // Then play for a second, one epoch per frame, and count the frames.
        return measureFps().then(function (fps) {
          var figures = "test loss " + loss.toFixed(4) + " after " + epochs + " epochs, " + steps + " steps/s, boundary changed in " + Math.round(changed / 4) + " px, interactive in " + interactive + " ms, " + fps;
          if (diverged || !(loss < 0.1)) return L.report("playground", false, "test loss " + loss + " is not below 0.1; " + figures);
          if (changed === 0) return L.report("playground", false, "the boundary canvas did not change; " + figures);
          var problem = smoke();
          if (problem) return L.report("playground", false, problem + "; " + figures);
          L.report("playground", true, figures + ", every control path ran");
        });
      });
    }

    // Then every other path once (regression, more classes, features, layers,
    // the preset, a CSV, the download's bytes): a message means one failed.
    function smoke() {
      var steps = [
        ["regression", function () { state.problem = "regression"; state.data = "multi-gauss"; buildDatasets(); applyData(); }],
        ["three-class spiral, ReLU, 3 layers", function () {
          Object.assign(state, { problem: "classification", data: "spiral", classes: 3, features: ["x1", "x2", "sinx1"], hidden: [8, 8, 8], activation: "relu", reg: "l1", rate: 0.001 });
          buildDatasets();
          applyData();
        }],
        ["preset", preset],
        ["CSV", function () {
          state.csv = "x,y,label\n1,1,0\n-1,-1,1\n2,2,0\n-2,-2,1\n0,3,2\n3,0,2\n";
          state.data = "csv";
          buildDatasets();
          applyData();
        }],
      ];
      for (var i = 0; i < steps.length; i++) {
        steps[i][1]();
        train(2);
        draw();
        if (!message.classList.contains("lab-hidden") || diverged) return steps[i][0] + ": " + message.textContent;
      }
      if (pg.classes() !== 3 || !(pg.safetensors().length > 100)) return "CSV: expected 3 classes and a safetensors file";
      return "";
    }

    function measureFps() {
      return new Promise(function (resolve) {
        var count = 0, t0 = 0, work = 0;
        function tick(now) {
          if (!t0) t0 = now;
          var start = performance.now();
          train(1);
          draw();
          work += performance.now() - start;
          count++;
          if (now - t0 < 1000) requestAnimationFrame(tick);
          else resolve(Math.round((1000 * (count - 1)) / (now - t0)) + " fps while training (" + (work / count).toFixed(1) + " ms of work a frame)");
        }
        requestAnimationFrame(tick);
      });
    }
  });
})();
