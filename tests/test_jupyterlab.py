"""Browser tests of the JupyterLab face: every chapter run top to bottom as a learner would, offline.

One JupyterLab server (from the installed requirements) serves a temporary copy of ``chapters/``
(with ``chapters/quizzes/``) on 127.0.0.1, so running and autosaving never touch the repository.
Headless Chromium (Debian's, driven by Playwright) opens each chapter with every request to another
host aborted and recorded, runs all cells from the Run menu and waits until execution has finished.
Then it checks, per chapter:

- every chart is drawn as SVG: as many ``.vega-embed svg.marks`` as the notebook has chart outputs
  (code cells whose stored outputs hold a chart, plus one per ``StudyExplorer(...)`` call), each
  fitting the notebook's width, and changing a chart's bound input changes its SVG;
- no error output (JupyterLab 4 renders both error outputs and stderr streams as
  ``.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]``) and no request to
  another host;
- every quiz question (jupyterquiz, ``.Quiz``) is rendered and answers with feedback;
- every fixed-answer exercise's website check (``form.kap-check``) is rendered, and one answers wrong, then right,
  with the kernel check's feedback;
- MyST renders (jupyterlab-myst): no raw directive or role text is visible in rendered Markdown,
  admonitions and exercises render as blocks, solutions are folded when the notebook opens.

The same checks run on a student copy made with ``python -m book student-copy``, which must show no
solution at all. Screenshots of every run chapter (1280x900, ``<chapter>-NN.png`` for screen NN, scrolled top to
bottom) go to ``_build/screenshots/jupyterlab/``: the first two screens and each screen on which a chart comes into
view; with ``KAP_LAB_SCREENSHOTS=all``, every screen.

Time: one JupyterLab page per server (one server per xdist worker), booted once in a workspace of its own; the
chapters open in it one after another through JupyterLab's own command (``filebrowser:open-path``, as the notebook's
URL does), each closed before the next opens, its kernel shut down before the next runs. A chapter with a problem, or a
page left with a dialog, is not reused: the next chapter boots a fresh page. Requests to other hosts are aborted and
recorded for the notebook open (or booting) at the time; one made between two notebooks counts for the next. Solutions
are checked folded as the notebook opens (Run All unfolds the cells it runs); MyST and the links after the run, on the
one scroll through the notebook that also takes the screenshots.

What jupyterlab-myst cannot render, by design, and these tests therefore allow:

- ``{cite:p}`` roles render as the citation key with a "Citation Not Found" marker: jupyterlab-myst
  does not read a bibliography (jupyter-book/jupyterlab-myst#127). No raw role text is shown.
- ``{bibliography}`` (sphinxcontrib-bibtex, with ``:filter:``/``:labelprefix:``/``:keyprefix:``) is
  unknown to MyST and renders as nothing: the "References" heading is followed by an empty section.
- ``{solution-start}``/``{solution-end}`` (sphinx-exercise's gated syntax, which spans several cells)
  render cell by cell: the start cell as a closed "Start of Solution to Exercise N" dropdown holding
  that cell's text only, the end cell as an empty exercise box. Both cells are folded
  (``source_hidden``), so nothing of them shows until the learner opens them.

The browser and the Chromium finder are the shared ones (tests/conftest.py, tests/browser_helpers.py).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from browser_helpers import NO_CHROMIUM, find_chromium

from book.paths import ROOT
from book.teaching.folded import FOLD_CLASS

CHAPTERS = ROOT / "chapters"
SHOTS = ROOT / "_build" / "screenshots" / "jupyterlab"
#: Screens saved as screenshots at the top of every chapter (then one per screen on which a chart comes into view).
SHOT_SCREENS = 2
ALL_SHOTS = os.environ.get("KAP_LAB_SCREENSHOTS") == "all"
CHAPTER_NAMES = sorted(p.stem for p in CHAPTERS.glob("*.ipynb"))
STUDENT_CHAPTER = "cocaine-and-stimulants"

SERVER_START_TIMEOUT = 90  # seconds
RUN_ALL_TIMEOUT = 240_000  # ms: a chapter on a busy 2-core machine, kernel start included
MIN_PLOT_WIDTH = 150  # px: narrower than this a chart's marks cannot be read

CHART_MIME_TYPES = ("application/vnd.vega.v5+json", "application/vnd.vegalite.v5+json", "application/vnd.vegalite.v6+json")
# Raw MyST that must never be visible in rendered Markdown.
RAW_MYST = [
    (re.compile(r"\{[\w:-]+\}`"), "a role written as {name}`...`"),
    (re.compile(r"(```|:::)\s*\{"), "a directive fence"),
    (
        re.compile(
            r"\{(doc|cite:p|cite|exercise|solution|solution-start|solution-end|admonition|bibliography|list-table|ref|numref)\}"
        ),
        "a directive or role name",
    ),
    (re.compile(r"(^|\s):(label|class|filter|keyprefix|labelprefix|header-rows):\s"), "a directive option"),
]


# --- what a notebook should show, read from the notebook itself -------------------------------------


def _notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _is_chart_output(output: dict) -> bool:
    data = output.get("data", {})
    if any(m in data for m in CHART_MIME_TYPES):
        return True
    html = data.get("text/html", "")
    return "vegaEmbed(" in ("".join(html) if isinstance(html, list) else html)  # Altair's older HTML output


def expected_charts(nb: dict) -> int:
    """Chart outputs the notebook should draw once run: code cells whose stored outputs hold a chart,
    plus the explorer's forest chart for every ``StudyExplorer(...)`` call (its output is not stored)."""
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    stored = sum(any(_is_chart_output(o) for o in c.get("outputs", [])) for c in cells)
    explorers = sum(len(re.findall(r"(?<![\w.])StudyExplorer\(", _source(c))) for c in cells)
    return stored + explorers


