"""Whether an answer-checked exercise's answer is printed in its chapter before the exercise (issue 23.6a).

For every cell tagged ``answer-check``, each checked value (data answers computed now from ``data/``, fixed numbers
read from the instructor keys) is looked for as a number in the chapter's Markdown and in the text a reader sees
in the outputs (plain text, HTML with its tags removed, streams) of every cell above the exercise. Values that are
small whole numbers (below 10) are not looked for: digits such as 2 or 3 appear in every chapter for other reasons
(table numbers, counts of arms), so a match would say nothing; nor is a whole-number count matched by a percentage
("13%"), or by anything in the reading-time table or the stated estimated time. Choice and text answers are not numbers and are
not looked for.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from .. import notebooks
from .answer_key import check_cells, load_instructor_keys
from .answers import ANSWERS, ComputedAnswer

__all__ = ["Leak", "checked_values", "number_forms", "leaks"]

_TAG = re.compile(r"<[^>]+>")
_CODE = re.compile(r"<(style|script)\b.*?</\1>", re.S | re.I)


@dataclass(frozen=True)
class Leak:
    chapter: str
    label: str
    value: float
    cell: int  # the cell above the exercise where the value appears
    context: str


def checked_values(keys: dict | None = None) -> dict[str, float]:
    """label -> the numeric answer it checks (computed now, or the instructor's fixed number)."""
    keys = load_instructor_keys() if keys is None else keys
    values = {}
    for label, entry in ANSWERS.items():
        if isinstance(entry, ComputedAnswer):
            values[label] = float(entry.compute())
        elif entry.kind == "number" and label in keys:
            values[label] = float(keys[label]["answer"])
    return values


def number_forms(value: float) -> list[str]:
    """How the value could be written: '12' or '1,234'; '10.1'; a longer decimal to two places ('2.02')."""
    if value == int(value):
        return sorted({f"{int(value)}", f"{int(value):,}"})
    if round(value, 2) == value:
        return [f"{value:g}"]
    return [f"{value:.2f}"]


_TIME = re.compile(r"\*\*Estimated time\*\*.*?(?=\n\* -|\n```|$)", re.S)


_TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)
_TABLE_CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", re.S | re.I)


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def _visible_text(cell: dict) -> tuple[str, set[str]]:
    """What a reader sees of a cell: (running text, the texts of its table cells). Running text is Markdown (without
    the chapter's estimated times), streams, HTML outside tables, chart descriptions (a chart's accessible label).
    A table cell counts only when its whole text is the number: tables hold doses, days and years beside counts.
    The reading-time table (``time_table``) is minutes, left out."""
    if cell["cell_type"] == "markdown":
        return _TIME.sub("", cell["source"]), set()
    if "time_table(" in cell["source"]:
        return "", set()
    parts, table_cells = [], set()
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            text = out.get("text", "")
            parts.append("".join(text) if isinstance(text, list) else text)
        data = out.get("data", {})
        vega = data.get("application/vnd.vega.v5+json")
        if isinstance(vega, dict):
            parts.append(str(vega.get("description", "")))
        if "text/html" in data:
            page = _CODE.sub(" ", "".join(data["text/html"]))
            for table in _TABLE.findall(page):
                table_cells.update(_plain(c) for c in _TABLE_CELL.findall(table))
            parts.append(_plain(_TABLE.sub(" ", page)))
        elif "text/plain" in data:
            parts.append("".join(data["text/plain"]))
    return " ".join(parts), table_cells


def leaks(path: Path, values: dict[str, float] | None = None) -> list[Leak]:
    """Every checked value of the chapter at ``path`` that appears above its exercise."""
    values = checked_values() if values is None else values
    cells = notebooks.cells(path)
    found = []
    for check in check_cells(path):
        start = next(
            (i for i in range(check.index, -1, -1) if cells[i]["cell_type"] == "markdown" and "{exercise}" in cells[i]["source"]),
            check.index,
        )
        for label in check.keys:
            value = values.get(label)
            if value is None or (value == int(value) and abs(value) < 10):
                continue
            pattern = re.compile(
                r"(?<![\d.,-])(?:"
                + "|".join(re.escape(f) for f in number_forms(value))
                + (r")(?![\w%(]|\.\d)" if value == int(value) else r")(?![\w(]|\.\d)")
            )
            for i in range(start):
                text, table_cells = _visible_text(cells[i])
                match = pattern.search(text)
                in_table = set(number_forms(value)) & table_cells
                if in_table and not match:
                    found.append(Leak(Path(path).stem, label, value, i, f"a table cell reading {sorted(in_table)[0]}"))
                    break
                if match:
                    context = text[max(0, match.start() - 60) : match.end() + 60].replace("\n", " ")
                    found.append(Leak(Path(path).stem, label, value, i, context))
                    break
    return found
