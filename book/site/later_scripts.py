"""On a page with a chart, the page's deferred scripts run once its first chart has drawn.

A chart page runs the chart library just after its first chart (:mod:`book.site.mime`). Its other scripts (the theme's Bootstrap
and pydata scripts, Sphinx's, the copy and toggle buttons, the book's own ``kap-book.js`` and ``kap-check.js``,
jupyterquiz) load with ``defer``: they run once the page is parsed, and on a long page that was just when the chart
library was ready to run, so the first chart waited behind them (about 100 ms at full speed), and so did the redraw
after the reader's first input (``benchmarks/site.py``). None of them is needed to draw or use a chart.

So, on chart pages only, the template filter :func:`scripts_later` writes each ``<script defer src=…>`` as a held
script, ``<script type="text/x-kap-later" data-src=…>`` (a type the browser neither fetches nor runs), and drops the
theme's ``<link rel="preload" as="script">`` for them, so that they leave the network to the chart library. An inline
script in the page head (:data:`LOADER`) then loads the held scripts in page order (``async = false`` keeps the order
``defer`` gave):

* when the first chart has drawn or failed (``static/kap-charts.js`` dispatches ``kap:first-chart``);
* at the latest 2 s after the load event, and at once if the chart library did not load;
* before printing (a browser's own print).

A page opened at an anchor (``#…``) is another matter: the reader came for that place, which the browser finds in the
page laid out whole and kept in place as the quizzes above it are drawn, so there the held scripts load as soon as the
page is parsed (as with ``defer``). Otherwise, until the first chart has drawn, the page's root element has the class
:data:`PENDING_CLASS`. Under it a section of the chapter is laid out only when it
comes near the window (``content-visibility: auto`` in ``static/kap-book.css``): the first chart draws sooner, and the
reader's first input on it does not wait for the layout of the whole page. Once the last held script has loaded (or
failed to):

* the class goes, and the page is laid out whole (full-page screenshots, find and anchors as usual). A reader who has
  scrolled keeps their place: what is at the top of the window stays put (each section holds its own margins on
  screen, ``display: flow-root``, so that only the sections' heights change);
* the root element gets ``data-kap-scripts="loaded"``; the tests and ``python -m book pdf`` wait for it
  (:func:`book.paper.browser.settle`).

The held scripts load only once the page is parsed (``DOMContentLoaded``), as ``defer`` had them: the theme's Bootstrap
and pydata scripts are held at the end of the body, and a loader that ran while the parser was still above them (the
first chart drawn before the page was parsed: on every chart chapter with the CPU slowed 4x, now and then at full
speed) left them out, so the theme's buttons (colour mode, search, the menus) did nothing. The quizzes start when
jupyterquiz's library has run (:func:`book.site.mime.quiz_startup`).

Two of them wait longer, until an element they serve comes within a screen's height of the window (:data:`NEAR`):
jupyterquiz for the quizzes and ``kap-check.js`` for the exercise checks, which close a chapter. ``static/kap-book.js``
loads them then (``window.kapNearScripts.all()`` at once; printing calls it), and the root element gets
``data-kap-near-scripts="loaded"``.

Pages without a chart keep ``defer``. The filter warns (failing a ``-W`` build) when a chart page has no deferred
script where the theme put them (a theme upgrade).
"""

from __future__ import annotations

import re

from markupsafe import Markup

#: The type a held script is written with: the browser neither fetches nor runs a script of an unknown type.
HELD_TYPE = "text/x-kap-later"
#: The attribute the page's root element gets once every held script has loaded (or failed to).
LOADED_ATTRIBUTE = "data-kap-scripts"
#: The class of the page's root element until then: the sections below are laid out only near the window
#: (``static/kap-book.css``).
PENDING_CLASS = "kap-first-chart-pending"
#: The sections laid out only near the window while :data:`PENDING_CLASS` is on (the selector in ``static/kap-book.css``).
SECTIONS = ".bd-article > section > section"
#: The event ``static/kap-charts.js`` dispatches on ``window`` once the first chart has drawn, or failed to.
FIRST_CHART_EVENT = "kap:first-chart"

#: Held scripts for one kind of element, each loaded only when such an element comes within a screen's height of the
#: window (file name -> the elements' CSS selector): jupyterquiz for the quizzes, kap-check.js for the exercise checks.
NEAR = {"kap-vendor/jupyterquiz.js": "div[data-numquestions]", "kap-check.js": ".kap-check-output"}

_DEFERRED = re.compile(r'<script\s+defer(?:="defer")?\s+src="([^"]+)"\s*>\s*</script>')
_PRELOAD = re.compile(r'[ \t]*<link rel="preload" as="script" href="[^"]+"\s*/?>[ \t]*\n?')

