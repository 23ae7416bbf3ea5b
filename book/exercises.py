"""Answer checks for learners in JupyterLab: right, or why not, with a hint. No grading server.

Each check returns a :class:`Feedback`, which shows itself as a short message in a notebook and
has ``.correct`` for code. A wrong type or an empty answer gets a friendly message, never a
traceback. Questions whose answer comes from the data (:data:`DATA_QUESTIONS`) are checked
against ``data/`` at the moment of checking, so the expected answer never drifts from the data.

Chapters call one function, :func:`check_answer`, with the label of the exercise (its ``:label:``);
the answer lives in the registry (:mod:`book.answers`), never in the notebook, so the key is not
shown under the question on the website, in JupyterLab or in a student copy::

    from book.exercises import check_answer
    my_choice = ...  # "a", "b" or "c"
    check_answer("ex-cocaine-control", my_choice)

The building blocks stay public (tests and new registry kinds use them)::

    check_number(my_answer, 37.5, tolerance=0.1, unit="percentage points")
    check_choice(my_choice, "b", options={"a": "...", "b": "..."})
    check_text(my_words, {"active control"})
    check_data_answer("cocaine-studies", my_count)
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "Feedback",
    "check_answer",
    "check_number",
    "check_choice",
    "check_text",
    "check_data_answer",
    "DATA_QUESTIONS",
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


# --- questions answered from the data ---------------------------------------------------------


def _studies() -> pd.DataFrame:
    from .data import load_studies

    return load_studies()


def _count(**conditions) -> Callable[[], float]:
    def compute() -> float:
        s = _studies()
        keep = pd.Series(True, index=s.index)
        for column, value in conditions.items():
            keep &= s[column].astype(str) == str(value)
        return float(keep.sum())

    return compute


def _randomized_participants(substance: str) -> Callable[[], float]:
    def compute() -> float:
        s = _studies()
        return float(s.loc[(s["substance"] == substance) & s["randomized"], "n_participants"].sum())

    return compute


def _arm_difference(outcome_prefix: str) -> Callable[[], float]:
    def compute() -> float:
        from .data import load_arms

        arms = load_arms(outcome_prefix)["percent"]
        return float(arms["ketamine"] - arms["control"])

    return compute


def _studies_with_harm_figures() -> float:
    from .data import TRIAL_POPULATION, load_harms

    harms = load_harms(population=TRIAL_POPULATION)
    return float(harms.loc[harms["reporting"] == "count or percentage", "study_id"].nunique())


def _mechanism_claims_in_addiction() -> float:
    from .data import load_mechanisms

    m = load_mechanisms()
    kinds = m["evidence_kind"].astype(str).isin(["people with a substance use disorder", "clinical trial testing a mediator"])
    return float(((m["substance"].astype(str) != "none") & kinds).sum())


def _review_claims(kind: str, verdict: str) -> Callable[[], float]:
    def compute() -> float:
        from .data import load_review_claims

        claims = load_review_claims(verdict=verdict)
        return float((claims["kind"] == kind).sum())

    return compute


def _registrations(substance: str) -> Callable[[], float]:
    def compute() -> float:
        from .data import load_registrations

        return float(len(load_registrations(substance)))

    return compute


_COUNT_HINT = "Count the rows of the studies table that match (for example with len() after filtering)."

#: key -> (question, function computing the answer from data/, tolerance, hint)
DATA_QUESTIONS: dict[str, tuple[str, Callable[[], float], float, str]] = {
    "cocaine-studies": (
        "How many clinical studies of ketamine for cocaine use are in the data?",
        _count(substance="cocaine"),
        0,
        _COUNT_HINT,
    ),
    "alcohol-rcts": (
        "How many randomized controlled trials of ketamine for alcohol use disorder are in the data?",
        _count(substance="alcohol", condition="use disorder", design="randomized controlled trial"),
        0,
        _COUNT_HINT,
    ),
    "cocaine-randomized-participants": (
        "How many participants took part in randomized cocaine studies, counting only studies whose number is known?",
        _randomized_participants("cocaine"),
        0,
        "Add up n_participants of the randomized cocaine studies.",
    ),
    "dakwar2019-abstinence-difference": (
        "By how many percentage points did abstinence over the last two weeks differ "
        "between the ketamine and midazolam groups of the 2019 cocaine trial?",
        _arm_difference("dakwar2019-abstinence"),
        0.05,
        "Subtract the midazolam percentage from the ketamine percentage.",
    ),
    "withdrawal-studies": (
        "How many studies of ketamine for withdrawal (from any substance) are in the data?",
        _count(condition="withdrawal"),
        0,
        _COUNT_HINT,
    ),
    "opioids-studies": (
        "How many clinical studies of ketamine for opioid dependence or withdrawal are in the data?",
        _count(substance="opioids"),
        0,
        _COUNT_HINT,
    ),
    "opioids-randomized-participants": (
        "How many participants took part in randomized opioid studies, counting only studies whose number is known?",
        _randomized_participants("opioids"),
        0,
        "Add up n_participants of the randomized opioid studies.",
    ),
    "opioids-krupitsky2007-abstinence-difference": (
        "By how many percentage points did abstinence at one year differ between the "
        "three-session and one-session groups of the 2007 heroin trial?",
        _arm_difference("krupitsky2007-abstinence-12mo"),
        0.05,
        "Subtract the one-session percentage from the three-session percentage.",
    ),
    "alcohol-withdrawal-studies": (
        "How many studies of ketamine for alcohol withdrawal (not opioid withdrawal) are in the data?",
        _count(substance="alcohol", condition="withdrawal"),
        0,
        _COUNT_HINT,
    ),
    "alcohol-randomized-participants": (
        "How many participants took part in randomized alcohol studies, counting only studies whose number is known?",
        _randomized_participants("alcohol"),
        0,
        "Add up n_participants of the randomized alcohol studies.",
    ),
    "trial-studies-with-harm-figures": (
        "How many of the book's clinical studies give at least one harm as a count or percentage in the text we read?",
        _studies_with_harm_figures,
        0,
        "Filter the harms of trial participants to reporting == 'count or percentage' and count the distinct study_id values.",
    ),
    "mechanism-claims-in-addiction": (
        "How many mechanism claims come from people with a substance use disorder (a drug of misuse, and evidence from "
        "people with the disorder or from a trial testing a mediator in them)?",
        _mechanism_claims_in_addiction,
        0,
        "Filter the mechanisms table on substance != 'none' and on the two kinds of evidence, then count the rows.",
    ),
    "review-references-not-found": (
        "How many entries of the source review's reference list could not be found as cited?",
        _review_claims("reference", "reference not found"),
        0,
        "Filter load_review_claims() on kind == 'reference' and verdict == 'reference not found', and count the rows.",
    ),
    "methamphetamine-registrations": (
        "How many registered trials of ketamine for methamphetamine use disorder are in the data?",
        _registrations("methamphetamine"),
        0,
        "Filter load_registrations() on substance == 'methamphetamine' and count the rows.",
    ),
    "alcohol-krupitsky1997-abstinence-difference": (
        "By how many percentage points did one-year abstinence differ between the "
        "ketamine psychedelic therapy group and the conventional-treatment group "
        "in Krupitsky 1997?",
        _arm_difference("krupitsky1997-abstinence"),
        0.05,
        "Subtract the control percentage from the ketamine percentage.",
    ),
}


def check_data_answer(key: str, answer) -> Feedback:
    """Check ``answer`` to a question whose answer is computed from ``data/`` now (see :data:`DATA_QUESTIONS`)."""
    if key not in DATA_QUESTIONS:
        return Feedback(False, f"There is no question {key!r}. Questions: {', '.join(DATA_QUESTIONS)}.")
    question, compute, tolerance, hint = DATA_QUESTIONS[key]
    return check_number(answer, compute(), tolerance, hint=f"{question} {hint}")


def check_answer(label: str, answer) -> Feedback:
    """Check ``answer`` to the exercise labelled ``label`` (e.g. ``"ex-cocaine-control"``) against the
    answer registry (:mod:`book.answers`). This is the one check the chapters call."""
    from .answers import check_answer as _check

    return _check(label, answer)
