/* Search result summaries, on the search page only (loaded after Sphinx's searchtools.js: book/site/offline.py).

   Sphinx (7.4) builds a result's summary from the found page's main region, around the first place a searched word
   occurs. Two things went wrong for this book's pages:
   - it looks for the words as its index stores them, stemmed ("safeti" for "safety"), which the text often does not
     hold; the summary then starts at the top of the main region,
   - where the article header's buttons are, so the summary read "...Binder" (the launch menu's first entry).
   So the summary is taken from the page without its header buttons, its table of minutes or its code cells, its white
   space collapsed, around the first place a word the reader typed (or its stem) occurs. The results themselves, and
   how they are ranked, are Sphinx's. */
(function () {
  "use strict";
  // searchtools.js declares Search with const: a global name, not a property of window.
  if (typeof Search === "undefined" || !Search.htmlToText || !Search.makeSearchSummary) { return; }
  var toText = Search.htmlToText, summarize = Search.makeSearchSummary;
  var typed = (new URLSearchParams(window.location.search).get("q") || "")
    .toLowerCase().split(/\s+/).filter(function (word) { return word && word.charAt(0) !== "-"; });
  Search.htmlToText = function (htmlText, anchor) {
    var page = new DOMParser().parseFromString(htmlText, "text/html");
    // Nor the chapter's table of minutes per section (book/teaching/times.py time_table, table id "T_times": its rows
    // are section titles and numbers, so "safety" read "...22 Safety in these studies 3 0"), nor a code cell's source
    // ("...from book.widgets import StudyExplorer StudyExplorer(..."): the summary is the page's prose.
    page.querySelectorAll(".bd-header-article, table#T_times, div.cell_input").forEach(function (el) { el.remove(); });
    // Runs of white space collapsed: the summary's 240 characters are all text (a page's markup indents it).
    return toText(page.documentElement.outerHTML, anchor).replace(/\s+/g, " ");
  };
  Search.makeSearchSummary = function (htmlText, keywords, anchor) {
    // Sphinx centres the summary on the last of the words it finds: the typed words come last, so they win.
    return summarize(htmlText, new Set(Array.from(keywords || []).concat(typed)), anchor);
  };
})();
