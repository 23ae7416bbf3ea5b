"""The book on paper: ``python -m book pdf`` prints the built site (``_build/html``) to PDF with Chromium.

It writes, into ``--out`` (default ``_build/pdf/``):

* ``book.pdf``: every page of the site in ``_toc.yml`` order (landing page, chapters, bibliography, guides) as one
  document, each page starting on a new sheet, with the solutions printed and the links between pages turned into
  links inside the PDF;
* ``handouts/<chapter>.pdf``, one per chapter (``chapters/*.ipynb``): the student handout, without the solutions;
* ``handouts/<chapter>-instructor.pdf``: the instructor edition, with the solutions printed (unfolded) and, in
  the quiz, the right options ticked and the numeric answers written in.

How a page becomes paper:

* The site is served on 127.0.0.1 (:func:`book.browser.serve`), as on a web host, and each page is opened in
  Debian's Chromium (the browser the tests use, :func:`book.browser.find_chromium`) with the viewport as wide as
  the printed text column and with print media emulated from the start, so that the charts, which fill the
  column's width, are drawn at the width they are printed at.
* Printing starts once the page has settled (:func:`book.browser.settle`, the same wait as the browser tests:
  every chart drawn, every quiz rendered, fonts loaded). Charts are drawn by vega's SVG renderer
  (``static/kap-charts.js``), so they are printed as vectors; :data:`PREPARE` counts any ``<canvas>`` left in a
  chart and :func:`open_for_print` refuses to print such a page.
* :data:`PREPARE` then makes the edition: it removes the solutions (sphinx-exercise's ``.solution`` admonitions and
  any cell tagged ``solution``) from a student handout, or unfolds them; unfolds every other fold except folded
  code (left out); writes, under each chart with inputs, the values it was drawn for (the inputs themselves are not
  printed); cuts a chart taller than a sheet into slices that each fit one, between its rows of labels; and, in a
  handout, turns links to other pages of the site into plain text.
* The print style sheet ``static/kap-print.css`` (also used when a reader prints a page from the browser) hides the
  theme's navigation, sidebars, header, buttons, search and the charts' inputs, prints quizzes as plain numbered
  questions, keeps charts and table rows whole and shows an external link's address after its text.
* Every sheet has a header with the disclaimer "Medical education, not medical advice" and the edition, and a
  footer with the title (the chapter's, or the book's) and "page X of Y". Every chapter page also opens with the
  disclaimer in its text.

The page counts reported are read from the PDF files themselves (:func:`page_count`).
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..paths import ROOT
from .browser import LAUNCH_ARGS, NO_CHROMIUM, find_chromium, pages_in_toc, serve, settle

__all__ = [
    "DISCLAIMER",
    "EDITIONS",
    "NotBuiltError",
    "Written",
    "assemble_book",
    "chapter_names",
    "open_for_print",
    "page_count",
    "write_book",
    "write_handouts",
    "write_pdfs",
]

#: The built site printed by default.
SITE = ROOT / "_build" / "html"
#: Where the PDFs go by default.
OUT = ROOT / "_build" / "pdf"
#: What the header of every sheet says (every chapter also opens with it).
DISCLAIMER = "Medical education, not medical advice"
#: ``book``: the whole book with solutions; ``student``: a chapter without them; ``instructor``: a chapter with them.
EDITIONS = ("book", "student", "instructor")
_EDITION_LABELS = {"book": "", "student": "Student handout", "instructor": "Instructor edition (with solutions)"}

#: Paper and margins (the header and footer sit in the top and bottom margins).
PAPER = "A4"
PAPER_WIDTH_MM = 210
MARGINS_MM = {"top": 18, "bottom": 16, "left": 16, "right": 16}
#: The printed text column in CSS pixels (96 per inch): the viewport width the pages are laid out and drawn at.
COLUMN_PX = int((PAPER_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]) * 96 / 25.4)
#: The height a chart may take on one sheet, in CSS pixels (a little less than the text area's): a taller chart is
#: printed in slices (see :data:`PREPARE`).
SHEET_PX = int((297 - MARGINS_MM["top"] - MARGINS_MM["bottom"]) * 96 / 25.4) - 60
#: How long a page may take to load and settle, in ms.
TIMEOUT = 30_000


class NotBuiltError(FileNotFoundError):
    """The site to print has not been built."""


@dataclass
class Written:
    """One PDF written: where, how many pages, how many bytes, how long it took (seconds)."""

    path: Path
    pages: int
    size: int
    seconds: float

    def line(self, root: Path | None = None) -> str:
        shown = self.path.relative_to(root) if root and self.path.is_relative_to(root) else self.path
        return f"{shown}: {self.pages} pages, {self.size / 1024:.0f} KB, {self.seconds:.1f} s"


def page_count(path: Path) -> int:
    """How many pages the PDF at ``path`` has: its page objects (``/Type /Page``, not ``/Pages``), counted in the
    file. Chromium (Skia) writes every object uncompressed at the top level, so they can be counted without a PDF
    library."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", path.read_bytes()))


