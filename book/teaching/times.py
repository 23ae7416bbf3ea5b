"""Honest study times: one stated formula, applied to each chapter section by section (issue 23.9).

The formula (:data:`RATES`, printed by :func:`formula_text` and stated in the instructor guide):

* **prose**: the words of the Markdown cells a learner reads (not exercise text, not folded solutions, not cells removed
  from the page), at ``words_per_minute`` words a minute, a pace for study reading of technical text;
* **tables, charts and explorers**: ``minutes_per_display`` minutes for each code cell that shows something (a table,
  a chart whose inputs may be set, an explorer), to read it; answer-check cells, solutions and the quiz are counted
  apart;
* **exercises**, by kind: ``computed`` (the answer is a number the learner computes, from the data or from given
  inputs), ``judged`` (a choice or short answer, with a reason; also an explorer practice question, where the learner
  sets a chart's inputs and types what it shows) and ``open`` (a written answer compared with the solution, or a
  judgement compared in the page with the book's own, such as a risk-of-bias or GRADE practice), each with its
  minutes; the kind comes from the answer registry (:mod:`book.teaching.answers`): no registry entry counts as open;
* **quiz**: ``minutes_per_quiz_item`` for each question of the chapter's quiz.

These are the book's conventions for planning, not research findings: a learner's pace varies widely. A chapter states
each part rounded to 5 minutes and their sum as the total (``About N minutes: ...``, :func:`stated_text`) in its
opening table; :func:`time_table` gives the minutes per section, and ``tests/test_times.py`` keeps each stated total
within 15% of the formula and checks that the stated parts add up.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .. import notebooks

__all__ = [
    "RATES",
    "formula_text",
    "SectionTime",
    "section_times",
    "chapter_minutes",
    "stated_minutes",
    "stated_parts",
    "whole_minutes",
    "time_table",
]

#: The formula's rates (minutes, except words per minute).
RATES = {
    "words_per_minute": 150,
    "minutes_per_display": 2,
    "computed": 8,
    "judged": 4,
    "open": 10,
    "minutes_per_quiz_item": 1.5,
}
TOLERANCE = 0.15

_FENCE = re.compile(r"^(```+|:::+)\{(exercise|solution)[^\n]*\n.*?^\1\s*$", re.S | re.M)
_WORD = re.compile(r"[^\W_][\w'’.-]*")


def formula_text() -> str:
    """The formula in one sentence, as the instructor guide states it."""
    r = RATES
    return (
        f"reading at {r['words_per_minute']} words a minute for prose, {r['minutes_per_display']} minutes for each table, "
        f"chart or explorer, {r['computed']} minutes for an exercise whose answer is computed, {r['judged']} for one "
        f"judged (a choice with a reason), {r['open']} for an open written answer, and {r['minutes_per_quiz_item']:g} "
        f"minutes per quiz question"
    )


@dataclass
class SectionTime:
    section: str
    words: int = 0
    displays: int = 0
    exercises: dict | None = None
    quiz_items: int = 0

    @property
    def reading(self) -> float:
        return self.words / RATES["words_per_minute"] + self.displays * RATES["minutes_per_display"]

    @property
    def exercise_minutes(self) -> float:
        return sum(RATES[kind] * n for kind, n in (self.exercises or {}).items())

    @property
    def quiz(self) -> float:
        return self.quiz_items * RATES["minutes_per_quiz_item"]

    @property
    def total(self) -> float:
        return self.reading + self.exercise_minutes + self.quiz


def _exercise_kind(label: str) -> str:
    from .answers import ANSWERS

    kinds = {e.kind for key, e in ANSWERS.items() if key == label or key.startswith(f"{label}/")}
    if not kinds:
        return "open"
    return "judged" if kinds <= {"choice", "text"} else "computed"


def _quiz_size(chapter: str) -> int:
    from .quiz import load_quiz

    try:
        return len(load_quiz(chapter))
    except (FileNotFoundError, ValueError):
        return 0


def _markdown_sections(text: str, current: str) -> list[tuple[str, str]]:
    """``text`` split at its ``## `` headings: (section, text) pairs, the first continuing ``current``."""
    parts, name, lines = [], current, []
    for line in text.splitlines():
        heading = re.match(r"^##\s+(.+)$", line)
        if heading:
            parts.append((name, "\n".join(lines)))
            name, lines = heading.group(1).strip(), []
        else:
            lines.append(line)
    parts.append((name, "\n".join(lines)))
    return parts


