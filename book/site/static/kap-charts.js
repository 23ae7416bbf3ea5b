/* Draws the book's charts on the static site (see book/site/mime.py and book/site/offline.py).

   Each chart is a <div class="kap-chart" id="..."> followed by its Vega spec (compiled from Vega-Lite
   at build time) in <script type="application/json" data-kap-chart="...">. Datasets are in
   <script type="application/json" id="kap-data-<hash>">, once per page, before the first chart that
   uses them, and the specs refer to them as {"kapData": "<hash>"}; a later chart's larger datasets are files
   of the site, {"kapData": "<hash>", "kapUrl": "../_static/kap-data/<hash>.json"}, fetched when it is drawn
   (book/site/deferred.py); so is a later chart's large spec (<script ... data-kap-src="...">, empty). The first
   chart's files are read from the page head (window.kapEarly, book/site/deferred.py early_read_script). The
   build appends this script to the chart library (vega-embed with Vega and Vega-Lite, from vl-convert) in
   one file, which the page preloads and runs just after its first chart (book/site/mime.py place_chart_library).

   Order: the first chart is drawn as soon as the library is ready and the parser has reached it; once it
   has drawn, each other chart is drawn when it comes within a screen's height of the window (one per idle
   period), as an image with loading="lazy" is: a reader's input (and the first chart's redraw) never waits
   behind another chart, and a chart the reader never comes near costs neither its data nor its drawing.
   A browser's own print starts drawing the charts left (on beforeprint, their files fetched synchronously;
   kap-print.css marks one not drawn in time); window.kapCharts.drawAll() draws every chart now (the tests and
   `python -m book pdf` wait for it). A drawn chart gets the attribute data-kap-drawn; a chart that fails says
   so in its place and points to the table beside it. Once the first chart has drawn (or failed), the window
   gets the event kap:first-chart, and the page's deferred scripts load (book/site/later_scripts.py).
   window.kapCharts.view(el) is a drawn chart's Vega view. */
