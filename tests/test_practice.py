"""Explorer-driven practice (issue 23.4): every chart with bound inputs in a chapter, and every StudyExplorer, has a
practice item under it that needs its inputs set, keyed from data/, with its entry in the chapter's sidecar."""

from __future__ import annotations

import json
import warnings

import nbformat
import pytest

from book.paths import ROOT
from book.teaching.chart_inputs import bound_inputs, rows_shown, setting_allowed, to_python
from book.teaching.practice import answer, default_answer, quiz_item
from book.teaching.practice_items import ITEMS

CHAPTERS = ROOT / "chapters"
VEGA = "application/vnd.vega.v5+json"
WIDGET = "application/vnd.jupyter.widget-view+json"


def _inputs_in_chapters():
    """(chapter, cell index, cell source, 'chart'|'explorer') for every output with bound inputs, and explorers."""
    found = []
    for path in sorted(CHAPTERS.glob("*.ipynb")):
        nb = nbformat.read(path, 4)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            if "StudyExplorer(" in cell.source:
                found.append((path.stem, i, cell.source, "explorer"))
            for out in cell.get("outputs", []):
                vega = out.get("data", {}).get(VEGA)
                if vega and any("bind" in s for s in vega.get("signals", [])):
                    found.append((path.stem, i, cell.source, "chart"))
    return found


def _practice_cells(chapter):
    nb = nbformat.read(CHAPTERS / f"{chapter}.ipynb", 4)
    return [(i, c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code" and "show_practice(" in c.source]


def test_every_chart_and_explorer_with_inputs_has_a_practice_item_right_under_it():
    found = _inputs_in_chapters()
    assert len(found) >= 25, found  # 22 charts with bound inputs and 3 explorers when this test was written
    by_label = {p.label: p for p in ITEMS}
    missing = []
    for chapter, index, source, kind in found:
        nb = nbformat.read(CHAPTERS / f"{chapter}.ipynb", 4)
        below = nb.cells[index + 1].source if index + 1 < len(nb.cells) else ""
        label = below.split('show_practice("')[-1].split('"')[0] if "show_practice(" in below else None
        p = by_label.get(label)
        if p is None or p.chapter != chapter or f"{p.needs}(" not in source:
            missing.append(f"{chapter} cell {index} ({kind}): {source.splitlines()[-1]!r}")
    assert not missing, "charts/explorers without a practice item right below:\n" + "\n".join(missing)


def test_every_practice_item_is_shown_once_and_in_the_sidecar():
    for p in ITEMS:
        shown = [s for _, s in _practice_cells(p.chapter) if f'show_practice("{p.label}")' in s]
        assert len(shown) == 1, (p.label, len(shown))
        meta = json.loads((ROOT / "chapters" / "quizzes" / f"{p.chapter}.meta.json").read_text(encoding="utf-8"))
        entry = meta.get("exercises", {}).get(p.label)
        assert entry == {"objectives": list(p.objectives), "needs": p.needs, "answer": "data", "kind": "practice"}, p.label
    assert len({p.label for p in ITEMS}) == len(ITEMS)


@pytest.mark.parametrize("p", [p for p in ITEMS if p.needs != "StudyExplorer"], ids=lambda p: p.label)
def test_chart_item_needs_its_inputs_set(p):
    """The settings are values a reader can choose, and the question gives another answer with the inputs as drawn."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        binds = bound_inputs(p.build().to_dict())
    for name, value in p.settings.items():
        assert name in binds, (p.label, name, sorted(binds))
        assert setting_allowed(binds[name], value), (p.label, name, value, binds[name])
    assert answer(p) != default_answer(p), p.label


@pytest.mark.parametrize("p", ITEMS, ids=lambda p: p.label)
def test_quiz_item_is_a_keyed_numeric_jupyterquiz_item(p):
    item = quiz_item(p)
    assert item["type"] == "numeric" and item["question"] == p.question
    right = [a for a in item["answers"] if a.get("correct")]
    assert right and right[0]["value"] == answer(p) and right[0]["feedback"].startswith("Correct")
    assert item["answers"][-1]["type"] == "default" and item["answers"][-1]["feedback"]
    if p.needs == "StudyExplorer":
        assert "kernel" in p.question and "website" in p.question


def test_a_data_change_changes_the_key(monkeypatch):
    """The key is computed from the chart's rows: dropping a row changes it."""
    p = next(p for p in ITEMS if p.label == "practice-about-overview")
    before = answer(p)
    spec = p.build().to_dict()
    for name, rows in spec["datasets"].items():
        if rows and "randomized_text" in rows[0]:
            drop = next(r for r in rows if r["substance"] == "opioids" and r["randomized_text"] == "randomized")
            spec["datasets"][name] = [r for r in rows if r is not drop]
    after = rows_shown(spec, p.settings, "label")["label"].nunique()
    assert after == before - 1


def test_filter_translation():
    assert to_python("substance_choice == 'all' || datum.substance == substance_choice") == (
        "substance_choice == 'all'  or  d.get(\"substance\") == substance_choice"
    )
    assert not eval(to_python("!flag || datum.x"), {"flag": True}, {"d": {"x": 0}})  # noqa: S307
    with pytest.raises(ValueError):
        to_python("datum.x ? 1 : 2")
