"""Sphinx extension: the built site loads nothing from other origins, and loads little.

* **Charts**: the chart cells output compiled Vega (:mod:`book.views.vega`), which the myst-nb plugin
  :mod:`book.site.mime` turns into page content. This extension serves the chart library those
  pages load, ``_static/kap-vendor/kap-charts.js``: Vega, Vega-Lite and vega-embed as the installed
  vl-convert-python bundles them (``vl_convert.javascript_bundle``), so it is pinned by the Python
  requirements and needs no Node.js, wrapped in a function so its minified top-level names stay out of
  the page's global scope, followed by ``static/kap-charts.js``, which draws the charts.
* **Quizzes**: jupyterquiz inlines its JavaScript library into every quiz; the library is served once
  per site (``_static/kap-vendor/jupyterquiz.js``), which quiz pages load with ``defer`` through the myst-nb
  plugin (:func:`book.site.mime.quiz_startup`).
* **The theme**: Jupyter Book 1.0.4 registers sphinx-thebe's inline script twice (a console error on
  every page) although thebe is off, so thebe's assets are dropped; the theme's scripts that wait for
  the page anyway load with ``defer``; sphinx-design's stylesheet and script only where a page uses it;
  myst-nb's saved widget state is dropped (the site has no widget manager to read it). These act on the
  page's asset lists in ``html-page-context``. The theme's Font Awesome script (its web fonts draw the
  same icons) and its search scripts outside the search page (they serve only search-as-you-type, which
  is off) are removed in the book's templates (``_templates/``) through the filters defined here. The sidebar's book
  title sits in a navigation landmark through a sidebar component (``_templates/kap-brand.html``, ``html_sidebars``).
* **Icon fonts**: the theme's Font Awesome web fonts (270 KB) are cut down, in the built site only, to the
  glyphs its pages and scripts use (:mod:`book.site.icon_fonts`).
* **Chart pages**: the deferred scripts run once the first chart has drawn (:mod:`book.site.later_scripts`, through a
  template filter).
* **Guards**: every rewrite of markup warns when its pattern no longer matches (a theme or library
  upgrade cannot silently undo it), and any script, stylesheet, image or frame that would still come
  from another origin is reported as a Sphinx warning, so a build with ``-W`` fails.
* **What a page fetches when needed** (long tables, a later chart's larger data and spec, a quiz's longer questions:
  :mod:`book.site.deferred`) is written into the site when the page is written.
* **One stylesheet**: the theme's, Pygments' and the extensions' screen stylesheets, cut, in one file
  (``_static/kap-site.css``, :mod:`book.site.stylesheets`), linked by a template filter.
* **The bibliography**: entries without the ARIA roles Sphinx gives them (a citation node visitor).
* When a file in ``data/`` or ``book/`` changes, every page is built again on the next build (so the
  notebooks run again and the site never shows numbers from an older version of the data); when only
  ``book/site/static/`` changed, the root page is, so that Sphinx copies the new files (``env.note_dependency``).
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from ..paths import ROOT
from .deferred import preload_links, remove_unused_site_files, search_words, skip_node, write_site_files
from .later_scripts import chart_library, has_chart, scripts_later
from .mime import CHART_SCRIPT_ATTRIBUTES, place_chart_library, quiz_library, served_quiz_library

__all__ = ["setup", "quiz_library", "foreign_assets", "without_scripts", "chart_script", "inputs"]

logger = logging.getLogger(__name__)

VENDOR_DIR = "kap-vendor"
#: The chart library and the book's drawing script, one file in _static/kap-vendor/ (see
#: :data:`book.sphinx_charts.CHART_SCRIPTS`).
CHART_SCRIPT = "kap-charts.js"
_FOREIGN = re.compile(
    r'<(?:script|link|img|iframe|source|video|audio)\b[^>]*?\b(?:src|href)\s*=\s*["\']((?:https?:)?//[^"\']+)',
    re.IGNORECASE,
)


def _warn_unmatched(what: str, where: str) -> None:
    logger.warning(
        "%s: the pattern this book rewrites no longer matches on %s (a theme or library upgrade?); see book/site/offline.py",
        what,
        where,
        type="kap",
        subtype="rewrite",
    )


def _filename(asset) -> str:
    return str(getattr(asset, "filename", "") or "")


def _attributes(asset) -> dict:
    return dict(getattr(asset, "attributes", {}) or {})


def _inline_body(asset) -> str:
    return str(_attributes(asset).get("body", "") or "")


def _keep_assets(context: dict, keep, keys=("script_files", "css_files")) -> int:
    """Keep only the page's scripts and stylesheets for which ``keep(asset)`` is true; return how many went."""
    dropped = 0
    for key in keys:
        if key in context:
            kept = [a for a in context[key] if keep(a)]
            dropped += len(context[key]) - len(kept)
            context[key] = kept
    return dropped


