"""The instructor's side of the answer registry: the plain keys, the hashed registry made from them, the
check cells of the chapters and the printed answer key.

``python -m book.teaching.answer_key --write`` (or the old ``python -m book.answers --write``) regenerates
:mod:`book.teaching.answer_registry` from ``book/teaching/answer_keys/instructor.json``.
"""

from __future__ import annotations

import ast
import json
import math
import pprint
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .. import notebooks
from .answers import (
    ANSWERS,
    FIXED_KINDS,
    INSTRUCTOR_KEYS,
    PACKAGE,
    REGISTRY_MODULE,
    ComputedAnswer,
    HashedAnswer,
    digest,
    normal_number,
)
from .checks import normal_choice, normal_text

__all__ = [
    "CheckCell",
    "build_registry",
    "registry_source",
    "write_registry",
    "load_instructor_keys",
    "check_cells",
    "answer_key",
    "main",
]

# --- instructor keys -> hashed registry ---------------------------------------------------------


def load_instructor_keys(path: Path = INSTRUCTOR_KEYS) -> dict[str, dict]:
    """The plain fixed keys (``book/answer_keys/instructor.json``), without its ``_about`` note."""
    keys = json.loads(Path(path).read_text(encoding="utf-8"))
    return {label: entry for label, entry in keys.items() if not label.startswith("_")}


def _validated(label: str, entry: Mapping) -> None:
    where = f"{INSTRUCTOR_KEYS.name}, exercise {label!r}"
    kind = entry.get("kind")
    if kind not in FIXED_KINDS:
        raise ValueError(f"{where}: kind {kind!r} is not one of {', '.join(FIXED_KINDS)}.")
    answer = entry.get("answer")
    if kind == "choice":
        options = [normal_choice(o) for o in entry.get("options", [])]
        if not isinstance(answer, str) or normal_choice(answer) not in options:
            raise ValueError(f"{where}: the answer {answer!r} is not one of the options {options}.")
        unknown = set(entry.get("explanations", {})) - set(options)
        if unknown:
            raise ValueError(f"{where}: explanations for options that do not exist: {', '.join(sorted(unknown))}.")
    elif kind == "text":
        if not isinstance(answer, list) or not answer or not all(isinstance(a, str) and a.strip() for a in answer):
            raise ValueError(f"{where}: a text answer is a list of accepted answers, not {answer!r}.")
    else:
        decimals = entry.get("decimals")
        if not isinstance(decimals, int) or isinstance(decimals, bool) or decimals < 0:
            raise ValueError(f"{where}: a number needs 'decimals' (the places it is checked to), not {decimals!r}.")
        if not isinstance(answer, (int, float)) or isinstance(answer, bool) or not math.isfinite(answer):
            raise ValueError(f"{where}: the answer {answer!r} is not a number.")


def build_registry(keys: Mapping[str, Mapping]) -> dict[str, dict]:
    """The learner-facing registry for plain ``keys``: digests instead of answers, feedback kept."""
    registry = {}
    for label, entry in sorted(keys.items()):
        _validated(label, entry)
        kind, answer = entry["kind"], entry["answer"]
        out: dict = {"kind": kind}
        if kind == "choice":
            out["digests"] = [digest(label, normal_choice(answer))]
            out["options"] = [normal_choice(o) for o in entry["options"]]
            out["explanations"] = {normal_choice(k): v for k, v in entry.get("explanations", {}).items()}
        elif kind == "text":
            out["digests"] = sorted({digest(label, normal_text(a)) for a in answer})
        else:
            out["decimals"] = entry["decimals"]
            out["digests"] = [digest(label, normal_number(answer, entry["decimals"]))]
            if entry.get("unit"):
                out["unit"] = entry["unit"]
        if entry.get("hint"):
            out["hint"] = entry["hint"]
        registry[label] = out
    return registry


def registry_source(keys: Mapping[str, Mapping]) -> str:
    """The text of :mod:`book.answer_registry` for ``keys``."""
    body = pprint.pformat(build_registry(keys), width=110, sort_dicts=True)
    return (
        '"""Salted hashes of the fixed answers: generated from book/answer_keys/instructor.json by\n'
        '``python -m book.answers --write``. Do not edit by hand; see :mod:`book.answers`."""\n\n'
        f"FIXED_ANSWERS = {body}\n"
    )


def write_registry(keys_path: Path = INSTRUCTOR_KEYS, out: Path = REGISTRY_MODULE) -> Path:
    out.write_text(registry_source(load_instructor_keys(keys_path)), encoding="utf-8")
    return out


# --- check cells in the chapters, and the instructor's answer key --------------------------------


@dataclass(frozen=True)
class CheckCell:
    """A cell tagged ``answer-check``: the exercise label above it and the labels it checks."""

    chapter: str
    index: int
    exercise: str | None
    keys: tuple[str, ...]
    source: str
    exercise_text: str = ""


