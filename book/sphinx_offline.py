"""Sphinx extension: the built site loads nothing from other origins, and loads little.

* Altair's chart output loads vega, vega-lite and vega-embed from a CDN. This extension compiles
  every chart from Vega-Lite to Vega at build time (Node.js runs the vega-lite pinned in
  ``package.json``, installed by ``npm ci``), so a page needs only vega and vega-embed, served from
  ``_static/kap-vendor/``, and the small ``kapChart()`` helper in ``static/kap-charts.js``. Each chart
  dataset is embedded once per page, however many charts show it. A chart in a template this
  extension does not recognise keeps Altair's loader, pointed at the local files.
* MathJax (pinned in ``package.json``) is served from ``_static/kap-vendor/mathjax/``, only on pages
  that show math (``mathjax_path`` in ``_config.yml``).
* Jupyter Book 1.0.4 registers sphinx-thebe's inline script twice (a console error on every
  page) although thebe is off; the extension drops thebe's scripts and stylesheet.
* Lighter pages: not the theme's 1.5 MB Font Awesome script (its web fonts draw the same icons);
  not the search index outside the search page (it only serves search-as-you-type, which is off);
  not sphinx-design's stylesheet and script on pages that use none of its components; not myst-nb's
  saved widget state (the site has no widget manager to read it); the theme's
  scripts that wait for the page anyway load with ``defer``; the quiz library is one shared file,
  loaded just before the first quiz.
* When a file in ``data/`` or ``book/`` changes, every page is built again on the next build (so the
  notebooks run again and the site never shows numbers from an older version of the data); when
  only ``book/static/`` changed, the root page is, so that Sphinx copies the new files.
* Small accessibility repairs: the bibliography's invalid ARIA role, and (in ``static/kap-book.js``)
  labels for the theme's search button and the quizzes' answer boxes.
* Any script, stylesheet, image or frame that would still come from another origin is reported
  as a Sphinx warning, so a build with ``-W`` fails.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
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
    if shutil.which("node") is None:
        raise ExtensionError(_NO_NODE)


def _filename(asset) -> str:
    return str(getattr(asset, "filename", "") or "")


def _inline_body(asset) -> str:
    return str((getattr(asset, "attributes", {}) or {}).get("body", "") or "")


def _keep_assets(context: dict, keep, keys=("script_files", "css_files")) -> None:
    """Keep only the page's scripts and stylesheets for which ``keep(asset)`` is true."""
    for key in keys:
        if key in context:
            context[key] = [a for a in context[key] if keep(a)]


def _drop_unused_mathjax(context: dict) -> None:
    """Sphinx adds MathJax to a page whose toctree includes a page with math (e.g. the index); load it only
    where the page itself shows math."""
    if 'class="math' in context.get("body", ""):
        return
    _keep_assets(context, lambda a: "mathjax" not in _filename(a).lower() and "window.MathJax" not in _inline_body(a),
                 keys=("script_files",))


#: Theme scripts that only act once the page has been parsed (each waits for DOMContentLoaded), so they
#: can load with ``defer`` instead of holding up the parser in the page head. Order is kept. Not on the
#: search page, whose searchtools.js runs at once and needs doctools.js loaded before it.
DEFERRABLE_SCRIPTS = ("doctools.js", "sphinx_highlight.js", "clipboard.min.js", "copybutton.js",
                      "sphinx-book-theme.js", "togglebutton.js", "design-tabs.js")


def _defer_theme_scripts(pagename: str, context: dict) -> None:
    from sphinx.builders.html._assets import _JavaScript

    if pagename == "search":
        return

    def deferred(asset):
        name = _filename(asset)
        attributes = dict(getattr(asset, "attributes", {}) or {})
        if (isinstance(asset, _JavaScript) and Path(name.split("?")[0]).name in DEFERRABLE_SCRIPTS
                and not {"async", "defer"} & set(attributes)):
            return _JavaScript(asset.filename, priority=asset.priority, **attributes, defer="defer")
        return asset

    if "script_files" in context:
        context["script_files"] = [deferred(a) for a in context["script_files"]]


def _drop_unused_sphinx_design(context: dict) -> None:
    """sphinx-design's stylesheet (55 KB) and tab script are loaded on every page; keep them only where
    the page uses one of its components (classes starting ``sd-``)."""
    if 'class="sd-' in context.get("body", "") or ' sd-' in context.get("body", ""):
        return
    _keep_assets(context, lambda a: not re.search(r"(?:sphinx-design|design-tabs)[^/]*$", _filename(a)))


