"""Browser tests of the built site: headless Chromium (Debian's) driven by Playwright.

The site must already be built (``jupyter-book build .``; or point ``KAP_SITE`` at another build). These
tests serve it on 127.0.0.1 (fixtures in conftest.py), open the pages, and check that changing a chart's bound
input changes what it draws, and what readers do with quizzes, folds, filters and search. That every page
requests nothing from another host, has no console or page error and draws every chart with a text alternative
is checked in tests/test_accessibility.py, in the page load its axe runs use (browser_helpers.check_page_clean;
it also takes each page's screenshot, in ``_build/screenshots/``). They wait on conditions (a chart's text, a
count, the page settling: see browser_helpers.settle), never for a fixed time.
"""

from __future__ import annotations

import re

import pytest
from browser_helpers import (
    CHAPTERS,
    PAGES,
    SITE,
    change_some_input,
    chart_text,
    marks,
    page_at_width,
    row_labels,
    run_axe,
    wait_for_chart_text,
    wait_for_marks_above,
)
from playwright.sync_api import expect

from book import DISCLAIMER

NO_MATCH = "No studies match these filters"


@pytest.mark.parametrize("path", CHAPTERS)
def test_every_chart_with_inputs_redraws_when_an_input_changes(open_page, path):
    visit = open_page(path).settle()
    for i in range(visit.charts().count()):
        chart = visit.chart(i)
        if chart.locator(".vega-bindings").count() == 0:
            continue
        assert change_some_input(chart), f"chart {i} on {path}: no input changed what it draws"
    assert not visit.errors, f"{path}: {visit.errors}"


def test_changing_a_bound_input_changes_the_chart(open_page):
    visit = open_page("chapters/cocaine-and-stimulants.html").settle()
    chart = visit.chart(0)
    select = chart.locator(".vega-bindings select").first
    assert select.input_value() == "cocaine"
    before, marks_before = row_labels(chart), marks(chart)
    assert "Dakwar 2019" in before
    select.select_option("alcohol")
    wait_for_chart_text(chart, lacks=("Dakwar 2019",))
    after = row_labels(chart)
    assert after != before and "Dakwar 2019" not in after, "changing the substance did not change the studies drawn"
    select.select_option("all")
    assert wait_for_marks_above(chart, marks_before) > marks_before


def test_solutions_are_folded_until_opened(open_page):
    visit = open_page("chapters/cocaine-and-stimulants.html")
    solutions = visit.page.locator("details.solution, .solution.dropdown")
    assert solutions.count() >= 3
    first = solutions.first
    assert first.get_attribute("open") is None, "a solution is open before the reader asks for it"
    content = first.locator("section").first
    expect(content).to_be_hidden()  # sphinx-togglebutton folds it once the page has loaded
    first.locator(".toggle-button, summary").first.click()
    expect(content).to_be_visible()
    # An answer folded for JupyterLab (book.teaching.folded) shows at once here: the solution's dropdown hid it.
    answers = visit.page.locator(".solution details.kap-folded-answer")
    assert answers.count() >= 3 and all(answers.nth(i).get_attribute("open") is not None for i in range(answers.count()))


def test_a_filter_that_leaves_nothing_says_so(open_page):
    visit = open_page("chapters/cocaine-and-stimulants.html").settle()
    chart = visit.chart(1)  # the effects chart: substance + effect measure
    assert NO_MATCH not in chart_text(chart)
    chart.locator(".vega-bindings input[value=OR]").check()  # cocaine reports no odds ratio
    wait_for_chart_text(chart, contains=(NO_MATCH,))


def test_forest_chart_inputs_change_the_studies_and_the_pooled_estimate(open_page):
    visit = open_page("chapters/comparing-the-evidence.html").settle()
    chart = visit.chart(0)
    chart.locator(".vega-bindings input[value=MD]").check()
    wait_for_chart_text(chart, contains=("Grabski 2022", "Pooled"))
    md = row_labels(chart)
    assert "Grabski 2022" in md and "Pooled" in md, md
    chart.locator(".vega-bindings input[value=HR]").check()
    wait_for_chart_text(chart, contains=("Dakwar 2019",), lacks=("Grabski 2022",))
    hr = row_labels(chart)
    assert "Dakwar 2019" in hr and "Grabski 2022" not in hr and "Pooled" not in hr, hr  # one result: no pooling
    chart.locator(".vega-bindings input[value=MD]").check()
    wait_for_chart_text(chart, contains=("Grabski 2022",))
    chart.locator(".vega-bindings select").select_option("cocaine")
    wait_for_chart_text(chart, contains=(NO_MATCH,))