def section_times(chapter: str) -> list[SectionTime]:
    """The chapter's sections (its ``##`` headings, in order) with what each asks of a learner."""
    sections: dict[str, SectionTime] = {}
    current = "Opening"
    for cell in notebooks.cells(chapter):
        tags = cell["metadata"].get("tags", [])
        if "solution" in tags or "remove-cell" in tags:
            continue
        if cell["cell_type"] == "markdown":
            for name, text in _markdown_sections(cell["source"], current):
                current = name
                entry = sections.setdefault(name, SectionTime(name, exercises={}))
                for directive in notebooks.directives(text, "exercise"):
                    kind = _exercise_kind(directive.options.get("label", ""))
                    entry.exercises[kind] = entry.exercises.get(kind, 0) + 1
                entry.words += len(_WORD.findall(_FENCE.sub("", text)))
            continue
        entry = sections.setdefault(current, SectionTime(current, exercises={}))
        source = cell["source"]
        if "show_quiz(" in source:
            entry.quiz_items += _quiz_size(notebooks.chapter_path(chapter).stem)
        elif "show_practice(" in source:  # an explorer practice question: set the inputs, read, answer
            entry.exercises["judged"] = entry.exercises.get("judged", 0) + 1
        elif "answer-check" in tags or "time_table(" in source or "show_check(" in source:
            continue  # an exercise's check (in the kernel or on the page) is part of the exercise's minutes
        elif cell.get("outputs") or "remove-output" in tags:
            entry.displays += 1
    return [s for s in sections.values() if s.total > 0]


def chapter_minutes(chapter: str) -> dict[str, float]:
    """The formula's minutes for the whole chapter: reading, exercises, quiz and total."""
    parts = section_times(chapter)
    reading = sum(s.reading for s in parts)
    exercises = sum(s.exercise_minutes for s in parts)
    quiz = sum(s.quiz for s in parts)
    return {"reading": reading, "exercises": exercises, "quiz": quiz, "total": reading + exercises + quiz}


def _round5(minutes: float) -> int:
    return max(5, int(5 * round(minutes / 5)))


def stated_text(chapter: str) -> str:
    """What the chapter's "Estimated time" row should say, from the formula."""
    m = chapter_minutes(chapter)
    reading, exercises, quiz = (_round5(m[part]) for part in ("reading", "exercises", "quiz"))
    # The total is the sum of the parts as stated, so that the sentence adds up.
    return (
        f"About {reading + exercises + quiz} minutes: {reading} reading the text, tables and charts, "
        f"{exercises} for the exercises and {quiz} for the quiz (section by section below)."
    )


def stated_minutes(chapter: str) -> int | None:
    """The total the chapter states in its opening "Estimated time" row (``About N minutes``), or None."""
    opening = notebooks.cells(chapter)[0]["source"]
    row = re.search(r"\*\*Estimated time\*\*\s*\n\s+-\s+(?:About\s+)?(\d+)\s+minutes", opening)
    return int(row.group(1)) if row else None


def stated_parts(chapter: str) -> tuple[int, int, int, int] | None:
    """What the chapter's opening "Estimated time" row states, in the form :func:`stated_text` writes: (total, reading,
    exercises, quiz) minutes, or None when the row does not read that way."""
    opening = notebooks.cells(chapter)[0]["source"]
    row = re.search(r"About (\d+) minutes: (\d+) reading .*?, (\d+) for the exercises and (\d+) for the quiz", opening)
    return tuple(int(n) for n in row.groups()) if row else None


def whole_minutes(parts: list[float]) -> list[int]:
    """``parts`` (minutes) as whole minutes that add up to their total rounded half up (at least 1): each part rounded
    down, then the minutes left over given to the parts with the largest remainders (ties to the earlier part). So a
    row of the time table reads as a sum: 0.3 reading and 10.5 quiz minutes are 0 and 11, not 0 and 10 beside 11."""
    if not parts or not all(isinstance(part, int | float) and math.isfinite(part) and part >= 0 for part in parts):
        raise ValueError(f"minutes must be a non-empty list of finite numbers of at least 0, not {parts!r}")
    total = max(1, int(sum(parts) + 0.5))
    whole = [int(part) for part in parts]
    by_remainder = sorted(range(len(parts)), key=lambda i: (-(parts[i] - whole[i]), i))
    for i in by_remainder[: max(0, total - sum(whole))]:
        whole[i] += 1
    return whole


def time_table(chapter: str):
    """The chapter's estimated minutes per section, as a table for the page: whole minutes (at least 1 a section),
    each row's parts adding up to its minutes (:func:`whole_minutes`)."""
    import pandas as pd

    from ..views.kit import styled

    rows = []
    for s in section_times(chapter):
        reading, exercises, quiz = whole_minutes([s.reading, s.exercise_minutes, s.quiz])
        rows.append(
            {
                "section": s.section,
                "reading": reading,
                "exercises": exercises,
                "quiz": quiz,
                "minutes": reading + exercises + quiz,
            }
        )
    frame = pd.DataFrame(rows)
    return styled(frame, "Estimated minutes, section by section (the instructor guide states the formula)", "times")
