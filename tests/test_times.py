"""Honest times (issue 23.9): each chapter states a total within 15% of the one formula in book/teaching/times.py,
shows its minutes per section, and the instructor guide states the formula."""

from __future__ import annotations

import json

import pytest

from book import notebooks
from book.paths import ROOT
from book.teaching import times

CHAPTERS = notebooks.toc_chapters()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_stated_time_within_the_formula(chapter):
    formula = times.chapter_minutes(chapter)["total"]
    stated = times.stated_minutes(chapter)
    assert stated is not None, f"{chapter}: no 'Estimated time' row saying 'About N minutes' in the opening table"
    assert abs(stated - formula) <= times.TOLERANCE * formula, (
        f"{chapter} states {stated} minutes; the formula gives {formula:.0f}. Write: {times.stated_text(chapter)}"
    )


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_stated_parts_add_up_to_the_stated_total(chapter):
    """ "About 140 minutes: 70 reading ..., 60 for the exercises and 10 for the quiz" must add up."""
    parts = times.stated_parts(chapter)
    assert parts, f"{chapter}: the 'Estimated time' row does not read like: {times.stated_text(chapter)}"
    total, *rest = parts
    assert sum(rest) == total, (
        f"{chapter}: the parts {rest} add up to {sum(rest)}, not {total}. Write: {times.stated_text(chapter)}"
    )


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_shows_minutes_per_section(chapter):
    sources = [c["source"] for c in notebooks.cells(chapter) if c["cell_type"] == "code"]
    assert any(f'time_table("{chapter}")' in s for s in sources), f"{chapter}: no cell showing time_table({chapter!r})"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_minutes_per_section_stand_under_the_stated_time(chapter):
    """The table of minutes is the stated time's detail ("section by section below"), so it comes right after the
    cell that states the time: not at the end of the first section of the chapter's text."""
    cells = notebooks.cells(chapter)
    stated = next(i for i, c in enumerate(cells) if "**Estimated time**" in c["source"])
    table = next(i for i, c in enumerate(cells) if f'time_table("{chapter}")' in c["source"])
    after = cells[stated]["source"].split("**Estimated time**", 1)[1]
    assert table == stated + 1, f"{chapter}: the minutes per section are cell {table}; the stated time is in cell {stated}"
    assert "\n#" not in after, f"{chapter}: a heading stands between the stated time and its minutes per section"
    following = cells[table + 1] if table + 1 < len(cells) else None
    assert following is not None and following["cell_type"] == "markdown" and following["source"].startswith("#"), (
        f"{chapter}: the opening (objectives, stated time, minutes) ends with the minutes per section, so the next cell "
        "starts a section with its heading; a chart or table here would be counted under 'Learning objectives'"
    )


def test_sections_add_up_and_count_the_quiz():
    parts = times.section_times("outlook")
    assert sum(p.quiz_items for p in parts) >= 5
    assert abs(sum(p.total for p in parts) - times.chapter_minutes("outlook")["total"]) < 1e-9
    assert any(p.exercises for p in parts)


def test_instructor_guide_states_the_formula():
    nb = json.loads((ROOT / "guides" / "instructor-guide.ipynb").read_text(encoding="utf-8"))
    text = " ".join(" ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown").split())
    assert times.formula_text() in text


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_row_of_minutes_adds_up(chapter):
    """A learner who adds a row's reading, exercises and quiz gets its minutes (once "Quiz: 0, 0, 10" stood beside 11)."""
    rows = times.time_table(chapter).data
    sections = times.section_times(chapter)
    assert list(rows["section"]) == [s.section for s in sections]
    sums = rows[["reading", "exercises", "quiz"]].sum(axis=1)
    wrong = rows[sums != rows["minutes"]]
    assert wrong.empty, f"{chapter}: rows whose parts do not add up to their minutes:\n{wrong.to_string()}"
    for (_, row), section in zip(rows.iterrows(), sections):
        # each row's minutes are the formula's for the section, rounded half up (at least 1), and each part within a
        # minute of the formula's
        assert row["minutes"] == max(1, int(section.total + 0.5)), (chapter, section.section)
        exact = (section.reading, section.exercise_minutes, section.quiz)
        shown = (row["reading"], row["exercises"], row["quiz"])
        assert all(abs(whole - part) < 1 for whole, part in zip(shown, exact)), (chapter, section.section, shown, exact)


@pytest.mark.parametrize(
    ("parts", "whole"),
    [
        ([0.3, 0, 10.5], [0, 0, 11]),  # the leftover minute to the larger remainder
        ([0.4, 0, 0], [1, 0, 0]),  # a section is at least a minute
        ([3.6, 12, 0], [4, 12, 0]),
        ([2.5, 2.5, 0], [3, 2, 0]),  # total 5; the tie to the earlier part
    ],
)
def test_whole_minutes_add_up_to_the_rounded_total(parts, whole):
    assert times.whole_minutes(parts) == whole


@pytest.mark.parametrize("parts", [[], [-1, 2], [float("nan"), 1], [float("inf")], ["3"]])
def test_whole_minutes_refuses_what_is_not_minutes(parts):
    with pytest.raises(ValueError, match="minutes must be"):
        times.whole_minutes(parts)
