"""Every chart of the book as one MIME bundle: Vega compiled in Python, drawn offline everywhere.

Altair builds each chart as Vega-Lite. The renderer registered here (and enabled on import of
:mod:`book.charts`) compiles it to Vega with vl-convert (the Vega project's compiler, run in
Python: no Node.js) and outputs::

    {"application/vnd.vega.v5+json": <Vega spec>, "text/plain": "Chart: <its description>"}

with metadata ``{"application/vnd.vega.v5+json": {"embed_options": {...}, "kap_warnings": [...]}}``.

The same output serves both faces of a chapter:

* **JupyterLab** draws ``application/vnd.vega.v5+json`` with its built-in Vega renderer, which ships
  with JupyterLab: no internet and no extension needed, the bound inputs work, and a notebook shows
  its stored charts even before a cell is run. (JupyterLab's renderer is Vega 5; the compiled specs use
  nothing that Vega 6 added, and the browser tests of JupyterLab check that every chart draws there.)
* **The static site**: :mod:`book.sphinx_charts`, a myst-nb MIME renderer plugin, turns the same
  output into page content drawn by the site's own copy of Vega.

Vega-Lite's compile warnings (vl-convert prints them to the process's standard error) are captured
and kept in the output's metadata as ``kap_warnings``; the site build reports each one as a Sphinx
warning, so a build with ``-W`` fails on them.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import threading

import altair as alt

__all__ = [
    "VEGA_MIME",
    "VEGALITE_VERSION",
    "EMBED_OPTIONS",
    "ChartCompileError",
    "compile_to_vega",
    "vega_bundle",
    "fill_container",
    "CHART_WIDTH",
    "CONTAINER_WIDTH",
    "enable",
]

#: The MIME type JupyterLab's built-in Vega renderer draws (and the site's plugin renders).
VEGA_MIME = "application/vnd.vega.v5+json"
#: Vega-Lite version that compiles the charts: the one Altair writes (e.g. "6.4" for schema v6.4.1).
VEGALITE_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
#: How the charts are drawn: SVG (marks carry ARIA labels; tests can count them), no action menu.
EMBED_OPTIONS = {"renderer": "svg", "actions": False}

#: Vega-Lite warnings that say what the book intends, with the reason; any other warning is kept.
EXPECTED_WARNINGS = {
    # A chart as wide as its container with a fixed height per row: Vega-Lite fits the width only,
    # which is exactly the intent (the compiled spec's autosize is "fit-x").
    'Dropping "fit-y" because spec has discrete height.': "width follows the container, height the rows",
}

#: The width a chart is drawn at where its container gives none (a notebook's output area; a chart compiled outside a
#: page), in px: Vega-Lite's "fit-x" width of every chart (:func:`book.views.kit.chart_size`).
CHART_WIDTH = 620

#: The signal holding the width a chart is drawn in: its container's, measured when the chart starts (and, on the site,
#: whenever the window is resized: :func:`fill_container`), else the chart's own width. Expressions that fit text to the
#: chart (row labels, legends, notes) read it rather than measuring the container themselves: every measurement reads
#: the container's clientWidth and clientHeight, a wrapped row label measured it about a dozen times, and the labels are
#: computed again at every draw; after an input changed, the first of those reads made the browser lay out the whole
#: page before the chart could redraw. :func:`compile_to_vega` defines it in every chart that uses it, so the name is
#: valid only in charts drawn through it: the book's renderer (:func:`enable`), in JupyterLab and on the site. A chart
#: saved or drawn by another of Altair's routes (``chart.save``, ``to_html``) fails with "Unrecognized signal name".
CONTAINER_WIDTH = "container_width"


def _measured_width(fallback: float) -> str:
    """A Vega expression for the chart's container's width, or ``fallback`` where the container has none (no container,
    or one of no width: hidden, or not yet in a page)."""
    return f"isFinite(containerSize()[0]) && containerSize()[0] > 0 ? containerSize()[0] : {fallback:g}"


_stderr_lock = threading.Lock()


class ChartCompileError(ValueError):
    """A chart could not be compiled from Vega-Lite to Vega."""


def _with_stderr_captured(func):
    """Run ``func()`` while the process's standard error (file descriptor 2) goes to a temporary file.

    vl-convert's compiler writes its warnings there, below Python's ``sys.stderr``. Returns
    ``(result, captured text)``.
    """
    with _stderr_lock, tempfile.TemporaryFile(mode="w+b") as sink:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(sink.fileno(), 2)
        try:
            result = func()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        sink.seek(0)
        return result, sink.read().decode("utf-8", errors="replace")


def compile_to_vega(vegalite_spec: dict) -> tuple[dict, list[str]]:
    """Compile a Vega-Lite spec (dict) to Vega with vl-convert; return ``(vega spec, warnings)``.

    ``warnings`` holds Vega-Lite's compile warnings, one string each (e.g. "xOffset dropped because
    x is continuous"). A spec that cannot be compiled raises :class:`ChartCompileError`.
    """
    import vl_convert

    if VEGALITE_VERSION not in vl_convert.get_vegalite_versions():
        raise ChartCompileError(
            f"Altair writes Vega-Lite {VEGALITE_VERSION}, but the installed vl-convert-python compiles only "
            f"{', '.join(vl_convert.get_vegalite_versions())}: install a vl-convert-python that has it."
        )
    try:
        vega, printed = _with_stderr_captured(
            lambda: vl_convert.vegalite_to_vega(vegalite_spec, vl_version=VEGALITE_VERSION, show_warnings=True)
        )
    except ValueError as exc:  # vl-convert reports compile errors as ValueError
        raise ChartCompileError(f"The chart could not be compiled from Vega-Lite to Vega: {exc}") from None
    warnings = [line.removeprefix("WARN").strip() for line in printed.splitlines() if line.strip()]
    return _with_container_width(vega), [w for w in warnings if w not in EXPECTED_WARNINGS]


def _with_container_width(vega: dict) -> dict:
    """``vega`` with the :data:`CONTAINER_WIDTH` signal defined first among its signals, where the spec names it (a
    field or text of that name would add a signal no expression reads, which costs nothing)."""
    if not re.search(rf"\b{re.escape(CONTAINER_WIDTH)}\b", json.dumps(vega)):
        return vega
    if any(s.get("name") == CONTAINER_WIDTH for s in vega.get("signals", [])):
        raise ChartCompileError(f"A chart's parameter may not be named {CONTAINER_WIDTH!r}: the book's charts use that name.")
    width = vega.get("width")
    fallback = width if isinstance(width, (int, float)) else CHART_WIDTH
    return {**vega, "signals": [{"name": CONTAINER_WIDTH, "init": _measured_width(fallback)}, *vega.get("signals", [])]}


def vega_bundle(vegalite_spec: dict) -> tuple[dict, dict]:
    """The MIME bundle and metadata of one chart (see the module docstring)."""
    vega, warnings = compile_to_vega(vegalite_spec)
    description = str(vega.get("description") or vegalite_spec.get("description") or "an interactive chart")
    bundle = {VEGA_MIME: vega, "text/plain": f"Chart: {description}"}
    metadata = {VEGA_MIME: {"embed_options": dict(EMBED_OPTIONS), "kap_warnings": warnings}}
    return bundle, metadata


def fill_container(vega: dict) -> dict:
    """A compiled chart of fixed total width (``autosize`` "fit-x") made to fill its container's width instead.

    The result is what Vega-Lite compiles for ``width: "container"``: the ``width`` signal follows the
    container's width and is measured again when the window is resized, with the fixed width as the
    fallback where the container has none; the :data:`CONTAINER_WIDTH` signal, where the chart has it, is
    measured again then too. The site draws charts this way, in a text column of definite width. JupyterLab
    draws the fixed width: its output area takes the width of its content, so a chart that follows its
    container there has none to follow (and, measured against a resizing notebook, can keep the page busy).
    Other specs are returned unchanged.
    """
    autosize = vega.get("autosize") or {}
    width = vega.get("width")
    if not isinstance(width, (int, float)) or not isinstance(autosize, dict) or autosize.get("type") != "fit-x":
        return vega
    measure = f"isFinite(containerSize()[0]) ? containerSize()[0] : {width:g}"
    filled = {k: v for k, v in vega.items() if k != "width"}
    signals = [
        {**s, "on": [{"update": s["init"], "events": "window:resize"}]} if s.get("name") == CONTAINER_WIDTH else s
        for s in vega.get("signals", [])
        if s.get("name") != "width"
    ]
    filled["signals"] = [{"name": "width", "init": measure, "on": [{"update": measure, "events": "window:resize"}]}, *signals]
    return filled


def _renderer(spec: dict, **_ignored) -> tuple[dict, dict]:
    return vega_bundle(spec)


def enable() -> None:
    """Make Altair display every chart as :func:`vega_bundle` output (registered as renderer "kap-vega")."""
    alt.renderers.register("kap-vega", _renderer)
    alt.renderers.enable("kap-vega")
