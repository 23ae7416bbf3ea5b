"""Rubrics (issue 24.4): one per open exercise and per written assignment of the instructor guide, three levels per
criterion, kept on the instructor side (instructor/, excluded from the site build), and appended with the question
bank to a chapter's instructor handout."""

import yaml

from book.paths import ROOT
from book.teaching import rubrics
from book.teaching.question_bank import instructor_appendix


def test_every_open_exercise_has_a_rubric_and_every_rubric_an_open_exercise():
    assert rubrics.open_exercises(), "no exercise is marked open in the sidecars"
    assert rubrics.problems() == []


def test_the_written_assignments_of_the_instructor_guide_have_rubrics():
    assignments = rubrics.load_rubrics()["assignments"]
    assert {"appraise-a-claim", "extend-the-data", "explain-a-forest-plot"} <= set(assignments)
    assert len(assignments) >= 8


def test_rubrics_stay_on_the_instructor_side():
    assert rubrics.RUBRICS.relative_to(ROOT).parts[0] == "instructor"
    assert "instructor/**" in yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["exclude_patterns"]
    criterion = rubrics.load_rubrics()["exercises"]["ex-safety-carry-over"]["criteria"][1]["levels"]["2"]
    for folder in ("chapters", "guides", "assessment"):
        for path in (ROOT / folder).rglob("*.ipynb"):
            assert criterion not in path.read_text(encoding="utf-8"), path


def test_the_instructor_appendix_holds_the_bank_and_the_rubrics():
    text = instructor_appendix("safety")
    assert "Question bank" in text and "Rubrics" in text and "ex-safety-carry-over" in text
    assert "## Exercise ex-safety-carry-over" in rubrics.rubrics_markdown()
