"""axe-core on every page of the built site, in four states, with no violations at all (of any impact).

axe-core is the copy shipped inside the axe-playwright-python package (no node_modules needed). The rules
run are those tagged WCAG 2.0/2.1 A and AA (colour contrast included) and axe's best practices. Each page
is opened twice, in the theme's light and dark modes, and checked in each

- ``settled``: once every chart has drawn and every quiz is rendered (browser_helpers.settle);
- ``interacted``: after what a reader does there: quiz questions answered right and wrong (choice and
  numeric), a solution and a folded code cell opened, an input of every chart changed;
- ``dark``, ``dark-interacted``: the same two in dark mode (pydata-sphinx-theme reads ``localStorage``
  ``mode``/``theme``, set before the page loads).

Rules deliberately ignored are listed in IGNORED with the reason. Each page's full result is written to
``_build/axe/<page>.<state>.json`` (next to the site tested), and a summary of this run to
``_build/axe/summary.txt``.
"""

from __future__ import annotations

import json

import pytest
from browser_helpers import PAGES, REPORTS, interact, run_axe

#: rule id -> why it is not enforced (none at present)
IGNORED: dict[str, str] = {}
ALL_PAGES = [*PAGES, "search.html"]
#: a page is opened once per mode, and checked in each state in turn
MODES = {"light": ("settled", "interacted"), "dark": ("dark", "dark-interacted")}


@pytest.fixture(scope="module", autouse=True)
def fresh_reports(site_url):
    """Each run writes its own reports and summary, not mixed with an earlier run's (next to the site, so
    only once the site is known to be there)."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    for old in REPORTS.glob("*.json"):
        old.unlink()
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


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("path", ALL_PAGES)
def test_page_has_no_accessibility_violations(open_page, path, mode):
    visit = open_page(path, dark=mode == "dark").settle()
    if mode == "dark":
        assert visit.page.evaluate("document.documentElement.dataset.theme") == "dark", "dark mode did not apply"
    found, errors = [], []
    for state in MODES[mode]:
        done = interact(visit) if state.endswith("interacted") else []
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
