"""Data hygiene: no field of the data package holds a file-system path.

A row of ``data/`` records evidence: a source, a locator, a quote and notes about what was read. A
path on somebody's machine (``/tmp/research13/log_atb.md``, ``/work/main/...``, ``~/notes.txt``,
``C:\\Users\\...``) or a pointer to a working file (``see report.md``, ``run.log``) is a process
note, not data: a reader cannot follow it, and it says nothing about the source. :func:`find_paths`
finds them, so that a validation rule can refuse them.

What counts as a path:

- an absolute POSIX path: a ``/`` that starts a word and is followed by at least two path segments
  (``/tmp/x``, ``/work/main/data``); a web address (``ncbi.nlm.nih.gov/pubmed``) or a unit
  (``mg/kg``) is not, because its ``/`` does not start a word;
- a home-relative path (``~/...``), a Windows drive path (``C:\\...``, ``D:/...``), a UNC path
  (``\\\\server\\share``) or a ``file:`` URL;
- any file name ending in ``.log``;
- a file name ending in ``.md`` or ``.txt`` (with or without folders), unless it names one of the
  project's extraction notes (``data/extraction-notes/<name>.md``, which readers can open in the
  repository; ``alcohol.md``, ``extraction-notes/alcohol.md`` and ``data/extraction-notes/alcohol.md``
  all qualify) or a file of the repository given by its path from the root.

:func:`no_paths_in_fields` is the registered rule (``python -m book validate`` runs it on every table)::

    data/studies.csv, line 35, field 'notes': holds a file-system path '/tmp/research13/log_atb.md'
    (process notes are not data: remove it, or name the extraction note instead)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from ...paths import DATA_DIR, ROOT
from ..schema import TABLES
from .base import Context, rule

__all__ = ["find_paths", "paths_in_text", "no_paths_in_fields"]

# A "/" that begins a word (start, space, bracket or quote before it), then two or more segments.
_POSIX = re.compile(r"(?<![\w.:/~-])/(?:[\w.+-]+/)+[\w.+-]*")
_HOME = re.compile(r"(?<![\w/])~[\\/][^\s,;'\")\]]*")
_WINDOWS = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]:[\\/](?![\\/])[^\s,;'\")\]]*")
_UNC = re.compile(r"(?<![\w\\])\\\\[\w.$-]+\\[^\s,;'\")\]]*")
_FILE_URL = re.compile(r"\bfile:/[^\s,;'\")\]]*", re.IGNORECASE)
# A file name (optionally with folders) ending in .log, .md or .txt.
_NOTE_FILE = re.compile(r"(?<![\w/.\\-])(?:[\w.-]+[\\/])*[\w.-]+\.(?:log|md|txt)\b", re.IGNORECASE)


def _known_notes(notes_dir: Path) -> set[str]:
    return {p.name for p in notes_dir.glob("*.md")} if notes_dir.is_dir() else set()


def _allowed_note(token: str, notes: set[str], root: Path) -> bool:
    """An extraction note named by file name or by its path in the repository, or a repository file."""
    if token.lower().endswith(".log"):
        return False
    name = re.split(r"[\\/]", token)[-1]
    folders = token.replace("\\", "/").split("/")[:-1]
    if name in notes and folders in ([], ["extraction-notes"], ["data", "extraction-notes"]):
        return True
    return bool(folders) and (root / token.replace("\\", "/")).is_file()


def paths_in_text(text: str, notes: Iterable[str] | None = None, root: Path = ROOT) -> list[str]:
    """The file-system paths (and working-file names) found in ``text``, in order of appearance.

    ``notes`` are the file names of the extraction notes that may be named (default: the ``.md``
    files in ``data/extraction-notes/``); ``root`` is the repository root for repository-relative paths.
    """
    known = set(notes) if notes is not None else _known_notes(DATA_DIR / "extraction-notes")
    found: list[tuple[int, str]] = []
    spans: list[tuple[int, int]] = []
    for pattern in (_FILE_URL, _WINDOWS, _UNC, _HOME, _POSIX):
        for m in pattern.finditer(text):
            if any(a <= m.start() < b for a, b in spans):
                continue
            spans.append(m.span())
            found.append((m.start(), m.group(0).rstrip(".")))
    for m in _NOTE_FILE.finditer(text):
        if any(a <= m.start() < b for a, b in spans) or _allowed_note(m.group(0), known, root):
            continue
        found.append((m.start(), m.group(0)))
    return [token for _, token in sorted(found)]


def find_paths(
    frame_by_table: Mapping[str, pd.DataFrame],
    notes: Iterable[str] | None = None,
    root: Path = ROOT,
    files: Mapping[str, str] | None = None,
) -> list[str]:
    """One message per field of the tables that holds a file-system path; empty if there is none.

    ``frame_by_table`` maps a table's name (``"studies"``) to its rows, in file order. A frame whose
    index is named ``line`` (as :mod:`book.data` reads them) gives the line numbers; otherwise row
    ``i`` is line ``i + 2`` (line 1 is the header). ``files`` maps a table to its file as messages name it
    (default ``data/<table>.csv``). Each message names the file, line and field::

        data/studies.csv, line 35, field 'notes': holds a file-system path '/tmp/research13/log_atb.md'
        (process notes are not data: remove it, or name the extraction note instead)
    """
    known = set(notes) if notes is not None else _known_notes(DATA_DIR / "extraction-notes")
    problems: list[str] = []
    for table, frame in frame_by_table.items():
        shown = (files or {}).get(table, f"data/{table}.csv")
        lines = list(frame.index) if frame.index.name == "line" else list(range(2, 2 + len(frame)))
        for column in frame.columns:
            values = frame[column]
            for line, value in zip(lines, values):
                if value is None or (not isinstance(value, str) and pd.isna(value)):
                    continue
                for token in paths_in_text(str(value), known, root):
                    problems.append(
                        f"{shown}, line {line}, field '{column}': holds a file-system path '{token}' "
                        "(process notes are not data: remove it, or name the extraction note instead)"
                    )
    return problems


@rule
def no_paths_in_fields(ctx: Context) -> list[str]:
    """No field of any table holds a file-system path or a working file's name (the module docstring)."""
    folder = Path(ctx.folder)
    # A copy of the package without its notes (a test's few-row package) may still name the checkout's notes.
    notes = _known_notes(folder / "extraction-notes") | _known_notes(DATA_DIR / "extraction-notes")
    names = [name for name in TABLES if name in ctx.tables]
    return find_paths(
        {name: ctx.tables[name] for name in names},
        notes=notes,
        root=folder.resolve().parent,
        files={name: ctx.file(name) for name in names},
    )