def _drop_thebe(context: dict) -> None:
    _keep_assets(context, lambda a: "thebe" not in _filename(a) and "THEBE_JS_URL" not in _inline_body(a))


def _drop_widget_state(app: Sphinx, context: dict) -> None:
    """myst-nb puts the saved state of every ipywidget in the page head (50 KB on a chapter with an
    explorer). Without a widget manager (``nb_ipywidgets_js: {}``) nothing reads it, so it is dropped."""
    if app is not None and getattr(app.config, "nb_ipywidgets_js", None):
        return
    _keep_assets(context, lambda a: (getattr(a, "attributes", {}) or {}).get("type") != "application/vnd.jupyter.widget-state+json",
                 keys=("script_files",))


def _localise_charts(app: Sphinx, pagename: str, context: dict) -> None:
    body = context.get("body", "")
    if "cdn.jsdelivr.net/npm/vega" not in body:
        return
    pathto = context["pathto"]
    local = {lib: pathto(f"_static/{VENDOR_DIR}/{Path(rel).name}", 1) for lib, rel in LIBRARIES.items()}
    local["vega-lib"] = local["vega"]
    confdir = Path(app.confdir) if app is not None else ROOT
    body, compiled = precompile_charts(body, confdir, pagename)
    if "cdn.jsdelivr.net/npm/vega" not in body:
        # Every chart is now Vega: the page needs vega, vega-embed and the small kapChart() helper. They are
        # loaded just before the first chart, so the text above it shows while they download.
        head = "".join(f'<script src="{local[lib]}"></script>' for lib in ("vega", "vega-embed"))
        head += f'<script src="{pathto("_static/kap-charts.js", 1)}"></script>' + compiled
        first = _FIRST_CHART.search(body)
        at = first.start() if first else 0
        context["body"] = body[:at] + head + body[at:]
        return
    # A chart in a template this extension does not know: keep Altair's loader, pointed at the site.
    body = _CDN_PATH.sub(lambda m: f'"{m.group(1)}": "{local[m.group(1)]}"', body)
    versions = {lib: ver for lib, ver in _LOAD_CALL.findall(body)}
    debug = ", ".join(f'{lib.replace("-", "")}_version: "{ver}"' for lib, ver in versions.items())
    # Load the libraries once, before the charts' own scripts run, and tell Altair's loader they are there.
    head = "".join(f'<script src="{local[lib]}"></script>' for lib in ("vega", "vega-lite", "vega-embed"))
    head += f"<script>var VEGA_DEBUG = {{{debug}}};</script>"
    if compiled:
        head += f'<script src="{pathto("_static/kap-charts.js", 1)}"></script>' + compiled
    context["body"] = head + share_datasets(body)


#: Where the first chart's output starts: Altair's per-chart <style>, or else the chart's <div>.
_FIRST_CHART = re.compile(r'<style>\s*#altair-viz-[0-9a-f]+\.vega-embed|<div id="altair-viz-[0-9a-f]+"></div>')
#: Altair's HTML output for one chart: the div, then a script ending in ``})(SPEC, EMBED_OPTIONS);``
_ALTAIR_CHART = re.compile(
    r'<div id="(altair-viz-[0-9a-f]+)"></div>\s*<script type="text/javascript">\s*'
    r'var VEGA_DEBUG = .*?\n\s*\}\)\((?=\{)',
    re.DOTALL,
)
_COMPILE_JS = """
import * as vl from "vega-lite";
let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = JSON.parse(input).map((spec) => {
  const warnings = [];
  const logger = { level() { return this; }, info() { return this; }, debug() { return this; },
                   warn(...m) { warnings.push(m.join(" ")); return this; }, error(...m) { throw new Error(m.join(" ")); } };
  return { vega: vl.compile(spec, { logger }).spec, warnings };
});
process.stdout.write(JSON.stringify(results));
"""
_compiled_cache: dict[str, dict] = {}
_NO_NODE = ("Building the charts needs Node.js: it compiles them from Vega-Lite to Vega with the vega-lite "
            "that `npm ci` installs. Install Node.js 18 or newer, then run `npm ci`.")


