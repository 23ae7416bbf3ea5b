"""python -m book student-copy: no solutions, runs top to bottom, refuses to overwrite."""

import json

import nbformat
import pytest
from nbclient import NotebookClient

from book.__main__ import main, student_copy
from book.paths import CHAPTERS_DIR as CHAPTERS

NAMES = [p.stem for p in sorted(CHAPTERS.glob("*.ipynb"))]


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    out = tmp_path_factory.mktemp("students")
    report = student_copy(NAMES, out)
    return out, report


def _solution_sources(name):
    nb = json.loads((CHAPTERS / f"{name}.ipynb").read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if "solution" in c["metadata"].get("tags", [])]


@pytest.mark.parametrize("name", NAMES)
def test_copy_has_no_solution_source_or_output(copies, name):
    out, report = copies
    text = (out / f"{name}.ipynb").read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    assert not any("solution" in c.metadata.get("tags", []) for c in nb.cells)
    assert "{solution" not in text
    for source in _solution_sources(name):
        assert source not in text
    assert any("{exercise}" in "".join(c.source) for c in nb.cells), "exercises must stay"
    assert any(f"removed {len(_solution_sources(name))} solution cells" in line for line in report if line.startswith(name))


def _names_defined(source: str) -> set[str]:
    """Names a code cell binds at top level (assignments, imports, functions, classes, loop targets)."""
    import ast

    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


def _names_used(source: str) -> set[str]:
    import ast

    return {n.id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


@pytest.mark.parametrize("name", NAMES)
def test_no_cell_of_a_copy_needs_a_name_only_a_solution_defined(name):
    """Removing the solution cells must not break a later cell: checked on the code, without running it
    (one copy is run top to bottom below, and a copy is opened and run in JupyterLab by test_jupyterlab.py)."""
    nb = json.loads((CHAPTERS / f"{name}.ipynb").read_text(encoding="utf-8"))
    defined_outside, only_in_solutions = set(), set()
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        if "solution" in cell["metadata"].get("tags", []):
            only_in_solutions |= _names_defined(source) - defined_outside
            continue
        # A name the cell itself imports or assigns is its own, whatever a solution above defined.
        broken = (_names_used(source) - _names_defined(source)) & only_in_solutions - defined_outside
        assert not broken, f"{name}: a cell uses {sorted(broken)}, which only a solution cell defines: {source[:80]!r}"
        defined_outside |= _names_defined(source)


@pytest.mark.execute
def test_a_copy_runs_top_to_bottom(copies):
    out, _ = copies
    nb = nbformat.read(out / "about-the-evidence.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(out)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors


def test_refuses_to_overwrite_without_force(copies, capsys):
    out, _ = copies
    assert main(["student-copy", NAMES[0], "--out", str(out)]) == 2
    assert "use --force" in capsys.readouterr().err
    assert main(["student-copy", NAMES[0], "--out", str(out), "--force", "--clear-outputs"]) == 0
    nb = nbformat.read(out / f"{NAMES[0]}.ipynb", as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_unknown_chapter_gets_a_clear_message(tmp_path, capsys):
    assert main(["student-copy", "heroin", "--out", str(tmp_path)]) == 2
    assert "No chapter 'heroin'. Chapters:" in capsys.readouterr().err