def test_quiz_works_offline_and_explains_each_answer(open_page, site_url):
    visit = open_page("chapters/cocaine-and-stimulants.html").settle()
    quiz = visit.page.locator(".Quiz").first
    quiz.scroll_into_view_if_needed()
    buttons = visit.page.locator(".MCButton")
    assert buttons.count() >= 10
    buttons.filter(has_text="A midazolam infusion").first.click()
    # the feedback of that question (the page has other quizzes above the chapter's: the appraisal practice)
    feedback = visit.page.locator("div[data-numquestions] > .Quiz", has_text="A midazolam infusion").first.locator(".Feedback")
    expect(feedback).to_contain_text("active control")
    expect(feedback).to_have_class("Feedback correct")
    assert not visit.foreign_requests(site_url) and not visit.errors


def test_search_finds_a_term_from_a_chapter(open_page):
    visit = open_page("search.html?q=midazolam")
    results = visit.page.locator("#search-results li")
    expect(results.filter(has_text="Cocaine and other stimulants")).not_to_have_count(0, timeout=15_000)


def test_search_results_summarise_the_text_around_the_word_searched(open_page):
    """Each result's summary is the page's text around the word, not the article header's buttons ("...Binder") nor the
    page's contents list (book/site/static/kap-search.js, book/site/offline.py without_print_contents), nor a chapter's
    table of minutes ("...22 Safety in these studies 3 0") or a code cell ("...from book.widgets import ..."). "safety"
    is a word Sphinx stems ("safeti"), which its own summaries looked for and did not find."""
    visit = open_page("search.html?q=safety")
    summaries = visit.page.locator("#search-results li p.context")
    expect(summaries).not_to_have_count(0, timeout=15_000)
    safety = visit.page.locator('#search-results li:has(> a[href^="chapters/safety.html"]) > p.context').first
    expect(safety).to_contain_text("safety", ignore_case=True, timeout=15_000)
    expect(visit.page.locator(".search-summary")).to_contain_text("Search finished", timeout=15_000)
    texts = summaries.all_inner_texts()
    assert not [t for t in texts if "Binder" in t or "Colab" in t], texts
    assert not [t for t in texts if re.search(r"Safety in these studies \d", t) or "import " in t], texts


@pytest.mark.parametrize("path", ["index.html", "chapters/safety.html"])
def test_on_a_phone_the_visible_sidebar_buttons_open_the_navigation_and_the_contents(browser, site_url, path):
    """At 390 px the header band's sidebar buttons, the ones the theme binds, are hidden; the article header's are shown.
    They must open the site navigation and the page's contents (they did nothing: book/site/static/kap-book.js)."""
    with page_at_width(browser, site_url + path, 390) as page:
        for side in ("primary", "secondary"):
            button = page.locator(f".{side}-toggle:visible")
            if side == "secondary" and button.count() == 0:  # a page without contents of its own
                continue
            button.first.click()
            modal = f"#pst-{side}-sidebar-modal"
            page.wait_for_function(f"document.querySelector('{modal}').open", timeout=5_000)
            page.keyboard.press("Escape")
            page.wait_for_function(f"!document.querySelector('{modal}').open", timeout=5_000)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_search_fields_icon_does_not_cover_what_is_typed(browser, site_url, width):
    """The search page's field and the search dialog's: the magnifier sits before the text, not on it. (The theme places
    its icon over the field when Font Awesome's script has not made it an SVG; the book draws icons with the web fonts.)"""
    covered = []
    # The search page's own field; then the dialog, opened as a reader opens it from a page (on the search page the
    # button goes to the page's field instead).
    for path, field in (("search.html?q=dissociation", "form.bd-search:not(dialog *)"), ("index.html", "dialog form")):
        with page_at_width(browser, site_url + path, width) as page:
            if path == "index.html":
                page.locator(".search-button__button:visible").first.click()
                page.wait_for_function("document.querySelector('#pst-search-dialog').open", timeout=5_000)
            box = page.evaluate(
                """selector => {
                    const form = document.querySelector(selector);
                    const icon = form.querySelector('i.fa-magnifying-glass').getBoundingClientRect();
                    const input = form.querySelector('input[name=q]');
                    const textStart = input.getBoundingClientRect().left + parseFloat(getComputedStyle(input).paddingLeft);
                    return {iconRight: icon.right, textStart};
                }""",
                field,
            )
            if box["iconRight"] > box["textStart"]:
                covered.append((path, box))
    assert not covered, f"the magnifier covers the start of the search text: {covered}"