(function () {
  "use strict";
  performance.mark("kap-charts-ready");  // the chart library has run (benchmarks/site.py reports when)
  var datasets = {};

  /* A dataset's text: from the page, or (a later chart's larger data, see book/site/deferred.py) fetched once from
     the site. A promise; each chart parses its own copy, since Vega annotates the rows it reads. */
  function dataset(ref) {
    var key = ref.kapData;
    if (!(key in datasets)) {
      var el = document.getElementById("kap-data-" + key);
      if (el) {
        datasets[key] = Promise.resolve(el.textContent);
      } else if (ref.kapUrl) {
        datasets[key] = fetchText(ref.kapUrl);
      } else {
        return Promise.reject(new Error("dataset " + key + " is missing from the page"));
      }
    }
    return datasets[key].then(JSON.parse);
  }

  var printing = false;  // set on beforeprint: a chart drawn then must be ready before the page is laid out for paper

  function fetchText(url) {
    // The first chart's files, read from the page head (book/site/deferred.py early_read_script): taken once.
    var early = !printing && window.kapEarly && window.kapEarly[url];
    if (early) { delete window.kapEarly[url]; return early; }
    if (printing) {  // synchronously: a browser lays the page out for print as soon as the beforeprint handlers return
      var request = new XMLHttpRequest();
      try {
        request.open("GET", url, false);
        request.send();
      } catch (err) {
        return Promise.reject(new Error("its data did not load"));
      }
      return request.status >= 200 && request.status < 300
        ? Promise.resolve(request.responseText)
        : Promise.reject(new Error("its data did not load (" + request.status + ")"));
    }
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error("its data did not load (" + response.status + ")"); }
      return response.text();
    }, function () { throw new Error("its data did not load"); });
  }

  function specFor(el) {
    var script = document.querySelector('script[data-kap-chart="' + el.id + '"]');
    if (!script) { return Promise.reject(new Error("no spec for chart " + el.id)); }
    var url = script.getAttribute("data-kap-src");
    return (url ? fetchText(url) : Promise.resolve(script.textContent)).then(JSON.parse).then(withData);
  }

  function withData(spec) {
    return Promise.all((spec.data || []).map(function (data) {
      if (!(data.values && typeof data.values === "object" && data.values.kapData)) { return null; }
      return dataset(data.values).then(function (values) { data.values = values; });
    })).then(function () { return spec; });
  }

  function fail(el, err) {
    var note = document.createElement("p");
    note.className = "kap-chart-error";
    note.setAttribute("role", "alert");
    note.textContent = "This chart could not be drawn (" + (err && err.message ? err.message : err) +
      "). The table next to it holds the same data.";
    el.replaceChildren(note);
    console.error(err);
  }

  /* --- drawing ------------------------------------------------------------------------------- */
  var views = {};

  function draw(el) {
    if (el.hasAttribute("data-kap-drawing")) { return Promise.resolve(); }
    el.setAttribute("data-kap-drawing", "");
    try {
      performance.mark("kap-chart-start:" + el.id);
      if (typeof window.vegaEmbed !== "function") { throw new Error("the chart library did not load"); }
      return specFor(el)
        .then(function (spec) { return window.vegaEmbed(el, spec, { mode: "vega", renderer: "svg", actions: false }); })
        .then(function (result) {
          // The inputs above the chart, not under it (vega-embed's order): at 390 px some charts are 700-1900 px
          // tall, and a reader who changed an input under one could not see its top change. A screen reader meets
          // them first too, as it meets a form's fields before its results.
          var bindings = el.querySelector(".vega-bindings");
          if (bindings && el.firstChild !== bindings) { el.insertBefore(bindings, el.firstChild); }
          views[el.id] = result.view;
          el.setAttribute("data-kap-drawn", "");
          performance.mark("kap-chart-drawn:" + el.id);
        })
        .catch(function (err) { fail(el, err); });
    } catch (err) {
      fail(el, err);
      return Promise.resolve();
    }
  }

  var idleQueued = false;
  var idle = window.requestIdleCallback || function (fn) { return setTimeout(function () { fn({ timeRemaining: function () { return 0; } }); }, 50); };

  /* The first chart is drawn at once; the others only once it has drawn, and only as they come near the window, one
     per idle period: a chart takes its whole task to draw, and the reader's first input on the first chart should
     not wait behind another chart. */
  var firstDrawn = false;
  var nearby = [];       // charts near the screen, not drawn yet

  function drawNext() {  // one chart per idle period, of those near the screen
    idleQueued = false;
    while (nearby.length && nearby[0].hasAttribute("data-kap-drawing")) { nearby.shift(); }
    if (!nearby.length) { return; }
    draw(nearby.shift()).then(queueIdle);
  }

  function queueIdle() {
    if (!firstDrawn || idleQueued || !nearby.length) { return; }
    idleQueued = true;
    idle(drawNext, { timeout: 300 });
  }

  var near = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { near.unobserve(entry.target); nearby.push(entry.target); queueIdle(); }
    });
  }, { rootMargin: "100% 0px" }) : null;

  var first = true;

  /* Take every chart whose spec the parser has reached and that is not taken yet. */
  function schedule() {
    document.querySelectorAll(".kap-chart:not([data-kap-queued])").forEach(function (el) {
      if (!document.querySelector('script[data-kap-chart="' + el.id + '"]')) { return; }  // spec not parsed yet
      el.setAttribute("data-kap-queued", "");
      if (first) {
        first = false;
        draw(el).then(function () {
          firstDrawn = true;
          // The page's other scripts load now (book/site/later_scripts.py).
          window.dispatchEvent(new Event("kap:first-chart"));
          queueIdle();
        });
        return;
      }
      if (near) { near.observe(el); } else { nearby.push(el); }  // no IntersectionObserver: each in turn
    });
    queueIdle();
  }

  function drawAll() {
    schedule();
    var all = [].slice.call(document.querySelectorAll(".kap-chart"));
    return Promise.all(all.map(function (el) {
      if (el.hasAttribute("data-kap-drawn") || el.querySelector(".kap-chart-error")) { return null; }
      if (!el.hasAttribute("data-kap-drawing")) { return draw(el); }
      return new Promise(function (resolve) {
        var check = function () {
          if (el.hasAttribute("data-kap-drawn") || el.querySelector(".kap-chart-error")) { resolve(); } else { setTimeout(check, 20); }
        };
        check();
      });
    }));
  }

  window.kapCharts = {
    drawAll: drawAll,
    view: function (el) { return views[typeof el === "string" ? el : el.id] || null; },
  };
  window.addEventListener("beforeprint", function () { printing = true; drawAll(); printing = false; });

  schedule();
  if (document.readyState === "loading") {  // charts further down: as the parser reaches them
    var watcher = new MutationObserver(schedule);
    watcher.observe(document.documentElement, { childList: true, subtree: true });
    document.addEventListener("DOMContentLoaded", function () { watcher.disconnect(); schedule(); });
  }
})();
