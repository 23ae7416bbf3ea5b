"""The course map for instructors, read from the chapters themselves (so it cannot drift from them).

Roles are shown as a reader sees them (``{term}`text <Target>``` as "text", ``{doc}`` as the chapter's title:
:func:`book.notebooks.plain_text`); the numbered objectives stay a numbered list (one per line in
:func:`course_map`, an HTML ordered list in :func:`course_table`)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from pandas.io.formats.style import Styler

from .. import notebooks
from ..paths import CHAPTERS_DIR as CHAPTERS
from .quiz import load_quiz

__all__ = ["chapter_summary", "course_map", "course_table"]


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
    objectives = [notebooks.plain_text(o).rstrip(";,. ") for o in notebooks.objectives(path)]
    try:
        quiz = len(load_quiz(path.stem))
    except FileNotFoundError:
        quiz = 0
    return {
        "chapter": title.group(1).strip() if title else path.stem,
        "file": f"chapters/{path.name}",
        "objectives": "\n".join(f"{n}. {o}" for n, o in enumerate(objectives, 1)),
        # Roles and links to other chapters as the text a reader sees.
        "prerequisites": notebooks.plain_text(_field(markdown, "Prerequisites")),
        "estimated time": notebooks.plain_text(_field(markdown, "Estimated time")),
        "exercises": len(notebooks.directives(markdown, "exercise")),
        "answer checks": sum("answer-check" in c["metadata"].get("tags", []) for c in cells),
        "quiz questions": quiz,
    }


def course_map(chapters: list[str] | None = None) -> pd.DataFrame:
    """One row per chapter, in the order of the table of contents."""
    names = chapters or notebooks.toc_chapters()
    return pd.DataFrame([chapter_summary(CHAPTERS / f"{n}.ipynb") for n in names])


def _ordered_list(text: str) -> str:
    """'1. a\n2. b' (already HTML-escaped) as an HTML ordered list."""
    items = [re.sub(r"^\d+\.\s+", "", line) for line in text.splitlines() if line.strip()]
    return "<ol>" + "".join(f"<li>{item}</li>" for item in items) + "</ol>" if items else ""


def course_table(chapters: list[str] | None = None):
    """The course map as the instructor guide shows it: every cell escaped as HTML text, the objectives an ordered
    list, a stable table id (``T_course``)."""
    course = course_map(chapters)
    text = [c for c in course.columns if c != "objectives"]
    return (
        Styler(course, cell_ids=False)  # no id on every cell (see book.views.kit.styled)
        .hide(axis="index")
        .set_caption("Chapters, in reading order")
        .set_uuid("course")
        .format(escape="html", subset=text)
        .format(_ordered_list, escape="html", subset=["objectives"])
    )