#: Theme scripts that only act once the page has been parsed (each waits for DOMContentLoaded), so they
#: can load with ``defer`` instead of holding up the parser in the page head. Order is kept. Not on the
#: search page, whose searchtools.js runs at once and needs doctools.js loaded before it.
DEFERRABLE_SCRIPTS = (
    "doctools.js",
    "sphinx_highlight.js",
    "clipboard.min.js",
    "copybutton.js",
    "sphinx-book-theme.js",
    "togglebutton.js",
    "design-tabs.js",
)


def _defer_theme_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if pagename == "search" or "script_files" not in context:
        return
    found = 0

    def deferred(asset):
        nonlocal found
        name = Path(_filename(asset).split("?")[0]).name
        attributes = _attributes(asset)
        if name in DEFERRABLE_SCRIPTS:
            found += 1
            if not {"async", "defer"} & set(attributes):
                # The same asset class Sphinx gave us (its public behaviour: filename, priority, attributes).
                return type(asset)(asset.filename, priority=asset.priority, **attributes, defer="defer")
        return asset

    context["script_files"] = [deferred(a) for a in context["script_files"]]
    if not found:
        _warn_unmatched("deferring the theme's scripts (doctools.js and others)", f"page {pagename}")


def _search_page_script(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The search page's results read their summaries from the pages' text (``static/kap-search.js``)."""
    if pagename != "search" or not context.get("script_files"):
        return
    # Deferred: it runs after searchtools.js (a plain script in the page head) and before the search starts. The same
    # asset class as the page's other scripts (Sphinx's public behaviour: filename, priority, attributes).
    script = type(context["script_files"][0])("_static/kap-search.js", priority=800, defer="defer")
    context["script_files"] = [*context["script_files"], script]


def _chart_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``kap_chart_page`` in the page's context: whether the page draws a chart (its deferred scripts then wait for the
    first chart, :mod:`book.site.later_scripts`). After myst-nb has added the page's own scripts. And the first
    chart's files preloaded in the page head (:func:`book.site.deferred.preload_links`)."""
    context["kap_chart_page"] = has_chart(context.get("script_files", []), CHART_SCRIPT)
    context["metatags"] = context.get("metatags", "") + preload_links(doctree)
    if context["kap_chart_page"]:
        _library_after_first_chart(pagename, context)


def _library_after_first_chart(pagename: str, context: dict) -> None:
    """The chart library's script out of the page head and into the page just after its first chart
    (:func:`book.site.mime.place_chart_library`, which says why), preloaded from the head at the priority it had."""
    scripts = context.get("script_files", [])
    library = chart_library(scripts, CHART_SCRIPT)
    # The same asset class Sphinx gave us (its public behaviour: filename, priority, attributes), without async.
    tag = context["js_tag"](type(library)(library.filename, priority=library.priority))
    body = place_chart_library(context.get("body", ""), tag)
    if body is None:
        _warn_unmatched("running the chart library just after the first chart", f"page {pagename}")
        return
    url = re.search(r'src="([^"]+)"', tag).group(1)
    priority = CHART_SCRIPT_ATTRIBUTES.get("fetchpriority", "auto")
    context["metatags"] += f'\n<link rel="preload" as="script" fetchpriority="{priority}" href="{url}">'
    context["script_files"] = [a for a in scripts if a is not library]
    context["body"] = body


#: Pygments token classes whose colour, in the theme's light and dark code styles, is the code block's own: names,
#: punctuation and whitespace (tests/test_offline.py checks it in the built stylesheet).
PLAIN_TOKENS = ("n", "p", "w")
_CODE_BLOCK = re.compile(r'<div class="highlight"><pre>.*?</pre></div>', re.S)
_PLAIN_TOKEN = re.compile(r'<span class="(?:' + "|".join(PLAIN_TOKENS) + r')">([^<]*)</span>')


def plain_code_tokens(body: str) -> str:
    """``body`` (a page's HTML) with the code blocks' name, punctuation and whitespace tokens as plain text: Pygments
    wraps each in a ``<span>`` that only sets the colour the block already has (``static/kap-book.css`` lets the
    block's text take it), about 40% of a code block's HTML."""
    return _CODE_BLOCK.sub(lambda block: _PLAIN_TOKEN.sub(r"\1", block.group(0)), body)


#: Docutils writes the brackets around a reference's or footnote's label as spans (``<span class="fn-bracket">[</span>``)
#: for a theme to style; none of the book's stylesheets does (tests/test_offline.py checks it).
_BRACKET = re.compile(r'<span class="fn-bracket">([\[\]])</span>')


def plain_brackets(body: str) -> str:
    """``body`` with the reference labels' brackets as plain text (5 KB on the chapter with the longest reference list)."""
    return _BRACKET.sub(r"\1", body)


#: Markup in a page's body that does nothing on the site: the empty stylesheet pandas writes before a table it styles
#: with classes only, and sphinx-thebe's configuration and kernel name for thebe, which the site does not load
#: (``launch_buttons.thebe: false``; its script is dropped, :func:`_drop_thebe`).
_INERT_MARKUP = re.compile(
    r'<style type="text/css">\s*</style>\n?'
    r'|[ \t]*<script type="text/x-thebe-config">.*?</script>\s*<script>kernelName = \'[\w.-]*\'</script>\n?',
    re.S,
)


def without_inert_markup(body: str) -> str:
    """``body`` without :data:`_INERT_MARKUP` (about 0.8 KB on a chapter)."""
    return _INERT_MARKUP.sub("", body)


def _plain_markup(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The page's markup that sets nothing: code tokens in the block's own colour, reference labels' bracket spans, and
    markup that does nothing on the site (:func:`without_inert_markup`)."""
    if "body" in context:
        context["body"] = without_inert_markup(plain_brackets(plain_code_tokens(context["body"])))


def _drop_unused_sphinx_design(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """sphinx-design's stylesheet (55 KB) and tab script are loaded on every page; keep them only where
    the page uses one of its components (classes starting ``sd-``)."""
    if 'class="sd-' in context.get("body", "") or " sd-" in context.get("body", ""):
        return
    _keep_assets(context, lambda a: not re.search(r"(?:sphinx-design|design-tabs)[^/]*$", _filename(a)))


def _drop_thebe(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    _keep_assets(context, lambda a: "thebe" not in _filename(a) and "THEBE_JS_URL" not in _inline_body(a))


def _drop_widget_state(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """myst-nb puts the saved state of every ipywidget in the page head (50 KB on a chapter with an
    explorer). Without a widget manager (``nb_ipywidgets_js: {}``) nothing reads it, so it is dropped."""
    if app is not None and getattr(app.config, "nb_ipywidgets_js", None):
        return
    _keep_assets(
        context, lambda a: _attributes(a).get("type") != "application/vnd.jupyter.widget-state+json", keys=("script_files",)
    )


def foreign_assets(context: dict) -> list[str]:
    """Every script, stylesheet, image, frame or media file the page would load from another origin."""
    found = set(_FOREIGN.findall(context.get("body", "")))
    for key in ("script_files", "css_files"):
        for asset in context.get(key, []):
            if re.match(r"(?:https?:)?//", _filename(asset)):
                found.add(_filename(asset))
            found.update(re.findall(r'(?:src|href)\s*=\s*["\']((?:https?:)?//[^"\']+)', _inline_body(asset)))
    return sorted(found)


def _report_foreign(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    for url in foreign_assets(context):
        logger.warning(
            "page %s loads %s from another origin; serve it from the site instead (see book/site/offline.py)",
            pagename,
            url,
            type="kap",
            subtype="foreign-asset",
        )


def visit_citation(self, node) -> None:
    """The HTML of a bibliography entry, as Sphinx's HTML5 translator writes it but without its ARIA roles: Sphinx
    marks the list role="list" although its entries are not list items (an ARIA error), and each entry with the
    deprecated role doc-biblioentry, which a div may not have. Registered with ``app.add_node(..., override=True)``."""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname]))


def depart_citation(self, node) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
        self.body.append("</div>\n")


#: Section ids that sphinx-exercise gives every exercise and solution alike (so a page with two has duplicate ids).
REPEATED_IDS = ("exercise-content", "solution-content")


def unique_section_ids(app: Sphinx, doctree, docname: str) -> None:
    """``doctree-resolved``: the second and later of each id in :data:`REPEATED_IDS` on a page become ``<id>-2``...
    (nothing links to them; the first keeps its id)."""
    from docutils import nodes

    seen: dict[str, int] = {}
    for section in doctree.findall(nodes.section):
        ids = section["ids"]
        if ids and ids[0] in REPEATED_IDS:
            seen[ids[0]] = seen.get(ids[0], 0) + 1
            if seen[ids[0]] > 1:
                section["ids"] = [f"{ids[0]}-{seen[ids[0]]}", *ids[1:]]


# --- template filters (used by _templates/) -------------------------------------------------------


def without_scripts(html, *names: str, where: str = "") -> str:
    """Jinja filter: ``html`` without the ``<script src=…>`` elements whose file is one of ``names``.

    Warns (failing a ``-W`` build) when none is found, so a theme upgrade that renames or moves them
    cannot silently bring them back.
    """
    html = str(html)
    pattern = re.compile(
        r'[ \t]*<script\b[^>]*\bsrc="[^"]*?(?:'
        + "|".join(re.escape(n) for n in names)
        + r')(?:\?[^"]*)?"[^>]*>\s*</script>[ \t]*\n?'
    )
    trimmed, count = pattern.subn("", html)
    if not count:
        _warn_unmatched(f"removing {', '.join(names)} from the theme's page head", where or "a page")
    from markupsafe import Markup

    return Markup(trimmed)


#: The logos in the article header's launch menu (Binder, Colab, JupyterHub): images a reader sees only when the menu
#: is opened.
_MENU_IMAGE = re.compile(r'<img (?![^>]*\bloading=)([^>]*\bsrc="[^"]*_static/images/logo_[^"]*"[^>]*)>')


def lazy_menu_images(html) -> str:
    """Jinja filter: ``html`` with the launch menu's logos loaded lazily (``loading="lazy"``): the menu is hidden until
    opened, so a reader who never opens it never downloads them (the Colab logo alone is 6 KB gzipped)."""
    from markupsafe import Markup

    return Markup(_MENU_IMAGE.sub(r'<img loading="lazy" \1>', str(html)))


_PRINT_CONTENTS = '<div id="jb-print-docs-body"'
_DIV_TAG = re.compile(r"<(/?)div\b[^>]*>")


def without_print_contents(html, where: str = ""):
    """Jinja filter: ``html`` without sphinx-book-theme's print-only title and contents list (``#jb-print-docs-body``).

    The book's print stylesheet hides it (``static/kap-print.css``: the title prints from the article, and a handout
    needs no list of its sections), so no reader ever sees it; yet it sits in the page's main region, where Sphinx's
    search takes its result summaries from: a search for a word in a section heading showed the contents list around it
    instead of the text. Warns (failing a ``-W`` build) when the block is not found."""
    from markupsafe import Markup

    html = str(html)
    start = html.find(_PRINT_CONTENTS)
    if start < 0:
        _warn_unmatched("removing the theme's print-only contents list (#jb-print-docs-body)", where or "a page")
        return Markup(html)
    depth = 0
    for tag in _DIV_TAG.finditer(html, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return Markup(html[:start] + html[tag.end() :].lstrip("\n"))
    _warn_unmatched("removing the theme's print-only contents list (#jb-print-docs-body: not closed)", where or "a page")
    return Markup(html)


_DOCUMENTATION_OPTIONS = re.compile(r'<script src="[^"]*_static/documentation_options\.js(?:\?[^"]*)?"></script>')


def inline_documentation_options(html, context=None, renderer=None, theme_dirs=(), where: str = ""):
    """Jinja filter for the page head's scripts: Sphinx's ``documentation_options.js`` written into the page, as the
    script Sphinx renders for _static/ from the theme's ``documentation_options.js.jinja`` (found in ``theme_dirs``)
    with the builder's ``context`` (a few settings that Sphinx's search and highlighting scripts read, and the theme's
    inline scripts set). It was a parser-blocking request in every page head, one of eight before the chart library
    could run (a trace with the CPU slowed 4x: 12-26 ms of the main thread per request the head starts); it is
    0.4 KB. Warns (failing a -W build) when the page loads no such script or the theme has no template for it (a
    Sphinx or theme upgrade)."""
    from markupsafe import Markup

    html = str(html)
    match = _DOCUMENTATION_OPTIONS.search(html)
    candidates = [Path(folder) / "static" / "documentation_options.js.jinja" for folder in theme_dirs]
    template = next((candidate for candidate in candidates if candidate.is_file()), None)
    if match is None or template is None or renderer is None:
        _warn_unmatched("writing documentation_options.js into the page", where or "a page")
        return Markup(html)
    script = renderer.render_string(template.read_text(encoding="utf-8"), dict(context or {}))
    return Markup(html[: match.start()] + f"<script>{script.strip()}</script>" + html[match.end() :])


def _add_template_filters(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    if templates is None or not hasattr(templates, "environment"):
        return
    templates.environment.filters["kap_without_scripts"] = without_scripts
    templates.environment.filters["kap_lazy_menu_images"] = lazy_menu_images
    templates.environment.filters["kap_without_print_contents"] = without_print_contents
    templates.environment.filters["kap_scripts_later"] = functools.partial(scripts_later, warn=_warn_unmatched)

    def documentation_options(html, where: str = ""):  # the builder's context, as Sphinx renders the file with it
        theme_dirs = app.builder.theme.get_theme_dirs()
        return inline_documentation_options(html, app.builder.globalcontext, templates, theme_dirs, where)

    templates.environment.filters["kap_inline_documentation_options"] = documentation_options
    from .icon_fonts import icon_font_preloads
    from .stylesheets import _BUNDLED, bundled_css

    templates.environment.filters["kap_bundled_css"] = bundled_css
    templates.environment.filters["kap_icon_font_preloads"] = icon_font_preloads
    _BUNDLED.clear()  # this build's pages say which stylesheets the bundle holds


# --- served files ------------------------------------------------------------------------------


def chart_script() -> str:
    """What chart pages load: vl-convert's bundle of Vega, Vega-Lite and vega-embed, wrapped in a function so
    that its minified top-level names do not collide with other scripts' globals, then the book's
    ``static/kap-charts.js``, which draws the charts."""
    import vl_convert

    from ..views.vega import VEGALITE_VERSION

    bundle = vl_convert.javascript_bundle(vl_version=VEGALITE_VERSION)
    drawing = (Path(__file__).parent / "static" / "kap-charts.js").read_text(encoding="utf-8")
    return (
        f"/* Vega {vl_convert.get_vega_version()}, Vega-Lite {VEGALITE_VERSION}, vega-embed "
        f"{vl_convert.get_vega_embed_version()}: bundled by vl-convert-python. */\n(function () {{\n{bundle}\n}})();\n"
        f"{drawing}"
    )


def _vendor_folder(app: Sphinx) -> Path:
    """A folder, listed in html_static_path, holding kap-vendor/ (the chart script written again when
    vl-convert or kap-charts.js change; the quiz library on every build, as it costs nothing)."""
    import importlib.metadata as md

    folder = Path(app.doctreedir).parent / "kap-static"
    drawing = hashlib.sha256((Path(__file__).parent / "static" / "kap-charts.js").read_bytes()).hexdigest()[:12]
    stamp = f"vl-convert-python {md.version('vl-convert-python')}, kap-charts.js {drawing}"
    target, versions = folder / VENDOR_DIR, folder.parent / "kap-static-versions.txt"
    target.mkdir(parents=True, exist_ok=True)
    quiz = served_quiz_library()
    if not (target / "jupyterquiz.js").is_file() or (target / "jupyterquiz.js").read_text(encoding="utf-8") != quiz:
        (target / "jupyterquiz.js").write_text(quiz, encoding="utf-8")
    if versions.is_file() and versions.read_text() == stamp and (target / CHART_SCRIPT).is_file():
        return folder
    (target / CHART_SCRIPT).write_text(chart_script(), encoding="utf-8")
    versions.write_text(stamp)
    return folder


def _add_static_files(app: Sphinx) -> None:
    app.config.html_static_path.append(str(Path(__file__).parent / "static"))
    app.config.html_static_path.append(str(_vendor_folder(app)))
    app.add_css_file("kap-book.css")
    app.add_css_file("kap-charts.css")
    app.add_css_file("kap-print.css", media="print")  # on paper; in the bundle (stylesheets.py)
    app.add_js_file("kap-book.js", loading_method="defer")


# --- incremental builds ------------------------------------------------------------------------


#: Files every page depends on (its notebook runs again when one changes), and files only the root page depends on
#: (so that Sphinx, which copies static files only when a page is out of date, copies a changed one).
EXECUTION_INPUTS = ("data/*", "book/**/*.py")
STATIC_INPUTS = ("book/site/static/*",)


def inputs(patterns: tuple[str, ...]) -> list[Path]:
    """The files of the book's root matching ``patterns``."""
    return sorted(f for pattern in patterns for f in ROOT.glob(pattern) if f.is_file())


