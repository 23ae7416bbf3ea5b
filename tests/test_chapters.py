"""Checks of the chapters as teaching material: structure, disclaimer, and figures traceable to data/."""

import json
import re
from pathlib import Path

import pytest

from book.data import load_evidence, numbers_in_text
from book.paths import ROOT

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
# Figures in prose that are conventions, not data: the confidence level of an interval.
CONVENTIONS = {95.0}


def _markdown(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def _figures_in_data() -> set[float]:
    return numbers_in_text(" ".join(load_evidence().quotes()))


def test_toc_lists_exactly_the_chapters_that_exist():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    listed = set(re.findall(r"file:\s*(chapters/[\w-]+)", toc))
    assert listed == {f"chapters/{p.stem}" for p in CHAPTERS}


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_has_the_parts_a_course_needs(path):
    md = _markdown(path)
    assert "Medical education, not medical advice" in md
    assert re.search(r"learning objectives", md, re.I)
    assert re.search(r"prerequisites", md, re.I)
    assert re.search(r"estimated time", md, re.I)
    assert "{exercise}" in md and ("{solution}" in md or "{solution-start}" in md)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_decimal_or_percentage_in_prose_comes_from_the_data(path):
    """A figure written into a chapter's text must stand in a quote in data/: no figure from memory."""
    md = _markdown(path)
    md = re.sub(r"^>.*$", "", md, flags=re.M)  # quotations of the review being appraised
    known = _figures_in_data() | CONVENTIONS
    written = {float(m) for m in re.findall(r"(?<![\w.])(\d+\.\d+|\d+(?=%))", md)}
    stray = sorted(x for x in written if x not in known)
    assert not stray, f"{path.name} states figures not found in any quote in data/: {stray}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_has_a_quiz_of_at_least_five_questions_with_explanations(path):
    from book.quiz import load_quiz

    assert f'show_quiz("{path.stem}")' in "".join(
        "".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
    )
    assert len(load_quiz(path.stem)) >= 5


def test_figures_in_quizzes_come_from_the_data():
    known = _figures_in_data() | CONVENTIONS
    for quiz in sorted((ROOT / "chapters" / "quizzes").glob("*.json")):
        text = quiz.read_text(encoding="utf-8")
        written = {float(m) for m in re.findall(r"(?<![\w.])(\d+\.\d+|\d+(?=%))", text)}
        assert not sorted(x for x in written if x not in known), quiz.name


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_solutions_live_in_cells_tagged_solution(path):
    """Every solution directive is in its own cell tagged `solution`, so student copies can drop it whole."""
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        source = "".join(cell["source"])
        if "{solution" in source:
            assert "solution" in cell["metadata"].get("tags", []), source[:80]
            assert "{exercise}" not in source, "an exercise shares a cell with a solution"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_solutions_are_folded_when_a_learner_opens_the_notebook(path):
    """JupyterLab folds a cell whose metadata says so; a solution must not show until the learner opens it."""
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if "solution" in cell["metadata"].get("tags", []):
            folded = cell["metadata"].get("jupyter", {})
            assert folded.get("source_hidden") is True, "".join(cell["source"])[:80]
            if cell["cell_type"] == "code":
                assert folded.get("outputs_hidden") is True, "".join(cell["source"])[:80]


def test_each_chapter_labels_its_references_with_its_own_prefix():
    """Two chapters with one label prefix give two references the same label ("duplicate label" under -W)."""
    prefixes = [p for path in CHAPTERS for p in re.findall(r"^:labelprefix:\s*(\S+)", _markdown(path), flags=re.M)]
    assert len(prefixes) == len(set(prefixes)), sorted(prefixes)


def test_cited_keys_exist_in_the_bibliography():
    """Each chapter lists its own references under a key prefix (so two chapters can cite one paper);
    every citation carries the chapter's prefix, and the key after it is in data/references.bib."""
    bib = (ROOT / "data" / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    for path in CHAPTERS:
        md = _markdown(path)
        prefixes = re.findall(r"^:keyprefix:\s*(\S+)", md, flags=re.M)
        prefix = prefixes[0] if prefixes else ""
        assert len(prefixes) <= 1, f"{path.name} has more than one bibliography"
        for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", md):
            for key in (k.strip() for k in group.split(",")):
                assert key.startswith(prefix), f"{path.name} cites {key!r} without its bibliography's prefix {prefix!r}"
                assert key[len(prefix) :] in keys, f"{path.name} cites unknown key {key!r}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_numbers_in_prose_stand_in_the_quotes_of_the_sources_each_sentence_cites(path):
    from book.prose import unsupported_numbers

    problems = unsupported_numbers(path.stem)
    assert not problems, "\n".join(str(p) for p in problems)


def test_a_number_absent_from_its_cited_study_fails_even_if_another_study_has_it():
    from book.prose import unsupported_numbers

    md = _markdown(ROOT / "chapters" / "alcohol.ipynb")
    # 55 is the cocaine trial's size (Dakwar 2019), not the alcohol trial's: pooled quotes would let it through.
    first = "The alcohol trial randomized 55 people {cite:p}`al-dakwar2020`."
    second = "It had ninety-seven sites {cite:p}`al-dakwar2020`."
    planted = f"{md}\n\n{first}\n\n{second}\n"
    found = {n for problem in unsupported_numbers("alcohol", planted) for n in problem.numbers}
    assert {55.0, 97.0} <= found
    assert not unsupported_numbers("alcohol")
