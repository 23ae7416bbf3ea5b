"""Explorer-driven practice: one question per chart with bound inputs (and per StudyExplorer), answered from data/.

Each :class:`Practice` names the chapter, the chart function it needs (as the chapter calls it), the input values
the learner must set, and how the key is computed from the rows the chart then shows
(:func:`book.teaching.chart_inputs.rows_shown`) or, for the StudyExplorer, from :func:`book.views.widgets.explore`.
No key is typed: a change in data/ changes the key. :func:`show_practice` displays the question as a jupyterquiz
numeric item (the same script as the chapter quizzes), so it is checked in the browser with no kernel, on the site
and in JupyterLab, with the same feedback. Its metadata (objectives, the chart it needs) is the entry under the
item's label in the chapter's ``chapters/quizzes/<chapter>.meta.json`` "exercises" object, with ``"kind": "practice"``.

Like every jupyterquiz item, the key is in the page (jupyterquiz embeds its answers in the output); these items are
practice with feedback, not assessment under exam conditions.
"""

from __future__ import annotations

import json

from .practice_items import ITEMS
from .practice_model import Practice, answer, default_answer, quiz_item

__all__ = ["Practice", "practice_for", "answer", "default_answer", "quiz_item", "show_practice"]


def practice_for(chapter: str) -> list[Practice]:
    return [p for p in ITEMS if p.chapter == chapter]


def _by_label(label: str) -> Practice:
    for p in ITEMS:
        if p.label == label:
            return p
    raise KeyError(f"No practice item {label!r}. Known: {', '.join(p.label for p in ITEMS)}")


def show_practice(label: str) -> None:
    """Display one practice item (jupyterquiz, offline script, stable element id) under its chart."""
    from .quiz import display_quiz_offline

    display_quiz_offline(json.loads(json.dumps([quiz_item(_by_label(label))])), label)
