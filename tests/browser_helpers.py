"""What the browser tests share: where the built site is, its pages, a page opened in Chromium, waiting for
a page to settle, reading charts, and running axe-core. Not a test module (tests import it; the fixtures
built on it are in conftest.py).

The site tested is ``_build/html`` of this repository, or the folder named by the environment variable
``KAP_SITE`` (for example a build made in another worktree). Reports (axe results, screenshots) go next to
that site, into its ``_build/axe/`` and ``_build/screenshots/``.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import json
import os
import re
from pathlib import Path
from urllib.parse import urlparse

# Where Chromium is, how it is launched, the chart containers and when a page has settled: shared with
# `python -m book pdf` (book/browser.py), so that printing and testing wait for the same thing.
from book.browser import CHARTS, LAUNCH_ARGS, NO_CHROMIUM, find_chromium, pages_in_toc, settle  # noqa: F401 (used by the tests)
from book.paths import ROOT

SITE = Path(os.environ.get("KAP_SITE") or ROOT / "_build" / "html").resolve()
REPORTS = SITE.parent / "axe"
SHOTS = SITE.parent / "screenshots"

NOT_BUILT = (
    f"The site is not built: run `jupyter-book build .` (no {SITE / 'index.html'}; "
    "set KAP_SITE=/path/to/_build/html to test another build)."
)

#: The marks a chart draws (vega's SVG renderer groups them by role).
MARKS = "svg g.role-mark path, svg g.role-mark line, svg g.role-mark rect, svg g.role-mark text"
#: A chart's bound inputs (native select/input elements that vega puts under the chart).
INPUTS = ".vega-bindings select, .vega-bindings input"


PAGES = pages_in_toc()
CHAPTERS = [p for p in PAGES if p.startswith("chapters/")]


# ---------------------------------------------------------------------------------------------------
# A page in the browser

#: True once the theme's own scripts (Bootstrap, pydata-sphinx-theme) have run: its buttons work from then on.
THEME_READY = "typeof window.bootstrap === 'object'"


@contextlib.contextmanager
def page_at_width(browser, url: str, width: int, height: int = 844):
    """``url`` opened in a fresh context ``width`` px wide (390: a phone), yielded once the theme's scripts have run,
    as a reader meets its buttons; the context is closed after."""
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.wait_for_function(THEME_READY, timeout=15_000)
        yield page
    finally:
        context.close()


class PageVisit:
    """A page opened in a fresh browser context, with the requests and errors it caused.

    ``dark=True`` opens it in the theme's dark mode, as a reader who chose dark mode (and whose system
    prefers dark) would see it: pydata-sphinx-theme reads ``localStorage`` ``mode``/``theme`` before it
    draws the page.
    """

    def __init__(self, browser, url: str, *, dark: bool = False):
        self.url = url
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark" if dark else "light")
        if dark:
            self.context.add_init_script(
                "try { localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark'); } catch (e) {}"
            )
        self.page = self.context.new_page()
        self.requests, self.errors = [], []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.goto(url, wait_until="load")

    def settle(self, timeout: float = 15_000) -> PageVisit:
        settle(self.page, timeout)
        return self

    def foreign_requests(self, origin: str) -> list[str]:
        host = urlparse(origin).netloc
        return [u for u in self.requests if urlparse(u).scheme in ("http", "https") and urlparse(u).netloc != host]

    def charts(self):
        """Every chart on the page (see CHARTS)."""
        return self.page.locator(CHARTS)

    def chart(self, index: int = 0):
        """Chart ``index`` of the page, once it has drawn its SVG."""
        chart = self.charts().nth(index)
        chart.locator("svg .role-mark").first.wait_for(state="attached", timeout=10_000)
        return chart

    def close(self):
        self.context.close()


def marks(chart) -> int:
    """How many marks (bars, points, rules, text) a chart has drawn."""
    return chart.locator(MARKS).count()


def chart_text(chart) -> str:
    """All the text a chart draws (titles, labels, messages)."""
    return " ".join(chart.locator("svg text").all_text_contents())


def row_labels(chart) -> str:
    """The chart's axis labels, e.g. the rows of a dot chart or a forest plot."""
    return " | ".join(chart.locator("svg g.role-axis-label text").all_text_contents())


