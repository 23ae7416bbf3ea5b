"""Load and check the evidence data package in ``data/``.

The package (``data/datapackage.json``) holds three tables:

* ``studies.csv``: one row per clinical study;
* ``outcomes.csv``: one row per reported result (an arm's figure or a between-group contrast);
* ``adverse_events.csv``: adverse events as reported.

Every loader validates before it returns: first against the Frictionless schema (types,
enumerations, ranges, required fields, keys), then against rules a schema cannot express:

* a 95% confidence interval contains its estimate and its lower bound is below its upper bound;
* events are no more than n;
* every outcome and adverse event belongs to a study in ``studies.csv``;
* every figure in a row also stands in that row's verbatim ``quote`` (so a number typed wrongly,
  or changed later, no longer matches its source and is caught).

A problem raises :class:`DataValidationError`, whose message names the file, the line and the
field, e.g. ``data/outcomes.csv, line 7, field 'ci_upper': the 95% CI 0.24 to 0.40 does not
contain the estimate 0.47``.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .paths import DATA_DIR

__all__ = [
    "DataValidationError",
    "Evidence",
    "data_dir",
    "load_evidence",
    "load_studies",
    "load_outcomes",
    "load_adverse_events",
    "load_arms",
    "validate_package",
    "numbers_in_text",
    "has_psychotherapy",
    "SUBSTANCES",
    "DESIGNS",
]

#: Order in which substances appear in tables and legends everywhere in the book.
SUBSTANCES = ["alcohol", "opioids", "cocaine", "methamphetamine", "cannabis", "tobacco", "mixed"]
#: Designs, from the strongest protection against bias to the weakest.
DESIGNS = [
    "randomized controlled trial",
    "randomized crossover",
    "human laboratory study",
    "non-randomized controlled",
    "open-label single arm",
    "retrospective cohort",
    "case series",
]

_TABLES = {"studies": "studies.csv", "outcomes": "outcomes.csv", "adverse_events": "adverse_events.csv"}


class DataValidationError(ValueError):
    """The data package breaks its schema or one of the book's rules.

    ``problems`` holds one line per problem, each naming file, line and field.
    """

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        shown = self.problems[:10]
        more = len(self.problems) - len(shown)
        text = "The evidence data has {} problem{}:\n  - ".format(
            len(self.problems), "" if len(self.problems) == 1 else "s"
        ) + "\n  - ".join(shown)
        if more:
            text += f"\n  ... and {more} more"
        super().__init__(text)


@dataclass(frozen=True)
class Evidence:
    """The three validated tables of the data package."""

    studies: pd.DataFrame
    outcomes: pd.DataFrame
    adverse_events: pd.DataFrame


def data_dir() -> Path:
    """The folder of the data package: ``$KAP_BOOK_DATA`` if set, else ``book.paths.DATA_DIR`` (``data/`` beside ``book/``)."""
    env = os.environ.get("KAP_BOOK_DATA")
    path = Path(env) if env else DATA_DIR
    if not (path / "datapackage.json").is_file():
        raise FileNotFoundError(
            f"No data package at {path}: expected {path / 'datapackage.json'}. "
            "Run from a checkout of the book, or set KAP_BOOK_DATA to the folder holding datapackage.json."
        )
    return path


# --- numbers written in text ------------------------------------------------------------------

_UNITS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
_WORD_NUMBER = re.compile(
    r"\b(?:(?P<h>" + "|".join(_UNITS) + r")[\s-]+hundred(?:[\s-]+and)?[\s-]*)?"
    r"(?P<t>" + "|".join(_TENS) + r")?(?:[\s-]*(?P<u>" + "|".join(_UNITS) + r"))?\b",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|(?<![\w\d])\.\d+")


def numbers_in_text(text: str) -> set[float]:
    """Every number written in ``text``, as digits ('48.2', '.47', '1,234') or in words ('fifty-five').

    Signs are dropped (a quote may print a minus sign as '−' or as a hyphen), so the set holds
    absolute values.
    """
    found: set[float] = set()
    for m in _DIGITS.finditer(text):
        found.add(float(m.group(0).replace(",", "")))
    for m in _WORD_NUMBER.finditer(text):
        if not m.group(0).strip():
            continue
        value = 0
        if m.group("h"):
            value += 100 * _UNITS[m.group("h").lower()]
        if m.group("t"):
            value += _TENS[m.group("t").lower()]
        if m.group("u"):
            value += _UNITS[m.group("u").lower()]
        found.add(float(value))
    return found


_NONE = re.compile(r"\b(?:no|none|zero|neither|nobody|not any)\b", re.IGNORECASE)


def _number_in_quote(value: float, quote: str) -> bool:
    if value == 0 and _NONE.search(quote):
        return True  # "no participants", "none of the patients"
    return any(math.isclose(abs(value), x, rel_tol=1e-9, abs_tol=1e-12) for x in numbers_in_text(quote))


# --- reading ----------------------------------------------------------------------------------


def _read_descriptor(folder: Path) -> dict:
    path = folder / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataValidationError([f"{_show(path)}: not valid JSON ({exc})"]) from None


def _show(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        parts = path.parts
        return "/".join(parts[-2:]) if len(parts) >= 2 else str(path)


def _schema_problems(folder: Path) -> list[str]:
    """Validate the package with Frictionless and turn its report into readable lines."""
    from frictionless import Package, system

    with system.use_context(trusted=True):
        report = Package(str(folder / "datapackage.json")).validate()
    problems = []
    for task in report.tasks:
        where = _show(folder / Path(task.place).name) if task.place else "datapackage.json"
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


def _read_table(folder: Path, descriptor: dict, name: str) -> tuple[pd.DataFrame, dict]:
    resource = next(r for r in descriptor["resources"] if r["name"] == name)
    path = folder / resource["path"]
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    frame = pd.DataFrame(rows, dtype="string")
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="line")  # line 1 is the header
    return frame, resource["schema"]


def _typed(frame: pd.DataFrame, schema: dict) -> pd.DataFrame:
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
    if "substance" in typed:
        typed["substance"] = pd.Categorical(typed["substance"], categories=SUBSTANCES)
    if "design" in typed:
        typed["design"] = pd.Categorical(typed["design"], categories=DESIGNS)
    return typed


_ONE_PERSON = re.compile(r"^(?:a|an|one)\b.*\b(?:case|patient|man|woman|male|female)\b", re.IGNORECASE)


def _single_case(row) -> bool:
    """A case report of one person, whose abstract says "a woman" or "a 38-year-old male patient"."""
    return row["n_participants"] == 1 and row["design"] == "case series" and bool(_ONE_PERSON.search(str(row["n_quote"])))


# --- the book's rules -------------------------------------------------------------------------

_OUTCOME_NUMBERS = ["n", "events", "percent", "mean", "sd", "estimate", "ci_lower", "ci_upper", "p_value"]


def _rule_problems(studies: pd.DataFrame, outcomes: pd.DataFrame, aes: pd.DataFrame, folder: Path) -> list[str]:
    problems: list[str] = []
    s_file, o_file, a_file = (_show(folder / _TABLES[k]) for k in ("studies", "outcomes", "adverse_events"))
    known = set(studies["study_id"].dropna())

    for line, row in studies.iterrows():
        n = row["n_participants"]
        if pd.notna(n) and (pd.isna(row["n_quote"]) or pd.isna(row["n_locator"])):
            problems.append(f"{s_file}, line {line}, field 'n_quote': a number of participants needs n_locator and n_quote")
        elif pd.notna(n) and not _number_in_quote(n, row["n_quote"]) and not _single_case(row):
            problems.append(f"{s_file}, line {line}, field 'n_participants': {n} does not appear in n_quote")
        dose = row["ketamine_dose_mg_per_kg"]
        if pd.notna(dose):
            if pd.isna(row["dose_quote"]) or pd.isna(row["dose_locator"]):
                problems.append(f"{s_file}, line {line}, field 'dose_quote': a dose needs dose_locator and dose_quote")
            elif not _number_in_quote(dose, row["dose_quote"]):
                problems.append(f"{s_file}, line {line}, field 'ketamine_dose_mg_per_kg': {dose} does not appear in dose_quote")

    for line, row in outcomes.iterrows():
        where = f"{o_file}, line {line}"
        if pd.notna(row["study_id"]) and row["study_id"] not in known:
            problems.append(f"{where}, field 'study_id': no study '{row['study_id']}' in studies.csv")
        est, lo, hi = row["estimate"], row["ci_lower"], row["ci_upper"]
        if pd.notna(lo) != pd.notna(hi):
            problems.append(f"{where}, field 'ci_upper': a 95% CI needs both bounds")
        if pd.notna(lo) and pd.notna(hi):
            if lo > hi:
                problems.append(f"{where}, field 'ci_lower': the lower bound {lo} is above the upper bound {hi}")
            elif pd.notna(est) and not (lo <= est <= hi):
                problems.append(f"{where}, field 'ci_upper': the 95% CI {lo} to {hi} does not contain the estimate {est}")
        if pd.notna(est) and pd.isna(row["effect_measure"]):
            problems.append(f"{where}, field 'effect_measure': an estimate needs its effect measure")
        if pd.notna(row["events"]) and pd.notna(row["n"]) and row["events"] > row["n"]:
            problems.append(f"{where}, field 'events': {row['events']} events is more than n = {row['n']}")
        if pd.notna(row["quote"]):
            for field in _OUTCOME_NUMBERS:
                value = row[field]
                if pd.notna(value) and not _number_in_quote(value, row["quote"]):
                    problems.append(f"{where}, field '{field}': {value} does not appear in the quote")

    for line, row in aes.iterrows():
        where = f"{a_file}, line {line}"
        if pd.notna(row["study_id"]) and row["study_id"] not in known:
            problems.append(f"{where}, field 'study_id': no study '{row['study_id']}' in studies.csv")
        if pd.notna(row["count"]) and pd.notna(row["n"]) and row["count"] > row["n"]:
            problems.append(f"{where}, field 'count': {row['count']} is more than n = {row['n']}")
        if pd.notna(row["count"]) and pd.notna(row["quote"]) and not _number_in_quote(row["count"], row["quote"]):
            problems.append(f"{where}, field 'count': {row['count']} does not appear in the quote")
    return problems


# --- public API -------------------------------------------------------------------------------


def validate_package(folder: str | Path | None = None) -> Evidence:
    """Validate the whole package (schema and rules) and return its typed tables.

    Raises :class:`DataValidationError` listing every problem found.
    """
    folder = Path(folder) if folder is not None else data_dir()
    descriptor = _read_descriptor(folder)
    problems = _schema_problems(folder)
    if problems:
        raise DataValidationError(problems)
    raw = {name: _read_table(folder, descriptor, name) for name in _TABLES}
    typed = {name: _typed(frame, schema) for name, (frame, schema) in raw.items()}
    problems = _rule_problems(typed["studies"], typed["outcomes"], typed["adverse_events"], folder)
    if problems:
        raise DataValidationError(problems)
    return Evidence(
        studies=typed["studies"].reset_index(drop=True),
        outcomes=typed["outcomes"].reset_index(drop=True),
        adverse_events=typed["adverse_events"].reset_index(drop=True),
    )


def _stamp(folder: Path) -> tuple:
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*")) if p.is_file())


@lru_cache(maxsize=8)
def _cached(folder: str, stamp: tuple) -> Evidence:
    return validate_package(folder)


def load_evidence(folder: str | Path | None = None) -> Evidence:
    """All three tables, validated; cached until a file in the folder changes.

    Returns copies, so a caller may change them freely.
    """
    folder = Path(folder) if folder is not None else data_dir()
    ev = _cached(str(folder), _stamp(folder))
    return Evidence(ev.studies.copy(), ev.outcomes.copy(), ev.adverse_events.copy())


def has_psychotherapy(psychotherapy: pd.Series) -> pd.Series:
    """True where a study combined ketamine with a psychological treatment.

    The column holds the therapy's name, or "none" (sometimes followed by an explanation in brackets).
    """
    text = psychotherapy.astype("string").fillna("none").str.strip().str.lower()
    return ~text.str.startswith("none")


def _check_substance(substance: str | None) -> None:
    if substance is not None and substance not in SUBSTANCES:
        raise ValueError(f"Unknown substance {substance!r}. Choose one of: {', '.join(SUBSTANCES)}.")


def load_studies(substance: str | None = None, folder: str | Path | None = None) -> pd.DataFrame:
    """The studies table, validated, optionally only one substance (e.g. ``"cocaine"``)."""
    _check_substance(substance)
    studies = load_evidence(folder).studies
    if substance is not None:
        studies = studies[studies["substance"] == substance].reset_index(drop=True)
    return studies


#: The study columns that every outcome row carries (see :func:`load_outcomes` and
#: :func:`book.effects.study_effects`).
STUDY_CONTEXT = (
    "study_id",
    "first_author",
    "year",
    "substance",
    "condition",
    "design",
    "randomized",
    "n_participants",
    "psychotherapy",
)


def load_outcomes(substance: str | None = None, folder: str | Path | None = None) -> pd.DataFrame:
    """The outcomes table joined to each study's substance, design, first author and year."""
    _check_substance(substance)
    ev = load_evidence(folder)
    cols = list(STUDY_CONTEXT)
    outcomes = ev.outcomes.merge(ev.studies[cols], on="study_id", how="left")
    if substance is not None:
        outcomes = outcomes[outcomes["substance"] == substance].reset_index(drop=True)
    return outcomes


