"""The course map for instructors, read from the chapters themselves (so it cannot drift from them)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .. import notebooks
from ..paths import CHAPTERS_DIR as CHAPTERS
from .quiz import load_quiz

__all__ = ["chapter_summary", "course_map"]


def _field(markdown: str, name: str) -> str:
    """The text of a '* - **Name**' row of a list-table, or of the paragraph under a '## Name' heading."""
    row = re.search(rf"\*\s+-\s+\*\*{name}\*\*\s*\n\s+-\s+(.+?)(?=\n\*\s+-|\n```)", markdown, re.S | re.I)
    if row:
        return " ".join(row.group(1).split())
    section = re.search(rf"^##\s+{name}\s*\n(.+?)(?=\n##\s|\n```|\Z)", markdown, re.S | re.I | re.M)
    return " ".join(section.group(1).split()) if section else ""


def chapter_summary(path: Path) -> dict:
    """Title, objectives, prerequisites, estimated time, exercises and quiz size of one chapter notebook."""
    cells = notebooks.cells(path)
    markdown = "\n".join(c["source"] for c in cells if c["cell_type"] == "markdown")
    title = re.search(r"^#\s+(.+)$", markdown, re.M)
    objectives = _field(markdown, "Learning objectives")
    objectives = re.sub(r"^By the end of this chapter you will be able to:\s*", "", objectives)
    try:
        quiz = len(load_quiz(path.stem))
    except FileNotFoundError:
        quiz = 0
    return {
        "chapter": title.group(1).strip() if title else path.stem,
        "file": f"chapters/{path.name}",
        "objectives": objectives,
        # Links to other chapters ({doc} roles or [Title](chapter.ipynb)) as their plain text.
        "prerequisites": re.sub(
            r"\[([^\]]+)\]\([^)]+\.ipynb\)", r"\1", re.sub(r"\{doc\}`([^`]+)`", r"\1", _field(markdown, "Prerequisites"))
        ),
        "estimated time": _field(markdown, "Estimated time"),
        "exercises": len(notebooks.directives(markdown, "exercise")),
        "answer checks": sum("answer-check" in c["metadata"].get("tags", []) for c in cells),
        "quiz questions": quiz,
    }


def course_map(chapters: list[str] | None = None) -> pd.DataFrame:
    """One row per chapter, in the order of the table of contents."""
    names = chapters or notebooks.toc_chapters()
    return pd.DataFrame([chapter_summary(CHAPTERS / f"{n}.ipynb") for n in names])