_CHART_TEXT_IS = """([chart, contains, lacks]) => {
    const text = [...chart.querySelectorAll('svg text')].map(t => t.textContent).join(' ');
    return contains.every(s => text.includes(s)) && !lacks.some(s => text.includes(s));
}"""


def wait_for_chart_text(chart, contains: tuple[str, ...] = (), lacks: tuple[str, ...] = (), timeout: float = 10_000) -> str:
    """Wait until the chart's drawn text holds every string of ``contains`` and none of ``lacks`` (vega
    redraws asynchronously after an input changes); return the chart's text. On timeout, fail with the
    text the chart shows."""
    try:
        chart.page.wait_for_function(_CHART_TEXT_IS, arg=[chart.element_handle(), list(contains), list(lacks)], timeout=timeout)
    except Exception as err:
        raise AssertionError(
            f"the chart never showed {list(contains)} without {list(lacks)}; it shows: {chart_text(chart)!r}"
        ) from err
    return chart_text(chart)


def wait_for_marks_above(chart, count: int, timeout: float = 10_000) -> int:
    """Wait until the chart draws more than ``count`` marks; return how many it draws."""
    chart.page.wait_for_function(
        "([chart, sel, n]) => chart.querySelectorAll(sel).length > n", arg=[chart.element_handle(), MARKS, count], timeout=timeout
    )
    return marks(chart)


#: Change the chart's bound inputs one value at a time until what the chart draws changes; return the name
#: of the input (or the value) that changed it, or null. After each change it waits for the SVG to change
#: (a MutationObserver), giving up on that value after ``ms`` milliseconds.
CHANGE_SOME_INPUT = """async ([chart, ms]) => {
    const svg = () => { const s = chart.querySelector('svg'); return s ? s.outerHTML : ''; };
    const before = svg();
    const changed = () => new Promise(resolve => {
        if (svg() !== before) { resolve(true); return; }
        const done = result => { observer.disconnect(); clearTimeout(timer); resolve(result); };
        const observer = new MutationObserver(() => { if (svg() !== before) done(true); });
        observer.observe(chart, {subtree: true, childList: true, attributes: true, characterData: true});
        const timer = setTimeout(() => done(svg() !== before), ms);
    });
    for (const input of chart.querySelectorAll('.vega-bindings select, .vega-bindings input')) {
        if (input.tagName === 'SELECT') {
            for (const option of [...input.options].filter(o => o.value !== input.value)) {
                input.value = option.value; input.dispatchEvent(new Event('change', {bubbles: true}));
                if (await changed()) return input.name || option.value;
            }
        } else if (input.type === 'checkbox' || input.type === 'radio') {
            if (input.type === 'radio' && input.checked) continue;
            input.click();
            if (await changed()) return input.name || input.value;
        } else if (input.type === 'range') {
            input.value = input.value === input.max ? input.min : input.max;
            input.dispatchEvent(new Event('input', {bubbles: true}));
            if (await changed()) return input.name || 'range';
        }
    }
    return null;
}"""


def change_some_input(chart, ms: int = 1_000):
    """Run CHANGE_SOME_INPUT on a chart (see there)."""
    return chart.evaluate("(chart, ms) => (" + CHANGE_SOME_INPUT + ")([chart, ms])", ms)


# ---------------------------------------------------------------------------------------------------
# Reader interactions


