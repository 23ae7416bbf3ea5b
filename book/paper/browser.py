"""Headless Chromium for the book: where it is, how it is launched, the built site served to it, and when a page
of that site has settled.

Shared by ``python -m book pdf`` (:mod:`book.pdf`) and the browser tests (``tests/browser_helpers.py``,
``tests/conftest.py``), so that printing and testing wait for the same thing. The browser is Debian's Chromium
(``/usr/bin/chromium``, or the one ``$CHROMIUM`` names) driven by Playwright: without internet access
``playwright install`` cannot download a browser of its own.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

__all__ = ["CHARTS", "LAUNCH_ARGS", "NO_CHROMIUM", "find_chromium", "pages_in_toc", "serve", "settle"]

NO_CHROMIUM = "No Chromium found. Install Debian's: `apt-get install -y chromium` (or set CHROMIUM=/path/to/chromium)."

#: Launch flags that keep a headless Chromium quiet on a closed network.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

#: Every chart container, once each: the book's ``.kap-chart`` containers (vega drawn by kap-charts.js), or,
#: in builds from before them, vega-embed's containers (``altair-viz-…``, classed ``vega-embed`` once drawn).
CHARTS = '.kap-chart, :is(.vega-embed, [id^="altair-viz-"]):not(.kap-chart, .kap-chart *)'


def pages_in_toc() -> list[str]:
    """Every page of the book, as listed in ``_toc.yml`` (root first), as paths in the built site."""
    from ..notebooks import toc_files

    return [f"{name}.html" for name in toc_files()]


def find_chromium() -> str | None:
    """Debian's Chromium (or ``$CHROMIUM``), or None."""
    for candidate in (
        os.environ.get("CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files as a web host would (``nosniff``: a script must come with a script's type), silently."""

    def end_headers(self):
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, *args):
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    """A server that says nothing when a browser drops a connection (a test that aborts or leaves a page), and reports
    any other error as usual."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` (a built site) on 127.0.0.1, on a free port, from a thread; yield its root URL (ending
    in ``/``). The server stops when the block ends.

    Over http rather than ``file://``: the site is published on a web host, and that is what the tests check.
    """
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


#: True once every chart has drawn (or shown its error), the page's held scripts have loaded (a chart page's deferred
#: scripts, book/site/later_scripts.py, and those held until their elements come near), every quiz holds its questions,
#: fonts are loaded and no finite animation or transition is still running (jupyterquiz colours an answer by an
#: animation).
_SETTLED = """charts => {
    if (document.querySelector('script[type="text/x-kap-later"]') && !document.documentElement.hasAttribute('data-kap-scripts'))
        return false;
    if (document.querySelector('script[type="text/x-kap-later"][data-kap-near]')
        && !document.documentElement.hasAttribute('data-kap-near-scripts')) return false;
    const drawn = c => c.matches('.kap-chart')
        ? c.hasAttribute('data-kap-drawn') || !!c.querySelector('.kap-chart-error')
        : !!c.querySelector('svg .role-mark') || !!c.querySelector('.kap-chart-error');
    if (![...document.querySelectorAll(charts)].every(drawn)) return false;
    for (const quiz of document.querySelectorAll('div[data-numquestions]')) {
        const questions = window['questions' + quiz.id];
        const expected = Array.isArray(questions)
            ? Math.min(questions.length, Number(quiz.dataset.numquestions) || questions.length) : 1;
        const rendered = [...quiz.querySelectorAll(':scope > .Quiz')]
            .filter(q => q.querySelector('.Answer > *'));
        if (rendered.length < expected) return false;
    }
    if (document.fonts && document.fonts.status !== 'loaded') return false;
    return document.getAnimations().every(a => {
        const timing = a.effect && a.effect.getComputedTiming();
        return a.playState !== 'running' || !timing || timing.endTime === Infinity;
    });
}"""


#: True once a chart page's held scripts have loaded (book/site/later_scripts.py), or when the page holds none.
_SCRIPTS_LOADED = """() => !document.querySelector('script[type="text/x-kap-later"]')
    || document.documentElement.hasAttribute('data-kap-scripts')"""


def settle(page, timeout: float = 15_000) -> None:
    """Wait until the page is at rest: network idle, MathJax done, the page's scripts loaded, every chart drawn and
    every quiz rendered (those a reader has not come near yet are drawn now: the page draws them only as they come
    near the window), fonts loaded, animations finished. Fails (with what is still missing) after ``timeout`` ms."""
    page.wait_for_load_state("networkidle", timeout=timeout)
    page.evaluate("""async () => {
        if (document.fonts) await document.fonts.ready;
        if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
    }""")
    try:
        page.wait_for_function(_SCRIPTS_LOADED, timeout=timeout)
        page.evaluate(
            "() => { window.kapCharts && kapCharts.drawAll(); window.kapQuizzes && kapQuizzes.showAll();"
            " window.kapNearScripts && kapNearScripts.all(); }"
        )
        page.wait_for_function(_SETTLED, arg=CHARTS, timeout=timeout, polling="raf")
    except Exception as err:
        state = page.evaluate(
            """charts => ({
            charts: [...document.querySelectorAll(charts)].map(c => c.id + (c.hasAttribute('data-kap-drawn') ? ' drawn'
                : c.querySelector('svg') ? ' svg' : c.querySelector('.kap-chart-error') ? ' error' : ' empty')),
            quizzes: [...document.querySelectorAll('div[data-numquestions]')].map(q => q.id + ': '
                + q.querySelectorAll(':scope > .Quiz').length + ' questions'),
            fonts: document.fonts && document.fonts.status,
            heldScripts: document.querySelector('script[type="text/x-kap-later"]')
                ? document.documentElement.getAttribute('data-kap-scripts') || 'not loaded' : 'none',
        })""",
            CHARTS,
        )
        raise AssertionError(f"{page.url} did not settle within {timeout / 1000:g} s: {state}") from err
    page.wait_for_load_state("networkidle", timeout=timeout)
