"""What quiz items and worked solutions state about the data, kept beside them and checked against ``data/``.

A quiz (``chapters/quizzes/<chapter>.json``, jupyterquiz's format, which the site and JupyterLab render) has a
sidecar ``chapters/quizzes/<chapter>.meta.json``, kept apart so that jupyterquiz never sees (nor embeds in a
page) anything but the questions::

    {
      "items": [                                   # one entry per quiz question, in the quiz's order
        {"objectives": [1, 3],                     # numbers of the chapter objectives it assesses
         "needs": "none",                          # or the chart / table / explorer a learner must use
         "facts": [FACT, ...]}                     # what the stem, options or feedback state about the data
      ],
      "solutions": {"ex-label": {"facts": [FACT, ...]}}   # the same for worked solutions in the chapter
    }

A FACT names a table of the data package (or ``effects``, the between-group effects that
:func:`book.effects.study_effects` derives from the outcomes) and the rows it speaks of, then what it says::

    {"says": "the data hold four alcohol withdrawal studies",
     "table": "studies", "where": {"substance": "alcohol", "condition": "withdrawal"},
     "count": 4}                                   # or "min_count": 1
     "ids": ["wong2015", ...]                      # the set of values of the table's first (id) column
     "field": "design", "equals": "..."            # exactly one row: its field equals / "contains" text /
                                                   # is "in" a list of values / is "empty": true

A ``where`` value that is a list matches any of its values; ``"match": {"column": "text"}`` keeps rows whose
column contains the text (case-insensitive). :func:`fact_problems` returns one clear message
per fact that the data no longer bear out, naming the quiz (or solution), the item and the fact; the tests
(``tests/test_quiz_facts.py``) run it on every chapter, and with ``folder`` it reads another copy of the data
package (as :func:`book.data.load_evidence` does).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from ..paths import CHAPTERS_DIR, QUIZ_DIR

__all__ = [
    "meta_path",
    "load_meta",
    "chapter_objectives",
    "fact_problems",
    "check_fact",
    "quiz_chapters",
    "key_stats",
]

_CHECKS = ("count", "min_count", "ids", "equals", "contains", "in", "empty")


def quiz_chapters() -> list[str]:
    """Every chapter that has a quiz (``<chapter>.json``, not a sidecar)."""
    return sorted(p.stem for p in QUIZ_DIR.glob("*.json") if not p.name.endswith(".meta.json"))


def meta_path(chapter: str) -> Path:
    """The sidecar of a chapter's quiz."""
    return QUIZ_DIR / f"{chapter}.meta.json"


def load_meta(chapter: str) -> dict:
    """A quiz's sidecar (items' objectives, needs and facts; solutions' facts); a clear message if missing."""
    path = meta_path(chapter)
    if not path.is_file():
        raise FileNotFoundError(f"No sidecar for quiz {chapter!r}: expected {path}")
    return json.loads(path.read_text(encoding="utf-8"))


