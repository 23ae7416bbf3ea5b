"""A chapter's quiz file (and its ``.meta.json`` sidecar) read into :class:`Item` s, the form every writer
and reader of a learning-platform package shares; the chapter's objectives come from :mod:`book.notebooks`."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from ... import notebooks
from ...paths import CHAPTERS_DIR, QUIZ_DIR

#: Points per item in every package.
POINTS = 1


# --- the quiz files, read generically -----------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One answer of an item: its text (for a number, the number), whether it is right, its feedback.

    ``kind`` is ``choice`` (an option to pick), ``value`` (a number, right within ``tolerance``), ``range``
    (a number between ``low`` and ``high``), ``text`` (a short answer) or ``default`` (any other answer)."""

    kind: str
    text: str
    correct: bool
    feedback: str
    tolerance: float = 0.0
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Item:
    """One quiz question, in the form every writer and reader shares."""

    chapter: str
    number: int  # 1-based position in the quiz
    kind: str  # "single", "multiple", "numeric" or "text"
    text: str
    options: tuple[Option, ...]
    points: float = POINTS
    objectives: tuple[str, ...] = field(default_factory=tuple)

    @property
    def canvas_title(self) -> str:
        """The title Canvas shows in its question list: the objectives by number (or short name) only."""
        short = [o.split(":", 1)[0] for o in self.objectives]
        return self.title + (f" [{', '.join(short)}]" if short else "")

    @property
    def ident(self) -> str:
        return f"{self.chapter}-q{self.number}"

    @property
    def title(self) -> str:
        return f"{self.chapter} Q{self.number}"


def quiz_chapters() -> list[str]:
    """The chapters with a quiz file (``chapters/quizzes/<chapter>.json``; ``*.meta.json`` sidecars left out)."""
    return sorted(p.stem for p in QUIZ_DIR.glob("*.json") if not p.name.endswith(".meta.json"))


def chapter_objectives(chapter: str) -> list[str]:
    """The chapter's numbered learning objectives as plain text (:func:`book.notebooks.objectives`, roles as text)."""
    if not (CHAPTERS_DIR / f"{chapter}.ipynb").is_file():
        return []
    return [notebooks.plain_text(o).rstrip(";,. ") for o in notebooks.objectives(CHAPTERS_DIR / f"{chapter}.ipynb")]


def _sidecar(chapter: str) -> list | dict | None:
    path = QUIZ_DIR / f"{chapter}.meta.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _objective_refs(question: dict, index: int, sidecar) -> list:
    """The objectives an item names: its own ``objectives``/``objective`` field, else the sidecar's entry for it
    (a list in quiz order, ``{"items"|"questions": [...]}``, or a mapping by number or question text)."""
    for key in ("objectives", "objective"):
        if question.get(key) not in (None, "", []):
            found = question[key]
            return found if isinstance(found, list) else [found]
    if sidecar is None:
        return []
    entries = sidecar
    if isinstance(sidecar, dict):
        for key in ("items", "questions"):
            if isinstance(sidecar.get(key), list):
                entries = sidecar[key]
                break
    entry = None
    if isinstance(entries, list):
        entry = entries[index] if index < len(entries) else None
    elif isinstance(entries, dict):
        mapping = entries.get("objectives", entries) if isinstance(entries.get("objectives"), dict) else entries
        entry = mapping.get(str(index + 1), mapping.get(question.get("question", ""), None))
    if isinstance(entry, dict):
        entry = entry.get("objectives", entry.get("objective"))
    if entry in (None, "", []):
        return []
    return entry if isinstance(entry, list) else [entry]


def _objective_label(ref, objectives: list[str]) -> str:
    """``2`` or ``"2"`` -> "Objective 2: <its text>"; any other text is kept as it is."""
    if isinstance(ref, int) and not isinstance(ref, bool) or (isinstance(ref, str) and ref.strip().isdigit()):
        n = int(ref)
        text = objectives[n - 1] if 0 < n <= len(objectives) else ""
        return f"Objective {n}: {text}" if text else f"Objective {n}"
    if isinstance(ref, dict):
        return str(ref.get("text") or ref.get("id") or json.dumps(ref, sort_keys=True))
    return str(ref)


def _numeric_tolerance(value: float, precision) -> float:
    """jupyterquiz compares numbers to ``precision`` significant digits: half a unit in the last of them."""
    if not precision or value == 0:
        return 0.0
    return 0.5 * 10 ** (math.floor(math.log10(abs(value))) - int(precision) + 1)


def _options(question: dict) -> tuple[Option, ...]:
    kind = question.get("type")
    out = []
    for answer in question.get("answers", []):
        feedback = str(answer.get("feedback", "")).strip()
        correct = bool(answer.get("correct", False))
        if kind == "numeric":
            atype = answer.get("type", "value")
            if atype == "default":
                out.append(Option("default", "", False, feedback))
            elif atype == "range":
                low, high = (float(x) for x in answer["range"])
                out.append(Option("range", f"{low:g} to {high:g}", correct, feedback, low=low, high=high))
            else:
                value = float(answer["value"])
                tol = _numeric_tolerance(value, question.get("precision"))
                out.append(Option("value", f"{value:g}", correct, feedback, tolerance=tol))
        elif kind == "string":
            if answer.get("type") == "default":
                out.append(Option("default", "", False, feedback))
            else:
                out.append(Option("text", str(answer.get("answer", "")), correct, feedback))
        else:
            out.append(Option("choice", str(answer.get("answer", "")), correct, feedback))
    return tuple(out)


_KINDS = {"multiple_choice": "single", "many_choice": "multiple", "numeric": "numeric", "string": "text"}


def quiz_items(chapter: str) -> list[Item]:
    """Every item of a chapter's quiz, checked by :func:`book.quiz.load_quiz`, with its objectives."""
    from ..quiz import load_quiz

    questions = load_quiz(chapter)
    objectives = chapter_objectives(chapter)
    sidecar = _sidecar(chapter)
    items = []
    for i, q in enumerate(questions):
        refs = _objective_refs(q, i, sidecar)
        items.append(
            Item(
                chapter=chapter,
                number=i + 1,
                kind=_KINDS[q["type"]],
                text=str(q.get("question", "")).strip(),
                options=_options(q),
                points=float(q.get("points", POINTS)),
                objectives=tuple(_objective_label(r, objectives) for r in refs),
            )
        )
    return items


def _tags(item: Item) -> list[str]:
    return [f"chapter: {item.chapter}", *item.objectives]


def _quiz_title(chapter: str) -> str:
    return f"{chapter.replace('-', ' ').capitalize()}: chapter quiz"


def _number(x: float) -> str:
    return f"{x:.10g}"
