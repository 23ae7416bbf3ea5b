"""axe-core on every page of the built site, in four states, with no violations at all (of any impact).

axe-core is the copy shipped inside the axe-playwright-python package (no node_modules needed). The rules
run are those tagged WCAG 2.0/2.1 A and AA (colour contrast included) and axe's best practices. Each page
is opened once, in light mode, and checked in four states, in this order:

- ``settled``: once every chart has drawn and every quiz is rendered (browser_helpers.settle); first, in that same
  load, the page is checked to request nothing from another host, to have no console or page error and to draw
  every chart with a text alternative (browser_helpers.check_page_clean, which also takes its screenshot);
- ``dark``: the same page switched to dark mode in place, as a reader does with the theme's switch button
  (clicked, with the browser's colour scheme emulated as dark too), once the theme's colour transitions end;
- ``dark-interacted``: after what a reader does there: quiz questions answered right and wrong (choice and
  numeric), a solution and a folded code cell opened, an input of every chart changed;
- ``interacted``: the same page switched back to light mode.

(It used to open each page twice, once per mode, and interact in each; the interactions leave the same page in
either mode, so one load and one round of interactions check the same four states in half the time.)

Rules deliberately ignored are listed in IGNORED with the reason. Each page's full result is written to
``_build/axe/<page>.<state>.json`` (next to the site tested), and a summary of this run to
``_build/axe/summary.txt``.
"""

from __future__ import annotations

import json
import os

import pytest
from browser_helpers import PAGES, REPORTS, check_page_clean, interact, run_axe

#: rule id -> why it is not enforced (none at present)
IGNORED: dict[str, str] = {}
ALL_PAGES = [*PAGES, "search.html"]
#: the states checked, in order, each with the mode the page is in and whether the reader has interacted yet
STATES = (("settled", "light", False), ("dark", "dark", False), ("dark-interacted", "dark", True), ("interacted", "light", True))

#: Switch the theme in place with its own button (pydata-sphinx-theme cycles auto -> dark -> light).
_SWITCH_MODE = """(mode) => {
    for (let i = 0; i < 3 && document.documentElement.dataset.theme !== mode; i++) {
        document.querySelector('.theme-switch-button').click();
    }
    return document.documentElement.dataset.theme;
}"""
#: What decides the page's mode, for a failure message.
_MODE_STATE = """() => ({theme: document.documentElement.dataset.theme, mode: document.documentElement.dataset.mode,
    stored: (() => { try { return localStorage.getItem('mode'); } catch (err) { return String(err); } })(),
    ready: document.readyState,
    buttons: document.querySelectorAll('.theme-switch-button').length,
    scripts: document.documentElement.getAttribute('data-kap-scripts')})"""
#: Wait for the colour transitions a switch starts to end, so that axe measures the colours a reader settles on.
_TRANSITIONS_END = """() => Promise.all(document.getAnimations().filter(a => a instanceof CSSTransition)
    .map(a => a.finished.catch(() => null)))"""


def switch_mode(page, mode: str) -> None:
    """The page in ``mode`` ("light" or "dark") as the theme's switch button leaves it (``data-mode`` and
    ``data-theme`` both ``mode``), with the browser's colour scheme emulated to match (as a reader's system would
    be); the media change comes after the switch in dark mode, and before it in light mode, so that the theme's
    "auto" mode never follows it."""
    if mode == "light":
        page.emulate_media(color_scheme="light")
    # Three clicks pass through every mode; if they do not reach it, say what decides the mode. (A page whose first chart
    # drew before the parser reached the theme's scripts at the end of the body once lost them: book/site/later_scripts.py.)
    if page.evaluate(_SWITCH_MODE, mode) != mode:
        raise AssertionError(f"{mode} mode did not apply: {page.evaluate(_MODE_STATE)}")
    if mode == "dark":
        page.emulate_media(color_scheme="dark")
    page.evaluate(_TRANSITIONS_END)


@pytest.fixture(scope="module", autouse=True)
def fresh_reports(site_url):
    """Each run writes its own reports and summary, not mixed with an earlier run's (next to the site, so
    only once the site is known to be there)."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    # Under pytest-xdist every worker runs this fixture: only the first of this run (all share one run id) clears the
    # folder, so that no worker deletes another's fresh reports, and two that start together never fail on a file the
    # other has just removed.
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))
    marker = REPORTS / ".run"
    if marker.is_file() and marker.read_text(encoding="utf-8") == run:
        return
    marker.write_text(run, encoding="utf-8")
    for old in REPORTS.glob("*.json"):
        old.unlink(missing_ok=True)
    (REPORTS / "summary.txt").write_text("", encoding="utf-8")


def _report(path: str, state: str, result: dict, done: list[str]) -> None:
    name = path.replace("/", "__").replace(".html", "")
    (REPORTS / f"{name}.{state}.json").write_text(
        json.dumps({"page": path, "state": state, "interactions": done, "violations": result["violations"]}, indent=1),
        encoding="utf-8",
    )
    counts: dict[str, int] = {}
    for v in result["violations"]:
        counts[v["impact"]] = counts.get(v["impact"], 0) + len(v["nodes"])
    with open(REPORTS / "summary.txt", "a", encoding="utf-8") as fh:
        fh.write(f"{path} [{state}]: passes {len(result['passes'])} rules; violations by impact {counts or 'none'}\n")


@pytest.mark.parametrize("path", ALL_PAGES)
def test_page_has_no_accessibility_violations(open_page, site_url, path):
    visit = open_page(path).settle()
    check_page_clean(visit, site_url, path)  # offline, no error, every chart drawn and labelled (one load for both)
    found, errors, done = [], [], []
    for state, mode, interacted in STATES:
        if visit.page.evaluate("document.documentElement.dataset.theme") != mode:
            switch_mode(visit.page, mode)
        if interacted and not done:
            done = interact(visit)
        errors += [f"[{state}] {e}" for e in visit.errors]
        result = run_axe(visit.page)
        visit.errors.clear()  # axe's stylesheet preload asks for theme.css's @import at a wrong URL (a 404)
        _report(path, state, result, done)
        found += [
            f"[{state}] {v['id']} ({v['impact']}, {len(v['nodes'])} element(s)): {v['help']}; "
            f"e.g. {v['nodes'][0]['target']} {v['nodes'][0].get('failureSummary', '')!r}"
            + (f" (after: {', '.join(done)})" if done else "")
            for v in result["violations"]
            if v["id"] not in IGNORED
        ]
    assert not found, f"{path}:\n" + "\n".join(found)
    assert not errors, f"{path}: {errors}"
    assert not visit.foreign_requests(site_url), f"{path}, after interaction: {visit.foreign_requests(site_url)}"
