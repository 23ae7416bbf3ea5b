"""Whitespace between tags (book/site/compact.py), and the chapter pages' own weight (issue 25's budget)."""

from __future__ import annotations

import pytest

from book.site.compact import compact_markup

#: Issue 25's budget for a chapter page's own HTML (the benchmark's "own KB", benchmarks/site.py).
OWN_BYTES_BUDGET = 200 * 1024


def test_whitespace_between_tags_becomes_one_character():
    html = "<div>\n        <p>Text  with   spaces</p>\n\n    <span>a</span>   <span>b</span></div>"
    assert compact_markup(html) == "<div>\n<p>Text  with   spaces</p>\n<span>a</span> <span>b</span></div>"


@pytest.mark.parametrize("element", ["pre", "script", "style", "textarea", "PRE"])
def test_whitespace_that_is_content_stays(element):
    inner = "<b>x</b>\n\n    <i>y</i>"
    html = f"<div>\n   <{element} class='k'>{inner}</{element}>\n   </div>"
    assert compact_markup(html) == f"<div>\n<{element} class='k'>{inner}</{element}>\n</div>"


def test_text_and_whitespace_inside_tags_are_not_touched():
    html = '<a class="left-prev"\n       href="x.html">  two  spaces  </a>'
    assert compact_markup(html) == html


def test_compacting_twice_changes_nothing():
    html = "<ul>\n   <li>one</li>\n   <li>two</li>\n</ul>\n<pre>  keep\n   this</pre>"
    once = compact_markup(html)
    assert compact_markup(once) == once


def test_built_pages_carry_no_whitespace_runs_between_tags(built_site):
    page = (built_site / "chapters" / "safety.html").read_text(encoding="utf-8")
    assert compact_markup(page) == page, "the build did not compact the pages (book.site.offline._compact_pages)"


def test_each_chapter_page_is_within_its_own_bytes_budget(built_site):
    """The page's own HTML, what a reader's cache cannot share between pages (issue 25: at most 200 KB)."""
    sizes = {p.name: p.stat().st_size for p in (built_site / "chapters").glob("*.html")}
    over = {name: f"{size / 1024:.1f} KB" for name, size in sizes.items() if size > OWN_BYTES_BUDGET}
    assert sizes and not over, (
        f"chapter pages over {OWN_BYTES_BUDGET // 1024} KB of their own HTML: {over}. Move what a reader does not need "
        "at once into a file fetched later (book/site/deferred.py), or shorten the page"
    )
