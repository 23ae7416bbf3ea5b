"""axe-core on every page of the built site: no violations at all (the issue asks for no serious or
critical ones; the site has none of any impact, and this keeps it so).

axe-core comes from the npm registry through package-lock.json (`npm ci`). The rules run are those
tagged WCAG 2.0/2.1 A and AA (colour contrast included) and axe's best practices. Rules deliberately
ignored are listed in IGNORED with the reason. Each page's full result is written to
_build/axe/<page>.json, and a summary to _build/axe/summary.txt.
"""

import json

import pytest

from test_site import PAGES, ROOT, PageVisit, browser, site_url  # noqa: F401  (fixtures)

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
REPORTS = ROOT / "_build" / "axe"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
#: rule id -> why it is not enforced (none at present)
IGNORED: dict[str, str] = {}
ALL_PAGES = [*PAGES, "search.html"]


@pytest.fixture(scope="module", autouse=True)
def fresh_summary():
    """Each run writes its own summary (one line per page), not appended to the last run's."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "summary.txt").write_text("", encoding="utf-8")


@pytest.mark.parametrize("path", ALL_PAGES)
def test_page_has_no_accessibility_violations(browser, site_url, path):  # noqa: F811
    if not AXE.is_file():
        pytest.fail("axe-core is not installed: run `npm ci` in the book's folder.")
    visit = PageVisit(browser, site_url + path)
    try:
        visit.page.wait_for_timeout(300)
        visit.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = visit.page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    finally:
        visit.close()
    REPORTS.mkdir(parents=True, exist_ok=True)
    name = path.replace("/", "__").replace(".html", "")
    (REPORTS / f"{name}.json").write_text(json.dumps(result["violations"], indent=1), encoding="utf-8")
    counts = {}
    for v in result["violations"]:
        counts[v["impact"]] = counts.get(v["impact"], 0) + len(v["nodes"])
    with open(REPORTS / "summary.txt", "a", encoding="utf-8") as fh:
        fh.write(f"{path}: passes {len(result['passes'])} rules; violations by impact {counts or 'none'}\n")
    found = [f"{v['id']} ({v['impact']}, {len(v['nodes'])} element(s)): {v['help']}; e.g. {v['nodes'][0]['target']}"
             for v in result["violations"] if v["id"] not in IGNORED]
    assert not found, f"{path}:\n" + "\n".join(found)
