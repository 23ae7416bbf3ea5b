"""The book's charts and exercise checks on the static site: a myst-nb MIME renderer plugin.

A chart cell outputs compiled Vega as ``application/vnd.vega.v5+json`` (see :mod:`book.vega`). myst-nb
hands that output to :class:`VegaMimeRenderer` (registered in ``pyproject.toml`` under the entry-point
group ``myst_nb.mime_renderers``), which turns it into page content:

* ``<div class="kap-chart" id="…">`` where the chart is drawn, as wide as the text column
  (:func:`book.vega.fill_container`), followed by its Vega spec in a
  ``<script type="application/json">`` (data, not code: nothing runs until the site's script reads it);
* each dataset once per page, however many charts show it: ``<script type="application/json"
  id="kap-data-<hash>">``, referenced from the specs as ``{"kapData": "<hash>"}``;
* on that page only, through myst-nb's per-page asset API, ``_static/kap-vendor/kap-charts.js``: the chart
  library (Vega, Vega-Lite and vega-embed as vl-convert bundles them, see :mod:`book.sphinx_offline`)
  followed by ``book/site/static/kap-charts.js``, which draws the charts. The site preloads it from the head with
  ``fetchpriority="high"`` (so that the browser fetches it before the theme's deferred scripts and images) and runs
  it just after the page's first chart (:func:`place_chart_library`, which says why).

Each Vega-Lite warning kept in the output's metadata (``kap_warnings``) becomes a Sphinx warning, so a
``-W`` build fails on it. Other builders than HTML show the output's text/plain description.

The same plugin (one entry point, ``kap-vega``) renders the website checks of the fixed-answer exercises
(``application/vnd.kap.answer-check+json``, :mod:`book.teaching.hashed_checks`), preferred on HTML pages to the
output's inline script (its JupyterLab face): ``<div class="kap-check-output" id="…">`` and the check as data in a
``<script type="application/json" data-kap-check="…">``; the page loads ``_static/kap-check.js``
(``book/site/static/``) once, with ``defer``, which builds the form in each container.

Text/HTML outputs (:func:`_html_output`): a quiz's container keeps jupyterquiz's 3.7 KB of shared rules and its
colours on the page's first quiz only (:func:`quiz_html_once`); a solution's answer, folded for JupyterLab
(:mod:`book.teaching.folded`), is shown open, since the solution's own dropdown hides it; a long table is folded and
fetched when opened (:mod:`book.site.deferred`, as are a chart's larger data and spec, and a quiz's questions).

And the quizzes (jupyterquiz's ``application/javascript`` outputs, :func:`book.teaching.quiz.show_quiz`): each inlines
jupyterquiz's whole library (36 KB) before its own start-up code, which JupyterLab needs and a page does not.
:func:`quiz_startup` keeps the questions and the start-up code only, and the page loads the library once through the
same per-page asset API, ``_static/kap-vendor/jupyterquiz.js`` with ``defer``: it neither holds up the text and charts
above the quizzes nor runs before the page is parsed (on a chart page it waits for the first chart,
:mod:`book.site.later_scripts`), so each quiz joins ``window.kapQuizStarts``, which the served file ends by starting
(:func:`served_quiz_library`). When jupyterquiz's output no longer has the expected shape, the build warns (``-W`` fails) and the
output is rendered as it is.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re

from docutils import nodes

from ..teaching.folded import FOLD_CLASS as ANSWER_FOLD
from ..teaching.hashed_checks import CHECK_MIME
from ..views.vega import VEGA_MIME, fill_container
from . import deferred
from .later_scripts import compact

#: The file chart pages load (relative to the site's _static folder; run just after the first chart): the chart library and
#: book/site/static/kap-charts.js, which draws the charts, in one file (see book/site/offline.py).
CHART_SCRIPTS = (("kap-charts", "kap-vendor/kap-charts.js"),)
#: How a page declares the library through myst-nb's asset API (in the head, async, fetched before the theme's deferred
#: scripts and images). On the site, :mod:`book.site.offline` moves it to :data:`LIBRARY_PLACE`, just after the page's
#: first chart (see :func:`place_chart_library`), and preloads it from the head with this priority.
CHART_SCRIPT_ATTRIBUTES = {"async": "async", "fetchpriority": "high"}
#: Where the chart library's script goes on a page: written after the page's first chart (its datasets, container and
#: spec) and replaced by the script when the page is written (:func:`place_chart_library`).
LIBRARY_PLACE = "<!--kap-chart-library-->"
#: The file pages with a quiz load (jupyterquiz's library, written by book/site/offline.py; with defer).
QUIZ_SCRIPT = ("kap-quiz", "kap-vendor/jupyterquiz.js")
#: In a quiz's output: the guard that opens its inlined library, and the call that shows the quiz.
_QUIZ_GUARD = "if (typeof Question === 'undefined') {\n"
_QUIZ_INVOKE = "// Invoke immediately\n{\n  try_show();\n}"
_QUIZ_INVOKE_LATER = (
    "// Once jupyterquiz's library (loaded on its own, see book/site/mime.py) has run\n"
    "(window.kapQuizStarts = window.kapQuizStarts || []).push(try_show);"
)
#: After jupyterquiz's library in the file the site serves (:func:`served_quiz_library`): starts the quizzes that
#: joined ``window.kapQuizStarts`` before it ran, and from then on starts a quiz as it joins.
QUIZ_STARTS = (
    "\n/* book/site/mime.py: start the quizzes that waited for this library, and later ones at once. */\n"
    "(function () {\n"
    "  var waiting = window.kapQuizStarts || [];\n"
    "  window.kapQuizStarts = { push: function (start) { start(); } };\n"
    "  waiting.forEach(function (start) { start(); });\n"
    "})();\n"
)
#: A quiz's HTML output: its container, then a style with its colours and the rules every quiz shares.
_QUIZ_STYLE = re.compile(
    r'<div id="(?P<id>\w+)" data-shufflequestions=[^>]*><style>\n(?P<colours>#(?P=id) \{[^}]*\})\n[^<]*</style>'
)
#: The file pages with an exercise check load (book/site/static/kap-check.js, with defer).
CHECK_SCRIPT = ("kap-check", "kap-check.js")


def script_json(value) -> str:
    """JSON that is safe inside an HTML <script> element."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def dataset_key(values: list) -> str:
    """A short content hash naming a dataset (the same data gets the same name on every page)."""
    return hashlib.sha1(json.dumps(values, sort_keys=True).encode("utf-8")).hexdigest()[:12]


