"""What a chapter page leaves out of its own HTML, for the reader's browser to fetch when it is needed.

A chapter's long evidence tables (every quote, every figure as reported) and the data of its charts below the first
made the richest pages 300-600 KB of HTML, which a phone has to download and parse before the first chart is
ready. On the website (the notebooks keep everything inline):

* **Long tables** (more than :data:`LONG_TABLE_BYTES` of HTML) become a folded ``<details>`` whose summary names the
  table and its size; opening it fetches the table from ``_static/kap-tables/<hash>.html`` and shows it in place
  (``static/kap-book.js``). That file is also a small page of its own (the table, the book's disclaimer, a link back),
  which the fold links to, so the table is reachable where the fetch cannot work (a page opened from disk). Printing
  (a browser's own print, ``python -m book pdf``) opens every fold first.
* **Charts** (:func:`book.site.mime.chart_html`): a chart's larger datasets go to ``_static/kap-data/<hash>.json`` and
  its spec, if large, to ``_static/kap-specs/<hash>.json``, which ``static/kap-charts.js`` fetches when it draws that
  chart (the first at once; the others as they come near the window). The first chart's files are preloaded from the
  page head (:func:`preload_links`) and read at once (:func:`early_read_script`), so they arrive while the chart
  library loads, and the page's HTML, which the browser parses before it draws anything, holds text rather than
  data. Pages that show the same data share the file.
* **Quiz questions** (:func:`book.site.mime.quiz_questions_later`): a quiz's questions, if longer than
  :data:`QUIZ_INLINE_BYTES`, go to ``_static/kap-quizzes/<hash>.json``, fetched when the quiz comes near the screen
  or the browser is idle (quizzes close a chapter).

The files are kept in the page's doctree (:func:`site_files`) while it is read, and written into the site when the
page is written (:func:`write_site_files`, on ``doctree-resolved``), so a rebuild from cached doctrees writes them
too. Names are content hashes: a changed table or dataset gets a new name, and a reader's cache never serves an old
one. After the build, files no page (or file a page uses) names any more are removed (:func:`remove_unused_site_files`),
so a rebuild after an edit does not leave the old ones in the site.
"""

from __future__ import annotations

import hashlib
import html as html_text
import json
import re
from pathlib import Path

from docutils import nodes

from .. import DISCLAIMER

#: A table longer than this (its HTML, in bytes) is folded and fetched when opened.
LONG_TABLE_BYTES = 8 * 1024
#: A later chart's dataset larger than this (its JSON, in bytes) is fetched when the chart is drawn.
INLINE_DATA_BYTES = 4 * 1024
#: A quiz whose questions (JSON) are longer than this gets them from a file (fetched when the quiz comes near): every
#: quiz (quizzes close a chapter, below its first chart).
QUIZ_INLINE_BYTES = 0
#: Folders under the site's _static/.
TABLES_DIR, DATA_DIR, SPEC_DIR, QUIZ_DIR = "kap-tables", "kap-data", "kap-specs", "kap-quizzes"
#: The document attribute holding a page's files (path under _static/ -> text).
_FILES = "kap_site_files"
#: The document attribute holding the URLs of the files its first chart needs (preloaded in the page head).
_PRELOADS = "kap_preloads"

_TABLE = re.compile(r'<table\b[^>]*\bclass="dataframe book-table"[^>]*>.*?</table>', re.S)
_CAPTION = re.compile(r"<caption>(.*?)</caption>", re.S)
_TAG = re.compile(r"<[^>]+>")

