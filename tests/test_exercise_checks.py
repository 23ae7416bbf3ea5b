"""Website checks of the exercises (issue 23.6): every answer-check cell whose answer is a number or a choice has, right
below it, a check that needs no kernel: for an answer computed from data/, a jupyterquiz numeric item with the same key
and tolerance and the kernel check's feedback; for a fixed answer, the hashed check (book.teaching.hashed_checks,
tested in tests/test_hashed_checks.py)."""

from __future__ import annotations

import warnings

import nbformat
import pytest

from book.paths import ROOT
from book.teaching.answer_key import check_cells
from book.teaching.answers import ANSWERS, ComputedAnswer, HashedAnswer
from book.teaching.exercise_checks import check_item, checkable
from book.teaching.hashed_checks import CHECK_MIME, hashed_item

#: Every chapter: each shows its checks on the site.
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def _shows(cell, label: str) -> bool:
    """Whether ``cell`` calls show_check(label) and holds its output: a jupyterquiz script, or the hashed check."""
    if f'show_check("{label}")' not in cell.source:
        return False
    mimes = {m for o in cell.get("outputs", []) for m in o.get("data", {})}
    wanted = CHECK_MIME if isinstance(ANSWERS[label], HashedAnswer) else "application/javascript"
    return wanted in mimes


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_number_or_choice_check_has_a_website_check_below_it(path):
    nb = nbformat.read(path, 4)
    missing = []
    for cell in check_cells(path):
        for label in cell.keys:
            entry = ANSWERS[label]
            assert checkable(label) or (isinstance(entry, HashedAnswer) and entry.kind == "text"), label
            below = nb.cells[cell.index + 1 : cell.index + 1 + len(cell.keys)]
            if not any(_shows(c, label) for c in below):
                missing.append(label)
    assert not missing, f"{path.stem}: no website check (with stored output) under {missing}"


@pytest.mark.parametrize("label", sorted(k for k, e in ANSWERS.items() if isinstance(e, ComputedAnswer)))
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


def test_every_registry_entry_has_a_website_check():
    fixed = [k for k, e in ANSWERS.items() if isinstance(e, HashedAnswer)]
    assert fixed and all(checkable(k) for k in ANSWERS)
    assert all(isinstance(e, (ComputedAnswer, HashedAnswer)) for e in ANSWERS.values())
    assert all(hashed_item(k)["digests"] for k in fixed)
    with pytest.raises(ValueError, match="no jupyterquiz item"):
        check_item(fixed[0])