def chart_html(
    vega: dict, chart_id: str, emitted: dict[str, str | None], files: dict[str, str] | None = None, prefix: str = ""
) -> str:
    """The HTML of one chart: its container, its spec, and every dataset not yet in ``emitted`` (updated: dataset key
    -> None when it is in the page, or its URL). With ``files`` (see :mod:`book.site.deferred`), a dataset larger than
    ``INLINE_DATA_BYTES`` goes to ``files`` instead, under ``kap-data/``, and the spec names its URL (``prefix``: the
    page's relative URL of _static/); so does a spec that large, under ``kap-specs/``, its script element then empty
    with the URL in ``data-kap-src``."""
    spec = dict(vega)
    spec["data"] = [dict(d) for d in vega.get("data", [])]
    pieces = []
    for data in spec["data"]:
        if isinstance(data.get("values"), list):
            key = dataset_key(data["values"])
            if key not in emitted:
                text = script_json(data["values"])
                if files is not None and len(text) > deferred.INLINE_DATA_BYTES:
                    name = f"{deferred.DATA_DIR}/{key}.json"
                    files[name] = json.dumps(data["values"], separators=(",", ":"), ensure_ascii=False)
                    emitted[key] = prefix + name
                else:
                    emitted[key] = None
                    pieces.append(f'<script type="application/json" id="kap-data-{key}">{text}</script>')
            data["values"] = {"kapData": key} if emitted[key] is None else {"kapData": key, "kapUrl": emitted[key]}
    pieces.append(f'<div class="kap-chart" id="{chart_id}"></div>')
    text = script_json(spec)
    if files is not None and len(text) > deferred.INLINE_DATA_BYTES:  # a later chart's spec, too, when it is large
        name = f"{deferred.SPEC_DIR}/{deferred.content_name(text, '.json')}"
        files[name] = text
        pieces.append(f'<script type="application/json" data-kap-chart="{chart_id}" data-kap-src="{prefix}{name}"></script>')
    else:
        pieces.append(f'<script type="application/json" data-kap-chart="{chart_id}">{text}</script>')
    return "\n".join(pieces)


