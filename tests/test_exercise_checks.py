"""Website checks of the exercises (issue 23.6b): every answer-check cell whose answer is computed from data/ has,
right below it, a jupyterquiz numeric item with the same key and tolerance and the kernel check's feedback."""

from __future__ import annotations

import warnings

import nbformat
import pytest

from book.paths import ROOT
from book.teaching.answer_key import check_cells
from book.teaching.answers import ANSWERS
from book.teaching.exercise_checks import check_item, checkable

#: Chapters whose checks are shown on the site (the primer was being written when this was added: wire it there too).
CHAPTERS = [p for p in sorted((ROOT / "chapters").glob("*.ipynb")) if p.stem != "primer"]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_computed_check_has_a_website_check_below_it(path):
    nb = nbformat.read(path, 4)
    missing = []
    for cell in check_cells(path):
        for label in cell.keys:
            if not checkable(label):
                continue
            below = nb.cells[cell.index + 1 : cell.index + 1 + len(cell.keys)]
            if not any(f'show_check("{label}")' in c.source and c.outputs for c in below):
                missing.append(label)
    assert not missing, f"{path.stem}: no website check (with stored output) under {missing}"


@pytest.mark.parametrize("label", sorted(k for k in ANSWERS if checkable(k)))
def test_item_has_the_registry_key_and_the_kernel_feedback(label):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        item = check_item(label)
        entry = ANSWERS[label]
        value = float(entry.compute())
    right = [a for a in item["answers"] if a.get("correct")]
    assert right[0]["value"] == value
    assert entry.check(value).correct
    low = next(a for a in item["answers"] if a["feedback"].startswith("Too low"))
    high = next(a for a in item["answers"] if a["feedback"].startswith("Too high"))
    below, above = value - entry.tolerance - 1, value + entry.tolerance + 1
    assert low["range"][0] <= below < low["range"][1] and "too low" in str(entry.check(below))
    assert high["range"][0] <= above < high["range"][1] and "too high" in str(entry.check(above))
    assert entry.question in item["question"]


def test_fixed_answers_get_no_website_check():
    fixed = [k for k in ANSWERS if not checkable(k)]
    assert fixed
    with pytest.raises(ValueError, match="no website check"):
        check_item(fixed[0])