def answer_quiz(page) -> list[str]:
    """Answer the first quiz's questions as a reader would: the first choice question right and the next one
    wrong (a click on the option), the first numeric question right and the next one wrong (typed, then
    Enter). Waits for each answer's feedback; returns what was answered and how the quiz marked it."""
    from playwright.sync_api import expect

    done, choices, numbers = [], 0, 0
    questions = page.locator("div[data-numquestions] >> nth=0").locator(":scope > .Quiz")
    for i in range(questions.count()):
        question = questions.nth(i)
        feedback = question.locator(".Feedback")
        if question.locator(".MCButton").count() and choices < 2:
            right = choices == 0
            option = question.locator(f'.MCButton[data-correct="{str(right).lower()}"]').first
            option.scroll_into_view_if_needed()
            option.click()
            choices += 1
        elif question.locator("input.Input-text").count() and numbers < 2:
            field = question.locator("input.Input-text")
            answers = json.loads(field.get_attribute("data-answers") or "[]")
            values = [a["value"] for a in answers if a.get("correct") and "value" in a]
            field.scroll_into_view_if_needed()
            field.fill(str(values[0]) if numbers == 0 and values else "99999")
            field.press("Enter")
            numbers += 1
        else:
            continue
        expect(feedback).to_have_class(re.compile(r"\b(correct|incorrect)\b"))
        done.append(f"question {i + 1}: " + feedback.get_attribute("class").split()[-1])
    return done


def interact(visit: PageVisit) -> list[str]:
    """Do what a reader does on a page: answer quiz questions (right and wrong, choice and numeric), open
    a solution, a folded code cell and a long table (fetched when opened), and change an input of every chart
    that has inputs. Returns a list
    of what was done. Leaves the page settled."""
    page, done = visit.page, []
    done += answer_quiz(page)
    solution = page.locator(".solution.dropdown .toggle-button, details.solution > summary").first
    if solution.count():
        solution.scroll_into_view_if_needed()
        solution.click()
        done.append("solution opened")
    code = page.locator("details.hide > summary").first
    if code.count():
        code.scroll_into_view_if_needed()
        code.click()
        done.append("code cell shown")
    fold = page.locator("details.kap-long-table > summary").first
    if fold.count():
        fold.scroll_into_view_if_needed()
        fold.click()
        page.wait_for_selector("details.kap-long-table[data-kap-loaded] table", state="attached")
        done.append("long table opened")
    for i in range(visit.charts().count()):
        chart = visit.charts().nth(i)
        if chart.locator(INPUTS).count():
            changed_by = change_some_input(chart)
            done.append(f"chart {i}: {changed_by or 'no input changed it'}")
    settle(page)
    return done


def check_page_clean(visit: PageVisit, site_url: str, path: str) -> None:
    """The settled page requested nothing from another host, had no console or page error, and drew every chart,
    each with a useful text alternative; its full-page screenshot goes to SHOTS (looked at by people)."""
    from playwright.sync_api import expect

    assert not visit.foreign_requests(site_url), f"{path} requested other hosts: {visit.foreign_requests(site_url)}"
    assert not visit.errors, f"{path}: {visit.errors}"
    charts = visit.charts()
    expect(charts.locator(".kap-chart-error")).to_have_count(0)
    for i in range(charts.count()):
        chart = visit.chart(i)
        assert marks(chart) > 0, f"chart {i} on {path} drew no marks"
        label = (
            chart.evaluate(
                "e => ((e.matches('[role=graphics-document]') ? e : e.querySelector('[role=graphics-document]')) || e)"
                ".getAttribute('aria-label')"
            )
            or ""
        )
        assert len(label) > 40, f"chart {i} on {path} has no useful text alternative: {label!r}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    visit.page.screenshot(path=str(SHOTS / (path.replace("/", "__").replace(".html", ".png"))), full_page=True)


# ---------------------------------------------------------------------------------------------------
# axe-core

#: The rules run: WCAG 2.0/2.1 A and AA (colour contrast included) and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_source() -> str:
    """axe-core's axe.min.js, as shipped inside the axe-playwright-python package."""
    return (importlib.resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def run_axe(page, tags: list[str] = AXE_TAGS) -> dict:
    """Run axe-core on the page as it is now. Returns its violations in full, and the ids of the rules that
    passed, were incomplete or inapplicable (returning axe's whole result costs seconds per page)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source())
    return page.evaluate(
        """async (tags) => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
        const ids = list => list.map(rule => rule.id);
        return {violations: r.violations, passes: ids(r.passes), incomplete: ids(r.incomplete),
                inapplicable: ids(r.inapplicable), testEngine: r.testEngine};
    }""",
        tags,
    )
