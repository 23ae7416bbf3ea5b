"""Browser tests of the built site: headless Chromium (Debian's) driven by Playwright.

The site must already be built (``jupyter-book build .``). These tests serve ``_build/html`` on
127.0.0.1, open every page, and check that nothing is requested from another host, that no
console or page error occurs, that every chart draws its marks, and that changing a chart's
bound input changes what it draws. Screenshots go to ``_build/screenshots/``.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"


def _pages_in_toc() -> list[str]:
    """Every page of the book, as listed in _toc.yml (root first), as paths in the built site."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [entry["file"] for part in toc.get("parts", []) for entry in part.get("chapters", [])]
    return [f"{name}.html" for name in files]


PAGES = _pages_in_toc()
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def _chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="module")
def site_url():
    if not (SITE / "index.html").is_file():
        pytest.fail("The site is not built: run `jupyter-book build .` first (the tests check _build/html).")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    if executable is None:
        pytest.skip("No Chromium found. Install Debian's: `apt-get install -y chromium` (or set CHROMIUM=/path/to/chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        yield browser
        browser.close()


class PageVisit:
    """A page opened in the browser, with the requests and errors it caused."""

    def __init__(self, browser, url):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.requests, self.errors = [], []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.goto(url, wait_until="networkidle")

    def foreign_requests(self, origin: str) -> list[str]:
        host = urlparse(origin).netloc
        return [u for u in self.requests if urlparse(u).scheme in ("http", "https") and urlparse(u).netloc != host]

    def marks(self, chart) -> int:
        return chart.locator("svg g.role-mark path, svg g.role-mark line, svg g.role-mark rect").count()

    def charts(self):
        """Every chart on the page."""
        return self.page.locator(".vega-embed")

    def chart(self, index: int = 0):
        """Chart ``index`` of the page, once it has drawn its SVG."""
        chart = self.charts().nth(index)
        chart.locator("svg").first.wait_for(timeout=10_000)
        return chart

    def close(self):
        self.context.close()


def chart_text(chart) -> str:
    """All the text a chart draws (titles, labels, messages)."""
    return " ".join(chart.locator("svg text").all_text_contents())


def row_labels(chart) -> str:
    """The chart's axis labels, e.g. the rows of a dot chart or a forest plot."""
    return " | ".join(chart.locator("svg g.role-axis-label text").all_text_contents())


@pytest.mark.parametrize("path", PAGES)
def test_page_is_offline_clean_and_draws_its_charts(browser, site_url, path):
    visit = PageVisit(browser, site_url + path)
    try:
        assert not visit.foreign_requests(site_url), f"{path} requested other hosts: {visit.foreign_requests(site_url)}"
        assert not visit.errors, f"{path}: {visit.errors}"
        for i in range(visit.charts().count()):
            chart = visit.chart(i)
            assert visit.marks(chart) > 0, f"chart {i} on {path} drew no marks"
            label = chart.evaluate(
                "e => ((e.matches('[role=graphics-document]') ? e : e.querySelector('[role=graphics-document]')) || e)"
                ".getAttribute('aria-label')"
            ) or ""
            assert len(label) > 40, f"chart {i} on {path} has no useful text alternative: {label!r}"
        SHOTS.mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(SHOTS / (path.replace("/", "__").replace(".html", ".png"))), full_page=True)
    finally:
        visit.close()


_CHANGE_SOME_INPUT = """async chart => {
    const svg = () => chart.querySelector('svg').outerHTML;
    const settle = () => new Promise(r => setTimeout(r, 250));
    const before = svg();
    for (const input of chart.querySelectorAll('.vega-bindings select, .vega-bindings input')) {
        if (input.tagName === 'SELECT') {
            for (const option of [...input.options].filter(o => o.value !== input.value)) {
                input.value = option.value; input.dispatchEvent(new Event('change')); await settle();
                if (svg() !== before) return input.name || option.value;
            }
        } else if (input.type === 'checkbox' || input.type === 'radio') {
            if (input.type === 'radio' && input.checked) continue;
            input.click(); await settle();
            if (svg() !== before) return input.name || input.value;
        } else if (input.type === 'range') {
            input.value = input.max; input.dispatchEvent(new Event('input')); await settle();
            if (svg() !== before) return input.name || 'range';
        }
    }
    return null;
}"""


@pytest.mark.parametrize("path", [p for p in PAGES if p.startswith("chapters/")])
def test_every_chart_with_inputs_redraws_when_an_input_changes(browser, site_url, path):
    visit = PageVisit(browser, site_url + path)
    try:
        for i in range(visit.charts().count()):
            chart = visit.chart(i)
            if chart.locator(".vega-bindings").count() == 0:
                continue
            changed_by = chart.evaluate(_CHANGE_SOME_INPUT)
            assert changed_by, f"chart {i} on {path}: no input changed what it draws"
        assert not visit.errors, f"{path}: {visit.errors}"
    finally:
        visit.close()


