"""Sphinx extension: the built site loads nothing from other origins.

* Altair's chart output loads vega, vega-lite and vega-embed from a CDN. This extension serves
  the versions pinned in ``package.json`` (installed by ``npm ci`` into ``node_modules/``) from the
  site itself: it copies them to ``_static/kap-vendor/``, loads them once at the top of each page
  that has a chart, and rewrites the CDN URLs in the chart scripts to the local files.
* MathJax (pinned in ``package.json``) is served from ``_static/kap-vendor/mathjax/`` on pages with math
  (``mathjax_path`` in ``_config.yml``).
* Jupyter Book 1.0.4 registers sphinx-thebe's inline script twice (a console error on every
  page) although thebe is off; the extension drops thebe's scripts and stylesheet.
* When a file in ``data/`` or ``book/`` changes, every notebook is executed again on the next
  build, so the site never shows numbers from an older version of the data.
* Small accessibility repairs: the bibliography's invalid ARIA role, and (in ``static/kap-book.js``)
  labels for the theme's search button and the quizzes' answer boxes.
* Each chart dataset is embedded once per page, however many charts show it, and the quizzes'
  JavaScript library is served once as a shared file instead of inline in every quiz.
* Weight: MathJax only on pages that show math, and not the theme's 1.5 MB Font Awesome script
  (its web fonts draw the same icons).
* Any script, stylesheet, image or frame that would still come from another origin is reported
  as a Sphinx warning, so a build with ``-W`` fails.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
VENDOR_DIR = "kap-vendor"
#: library name in Altair's loader -> file in node_modules
LIBRARIES = {  # the files the build needs from node_modules (MathJax's fonts are copied as a folder)
    "vega": "vega/build/vega.min.js",
    "vega-lite": "vega-lite/build/vega-lite.min.js",
    "vega-embed": "vega-embed/build/vega-embed.min.js",
}
_CDN_PATH = re.compile(r'"(vega|vega-lib|vega-lite|vega-embed)": "https://cdn\.jsdelivr\.net/npm/[^"]*"')
_LOAD_CALL = re.compile(r'maybeLoadScript\("([\w-]+)", "([^"]+)"\)')
_FOREIGN = re.compile(
    r'<(?:script|link|img|iframe|source|video|audio)\b[^>]*?\b(?:src|href)\s*=\s*["\']((?:https?:)?//[^"\']+)',
    re.IGNORECASE,
)


def _node_modules(app: Sphinx) -> Path:
    return Path(app.confdir) / "node_modules"


def _check_vendor(app: Sphinx) -> None:
    needed = [*LIBRARIES.values(), "mathjax/es5/tex-chtml.js"]
    missing = [rel for rel in needed if not (_node_modules(app) / rel).is_file()]
    if missing:
        raise ExtensionError(
            "The site serves its chart libraries itself, but they are not installed: missing "
            + ", ".join(f"node_modules/{m}" for m in missing)
            + ". Run `npm ci` in the book's folder (it installs the versions pinned in package-lock.json)."
        )


def _drop_unused_mathjax(context: dict) -> None:
    """Sphinx adds MathJax to a page whose toctree includes a page with math (e.g. the index); load it only
    where the page itself shows math."""
    if 'class="math' in context.get("body", ""):
        return
    for key in ("script_files",):
        if key in context:
            context[key] = [a for a in context[key]
                            if "mathjax" not in str(getattr(a, "filename", "") or "").lower()
                            and "window.MathJax" not in str(getattr(a, "attributes", {}).get("body", "") or "")]


def _drop_thebe(context: dict) -> None:
    def keep(asset) -> bool:
        name = str(getattr(asset, "filename", "") or "")
        body = str(getattr(asset, "attributes", {}).get("body", "") or "")
        return "thebe" not in name and "THEBE_JS_URL" not in body

    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if keep(a)]


def _localise_charts(app: Sphinx, pagename: str, context: dict) -> None:
    body = context.get("body", "")
    if "cdn.jsdelivr.net/npm/vega" not in body:
        return
    pathto = context["pathto"]
    local = {lib: pathto(f"_static/{VENDOR_DIR}/{Path(rel).name}", 1) for lib, rel in LIBRARIES.items()}
    local["vega-lib"] = local["vega"]
    body = _CDN_PATH.sub(lambda m: f'"{m.group(1)}": "{local[m.group(1)]}"', body)
    versions = {lib: ver for lib, ver in _LOAD_CALL.findall(body)}
    debug = ", ".join(f'{lib.replace("-", "")}_version: "{ver}"' for lib, ver in versions.items())
    # Load the libraries once, before the charts' own scripts run, and tell Altair's loader they are there.
    head = "".join(f'<script src="{local[lib]}"></script>' for lib in ("vega", "vega-lite", "vega-embed"))
    head += f"<script>var VEGA_DEBUG = {{{debug}}};</script>"
    context["body"] = head + share_datasets(body)


def foreign_assets(context: dict) -> list[str]:
    """Every script, stylesheet, image, frame or media file the page would load from another origin."""
    found = set(_FOREIGN.findall(context.get("body", "")))
    for key in ("script_files", "css_files"):
        for asset in context.get(key, []):
            name = str(getattr(asset, "filename", "") or "")
            if re.match(r"(?:https?:)?//", name):
                found.add(name)
            body = str(getattr(asset, "attributes", {}).get("body", "") or "")
            found.update(re.findall(r'(?:src|href)\s*=\s*["\']((?:https?:)?//[^"\']+)', body))
    return sorted(found)


_DATASETS = re.compile(r'"datasets": \{')


def share_datasets(body: str) -> str:
    """Embed each chart dataset once per page, however many charts use it.

    Altair writes a chart's data into its spec under ``"datasets"``, keyed by a hash of the data;
    charts that show the same data repeat it. Each ``datasets`` object is replaced by references
    to one page-level ``KAP_DATASETS`` object holding every distinct dataset once.
    """
    decoder = json.JSONDecoder()
    shared: dict[str, list] = {}
    pieces, pos = [], 0
    for match in _DATASETS.finditer(body):
        if match.start() < pos:
            continue
        start = match.end() - 1
        try:
            datasets, end = decoder.raw_decode(body, start)
        except json.JSONDecodeError:
            continue
        for name, values in datasets.items():
            shared.setdefault(name, values)
        refs = ", ".join(f"{json.dumps(name)}: KAP_DATASETS[{json.dumps(name)}]" for name in datasets)
        pieces += [body[pos:start], "{" + refs + "}"]
        pos = end
    if not shared:
        return body
    pieces.append(body[pos:])
    preamble = "<script>var KAP_DATASETS = " + json.dumps(shared, separators=(",", ":")) + ";</script>"
    return preamble + "".join(pieces)


def _quiz_library() -> str:
    """jupyterquiz's JavaScript library, exactly as jupyterquiz inlines it into every quiz's output."""
    import importlib.resources

    js_dir = importlib.resources.files("jupyterquiz").joinpath("js")
    return "".join(f.read_bytes().decode("utf-8") for f in sorted(js_dir.iterdir(), key=lambda x: x.name)
                   if f.name.endswith(".js"))


def _share_quiz_library(context: dict) -> None:
    """Serve the quiz library once from the site instead of inline in every quiz (a shared, cached asset)."""
    body = context.get("body", "")
    library = _quiz_library()
    if library not in body:
        return
    src = context["pathto"](f"_static/{VENDOR_DIR}/jupyterquiz.js", 1)
    # Each quiz wraps the library and its start-up code in "if (typeof Question === 'undefined') {...}";
    # with the library loaded first, the start-up code must run unconditionally.
    guarded = re.compile(r"if \(typeof Question === 'undefined'\) \{\s*" + re.escape(library))
    context["body"] = f'<script src="{src}"></script>' + guarded.sub(lambda m: "{\n", body)


def _report_foreign(app: Sphinx, pagename: str, context: dict) -> None:
    for url in foreign_assets(context):
        logger.warning(
            "page %s loads %s from another origin; serve it from the site instead (see book/sphinx_offline.py)",
            pagename, url, type="kap", subtype="foreign-asset",
        )


def _fix_markup(context: dict) -> None:
    """Docutils marks the bibliography as role="list" but its entries are not list items (an ARIA error)."""
    if "body" in context:
        context["body"] = context["body"].replace('<div role="list" class="citation-list">', '<div class="citation-list">')


def on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    _drop_thebe(context)
    _drop_unused_mathjax(context)
    _fix_markup(context)
    _localise_charts(app, pagename, context)
    _share_quiz_library(context)
    _report_foreign(app, pagename, context)


_FONTAWESOME_JS = re.compile(r'<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\s*')


def _drop_fontawesome_js(outdir: Path) -> None:
    """The theme loads Font Awesome twice: as web fonts (CSS) and as a 1.5 MB script that redraws every
    icon as SVG. The fonts alone draw the icons, so the script is removed from every page."""
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        trimmed = _FONTAWESOME_JS.sub("", text)
        if trimmed != text:
            page.write_text(trimmed, encoding="utf-8")


def on_build_finished(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    _drop_fontawesome_js(Path(app.outdir))
    target = Path(app.outdir) / "_static" / VENDOR_DIR
    target.mkdir(parents=True, exist_ok=True)
    for rel in LIBRARIES.values():
        shutil.copy2(_node_modules(app) / rel, target / Path(rel).name)
    (target / "jupyterquiz.js").write_text(_quiz_library(), encoding="utf-8")
    # MathJax 3, with the fonts it looks for relative to its own script.
    mathjax = _node_modules(app) / "mathjax" / "es5"
    (target / "mathjax").mkdir(exist_ok=True)
    shutil.copy2(mathjax / "tex-chtml.js", target / "mathjax" / "tex-chtml.js")
    shutil.copytree(mathjax / "output" / "chtml" / "fonts" / "woff-v2", target / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2",
                    dirs_exist_ok=True)


def _inputs_stamp() -> float:
    """Newest modification time among the data package and the book package."""
    files = [*ROOT.joinpath("data").glob("*"), *ROOT.joinpath("book").rglob("*.py")]
    return max((f.stat().st_mtime for f in files if f.is_file()), default=0.0)


def _reexecute_when_inputs_change(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Re-read (and so re-execute) every notebook when data/ or book/ changed since the last build.

    Sphinx only re-reads documents whose own source changed, so without this an edited CSV
    would leave stale numbers on the site after an incremental build.
    """
    stamp = _inputs_stamp()
    previous = getattr(env, "kap_inputs_stamp", None)
    env.kap_inputs_stamp = stamp
    if previous is None or previous == stamp:
        return []
    return [d for d in env.found_docs if str(env.doc2path(d)).endswith(".ipynb") and d not in added and d not in changed]


def _add_book_css(app: Sphinx) -> None:
    app.config.html_static_path.append(str(Path(__file__).parent / "static"))
    app.add_css_file("kap-book.css")
    app.add_js_file("kap-book.js", loading_method="defer")


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", lambda app: _check_vendor(app))
    app.connect("builder-inited", _add_book_css)
    app.connect("env-get-outdated", _reexecute_when_inputs_change)
    app.connect("html-page-context", on_page_context, priority=900)
    app.connect("build-finished", on_build_finished)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