#: Loads the held scripts in page order (see the module docstring). Inline in the page head, before any script
#: that could dispatch the first chart's event.
LOADER = (
    "(function () {\n"
    '  "use strict";  /* book/site/later_scripts.py: the deferred scripts run once the first chart has drawn */\n'
    "  var started = false, root = document.documentElement;\n"
    "  function add(script, then) {\n"
    '    var loading = document.createElement("script");\n'
    '    loading.src = script.getAttribute("data-src");\n'
    "    loading.async = false;\n"
    "    loading.onload = loading.onerror = then;\n"
    "    document.head.appendChild(loading);\n"
    "  }\n"
    "  function run() {\n"
    "    if (started) { return; }\n"
    "    /* The theme's Bootstrap and pydata scripts are held at the end of the body: not parsed yet, they would be missed */\n"
    '    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", run); return; }\n'
    "    started = true;\n"
    f"    var held = [].slice.call(document.querySelectorAll('script[type=\"{HELD_TYPE}\"]:not([data-kap-near])'));\n"
    "    var left = held.length;\n"
    "    function done() {\n"
    "      if (--left > 0) { return; }\n"
    "      laidOutWhole();\n"
    f'      root.setAttribute("{LOADED_ATTRIBUTE}", "loaded");\n'
    "    }\n"
    "    if (!left) { left = 1; done(); }\n"
    "    held.forEach(function (script) { add(script, done); });\n"
    "  }\n"
    "  /* Opened at an anchor: the reader came for that place, so the scripts load as the page is parsed (as with defer) */\n"
    f'  if (location.hash) {{ document.addEventListener("DOMContentLoaded", run); }}\n'
    f'  else {{ root.classList.add("{PENDING_CLASS}"); }}\n'
    "  /* The page laid out whole, the reader's place kept: what is at the top of the window (in the section there)\n"
    "     stays where it is (the sections above it, laid out now, take their own height instead of 1500px). */\n"
    "  function laidOutWhole() {\n"
    "    var anchor = null, top = 0;\n"
    f'    if (!root.classList.contains("{PENDING_CLASS}")) {{ return; }}\n'
    "    if (window.scrollY > 0) {  /* the first block of a section that starts in the window, else the one across its top */\n"
    f'      var blocks = document.querySelectorAll("{SECTIONS} > *"), across = null;\n'
    "      for (var i = 0; i < blocks.length && !anchor; i++) {\n"
    "        var box = blocks[i].getBoundingClientRect();\n"
    "        if (box.top >= 0 && box.top < window.innerHeight) { anchor = blocks[i]; }\n"
    "        else if (box.top < 0 && box.bottom > 0) { across = blocks[i]; }\n"
    "        else if (box.top >= window.innerHeight) { break; }\n"
    "      }\n"
    "      anchor = anchor || across;\n"
    "      if (anchor) { top = anchor.getBoundingClientRect().top; }\n"
    "    }\n"
    f'    root.classList.remove("{PENDING_CLASS}");\n'
    "    if (anchor) { window.scrollBy(0, anchor.getBoundingClientRect().top - top); }\n"
    "  }\n"
    "  window.kapLaterScripts = run;\n"
    f'  window.addEventListener("{FIRST_CHART_EVENT}", function () {{ setTimeout(run, 0); }});\n'
    '  window.addEventListener("load", function () { setTimeout(run, window.kapCharts ? 2000 : 0); });\n'
    '  window.addEventListener("beforeprint", run);\n'
    "})();"
)


def compact(script: str) -> str:
    """``script`` as a page holds it: without its comments (``/* … */``, and lines that are a ``//`` comment), blank lines
    and indentation; its lines are kept, so no statement changes. For scripts the book writes or templates it knows
    (no comment marker inside a string)."""
    lines = (line.strip() for line in re.sub(r"/\*.*?\*/", "", script, flags=re.S).splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def chart_library(script_files, chart_script: str):
    """The chart library's asset among a page's scripts (Sphinx's ``script_files`` in the page context), or None."""
    return next((a for a in script_files if str(getattr(a, "filename", "") or "").split("?")[0].endswith(chart_script)), None)


def has_chart(script_files, chart_script: str) -> bool:
    """Whether a page's scripts (Sphinx's ``script_files`` in the page context) include the chart library."""
    return chart_library(script_files, chart_script) is not None


def scripts_later(html, chart_page: bool, *, loader: bool = False, expect: bool = True, where: str = "", warn=None) -> Markup:
    """Jinja filter: on a chart page, ``html`` (a block of the page template) with its deferred scripts held and its
    script preloads dropped, and with :data:`LOADER` first when ``loader`` is true; other pages' blocks unchanged.

    ``warn(what, where)`` is called when a chart page's block has no deferred script although ``expect`` says it
    should (a theme upgrade)."""
    html = str(html)
    if not chart_page:
        return Markup(html)

    def hold(match) -> str:
        near = next((f' data-kap-near="{selector}"' for name, selector in NEAR.items() if name in match.group(1)), "")
        return f'<script type="{HELD_TYPE}" data-src="{match.group(1)}"{near}></script>'

    held, count = _DEFERRED.subn(hold, html)
    held = _PRELOAD.sub("", held)
    if not count and expect and warn is not None:
        warn("holding the deferred scripts until the first chart has drawn", where or "a page")
    if loader:
        held = f"<script>{compact(LOADER)}</script>\n{held}"
    return Markup(held)
