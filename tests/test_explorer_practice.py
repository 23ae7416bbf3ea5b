"""Explorer-driven practice on the built site (issue 23.4, browser tier): a reader sets a chart's inputs, reads the
chart, answers the practice item under it (jupyterquiz, no kernel) and sees "correct" feedback; the number read off
the chart equals the key computed from data/ (book.teaching.practice)."""

from __future__ import annotations

import warnings

from browser_helpers import row_labels, wait_for_chart_text
from playwright.sync_api import expect

from book.teaching.practice import answer
from book.teaching.practice_items import ITEMS


def _item(label):
    return next(p for p in ITEMS if p.label == label)


def _chart_titled(visit, title):
    chart = visit.charts().filter(has_text=title).first
    chart.locator("svg .role-mark").first.wait_for(state="attached", timeout=10_000)
    return chart


def _rows(chart):
    """The chart's row labels (its y axis), without the x axis's numbers."""
    return [r for r in row_labels(chart).split(" | ") if r.strip() and not r.strip().isdigit()]


def _answer_item(visit, question_start, typed):
    quiz = visit.page.locator("div[data-numquestions] > .Quiz", has_text=question_start).first
    quiz.scroll_into_view_if_needed()
    box = quiz.locator("input.Input-text")
    box.fill(str(typed))
    box.press("Enter")
    return quiz.locator(".Feedback")


def test_overview_question_is_answered_by_setting_the_chart(open_page, site_url):
    p = _item("practice-about-overview")
    visit = open_page("chapters/about-the-evidence.html").settle()
    chart = _chart_titled(visit, "Every clinical study")
    before = len(_rows(chart))
    selects = chart.locator(".vega-bindings select")
    selects.filter(has=visit.page.locator("option[value=opioids]")).select_option("opioids")
    selects.filter(has=visit.page.locator("option[value=randomized]")).select_option("randomized")
    wait_for_chart_text(chart, contains=("Krupitsky",))
    rows = _rows(chart)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        key = answer(p)
    assert len(rows) == key != before, (rows, key, before)  # read off the chart = computed from data/
    wrong = _answer_item(visit, "overview of the studies", before)
    expect(wrong).to_have_class("Feedback incorrect")
    feedback = _answer_item(visit, "overview of the studies", len(rows))
    expect(feedback).to_have_class("Feedback correct")
    expect(feedback).to_contain_text("Correct")
    assert not visit.foreign_requests(site_url) and not visit.errors, visit.errors


def test_an_exercise_is_checked_on_the_site_with_the_kernel_feedback(open_page, site_url):
    """The website check under an answer-check cell (book.teaching.exercise_checks): too low, then right."""
    from book.teaching.answers import ANSWERS

    entry = ANSWERS["ex-outlook-size"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        key = entry.compute()
    visit = open_page("chapters/outlook.html").settle()
    low = _answer_item(visit, entry.question, f"{key - 10:g}")
    expect(low).to_have_class("Feedback incorrect")
    expect(low).to_contain_text("Too low")
    right = _answer_item(visit, entry.question, f"{key:g}")
    expect(right).to_have_class("Feedback correct")
    assert not visit.foreign_requests(site_url) and not visit.errors, visit.errors