def check_html(item: dict, check_id: str) -> str:
    """The HTML of one exercise check: its container (with a line for readers without JavaScript) and its data."""
    return (
        f'<div class="kap-check-output" id="{check_id}"><p>Checking an answer here needs JavaScript; '
        "in JupyterLab, run the check cell above.</p></div>\n"
        f'<script type="application/json" data-kap-check="{check_id}">{script_json(item)}</script>'
    )


def quiz_html_once(html: str, page: dict) -> str | None:
    """A quiz's HTML output (its container and its ``<style>``) with what the page's earlier quizzes already set left out:
    each quiz's style holds its own colours (``#<id> { --jq-…: … }``) followed by the same 3.7 KB of rules for every
    quiz. The page's first quiz keeps the rules, and its colours become every quiz's (``div[data-numquestions]``); a
    later quiz keeps only colours of its own, if it has any. ``page`` (a dict kept with the page) notes what the page
    has. None when ``html`` is not a quiz's or no longer has that shape."""
    match = _QUIZ_STYLE.match(html)
    if match is None:
        return None
    colours = match.group("colours")
    body = colours[colours.index("{") :]
    if "colours" not in page:  # the page's first quiz: its colours for every quiz, and the rules
        page["colours"] = body
        return html[: match.start("colours")] + "div[data-numquestions] " + body + html[match.end("colours") :]
    before = html[: match.start("colours")]  # ends with "<style>\n"
    if body == page["colours"]:
        return before[: -len("<style>\n")] + html[match.end() :]
    return before + colours + "\n</style>" + html[match.end() :]


_QUESTIONS = re.compile(r"var questions(?P<id>\w+)=")


def quiz_questions_later(startup: str, files: dict[str, str], prefix: str) -> str | None:
    """A quiz's start-up script (from :func:`quiz_startup`) whose questions are a file of the site (added to ``files``,
    under ``kap-quizzes/``), fetched when the quiz comes near the screen or the browser is idle (``static/kap-book.js``
    runs the queue this script joins); None when the questions are short (they stay) or the script has another shape."""
    match = _QUESTIONS.match(startup)
    if match is None:
        return None
    try:
        questions, end = json.JSONDecoder().raw_decode(startup, match.end())
    except ValueError:
        return None
    text = json.dumps(questions, separators=(",", ":"), ensure_ascii=False)
    rest = startup[end:].lstrip()
    if len(text) <= deferred.QUIZ_INLINE_BYTES or not rest.startswith(";"):
        return None
    name = f"{deferred.QUIZ_DIR}/{deferred.content_name(text, '.json')}"
    files[name] = text
    quiz_id, show = match.group("id"), compact(rest[1:])
    return (
        f"var questions{quiz_id};\n(window.kapQuizQueue = window.kapQuizQueue || []).push("
        f'{{id: "{quiz_id}", src: "{prefix}{name}", show: function (questions) {{\nquestions{quiz_id} = questions;\n'
        f"{show}\n}}}});"
    )


