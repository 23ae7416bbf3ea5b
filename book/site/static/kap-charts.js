/* Draws the book's charts on the static site (see book/sphinx_charts.py).

   Each chart is a <div class="kap-chart" id="..."> followed by its Vega spec (compiled from
   Vega-Lite at build time) in <script type="application/json" data-kap-chart="...">. Datasets are
   in <script type="application/json" id="kap-data-<hash>">, once per page, before the first chart that
   uses them, and the specs refer to them as {"kapData": "<hash>"}. The build appends this script to the
   chart library (vega-embed with Vega and Vega-Lite, from vl-convert) in one file that the page loads
   with async: charts are drawn as soon as the library is ready and the parser has reached them (the
   first at once, the others in page order, one per task so the page stays responsive), without waiting
   for the rest of the page. A drawn chart gets the attribute data-kap-drawn; a chart that fails says so
   in its place and points to the table beside it. */
(function () {
  "use strict";
  var datasets = {};

  function dataset(key) {
    if (!(key in datasets)) {
      var el = document.getElementById("kap-data-" + key);
      if (!el) { throw new Error("dataset " + key + " is missing from the page"); }
      datasets[key] = el.textContent;
    }
    return JSON.parse(datasets[key]);  // each chart gets its own copy: Vega annotates the rows it reads
  }

  function specFor(el) {
    var script = document.querySelector('script[data-kap-chart="' + el.id + '"]');
    if (!script) { throw new Error("no spec for chart " + el.id); }
    var spec = JSON.parse(script.textContent);
    (spec.data || []).forEach(function (data) {
      if (data.values && typeof data.values === "object" && data.values.kapData) {
        data.values = dataset(data.values.kapData);
      }
    });
    return spec;
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

  function draw(el) {
    try {
      performance.mark("kap-chart-start:" + el.id);
      return window.vegaEmbed(el, specFor(el), { mode: "vega", renderer: "svg", actions: false })
        .then(function () {
          el.setAttribute("data-kap-drawn", "");
          performance.mark("kap-chart-drawn:" + el.id);
        })
        .catch(function (err) { fail(el, err); });
    } catch (err) {
      fail(el, err);
      return Promise.resolve();
    }
  }

  function nextTask() { return new Promise(function (resolve) { setTimeout(resolve, 0); }); }

  var chain = null;

  /* Queue every chart whose spec the parser has reached and that is not queued yet. */
  function schedule() {
    document.querySelectorAll(".kap-chart:not([data-kap-queued])").forEach(function (el) {
      if (!document.querySelector('script[data-kap-chart="' + el.id + '"]')) { return; }  // spec not parsed yet
      el.setAttribute("data-kap-queued", "");
      if (typeof window.vegaEmbed !== "function") { fail(el, new Error("the chart library did not load")); return; }
      chain = chain === null ? draw(el) : chain.then(nextTask).then(function () { return draw(el); });
    });
  }

  schedule();
  if (document.readyState === "loading") {  // charts further down: as the parser reaches them
    var watcher = new MutationObserver(schedule);
    watcher.observe(document.documentElement, { childList: true, subtree: true });
    document.addEventListener("DOMContentLoaded", function () { watcher.disconnect(); schedule(); });
  }
})();