def expected_quiz_questions(nb: dict) -> int:
    """Questions of every quiz the notebook shows: its chapter quiz and the quizzes generated from data (appraisal
    practice), counted in the questions each stored jupyterquiz output carries (``var questions<id>=[...]``)."""
    count = 0
    for cell in nb["cells"]:
        for output in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
            script = output.get("data", {}).get("application/javascript", "")
            script = "".join(script) if isinstance(script, list) else script
            for match in re.finditer(r"var questions\w+=", script):
                questions, _ = json.JSONDecoder().raw_decode(script, match.end())
                count += len(questions)
    return count


def directive_count(nb: dict, name: str, solutions: bool = False) -> int:
    """How many ``{name}`` directives the notebook's Markdown cells hold (outside solution cells unless asked)."""
    pattern = re.compile(r"^\s*(```+|:::+)\s*\{" + re.escape(name) + r"\}", re.M)
    return sum(
        len(pattern.findall(_source(c)))
        for c in nb["cells"]
        if c["cell_type"] == "markdown" and (solutions or "solution" not in _tags(c))
    )


# --- the JupyterLab server ---------------------------------------------------------------------------


class Lab:
    """A running JupyterLab server: its URL, token, root folder and log."""

    def __init__(self, url: str, token: str, root: Path, log: Path):
        self.url, self.token, self.root, self.log = url, token, root, log
        self._context = None
        self._page = None  # the one JupyterLab page in which the notebooks open (see the module docstring)
        self.visit: LabPage | None = None  # the notebook open now, to which requests to other hosts are charged
        self.unclaimed: list[str] = []  # requests to other hosts made while no notebook was open: charged to the next
        self._ending: threading.Thread | None = None  # ends the last notebook's sessions (shutdown_kernels)

    def browser_context(self, browser):
        """The one browser context in which this server's notebooks open (see the module docstring), with every
        request to another host aborted and recorded on the notebook open at the time."""
        if self._context is None:
            self._context = browser.new_context(viewport={"width": 1280, "height": 900})
            self._context.route(LabPage._is_foreign, self._abort)
        return self._context

    def _abort(self, route) -> None:
        self._charge(route.request.url)
        route.abort()

    def _charge(self, url: str) -> None:
        (self.visit.foreign if self.visit is not None else self.unclaimed).append(url)

    def page(self, browser):
        """The JupyterLab page in which the next notebook opens: the one booted earlier, or a new one (JupyterLab
        started in a workspace of its own, so that no earlier tabs are restored) if there is none."""
        if self._page is None:
            page = self.browser_context(browser).new_page()
            page.on("websocket", lambda ws: LabPage._is_foreign(ws.url) and self._charge(ws.url))
            page.on("pageerror", lambda e: self.visit is not None and self.visit.errors.append(f"page error: {e} {e.stack}"))
            page.set_default_timeout(30_000)
            page.goto(f"{self.url}lab/workspaces/kap-{secrets.token_hex(4)}?token={self.token}")
            # window.jupyterapp: page_config.json's exposeAppInBrowser (the lab fixture)
            page.wait_for_function("() => window.jupyterapp", timeout=60_000)
            page.evaluate("() => { window.jupyterapp.restored.then(() => { window.__kapRestored = true; }); }")
            page.wait_for_function("() => window.__kapRestored === true", timeout=60_000)
            self._page = page
        return self._page

    def close_notebooks(self, reuse: bool) -> None:
        """Close every tab of the page without saving (the copy is the test's), or, unless ``reuse``, the page itself;
        a page that does not answer, or that shows a dialog once its tabs are closed, is closed too."""
        page, self._page = self._page, None
        if page is None:
            return
        if reuse:
            try:
                page.wait_for_function("() => true", timeout=20_000)  # page.evaluate has no timeout of its own
                clean = page.evaluate(_CLOSE_ALL)
            except Exception:
                clean = False
            if clean:
                self._page = page
                return
        page.close()

    def close_context(self) -> None:
        self.close_notebooks(reuse=False)
        if self._context is not None:
            self._context.close()
            self._context = None

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(self.url + path, method=method, headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def shutdown_kernels(self) -> None:
        """End every session open now (and its kernel): one chapter's kernel must not slow down the next. The server
        waits for each kernel to exit, so the sessions end in the background while the next notebook opens;
        ``kernels_shut_down`` waits for them before it runs."""
        self.kernels_shut_down()
        ids = [session["id"] for session in self.api("api/sessions") or []]
        self._ending = threading.Thread(target=self._end_sessions, args=(ids,), daemon=True)
        self._ending.start()

    def _end_sessions(self, ids: list[str]) -> None:
        for session in ids:
            try:
                self.api(f"api/sessions/{session}", method="DELETE")
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass

    def kernels_shut_down(self) -> None:
        if self._ending is not None:
            self._ending.join(timeout=30)
            self._ending = None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 serving a temporary copy of chapters/, with its own config and settings."""
    if find_chromium() is None:  # no point starting a server the tests cannot drive
        pytest.skip(NO_CHROMIUM)
    base = tmp_path_factory.mktemp("jupyterlab")
    root = base / "chapters"
    shutil.copytree(CHAPTERS, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    config = base / "config"
    (config / "labconfig").mkdir(parents=True)
    # No "Would you like to receive official Jupyter news?" prompt, and no fetch of the news feed.
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps(
            {
                "disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True},
                # window.jupyterapp, through which the tests open and close notebooks in one page (see the docstring)
                "exposeAppInBrowser": True,
            }
        ),
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
    }
    port, token, log = _free_port(), secrets.token_hex(16), base / "jupyterlab.log"
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
    ]
    with open(log, "wb") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT, env=env, cwd=base)
    server = Lab(f"http://127.0.0.1:{port}/", token, root, log)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited with code {process.returncode} before it was ready. Log:\n{server.log_tail()}")
            try:
                server.api("api/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError, json.JSONDecodeError):
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"JupyterLab did not answer /api/status within {SERVER_START_TIMEOUT} s. Log:\n{server.log_tail()}"
                    )
                time.sleep(0.25)
        yield server
    finally:
        server.kernels_shut_down()
        server.close_context()
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# The browser is conftest.py's session-wide ``browser`` (one Playwright per test run).


# --- in-page scripts -------------------------------------------------------------------------------

# The notebook in the current tab, and its scrolling container.
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"

# Open a notebook as its /lab/tree/<path> URL does (the file browser goes to its folder and selects it; the shell shows
# and activates it) and close any other tab (the launcher JupyterLab shows in an empty main area); an error is kept.
_OPEN = """path => {
    window.__kapOpenError = null;
    const shell = window.jupyterapp.shell;
    window.jupyterapp.commands.execute('filebrowser:open-path', {path})
        .then(widget => {
            if (!widget || !widget.id) throw new Error('filebrowser:open-path opened no document');
            for (const other of [...shell.widgets('main')]) if (other !== widget) other.dispose();
            shell.activateById(widget.id);
        })
        .catch(e => { window.__kapOpenError = String(e); });
}"""

# Close every tab of the main area without saving (the tests' copy; no "save changes?" dialog); true if the page is left
# without a dialog, so that the next notebook can open in it.
_CLOSE_ALL = """() => {
    for (const widget of [...window.jupyterapp.shell.widgets('main')]) {
        if (widget.context) widget.context.model.dirty = false;
        widget.dispose();
    }
    return !document.querySelector('.jp-Dialog') && !document.querySelector('.jp-NotebookPanel');
}"""

_VISIBLE_TEXT = """el => {
    const parts = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const parent = walker.currentNode.parentElement;
        // contentVisibilityAuto stays false: cells the browser skips because they are off screen count as visible.
        if (parent && parent.checkVisibility({visibilityProperty: true})) parts.push(walker.currentNode.data);
    }
    return parts.join('');
}"""

_WATCH_EXECUTION = """sel => {
    window.__kapSawRunning = false;
    const notebook = document.querySelector(sel);
    const seen = () => { if ([...notebook.querySelectorAll('.jp-InputPrompt')].some(p => p.textContent.includes('*'))) window.__kapSawRunning = true; };
    window.__kapObserver && window.__kapObserver.disconnect();
    window.__kapObserver = new MutationObserver(seen);
    window.__kapObserver.observe(notebook, {subtree: true, childList: true, characterData: true});
}"""

# Execution has finished: some cell was seen running ([*]), none is running or queued now, and the
# kernel is idle; then either every code cell shows its execution number, or a cell failed (JupyterLab
# stops a run at an error and leaves the cells after it unnumbered).
_EXECUTION_FINISHED = """sel => {
    const notebook = document.querySelector(sel);
    const prompts = [...notebook.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent);
    const indicator = notebook.closest('.jp-NotebookPanel').querySelector('.jp-Notebook-ExecutionIndicator');
    if (!window.__kapSawRunning || prompts.some(t => t.includes('*')) || !indicator || indicator.dataset.status !== 'idle') return false;
    // A cell whose input is folded (hide-input, remove-input) shows an empty prompt.
    return prompts.every(t => t.trim() === '' || /\\[\\d+\\]/.test(t))
        || !!notebook.querySelector('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
}"""

_SCROLL_STEP = """sel => {
    const scroller = document.querySelector(sel + ' > .jp-WindowedPanel-outer');
    const atEnd = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2;
    if (!atEnd) scroller.scrollTop += scroller.clientHeight - 40;
    return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(atEnd))));
}"""

_SCROLL_TOP = """sel => {
    const scroller = document.querySelector(sel + ' > .jp-WindowedPanel-outer');
    scroller.scrollTop = 0;
    return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))));
}"""

# Whether a chart not seen on an earlier screen is now in view (each chart is marked once seen).
_NEW_CHART_IN_VIEW = """sel => {
    const fresh = [...document.querySelectorAll(sel + ' .vega-embed > svg.marks')].filter(svg => {
        const r = svg.getBoundingClientRect();
        return !svg.dataset.kapSeen && r.bottom > 0 && r.top < window.innerHeight && r.height > 0;
    });
    fresh.forEach(svg => { svg.dataset.kapSeen = '1'; });
    return fresh.length > 0;
}"""

# Every chart drawn as SVG, and whether it fits inside its cell (no horizontal overflow).
_CHARTS = """sel => [...document.querySelectorAll(sel + ' .vega-embed')].filter(e => e.querySelector(':scope > svg.marks')).map(e => {
    const svg = e.querySelector(':scope > svg.marks').getBoundingClientRect();
    const cell = e.closest('.jp-Cell').getBoundingClientRect();
    const clipped = [...e.querySelectorAll(':scope > svg.marks text')].filter(t => {
        const r = t.getBoundingClientRect();
        return r.width > 0 && (r.left < svg.left - 1 || r.right > svg.right + 1 || r.top < svg.top - 1 || r.bottom > svg.bottom + 1);
    }).map(t => t.textContent);
    const frame = e.querySelector(':scope > svg.marks g.role-frame path.background, :scope > svg.marks .mark-group.role-frame path');
    return {marks: e.querySelectorAll('svg g.role-mark > *').length, overflow: Math.round(svg.right - cell.right), clipped,
            plot: frame ? Math.round(frame.getBoundingClientRect().width) : null,
            width: Math.round(svg.width), inputs: e.querySelectorAll('.vega-bindings select, .vega-bindings input').length,
            explorer: !!e.closest('.widget-output, .jupyter-widgets-output-area')};
})"""

# Change one bound input after another until the chart's SVG changes; returns what changed it, or null.
_CHANGE_SOME_INPUT = """async chart => {
    const svg = () => chart.querySelector('svg.marks').outerHTML;
    const changed = async before => {
        for (let i = 0; i < 40; i++) { await new Promise(r => setTimeout(r, 25)); if (svg() !== before) return true; }
        return false;
    };
    const before = svg();
    for (const input of chart.querySelectorAll('.vega-bindings select, .vega-bindings input')) {
        if (input.tagName === 'SELECT') {
            for (const option of [...input.options].filter(o => o.value !== input.value)) {
                input.value = option.value; input.dispatchEvent(new Event('change'));
                if (await changed(before)) return (input.name || 'select') + '=' + option.value;
            }
        } else if (input.type === 'checkbox' || input.type === 'radio') {
            if (input.type === 'radio' && input.checked) continue;
            input.click();
            if (await changed(before)) return (input.name || input.type) + '=' + input.value;
        } else if (input.type === 'range') {
            input.value = input.max; input.dispatchEvent(new Event('input'));
            if (await changed(before)) return (input.name || 'range') + '=max';
        }
    }
    return null;
}"""


class LabPage:
    """A notebook opened in the server's JupyterLab page (see the module docstring), with the requests to other hosts
    it tried."""

    def __init__(self, browser, lab: Lab, path: str):
        self.lab, self.path = lab, path
        self.foreign: list[str] = lab.unclaimed
        lab.unclaimed = []
        self.errors: list[str] = []
        lab.visit = self  # before the page boots: its requests count for this notebook
        self.page = lab.page(browser)
        self.nb = _notebook(lab.root / path)
        self.page.evaluate(_OPEN, path)
        cells = f"{NOTEBOOK} .jp-WindowedPanel-viewport > .jp-Cell"
        self.cells = self.page.locator(cells)
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:  # polled at every frame (expect() polls ever more slowly)
            self.page.wait_for_function(
                "([sel, n]) => document.querySelectorAll(sel).length === n",
                arg=[cells, len(self.nb["cells"])],
                timeout=60_000,
            )
        except PlaywrightTimeout:
            self.responsive("while opening the notebook")
            error = self.page.evaluate("() => window.__kapOpenError")
            raise AssertionError(
                f"{path}: {self.cells.count()} cells shown after 60 s, expected {len(self.nb['cells'])}"
                + (f" (JupyterLab could not open it: {error})" if error else "")
            ) from None

    def responsive(self, when: str) -> None:
        """Fail clearly if the tab's renderer is stuck (a layout or event loop): ``page.evaluate`` has no timeout."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            self.page.wait_for_function("() => true", timeout=20_000)
        except PlaywrightTimeout:
            raise AssertionError(
                f"{self.path}: the JupyterLab tab stopped responding {when} (its renderer is busy in a loop)"
            ) from None

    @staticmethod
    def _is_foreign(url: str) -> bool:
        parsed = urlparse(url)
        return parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname != "127.0.0.1"

    def run_all(self) -> float:
        """Run all cells from the Run menu, as a learner would; wait until execution has finished."""
        self.responsive("after opening the notebook")
        self.lab.kernels_shut_down()  # the last notebook's
        self.page.wait_for_function(  # the kernel has started (polled at every frame)
            "sel => document.querySelector(sel)?.dataset.status === 'idle'",
            arg=".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator",
            timeout=60_000,
        )
        started = time.monotonic()
        self.page.evaluate(_WATCH_EXECUTION, NOTEBOOK)
        self.page.get_by_role("menuitem", name="Run", exact=True).click()
        self.page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        self.page.wait_for_function(_EXECUTION_FINISHED, arg=NOTEBOOK, timeout=RUN_ALL_TIMEOUT)
        self.responsive("after running all cells")
        return time.monotonic() - started

    def prompts(self) -> list[str]:
        return self.page.locator(f"{NOTEBOOK} .jp-CodeCell .jp-InputPrompt").all_text_contents()

    def error_outputs(self) -> list[str]:
        outputs = self.page.locator(f'{NOTEBOOK} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
        return [t.strip() for t in outputs.all_text_contents()]

    def scroll_through(self, shots: str | None = None) -> int:
        """Scroll the notebook from top to bottom, as a reader would (JupyterLab renders Markdown cells as
        they come into view); with ``shots``, save screen NN as ``<shots>-NN.png``: the first SHOT_SCREENS
        screens and each screen on which a chart comes into view (every screen with KAP_LAB_SCREENSHOTS=all)."""
        self.page.evaluate(_SCROLL_TOP, NOTEBOOK)
        if shots:
            SHOTS.mkdir(parents=True, exist_ok=True)
            for old in SHOTS.glob(f"{shots}-[0-9][0-9].png"):
                old.unlink()
        for step in range(200):
            self.page.wait_for_timeout(50)  # let charts and Markdown that just came into view settle
            new_chart = self.page.evaluate(_NEW_CHART_IN_VIEW, NOTEBOOK) if shots else False
            if shots and (ALL_SHOTS or step < SHOT_SCREENS or new_chart):
                self.page.screenshot(path=str(SHOTS / f"{shots}-{step + 1:02d}.png"))
            self.responsive(f"while scrolling (screen {step + 1})")
            if self.page.evaluate(_SCROLL_STEP, NOTEBOOK):
                break
        self.page.evaluate(_SCROLL_TOP, NOTEBOOK)
        return step + 1

    def charts(self) -> list[dict]:
        return self.page.evaluate(_CHARTS, NOTEBOOK)

    def close(self, reuse: bool) -> None:
        """Close the notebook; unless ``reuse`` (the chapter had a problem), close the page too."""
        self.lab.visit = None
        self.lab.close_notebooks(reuse=reuse)
        try:
            self.lab.shutdown_kernels()
        except (urllib.error.URLError, ConnectionError):
            pass


# --- the checks --------------------------------------------------------------------------------------


def check_ran_cleanly(visit: LabPage) -> list[str]:
    problems = []
    # A cell whose input is folded (hide-input, remove-input) shows an empty prompt.
    unnumbered = [p for p in visit.prompts() if p.strip() and not re.search(r"\[\d+\]", p)]
    if unnumbered:
        problems.append(f"{len(unnumbered)} code cells did not run (prompts {unnumbered})")
    for text in visit.error_outputs():
        kind = "an error" if re.search(r"Traceback|Error\b", text) else "text on stderr"
        problems.append(f"{kind} is shown: {text[:600]}")
    # An uncaught error in the page's JavaScript while the notebook was open and used (an output's script that broke).
    problems += [error[:600] for error in visit.errors]
    return problems


def check_charts(visit: LabPage) -> list[str]:
    """Every chart drawn as SVG with marks, fitting the notebook; each chart with inputs redraws when one changes."""
    problems = []
    expected = expected_charts(visit.nb)
    charts = visit.charts()
    if len(charts) != expected:
        problems.append(f"{len(charts)} charts drawn as SVG, expected {expected} (chart outputs in the notebook)")
    for i, chart in enumerate(charts):
        if chart["marks"] == 0:
            problems.append(f"chart {i} drew no marks")
        if chart["clipped"]:
            problems.append(f"chart {i} ({chart['width']} px wide) cuts off its text: {chart['clipped'][:5]}")
        if chart["plot"] is not None and chart["plot"] < MIN_PLOT_WIDTH:
            problems.append(f"chart {i}: its plotting area is only {chart['plot']} px wide in a {chart['width']} px chart")
        if chart["overflow"] > 0:
            problems.append(f"chart {i} ({chart['width']} px wide) overflows its cell by {chart['overflow']} px")
    embeds = visit.page.locator(f"{NOTEBOOK} .vega-embed:has(> svg.marks)")
    for i, chart in enumerate(charts):
        if chart["inputs"] and not embeds.nth(i).evaluate(_CHANGE_SOME_INPUT):
            problems.append(f"chart {i}: no bound input changed what it draws")
    return problems


def check_explorer_responds(visit: LabPage) -> list[str]:
    """The StudyExplorer (ipywidgets) redraws its forest chart when the effect measure changes (a kernel round trip)."""
    explorers = visit.page.locator(f"{NOTEBOOK} .jp-OutputArea-output:has(.widget-dropdown)")
    if not re.search(r"(?<![\w.])StudyExplorer\(", "".join(_source(c) for c in visit.nb["cells"] if c["cell_type"] == "code")):
        return []
    if explorers.count() == 0:
        return ["the StudyExplorer is not shown"]
    measure = explorers.first.locator(".widget-dropdown", has_text="Effect measure").locator("select")
    chart = explorers.first.locator(".vega-embed > svg.marks")
    if chart.count() == 0:
        return ["the StudyExplorer shows no chart drawn as SVG"]
    before = chart.first.evaluate("e => e.outerHTML")
    # The option shown now: ipywidgets shows the explorer's starting value, None ("all (no pooling)", the first
    # option), as no selection (-1); choosing that option again would change nothing and wait out the timeout.
    current = max(measure.evaluate("s => s.selectedIndex"), 0)
    options = [i for i in range(measure.locator("option").count()) if i != current]
    for option in options:
        old = chart.first.element_handle()
        measure.select_option(index=option)
        try:
            # The kernel has answered once the chart is replaced (the explorer clears its output and displays the new
            # chart), drawn or not the same as before: an option that draws the same chart (the one result of "all")
            # then costs a round trip, not the whole timeout.
            visit.page.wait_for_function(
                """([el, old, before]) => { const s = el.querySelector('.vega-embed > svg.marks');
                    return s && s.querySelector('.role-mark') && (s !== old || s.outerHTML !== before); }""",
                arg=[explorers.first.element_handle(), old, before],
                timeout=15_000,
            )
        except Exception:
            continue
        visit.page.wait_for_timeout(100)  # a replaced chart: let vega finish drawing it
        if chart.first.evaluate("e => e.outerHTML") != before:
            return []
    return [f"the StudyExplorer's chart did not change when the effect measure changed (tried {options})"]


def check_quizzes(visit: LabPage) -> list[str]:
    expected = expected_quiz_questions(visit.nb)
    quiz = visit.page.locator(f"{NOTEBOOK} .Quiz")
    problems = []
    if quiz.count() != expected:
        problems.append(f"{quiz.count()} quiz questions rendered, expected {expected}")
    buttons = visit.page.locator(f"{NOTEBOOK} .Quiz .MCButton")
    if expected and buttons.count():
        # the first choice question (a page may show numeric questions before it): its button, its own feedback
        question = visit.page.locator(f"{NOTEBOOK} .Quiz", has=visit.page.locator(".MCButton")).first
        question.scroll_into_view_if_needed()
        question.locator(".MCButton").first.click()
        feedback = question.locator(".Feedback")
        try:
            feedback.wait_for(state="visible", timeout=5_000)
        except Exception:
            problems.append("choosing a quiz answer shows no feedback")
    elif expected:
        problems.append("the quiz shows no answer buttons")
    return problems


def check_appraisal_practice(visit: LabPage) -> list[str]:
    """The appraisal practice (book.teaching.appraisal_practice) answers in JupyterLab: the book's judgement of a RoB 2
    domain is marked right with its reason; a wrong GRADE step is marked wrong with an explanation."""
    code = "".join(_source(c) for c in visit.nb["cells"] if c["cell_type"] == "code")
    checks = [
        ("rob_practice(", "D1 randomization process", "true", "correct", "the book says"),
        ("grade_practice(", "Imprecision: how far", "false", "incorrect", ""),
    ]
    problems = []
    for call, question_text, correct, marked, says in checks:
        if call not in code:
            continue
        question = visit.page.locator(f"{NOTEBOOK} div[data-numquestions] > .Quiz", has_text=question_text).first
        question.scroll_into_view_if_needed()
        question.locator(f'.MCButton[data-correct="{correct}"]').first.click()
        feedback = question.locator(".Feedback")
        try:
            visit.page.wait_for_function(
                "([el, cls, text]) => el.classList.contains(cls) && el.textContent.includes(text)",
                arg=[feedback.element_handle(), marked, says],
                timeout=5_000,
            )
        except Exception:
            problems.append(f"appraisal practice: choosing in '{question_text}' did not show '{marked}' feedback")
    return problems


def check_fixed_answer_checks(visit: LabPage) -> list[str]:
    """The website check of each fixed-answer exercise (book.teaching.hashed_checks) is a form in JupyterLab too; the
    first one, answered wrong then right, shows the kernel check's feedback (its script is inlined in the output)."""
    from book.teaching.answer_key import load_instructor_keys
    from book.teaching.answers import ANSWERS, HashedAnswer

    code = "".join(_source(c) for c in visit.nb["cells"] if c["cell_type"] == "code")
    labels = [lb for lb, e in ANSWERS.items() if isinstance(e, HashedAnswer) and f'show_check("{lb}")' in code]
    forms = visit.page.locator(f"{NOTEBOOK} form.kap-check")
    if forms.count() != len(labels):
        return [f"{forms.count()} fixed-answer checks rendered, expected {len(labels)}"]
    if not labels:
        return []
    label, key = labels[0], load_instructor_keys()[labels[0]]["answer"]
    entry = ANSWERS[label]
    form = visit.page.locator(f'{NOTEBOOK} form.kap-check[data-label="{label}"]')
    form.scroll_into_view_if_needed()
    problems = []
    for option in (next(o for o in entry.options if o != key), key):
        form.get_by_label(f"({option})").check()
        form.get_by_role("button", name="Check").click()
        want = ("Right. " if option == key else "Not yet. ") + entry.check(option).message
        try:
            visit.page.wait_for_function(
                "([el, text]) => el.textContent === text",
                arg=[form.locator(".kap-check-feedback").element_handle(), want],
                timeout=5_000,
            )
        except Exception:
            problems.append(f"fixed-answer check {label}: choosing ({option}) did not show {want!r}")
    return problems


def check_myst(visit: LabPage, student: bool = False) -> list[str]:
    """Rendered Markdown shows no raw MyST; admonitions and exercises are blocks; a student copy has no solution.
    (Solutions folded: check_solutions_folded, before the run, which unfolds them.)"""
    problems = []
    cells = visit.cells
    for i, cell in enumerate(visit.nb["cells"]):
        if cell["cell_type"] != "markdown" or not _source(cell).strip():
            continue
        node = cells.nth(i)
        if "solution" in _tags(cell):
            continue  # folded: check_solutions_folded
        rendered = node.locator(".myst")
        if rendered.count() == 0:
            problems.append(f"cell {i}: Markdown not rendered by jupyterlab-myst")
            continue
        text = rendered.first.evaluate(_VISIBLE_TEXT)
        for pattern, what in RAW_MYST:
            match = pattern.search(text)
            if match:
                problems.append(
                    f"cell {i}: raw MyST is visible ({what}): ...{text[max(0, match.start() - 40) : match.end() + 40]}..."
                )
    page = visit.page
    for name, css in (("admonition", "aside.myst-admonition"), ("exercise", "aside.myst-exercise[id]")):
        want, got = directive_count(visit.nb, name), page.locator(f"{NOTEBOOK} {css}").count()
        if want != got:
            problems.append(f"{want} {{{name}}} directives but {got} rendered as {name} blocks ({css})")
    labels = [
        m
        for c in visit.nb["cells"]
        if c["cell_type"] == "markdown" and "solution" not in _tags(c)
        for m in re.findall(r"^:label:\s*(\S+)", _source(c), re.M)
    ]
    for label in labels:
        if page.locator(f"{NOTEBOOK} aside.myst-exercise[id='{label}'] .myst-exercise-title").count() != 1:
            problems.append(f"exercise {label} has no title block")
    solutions = [i for i, c in enumerate(visit.nb["cells"]) if "solution" in _tags(c)]
    if student:
        if solutions:
            problems.append(f"the student copy still has solution cells: {solutions}")
        if page.locator(f"{NOTEBOOK} .myst-exercise", has_text=re.compile("Solution to")).count():
            problems.append("the student copy shows a solution block")
    return problems


def check_solutions_folded(visit: LabPage) -> list[str]:
    """Every solution cell is folded as the learner opens the notebook: its input, and a code cell's output, hidden.
    Checked before the run: JupyterLab's Run All unfolds the cells it runs."""
    problems = []
    cells = visit.cells
    for i in [i for i, c in enumerate(visit.nb["cells"]) if "solution" in _tags(c)]:
        node = cells.nth(i)
        if not node.locator(".jp-InputPlaceholder").first.is_visible():
            problems.append(f"cell {i} (a solution) is not folded")
        if node.locator(".jp-Cell-inputArea").first.is_visible():
            problems.append(f"cell {i} (a solution) shows its content before the learner opens it")
        if visit.nb["cells"][i]["cell_type"] == "code" and node.locator(".jp-OutputArea-output").first.is_visible():
            problems.append(f"cell {i} (a solution) shows its output before the learner opens it")
    return problems


def check_answers_folded_after_run(visit: LabPage) -> list[str]:
    """After Run All (which shows the outputs of every cell it runs, solutions too), each solution code cell shows its
    answer only inside a closed fold (book.teaching.folded): the summary line, not the table or the printed numbers."""
    problems = []
    for i in [i for i, c in enumerate(visit.nb["cells"]) if "solution" in _tags(c) and c["cell_type"] == "code"]:
        node = visit.cells.nth(i)
        fold = node.locator(f".jp-OutputArea-output details.{FOLD_CLASS}")
        if fold.count() != 1:
            problems.append(f"cell {i} (a solution) shows its output without a fold after Run All")
        elif fold.first.evaluate("d => d.open") or fold.first.locator("pre, table").first.is_visible():
            problems.append(f"cell {i} (a solution) shows its answer after Run All")
    return problems


def check_links(visit: LabPage, lab: Lab) -> list[str]:
    """Every link in the chapter's rendered Markdown to a file of the book resolves in JupyterLab (checked while the
    chapter is open for its run, rather than opening every chapter a second time).

    ``{doc}`name``` renders in jupyterlab-myst as a link to ``/files/name`` (no ``.ipynb``), which does not
    exist; ``[Title](name.ipynb)`` opens the notebook in JupyterLab and is a doc link in the Jupyter Book.
    """
    broken = []
    hrefs = visit.page.locator(f"{NOTEBOOK} .myst a[href]").evaluate_all("links => links.map(a => [a.textContent, a.href])")
    for text, href in hrefs:
        url = urlparse(href)
        if url.hostname != "127.0.0.1" or not url.path.startswith("/files/"):
            continue
        target = unquote(url.path[len("/files/") :])
        if not (lab.root / target).exists():
            broken.append(
                f"link {text!r} points to {target!r}, which does not exist (write [Title](chapter.ipynb) instead of {{doc}})"
            )
    return broken


def run_and_check(browser, lab: Lab, path: str, shots: str, student: bool = False) -> list[str]:
    visit = LabPage(browser, lab, path)
    problems = None
    try:
        problems = check_solutions_folded(visit) if not student else []  # as the learner opens it
        seconds = visit.run_all()
        # Scrolled through as a reader would, so that every Markdown cell renders: MyST rendered, solutions still folded.
        visit.scroll_through(shots=shots)
        problems += check_myst(visit, student=student)
        if not student:  # a student copy's folder holds only that chapter
            problems += check_links(visit, lab)
        problems += check_ran_cleanly(visit)
        if not student:
            problems += check_answers_folded_after_run(visit)
        problems += check_charts(visit)
        problems += check_explorer_responds(visit)
        problems += check_quizzes(visit)
        problems += check_appraisal_practice(visit)
        problems += check_fixed_answer_checks(visit)
        if visit.foreign:
            problems.append(f"requested other hosts: {sorted(set(visit.foreign))}")
        print(f"{path}: ran in {seconds:.1f} s; {len(visit.charts())} charts; {len(problems)} problems")
        return problems
    finally:
        visit.close(reuse=problems == [])  # a chapter with a problem leaves the next a fresh page


@pytest.mark.parametrize("chapter", CHAPTER_NAMES)
def test_chapter_runs_offline_in_jupyterlab_and_draws_its_charts(browser, lab, chapter):
    problems = run_and_check(browser, lab, f"{chapter}.ipynb", shots=chapter)
    assert not problems, f"{chapter} in JupyterLab:\n- " + "\n- ".join(problems)


def test_student_copy_runs_in_jupyterlab_without_solutions(browser, lab):
    out = lab.root / "student"
    made = subprocess.run(
        [sys.executable, "-m", "book", "student-copy", STUDENT_CHAPTER, "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert made.returncode == 0, f"student-copy failed: {made.stderr}"
    problems = run_and_check(browser, lab, f"student/{STUDENT_CHAPTER}.ipynb", shots=f"student-{STUDENT_CHAPTER}", student=True)
    assert not problems, f"student copy of {STUDENT_CHAPTER} in JupyterLab:\n- " + "\n- ".join(problems)
