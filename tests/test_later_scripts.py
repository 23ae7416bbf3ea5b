"""On a chart page the deferred scripts run once the first chart has drawn (book/site/later_scripts.py, issue 25)."""

import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from book.site.later_scripts import (
    HELD_TYPE,
    LOADER,
    NEAR,
    PENDING_CLASS,
    chart_library,
    compact,
    has_chart,
    scripts_later,
)
from book.site.offline import CHART_SCRIPT

HEAD = (
    '<script src="../_static/documentation_options.js?v=1"></script>\n'
    '<script defer="defer" src="../_static/doctools.js?v=2"></script>\n'
    "<script>let toggleHintShow = 'Click to show';</script>\n"
    '<script defer="defer" src="../_static/togglebutton.js?v=3"></script>\n'
    '<script async="async" fetchpriority="high" src="../_static/kap-vendor/kap-charts.js?v=4"></script>\n'
)
BODY_END = (
    '  <script defer src="../_static/scripts/bootstrap.js?digest=5"></script>\n'
    '<script defer src="../_static/scripts/pydata-sphinx-theme.js?digest=5"></script>\n'
)
PRELOAD = (
    '<link rel="stylesheet" href="a.css" />\n'
    '  <link rel="preload" as="script" href="../_static/scripts/bootstrap.js?digest=5" />\n'
)


def test_a_chart_pages_deferred_scripts_are_held_in_order_and_loaded_by_the_loader():
    head = str(scripts_later(HEAD, True, loader=True))
    assert head.startswith(f"<script>{compact(LOADER)}</script>\n")
    assert "<script defer" not in head
    held = re.findall(rf'<script type="{HELD_TYPE}" data-src="([^"]+)"></script>', head)
    assert held == ["../_static/doctools.js?v=2", "../_static/togglebutton.js?v=3"]
    # inline, synchronous and async scripts stay as they were
    assert "<script>let toggleHintShow" in head and '<script src="../_static/documentation_options.js?v=1">' in head
    assert '<script async="async" fetchpriority="high" src="../_static/kap-vendor/kap-charts.js?v=4">' in head
    quiz = str(scripts_later('<script defer="defer" src="../_static/kap-vendor/jupyterquiz.js?v=1"></script>', True))
    near = NEAR["kap-vendor/jupyterquiz.js"]
    assert quiz == (
        f'<script type="{HELD_TYPE}" data-src="../_static/kap-vendor/jupyterquiz.js?v=1" data-kap-near="{near}"></script>'
    )
    end = str(scripts_later(BODY_END, True))
    assert LOADER not in end and end.count(f'type="{HELD_TYPE}"') == 2 and "<script defer" not in end
    css = str(scripts_later(PRELOAD, True, expect=False))
    assert "preload" not in css and 'href="a.css"' in css


def test_other_pages_keep_defer_and_a_theme_upgrade_warns():
    assert str(scripts_later(HEAD, False, loader=True)) == HEAD
    assert str(scripts_later(PRELOAD, False)) == PRELOAD
    warned = []
    scripts_later("<meta/>", True, where="chapters/x", warn=lambda what, where: warned.append(where))
    scripts_later("<meta/>", True, expect=False, where="chapters/y", warn=lambda what, where: warned.append(where))
    assert warned == ["chapters/x"]


def test_the_loader_is_written_without_comments_or_indentation():
    assert "/*" not in compact(LOADER) and "\n " not in compact(LOADER) and len(compact(LOADER)) < 0.8 * len(LOADER)
    assert compact(LOADER).count("\n") > 20  # its lines kept: no statement depends on a newline removed


def test_the_loader_waits_for_the_first_chart_the_load_event_and_print():
    assert f'classList.add("{PENDING_CLASS}")' in LOADER and f'classList.remove("{PENDING_CLASS}")' in LOADER
    needed_parts = ('"kap:first-chart"', '"load"', '"beforeprint"', "async = false", 'setAttribute("data-kap-scripts", "loaded")')
    for needed in (*needed_parts, 'document.readyState === "loading"'):
        assert needed in LOADER, needed


