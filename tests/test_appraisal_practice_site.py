"""The appraisal practice works on the built site with no kernel: a reader judges a RoB 2 domain and steps a GRADE
outcome down, choosing options of the generated jupyterquiz items, and sees the feedback generated from data/
(book.teaching.appraisal_practice). Browser tier: needs a build (KAP_SITE) and Chromium."""

import re

from browser_helpers import SHOTS
from playwright.sync_api import expect

from book.teaching.appraisal_practice import grade_items, rob_items

PAGE = "chapters/cocaine-and-stimulants.html"
TRIAL, SOF = "dakwar2019", "sof-coc-01"


def _question(page, text: str):
    """The quiz question (jupyterquiz's .Quiz) whose text holds ``text``."""
    question = page.locator("div[data-numquestions] > .Quiz", has_text=text).first
    question.scroll_into_view_if_needed()
    return question


def _choose(question, option: str):
    question.locator(".MCButton", has_text=re.compile(rf"^\s*{re.escape(option)}\s*$")).first.click()
    return question.locator(".Feedback")


def _feedback(item: dict, option: str) -> str:
    return next(a["feedback"] for a in item["answers"] if a["answer"] == option)


def _right(item: dict) -> str:
    return next(a["answer"] for a in item["answers"] if a["correct"])


def test_a_reader_judges_a_rob_domain_and_steps_a_grade_outcome_down(open_page, site_url):
    visit = open_page(PAGE).settle()
    page = visit.page

    # RoB 2: D4 of the cocaine trial. A wrong choice gets its targeted explanation; the book's judgement, its reason.
    d4 = rob_items(TRIAL)[3]
    question = _question(page, "D4 measurement of the outcome")
    wrong = next(a["answer"] for a in d4["answers"] if not a["correct"])
    feedback = _choose(question, wrong)
    expect(feedback).to_have_class(re.compile(r"\bincorrect\b"))
    expect(feedback).to_contain_text(_feedback(d4, wrong)[:60])
    question = _question(page, "D3 missing outcome data")
    d3 = rob_items(TRIAL)[2]
    feedback = _choose(question, _right(d3))
    expect(feedback).to_have_class(re.compile(r"\bcorrect\b"))
    expect(feedback).to_contain_text(_feedback(d3, _right(d3))[:60])

    # The overall rule: the key is the book's rule applied to the book's domains.
    overall = rob_items(TRIAL)[-1]
    feedback = _choose(_question(page, "apply the book's rule"), _right(overall))
    expect(feedback).to_have_class(re.compile(r"\bcorrect\b"))

    # GRADE: imprecision, then the final level (a wrong one first).
    items = grade_items(SOF)
    imprecision = items[3]
    feedback = _choose(_question(page, "Imprecision: how far"), _right(imprecision))
    expect(feedback).to_have_class(re.compile(r"\bcorrect\b"))
    expect(feedback).to_contain_text(_feedback(imprecision, _right(imprecision))[:60])
    final = items[-1]
    question = _question(page, "where does the certainty of this outcome end up")
    wrong = next(a["answer"] for a in final["answers"] if not a["correct"])
    feedback = _choose(question, wrong)
    expect(feedback).to_have_class(re.compile(r"\bincorrect\b"))
    expect(feedback).to_contain_text(_feedback(final, wrong)[:40])

    assert not visit.foreign_requests(site_url) and not visit.errors, visit.errors
    SHOTS.mkdir(parents=True, exist_ok=True)
    question.screenshot(path=str(SHOTS / "appraisal-practice-grade.png"))
