"""book.teaching.grading (python -m book grade): learners' chapter notebooks graded with the book's answer checks,
each run on its own.

The fast tests need no kernel. The slow one builds a submissions folder (answered, fresh student copy, half
answered, raises, loops, check cells deleted, not JSON, another chapter), grades it and checks every row, the
feedback files and that no learner's file changed. Its time is kernels and time limits: the chapter graded is one
of the smallest with two checks (outlook), and the limit per cell is 10 s (ample for that chapter's cells: the slowest
takes about 2 s on a busy 2-core machine), so that the endless loop costs 10 s rather than a minute.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import nbformat
import pytest

from book.__main__ import student_copy
from book.teaching import grading
from book.teaching.answer_key import _checked_labels
from book.teaching.answers import check_answer

#: A small chapter with two checks (each graded learner is a kernel run of it).
CHAPTER = "outlook"


def _cmdline(proc: Path) -> str:
    try:
        return (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _check_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and "answer-check" in c.metadata.get("tags", [])]


def test_filled_copy_answers_every_check_rightly(tmp_path):
    for chapter in ("cocaine-and-stimulants", "alcohol", "safety"):
        path = grading.filled_copy(chapter, tmp_path / f"{chapter}.ipynb")
        nb = nbformat.read(path, as_version=4)
        for cell in _check_cells(nb):
            assert "= ..." not in cell.source, cell.source
            for label in _checked_labels(cell.source):
                namespace = {"check_answer": lambda label, answer: check_answer(label, answer)}
                exec(cell.source.replace("from book.exercises import check_answer", ""), namespace)  # noqa: S102
                assignment = cell.source.split("check_answer(")[0]
                assert assignment.strip(), label
        assert [label for cell in _check_cells(nb) for label in _checked_labels(cell.source)] == grading.chapter_labels(chapter)


def test_filled_copy_with_some_labels_leaves_the_others_unanswered(tmp_path):
    labels = grading.chapter_labels(CHAPTER)
    nb = nbformat.read(grading.filled_copy(CHAPTER, tmp_path / "half.ipynb", labels={labels[0]}), as_version=4)
    unanswered = [c for c in _check_cells(nb) if "= ..." in c.source]
    assert len(unanswered) == len(labels) - 1


def test_not_json_and_other_chapter_are_reported_without_running(tmp_path):
    (tmp_path / f"{CHAPTER}.ipynb").write_text('{"cells": [', encoding="utf-8")
    result = grading.grade_notebook(tmp_path / f"{CHAPTER}.ipynb", "fay")
    assert result.status.startswith("not valid JSON") and not result.scores
    other = grading.filled_copy("opioids", tmp_path / "gus" / f"{CHAPTER}.ipynb")
    result = grading.grade_notebook(other, "gus")
    assert result.status.startswith("a different chapter") and "opioids" in result.status and not result.scores
    (tmp_path / "x.ipynb").write_text(json.dumps(["not", "a", "notebook"]), encoding="utf-8")
    assert grading.grade_notebook(tmp_path / "x.ipynb", "x").status.startswith("not a notebook")


def test_a_student_copy_is_recognised_by_its_note(tmp_path):
    student_copy([CHAPTER], tmp_path, clear_outputs=True)
    nb = json.loads((tmp_path / f"{CHAPTER}.ipynb").read_text(encoding="utf-8"))
    assert grading._identify(nb, "anything") == CHAPTER
    nb["metadata"].pop("kap_student_copy")
    assert grading._identify(nb, "anything") == CHAPTER  # by the labels its checks use


def _submissions(root):
    labels = grading.chapter_labels(CHAPTER)
    grading.filled_copy(CHAPTER, root / "ada" / f"{CHAPTER}.ipynb")  # every answer right
    student_copy([CHAPTER], root / "ben", clear_outputs=True)  # a fresh student copy
    grading.filled_copy(CHAPTER, root / "cai" / f"{CHAPTER}.ipynb", labels={labels[1]})  # one of two
    full = nbformat.read(root / "ada" / f"{CHAPTER}.ipynb", as_version=4)
    first_check = next(i for i, c in enumerate(full.cells) if "answer-check" in c.metadata.get("tags", []))
    endless = "import time\nwhile True:\n    time.sleep(0.05)"  # a cell that never ends, idle (the other worker keeps the CPU)
    for learner, source in (("dee", 'raise ValueError("a learner\'s mistake")'), ("eve", endless)):
        nb = nbformat.read(root / "ada" / f"{CHAPTER}.ipynb", as_version=4)
        nb.cells.insert(first_check, nbformat.v4.new_code_cell(source))
        (root / learner).mkdir()
        nbformat.write(nb, root / learner / f"{CHAPTER}.ipynb")
    nb = nbformat.read(root / "ada" / f"{CHAPTER}.ipynb", as_version=4)
    nb.cells = [c for c in nb.cells if "answer-check" not in c.metadata.get("tags", [])]
    (root / "hal").mkdir()
    nbformat.write(nb, root / "hal" / f"{CHAPTER}.ipynb")  # deleted its check cells
    (root / "fay").mkdir()
    (root / "fay" / f"{CHAPTER}.ipynb").write_text('{"cells": [{"cell_type": "code", ', encoding="utf-8")
    grading.filled_copy("opioids", root / "gus" / f"{CHAPTER}.ipynb")  # another chapter under this name


@pytest.mark.slow
def test_grading_a_submissions_folder(tmp_path):
    subs = tmp_path / "submissions"
    _submissions(subs)
    before = grading.file_hashes(subs)
    gradebook, feedback = tmp_path / "gradebook.csv", tmp_path / "feedback"
    assert grading.main([str(subs), "--out", str(gradebook), "--feedback", str(feedback), "--cell-timeout", "10"]) == 0
    assert grading.file_hashes(subs) == before  # no learner's file changed (nor was one added)
    rows = {r["learner"]: r for r in csv.DictReader(gradebook.open(encoding="utf-8"))}
    labels = grading.chapter_labels(CHAPTER)
    n = str(len(labels))
    assert set(rows) == {"ada", "ben", "cai", "dee", "eve", "fay", "gus", "hal"}
    assert rows["ada"]["status"] == "graded" and rows["ada"]["total"] == n and rows["ada"]["out_of"] == n
    assert all(rows["ada"][label] == "1" for label in labels)
    assert rows["ben"]["status"] == "graded" and rows["ben"]["total"] == "0"
    assert rows["cai"]["total"] == "1" and rows["cai"][labels[1]] == "1" and rows["cai"][labels[0]] == "0"
    assert "raised ValueError" in rows["dee"]["status"] and rows["dee"]["total"] == n
    assert "interrupted" in rows["eve"]["status"] and rows["eve"]["total"] == n
    assert "no answer checks ran" in rows["hal"]["status"] and rows["hal"]["total"] == "0"
    assert rows["fay"]["status"].startswith("not valid JSON") and rows["fay"]["total"] == ""
    assert rows["gus"]["status"].startswith("a different chapter") and rows["gus"]["total"] == ""
    assert {r["sandbox"] for r in rows.values() if r["total"]} <= {"unshare", "socket guard"}
    text = (feedback / "cai" / f"{CHAPTER}.md").read_text(encoding="utf-8")
    assert "✔ right" in text and "✘ not yet" in text and "There is no answer yet" in text
    assert "is right" in (feedback / "ada" / f"{CHAPTER}.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_no_network_and_a_run_that_ignores_interrupts_is_killed_with_its_kernel(tmp_path):
    token = f"987.{os.getpid()}"
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# About the evidence in this book"),
        nbformat.v4.new_code_cell(
            "import socket\n"
            "try:\n"
            "    socket.create_connection(('1.1.1.1', 443), timeout=3)\n"
            "    network = 'open'\n"
            "except OSError:\n"
            "    network = 'blocked'\n"
            "from book.answers import ANSWERS\n"
            "my_count = ANSWERS['ex-about-count'].compute() if network == 'blocked' else -1"
        ),
        nbformat.v4.new_code_cell("from book.exercises import check_answer\ncheck_answer('ex-about-count', my_count)"),
        nbformat.v4.new_code_cell(
            f"import subprocess\nsubprocess.Popen(['sleep', '{token}'])\n"
            "import time\nwhile True:\n    try:\n        time.sleep(0.05)\n    except KeyboardInterrupt:\n        pass"
        ),
    ]
    nb.cells[2].metadata["tags"] = ["answer-check"]
    (tmp_path / "ivy").mkdir()
    path = tmp_path / "ivy" / "about-the-evidence.ipynb"
    nbformat.write(nb, path)
    result = grading.grade_notebook(path, "ivy", timeout=30, cell_timeout=15)
    assert result.chapter == "about-the-evidence"
    assert result.scores == {"ex-about-count": 1}, result.messages  # the connection failed
    assert "timed out" in result.status or "interrupted (learner's cell 3)" in result.status, result.status
    if result.sandbox == "unshare":  # every process of the run died with it
        alive = [p for p in Path("/proc").iterdir() if p.name.isdigit() and token in _cmdline(p)]
        assert not alive
