"""Reading the package: its descriptor, the Frictionless schema check, the tables as typed frames."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd

from .schema import DESIGNS, EVIDENCE_KINDS, HARM_KINDS, MECHANISMS, SUBSTANCES, DataValidationError

__all__ = ["read_descriptor", "show", "schema_problems", "read_table", "typed_frame", "bib_keys"]


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


def schema_problems(folder: Path) -> list[str]:
    """Validate the package with Frictionless and turn its report into readable lines."""
    from frictionless import Package, system

    with system.use_context(trusted=True):
        report = Package(str(folder / "datapackage.json")).validate()
    problems = []
    for task in report.tasks:
        where = show(folder / Path(task.place).name) if task.place else "datapackage.json"
        for err in task.errors:
            row = getattr(err, "row_number", None)
            field = getattr(err, "field_name", None)
            label = getattr(err, "label", None)
            place = where
            if row:
                place += f", line {row}"
            if field:
                place += f", field '{field}'"
            elif label and err.type in ("missing-label", "blank-label", "duplicate-label", "incorrect-label", "extra-label"):
                place += f", column '{label}'"
            problems.append(f"{place}: {err.type}: {err.note}")
    for err in report.errors:
        problems.append(f"datapackage.json: {err.type}: {err.note}")
    return problems


def read_table(folder: Path, descriptor: dict, name: str) -> tuple[pd.DataFrame, dict]:
    resource = next(r for r in descriptor["resources"] if r["name"] == name)
    path = folder / resource["path"]
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    frame = pd.DataFrame(rows, dtype="string")
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="line")  # line 1 is the header
    return frame, resource["schema"]


def typed_frame(frame: pd.DataFrame, schema: dict) -> pd.DataFrame:
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

    def categorical(column: str, categories: list[str]) -> None:
        # Only a column whose values are all of the list (a registry's free-text design is left as text).
        if column in typed and set(typed[column].dropna()) <= set(categories):
            typed[column] = pd.Categorical(typed[column], categories=categories)

    # The mechanisms table also has substance "none" (depression, healthy volunteers or animals without a drug).
    categorical("substance", [*SUBSTANCES, "none"] if (typed.get("substance", pd.Series()) == "none").any() else SUBSTANCES)
    categorical("design", DESIGNS)
    if "mechanism" in typed:
        typed["mechanism"] = pd.Categorical(typed["mechanism"], categories=MECHANISMS)
    if "evidence_kind" in typed:
        typed["evidence_kind"] = pd.Categorical(typed["evidence_kind"], categories=EVIDENCE_KINDS)
    if "harm_kind" in typed:
        typed["harm_kind"] = pd.Categorical(typed["harm_kind"], categories=HARM_KINDS)
    return typed


def bib_keys(folder: Path) -> set[str]:
    """The entry keys of the package's ``references.bib``."""
    path = folder / "references.bib"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return set(re.findall(r"^@\w+\{\s*([^,\s]+)\s*,", text, flags=re.M))
