// The CNN page (CNN Explainer in small) around lab::Explainer
// (lab/src/explainer.rs): the cnn crate's TinyVGG with the weights the `cnn`
// binary trained (lab/pkg/tinyvgg.safetensors), run on a test image or on one
// drawn here. This file only reads the controls and draws.
(function () {
  "use strict";
  var L = window.Lab, el = L.el;

  var TEXT = {
    en: {
      pick: "Pick a test image (the first 100 of the embedded Fashion-MNIST test set)",
      draw: "…or draw one (28 × 28; light on dark, as Fashion-MNIST)",
      clear: "Clear", copy: "Start from the picked one", probabilities: "Class probabilities",
      label: "label: {c}", drawn: "your drawing", maps: "Every layer's feature maps (click a pixel of a convolution or pooling map)",
      input: "input", window: "{layer}, channel {c}, pixel ({r}, {k})",
      conv: "Σ window ⊙ kernel + bias = {sum} (the layer's output: {out})",
      pool: "max of the window = {out}",
      inputChannel: "input channel {c}", windowLabel: "window", kernelLabel: "kernel", bias: "bias {b}",
      params: "TinyVGG, {n} parameters, trained by the cnn binary",
    },
    es: {
      pick: "Elige una imagen de prueba (las 100 primeras del conjunto de prueba de Fashion-MNIST incluido)",
      draw: "…o dibuja una (28 × 28; claro sobre oscuro, como Fashion-MNIST)",
      clear: "Borrar", copy: "Partir de la elegida", probabilities: "Probabilidades de cada clase",
      label: "etiqueta: {c}", drawn: "tu dibujo", maps: "Los mapas de características de cada capa (haz clic en un píxel de un mapa de convolución o de pooling)",
      input: "entrada", window: "{layer}, canal {c}, píxel ({r}, {k})",
      conv: "Σ ventana ⊙ kernel + sesgo = {sum} (la salida de la capa: {out})",
      pool: "máximo de la ventana = {out}",
      inputChannel: "canal de entrada {c}", windowLabel: "ventana", kernelLabel: "kernel", bias: "sesgo {b}",
      params: "TinyVGG, {n} parámetros, entrenada por el binario cnn",
    },
  }[L.lang];
  var t = function (k, v) { return L.format(TEXT[k], v); };
  var MAP_PX = 60;

  L.start("cnn", "lab-cnn.html", function (root, wasm) {
    return Promise.all([L.fetchBytes("lab/pkg/tinyvgg.safetensors"), L.fetchBytes("lab/pkg/tinyvgg_test.safetensors")]).then(function (files) {
      var ex = new wasm.Explainer(files[0]);
      var n = ex.load_tests(files[1]);
      var classes = ex.classes().split("\n");
      var images = ex.test_images(), labels = ex.test_labels();
      var current = { image: images.slice(0, 784), label: labels[0], picked: 0 };
      var selection = null; // {map, c, r, k}

      // ------------------------------------------------------------ layout
      var thumbs = L.canvas(280, 28 * Math.ceil(n / 10), "lab-thumbs");
      var drawCanvas = L.canvas(28, 28, "lab-draw", 168);
      var bars = el("div", { class: "lab-bars" });
      var caption = el("p", { class: "lab-help" });
      var mapsBox = el("div", { class: "lab-maps" });
      var detail = el("div", { class: "lab-detail" });
      root.textContent = "";
      root.appendChild(
        el(
          "div",
          { class: "lab-cnn-top" },
          el("div", {}, el("p", { class: "lab-help", text: t("pick") }), thumbs),
          el(
            "div",
            {},
            el("p", { class: "lab-help", text: t("draw") }),
            drawCanvas,
            el(
              "div",
              { class: "lab-toolbar lab-stack" },
              el("button", { onclick: function () { setImage(new Uint8Array(784), null, -1); } }, t("clear")),
              el("button", { onclick: function () { var i = Math.max(0, current.picked); setImage(images.slice(i * 784, i * 784 + 784), labels[i], i); } }, t("copy"))
            )
          ),
          el("div", { class: "lab-probabilities" }, el("h4", { text: t("probabilities") }), caption, bars)
        )
      );
      root.appendChild(el("p", { class: "lab-help", text: t("params", { n: ex.parameter_count() }) }));
      root.appendChild(el("h4", { text: t("maps") }));
      root.appendChild(mapsBox);
      root.appendChild(detail);

      // Thumbnails.
      (function () {
        var ctx = thumbs.getContext("2d");
        var img = ctx.createImageData(28, 28);
        for (var i = 0; i < n; i++) {
          for (var p = 0; p < 784; p++) {
            var v = images[i * 784 + p];
            img.data[4 * p] = img.data[4 * p + 1] = img.data[4 * p + 2] = v;
            img.data[4 * p + 3] = 255;
          }
          ctx.putImageData(img, (i % 10) * 28, Math.floor(i / 10) * 28);
        }
      })();
      thumbs.addEventListener("click", function (ev) {
        var r = thumbs.getBoundingClientRect();
        var i = Math.floor(((ev.clientY - r.top) / r.height) * (thumbs.height / 28)) * 10 + Math.floor(((ev.clientX - r.left) / r.width) * 10);
        if (i >= 0 && i < n) setImage(images.slice(i * 784, i * 784 + 784), labels[i], i);
      });

      // Drawing: a soft round brush on the 28 × 28 grid.
      var drawing = false, pending = false;
      function brush(ev) {
        var r = drawCanvas.getBoundingClientRect();
        var x = ((ev.clientX - r.left) / r.width) * 28, y = ((ev.clientY - r.top) / r.height) * 28;
        for (var i = 0; i < 28; i++) {
          for (var j = 0; j < 28; j++) {
            var d2 = (j + 0.5 - x) * (j + 0.5 - x) + (i + 0.5 - y) * (i + 0.5 - y);
            var add = 255 * Math.exp(-d2 / 1.2);
            if (add > 1) current.image[i * 28 + j] = Math.min(255, current.image[i * 28 + j] + add);
          }
        }
        current.label = null;
        current.picked = -1;
        if (!pending) {
          pending = true;
          requestAnimationFrame(function () { pending = false; run(); });
        }
      }
      drawCanvas.addEventListener("pointerdown", function (ev) { drawing = true; drawCanvas.setPointerCapture(ev.pointerId); brush(ev); });
      drawCanvas.addEventListener("pointermove", function (ev) { if (drawing) brush(ev); });
      drawCanvas.addEventListener("pointerup", function () { drawing = false; });

      function setImage(image, label, picked) {
        current = { image: Uint8Array.from(image), label: label, picked: picked };
        run();
      }

      // ------------------------------------------------------------ drawing
      var rows = []; // one per map: {canvases, shape, layer}
      function paintMap(cv, values, offset, h, w, scale, grey) {
        var small = document.createElement("canvas");
        small.width = w;
        small.height = h;
        L.paint(small, w, h, function (i) {
          var v = values[offset + i];
          if (grey) {
            var g = Math.round(((v + 1) / 2) * 255);
            return [g, g, g];
          }
          return L.diverging(v / scale);
        });
        var ctx = cv.getContext("2d");
        ctx.imageSmoothingEnabled = false;
        ctx.drawImage(small, 0, 0, cv.width, cv.height);
      }

      function buildRows() {
        mapsBox.textContent = "";
        rows = [];
        var count = ex.layer_count();
        for (var k = 0; k <= count; k++) {
          var shape = ex.map_shape(k);
          var kind = k === 0 ? "input" : ex.layer(k - 1).split(" ")[1];
          if (kind === "flatten" || kind === "linear") continue;
          var name = k === 0 ? t("input") : ex.layer(k - 1);
          var line = el("div", { class: "lab-map-row" }, el("div", { class: "lab-map-name", text: name + " · " + shape.join("×") }));
          var canvases = [];
          for (var c = 0; c < shape[0]; c++) {
            var cv = L.canvas(shape[2] * 4, shape[1] * 4, "lab-map", MAP_PX);
            cv.dataset.map = k;
            cv.dataset.channel = c;
            cv.addEventListener("click", pick);
            canvases.push(cv);
            line.appendChild(cv);
          }
          rows.push({ k: k, kind: kind, shape: shape, canvases: canvases, line: line });
          mapsBox.appendChild(line);
        }
      }

      function pick(ev) {
        var cv = ev.currentTarget, k = Number(cv.dataset.map);
        var row = rows.find(function (r) { return r.k === k; });
        if (!row || (row.kind !== "conv" && row.kind !== "maxpool")) return;
        var r = cv.getBoundingClientRect();
        selection = {
          k: k,
          c: Number(cv.dataset.channel),
          r: Math.floor(((ev.clientY - r.top) / r.height) * row.shape[1]),
          col: Math.floor(((ev.clientX - r.left) / r.width) * row.shape[2]),
        };
        drawMaps();
        drawDetail();
      }

      function drawMaps() {
        rows.forEach(function (row) {
          var values = ex.map(row.k), hw = row.shape[1] * row.shape[2];
          var scale = 1e-6;
          for (var i = 0; i < values.length; i++) scale = Math.max(scale, Math.abs(values[i]));
          row.canvases.forEach(function (cv, c) {
            paintMap(cv, values, c * hw, row.shape[1], row.shape[2], scale, row.k === 0);
          });
        });
        if (!selection) return;
        // The chosen pixel, and the window it reads in the map before it.
        var out = rows.find(function (r) { return r.k === selection.k; });
        var input = rows.find(function (r) { return r.k === selection.k - 1; });
        var box = function (cv, shape, r0, c0, size) {
          var ctx = cv.getContext("2d");
          var sy = cv.height / shape[1], sx = cv.width / shape[2];
          ctx.strokeStyle = "#d00";
          ctx.lineWidth = 2;
          ctx.strokeRect(c0 * sx, r0 * sy, size * sx, size * sy);
        };
        box(out.canvases[selection.c], out.shape, selection.r, selection.col, 1);
        if (input) {
          var w = ex.window(selection.k - 1, selection.c, selection.r, selection.col);
          var size = w[1];
          var conv = out.kind === "conv";
          var r0 = conv ? selection.r - 1 : selection.r * 2, c0 = conv ? selection.col - 1 : selection.col * 2;
          input.canvases.forEach(function (cv, c) {
            if (conv || c === selection.c) box(cv, input.shape, r0, c0, size);
          });
        }
      }

      function grid(values, offset, size, scale) {
        var table = el("table", { class: "lab-grid" });
        for (var i = 0; i < size; i++) {
          var tr = el("tr");
          for (var j = 0; j < size; j++) {
            var v = values[offset + i * size + j];
            var c = L.diverging(v / scale);
            tr.appendChild(el("td", { style: "background: rgb(" + c.map(Math.round).join(",") + ")", text: v.toFixed(2) }));
          }
          table.appendChild(tr);
        }
        return table;
      }

      function drawDetail() {
        detail.textContent = "";
        if (!selection) return;
        // Right under the row of the chosen map.
        var row = rows.find(function (r) { return r.k === selection.k; });
        if (row) row.line.after(detail);
        var w = ex.window(selection.k - 1, selection.c, selection.r, selection.col);
        if (!w.length) return;
        var cIn = w[0], size = w[1], per = size * w[2];
        var name = ex.layer(selection.k - 1);
        detail.appendChild(el("h4", { text: t("window", { layer: name, c: selection.c, r: selection.r, k: selection.col }) }));
        var windows = w.slice(3, 3 + cIn * per);
        var scaleW = Math.max.apply(null, Array.from(windows, Math.abs).concat([1e-6]));
        if (name.indexOf("conv") >= 0) {
          var kernel = w.slice(3 + cIn * per, 3 + 2 * cIn * per);
          var scaleK = Math.max.apply(null, Array.from(kernel, Math.abs).concat([1e-6]));
          var bias = w[3 + 2 * cIn * per], sum = w[4 + 2 * cIn * per], out = w[5 + 2 * cIn * per];
          detail.appendChild(el("p", { text: t("conv", { sum: sum.toFixed(4), out: out.toFixed(4) }) + " · " + t("bias", { b: bias.toFixed(4) }) }));
          var list = el("div", { class: "lab-windows" });
          for (var c = 0; c < cIn; c++) {
            list.appendChild(
              el(
                "div",
                { class: "lab-window" },
                el("div", { class: "lab-help", text: t("inputChannel", { c: c }) }),
                el("div", { class: "lab-pair" },
                  el("div", {}, el("div", { class: "lab-help", text: t("windowLabel") }), grid(windows, c * per, size, scaleW)),
                  el("div", {}, el("div", { class: "lab-help", text: t("kernelLabel") }), grid(kernel, c * per, size, scaleK)))
              )
            );
          }
          detail.appendChild(list);
        } else {
          detail.appendChild(el("p", { text: t("pool", { out: w[3 + per].toFixed(4) }) }));
          detail.appendChild(grid(windows, 0, size, scaleW));
        }
      }

      function drawBars(probs) {
        bars.textContent = "";
        var best = 0;
        for (var i = 1; i < probs.length; i++) if (probs[i] > probs[best]) best = i;
        classes.forEach(function (name, i) {
          bars.appendChild(
            el(
              "div",
              { class: "lab-bar" + (i === best ? " lab-best" : "") + (i === current.label ? " lab-true" : "") },
              el("span", { class: "lab-bar-name", text: name }),
              el("span", { class: "lab-bar-fill", style: "width: " + (probs[i] * 100).toFixed(1) + "%" }),
              el("span", { class: "lab-bar-value", text: (probs[i] * 100).toFixed(1) + " %" })
            )
          );
        });
        caption.textContent = current.label === null || current.label === undefined ? t("drawn") : t("label", { c: classes[current.label] });
      }

      function drawInput() {
        var ctx = drawCanvas.getContext("2d");
        var img = ctx.createImageData(28, 28);
        for (var p = 0; p < 784; p++) {
          img.data[4 * p] = img.data[4 * p + 1] = img.data[4 * p + 2] = current.image[p];
          img.data[4 * p + 3] = 255;
        }
        ctx.putImageData(img, 0, 0);
      }

      function run() {
        var probs = ex.show(current.image);
        if (!rows.length) buildRows();
        drawInput();
        drawBars(probs);
        drawMaps();
        drawDetail();
      }

      selection = { k: 3, c: 0, r: 13, col: 13 };
      run();
      var interactive = L.since();

      if (L.selftest) {
        // The first 100 test images in one batch against the logits the native
        // build wrote next to the weights.
        var ours = ex.logits(images), native = ex.native_logits();
        var worst = 0, same = 0, compared = 0, right = 0, bad = [];
        for (var i = 0; i < n; i++) {
          var a = ours.slice(10 * i, 10 * i + 10), b = native.slice(10 * i, 10 * i + 10);
          for (var j = 0; j < 10; j++) worst = Math.max(worst, Math.abs(a[j] - b[j]));
          var order = Array.from(b.keys()).sort(function (x, y) { return b[y] - b[x]; });
          var topA = Array.from(a.keys()).reduce(function (x, y) { return a[y] > a[x] ? y : x; }, 0);
          if (topA === labels[i]) right++;
          if (b[order[0]] - b[order[1]] > 1e-3) {
            compared++;
            if (topA === order[0]) same++;
            else bad.push(i);
          }
        }
        var figures = n + " images, max |Δlogit| " + worst.toExponential(2) + ", top class the native one on " + same + " of " + compared + " (top-two gap > 1e-3), accuracy " + right + " %, interactive in " + interactive + " ms";
        if (n !== 100) L.report("cnn", false, "expected 100 test images, found " + n);
        else if (!(worst <= 1e-3)) L.report("cnn", false, "logits differ by " + worst + "; " + figures);
        else if (bad.length) L.report("cnn", false, "another top class on images " + bad.join(",") + "; " + figures);
        else L.report("cnn", true, figures);
      }
    });
  });
})();
