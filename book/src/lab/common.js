// The lab's shared glue: loading the WebAssembly build of the workspace's crates
// (lab/build.sh writes it to lab/pkg/), the page's language, the self-test
// report, and drawing helpers. Nothing here computes a network: the pages' .js
// files read their controls and draw what the Rust types (lab/src/) return.
(function () {
  "use strict";

  var lang = document.documentElement.lang === "es" ? "es" : "en";
  var params = new URLSearchParams(location.search);

  var COMMON = {
    en: {
      file: "This lab runs WebAssembly, which browsers do not load into a page opened as a file: serve the book with `mdbook serve book` (after `bash lab/build.sh`) and open http://localhost:3000/{page}.",
      notBuilt: "The lab's WebAssembly is not in this build of the book: run `bash lab/build.sh` (it builds the lab, then the book), then `mdbook serve book`.",
      failed: "The lab stopped: {error}",
    },
    es: {
      file: "Este laboratorio ejecuta WebAssembly, que los navegadores no cargan en una página abierta como archivo: sirve el libro con `bash book/i18n.sh serve` (después de `bash lab/build.sh`) y abre http://localhost:3000/{page}.",
      notBuilt: "El WebAssembly del laboratorio no está en esta compilación del libro: ejecuta `bash lab/build.sh` (compila el laboratorio y luego el libro) y después `bash book/i18n.sh serve`.",
      failed: "El laboratorio se detuvo: {error}",
    },
  };

  /** Fills {name} placeholders. */
  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, k) {
      return values && k in values ? String(values[k]) : "{" + k + "}";
    });
  }

  /** A DOM element: el("div", {class: "x", onclick: f}, child, "text", …). */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === undefined || v === null || v === false) return;
        if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), v);
        else if (k === "text") node.textContent = v;
        else if (k in node && k !== "list" && k !== "style") node[k] = v;
        else node.setAttribute(k, v === true ? "" : v);
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === false) continue;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return node;
  }

  /** A select with [value, label] options. */
  function select(options, value, onchange) {
    var s = el("select", { onchange: function () { onchange(s.value); } });
    options.forEach(function (o) {
      s.appendChild(el("option", { value: String(o[0]), text: o[1], selected: String(o[0]) === String(value) }));
    });
    return s;
  }

  /** A canvas of w × h pixels (shown at css × css/w·h if given). */
  function canvas(w, h, cls, css) {
    var c = el("canvas", { class: cls, width: w, height: h });
    if (css) {
      c.style.width = css + "px";
      c.style.height = Math.round((css * h) / w) + "px";
    }
    return c;
  }

  function hex(c) {
    return [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)];
  }

  // TensorFlow Playground's colours: orange for negative (class 0), blue for
  // positive (class 1), a light grey at zero.
  var ORANGE = hex("#f59322"), BLUE = hex("#0877bd"), MID = hex("#e8eaeb");
  var PALETTE = ["#f59322", "#0877bd", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"].map(hex);

  /** The colour of t in [−1, 1]: orange → grey → blue. */
  function diverging(t) {
    t = t < -1 ? -1 : t > 1 ? 1 : t;
    var end = t < 0 ? ORANGE : BLUE, a = Math.abs(t);
    return [MID[0] + (end[0] - MID[0]) * a, MID[1] + (end[1] - MID[1]) * a, MID[2] + (end[2] - MID[2]) * a];
  }

  /** Draws values (n × n, row by row) through colour(v) → [r, g, b] into a canvas of n × n pixels. */
  function paint(cv, n, m, colour) {
    var ctx = cv.getContext("2d");
    var img = ctx.createImageData(n, m);
    var d = img.data;
    for (var i = 0; i < n * m; i++) {
      var c = colour(i);
      d[4 * i] = c[0];
      d[4 * i + 1] = c[1];
      d[4 * i + 2] = c[2];
      d[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  /** A line chart of several series [{values, colour, width}] on a canvas; log scale if asked. */
  function chart(cv, series, opts) {
    opts = opts || {};
    var ctx = cv.getContext("2d");
    var w = cv.width, h = cv.height, pad = 4;
    ctx.clearRect(0, 0, w, h);
    ctx.fillStyle = "#fafafa";
    ctx.fillRect(0, 0, w, h);
    var lo = Infinity, hi = -Infinity, len = 1;
    series.forEach(function (s) {
      len = Math.max(len, s.values.length);
      s.values.forEach(function (v) {
        if (!isFinite(v) || (opts.log && v <= 0)) return;
        var y = opts.log ? Math.log10(v) : v;
        lo = Math.min(lo, y);
        hi = Math.max(hi, y);
      });
    });
    if (!isFinite(lo)) return;
    if (!opts.log) lo = Math.min(lo, 0);
    if (hi - lo < 1e-9) hi = lo + 1;
    series.forEach(function (s) {
      ctx.strokeStyle = s.colour;
      ctx.lineWidth = s.width || 1.5;
      ctx.beginPath();
      var step = Math.max(1, Math.floor(s.values.length / w));
      var started = false;
      for (var i = 0; i < s.values.length; i += step) {
        var v = s.values[i];
        if (!isFinite(v) || (opts.log && v <= 0)) continue;
        var y = opts.log ? Math.log10(v) : v;
        var px = pad + ((w - 2 * pad) * i) / Math.max(1, len - 1);
        var py = h - pad - ((h - 2 * pad) * (y - lo)) / (hi - lo);
        if (started) ctx.lineTo(px, py);
        else ctx.moveTo(px, py);
        started = true;
      }
      ctx.stroke();
    });
  }

  /** The bytes at a URL next to the page. */
  function fetchBytes(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.arrayBuffer();
    }).then(function (b) { return new Uint8Array(b); });
  }

  var selftest = params.has("selftest");

  /** Sets the self-test's verdict as the page's title. */
  function report(page, ok, text) {
    document.title = "selftest " + page + ": " + (ok ? "ok " : "FAIL ") + text;
  }

  /**
   * Starts a lab page: checks how it was opened, loads the WebAssembly, then
   * runs main(root, wasm). Says in one line what went wrong instead of failing
   * silently.
   */
  function start(page, file, main) {
    var root = document.getElementById("lab-" + page);
    if (!root) return;
    var stop = function (message) {
      root.textContent = "";
      root.appendChild(el("p", { class: "lab-message", text: message }));
      if (selftest) report(page, false, message);
    };
    if (location.protocol === "file:") {
      stop(format(COMMON[lang].file, { page: file }));
      return;
    }
    if (typeof wasm_bindgen !== "function") {
      stop(COMMON[lang].notBuilt);
      return;
    }
    wasm_bindgen({ module_or_path: "lab/pkg/lab_bg.wasm" }).then(
      function (wasm) {
        return Promise.resolve(main(root, wasm_bindgen, wasm)).catch(function (e) {
          console.error(e);
          stop(format(COMMON[lang].failed, { error: e && e.message ? e.message : e }));
        });
      },
      function (e) {
        console.error(e);
        stop(COMMON[lang].notBuilt);
      }
    );
  }

  /** Milliseconds since navigation started. */
  function since() {
    return Math.round(performance.now());
  }

  window.Lab = {
    lang: lang,
    params: params,
    selftest: selftest,
    format: format,
    el: el,
    select: select,
    canvas: canvas,
    diverging: diverging,
    palette: PALETTE,
    paint: paint,
    chart: chart,
    fetchBytes: fetchBytes,
    report: report,
    start: start,
    since: since,
  };
})();
