"""The building blocks of answer checks for learners in JupyterLab: right, or why not, with a hint. No grading server.

Each check returns a :class:`Feedback`, which shows itself as a short message in a notebook and
has ``.correct`` for code. A wrong type or an empty answer gets a friendly message, never a
traceback. Questions whose answer comes from the data (:data:`DATA_QUESTIONS`) are checked
against ``data/`` at the moment of checking, so the expected answer never drifts from the data.

Chapters call one function, :func:`book.teaching.answers.check_answer`, with the label of the exercise (its
``:label:``); the answer lives in the registry (:mod:`book.teaching.answers`), never in the notebook, so the key is not
shown under the question on the website, in JupyterLab or in a student copy::

    from book.teaching import check_answer
    my_choice = ...  # "a", "b" or "c"
    check_answer("ex-cocaine-control", my_choice)

The building blocks stay public (tests and new registry kinds use them)::

    check_number(my_answer, 37.5, tolerance=0.1, unit="percentage points")
    check_choice(my_choice, "b", options={"a": "...", "b": "..."})
    check_text(my_words, {"active control"})
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "Feedback",
    "check_number",
    "check_choice",
    "check_text",
    "judge_choice",
    "judge_text",
    "judge_rounded_number",
    "normal_choice",
    "normal_text",
]


@dataclass(frozen=True)
class Feedback:
    """The result of a check: ``correct`` and a message for the learner."""

    correct: bool
    message: str

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        return ("✔ " if self.correct else "✘ ") + self.message

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour, label = ("#1b5e20", "Right") if self.correct else ("#8a1c1c", "Not yet")
        return (
            f'<div role="status" style="border-left:4px solid {colour};padding:0.3rem 0.6rem">'
            f"<strong>{label}.</strong> {html.escape(self.message)}</div>"
        )


def _empty(answer) -> bool:
    return answer is None or answer is ... or (isinstance(answer, str) and not answer.strip())


def _as_number(answer) -> float | None:
    if isinstance(answer, bool):
        return None
    if isinstance(answer, (int, float)) and not (isinstance(answer, float) and math.isnan(answer)):
        return float(answer)
    if isinstance(answer, str):
        try:
            return float(answer.strip().rstrip("%").replace(",", ""))
        except ValueError:
            return None
    try:  # numpy and pandas scalars
        value = float(answer)
        return None if math.isnan(value) else value
    except (TypeError, ValueError):
        return None


_NO_NUMBER = "There is no answer yet: replace the ... with a number and run the cell again."


def _number_or_feedback(answer, hint: str) -> float | Feedback:
    """The learner's number, or the feedback for an empty answer or one that is not a number."""
    if _empty(answer):
        return Feedback(False, _NO_NUMBER)
    value = _as_number(answer)
    if value is None:
        return Feedback(
            False,
            f"Your answer should be a number, but it is {type(answer).__name__} {answer!r}. "
            "Type digits only, for example 12.5." + (f" Hint: {hint}" if hint else ""),
        )
    return value


def check_number(answer, expected: float, tolerance: float = 0.0, *, unit: str = "", hint: str = "") -> Feedback:
    """Right if ``answer`` is within ``tolerance`` of ``expected``."""
    value = _number_or_feedback(answer, hint)
    if isinstance(value, Feedback):
        return value
    units = f" {unit}" if unit else ""
    if abs(value - expected) <= tolerance + 1e-12:
        return Feedback(True, f"{value:g}{units} is correct.")
    direction = "too high" if value > expected else "too low"
    return Feedback(False, f"{value:g}{units} is {direction}." + (f" Hint: {hint}" if hint else ""))


def judge_rounded_number(answer, is_correct: Callable[[float], bool], *, unit: str = "", hint: str = "") -> Feedback:
    """Like :func:`check_number`, for an answer held only as a hash: ``is_correct(value)`` decides,
    and a wrong answer is "not correct" (a hash cannot say whether it is too high or too low)."""
    value = _number_or_feedback(answer, hint)
    if isinstance(value, Feedback):
        return value
    units = f" {unit}" if unit else ""
    if is_correct(value):
        return Feedback(True, f"{value:g}{units} is correct.")
    return Feedback(False, f"{value:g}{units} is not correct." + (f" Hint: {hint}" if hint else ""))


def normal_choice(answer: str) -> str:
    """An option key as the checks compare it: "(B) " -> "b"."""
    return answer.strip().lower().strip("()")


def check_choice(
    answer, correct: str, options: dict[str, str] | None = None, *, explanations: dict[str, str] | None = None, hint: str = ""
) -> Feedback:
    """Multiple choice: ``answer`` is an option's key (e.g. "b"), case-insensitive."""
    return judge_choice(answer, lambda key: key == correct.lower(), options, explanations=explanations, hint=hint)


def judge_choice(
    answer, is_correct: Callable[[str], bool], options=None, *, explanations: dict[str, str] | None = None, hint: str = ""
) -> Feedback:
    """Multiple choice with the decision left to ``is_correct(normalised key)`` (e.g. a hash comparison).

    ``options`` is any collection of option keys (a dict's keys count), or None for no check of the key.
    """
    if _empty(answer):
        return Feedback(False, 'There is no answer yet: type the letter of your choice in quotes, e.g. "a".')
    if not isinstance(answer, str):
        return Feedback(False, f'Type the letter of your choice as text in quotes, e.g. "a" (you gave {answer!r}).')
    key = normal_choice(answer)
    if options is not None and key not in {k.lower() for k in options}:
        return Feedback(False, f"{answer!r} is not one of the options ({', '.join(options)}).")
    why = (explanations or {}).get(key, "")
    if is_correct(key):
        return Feedback(True, f"({key}) is right." + (f" {why}" if why else ""))
    return Feedback(False, f"({key}) is not the best answer." + (f" {why}" if why else "") + (f" Hint: {hint}" if hint else ""))


def normal_text(text: str) -> str:
    """A short answer as the checks compare it: case, repeated spaces, hyphens and end punctuation ignored."""
    return " ".join(text.lower().replace("-", " ").split()).strip(" .")


_normal = normal_text


def check_text(answer, accepted: set[str] | list[str], *, hint: str = "") -> Feedback:
    """Short answer: right if it matches one of ``accepted`` (case, spaces and hyphens ignored)."""
    wanted = {normal_text(a) for a in accepted}
    return judge_text(answer, lambda text: text in wanted, hint=hint)


def judge_text(answer, is_correct: Callable[[str], bool], *, hint: str = "") -> Feedback:
    """Short answer with the decision left to ``is_correct(normal_text(answer))`` (e.g. a hash comparison)."""
    if _empty(answer):
        return Feedback(False, "There is no answer yet: type a few words in quotes and run the cell again.")
    if not isinstance(answer, str):
        return Feedback(False, f"Type your answer as text in quotes (you gave {answer!r}).")
    if is_correct(normal_text(answer)):
        return Feedback(True, f'"{answer.strip()}" is correct.')
    return Feedback(False, f'"{answer.strip()}" is not what we were looking for.' + (f" Hint: {hint}" if hint else ""))
