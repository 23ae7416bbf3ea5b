"""Fixtures shared by the browser tests (tests/test_site.py, tests/test_accessibility.py).

- ``chromium``: the path of Debian's Chromium; every browser test is skipped, with the install hint, without it.
- ``browser``: one headless Chromium for the whole session (Playwright).
- ``site_url``: the built site (``_build/html``, or ``$KAP_SITE``) served on 127.0.0.1 with
  ``X-Content-Type-Options: nosniff``; every browser test fails with the same message if it is not built.
- ``built_site``: the built site's folder, for tests that read its files (same message when not built).
- ``open_page``: opens a page of the site (a ``PageVisit``) and closes it after the test.

The helpers behind them (PageVisit, settle, chart_text, row_labels, PAGES, axe) are in browser_helpers.py.
"""

from __future__ import annotations

import pytest
from browser_helpers import LAUNCH_ARGS, NO_CHROMIUM, NOT_BUILT, SITE, PageVisit, find_chromium

from book.browser import serve


@pytest.fixture(scope="session")
def chromium() -> str:
    executable = find_chromium()
    if executable is None:
        pytest.skip(NO_CHROMIUM)
    return executable


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def built_site():
    """The built site's folder (``_build/html`` or ``$KAP_SITE``), for tests that read it without a browser;
    fails with the same message as the browser tests when it is not built."""
    if not (SITE / "index.html").is_file():
        pytest.fail(NOT_BUILT, pytrace=False)
    return SITE


@pytest.fixture(scope="session")
def site_url(chromium):
    """The site's root URL. Asks for ``chromium`` first so that, without a browser, every browser test is
    skipped the same way whatever the order of its fixtures (rather than failing on a missing build)."""
    if not (SITE / "index.html").is_file():
        pytest.fail(NOT_BUILT, pytrace=False)
    with serve(SITE) as url:
        yield url


@pytest.fixture
def open_page(browser, site_url):
    """``open_page(path, dark=False)`` opens ``site_url + path`` in a fresh context; closed after the test."""
    visits = []

    def _open(path: str, *, dark: bool = False) -> PageVisit:
        visit = PageVisit(browser, site_url + path, dark=dark)
        visits.append(visit)
        return visit

    yield _open
    for visit in visits:
        visit.close()
