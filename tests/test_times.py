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
def test_chapter_shows_minutes_per_section(chapter):
    sources = [c["source"] for c in notebooks.cells(chapter) if c["cell_type"] == "code"]
    assert any(f'time_table("{chapter}")' in s for s in sources), f"{chapter}: no cell showing time_table({chapter!r})"


def test_sections_add_up_and_count_the_quiz():
    parts = times.section_times("outlook")
    assert sum(p.quiz_items for p in parts) >= 5
    assert abs(sum(p.total for p in parts) - times.chapter_minutes("outlook")["total"]) < 1e-9
    assert any(p.exercises for p in parts)


def test_instructor_guide_states_the_formula():
    nb = json.loads((ROOT / "guides" / "instructor-guide.ipynb").read_text(encoding="utf-8"))
    text = " ".join(" ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown").split())
    assert times.formula_text() in text
