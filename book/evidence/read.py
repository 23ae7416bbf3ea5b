"""Reading the package: its descriptor, the Frictionless schema check, the tables as typed frames."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd

from .schema import DESIGNS, ENUMS, EVIDENCE_KINDS, HARM_KINDS, MECHANISMS, SUBSTANCES, DataValidationError

__all__ = ["read_descriptor", "show", "read_problems", "schema_problems", "read_table", "typed_frame", "bib_keys"]


def read_descriptor(folder: Path) -> dict:
    path = folder / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataValidationError([f"{show(path)}: not valid JSON ({exc})"]) from None


def show(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        parts = path.parts
        return "/".join(parts[-2:]) if len(parts) >= 2 else str(path)


BOM = b"\xef\xbb\xbf"


def _unreadable(path: Path, data: bytes) -> str | None:
    """Why the CSV file ``path`` (its bytes ``data``, a UTF-8 byte-order mark already removed) cannot be read as a
    table, or None: not UTF-8, empty, a header without rows, or a quoted field that runs past its line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return f"{show(path)}, line {line}: cannot be read: byte 0x{data[exc.start]:02x} is not UTF-8 (save the file as UTF-8)"
    if not text.strip():
        return f"{show(path)}: cannot be read: the file is empty (not even a header)"
    line = 1
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        records = 0
        for record in reader:
            if any("\n" in cell or "\r" in cell for cell in record):
                return (
                    f"{show(path)}, line {line}: cannot be read: a quoted field runs past the end of its line "
                    "(a closing quote is missing, or the row was cut off)"
                )
            line, records = reader.line_num + 1, records + 1
    except csv.Error as exc:
        return (
            f"{show(path)}, line {line}: cannot be read: a quoted field that starts in this row is not closed where "
            f"it should be (a closing quote is missing, or the row was cut off; the CSV reader says: {exc})"
        )
    if records < 2:
        return f"{show(path)}: cannot be read: the file has a header but no rows"
    return None


def read_problems(folder: Path, descriptor: dict) -> list[str]:
    """The tables that cannot be read at all, each with the reason (the cause of every later problem they would give).

    A UTF-8 byte-order mark (as Excel writes) is accepted: the resource's encoding is set to ``utf-8-sig`` in
    ``descriptor`` so that Frictionless reads it too.
    """
    problems = []
    for resource in descriptor.get("resources", []):
        path = folder / resource["path"]
        if not path.is_file():
            problems.append(f"{show(path)}: cannot be read: no such file (datapackage.json lists it)")
            continue
        data = path.read_bytes()
        if data.startswith(BOM):
            resource["encoding"] = "utf-8-sig"
            data = data[len(BOM) :]
        reason = _unreadable(path, data)
        if reason:
            problems.append(reason)
    return problems


def _problem_line(where: str, err) -> str:
    row, field, label = (getattr(err, a, None) for a in ("row_number", "field_name", "label"))
    place = where + (f", line {row}" if row else "")
    if field:
        place += f", field '{field}'"
    elif label and err.type in ("missing-label", "blank-label", "duplicate-label", "incorrect-label", "extra-label"):
        place += f", column '{label}'"
    if err.type == "constraint-error" and '"enum"' in err.note and field:
        resource = Path(where).stem
        allowed = ENUMS.get((resource, field))
        if allowed is not None:
            return f"{place}: constraint-error: '{err.cell}' is not an allowed value; the schema allows: {', '.join(allowed)}"
    return f"{place}: {err.type}: {err.note}"


def schema_problems(folder: Path, descriptor: dict | None = None) -> list[str]:
    """Validate the package with Frictionless and turn its report into readable lines."""
    from frictionless import Package, system

    with system.use_context(trusted=True):
        source = descriptor if descriptor is not None else str(folder / "datapackage.json")
        report = Package(source, basepath=str(folder)).validate()
    problems = []
    for task in report.tasks:
        where = show(folder / Path(task.place).name) if task.place else "datapackage.json"
        problems += [_problem_line(where, err) for err in task.errors]
    problems += [f"datapackage.json: {err.type}: {err.note}" for err in report.errors]
    return problems


def read_table(folder: Path, descriptor: dict, name: str) -> tuple[pd.DataFrame, dict]:
    resource = next(r for r in descriptor["resources"] if r["name"] == name)
    path = folder / resource["path"]
    with open(path, encoding="utf-8-sig", newline="") as fh:  # utf-8-sig: with or without a byte-order mark
        rows = list(csv.DictReader(fh))
    frame = pd.DataFrame(rows, dtype="string")
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="line")  # line 1 is the header
    return frame, resource["schema"]


def _categorical(typed: pd.DataFrame, column: str, categories: list[str], where: str, strict: bool) -> None:
    """Make ``column`` categorical in the schema's order. ``strict``: a value outside ``categories`` raises (naming
    file, line, field, value and the allowed values) instead of becoming missing; otherwise such a column stays text."""
    if column not in typed:
        return
    outside = typed[column].dropna()[~typed[column].dropna().isin(categories)]
    if len(outside) and strict:
        line, value = outside.index[0], outside.iloc[0]
        raise DataValidationError(
            [f"{where}, line {line}, field '{column}': '{value}' is not an allowed value; allowed: {', '.join(categories)}"]
        )
    if not len(outside):
        typed[column] = pd.Categorical(typed[column], categories=categories)


def typed_frame(frame: pd.DataFrame, schema: dict, where: str = "the table") -> pd.DataFrame:
    """The table's text columns typed as its schema says; the vocabulary columns categorical, in the schema's order."""
    out = {}
    for field in schema["fields"]:
        name, kind = field["name"], field["type"]
        col = frame[name].replace("", pd.NA) if name in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
        if kind == "integer":
            out[name] = pd.to_numeric(col).astype("Int64")
        elif kind == "number":
            out[name] = pd.to_numeric(col).astype("Float64")
        elif kind == "boolean":
            out[name] = col.str.lower().map({"true": True, "false": False}).astype("boolean")
        else:
            out[name] = col.astype("string")
    typed = pd.DataFrame(out, index=frame.index)
    enums = {f["name"]: f.get("constraints", {}).get("enum") for f in schema["fields"]}
    # substance and design: a table with its own, wider list (mechanisms' substance "none", a registry's free-text
    # design) keeps the book's order where its values allow, else stays text.
    substances = [*SUBSTANCES, *(v for v in enums.get("substance") or [] if v not in SUBSTANCES)]
    if "substance" in typed and not (typed["substance"] == "none").any():
        substances = SUBSTANCES
    _categorical(typed, "substance", substances, where, strict=False)
    _categorical(typed, "design", DESIGNS, where, strict=False)
    for column, categories in (("mechanism", MECHANISMS), ("evidence_kind", EVIDENCE_KINDS), ("harm_kind", HARM_KINDS)):
        _categorical(typed, column, categories, where, strict=True)
    return typed


def bib_keys(folder: Path) -> set[str]:
    """The entry keys of the package's ``references.bib``."""
    path = folder / "references.bib"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return set(re.findall(r"^@\w+\{\s*([^,\s]+)\s*,", text, flags=re.M))
