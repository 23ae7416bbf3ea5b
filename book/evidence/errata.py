"""Errata: every change to a figure in ``data/`` is logged in ``data/changelog.csv`` and shown on the errata page.

A *figure* is any value in a numeric column (type ``integer`` or ``number`` in ``datapackage.json``) of any table,
named by its table, its row's primary key and its field. ``data/figures.lock.csv`` holds every figure as last
reviewed. The tests compare the data with the lock: a figure that changed without a changelog row (old value, new
value, date, reason) fails, with a message that says what to add. After logging the change, run
``python -m book errata --update-lock``, which refuses to move the lock past a change that is not logged.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from .schema import data_dir

__all__ = ["Change", "current_figures", "locked_figures", "changelog", "unlogged_changes", "update_lock", "LOCK", "CHANGELOG"]

#: The data folder's lock and changelog when this module was imported; each function reads the data folder in use
#: (``$KAP_BOOK_DATA`` or the checkout's ``data/``, :func:`book.evidence.schema.data_dir`) unless given one.
DATA = data_dir()
LOCK = DATA / "figures.lock.csv"
CHANGELOG = DATA / "changelog.csv"
CHANGELOG_FIELDS = ["date", "table", "row_id", "field", "old_value", "new_value", "reason"]


@dataclass(frozen=True)
class Change:
    """A figure whose value in the data differs from the lock."""

    table: str
    row_id: str
    field: str
    old_value: str
    new_value: str

    def __str__(self) -> str:
        old = self.old_value or "(no figure)"
        new = self.new_value or "(no figure)"
        return f"{self.table} {self.row_id} {self.field}: {old} -> {new}"


def _canonical(value: str) -> str:
    """'40', '40.0' and '4e1' are one figure: numbers are compared as numbers, written without trailing zeros."""
    value = value.strip()
    if not value:
        return ""
    number = float(value)
    return f"{number:g}" if number != int(number) or abs(number) >= 1e15 else str(int(number))


def current_figures(folder: Path | None = None) -> dict[tuple[str, str, str], str]:
    """Every figure of the data package: ``(table, row id, field) -> value`` (empty cells are not figures)."""
    folder = folder or data_dir()
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    figures = {}
    for resource in descriptor["resources"]:
        schema = resource["schema"]
        numeric = [f["name"] for f in schema["fields"] if f["type"] in ("integer", "number")]
        key = schema.get("primaryKey") or [schema["fields"][0]["name"]]
        key = key if isinstance(key, list) else [key]
        with open(folder / resource["path"], encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                row_id = "/".join(row[k] for k in key)
                for field in numeric:
                    if row.get(field, "").strip():
                        figures[(resource["name"], row_id, field)] = _canonical(row[field])
    return figures


def locked_figures(lock: Path | None = None) -> dict[tuple[str, str, str], str]:
    """The figures as last reviewed (``data/figures.lock.csv``)."""
    lock = lock or data_dir() / "figures.lock.csv"
    with open(lock, encoding="utf-8", newline="") as fh:
        return {(r["table"], r["row_id"], r["field"]): r["value"] for r in csv.DictReader(fh)}


def changelog(path: Path | None = None) -> list[dict[str, str]]:
    """The logged corrections, oldest first."""
    path = path or data_dir() / "changelog.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row["old_value"], row["new_value"] = _canonical(row["old_value"]), _canonical(row["new_value"])
    return sorted(rows, key=lambda r: r["date"])


def _changes(current: dict, locked: dict) -> list[Change]:
    keys = sorted(set(current) | set(locked))
    return [Change(*k, locked.get(k, ""), current.get(k, "")) for k in keys if current.get(k, "") != locked.get(k, "")]


def unlogged_changes(folder: Path | None = None, lock: Path | None = None, log: Path | None = None) -> list[Change]:
    """Figures that differ from the lock, changed (or removed) without a changelog row saying so.

    A new row's figures (a study added) are not corrections and need no changelog row; a changed or removed figure
    does: a row of ``changelog.csv`` with the same table, row id and field, and the same old and new values.
    """
    folder = folder or data_dir()
    lock, log = lock or folder / "figures.lock.csv", log or folder / "changelog.csv"
    logged = {(r["table"], r["row_id"], r["field"], r["old_value"], r["new_value"]) for r in changelog(log)}
    locked = locked_figures(lock)
    out = []
    for change in _changes(current_figures(folder), locked):
        is_new = (change.table, change.row_id, change.field) not in locked
        if is_new:
            continue
        if (change.table, change.row_id, change.field, change.old_value, change.new_value) not in logged:
            out.append(change)
    return out


def update_lock(folder: Path | None = None, lock: Path | None = None, log: Path | None = None) -> int:
    """Rewrite the lock from the data, unless a changed figure is not logged; returns the number of figures locked."""
    folder = folder or data_dir()
    lock, log = lock or folder / "figures.lock.csv", log or folder / "changelog.csv"
    missing = unlogged_changes(folder, lock, log) if lock.exists() else []
    if missing:
        raise ValueError(
            "These figures changed without a row in data/changelog.csv (date, table, row_id, field, old_value, new_value, "
            "reason):\n  - " + "\n  - ".join(map(str, missing))
        )
    figures = current_figures(folder)
    with open(lock, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["table", "row_id", "field", "value"])
        for (table, row_id, field), value in sorted(figures.items()):
            writer.writerow([table, row_id, field, value])
    return len(figures)
