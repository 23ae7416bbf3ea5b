/* Draws the book's charts (see book/sphinx_offline.py).

   The build compiles each Altair chart from Vega-Lite to Vega, so pages load vega and vega-embed but
   not the Vega-Lite compiler. The first chart on a page is drawn as soon as the parser reaches it;
   the others follow in page order, one at a time, each in its own task so the page stays responsive
   while they draw. */
(function () {
  function draw(id, spec, options) {
    var el = document.getElementById(id);
    if (!el) { return Promise.resolve(); }
    var opts = Object.assign({}, options || {}, { mode: "vega" });
    performance.mark("kap-chart-start:" + id);
    return vegaEmbed(el, spec, opts).then(function () {
      performance.mark("kap-chart-drawn:" + id);
    }).catch(function (err) {
      var note = document.createElement("p");
      note.className = "kap-chart-error";
      note.setAttribute("role", "alert");
      note.textContent = "This chart could not be drawn (" + (err && err.message ? err.message : err) +
        "). The table next to it holds the same data.";
      el.replaceChildren(note);
      console.error(err);
    });
  }
  var chain = null;
  window.kapChart = function (id, spec, options) {
    if (chain === null) {  // the first chart: now
      chain = draw(id, spec, options);
      return;
    }
    chain = chain.then(function () {
      return new Promise(function (resolve) { setTimeout(resolve, 0); });
    }).then(function () { return draw(id, spec, options); });
  };
})();
