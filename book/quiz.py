"""Self-marking quizzes, one per chapter, kept as data in ``chapters/quizzes/<chapter>.json``.

The quizzes use jupyterquiz, which renders them with JavaScript inside the notebook's output: they
work in JupyterLab and on the static site, offline, with no kernel. :func:`load_quiz` checks a quiz
file (at least five questions; every option of every question carries an explanation).
"""

from __future__ import annotations

import json
import random

from .paths import QUIZ_DIR

__all__ = ["QUIZ_DIR", "load_quiz", "show_quiz"]


def load_quiz(chapter: str) -> list[dict]:
    """The questions of a chapter's quiz, checked; a clear message if the file is missing or malformed."""
    path = QUIZ_DIR / f"{chapter}.json"
    if not path.is_file():
        known = sorted(p.stem for p in QUIZ_DIR.glob("*.json"))
        raise FileNotFoundError(f"No quiz for chapter {chapter!r} (looked for {path}). Quizzes: {', '.join(known)}.")
    try:
        questions = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path.name} is not valid JSON: {exc}") from None
    problems = []
    if not isinstance(questions, list) or len(questions) < 5:
        problems.append("a quiz needs a list of at least five questions")
    for i, q in enumerate(questions if isinstance(questions, list) else [], start=1):
        if q.get("type") not in {"multiple_choice", "many_choice", "numeric", "string"}:
            problems.append(f"question {i}: unknown type {q.get('type')!r}")
        answers = q.get("answers", [])
        if not any(a.get("correct") for a in answers):
            problems.append(f"question {i}: no answer is marked correct")
        for j, a in enumerate(answers, start=1):
            if not str(a.get("feedback", "")).strip():
                problems.append(f"question {i}, option {j}: no explanation (feedback)")
    if problems:
        raise ValueError(f"{path.name}: " + "; ".join(problems))
    return questions


def show_quiz(chapter: str) -> None:
    """Display the chapter's quiz. Options keep their order and the quiz's element id is stable,
    so that a notebook's stored output does not change from one run to the next."""
    from jupyterquiz import display_quiz

    load_quiz(chapter)
    state = random.getstate()
    random.seed(chapter)  # jupyterquiz draws its element id from `random`
    try:
        display_quiz(
            str(QUIZ_DIR / f"{chapter}.json"), shuffle_answers=False, colors={"--jq-many-choice-bg": "#9c3a00"}
        )  # darker than the default, for contrast
    finally:
        random.setstate(state)