#: The standalone page around a fetched table: readable on its own (a page opened from disk cannot fetch).
_TABLE_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 1rem auto; max-width: 70rem; padding: 0 1rem; color: #222; }}
h1 {{ font-size: 1.4rem; }}
table {{ border-collapse: collapse; }} caption {{ font-weight: bold; text-align: left; padding: .5rem 0; }}
th, td {{ border: 1px solid #bbb; padding: .3rem .5rem; text-align: left; vertical-align: top; }}
.kap-table-scroll {{ overflow-x: auto; container-type: inline-size; }}
.kap-table-scroll caption {{ position: sticky; left: 0; max-width: 100cqi; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p><strong>{disclaimer}</strong></p>
<p><a href="{back}">Back to the chapter</a></p>
<div class="kap-table-scroll" tabindex="0">{table}</div>
</main>
</body>
</html>
"""


def site_files(document) -> dict[str, str]:
    """The files ``document`` (a page's doctree) adds to the site: path under _static/ -> text (kept with the page)."""
    return document.attributes.setdefault(_FILES, {})


def preload(document, urls: list[str]) -> None:
    """Note that the page ``document`` needs the files at ``urls`` (relative to the page) at once: its first chart's."""
    document.attributes.setdefault(_PRELOADS, []).extend(u for u in urls if u not in document.attributes.get(_PRELOADS, []))


def preload_links(doctree) -> str:
    """The ``<link rel="preload">`` elements for the files a page needs at once (:func:`preload`): fetched with the page,
    while the chart library loads, as ``fetch()`` fetches them (``crossorigin="anonymous"`` is its same-origin
    request), so that the first chart's own request is served from that download; then :func:`early_read_script`."""
    urls = doctree.attributes.get(_PRELOADS, []) if doctree is not None else []
    links = "".join(f'\n<link rel="preload" as="fetch" crossorigin="anonymous" href="{html_text.escape(u)}">' for u in urls)
    return links + ("\n" + early_read_script(urls) if urls else "")


#: Reads each file into ``window.kapEarly`` (URL -> a promise of its text). Errors are kept in the promise (the chart
#: says its data did not load), never left unhandled.
_EARLY_READ = (
    '(function(u){var e=window.kapEarly={},m="its data did not load";u.forEach(function(x){(e[x]=fetch(x).then('
    'function(r){if(!r.ok)throw Error(m+" ("+r.status+")");return r.text()},function(){throw Error(m)}))'
    ".catch(function(){})})})({urls});"
)


def early_read_script(urls: list[str]) -> str:
    """An inline script for the page head that starts reading the first chart's files (:func:`preload`) as soon as the
    parser reaches it, the same requests as the preloads. ``static/kap-charts.js`` takes the texts from
    ``window.kapEarly`` when it draws the first chart: they are read by then, whereas a read started then waited, on a
    long page, behind the parser and the page's layout for each step of the response (about 30 ms on the safety,
    reading-a-review and outlook chapters; benchmarks/site.py's measure, 11-13 loads each)."""
    listed = json.dumps(list(urls)).replace("</", "<\\/")
    return f"<script data-kap-early>{_EARLY_READ.replace('{urls}', listed)}</script>"


def static_prefix(docname: str) -> str:
    """The relative URL of the site's _static/ folder from the page ``docname`` (``chapters/safety`` -> ``../_static/``)."""
    return "../" * docname.count("/") + "_static/"


def content_name(text: str, suffix: str) -> str:
    """A file name that changes when ``text`` does."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16] + suffix


def fold_long_table(output_html: str, docname: str, files: dict[str, str]) -> str | None:
    """``output_html`` (a cell's HTML output) with its one book table folded and moved to a file of its own (added to
    ``files``), or None when the output is not a single book table or is short enough to stay."""
    if len(output_html) <= LONG_TABLE_BYTES:
        return None
    tables = _TABLE.findall(output_html)
    if len(tables) != 1:
        return None
    table = tables[0]
    caption_match = _CAPTION.search(table)
    caption = _TAG.sub("", caption_match.group(1)).strip() if caption_match else "Table"
    rows = table.count("<tr") - table.count("<thead")  # body rows (one header row per table)
    name = f"{TABLES_DIR}/{content_name(table, '.html')}"
    files[name] = _TABLE_PAGE.format(
        title=html_text.escape(html_text.unescape(caption)),
        disclaimer=html_text.escape(DISCLAIMER),
        back="../../" + docname + ".html",
        table=table,
    )
    href = static_prefix(docname) + name
    size = max(1, round(len(table.encode("utf-8")) / 1024))
    folded = (
        f'<details class="kap-long-table" data-kap-table="{href}">'
        f"<summary>{caption_match.group(1).strip() if caption_match else caption}"
        f' <span class="kap-long-table-size">({rows} rows)</span></summary>'
        # Until the script replaces it: true while the table loads, and where no script runs.
        f'<div class="kap-long-table-body"><p>The table ({size} KB) loads here. '
        f'<a href="{href}">Open it on a page of its own</a>.</p></div></details>'
    )
    return output_html.replace(table, folded)


def write_site_files(app, doctree, docname: str) -> None:
    """Write the files a page added to the site (``doctree-resolved``; HTML builders only)."""
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    for name, text in doctree.attributes.get(_FILES, {}).items():
        target = static / name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


#: A file of the site's own named in a page or in another such file: (folder, name without the suffix).
_SITE_FILE_NAME = re.compile(rf"\b({TABLES_DIR}|{DATA_DIR}|{SPEC_DIR}|{QUIZ_DIR})/([0-9a-f]{{8,64}})\.(?:json|html)\b")


class search_words(nodes.Element):
    """Words for the site's search index that the page does not show: a folded table's text (:func:`table_words`).
    Sphinx's index reads a page's text nodes; every writer skips this node (:func:`skip_node`)."""


def skip_node(translator, node) -> None:
    """The visitor of :class:`search_words` in every writer: write nothing."""
    raise nodes.SkipNode


def table_words(output_html: str) -> search_words:
    """The text of a folded table's cells (its HTML without tags, entities read), for the search index: the page holds
    only the fold, so without it the index would lack every word of the book's long evidence tables."""
    tables = _TABLE.findall(output_html)
    text = html_text.unescape(_TAG.sub(" ", " ".join(tables)))
    return search_words("", nodes.Text(" ".join(text.split())))


def unused_site_files(outdir: Path) -> list[Path]:
    """The files under the four folders of ``outdir``'s _static/ that no page of the site names, directly or through
    another such file (a spec names its data file): ones an earlier build wrote for a table, chart or quiz that has
    changed since."""
    static = Path(outdir) / "_static"
    folders = (TABLES_DIR, DATA_DIR, SPEC_DIR, QUIZ_DIR)
    files = {(f.parent.name, f.stem): f for folder in folders for f in (static / folder).glob("*.*") if f.is_file()}
    pages = (p for p in Path(outdir).rglob("*.html") if p.parent.parent != static or p.parent.name not in folders)
    named = {key for page in pages for key in _SITE_FILE_NAME.findall(page.read_text(encoding="utf-8", errors="ignore"))}
    unread = [key for key in named if key in files]
    while unread:  # the files those files name (a spec's data)
        for key in _SITE_FILE_NAME.findall(files[unread.pop()].read_text(encoding="utf-8", errors="ignore")):
            if key in files and key not in named:
                named.add(key)
                unread.append(key)
    return sorted(path for key, path in files.items() if key not in named)


def remove_unused_site_files(app, exception) -> list[Path]:
    """Remove the site's :func:`unused_site_files` (``build-finished``; HTML builders only, and not after a failed
    build), so a rebuild after an edit leaves no old table, data or quiz file in the site. Returns the removed paths."""
    if exception is not None or app.builder.format != "html":
        return []
    removed = unused_site_files(Path(app.outdir))
    for path in removed:
        path.unlink()
    return removed
