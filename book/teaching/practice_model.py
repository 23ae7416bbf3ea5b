"""The practice item and how its key is computed: :class:`Practice`, :func:`answer`, :func:`quiz_item`.

Kept apart from :mod:`book.teaching.practice` (which displays the items) so that the item list
(:mod:`book.teaching.practice_items`) can import the model without importing its own user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as _field

import pandas as pd

from .chart_inputs import bound_params, rows_shown

__all__ = ["Practice", "answer", "default_answer", "quiz_item"]


@dataclass(frozen=True)
class Practice:
    """One practice question that needs a chart's (or the explorer's) inputs set."""

    label: str
    chapter: str
    needs: str  # the chart or explorer function, as the chapter calls it
    question: str
    settings: dict  # bound input -> value (charts) or Selection fields (explorer)
    key: Callable[[pd.DataFrame], float]  # rows shown -> the answer
    field: str | None = "study"  # a field of the chart's data set (picks the data set)
    build: Callable[[], object] | None = None  # the chart, as the chapter draws it
    tolerance: float = 0.0
    why: str = ""  # what the right answer shows (feedback)
    hint: str = ""  # feedback for any other answer
    objectives: tuple[int, ...] = _field(default_factory=tuple)


def _count(column: str, where: Callable[[pd.DataFrame], pd.Series] | None = None):
    def key(rows: pd.DataFrame) -> float:
        rows = rows[where(rows)] if where is not None and len(rows) else rows
        return float(rows[column].nunique()) if len(rows) else 0.0

    return key


def _excludes_null(rows: pd.DataFrame) -> pd.Series:
    return (rows["lo"] > 0) | (rows["hi"] < 0)


def _arm_gap(rows: pd.DataFrame) -> float:
    arms = rows.groupby("arm")["percent"].first()
    return round(float(arms["ketamine"] - arms["control"]), 0)


def _explorer(settings: dict) -> pd.DataFrame:
    from ..evidence.effects import study_effects
    from ..evidence.loaders import load_outcomes
    from ..views.widgets import Selection, explore

    filtered, pooled, _ = explore(study_effects(load_outcomes()), Selection(**settings))
    filtered = filtered.copy()
    filtered.attrs["pooled"] = pooled
    return filtered


def answer(p: Practice, settings: dict | None = None) -> float:
    """The key of ``p``, computed now from data/ (with ``settings`` instead of the item's, if given)."""
    settings = p.settings if settings is None else settings
    if p.needs == "StudyExplorer":
        return p.key(_explorer(settings))
    if p.field is None:  # a chart computed in the browser from its inputs alone
        chart = p.build().to_dict()
        params = bound_params(chart)
        unknown = set(settings) - set(params)
        if unknown:
            raise ValueError(f"{p.needs} has no bound input(s) {sorted(unknown)}; it has {sorted(params)}.")
        return p.key(pd.DataFrame([{**params, **settings}]))
    return p.key(rows_shown(p.build(), settings, p.field))


def default_answer(p: Practice) -> float | None:
    """What the same question gives with the inputs left as the chapter draws them (differs from the key)."""
    if p.needs == "StudyExplorer":
        return None
    return answer(p, {})


def quiz_item(p: Practice) -> dict:
    """``p`` as a jupyterquiz numeric question, key computed from data/."""
    value = answer(p)
    shown = f"{value:g}"
    right = {"type": "value", "value": value, "correct": True, "feedback": f"Correct: {shown}. {p.why}".strip()}
    answers = [right]
    if p.tolerance:
        lo, hi = value - p.tolerance, value + p.tolerance
        answers.append({"type": "range", "range": [lo, hi], "correct": True, "feedback": right["feedback"]})
    answers.append({"type": "default", "feedback": f"Not this one. {p.hint}".strip()})
    return {"question": p.question, "type": "numeric", "precision": 4, "answers": answers}
