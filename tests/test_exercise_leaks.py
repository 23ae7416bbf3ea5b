"""No answer-checked exercise's answer is printed in its chapter before the exercise (issue 23.6a).

See :mod:`book.teaching.leaks` for what is looked for and where (Markdown, the text of outputs, chart descriptions).
"""

from __future__ import annotations

import warnings

import nbformat
import pytest

from book.paths import ROOT
from book.teaching.leaks import checked_values, leaks, number_forms

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


@pytest.fixture(scope="module")
def values():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return checked_values()


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_checked_value_is_printed_above_its_exercise(path, values):
    found = leaks(path, values)
    assert not found, "\n".join(f"{x.label} = {x.value:g} appears in cell {x.cell}: ...{x.context}..." for x in found)


def test_every_numeric_answer_is_looked_for(values):
    assert len(values) >= 20
    assert all(isinstance(v, float) for v in values.values())


def test_number_forms():
    assert number_forms(1234.0) == ["1,234", "1234"]
    assert number_forms(41.8) == ["41.8"]
    assert number_forms(2.0204) == ["2.02"]


def test_a_planted_leak_is_caught(tmp_path, values):
    """The checked value written in a Markdown cell above the exercise is found; a year or a percentage is not."""
    source = next(p for p in CHAPTERS if p.stem == "outlook")
    nb = nbformat.read(source, 4)
    label = "ex-outlook-size"
    value = values[label]
    index = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and f":label: {label}" in c.source)
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(f"Published in 20{int(value)}; {int(value)}% of them."))
    planted = tmp_path / "outlook.ipynb"
    nbformat.write(nb, planted)
    assert not [x for x in leaks(planted, values) if x.label == label]
    nb.cells.insert(index, nbformat.v4.new_markdown_cell(f"The trial needs {int(value)} participants per arm."))
    nbformat.write(nb, planted)
    assert [x for x in leaks(planted, values) if x.label == label]