def test_on_a_wide_screen_the_visible_sidebar_button_hides_and_shows_the_navigation(browser, site_url):
    """At 1280 px the sidebar button a reader sees is the article header's, not the one the theme binds (hidden in the
    header band): its clicks are passed on (book/site/static/kap-book.js), once each, so the navigation hides, then shows."""
    with page_at_width(browser, site_url + "chapters/safety.html", 1280, 800) as page:
        sidebar = page.locator(".bd-sidebar-primary")
        button = page.locator(".primary-toggle:visible")
        expect(button).to_have_count(1)
        for hidden in (True, False):  # a click handled twice would leave it as it was
            button.click()
            expect(sidebar).to_be_visible(visible=not hidden, timeout=5_000)


def test_on_a_wide_screen_the_search_box_is_in_view_on_every_chapter(browser, site_url):
    """At 1280 px the sidebar holds the page's only search box (the header band is gone, issue 25.4). The theme scrolls
    the sidebar to the page's own entry, which took the box out of view on pages lower in the table of contents; it
    stays at the top of the sidebar (kap-book.css), in view and not covered by the entries scrolled under it."""
    out_of_view = []
    for path in [c for c in CHAPTERS if c.startswith("chapters/")]:
        with page_at_width(browser, site_url + path, 1280, 800) as page:
            page.wait_for_function("document.querySelector('.bd-sidebar-primary .bd-sidenav .current')", timeout=10_000)
            where = page.evaluate(
                """() => {
                    const field = document.querySelector('.bd-sidebar-primary .search-button-field');
                    const box = field.getBoundingClientRect();
                    const middle = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
                    return {top: box.top, bottom: box.bottom, height: innerHeight, onTop: field.contains(middle),
                            scrolled: document.querySelector('.bd-sidebar-primary').scrollTop};
                }"""
            )
            if not (0 <= where["top"] and where["bottom"] <= where["height"] and where["onTop"]):
                out_of_view.append((path, where))
    assert not out_of_view, f"the sidebar's search box is out of view or covered: {out_of_view}"


def test_search_from_a_chapter_page_reaches_the_results(open_page):
    """Chapter pages no longer load the search index themselves; the search box must still work."""
    visit = open_page("chapters/about-the-evidence.html")
    field = visit.page.locator("#pst-search-dialog input[name=q]")
    button = visit.page.locator(".search-button__button:visible").first
    # Open the search dialog as a reader would: the search button in the page. The theme attaches its handler
    # when its script runs, so a click that comes too early does nothing: click again until the dialog opens.
    expect(button).to_be_visible()
    for attempt in range(3):
        button.click()
        try:
            expect(field).to_be_visible(timeout=5_000)
            break
        except AssertionError:
            if attempt == 2:
                raise
    field.fill("midazolam")
    field.press("Enter")
    visit.page.wait_for_url("**/search.html?q=midazolam*")
    results = visit.page.locator("#search-results li")
    expect(results.filter(has_text="Cocaine and other stimulants")).not_to_have_count(0, timeout=15_000)


@pytest.mark.parametrize("path", CHAPTERS)
def test_every_chapter_has_launch_and_download_buttons(open_page, path):
    visit = open_page(path)
    html = visit.page.content()
    for target in ("mybinder.org", "colab.research.google.com", ".ipynb"):
        assert target in html, f"{path}: no {target} button"


