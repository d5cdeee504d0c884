// The sine page: the hands-on's two fits of sin x, drawn as they train, around
// lab::Sine (lab/src/sine.rs): backprop::TwoLayerTanh by gradient descent and
// an mlp::Mlp trained by sgd::Adam. This file only reads the controls and draws.
(function () {
  "use strict";
  var L = window.Lab, el = L.el;

  var TEXT = {
    en: {
      play: "Play", pause: "Pause", step: "Step", reset: "Reset",
      hand: "By hand: 1 → {h} (tanh) → 1, gradient descent",
      library: "The library: Mlp 1 → {h} (tanh) → 1, Adam",
      hidden: "Hidden units", lr: "Learning rate", iterationsPerFrame: "Iterations per frame", stepsPerFrame: "Steps per frame",
      iterations: "{n} iterations, MSE {mse}", steps: "{n} Adam steps, MSE {mse}",
      legend: "black: sin x; colour: the network's ŷ at the 200 training points. Below: the MSE (log scale) as it trains.",
      diverged: "diverged: lower the learning rate and press Reset",
    },
    es: {
      play: "Reproducir", pause: "Pausa", step: "Un paso", reset: "Reiniciar",
      hand: "A mano: 1 → {h} (tanh) → 1, descenso de gradiente",
      library: "La biblioteca: Mlp 1 → {h} (tanh) → 1, Adam",
      hidden: "Unidades ocultas", lr: "Tasa de aprendizaje", iterationsPerFrame: "Iteraciones por cuadro", stepsPerFrame: "Pasos por cuadro",
      iterations: "{n} iteraciones, MSE {mse}", steps: "{n} pasos de Adam, MSE {mse}",
      legend: "negro: sin x; color: la ŷ de la red en los 200 puntos de entrenamiento. Abajo: el MSE (escala logarítmica) mientras entrena.",
      diverged: "divergió: baja la tasa de aprendizaje y pulsa Reiniciar",
    },
  }[L.lang];
  var t = function (k, v) { return L.format(TEXT[k], v); };

  L.start("sine", "lab-sine.html", function (root, wasm) {
    var cfg = { handHidden: 10, libHidden: 50, handLr: 0.01, adamLr: 0.01, handPerFrame: 200, adamPerFrame: 5 };
    var sine = new wasm.Sine(1);
    var xs = sine.xs();
    var truth = Array.from(xs, Math.sin);
    var playing = false;
    var curves = { hand: [], library: [] };

    function panel(which) {
      var title = el("h4");
      var status = el("p", { class: "lab-status" });
      var fit = L.canvas(360, 220, "lab-fit");
      var loss = L.canvas(360, 90, "lab-curve");
      var hidden = L.select(
        [1, 2, 3, 5, 10, 20, 50, 100].map(function (v) { return [v, String(v)]; }),
        which === "hand" ? cfg.handHidden : cfg.libHidden,
        function (v) {
          if (which === "hand") cfg.handHidden = Number(v);
          else cfg.libHidden = Number(v);
          reset();
        }
      );
      var lr = L.select(
        [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3].map(function (v) { return [v, String(v)]; }),
        which === "hand" ? cfg.handLr : cfg.adamLr,
        function (v) {
          if (which === "hand") cfg.handLr = Number(v);
          else cfg.adamLr = Number(v);
          sine.set_learning_rates(cfg.handLr, cfg.adamLr);
        }
      );
      var per = L.select(
        (which === "hand" ? [1, 10, 100, 200, 1000] : [1, 2, 5, 10, 50]).map(function (v) { return [v, String(v)]; }),
        which === "hand" ? cfg.handPerFrame : cfg.adamPerFrame,
        function (v) {
          if (which === "hand") cfg.handPerFrame = Number(v);
          else cfg.adamPerFrame = Number(v);
        }
      );
      var box = el(
        "div",
        { class: "lab-sine-panel" },
        title,
        el(
          "div",
          { class: "lab-toolbar" },
          el("label", { class: "lab-control" }, el("span", { text: t("hidden") }), hidden),
          el("label", { class: "lab-control" }, el("span", { text: t("lr") }), lr),
          el("label", { class: "lab-control" }, el("span", { text: t(which === "hand" ? "iterationsPerFrame" : "stepsPerFrame") }), per)
        ),
        fit,
        loss,
        status
      );
      return { box: box, title: title, status: status, fit: fit, loss: loss };
    }

    var hand = panel("hand"), library = panel("library");
    var playButton = el("button", { onclick: function () { setPlaying(!playing); } });
    root.textContent = "";
    root.appendChild(
      el(
        "div",
        { class: "lab-toolbar" },
        el("button", { onclick: reset }, "⟲ " + t("reset")),
        playButton,
        el("button", { onclick: function () { setPlaying(false); advance(); draw(); } }, t("step") + " ›")
      )
    );
    root.appendChild(el("div", { class: "lab-sine" }, hand.box, library.box));
    root.appendChild(el("p", { class: "lab-help", text: t("legend") }));

    function setPlaying(on) {
      playing = on;
      playButton.textContent = playing ? "❚❚ " + t("pause") : "▶ " + t("play");
      if (playing) requestAnimationFrame(frame);
    }

    function reset() {
      sine.reset(cfg.handHidden, cfg.libHidden);
      sine.set_learning_rates(cfg.handLr, cfg.adamLr);
      curves = { hand: [sine.hand_loss()], library: [sine.library_loss()] };
      draw();
    }

    function advance() {
      var h = sine.hand_steps(cfg.handPerFrame);
      var a = sine.adam_steps(cfg.adamPerFrame);
      curves.hand.push(h);
      curves.library.push(a);
    }

    function drawFit(cv, fit, colour) {
      var ctx = cv.getContext("2d");
      var w = cv.width, h = cv.height;
      ctx.fillStyle = "#fafafa";
      ctx.fillRect(0, 0, w, h);
      var x0 = xs[0], x1 = xs[xs.length - 1];
      var px = function (x) { return 6 + ((w - 12) * (x - x0)) / (x1 - x0); };
      var py = function (y) { return h / 2 - (y * (h - 20)) / 3; };
      ctx.strokeStyle = "#ddd";
      ctx.beginPath();
      ctx.moveTo(0, py(0));
      ctx.lineTo(w, py(0));
      ctx.stroke();
      var line = function (ys, style, width) {
        ctx.strokeStyle = style;
        ctx.lineWidth = width;
        ctx.beginPath();
        for (var i = 0; i < xs.length; i++) {
          var y = Math.max(-1.6, Math.min(1.6, ys[i]));
          if (i) ctx.lineTo(px(xs[i]), py(y));
          else ctx.moveTo(px(xs[i]), py(y));
        }
        ctx.stroke();
      };
      line(truth, "#000", 1.5);
      line(fit, colour, 2.5);
    }

    function fmt(v) {
      return isFinite(v) ? (v < 0.01 ? v.toExponential(2) : v.toFixed(4)) : t("diverged");
    }

    function draw() {
      hand.title.textContent = t("hand", { h: cfg.handHidden });
      library.title.textContent = t("library", { h: cfg.libHidden });
      drawFit(hand.fit, sine.hand_fit(), "rgb(8,119,189)");
      drawFit(library.fit, sine.library_fit(), "rgb(245,147,34)");
      L.chart(hand.loss, [{ values: curves.hand, colour: "rgb(8,119,189)" }], { log: true });
      L.chart(library.loss, [{ values: curves.library, colour: "rgb(245,147,34)" }], { log: true });
      hand.status.textContent = t("iterations", { n: sine.hand_iterations(), mse: fmt(sine.hand_loss()) });
      library.status.textContent = t("steps", { n: sine.adam_step_count(), mse: fmt(sine.library_loss()) });
    }

    function frame() {
      if (!playing) return;
      advance();
      draw();
      requestAnimationFrame(frame);
    }

    setPlaying(false);
    reset();
    var interactive = L.since();

    if (L.selftest) {
      // 2 000 Adam steps of the library's 1 → 50 → 1 at lr 0.01, the demo's
      // network and seed; and as many by-hand iterations.
      var t0 = performance.now();
      var mse = sine.adam_steps(2000);
      var seconds = (performance.now() - t0) / 1000;
      var handMse = sine.hand_steps(2000);
      draw();
      var figures = "Adam MSE " + mse.toExponential(3) + " after " + sine.adam_step_count() + " steps (" + Math.round(2000 / Math.max(seconds, 1e-6)) + " steps/s), by hand MSE " + handMse.toFixed(4) + " after " + sine.hand_iterations() + " iterations, interactive in " + interactive + " ms";
      L.report("sine", mse < 0.01, mse < 0.01 ? figures : "Adam MSE " + mse + " is not below 0.01; " + figures);
    }
  });
})();