def test_changing_a_bound_input_changes_the_chart(browser, site_url):
    visit = PageVisit(browser, site_url + "chapters/cocaine-and-stimulants.html")
    try:
        chart = visit.chart(0)
        select = chart.locator(".vega-bindings select").first
        assert select.input_value() == "cocaine"
        before, marks_before = row_labels(chart), visit.marks(chart)
        assert "Dakwar 2019" in before
        select.select_option("alcohol")
        visit.page.wait_for_timeout(300)
        after = row_labels(chart)
        assert after != before and "Dakwar 2019" not in after, "changing the substance did not change the studies drawn"
        select.select_option("all")
        visit.page.wait_for_timeout(300)
        assert visit.marks(chart) > marks_before
    finally:
        visit.close()


def test_solutions_are_folded_until_opened(browser, site_url):
    visit = PageVisit(browser, site_url + "chapters/cocaine-and-stimulants.html")
    try:
        solutions = visit.page.locator("details.solution, .solution.dropdown")
        assert solutions.count() >= 3
        first = solutions.first
        assert first.get_attribute("open") is None, "a solution is open before the reader asks for it"
    finally:
        visit.close()


def test_a_filter_that_leaves_nothing_says_so(browser, site_url):
    visit = PageVisit(browser, site_url + "chapters/cocaine-and-stimulants.html")
    try:
        chart = visit.chart(1)  # the effects chart: substance + effect measure
        assert "No studies match these filters" not in chart_text(chart)
        chart.locator(".vega-bindings input[value=OR]").check()  # cocaine reports no odds ratio
        visit.page.wait_for_timeout(300)
        assert "No studies match these filters" in chart_text(chart)
    finally:
        visit.close()


def test_forest_chart_inputs_change_the_studies_and_the_pooled_estimate(browser, site_url):
    visit = PageVisit(browser, site_url + "chapters/comparing-the-evidence.html")
    try:
        chart = visit.chart(0)
        chart.locator(".vega-bindings input[value=MD]").check()
        visit.page.wait_for_timeout(300)
        md = row_labels(chart)
        assert "Grabski 2022" in md and "Pooled" in md, md
        chart.locator(".vega-bindings input[value=HR]").check()
        visit.page.wait_for_timeout(300)
        hr = row_labels(chart)
        assert "Dakwar 2019" in hr and "Grabski 2022" not in hr and "Pooled" not in hr, hr  # one result: no pooling
        chart.locator(".vega-bindings input[value=MD]").check()
        chart.locator(".vega-bindings select").select_option("cocaine")
        visit.page.wait_for_timeout(300)
        assert "No studies match these filters" in chart_text(chart)
    finally:
        visit.close()


def test_quiz_works_offline_and_explains_each_answer(browser, site_url):
    visit = PageVisit(browser, site_url + "chapters/cocaine-and-stimulants.html")
    try:
        quiz = visit.page.locator(".Quiz").first
        quiz.scroll_into_view_if_needed()
        buttons = visit.page.locator(".MCButton")
        assert buttons.count() >= 10
        buttons.filter(has_text="A midazolam infusion").first.click()
        visit.page.wait_for_timeout(200)
        assert "active control" in visit.page.locator(".Feedback").first.inner_text()
        assert not visit.foreign_requests(site_url) and not visit.errors
    finally:
        visit.close()


def test_search_finds_a_term_from_a_chapter(browser, site_url):
    visit = PageVisit(browser, site_url + "search.html?q=midazolam")
    try:
        visit.page.wait_for_selector("#search-results li", timeout=15_000)
        results = " ".join(visit.page.locator("#search-results li").all_inner_texts())
        assert "Cocaine and other stimulants" in results
    finally:
        visit.close()


def test_search_from_a_chapter_page_reaches_the_results(browser, site_url):
    """Chapter pages no longer load the search index themselves; the search box must still work."""
    visit = PageVisit(browser, site_url + "chapters/about-the-evidence.html")
    try:
        field = visit.page.locator("#pst-search-dialog input[name=q]")
        for attempt in range(3):  # open the search dialog as a reader would: the search button in the page
            visit.page.locator(".search-button__button:visible").first.click()
            try:
                field.wait_for(state="visible", timeout=5_000)
                break
            except Exception:
                if attempt == 2:
                    raise
        field.fill("midazolam")
        field.press("Enter")
        visit.page.wait_for_selector("#search-results li", timeout=15_000)
        assert "search.html?q=midazolam" in visit.page.url
        assert "Cocaine and other stimulants" in " ".join(visit.page.locator("#search-results li").all_inner_texts())
    finally:
        visit.close()


@pytest.mark.parametrize("path", [p for p in PAGES if p.startswith("chapters/")])
def test_every_chapter_has_launch_and_download_buttons(browser, site_url, path):
    visit = PageVisit(browser, site_url + path)
    try:
        html = visit.page.content()
        for target in ("mybinder.org", "colab.research.google.com", "jupyterhub", ".ipynb"):
            assert target in html, f"{path}: no {target} button"
    finally:
        visit.close()
