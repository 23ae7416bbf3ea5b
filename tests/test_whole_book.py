"""Whole-book assessment (issue 23.8): the pre-test and post-test are parallel forms, each part of the book ends with a
review quiz, every item meets the chapter quizzes' item-writing standards and names the chapter objectives it assesses,
every fact an item states about the data is checked against data/, and the questions-and-answers appendix is current
and left out of the student handouts."""

import json

import pytest
import yaml
from data_helpers import planted

from book.paths import ROOT
from book.teaching import whole_book as wb

TESTS = list(wb.TESTS)


@pytest.mark.parametrize("name", TESTS)
def test_each_test_meets_the_item_standards_and_its_facts_hold(name):
    assert wb.problems(name) == []


def test_pre_and_post_tests_are_parallel_forms_of_about_twelve_items():
    assert wb.parallel_problems() == []
    assert len(wb.load_test("pre-test")) == len(wb.load_test("post-test")) >= 12
    chapters = {r["chapter"] for item in wb.load_test_meta("pre-test")["items"] for r in item["maps"]}
    assert len(chapters) >= 10, chapters  # the forms sample (nearly) every chapter


@pytest.mark.parametrize("name", ["review-start-here", "review-substances", "review-across"])
def test_review_quizzes_have_about_six_items(name):
    assert 5 <= len(wb.load_test(name)) <= 8


def test_keys_are_balanced_and_seldom_the_longest_option():
    stats = wb.key_stats()
    assert all(stats["positions"]), stats
    assert max(stats["positions"]) <= wb.SHARE * stats["items"], stats
    assert stats["key_longest"] <= wb.SHARE * stats["items"], stats


def test_placement_in_the_table_of_contents():
    """Pre-test first, each part's review at its end, the post-test last before Reference, the appendix in Reference."""
    parts = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))["parts"]
    files = {p["caption"]: [c["file"] for c in p["chapters"]] for p in parts}
    order = [f for p in parts for f in (c["file"] for c in p["chapters"])]
    assert order[0] == "assessment/pre-test"
    assert files["Start here"][-1] == "assessment/review-start-here"
    assert files["The evidence, substance by substance"][-1] == "assessment/review-substances"
    assert files["Across the evidence"][-2:] == ["assessment/review-across", "assessment/post-test"]
    assert [p["caption"] for p in parts].index("Reference") == [p["caption"] for p in parts].index("Across the evidence") + 1
    assert "assessment/appendix-questions" in files["Reference"]
    for name in TESTS:
        source = (ROOT / "assessment" / f"{name}.ipynb").read_text(encoding="utf-8")
        assert f'show_test(\\"{name}\\")' in source


def test_appendix_is_current_with_the_chapter_quizzes():
    nb = json.loads(wb.APPENDIX.read_text(encoding="utf-8"))
    assert "".join(nb["cells"][1]["source"]) == wb.appendix_markdown(), "run: python -m book.teaching.whole_book"
    text = wb.appendix_markdown()
    assert text.index("## Questions") < text.index("## Answers")


def test_a_planted_data_change_fails_an_item(tmp_path):
    """Change a study's design in a copy of the data: the review item that states it fails, naming the item."""
    data = planted(tmp_path, "studies", "dakwar2014", ",randomized crossover,", ",randomized controlled trial,")
    found = wb.problems("review-start-here", folder=data)
    assert any("item 2" in p and "randomized crossover" in p for p in found), found


def test_student_handouts_leave_out_the_appendix_and_the_tests():
    from book.paper.pdf import chapter_names

    assert not [c for c in chapter_names() if c in {*TESTS, "appendix-questions"}]


def test_lms_packages_of_the_whole_book_tests_read_back_with_the_same_keys(tmp_path):
    from book.teaching import lms

    wb.write_lms(tmp_path)
    for name in TESTS:
        questions = wb.load_test(name)
        read = lms.read_moodle((tmp_path / name / "moodle.xml").read_bytes())
        assert [q["question"] for q in questions] == [r["text"] for r in read]
        for q, r in zip(questions, read):
            assert [a["correct"] for a in q["answers"]] == [score == 100.0 for _, score, _, _ in r["answers"]]
            assert any(
                tag.startswith(tuple(ref["chapter"] for ref in m["maps"]))
                for m in [wb.load_test_meta(name)["items"][read.index(r)]]
                for tag in r["tags"]
            )
        assert (tmp_path / name / "canvas-qti12.zip").stat().st_size and (tmp_path / name / "blackboard-qti21.zip").stat().st_size


def test_the_pre_test_works_on_the_site_offline(open_page, site_url):
    """On the built site, with no kernel: choosing the key of the pre-test's first item shows its feedback as right."""
    from playwright.sync_api import expect

    first = wb.load_test("pre-test")[0]
    key = next(a for a in first["answers"] if a["correct"])
    visit = open_page("assessment/pre-test.html").settle()
    question = visit.page.locator("div[data-numquestions] > .Quiz", has_text=first["question"][:40]).first
    question.locator(".MCButton", has_text=key["answer"]).first.click()
    expect(question.locator(".Feedback")).to_contain_text(key["feedback"][:30])
    expect(question.locator(".Feedback")).to_have_class("Feedback correct")
    assert not visit.foreign_requests(site_url) and not visit.errors
