"""Website checks of the answer-checked exercises (issue 23.6): every exercise whose answer is a number or a choice.

An answer-check cell needs a kernel. :func:`show_check` displays, beside it, a check of the same exercise that needs
none, so a reader of the static site (or of JupyterLab without running the cell) can check an answer too, with the
kernel check's feedback. Chapters call it under each check cell, whatever the kind of answer; it dispatches on the
registry entry (:data:`book.teaching.answers.ANSWERS`):

* Answers computed from data/ or a book function (:class:`~book.teaching.answers.ComputedAnswer`, kinds ``data`` and
  ``computed``): a jupyterquiz numeric item (:func:`check_item`). The key is computed now, with the entry's tolerance,
  and the feedback is the kernel check's: "correct", or too high / too low with the entry's hint. Like every
  jupyterquiz item (and the chapter quizzes), the key is then in the page and in the notebook's stored output: a
  reader who opens the page source can find it; it is computed from the data the book shows anyway.
* Fixed answers (:class:`~book.teaching.answers.HashedAnswer`, kinds ``choice``, ``text`` and ``number``), which the
  registry holds only as salted hashes: a form (radio buttons, or a text box, and a Check button) whose output holds
  only the digests and the sealed per-option explanations, never the key; the learner's answer is normalised and
  hashed in the browser (:mod:`book.teaching.hashed_checks`, script ``book/site/static/kap-check.js``), so the
  notebooks and pages still hold no key and no explanation in plain text (tests/test_answer_keys.py).
"""

from __future__ import annotations

from .answers import ANSWERS, ComputedAnswer, HashedAnswer

__all__ = ["checkable", "check_item", "show_check"]

_FAR = 1e12


def checkable(label: str) -> bool:
    """Whether ``label`` has a website check: its answer is computed (a number) or fixed (a choice, text or number)."""
    return isinstance(ANSWERS.get(label), (ComputedAnswer, HashedAnswer))


def check_item(label: str) -> dict:
    """The exercise ``label`` as a jupyterquiz numeric item with the kernel check's feedback."""
    entry = ANSWERS.get(label)
    if not isinstance(entry, ComputedAnswer):
        raise ValueError(f"{label!r} has no jupyterquiz item: its answer is not computed (see book.teaching.exercise_checks).")
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
    """Display the website check of exercise ``label``: a jupyterquiz item (offline script, stable element id) for a
    computed answer, the hashed check (:func:`book.teaching.hashed_checks.show_hashed_check`) for a fixed one."""
    if isinstance(ANSWERS.get(label), HashedAnswer):
        from .hashed_checks import show_hashed_check

        show_hashed_check(label)
        return
    from .quiz import display_quiz_offline

    display_quiz_offline([check_item(label)], label)