def load_adverse_events(substance: str | None = None, folder: str | Path | None = None) -> pd.DataFrame:
    """The adverse-events table joined to each study's substance, first author and year."""
    _check_substance(substance)
    ev = load_evidence(folder)
    aes = ev.adverse_events.merge(ev.studies[["study_id", "first_author", "year", "substance"]], on="study_id", how="left")
    if substance is not None:
        aes = aes[aes["substance"] == substance].reset_index(drop=True)
    return aes


def load_arms(outcome_prefix: str, folder: str | Path | None = None) -> pd.DataFrame:
    """The arm-level rows of one result, indexed by arm ("ketamine", "control").

    ``outcome_prefix`` is the start of the rows' ``outcome_id`` (e.g. ``"krupitsky2007-abstinence-12mo"``);
    the result must have exactly one ketamine and one control row. An unknown prefix gets a message listing
    the arm-level results there are.
    """
    outcomes = load_outcomes(folder=folder)
    rows = outcomes[outcomes["outcome_id"].str.startswith(outcome_prefix) & outcomes["arm"].isin(["ketamine", "control"])]
    if sorted(rows["arm"]) != ["control", "ketamine"]:
        paired = outcomes.loc[outcomes["arm"] == "control", "outcome_id"].str.rsplit("-", n=1).str[0]
        raise ValueError(
            f"No single ketamine/control pair of results starts with {outcome_prefix!r}. "
            f"Arm-level results: {', '.join(sorted(set(paired)))}."
        )
    return rows.set_index("arm")