def quiz_startup(script: str) -> str | None:
    """A quiz output's script without jupyterquiz's library (which the page loads once) and showing the quiz once the
    page is parsed; None when the script is not a quiz's or no longer has the shape this expects."""
    if not script.lstrip().startswith("var questions"):
        return None
    head, guard, rest = script.partition(_QUIZ_GUARD + quiz_library())
    if not guard or rest.count(_QUIZ_INVOKE) != 1:
        return None
    return head + "{\n" + rest.replace(_QUIZ_INVOKE, _QUIZ_INVOKE_LATER)


class VegaMimeRenderer:
    """Renders ``application/vnd.vega.v5+json`` (charts) and ``application/vnd.kap.answer-check+json`` (exercise
    checks) outputs on HTML pages (a myst-nb ``MimeRenderPlugin``)."""

    #: On HTML pages these outputs come first (text/plain is the fallback elsewhere).
    mime_priority_overrides = [
        (builder, mime, 1) for builder in ("html", "readthedocs", "singlehtml", "dirhtml") for mime in (VEGA_MIME, CHECK_MIME)
    ]

    @staticmethod
    def handle_mime(renderer, data, inline: bool):
        if data.mime_type == "application/javascript" and not inline:
            return _quiz_output(renderer, data)
        if data.mime_type == "text/html" and not inline:
            return _html_output(renderer, data)
        if data.mime_type == CHECK_MIME and not inline:
            item = data.content if isinstance(data.content, dict) else json.loads(data.string)
            renderer.add_js_file(CHECK_SCRIPT[0], CHECK_SCRIPT[1], {"defer": "defer"})
            check_id = f"kap-check-{data.cell_index}-{data.output_index}"
            return [nodes.raw(text=check_html(item, check_id), format="html", classes=["output", "kap-check-output"])]
        if data.mime_type != VEGA_MIME or inline:
            return None
        vega = data.content if isinstance(data.content, dict) else json.loads(data.string)
        document = renderer.renderer.document
        emitted = document.attributes.setdefault("kap_datasets", {})
        first_chart = not document.attributes.get("kap_charts_seen")
        document.attributes["kap_charts_seen"] = True
        for warning in (data.output_metadata or {}).get(VEGA_MIME, {}).get("kap_warnings", []):
            renderer.logger.warning(
                f"chart in cell {data.cell_index}: Vega-Lite says: {warning}", subtype="chart", line=data.line
            )
        for key, uri in CHART_SCRIPTS:
            renderer.add_js_file(key, uri, CHART_SCRIPT_ATTRIBUTES)
        chart_id = f"kap-chart-{data.cell_index}-{data.output_index}"
        files = deferred.site_files(document)
        prefix, before = deferred.static_prefix(_docname(renderer)), set(files)
        html = chart_html(fill_container(vega), chart_id, emitted, files, prefix)
        if first_chart:  # its files are fetched with the page (preloaded in its head), the library just after it
            deferred.preload(document, [prefix + name for name in files if name not in before])
            html += LIBRARY_PLACE
        return [nodes.raw(text=html, format="html", classes=["output", "kap-chart-output"])]


def place_chart_library(body: str, script_tag: str) -> str | None:
    """``body`` (a page's HTML) with the chart library's ``script_tag`` (a plain script: it holds up the parser) at
    :data:`LIBRARY_PLACE`, just after the first chart; None if the body has no such place.

    Why there and not in the head with ``async``: the parser stops at the script while the library loads (preloaded from
    the head), so the text down to the first chart is parsed and painted in the meantime, and the library, once it has
    run, starts drawing the chart in the same task (the chart's data, container and spec are parsed already); the rest
    of the page is parsed after. With ``async``, the parser worked through the whole page (up to 200 KB) while the
    library arrived, and the library ran later. Interleaved loads of the built site (benchmarks/site.py's measure,
    2026-12-07, 5 or 7 per page and variant): with the script just before the first chart, the first chart was interactive
    sooner than with ``async`` on each of the 11 chart chapters at full speed (by 1-80 ms; safety 361 -> 309 ms,
    comparing 334 -> 298) and with the CPU slowed 4x within the loads' spread (-219 to +53 ms); just after it, 6 loads
    each on 5 chapters, sooner again in 7 of the 10 cells (safety 339 -> 317 ms, 1235 -> 1155 slowed). The text below
    the first chart shows once the library has run (from the cache after a reader's first chart page)."""
    if LIBRARY_PLACE not in body:
        return None
    first = body.index(LIBRARY_PLACE)
    return body[:first] + script_tag + body[first:].replace(LIBRARY_PLACE, "")