def _checked_labels(source: str) -> tuple[str, ...]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ()
    return tuple(
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "check_answer"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    )


def check_cells(path: Path) -> list[CheckCell]:
    """The ``answer-check`` cells of the notebook at ``path``, each with the label of the exercise above it."""
    cells, exercise, text = [], None, ""
    for index, cell in enumerate(notebooks.cells(path)):
        source = cell["source"]
        found = notebooks.directives(source, "exercise") if cell["cell_type"] == "markdown" else []
        if found:
            exercise, text = found[0].options.get("label"), source
        if cell["cell_type"] == "code" and "answer-check" in cell["metadata"].get("tags", []):
            cells.append(CheckCell(Path(path).stem, index, exercise, _checked_labels(source), source, text))
    return cells


def _option_text(exercise_text: str, option: str) -> str:
    """The text of option ``(b)`` in an exercise's list of options, if it has one."""
    found = re.search(rf"^\s*[-*]\s*\({re.escape(option)}\)\s*(.+)$", exercise_text, re.MULTILINE | re.IGNORECASE)
    return found.group(1).strip() if found else ""


def _fixed_key(label: str, entry: HashedAnswer, keys: Mapping[str, Mapping] | None) -> tuple[str, str | None]:
    """(the printed key, a problem or None)."""
    if keys is None:
        return f"(not available: no {INSTRUCTOR_KEYS})", f"{label}: the instructor key file is missing"
    plain = keys.get(label)
    if plain is None:
        return "(not in the instructor file)", f"{label}: not in {INSTRUCTOR_KEYS.name}"
    answer = plain["answer"]
    shown = (
        " | ".join(answer)
        if entry.kind == "text"
        else (
            f"{normal_number(answer, entry.decimals)}{' ' + entry.unit if entry.unit else ''}"
            if entry.kind == "number"
            else str(answer)
        )
    )
    if not entry.accepts(answer):
        return f"{shown} (DOES NOT MATCH the registry)", (
            f"{label}: the instructor key does not match book/answer_registry.py; run python -m book.answers --write"
        )
    return shown, None


def answer_key(chapters: list[Path], keys_path: Path = INSTRUCTOR_KEYS) -> tuple[list[str], list[str]]:
    """The instructor's answer key for ``chapters``: (lines to print, problems found).

    One line per checked exercise: its label, its kind and its answer. Data answers are computed now;
    fixed ones are read from the instructor file and checked against the hashed registry.
    """
    keys = load_instructor_keys(keys_path) if Path(keys_path).is_file() else None
    lines, problems = [], []
    for path in chapters:
        lines.append(f"{Path(path).stem}")
        cells = check_cells(path)
        if not cells:
            lines.append("  (no answer-checked exercises)")
        for cell in cells:
            if not cell.keys:
                problems.append(f"{cell.chapter}, cell {cell.index}: an answer-check cell that does not call check_answer")
            for label in cell.keys:
                entry = ANSWERS.get(label)
                if entry is None:
                    lines.append(f"  {label:<32} {'?':<8} (not in the answer registry)")
                    problems.append(f"{cell.chapter}: {label!r} is not in the answer registry")
                    continue
                if isinstance(entry, ComputedAnswer):
                    shown = entry.key()
                else:
                    shown, problem = _fixed_key(label, entry, keys)
                    if problem:
                        problems.append(problem)
                    elif entry.kind == "choice" and (option := _option_text(cell.exercise_text, shown)):
                        shown = f"{shown}: {option}"
                lines.append(f"  {label:<32} {entry.kind:<8} {shown}")
    return lines, problems


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m book.answers", description="Regenerate book/answer_registry.py from book/answer_keys/instructor.json."
    )
    parser.add_argument("--write", action="store_true", help="write book/answer_registry.py")
    parser.add_argument("--check", action="store_true", help="exit 1 if book/answer_registry.py is out of date")
    args = parser.parse_args(argv)
    expected = registry_source(load_instructor_keys())
    current = REGISTRY_MODULE.read_text(encoding="utf-8") if REGISTRY_MODULE.is_file() else ""
    if args.write:
        if current != expected:
            REGISTRY_MODULE.write_text(expected, encoding="utf-8")
        print(f"{'wrote' if current != expected else 'up to date:'} {REGISTRY_MODULE.relative_to(PACKAGE.parents[1])}")
        return 0
    if current != expected:
        print(
            f"{REGISTRY_MODULE.relative_to(PACKAGE.parents[1])} is out of date: run python -m book.answers --write",
            file=sys.stderr,
        )
        return 1
    print(f"{REGISTRY_MODULE.relative_to(PACKAGE.parents[1])} matches {INSTRUCTOR_KEYS.relative_to(PACKAGE.parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