def test_long_tables_open_in_place_whole_and_on_a_page_of_their_own(open_page, site_url):
    """The safety chapter's long tables are folded (book/site/deferred.py): each opens into the whole table, the same
    rows as its file, and its own page (the fold's link, for a page that cannot fetch) is readable and accessible."""
    visit = open_page("chapters/safety.html").settle()
    folds = visit.page.locator("details.kap-long-table")
    assert folds.count() >= 3, "the safety chapter's long tables are no longer folded"
    for i in range(folds.count()):
        fold = folds.nth(i)
        fold.locator("summary").click()
        expect(fold).to_have_attribute("data-kap-loaded", "")
        href = fold.get_attribute("data-kap-table")
        source = (SITE / "chapters" / href).read_text(encoding="utf-8")
        assert fold.locator("tbody tr").count() == source.count("<tr") - 1 > 10, f"fold {i}: rows differ from {href}"
    assert not visit.errors, visit.errors
    own = open_page("chapters/" + folds.first.get_attribute("data-kap-table")).settle()
    assert DISCLAIMER in own.page.inner_text("body") and own.page.locator("table tbody tr").count() > 10
    assert not run_axe(own.page)["violations"]
    own.page.get_by_role("link", name="Back to the chapter").click()
    expect(own.page).to_have_url(site_url + "chapters/safety.html")


def test_a_chart_or_quiz_far_below_loads_only_as_the_reader_comes_near(open_page, site_url):
    """After the first chart, a chart or a long quiz is drawn (and its data, spec or questions fetched) only when it
    comes within a screen's height of the window (issue 25: a reader who never scrolls to it never downloads it)."""
    visit = open_page("chapters/safety.html")
    page = visit.page
    page.wait_for_function("document.documentElement.getAttribute('data-kap-scripts') === 'loaded'")
    page.wait_for_load_state("networkidle")
    last_chart = page.locator(".kap-chart").last
    spec_url = page.locator(f'script[data-kap-chart="{last_chart.get_attribute("id")}"]').get_attribute("data-kap-src")
    last_quiz = page.locator("div[data-numquestions]").last
    assert last_chart.get_attribute("data-kap-drawn") is None and spec_url
    assert not any(url.endswith(spec_url.split("/")[-1]) for url in visit.requests)
    assert last_quiz.locator(".Quiz").count() == 0
    last_chart.scroll_into_view_if_needed()
    expect(last_chart).to_have_attribute("data-kap-drawn", "")
    assert any(url.endswith(spec_url.split("/")[-1]) for url in visit.requests)
    last_quiz.scroll_into_view_if_needed()
    expect(last_quiz.locator(".Quiz").first).to_be_attached()
    assert not visit.errors and not visit.foreign_requests(site_url)


#: Dispatches beforeprint as a browser's print does, and reports (in the next task) the quizzes shown then, and (a
#: little later) the charts drawn.
_PRINT = """() => new Promise(resolve => setTimeout(() => {
    const quizzes = () => [...document.querySelectorAll('div[data-numquestions]')].filter(q => !q.querySelector('.Quiz')).length;
    const charts = () => [...document.querySelectorAll('.kap-chart')].filter(c => !c.hasAttribute('data-kap-drawn')).length;
    const before = {charts: charts(), quizzes: quizzes()};
    window.dispatchEvent(new Event('beforeprint'));
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
        const printed = {quizzes: quizzes()};
        setTimeout(() => resolve({before, printed, soon: {charts: charts(), quizzes: quizzes()}}), 1500);
    };
    channel.port2.postMessage(0);
}, 0))"""


def test_a_browsers_print_draws_the_charts_and_quizzes_left(open_page):
    """A browser's own print: the charts and quizzes not drawn yet (a page draws each as it comes near the window) are
    drawn at once, and say so on paper until they are."""
    visit = open_page("chapters/safety.html")
    visit.page.wait_for_function("document.documentElement.getAttribute('data-kap-scripts') === 'loaded'")
    visit.page.wait_for_load_state("networkidle")
    result = visit.page.evaluate(_PRINT)
    assert result["before"]["charts"] > 0 and result["before"]["quizzes"] > 0, result
    assert result["soon"]["charts"] == 0 and result["soon"]["quizzes"] == 0, result
    print_css = (SITE / "_static" / "kap-print.css").read_text(encoding="utf-8")
    assert "div.kap-chart:not([data-kap-drawn])" in print_css and "The table next to it holds the same data" in print_css
    assert "div[data-numquestions]:not(:has(.Quiz))" in print_css


