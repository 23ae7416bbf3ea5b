"""What tests of data-driven items share: a copy of ``data/`` with one planted change. Not a test module."""

from __future__ import annotations

import shutil

from book.paths import DATA_DIR


def planted(tmp_path, table: str, row_id: str, old: str, new: str):
    """A copy of data/ in ``tmp_path/data`` with ``old`` replaced by ``new`` in the one line of ``table``.csv that
    starts with ``row_id`` (fails clearly when that line or text is not found once)."""
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    path = folder / f"{table}.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if line.startswith(row_id + ",")]
    assert len(hits) == 1 and old in lines[hits[0]], f"{table}.csv: {row_id} with {old!r} not found once"
    lines[hits[0]] = lines[hits[0]].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")
    return folder