def _docname(renderer) -> str:
    return renderer.renderer.sphinx_env.docname


def _html(text: str) -> list:
    return [nodes.raw(text=text, format="html", classes=["output", "text_html"])]


def _warn_quiz_shape(renderer, data, which: str, kept: str) -> None:
    """The build warns (``-W`` fails) when jupyterquiz's output no longer has the shape this module rewrites."""
    renderer.logger.warning(
        f"quiz in cell {data.cell_index}: jupyterquiz's {which} no longer has the shape book/site/mime.py expects, "
        f"so it keeps its own copy of {kept} (a jupyterquiz upgrade?)",
        subtype="quiz",
        line=data.line,
    )


def _html_output(renderer, data):
    """A text/html output: a quiz's container (its shared rules once per page), a solution's folded answer (open: the
    solution's dropdown hides it), a long table (folded, fetched when opened); anything else as myst-nb renders it."""
    document = renderer.renderer.document
    if 'data-shufflequestions="' in data.string:
        html = quiz_html_once(data.string, document.attributes.setdefault("kap_quiz_page", {}))
        if html is None:
            _warn_quiz_shape(renderer, data, "HTML output", "the quiz rules")
            return None
        return _html(html)
    if ANSWER_FOLD in data.string:  # book.teaching.folded; its table stays whole
        return _html(data.string.replace(f'<details class="{ANSWER_FOLD}">', f'<details class="{ANSWER_FOLD}" open>', 1))
    folded = deferred.fold_long_table(data.string, _docname(renderer), deferred.site_files(document))
    return None if folded is None else [*_html(folded), deferred.table_words(data.string)]


def _quiz_output(renderer, data):
    script = data.string
    if not script.lstrip().startswith("var questions"):
        return None  # not a quiz: myst-nb renders it
    startup = quiz_startup(script)
    if startup is None:
        _warn_quiz_shape(renderer, data, "output", "the library")
        return None
    renderer.add_js_file(QUIZ_SCRIPT[0], QUIZ_SCRIPT[1], {"defer": "defer"})
    document = renderer.renderer.document
    later = quiz_questions_later(startup, deferred.site_files(document), deferred.static_prefix(_docname(renderer)))
    startup = later or startup
    safe = startup.replace("</script>", "<\\/script>")  # as myst-nb writes a script output
    return [nodes.raw(text=f'<script type="application/javascript">{safe}</script>', format="html")]


@functools.lru_cache(maxsize=1)
def served_quiz_library() -> str:
    """The file the site serves as ``_static/kap-vendor/jupyterquiz.js``: :func:`quiz_library`, then
    :data:`QUIZ_STARTS`, which starts the quizzes (each waits for the library, wherever the page loads it: with
    ``defer``, or once the first chart has drawn, :mod:`book.site.later_scripts`)."""
    return quiz_library() + QUIZ_STARTS


def quiz_library() -> str:
    """jupyterquiz's JavaScript library, exactly as :func:`book.teaching.quiz.show_quiz` inlines it into every quiz's
    output (jupyterquiz's own, without its MathJax loader from a CDN). The site serves it once (book/site/offline.py);
    this module is the site's one door to the teaching layer."""
    import importlib.resources

    from ..teaching.quiz import offline_quiz_script

    js_dir = importlib.resources.files("jupyterquiz").joinpath("js")
    return offline_quiz_script(
        "".join(f.read_bytes().decode("utf-8") for f in sorted(js_dir.iterdir(), key=lambda x: x.name) if f.name.endswith(".js"))
    )
