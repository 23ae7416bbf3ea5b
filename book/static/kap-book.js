/* The book's own script, served from the site (see book/sphinx_offline.py). Accessibility fixes only. */
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
  }
  function start() {
    fix(document);
    new MutationObserver(function () { fix(document); }).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
