/* The book's own script, served from the site (see book/sphinx_offline.py). Accessibility fixes, and one aid to
   printing (book/static/kap-print.css). */
(function () {
  function fix(root) {
    // The theme's search button is labelled "Search" but shows "Search Ctrl+K": let its visible text be its name.
    root.querySelectorAll(".search-button__button[aria-label]").forEach(function (el) { el.removeAttribute("aria-label"); });
    // Likewise the colour-mode button (its visible text names the current mode) and the
    // "Show code cell source" toggles, whose generic label hides their visible text.
    root.querySelectorAll(".theme-switch-button[aria-label], summary[aria-label='Toggle hidden content']")
      .forEach(function (el) { el.removeAttribute("aria-label"); });
    // Quiz answer boxes (jupyterquiz) have no label of their own: name them after their question.
    root.querySelectorAll(".Quiz input:not([aria-label])").forEach(function (el) {
      var q = el.closest(".Quiz");
      var text = q && q.querySelector(".QuizQuestion, .question, p");
      el.setAttribute("aria-label", "Your answer" + (text ? " to: " + text.textContent.trim().slice(0, 120) : ""));
    });
    // Charts (vega's SVG): a layer left with no marks by the reader's filters (say, no pooled estimate) becomes
    // an empty group with role graphics-symbol and no name, which screen readers announce as an unnamed
    // image. An empty layer says nothing: hide it from assistive technology while it is empty, show it again
    // once it draws marks (vega updates the SVG in place, so the same group comes back).
    root.querySelectorAll("svg g.role-mark[role='graphics-symbol']:not([aria-label])").forEach(function (g) {
      if (!g.firstElementChild && !g.hasAttribute("aria-hidden")) {
        g.setAttribute("aria-hidden", "true");
        g.setAttribute("data-kap-empty-layer", "");
      }
    });
    root.querySelectorAll("svg g[data-kap-empty-layer]").forEach(function (g) {
      if (g.firstElementChild) { g.removeAttribute("aria-hidden"); g.removeAttribute("data-kap-empty-layer"); }
    });
  }
  // Scrollable code and output blocks get tabindex=0 from the theme, so that keyboard users can scroll them;
  // but the theme checks again only when nodes are added or removed or the window is resized, so a block in a
  // solution or a folded code cell that the reader opens stays out of reach. Check again when one opens.
  var SCROLLABLE = "pre, .nboutput > .output_area, .cell_output > .output, .jp-RenderedHTMLCommon, .pst-scrollable-table-container";
  function reachable(root) {
    root.querySelectorAll(SCROLLABLE).forEach(function (el) {
      el.tabIndex = el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight ? 0 : -1;
    });
  }
  // On paper an external link shows its address after its text (kap-print.css), unless the text already is that
  // address: a reference's URL, or its DOI written "doi:10.…". Those links are marked data-kap-url-shown.
  function bare(url) { return url.trim().toLowerCase().replace(/^doi:/, "doi.org/").replace(/^https?:\/\/(www\.)?/, "").replace(/\/$/, ""); }
  function markShownUrls(root) {
    root.querySelectorAll("a.reference.external[href^='http']").forEach(function (a) {
      if (bare(a.textContent) === bare(a.getAttribute("href"))) { a.setAttribute("data-kap-url-shown", ""); }
    });
  }
  // Long tables (book/site/deferred.py): a fold whose table is fetched from the site when it is first opened, and a
  // link to the table's own page where the fetch fails. window.kapTables.openAll() opens and fills every fold (a
  // promise; `python -m book pdf` waits for it); a browser's own print fills them first, synchronously.
  function tableFrom(text) {
    var table = new DOMParser().parseFromString(text, "text/html").querySelector("table");
    if (!table) { throw new Error("no table in the file"); }
    return document.importNode(table, true);
  }
  function place(details, table) {
    var body = details.querySelector(".kap-long-table-body");
    var scroll = document.createElement("div");
    scroll.className = "pst-scrollable-table-container";
    scroll.appendChild(table);
    body.replaceChildren(scroll);
    details.setAttribute("data-kap-loaded", "");
    reachable(details);
  }
  function failed(details) {
    var note = details.querySelector(".kap-long-table-body p");
    if (note) { note.firstChild.textContent = "The table could not be loaded here. "; }
    details.setAttribute("data-kap-loaded", "failed");
  }
  function load(details) {
    if (details.hasAttribute("data-kap-loaded") || details.kapLoading) { return details.kapLoading || Promise.resolve(); }
    details.kapLoading = fetch(details.getAttribute("data-kap-table"))
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.text(); })
      .then(function (text) { place(details, tableFrom(text)); })
      .catch(function () { failed(details); });
    return details.kapLoading;
  }
  // A file of the site's text, synchronously: for printing, where the page is about to be laid out and a promise would
  // come too late. Throws when it cannot be read (a page opened from disk gives status 0 and the text).
  function textNow(url) {
    var request = new XMLHttpRequest();
    request.open("GET", url, false);
    request.send();
    if (request.status === 200 || request.status === 0 && request.responseText) { return request.responseText; }
    throw new Error("status " + request.status);
  }
  // Calls then() once one of elements comes within a screen's height of the window (at once without
  // IntersectionObserver, or when there are none).
  function whenNear(elements, then) {
    if (!elements.length || !("IntersectionObserver" in window)) { then(); return; }
    var watch = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) { watch.disconnect(); then(); }
    }, { rootMargin: "100% 0px" });
    [].forEach.call(elements, function (element) { watch.observe(element); });
  }
  function loadNow(details) {
    if (details.getAttribute("data-kap-loaded") === "") { return; }
    try { place(details, tableFrom(textNow(details.getAttribute("data-kap-table")))); } catch (err) { failed(details); }
  }
  var FOLDS = "details.kap-long-table";
  window.kapTables = {
    openAll: function () {
      return Promise.all([].map.call(document.querySelectorAll(FOLDS), function (d) { d.open = true; return load(d); }));
    },
  };
  // Quizzes whose questions are a file of the site (book/site/mime.py, quiz_questions_later): each joined
  // window.kapQuizQueue while the page was parsed; its questions are fetched when it comes within a screen's height
  // of the window (a reader who never scrolls to it never downloads them), and then it is shown as jupyterquiz shows it.
  // A page opened at an anchor (#...): the browser keeps the anchor in place while the page loads, but a quiz drawn
  // after that above it pushes it down (the quiz is then the part of the page the browser keeps in place). Until the
  // reader scrolls, the anchor is brought back into view once such a quiz has been drawn.
  var anchor = null;
  try { anchor = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1))); } catch (e) { anchor = null; }
  if (anchor) {
    ["wheel", "touchstart", "keydown", "mousedown"].forEach(function (name) {
      window.addEventListener(name, function () { anchor = null; }, { once: true, passive: true });
    });
  }
  function keepAnchor(box) {
    if (anchor && box && box.compareDocumentPosition(anchor) & Node.DOCUMENT_POSITION_FOLLOWING) {
      anchor.scrollIntoView({ behavior: "instant" });
    }
  }
  function startQuizzes() {
    var queue = window.kapQuizQueue || [];
    function show(quiz, now) {
      if (quiz.started) { return quiz.started; }
      var questions;
      try {
        questions = now ? Promise.resolve(JSON.parse(textNow(quiz.src))) : fetch(quiz.src)
          .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); });
      } catch (err) {
        questions = Promise.reject(err);
      }
      quiz.started = questions
        .then(function (loaded) { quiz.show(loaded); keepAnchor(document.getElementById(quiz.id)); })
        .catch(function () {
          var box = document.getElementById(quiz.id);
          if (box) { box.textContent = "This quiz could not be loaded here; it is in the chapter's notebook."; }
        });
      return quiz.started;
    }
    queue.forEach(function (quiz) {
      var box = document.getElementById(quiz.id);
      whenNear(box ? [box] : [], function () { show(quiz); });
    });
    // Every quiz now (a promise: the tests and `python -m book pdf` wait for it); on a browser's own print, the questions
    // are fetched synchronously (the quiz shows once jupyterquiz has loaded: kap-print.css marks one that has not).
    window.kapQuizzes = { showAll: function () { return Promise.all(queue.map(function (quiz) { return show(quiz); })); } };
    window.addEventListener("beforeprint", function () { queue.forEach(function (quiz) { show(quiz, true); }); });
  }
  // On a chart page, jupyterquiz and kap-check.js are held until a quiz or an exercise check comes within a screen's
  // height of the window (book/site/later_scripts.py: data-kap-near names those elements). window.kapNearScripts.all()
  // loads them all now (printing; the tests and `python -m book pdf`); then the page's root element gets
  // data-kap-near-scripts="loaded".
  function nearScripts() {
    var scripts = [].slice.call(document.querySelectorAll('script[type="text/x-kap-later"][data-kap-near]'));
    var left = scripts.length;
    function loaded() { if (--left === 0) { document.documentElement.setAttribute("data-kap-near-scripts", "loaded"); } }
    function load(script) {
      if (script.kapAdded) { return; }
      script.kapAdded = true;
      var loading = document.createElement("script");
      loading.src = script.getAttribute("data-src");
      loading.onload = loading.onerror = loaded;
      document.head.appendChild(loading);
    }
    scripts.forEach(function (script) {
      whenNear(document.querySelectorAll(script.getAttribute("data-kap-near")), function () { load(script); });
    });
    window.kapNearScripts = { all: function () { scripts.forEach(load); } };
    window.addEventListener("beforeprint", window.kapNearScripts.all);
  }
  // The theme binds its sidebar buttons to the first ".primary-toggle" and ".secondary-toggle" of the page, the header
  // band's. Below 960 px that band's are hidden and the article header's are the ones a reader sees, with no handler of
  // their own: the site navigation and the page's contents did not open on a phone. Their clicks go to the bound ones.
  function passSidebarClicks() {
    ["primary", "secondary"].forEach(function (side) {
      var toggles = document.querySelectorAll("." + side + "-toggle");
      [].slice.call(toggles, 1).forEach(function (button) {
        button.addEventListener("click", function (event) { event.preventDefault(); toggles[0].click(); });
      });
    });
  }
  function start() {
    passSidebarClicks();
    nearScripts();
    startQuizzes();
    document.addEventListener("toggle", function (event) {
      if (event.target.matches && event.target.matches(FOLDS) && event.target.open) { load(event.target); }
    }, true);
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll(FOLDS).forEach(function (d) { d.open = true; loadNow(d); });
    });
    fix(document);
    markShownUrls(document);
    new MutationObserver(function () { fix(document); }).observe(document.body, { childList: true, subtree: true });
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        if (change.target.matches && change.target.matches(".toggle, details")) { reachable(change.target); }
      });
    }).observe(document.body, { attributes: true, attributeFilter: ["class", "open"], subtree: true });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