def test_a_chart_page_is_one_that_loads_the_chart_library():
    files = [SimpleNamespace(filename="_static/doctools.js"), SimpleNamespace(filename=f"_static/kap-vendor/{CHART_SCRIPT}?v=1")]
    assert has_chart(files, CHART_SCRIPT) and not has_chart(files[:1], CHART_SCRIPT)
    assert chart_library(files, CHART_SCRIPT) is files[1] and chart_library(files[:1], CHART_SCRIPT) is None


def test_built_chart_pages_hold_their_deferred_scripts_and_others_keep_defer(built_site):
    chart_pages = 0
    for page in sorted(built_site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if "kap-vendor/kap-charts.js" in html:
            chart_pages += 1
            loader = compact(LOADER)
            library = re.search(r'<script src="[^"]*kap-vendor/kap-charts\.js', html)  # what dispatches the first chart's event
            assert html.count(loader) == 1 and html.index(loader) < library.start(), page.name
            assert not re.search(r"<script\s+defer", html), page.name
            preloads = re.findall(r'<link rel="preload" as="script"[^>]*>', html)
            assert len(preloads) == 1 and "kap-vendor/kap-charts.js" in preloads[0], page.name  # the library's only
            held = re.findall(rf'<script type="{HELD_TYPE}" data-src="([^"]+)"', html)
            assert any("bootstrap.js" in s for s in held) and any("kap-book.js" in s for s in held), page.name
        else:
            assert compact(LOADER) not in html and HELD_TYPE not in html, page.name
    assert chart_pages >= 11


#: In a settled page: when the first chart drew, and when each held script was requested (resource timing).
_TIMES = """() => {
    const drawn = performance.getEntriesByType('mark').find(m => m.name.startsWith('kap-chart-drawn:'));
    const held = [...document.querySelectorAll('script[type="text/x-kap-later"]')]
        .map(s => new URL(s.dataset.src, location).href);
    const fetched = performance.getEntriesByType('resource').filter(r => held.includes(r.name)).map(r => r.startTime);
    return {drawn: drawn ? drawn.startTime : null, held: held.length, fetched,
            loaded: document.documentElement.getAttribute('data-kap-scripts')};
}"""


def test_the_held_scripts_load_after_the_first_chart_and_the_page_works(open_page, site_url):
    visit = open_page("chapters/opioids.html").settle()
    times = visit.page.evaluate(_TIMES)
    assert times["loaded"] == "loaded" and times["held"] >= 8
    assert not visit.page.evaluate(f"() => document.documentElement.classList.contains('{PENDING_CLASS}')")
    assert len(times["fetched"]) == times["held"]
    assert min(times["fetched"]) >= times["drawn"], times
    # what they do: the theme (its scripts mark the page), the toggle buttons, the quizzes, the book's folds
    page = visit.page
    assert page.evaluate("() => typeof window.bootstrap === 'object' && typeof window.kapTables === 'object'")
    assert page.locator("button.toggle-button").count() > 0
    assert page.locator("div[data-numquestions] .Quiz").count() > 0
    assert not visit.errors and not visit.foreign_requests(site_url)


@pytest.mark.parametrize("path", ["chapters/alcohol.html", "chapters/safety.html"])
def test_on_a_slow_phone_every_held_script_loads_and_the_theme_works(browser, site_url, path):
    """With the CPU slowed 4x at 390 px, a chart page draws its first chart before the parser reaches the end of the body,
    where the theme's Bootstrap and pydata scripts are held; they must load all the same (they did not: the theme's
    buttons did nothing on every chart chapter), and the colour-mode switch must work."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
        requested, errors = [], []
        page.on("request", lambda r: requested.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(site_url + path, wait_until="load")
        page.wait_for_function("document.documentElement.getAttribute('data-kap-scripts') === 'loaded'", timeout=30_000)
        held = page.evaluate(
            'type => [...document.querySelectorAll(`script[type="${type}"]:not([data-kap-near])`)]'
            ".map(s => new URL(s.dataset.src, location.href).href)",
            HELD_TYPE,
        )
        assert any("pydata-sphinx-theme" in url for url in held)
        assert not [url for url in held if url not in requested], "held scripts never loaded"
        before = page.evaluate("document.documentElement.dataset.mode")
        page.locator(".theme-switch-button").first.click()
        assert page.evaluate("document.documentElement.dataset.mode") != before, "the colour-mode switch did nothing"
        assert not errors
    finally:
        context.close()


def test_without_the_chart_library_the_held_scripts_still_load(browser, site_url):
    context = browser.new_context()
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route("**/kap-vendor/kap-charts.js*", lambda route: route.abort())
        page.goto(site_url + "chapters/opioids.html", wait_until="load")
        page.wait_for_function("document.documentElement.getAttribute('data-kap-scripts') === 'loaded'", timeout=10_000)
        page.locator("div[data-numquestions]").first.scroll_into_view_if_needed()  # a quiz loads as it comes near
        page.wait_for_function("document.querySelectorAll('div[data-numquestions] .Quiz').length > 0", timeout=10_000)
        assert page.evaluate("() => typeof window.kapTables === 'object'") and not errors
    finally:
        context.close()


def test_the_stylesheet_lays_out_the_same_sections_the_loader_anchors_on():
    from book.paths import ROOT
    from book.site.later_scripts import SECTIONS

    css = (ROOT / "book" / "site" / "static" / "kap-book.css").read_text(encoding="utf-8")
    rule = re.search(rf"html\.{PENDING_CLASS} ([^{{]+)\{{([^}}]*)\}}", css)
    assert rule and rule.group(1).strip() == SECTIONS and "content-visibility: auto" in rule.group(2)


def test_a_reader_who_scrolls_before_the_first_chart_keeps_their_place(browser, site_url):
    """Sections are laid out whole only once the first chart has drawn: a reader who has scrolled down by then (a slow
    network: here the first chart's spec comes 1 s late) sees the same text at the top of the window afterwards. (Not
    the library late: it runs just after the first chart and holds up the parser, so the text below it, the heading
    scrolled to, is there only once it has run; with it late, the chart sometimes drew before the reader scrolled.)"""
    import time

    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        try:
            page = context.new_page()
            page.route("**/_static/kap-specs/*", lambda route: (time.sleep(1.0), route.continue_()))
            page.goto(site_url + "chapters/safety.html", wait_until="domcontentloaded")
            before = page.evaluate(
                """() => {
                    const heading = document.querySelector('#references h2');
                    heading.scrollIntoView({behavior: 'instant'});
                    return [document.documentElement.className, heading.getBoundingClientRect().top];
                }"""
            )
            assert PENDING_CLASS in before[0]
            page.wait_for_function("document.documentElement.getAttribute('data-kap-scripts') === 'loaded'", timeout=15_000)
            after = page.evaluate("() => document.querySelector('#references h2').getBoundingClientRect().top")
            assert abs(after - before[1]) <= 2, (width, before, after)
        finally:
            context.close()


def test_a_page_opened_at_an_anchor_shows_it(open_page):
    visit = open_page("chapters/safety.html#key-points").settle()
    assert not visit.page.evaluate(f"() => document.documentElement.classList.contains('{PENDING_CLASS}')")
    top = visit.page.evaluate("() => document.querySelector('#key-points h2').getBoundingClientRect().top")
    assert 0 <= top <= 150, top


def test_the_first_charts_preloaded_files_are_fetched_once(open_page):
    visit = open_page("chapters/clinical-practice.html").settle()
    preloaded = visit.page.evaluate("() => [...document.querySelectorAll('link[rel=preload][as=fetch]')].map(l => l.href)")
    assert preloaded
    for url in preloaded:
        assert visit.requests.count(url) == 1, (url, visit.requests.count(url))


def test_the_first_charts_files_read_from_the_head_are_used_and_a_failed_read_says_so(browser, site_url):
    """The first chart takes its files from window.kapEarly (read from the page head, book/site/deferred.py); when one
    cannot be read, the chart says its data did not load and points to its table, with no unhandled error."""
    context = browser.new_context()
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(site_url + "chapters/safety.html", wait_until="load")
        page.wait_for_function("document.documentElement.getAttribute('data-kap-scripts') === 'loaded'")
        assert page.evaluate("Object.keys(window.kapEarly).length") == 0  # each taken by the first chart
        assert page.locator(".kap-chart").first.get_attribute("data-kap-drawn") is not None
        failing = context.new_page()
        failing.on("pageerror", lambda e: errors.append(str(e)))
        failing.route("**/_static/kap-data/**", lambda route: route.fulfill(status=404, body="missing"))
        failing.goto(site_url + "chapters/safety.html", wait_until="load")
        expect(failing.locator(".kap-chart").first.locator(".kap-chart-error")).to_contain_text("its data did not load (404)")
        assert not errors
    finally:
        context.close()


def test_the_quiz_and_check_scripts_load_as_a_quiz_or_check_comes_near(open_page, site_url):
    """jupyterquiz and kap-check.js serve the quizzes and exercise checks that close a chapter: on a chart page they load
    only when one comes within a screen's height of the window."""
    visit = open_page("chapters/safety.html")
    page = visit.page
    page.wait_for_function("document.documentElement.getAttribute('data-kap-scripts') === 'loaded'")
    page.wait_for_load_state("networkidle")
    assert not any("jupyterquiz.js" in url or "kap-check.js" in url for url in visit.requests)
    page.locator("div[data-numquestions]").first.scroll_into_view_if_needed()
    expect(page.locator("div[data-numquestions] .Quiz").first).to_be_attached()
    assert any("jupyterquiz.js" in url for url in visit.requests)
    page.locator(".kap-check-output").first.scroll_into_view_if_needed()
    page.wait_for_function("document.documentElement.getAttribute('data-kap-near-scripts') === 'loaded'")
    assert any("kap-check.js" in url for url in visit.requests)
    assert not visit.errors and not visit.foreign_requests(site_url)


def test_the_preloaded_icon_fonts_are_the_ones_the_page_draws_with(open_page, browser, site_url):
    """The header's icon fonts are preloaded (book/site/icon_fonts.py): each is fetched once, and the page uses it, at
    the desktop and the phone width (a preload the page does not use is a wasted download). The page asks for one
    stylesheet (the print styles are in it) and not for documentation_options.js (written into the page)."""
    for path in ("index.html", "chapters/safety.html", "search.html"):
        for width in (1280, 390):
            context = browser.new_context(viewport={"width": width, "height": 800})
            try:
                page = context.new_page()
                requests = []
                page.on("request", lambda r, seen=requests: seen.append(r.url))
                page.goto(site_url + path, wait_until="load")
                preloaded = page.evaluate("[...document.querySelectorAll('link[rel=preload][as=font]')].map(l => l.href)")
                assert len(preloaded) == 2, (path, preloaded)
                page.wait_for_function("document.fonts.status === 'loaded'")
                used = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
                assert sorted(used) == ["Font Awesome 6 Brands", "Font Awesome 6 Free"], (path, width, used)
                for url in preloaded:
                    assert requests.count(url) == 1, (path, url, requests.count(url))
                stylesheets = [url for url in requests if ".css" in url]
                assert len(stylesheets) == 1 and "kap-site.css" in stylesheets[0], (path, stylesheets)
                assert not [url for url in requests if "documentation_options.js" in url], (path, requests)
            finally:
                context.close()