def chapter_names() -> list[str]:
    """The chapters, in ``_toc.yml`` order, by name (``cocaine-and-stimulants``)."""
    return [Path(p).stem for p in pages_in_toc() if p.startswith("chapters/")]


def _book_title() -> str:
    import yaml

    return str(yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8")).get("title", "The book"))


def _script(name: str, **values: str) -> str:
    """The page script ``js/<name>`` (without its first comment line), each ``%(key)s`` replaced by ``values[key]``."""
    text = (Path(__file__).parent / "js" / name).read_text(encoding="utf-8").split("\n", 1)[1].rstrip("\n")
    for key, value in values.items():
        text = text.replace(f"%({key})s", value)
    return text


# ---------------------------------------------------------------------------------------------------
# Preparing a page

#: Run in a settled page, with ``[edition]``: makes the page the edition (see the module docstring) and returns
#: what it did and found: the page's title, the solutions removed or shown, the charts (drawn as SVG, canvases
#: left), the quiz answers marked, the internal links turned into text, and whether the disclaimer is printed.
PREPARE = _script("prepare.js", disclaimer=repr(DISCLAIMER), sheet=str(SHEET_PX))


def open_for_print(browser, url: str, edition: str):
    """Open ``url`` in a new browser context laid out for paper (the text column's width, print media), wait until
    it has settled, and make it the ``edition`` (:data:`PREPARE`). Returns ``(page, what PREPARE reported)``; close
    the page's context when done (``page.context.close()``).

    Raises RuntimeError if a chart was drawn on a canvas (it would print as a bitmap) or not drawn at all.
    """
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {', '.join(EDITIONS)}, not {edition!r}")
    context = browser.new_context(viewport={"width": COLUMN_PX, "height": 1100})
    page = context.new_page()
    try:
        page.emulate_media(media="print")
        page.goto(url, wait_until="load", timeout=TIMEOUT)
        settle(page, TIMEOUT)
        page.evaluate("() => window.kapTables && window.kapTables.openAll()")  # long tables, fetched (book.site.deferred)
        report = page.evaluate(PREPARE, [edition])
        if report["canvases"] or report["chartsDrawnAsSvg"] < report["charts"]:
            raise RuntimeError(
                f"{url}: {report['charts']} charts, {report['chartsDrawnAsSvg']} drawn as SVG, {report['canvases']} canvases: "
                "every chart must be drawn as SVG to print as vectors"
            )
    except Exception:
        context.close()
        raise
    return page, report


# ---------------------------------------------------------------------------------------------------
# Printing

_MARGIN_STYLE = (
    "font: 9px/1.3 sans-serif; color: #444; width: 100%; box-sizing: border-box; padding: 0 {side}mm;"
    " display: flex; justify-content: space-between; gap: 8mm;"
)


def header_template(edition: str) -> str:
    """The header of every sheet: the disclaimer, and the edition."""
    style = _MARGIN_STYLE.format(side=MARGINS_MM["left"])
    label = html.escape(_EDITION_LABELS[edition])
    return f'<div style="{style}"><span><strong>{html.escape(DISCLAIMER)}</strong></span><span>{label}</span></div>'


def footer_template(title: str) -> str:
    """The footer of every sheet: the title, and "page X of Y"."""
    style = _MARGIN_STYLE.format(side=MARGINS_MM["left"])
    return (
        f'<div style="{style}"><span>{html.escape(title)}</span>'
        '<span style="white-space: nowrap">page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
    )


def print_page(page, path: Path, edition: str, title: str) -> Written:
    """Print ``page`` (prepared by :func:`open_for_print`) to ``path`` with the header and footer of ``edition``."""
    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    page.pdf(
        path=str(path),
        format=PAPER,
        margin={side: f"{mm}mm" for side, mm in MARGINS_MM.items()},
        print_background=True,
        display_header_footer=True,
        header_template=header_template(edition),
        footer_template=footer_template(title),
        outline=True,
        tagged=True,
    )
    return Written(path, page_count(path), path.stat().st_size, time.perf_counter() - started)


#: Run in a prepared page with ``[html]``: appends the HTML at the end of the page's article (the instructor edition's
#: appendix, such as the chapter's question bank).
APPEND = (
    "([markup]) => { const a = document.querySelector('article.bd-article') || document.body;"
    " a.insertAdjacentHTML('beforeend', markup); }"
)


def write_handouts(
    browser, site_url: str, chapter: str, out: Path, instructor_appendix: Callable[[str], str | None] | None = None
) -> list[Written]:
    """Write ``out/handouts/<chapter>.pdf`` (student) and ``<chapter>-instructor.pdf``; return both.
    ``instructor_appendix(chapter)``, if given, returns HTML to append to the instructor edition only (the question
    bank: :func:`book.teaching.question_bank.instructor_appendix`, passed in by ``python -m book pdf``)."""
    written = []
    for edition, name in (("student", f"{chapter}.pdf"), ("instructor", f"{chapter}-instructor.pdf")):
        started = time.perf_counter()
        page, report = open_for_print(browser, f"{site_url}chapters/{chapter}.html", edition)
        try:
            if not report["disclaimer"]:
                raise RuntimeError(f"chapters/{chapter}.html: no {DISCLAIMER!r} in the printed text")
            extra = instructor_appendix(chapter) if instructor_appendix and edition == "instructor" else None
            if extra:
                page.evaluate(APPEND, [extra])
            result = print_page(page, out / "handouts" / name, edition, report["title"])
        finally:
            page.context.close()
        result.seconds = time.perf_counter() - started
        written.append(result)
    return written


#: Run in a prepared page of the book with ``slug`` (``chapters-alcohol``): its article, ready to join the others in
#: one document: scripts dropped (the charts are drawn, the quizzes rendered), every id prefixed with the slug (ids
#: repeat from page to page: "references", vega's clip paths) along with everything that points to one (SVG
#: ``url(#…)``, ``href="#…"``, labels, inline styles), and links and images made absolute. Also returns the page's
#: style sheets and inline head styles.
EXTRACT = _script("extract.js")

#: Run in the book's first page with ``[pieces, title]``, the pieces :data:`EXTRACT` returned: the page's article
#: becomes every page in order (each a ``section.kap-book-page`` that starts a new sheet), with the style sheets any
#: of them uses, and the document is titled ``title``; a link to a page of the book (or a place in it) leads there
#: inside the document, a link to a page of the site outside the book keeps its text only. Resolves once the added
#: style sheets have loaded.
ASSEMBLE = _script("assemble.js")


def _slug(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", path.removesuffix(".html")).strip("-")


def assemble_book(browser, site_url: str, pages: list[str] | None = None, log: Callable[[str], None] | None = None):
    """Open ``pages`` (default: every page of ``_toc.yml``, in order) for print as the book edition and join them in
    one document, in the first page's browser tab (:data:`EXTRACT`, :data:`ASSEMBLE`). Returns that page, settled
    and ready to print; close its context when done."""
    pages = pages or pages_in_toc()
    pieces = []
    for page_path in pages:
        page, report = open_for_print(browser, site_url + page_path, "book")
        try:
            pieces.append(page.evaluate(EXTRACT, _slug(page_path)))
        finally:
            page.context.close()
        if log:
            log(f"  {page_path}: {report['charts']} charts, {report['solutionsShown']} solutions")
    book, _ = open_for_print(browser, site_url + pages[0], "book")
    try:
        book.evaluate(ASSEMBLE, [pieces, _book_title()])
        settle(book, TIMEOUT)
    except Exception:
        book.context.close()
        raise
    return book


def write_book(
    browser, site_url: str, path: Path, pages: list[str] | None = None, log: Callable[[str], None] | None = None
) -> Written:
    """Write the book, every page of ``_toc.yml`` in order (or ``pages``), as one PDF at ``path``, solutions printed."""
    started = time.perf_counter()
    book = assemble_book(browser, site_url, pages, log=log)
    try:
        result = print_page(book, path, "book", _book_title())
    finally:
        book.context.close()
    result.seconds = time.perf_counter() - started
    return result


def write_pdfs(
    site: Path = SITE,
    out: Path = OUT,
    chapters: list[str] | None = None,
    book: bool = True,
    chromium: str | None = None,
    log: Callable[[str], None] | None = print,
    instructor_appendix: Callable[[str], str | None] | None = None,
) -> list[Written]:
    """Print the built ``site`` into ``out``: ``book.pdf`` (if ``book``) and the two handouts of each of
    ``chapters`` (default: every chapter). Returns what was written; ``log`` gets one line per file.
    ``instructor_appendix``: see :func:`write_handouts`.

    Raises :class:`NotBuiltError` if the site is not built, FileNotFoundError for an unknown chapter or when no
    Chromium is found (see :func:`book.browser.find_chromium`).
    """
    from playwright.sync_api import sync_playwright

    site, out = Path(site), Path(out)
    if not (site / "index.html").is_file():
        raise NotBuiltError(f"The site is not built: run `jupyter-book build .` (no {site / 'index.html'}).")
    known = chapter_names()
    chapters = known if chapters is None else [Path(c).stem for c in chapters]
    unknown = [c for c in chapters if c not in known]
    if unknown:
        raise FileNotFoundError(f"No chapter {', '.join(map(repr, unknown))}. Chapters: {', '.join(known)}.")
    missing = [c for c in chapters if not (site / "chapters" / f"{c}.html").is_file()]
    if missing:
        raise NotBuiltError(f"The site has no page for {', '.join(missing)}: build it again (`jupyter-book build .`).")
    chromium = chromium or find_chromium()
    if chromium is None:
        raise FileNotFoundError(NO_CHROMIUM)
    written = []
    with sync_playwright() as pw, serve(site) as site_url:
        browser = pw.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        try:
            if book:
                written.append(write_book(browser, site_url, out / "book.pdf", log=log))
                if log:
                    log(written[-1].line(out))
            for chapter in chapters:
                for result in write_handouts(browser, site_url, chapter, out, instructor_appendix):
                    written.append(result)
                    if log:
                        log(result.line(out))
        finally:
            browser.close()
    return written
