"""Rubrics for instructors (issue 24.4): one per open exercise (an exercise whose sidecar entry in
``chapters/quizzes/<chapter>.meta.json`` says ``"answer": "open"``) and one per written assignment of the instructor
guide, kept with the question bank on the instructor side only (``instructor/rubrics.json``; never on the site or in
student copies).

Each rubric is a list of criteria, each with three levels (2 full, 1 partial, 0 missing)::

    {"exercises": {"ex-safety-carry-over": {"chapter": "safety", "criteria": [
        {"criterion": "...", "levels": {"2": "...", "1": "...", "0": "..."}}]}},
     "assignments": {"appraise-a-claim": {"title": "...", "chapter": null, "criteria": [...]}}}

:func:`problems` checks that every open exercise has a rubric and every rubric's exercise exists and is open;
:func:`rubrics_markdown` and :func:`rubrics_html` render them (``python -m book question-bank`` writes
``rubrics.md``; a chapter's instructor handout appends its rubrics with its bank).
"""

from __future__ import annotations

import html
import json

from ..paths import QUIZ_DIR, ROOT

__all__ = ["RUBRICS", "load_rubrics", "open_exercises", "problems", "rubrics_markdown", "rubrics_html"]

RUBRICS = ROOT / "instructor" / "rubrics.json"
LEVELS = ("2", "1", "0")


def load_rubrics() -> dict:
    """The rubrics file: ``{"exercises": {...}, "assignments": {...}}``."""
    return json.loads(RUBRICS.read_text(encoding="utf-8"))


def open_exercises() -> dict[str, str]:
    """Every exercise whose answer is open (judged with a rubric), by label, with its chapter."""
    found = {}
    for path in sorted(QUIZ_DIR.glob("*.meta.json")):
        exercises = json.loads(path.read_text(encoding="utf-8")).get("exercises", {})
        chapter = path.name.removesuffix(".meta.json")
        found.update({label: chapter for label, entry in exercises.items() if entry.get("answer") == "open"})
    return found


def problems() -> list[str]:
    """Open exercises without a rubric, rubrics for exercises that are not open (or in another chapter), criteria
    without their three levels. Empty when all is well."""
    rubrics, wanted = load_rubrics(), open_exercises()
    out = [
        f"open exercise {label} ({chapter}) has no rubric"
        for label, chapter in wanted.items()
        if label not in rubrics["exercises"]
    ]
    for label, rubric in rubrics["exercises"].items():
        if wanted.get(label) != rubric["chapter"]:
            out.append(f"rubric {label}: no open exercise of that label in {rubric['chapter']}")
    for kind in ("exercises", "assignments"):
        for label, rubric in rubrics[kind].items():
            for c in rubric["criteria"]:
                if not c.get("criterion") or sorted(c.get("levels", {})) != sorted(LEVELS):
                    out.append(f"rubric {label}: criterion {c.get('criterion')!r} needs levels {', '.join(LEVELS)}")
    return out


def _selected(chapter: str | None) -> list[tuple[str, str, list]]:
    rubrics = load_rubrics()
    rows = [
        (label, f"Exercise {label}", r["criteria"])
        for label, r in rubrics["exercises"].items()
        if chapter in (None, r["chapter"])
    ]
    rows += [(label, r["title"], r["criteria"]) for label, r in rubrics["assignments"].items() if chapter in (None, r["chapter"])]
    return rows


def rubrics_markdown(chapter: str | None = None) -> str:
    """The rubrics (of one chapter, or all) as Markdown tables: criterion, then 2 / 1 / 0 points."""
    out = ["# Rubrics", "", "For instructors. Each criterion scores 2 (full), 1 (partial) or 0 (missing).", ""]
    for _, title, criteria in _selected(chapter):
        out += [f"## {title}", "", "| Criterion | 2 | 1 | 0 |", "|---|---|---|---|"]
        out += [f"| {c['criterion']} | {' | '.join(c['levels'][k] for k in LEVELS)} |" for c in criteria]
        out.append("")
    return "\n".join(out)


def rubrics_html(chapter: str) -> str | None:
    """A chapter's rubrics as an HTML ``<section>`` for its instructor handout; None if it has none."""
    rows = _selected(chapter)
    if not rows:
        return None
    esc = html.escape
    parts = ['<section class="kap-rubrics" style="break-before: page"><h2>Rubrics</h2>', "<p>2 full, 1 partial, 0 missing.</p>"]
    for _, title, criteria in rows:
        cells = ["".join(f"<td>{esc(c['levels'][k])}</td>" for k in LEVELS) for c in criteria]
        body = "".join(f"<tr><td>{esc(c['criterion'])}</td>{cell}</tr>" for c, cell in zip(criteria, cells))
        parts.append(
            f'<h3>{esc(title)}</h3><table style="break-inside: avoid"><thead><tr><th>Criterion</th><th>2</th><th>1</th>'
            f"<th>0</th></tr></thead><tbody>{body}</tbody></table>"
        )
    parts.append("</section>")
    return "\n".join(parts)
