"""Fixtures shared by the browser tests (tests/test_site.py, tests/test_accessibility.py).

- ``chromium``: the path of Debian's Chromium; every browser test is skipped, with the install hint, without it.
- ``browser``: one headless Chromium for the whole session (Playwright).
- ``site_url``: the built site (``_build/html``, or ``$KAP_SITE``) served on 127.0.0.1 with
  ``X-Content-Type-Options: nosniff``; every browser test fails with the same message if it is not built.
- ``built_site``: the built site's folder, for tests that read its files (same message when not built).
- ``open_page``: opens a page of the site (a ``PageVisit``) and closes it after the test.

The helpers behind them (PageVisit, settle, chart_text, row_labels, PAGES, axe) are in browser_helpers.py.

- ``fixture_data``: points the loaders (``$KAP_BOOK_DATA``) at ``tests/fixtures/data/``, a few real rows per table,
  for tests of code rather than of the evidence (so that a correction to ``data/`` never fails a chart test).

Tiers (markers, registered in pyproject.toml; README "Tests"). Every test gets exactly one, from what it uses,
so a new test file lands in the right tier without declaring anything:

- ``browser``: uses Chromium (the ``chromium``/``browser``/``site_url``/``open_page`` fixtures, JupyterLab's ``lab``);
- ``site``: reads the built site's files (``built_site``) without a browser;
- ``execute``: runs a kernel or a Sphinx build (nbval's notebook cells; tests marked ``execute``, or ``slow``);
- ``unit``: everything else: fast, needs neither a build nor a browser (``pytest -m unit``).

A module or test may set its tier itself (``pytestmark = pytest.mark.execute``); a marked tier wins.

Order: the slowest tests run first (LONGEST_FIRST, then the tiers from browser to unit), so that with two xdist
workers neither is left with a long test while the other has nothing to do: ``--dist loadgroup`` hands out a
notebook's cells as one unit, larger units first, then single tests in collection order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import LAUNCH_ARGS, NO_CHROMIUM, NOT_BUILT, SITE, PageVisit, find_chromium

from book.browser import serve

#: The test tiers, most demanding first: a test's tier is the first that its fixtures call for.
TIERS = ("browser", "site", "execute", "unit")
BROWSER_FIXTURES = {"chromium", "browser", "site_url", "open_page", "lab"}
#: Test files whose tests take tens of seconds each, slowest first (JupyterLab runs a chapter per test).
LONGEST_FIRST = (
    "test_grading.py",
    "test_jupyterlab.py",
    "test_chart_text.py",
    "test_accessibility.py",
    "test_scaffolds.py",
    "test_stylesheets.py",
)
#: A few real rows of every table, valid under the same schema (written by tests/fixtures/make_data.py).
FIXTURE_DATA = Path(__file__).resolve().parent / "fixtures" / "data"


def tier_of(item) -> str:
    """The tier a collected test belongs to (see the module docstring)."""
    marked = [t for t in TIERS if item.get_closest_marker(t)]
    if marked:
        return marked[0]
    if item.path.suffix == ".ipynb":  # nbval: one item per notebook cell, run in one kernel per notebook
        return "execute"
    if item.get_closest_marker("slow"):  # the usual name for it: a test that says it is slow is not a unit test
        return "execute"
    names = set(getattr(item, "fixturenames", ()))
    if names & BROWSER_FIXTURES:
        return "browser"
    if "built_site" in names:
        return "site"
    return "unit"


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects and before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        tier = tier_of(item)
        if not item.get_closest_marker(tier):
            item.add_marker(tier)
        # notebooks: one xdist group each (the root conftest.py, loaded for chapters/ alone too)
    items.sort(key=_cost_rank)  # stable: a notebook's cells keep their order


def _cost_rank(item) -> tuple[int, int]:
    """Slowest first (see the module docstring): the LONGEST_FIRST files, then browser, site, execute and unit."""
    name = item.path.name
    first = LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)
    return first, ("browser", "site", "execute", "unit").index(tier_of(item))


@pytest.fixture(scope="module")
def fixture_data():
    """The loaders read ``tests/fixtures/data/`` for the whole module (``$KAP_BOOK_DATA``); module-scoped so that
    module-scoped fixtures that load tables see it too. Use it as ``pytestmark = pytest.mark.usefixtures("fixture_data")``."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KAP_BOOK_DATA", str(FIXTURE_DATA))
        yield FIXTURE_DATA


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