#: Each data table's caption and box, checked before and after its rows are scrolled to their end: the caption's text
#: must lie within the box the reader sees the table through (the table, or the box that scrolls it, and the screen),
#: and the table must not be narrower than its rows or its parent allow (inline-size containment can shrink a table
#: in a shrink-to-fit parent to nothing).
_CAPTIONS_OUT_OF_VIEW = """async path => {
    const out = [];
    const scroller = el => {
        for (let a = el; a && a !== document.body; a = a.parentElement) {
            const overflow = getComputedStyle(a).overflowX;
            if (overflow === 'auto' || overflow === 'scroll') return a;
        }
        return el;
    };
    const check = when => document.querySelectorAll('table.book-table').forEach(table => {
        const caption = table.querySelector('caption');
        if (!caption || !caption.textContent.trim() || !table.getClientRects().length) return;
        const box = scroller(table), view = box.getBoundingClientRect();
        const left = Math.max(view.left, 0), right = Math.min(view.right, document.documentElement.clientWidth);
        const range = document.createRange();
        range.selectNodeContents(caption);
        const past = [...range.getClientRects()].filter(r => r.width && (r.left < left - 1 || r.right > right + 1));
        if (past.length) out.push([path, table.id, when, 'caption past the view', Math.round(past[0].right), Math.round(right)]);
        const parent = table.parentElement.clientWidth, width = table.getBoundingClientRect().width;
        if (width < Math.min(table.scrollWidth, parent) - 1) out.push([path, table.id, when, 'table shrunk', width, parent]);
    });
    check('as loaded');
    document.querySelectorAll('table.book-table').forEach(table => {
        const box = scroller(table);
        box.scrollLeft = box.scrollWidth;
    });
    await new Promise(requestAnimationFrame);
    check('rows scrolled to the end');
    return out;
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_every_data_tables_caption_is_within_the_width_a_reader_sees(browser, site_url, width):
    """A data table wider than the column scrolls sideways; its caption wraps to the width in view and stays there
    while the rows scroll (kap-book.css). At 390 px every caption ran on past the screen's edge, cut mid-sentence until
    scrolled. Every page with a data table, the standalone pages of long tables too (hence not PAGES), with every
    fold opened."""
    pages = sorted(str(p.relative_to(SITE)) for p in SITE.rglob("*.html") if "book-table" in p.read_text(encoding="utf-8"))
    assert pages, "no page of the site has a data table"
    out_of_view = []
    context = browser.new_context(viewport={"width": width, "height": 844})
    try:
        page = context.new_page()
        for path in pages:  # the captions are in the HTML as built: each page once it has loaded, its folds opened
            page.goto(site_url + path, wait_until="load")
            page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
            page.wait_for_load_state("networkidle")
            out_of_view += page.evaluate(_CAPTIONS_OUT_OF_VIEW, path)
    finally:
        context.close()
    assert not out_of_view, f"captions out of view or tables shrunk (page, table, when, what, px, px): {out_of_view}"


#: Text of a page that runs past the screen's edges, once every chart and quiz has drawn, but for what scrolls sideways
#: in its own box by design (a wide table, code) and the text of the charts' SVG (tested chart by chart in
#: test_chart_text.py; their inputs' labels are checked here).
_TEXT_PAST_THE_EDGES = """() => {
    const width = document.documentElement.clientWidth, past = [];
    const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode());) {
        const el = node.parentElement;
        // A wide table or code scrolls sideways in its own box; a chart's text is tested chart by chart.
        if (!node.data.trim() || !el || el.closest('table, pre, svg, mjx-container, dialog:not([open])')) continue;
        if (getComputedStyle(el).visibility === 'hidden') continue;  // the off-canvas sidebars, until opened
        const range = document.createRange();
        range.selectNodeContents(node);
        const rect = [...range.getClientRects()].find(r => r.width && (r.right > width + 1 || r.left < -1));
        if (rect) past.push([el.className || el.tagName, Math.round(rect.left), Math.round(rect.right),
                             node.data.trim().slice(0, 50)]);
    }
    return past;
}"""


def test_on_a_phone_no_text_runs_past_the_screens_edges(browser, site_url):
    """At 390 px, with every chart and quiz drawn, no text of a page runs past the screen's edges (a quiz question's
    DOI and the next chapter's title in the previous/next links did: kap-book.css)."""
    from book.paper.browser import settle

    past = {}
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        for path in PAGES:
            page = context.new_page()
            page.goto(site_url + path, wait_until="load")
            settle(page, 30_000)
            if found := page.evaluate(_TEXT_PAST_THE_EDGES):
                past[path] = found
            page.close()
    finally:
        context.close()
    assert not past, f"text past the screen's edges at 390 px (element, left, right, text): {past}"
