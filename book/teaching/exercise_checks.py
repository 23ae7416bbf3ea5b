"""Website checks for the exercises whose answer is computed from data/ (issue 23.6b).

An answer-check cell needs a kernel. :func:`show_check` displays, beside it, the same question as a jupyterquiz
numeric item, so a reader of the static site (or of JupyterLab without running the cell) can check a number too:
the key is computed now from the registry entry (:data:`book.teaching.answers.ANSWERS`, kinds ``data`` and
``computed``), with the entry's tolerance, and the feedback is the kernel check's: "correct", or too high / too low
with the entry's hint. Like every jupyterquiz item (and the chapter quizzes), the key is then in the page and in the
notebook's stored output: a reader who opens the page source can find it. Fixed answers (choice, text, number),
which the registry holds only as salted hashes, get no website check here: showing them would put the key and the
option explanations in the notebook, which the hashed registry exists to avoid (tests/test_answer_keys.py).
"""

from __future__ import annotations

import random

from .answers import ANSWERS, ComputedAnswer

__all__ = ["checkable", "check_item", "show_check"]

_FAR = 1e12


def checkable(label: str) -> bool:
    """Whether ``label`` has a website check (its answer is computed from data/ or a book function)."""
    return isinstance(ANSWERS.get(label), ComputedAnswer)


def check_item(label: str) -> dict:
    """The exercise ``label`` as a jupyterquiz numeric item with the kernel check's feedback."""
    entry = ANSWERS.get(label)
    if not isinstance(entry, ComputedAnswer):
        raise ValueError(f"{label!r} has no website check: its answer is not computed (see book.teaching.exercise_checks).")
    value = float(entry.compute())
    tol = float(entry.tolerance)
    hint = f" Hint: {entry.hint}" if entry.hint else ""
    right = {"correct": True, "feedback": "Correct (the same check as the code cell's)."}
    answers = [{"type": "value", "value": value, **right}]
    if tol:
        answers.append({"type": "range", "range": [value - tol, value + tol + 1e-9], **right})
    answers += [
        {"type": "range", "range": [-_FAR, value - tol], "correct": False, "feedback": "Too low." + hint},
        {"type": "range", "range": [value + tol, _FAR], "correct": False, "feedback": "Too high." + hint},
        {"type": "default", "feedback": "Type a number, for example 12.5." + hint},
    ]
    question = f"Check your answer here (no kernel needed): {entry.question}"
    return {"question": question, "type": "numeric", "answers": answers}


def show_check(label: str) -> None:
    """Display the website check of exercise ``label`` (offline jupyterquiz script, stable element id)."""
    import jupyterquiz.dynamic.display as quiz_display
    from IPython.display import Javascript, display

    from .quiz import offline_quiz_script

    item = check_item(label)

    def display_offline(obj, *args, **kwargs):
        if isinstance(obj, Javascript):
            obj = Javascript(offline_quiz_script(obj.data))
        display(obj, *args, **kwargs)

    state = random.getstate()
    random.seed(label)
    original = quiz_display.display
    quiz_display.display = display_offline
    try:
        quiz_display.display_quiz([item], shuffle_answers=False)
    finally:
        quiz_display.display = original
        random.setstate(state)