def chapter_objectives(chapter: str) -> dict[int, str]:
    """The learning objectives stated in a chapter's opening cell, by number.

    Chapters write them as a numbered list ("1. describe ...") or, in a list-table, as one entry whose clauses
    are separated by semicolons; the clauses are then numbered from 1 in order.
    """
    nb = json.loads((CHAPTERS_DIR / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    text = "".join(nb["cells"][0]["source"])
    numbered = re.findall(r"^(\d+)\.\s+(.+?)(?=\n\d+\.\s|\n\n|\Z)", text, flags=re.M | re.S)
    if numbered:
        return {int(n): " ".join(t.split()) for n, t in numbered}
    entry = re.search(r"\*\*Learning objectives\*\*\s*\n\s*-\s*(.+?)(?=\n\*\s-|\n```)", text, flags=re.S)
    if not entry:
        return {}
    clauses = [c.strip(" .") for c in " ".join(entry.group(1).split()).split(";")]
    return {i: c for i, c in enumerate(clauses, start=1) if c}


def _table(name: str, folder, cache: dict) -> pd.DataFrame:
    if name not in cache:
        from ..evidence import load_evidence, load_outcomes

        if name == "effects":
            from ..evidence.effects import study_effects

            cache[name] = study_effects(load_outcomes(folder=folder))
        else:
            evidence = load_evidence(folder)
            if not hasattr(evidence, name):
                raise KeyError(f"no table {name!r} in the data package")
            cache[name] = getattr(evidence, name)
    return cache[name]


def _where(frame: pd.DataFrame, where: dict, match: dict | None = None) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for column, value in (where or {}).items():
        if column not in frame:
            raise KeyError(f"no column {column!r}")
        values = value if isinstance(value, list) else [value]
        mask &= frame[column].astype("object").isin(values)
    for column, text in (match or {}).items():
        if column not in frame:
            raise KeyError(f"no column {column!r}")
        mask &= frame[column].astype("string").str.contains(text, case=False, regex=False).fillna(False).astype(bool)
    return frame[mask]


def check_fact(fact: dict, folder=None, cache: dict | None = None) -> str | None:
    """None when the data bear the fact out, else what the data give instead (one short sentence)."""
    cache = {} if cache is None else cache
    checks = [k for k in _CHECKS if k in fact]
    if not fact.get("says") or not fact.get("table") or not checks:
        return "malformed fact: it needs 'says', 'table' and one of " + ", ".join(_CHECKS)
    try:
        rows = _where(_table(fact["table"], folder, cache), fact.get("where", {}), fact.get("match"))
    except KeyError as exc:
        return f"{fact['table']}: {exc.args[0]}"
    where = f"{fact['table']} where {fact.get('where', {})}" + (f" matching {fact['match']}" if fact.get("match") else "")
    if "count" in fact and len(rows) != fact["count"]:
        return f"{where} has {len(rows)} row(s), the item says {fact['count']}"
    if "min_count" in fact and len(rows) < fact["min_count"]:
        return f"{where} has {len(rows)} row(s), the item needs at least {fact['min_count']}"
    if "ids" in fact:
        found = set(rows.iloc[:, 0].astype(str)) if fact["table"] != "effects" else set(rows["study_id"].astype(str))
        if found != set(fact["ids"]):
            return f"{where} gives {sorted(found)}, the item names {sorted(fact['ids'])}"
    if any(k in fact for k in ("equals", "contains", "in", "empty")):
        field = fact.get("field")
        if field not in rows:
            return f"{where}: no field {field!r}"
        if len(rows) != 1:
            return f"{where} matches {len(rows)} rows; a field check needs exactly one"
        value = rows.iloc[0][field]
        shown = "empty" if pd.isna(value) else repr(value)
        if "empty" in fact and bool(pd.isna(value)) != bool(fact["empty"]):
            return f"{where}: {field} is {shown}, the item says it is {'empty' if fact['empty'] else 'filled'}"
        if "equals" in fact and not (pd.notna(value) and value == fact["equals"]):
            return f"{where}: {field} is {shown}, the item says {fact['equals']!r}"
        if "contains" in fact and fact["contains"].lower() not in str(value).lower():
            return f"{where}: {field} is {shown}, which does not contain {fact['contains']!r}"
        if "in" in fact and value not in fact["in"]:
            return f"{where}: {field} is {shown}, the item says one of {fact['in']!r}"
    return None


def fact_problems(chapter: str, folder=None) -> list[str]:
    """Every fact of a chapter's quiz items and worked solutions that the data (``folder``, default ``data/``)
    do not bear out, each message naming the quiz, the item (number and opening words) and the fact."""
    questions = json.loads((QUIZ_DIR / f"{chapter}.json").read_text(encoding="utf-8"))
    meta = load_meta(chapter)
    cache: dict = {}
    problems = []
    for number, item in enumerate(meta.get("items", []), start=1):
        stem = questions[number - 1]["question"] if number <= len(questions) else "(no such question)"
        for fact in item.get("facts", []):
            problem = check_fact(fact, folder, cache)
            if problem:
                problems.append(f"quiz {chapter}, item {number} ({stem[:60]}...): fact '{fact.get('says')}' fails: {problem}")
    for label, solution in meta.get("solutions", {}).items():
        for fact in solution.get("facts", []):
            problem = check_fact(fact, folder, cache)
            if problem:
                problems.append(f"chapter {chapter}, solution {label}: fact '{fact.get('says')}' fails: {problem}")
    return problems


def key_stats(chapters: list[str] | None = None) -> dict:
    """Across single-answer multiple-choice items with 3+ options: how often the key is option 1, 2, 3, 4
    (``positions``), how often it is the longest option by characters, ties included (``key_longest``),
    and the number of such items (``items``). The same count as the project's quiz check."""
    positions, longest, items = [0, 0, 0, 0, 0], 0, 0
    for chapter in chapters or quiz_chapters():
        for q in json.loads((QUIZ_DIR / f"{chapter}.json").read_text(encoding="utf-8")):
            answers = q.get("answers") if q.get("type") == "multiple_choice" else None
            keys = [i for i, a in enumerate(answers or []) if a.get("correct")]
            if not answers or len(keys) != 1 or len(answers) < 3:
                continue
            items += 1
            positions[min(keys[0], 4)] += 1
            lengths = [len(str(a.get("answer", ""))) for a in answers]
            longest += lengths[keys[0]] == max(lengths)
    return {"items": items, "positions": positions[:4], "key_longest": longest}


def main(argv: list[str] | None = None) -> int:
    """``python -m book quiz-facts``: every fact the data no longer bear out, and the keys' positions and lengths.

    Exits 1 if a fact fails. (It takes no options; ``argv`` is accepted so that the command line can pass it on.)"""
    import argparse

    argparse.ArgumentParser(prog="python -m book quiz-facts", description=main.__doc__.split("\n")[0]).parse_args(argv or [])
    problems = [p for chapter in quiz_chapters() for p in fact_problems(chapter)]
    for problem in problems:
        print(problem)
    stats = key_stats()
    print(
        f"{len(problems)} fact(s) fail; {stats['items']} single-answer items, key at positions 1-4: "
        f"{stats['positions']}, key the longest option (ties included): {stats['key_longest']}"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