def compile_to_vega(specs: list[dict], confdir: Path) -> list[dict]:
    """Compile Vega-Lite specs to Vega with the vega-lite pinned in package-lock.json (run by Node).

    Returns one ``{"vega": spec, "warnings": [...]}`` per input. Results are cached for the build.
    """
    keys = [json.dumps(s, sort_keys=True) for s in specs]
    todo = [k for k in dict.fromkeys(keys) if k not in _compiled_cache]
    if todo:
        node = shutil.which("node")
        if node is None:
            raise ExtensionError(_NO_NODE)
        done = subprocess.run([node, "--input-type=module", "-e", _COMPILE_JS], cwd=confdir,
                              input="[" + ",".join(todo) + "]", capture_output=True, text=True)
        if done.returncode != 0:
            raise ExtensionError("Compiling the charts from Vega-Lite to Vega failed:\n" + done.stderr.strip()[-2000:])
        for key, result in zip(todo, json.loads(done.stdout)):
            _compiled_cache[key] = result
    return [_compiled_cache[k] for k in keys]


def _script_json(value) -> str:
    """JSON that is safe inside an inline <script>."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")


def precompile_charts(body: str, confdir: Path, pagename: str = "") -> tuple[str, str]:
    """Replace each Altair chart in ``body`` with its Vega spec, drawn by ``kapChart()``.

    The browser then needs vega and vega-embed but not the Vega-Lite compiler (a third of the chart
    libraries' weight and start-up time). Every dataset is embedded once per page, however many charts
    show it. Returns the new body and a script defining the page's shared datasets (empty if the page
    has no chart this function understands).
    """
    decoder = json.JSONDecoder()
    found = []  # (start, end, div id, spec, options)
    for match in _ALTAIR_CHART.finditer(body):
        try:
            spec, pos = decoder.raw_decode(body, match.end())
            pos = re.compile(r"\s*,\s*").match(body, pos).end()
            options, pos = decoder.raw_decode(body, pos)
            tail = re.compile(r"\s*\);\s*</script>").match(body, pos)
        except (json.JSONDecodeError, AttributeError):
            continue
        if tail is None:
            continue
        found.append((match.start(), tail.end(), match.group(1), spec, options))
    if not found:
        return body, ""
    results = compile_to_vega([f[3] for f in found], confdir)
    shared: dict[str, list] = {}
    pieces, pos = [], 0
    for (start, end, div_id, _, options), result in zip(found, results):
        for warning in result["warnings"]:
            logger.warning("chart %s on page %s: Vega-Lite says: %s", div_id, pagename, warning,
                           type="kap", subtype="chart")
        spec = result["vega"]
        for data in spec.get("data", []):
            if isinstance(data.get("values"), list):
                key = hashlib.sha1(json.dumps(data["values"], sort_keys=True).encode()).hexdigest()[:12]
                shared.setdefault(key, data["values"])
                data["values"] = f"\u0000KAP_DATASETS:{key}"
        spec_js = re.sub(r'"\\u0000KAP_DATASETS:([0-9a-f]+)"', r'KAP_DATASETS["\1"]', _script_json(spec))
        options = {k: v for k, v in options.items() if k != "mode"}
        pieces += [body[pos:start],
                   f'<div id="{div_id}"></div>\n<script>kapChart("{div_id}", {spec_js}, {_script_json(options)});</script>']
        pos = end
    pieces.append(body[pos:])
    datasets = "<script>var KAP_DATASETS = " + _script_json(shared) + ";</script>" if shared else ""
    return "".join(pieces), datasets


def foreign_assets(context: dict) -> list[str]:
    """Every script, stylesheet, image, frame or media file the page would load from another origin."""
    found = set(_FOREIGN.findall(context.get("body", "")))
    for key in ("script_files", "css_files"):
        for asset in context.get(key, []):
            if re.match(r"(?:https?:)?//", _filename(asset)):
                found.add(_filename(asset))
            found.update(re.findall(r'(?:src|href)\s*=\s*["\']((?:https?:)?//[^"\']+)', _inline_body(asset)))
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
    body = guarded.sub(lambda m: "{\n", body)
    # Load the library just before the first quiz (quizzes come at the end of a chapter), so it does
    # not hold up the text and charts above them.
    first = re.search(r'<script type="application/javascript">var questions', body)
    at = first.start() if first else 0
    context["body"] = body[:at] + f'<script src="{src}"></script>' + body[at:]


def _report_foreign(app: Sphinx, pagename: str, context: dict) -> None:
    for url in foreign_assets(context):
        logger.warning(
            "page %s loads %s from another origin; serve it from the site instead (see book/sphinx_offline.py)",
            pagename, url, type="kap", subtype="foreign-asset",
        )


def _fix_markup(context: dict) -> None:
    """Docutils marks the bibliography as role="list" but its entries are not list items (an ARIA error),
    and marks each entry with the deprecated role doc-biblioentry, which a div may not have."""
    if "body" in context:
        context["body"] = (context["body"].replace('<div role="list" class="citation-list">', '<div class="citation-list">')
                           .replace(' role="doc-biblioentry"', ""))


def on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    _drop_thebe(context)
    _defer_theme_scripts(pagename, context)
    _drop_unused_sphinx_design(context)
    _drop_widget_state(app, context)
    _drop_unused_mathjax(context)
    _fix_markup(context)
    _localise_charts(app, pagename, context)
    _share_quiz_library(context)
    _report_foreign(app, pagename, context)


_FONTAWESOME_JS = re.compile(r'<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\s*')
_SEARCH_TOOLS = re.compile(
    r'\s*<script src="[^"]*_static/searchtools\.js[^"]*"></script>'
    r'\s*<script src="[^"]*_static/language_data\.js[^"]*"></script>'
    r'\s*<script src="[^"]*searchindex\.js[^"]*"></script>'
)


#: The book's title at the top of the sidebar, the only content outside a landmark (axe: region).
_SIDEBAR_BRAND = re.compile(r'(<div class="sidebar-primary-item")(>\s*<a class="navbar-brand logo")')


def _trim_written_pages(app: Sphinx, outdir: Path) -> None:
    """Remove what the theme's templates write into every page but the page doesn't use, and put the
    sidebar's book title (a link home) in a navigation landmark, as the rest of the page is:

    * the theme's Font Awesome script. The theme loads Font Awesome twice, as web fonts (CSS) and as a
      1.5 MB script that redraws every icon as SVG; the fonts alone draw the icons.
    * Sphinx's search scripts and the whole search index (three render-blocking scripts in the head),
      which pydata-sphinx-theme loads for its search-as-you-type box. With that option off (the
      default) only the search page uses them.
    """
    drop_search = not app.config.html_theme_options.get("search_as_you_type")
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        trimmed = _FONTAWESOME_JS.sub("", text)
        trimmed = _SIDEBAR_BRAND.sub(r'\1 role="navigation" aria-label="Book home"\2', trimmed)
        if drop_search and page.relative_to(outdir).as_posix() != "search.html":
            trimmed = _SEARCH_TOOLS.sub("", trimmed)
        if trimmed != text:
            page.write_text(trimmed, encoding="utf-8")


def on_build_finished(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    _trim_written_pages(app, Path(app.outdir))
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


def _inputs_stamp(patterns: tuple[str, ...]) -> float:
    """Newest modification time among the files matching ``patterns`` (relative to the book's root)."""
    files = [f for pattern in patterns for f in ROOT.glob(pattern)]
    return max((f.stat().st_mtime for f in files if f.is_file()), default=0.0)


_EXECUTION_INPUTS = ("data/*", "book/**/*.py")
_STATIC_INPUTS = ("book/static/*",)


def _stamp_file(app: Sphinx) -> Path:
    return Path(app.doctreedir) / "kap-inputs-stamps.json"


def _reexecute_when_inputs_change(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Re-read every page (and so re-execute every notebook) when data/ or book/ changed since the last build.

    Sphinx only re-reads documents whose own source changed, so without this an edited CSV
    would leave stale numbers on the site after an incremental build. When only the book's own
    scripts or styles (book/static/) changed, the root page is rebuilt, which is enough for
    Sphinx to copy the new files (it skips copying when no page is out of date). The stamps of
    the last successful build are kept beside the doctrees.
    """
    stamps = [_inputs_stamp(_EXECUTION_INPUTS), _inputs_stamp(_STATIC_INPUTS)]
    app.kap_inputs_stamps = stamps
    try:
        previous = json.loads(_stamp_file(app).read_text())
    except (OSError, ValueError):
        previous = None
    if previous is None or previous == stamps:
        return []
    if previous[0] != stamps[0]:  # every page: the notebooks run again, and this extension may have changed
        return [d for d in env.found_docs if d not in added and d not in changed]
    return [app.config.root_doc]


def _save_inputs_stamps(app: Sphinx, exception) -> None:
    if exception is None and getattr(app, "kap_inputs_stamps", None) is not None:
        _stamp_file(app).parent.mkdir(parents=True, exist_ok=True)
        _stamp_file(app).write_text(json.dumps(app.kap_inputs_stamps))


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
    app.connect("build-finished", _save_inputs_stamps)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
