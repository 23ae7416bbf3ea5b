"""The assessment map (book/teaching/assessment.py): every objective is assessed, every chart or explorer with inputs
is needed by an item, and every item and exercise is declared in its chapter's sidecar (issue 23.3)."""

from __future__ import annotations

import json

import pytest

from book import notebooks
from book.cli import main as cli
from book.teaching import assessment

CHAPTERS = notebooks.toc_chapters()


@pytest.fixture(scope="module")
def maps() -> dict[str, assessment.ChapterMap]:
    return {m.chapter: m for m in assessment.assessment_map()}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_objective_has_an_item(maps, chapter):
    m = maps[chapter]
    assert m.objectives, f"{chapter}: no learning objectives found in its opening cells"
    assert not m.unassessed, f"{chapter}: objectives {m.unassessed} are assessed by no quiz item or exercise"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chart_or_explorer_with_inputs_is_needed(maps, chapter):
    m = maps[chapter]
    assert not m.unneeded, f"{chapter}: charts/explorers with inputs that no item needs: {', '.join(m.unneeded)}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_items_declared_and_consistent(maps, chapter):
    m = maps[chapter]
    assert not m.problems, "\n".join(m.problems)
    unnamed = [i.id for i in m.items if not i.objectives]
    assert not unnamed, f"{chapter}: items naming no objective: {unnamed}"
    views = {v.name for v in m.views}
    # An item that needs a chart names one the chapter draws with inputs (tables are allowed as text).
    wrong = [f"{i.id} needs {i.needs}" for i in m.items if i.needs.endswith(("_chart", "Explorer")) and i.needs not in views]
    assert not wrong, f"{chapter}: items needing a chart or explorer the chapter does not show with inputs: {wrong}"


def test_views_are_found():
    """The finder sees the charts of a chapter (bound Vega signals in stored outputs) and the StudyExplorer."""
    views = {v.name: v for v in assessment.chapter_views("comparing-the-evidence")}
    assert "randomized_only" in views["forest_chart"].inputs
    assert views["StudyExplorer"].kind == "explorer" and "measure" in views["StudyExplorer"].inputs


def test_cli_json(capsys):
    assert cli(["assessment-map", "--json", "outlook"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["summary"]) >= {"objectives_with_no_item", "views_no_item_needs", "items_by_kind"}
    assert out["chapters"][0]["chapter"] == "outlook"
    assert cli(["assessment-map", "outlook"]) == 0
    assert "power_chart" in capsys.readouterr().out
