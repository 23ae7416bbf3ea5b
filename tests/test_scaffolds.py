"""Scaffolded code exercises (issue 23.6c): a cell tagged ``scaffold`` with blanks (``...``) that the learner completes,
then the usual answer-check cell (one more blank), checked by the answer registry. Run in a Jupyter kernel: as
shipped the cells run and the check says there is no answer yet; with the blanks
filled as the solution says, the check says it is right; with a wrong blank, it is not."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from book.paths import ROOT

SETUP = {
    "ex-compare-scaffold": "from book.data import load_outcomes\nfrom book.effects import study_effects\n"
    "effects = study_effects(load_outcomes())",
    "ex-safety-scaffold": "",
}
FILLED = {
    "ex-compare-scaffold": {"blank 1": '"randomized"', "blank 2": '"MD"', "blank 3": "round(pooled.estimate, 1)"},
    "ex-safety-scaffold": {
        "blank 1": 'randomized["n_participants"].max()',
        "blank 2": "round(100 * (1 - (1 - risk) ** n_largest))",
    },
}
WRONG = {  # every design, not the randomized ones only: a different pooled estimate / the smallest study
    "ex-compare-scaffold": {"blank 1": '""', "blank 2": '"MD"', "blank 3": "round(pooled.estimate, 1)"},
    "ex-safety-scaffold": {
        "blank 1": 'randomized["n_participants"].min()',
        "blank 2": "round(100 * (1 - (1 - risk) ** n_largest))",
    },
}
CHAPTER = {"ex-compare-scaffold": "comparing-the-evidence", "ex-safety-scaffold": "safety"}

#: Each test runs a Jupyter kernel (10-20 s): the execute tier, not the unit tier (README "Tests").
pytestmark = pytest.mark.execute


def _scaffold(label: str) -> tuple[str, str]:
    """(the scaffold cell with blanks, the answer-check cell right after it)."""
    nb = nbformat.read(ROOT / "chapters" / f"{CHAPTER[label]}.ipynb", 4)
    found = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and "answer-check" in c.metadata.get("tags", []) and f'check_answer("{label}"' in c.source
    ]
    assert len(found) == 1, label
    scaffold = nb.cells[found[0] - 1]
    assert "scaffold" in scaffold.metadata.get("tags", []), label
    return scaffold.source, nb.cells[found[0]].source


def _fill(source: str, blanks: dict) -> str:
    lines = []
    for line in source.splitlines():
        for name, value in blanks.items():
            if f"# {name}:" in line:
                assert "= ..." in line, line
                line = line.replace("= ...", f"= {value}", 1)
        lines.append(line)
    return "\n".join(lines)


def _run(*variants: tuple[str, ...]) -> list[str]:
    """Run each variant's cells in turn in one kernel, the namespace cleared before each (``%reset -f``: no variable of
    one reaches the next, as in a fresh kernel, while the modules the setup imports stay loaded, so their import is paid
    once); the text the last cell of each variant shows."""
    cells, last = [], []
    for sources in variants:
        cells += [nbformat.v4.new_code_cell("%reset -f"), *(nbformat.v4.new_code_cell(s) for s in sources if s)]
        last.append(len(cells) - 1)
    nb = nbformat.v4.new_notebook(cells=cells)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    return [
        " ".join(str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", "")) for o in nb.cells[i].outputs) for i in last
    ]


@pytest.mark.parametrize("label", sorted(FILLED))
def test_scaffold_is_checked_in_a_kernel(label):
    scaffold, check = _scaffold(label)
    assert (scaffold + check).count("= ...  # blank") == len(FILLED[label])
    shipped, right, wrong = _run(
        (SETUP[label], scaffold, check),
        (SETUP[label], _fill(scaffold, FILLED[label]), _fill(check, FILLED[label])),
        (SETUP[label], _fill(scaffold, WRONG[label]), _fill(check, WRONG[label])),
    )
    assert "✘" in shipped and "✔" not in shipped, shipped
    assert "✔" in right, right
    assert "✘" in wrong, wrong