def _note_inputs(app: Sphinx, docname: str, source: list[str]) -> None:
    """Sphinx re-reads only documents whose own source changed, so without this an edited CSV would leave stale numbers
    on the site after an incremental build: every page depends on data/ and book/, the root page also on the static
    files (``env.note_dependency``)."""
    patterns = EXECUTION_INPUTS + (STATIC_INPUTS if docname == app.config.root_doc else ())
    for path in inputs(patterns):
        app.env.note_dependency(str(path))


def _subset_icon_fonts(app: Sphinx, exception) -> None:
    """The theme's icon fonts, cut down to the icons the site shows (see :mod:`book.site.icon_fonts`)."""
    if exception is not None or app.builder.format != "html":
        return
    from .icon_fonts import subset_site_fonts

    for name, before, after in subset_site_fonts(Path(app.outdir), Path(app.doctreedir).parent / "kap-font-cache"):
        logger.info("icon font %s: %d KB -> %d KB (only the icons the site shows)", name, before // 1024, after // 1024)


def _cut_theme_stylesheets(app: Sphinx, exception) -> None:
    """The theme's stylesheets, cut to the rules the built pages can use (see :mod:`book.site.stylesheets`)."""
    if exception is not None or app.builder.format != "html":
        return
    from .stylesheets import cut_site_stylesheets

    for name, before, after in cut_site_stylesheets(Path(app.outdir)):
        logger.info("stylesheet %s: %d KB -> %d KB (only rules the pages can use)", name, before // 1024, after // 1024)
    from .stylesheets import BUNDLE, write_bundle

    written = write_bundle(Path(app.outdir))
    if written:
        logger.info("stylesheet _static/%s: %d stylesheets in one, %d KB", BUNDLE, written[0], written[1] // 1024)


def _compact_pages(app: Sphinx, exception) -> None:
    """Every page without the whitespace runs between its tags (see :mod:`book.site.compact`)."""
    if exception is not None or app.builder.format != "html":
        return
    from .compact import compact_site_pages

    files, saved = compact_site_pages(Path(app.outdir))
    logger.info("pages: whitespace between tags shortened in %d files, %d KB", files, saved // 1024)


def _reread_pages_with_index_entries(app: Sphinx, env, added: set, changed: set, removed: set) -> list[str]:
    """The pages holding index entries (the glossary's terms), read again on every build.

    Sphinx 7.4's incremental build starts the search index from the last build's file, which keeps the titles and
    words but not the index entries (``IndexBuilder.load``: "no need to load keywords/objtypes"); only pages written
    in this build add theirs. So an incremental build after editing a chapter lost every glossary term from search
    ("naltrexone" no longer found "Glossary | Naltrexone"; searchindex.js held 0 index entries, against 99 after a
    clean build). Reading these pages again costs one small page per build."""
    entries = env.get_domain("index").entries
    return sorted(name for name, listed in entries.items() if listed and name not in added | changed | removed)


def setup(app: Sphinx) -> dict:
    from docutils import nodes

    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    skip = (skip_node, None)  # a folded table's words: in the search index, on no page
    app.add_node(search_words, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    app.connect("builder-inited", _add_static_files)
    app.connect("builder-inited", _add_template_filters)
    app.connect("source-read", _note_inputs)
    app.connect("env-get-outdated", _reread_pages_with_index_entries)
    app.connect("doctree-resolved", unique_section_ids)
    app.connect("doctree-resolved", write_site_files)  # the page's long tables and later charts' data (book.site.deferred)
    # One connection per job on each page's context (after the theme's own, priority 900).
    jobs = (
        _drop_thebe,
        _defer_theme_scripts,
        _drop_unused_sphinx_design,
        _drop_widget_state,
        _chart_page_context,
        _plain_markup,
        _search_page_script,
    )
    for job in jobs:
        app.connect("html-page-context", job, priority=900)
    app.connect("html-page-context", _report_foreign, priority=950)  # last: what the page still loads from elsewhere
    app.connect("build-finished", _subset_icon_fonts)
    app.connect("build-finished", remove_unused_site_files)  # what an earlier build wrote for a changed page
    # After the theme's own build-finished work (it writes its light/dark pygments.css then), so the bundle holds it.
    app.connect("build-finished", _cut_theme_stylesheets, priority=900)
    app.connect("build-finished", _compact_pages, priority=950)  # last: the pages as written
    return {"version": "0.3", "parallel_read_safe": True, "parallel_write_safe": True}
