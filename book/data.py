"""Load and check the evidence data package in ``data/``.

The package (``data/datapackage.json``) holds these tables:

* ``studies.csv``: one row per clinical study;
* ``outcomes.csv``: one row per reported result (an arm's figure or a between-group contrast);
* ``harms.csv``: harms as reported: adverse events in the clinical studies, harms of non-medical
  ketamine use, and harms in patients treated for another condition (product information included);
* ``safety_procedures.csv``: whom the clinical studies excluded, how they monitored, how they limited misuse;
* ``product_information.csv``: statements of the product information (and of reference works such as
  the rule of three) that the safety chapter relies on;
* ``mechanisms.csv``: claims about how ketamine might work, each with the kind of evidence behind it;
* ``pharmacology.csv``: bioavailability, half-lives, metabolism and pharmacokinetic parameters as sources state them;
* ``reviews.csv``: the published reviews of ketamine for substance use disorders, with their counts and conclusions;
* ``registrations.csv``: registered trials without a results paper in the book.

Every loader validates before it returns: first against the Frictionless schema (types,
enumerations, ranges, required fields, keys), then against rules a schema cannot express:

* a 95% confidence interval contains its estimate and its lower bound is below its upper bound;
* events are no more than n;
* every outcome, harm and procedure belongs to a study in ``studies.csv`` (where it names one), and every
  ``source_key`` is an entry of ``references.bib``;
* a harm reported as "not reported" carries no figure, and one reported as a count or percentage carries it;
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
    "load_harms",
    "load_safety_procedures",
    "load_product_information",
    "source_labels",
    "HARM_KINDS",
    "HARM_POPULATIONS",
    "TRIAL_POPULATION",
    "load_mechanisms",
    "load_pharmacology",
    "load_registrations",
    "load_psychedelic_comparators",
    "load_review_claims",
    "load_protocols",
    "load_patient_groups",
    "load_regulation",
    "load_risk_of_bias",
    "load_certainty",
    "VERDICTS",
    "load_reviews",
    "MECHANISMS",
    "EVIDENCE_KINDS",
    "load_arms",
    "validate_package",
    "numbers_in_text",
    "has_psychotherapy",
    "SUBSTANCES",
    "DESIGNS",
]

#: Order in which substances appear in tables and legends everywhere in the book.
SUBSTANCES = ["alcohol", "opioids", "cocaine", "methamphetamine", "cannabis", "tobacco", "benzodiazepines", "mixed"]
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

_TABLES = {
    "studies": "studies.csv",
    "outcomes": "outcomes.csv",
    "harms": "harms.csv",
    "safety_procedures": "safety_procedures.csv",
    "product_information": "product_information.csv",
    "mechanisms": "mechanisms.csv",
    "pharmacology": "pharmacology.csv",
    "reviews": "reviews.csv",
    "registrations": "registrations.csv",
    "psychedelic_comparators": "psychedelic_comparators.csv",
    "review_claims": "review_claims.csv",
    "protocols": "protocols.csv",
    "patient_groups": "patient_groups.csv",
    "regulation": "regulation.csv",
    "risk_of_bias": "risk_of_bias.csv",
    "certainty": "certainty.csv",
}

#: RoB 2 judgements (and ROBINS-I's), worst last; the domains of each tool, in order.
ROB2_JUDGEMENTS = ["low", "some concerns", "high"]
ROBINS_JUDGEMENTS = ["low", "moderate", "serious", "critical", "no information"]
ROB2_DOMAINS = [
    "D1 randomization process",
    "D2 deviations from intended interventions",
    "D3 missing outcome data",
    "D4 measurement of the outcome",
    "D5 selection of the reported result",
]
CROSSOVER_DOMAIN = "DS period and carryover effects"
ROBINS_DOMAINS = [
    "D1 confounding",
    "D2 selection of participants",
    "D3 classification of interventions",
    "D4 deviations from intended interventions",
    "D5 missing data",
    "D6 measurement of outcomes",
    "D7 selection of the reported result",
]
CERTAINTY_LEVELS = ["high", "moderate", "low", "very low"]
_STEP_DOWN = {"not serious": 0, "serious (-1)": 1, "very serious (-2)": 2}

#: The verdicts of the claims table, from best supported to worst (the order of the claims explorer).
VERDICTS = [
    "supported",
    "partly supported",
    "overstated",
    "figure misreported",
    "reference misattributed",
    "reference not found",
    "unsupported",
]
#: Verdicts that may stand without a source (nothing could be found to check the claim against).
_VERDICTS_WITHOUT_SOURCE = {"reference not found", "unsupported"}

#: Proposed mechanisms, in the order the mechanisms chapter takes them.
MECHANISMS = [
    "NMDA receptor antagonism",
    "glutamate surge",
    "BDNF and mTOR signalling",
    "synaptogenesis",
    "metabolites",
    "opioid system",
    "brain network changes",
    "memory reconsolidation",
    "plasticity window for psychotherapy",
    "dissociative or mystical-type experience",
]
#: Kinds of evidence for a mechanism, from the furthest from a patient with a substance use disorder to the closest.
EVIDENCE_KINDS = [
    "cells or animals",
    "people without a disorder",
    "people with depression",
    "people with a substance use disorder",
    "clinical trial testing a mediator",
]

#: Who experienced a harm (the ``population`` column of ``harms.csv``).
TRIAL_POPULATION = "trial participants with a substance use disorder"
HARM_POPULATIONS = [
    TRIAL_POPULATION,
    "people using ketamine non-medically",
    "patients treated for another condition",
    "volunteers in laboratory studies",
]
#: Kinds of harm, in the order the safety chapter shows them.
HARM_KINDS = [
    "dissociation and psychotomimetic effects",
    "blood pressure and heart rate",
    "nausea and vomiting",
    "sedation",
    "serious adverse events",
    "withdrawal for adverse events",
    "any adverse event",
    "misuse, tolerance and dependence",
    "urinary tract",
    "cognition",
    "liver and bile ducts",
    "other",
]


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
    """The validated tables of the data package."""

    studies: pd.DataFrame
    outcomes: pd.DataFrame
    harms: pd.DataFrame
    safety_procedures: pd.DataFrame
    product_information: pd.DataFrame
    mechanisms: pd.DataFrame
    pharmacology: pd.DataFrame
    reviews: pd.DataFrame
    registrations: pd.DataFrame
    psychedelic_comparators: pd.DataFrame
    review_claims: pd.DataFrame
    protocols: pd.DataFrame
    patient_groups: pd.DataFrame
    regulation: pd.DataFrame
    risk_of_bias: pd.DataFrame
    certainty: pd.DataFrame

    def copy(self) -> Evidence:
        return Evidence(*(getattr(self, name).copy() for name in _TABLES))

    def quotes(self) -> list[str]:
        """Every verbatim quote in the package (where a figure written in a chapter must stand)."""
        texts = [
            self.outcomes["quote"],
            self.studies["n_quote"],
            self.studies["dose_quote"],
            self.harms["quote"],
            self.safety_procedures["quote"],
            self.product_information["quote"],
            self.mechanisms["quote"],
            self.pharmacology["quote"],
            self.reviews["counts_quote"],
            self.reviews["conclusion_quote"],
            self.registrations["quote"],
            self.psychedelic_comparators["quote"],
            self.review_claims["evidence_quote"],
            self.protocols["quote"],
            self.patient_groups["quote"],
            self.regulation["quote"],
            self.risk_of_bias["quote"],
        ]
        return [str(q) for column in texts for q in column.dropna()]


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


_ONE_PERSON = re.compile(
    r"(?:^|\bthis case (?:presents|report,?)\s+|\bcase report,\s+)(?:a|an|one)\b.*\b(?:case|patient|man|woman|male|female)\b",
    re.IGNORECASE,
)


def _single_case(row) -> bool:
    """A case report of one person, whose abstract says "a woman" or "a 38-year-old male patient"."""
    return row["n_participants"] == 1 and row["design"] == "case series" and bool(_ONE_PERSON.search(str(row["n_quote"])))


# --- the book's rules -------------------------------------------------------------------------

_OUTCOME_NUMBERS = ["n", "events", "percent", "mean", "sd", "estimate", "ci_lower", "ci_upper", "p_value"]


_HARM_NUMBERS = ["count", "denominator", "percent", "value", "upper"]


def bib_keys(folder: Path) -> set[str]:
    """The entry keys of the package's ``references.bib``."""
    path = folder / "references.bib"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return set(re.findall(r"^@\w+\{\s*([^,\s]+)\s*,", text, flags=re.M))


def _rule_problems(tables: dict[str, pd.DataFrame], folder: Path) -> list[str]:
    problems: list[str] = []
    studies, outcomes, harms = tables["studies"], tables["outcomes"], tables["harms"]
    s_file, o_file, h_file = (_show(folder / _TABLES[k]) for k in ("studies", "outcomes", "harms"))
    known = set(studies["study_id"].dropna())
    study_n = dict(zip(studies["study_id"], studies["n_participants"]))
    keys = bib_keys(folder)

    for line, row in studies.iterrows():
        if pd.isna(row["year"]) and "year not found" not in str(row["notes"]).lower():
            problems.append(f"{s_file}, line {line}, field 'year': a study without a year needs 'year not found' in its notes")
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

    for line, row in harms.iterrows():
        where = f"{h_file}, line {line}"
        if pd.notna(row["study_id"]) and row["study_id"] not in known:
            problems.append(f"{where}, field 'study_id': no study '{row['study_id']}' in studies.csv")
        if row["population"] == TRIAL_POPULATION and pd.isna(row["study_id"]):
            problems.append(f"{where}, field 'study_id': a harm among trial participants needs the study's id")
        if row["source_key"] not in keys:
            problems.append(f"{where}, field 'source_key': no entry '{row['source_key']}' in references.bib")
        figures = [f for f in _HARM_NUMBERS if pd.notna(row[f])]
        if row["reporting"] == "not reported":
            if figures:
                problems.append(f"{where}, field '{figures[0]}': a harm marked 'not reported' cannot carry a figure")
        elif pd.isna(row["quote"]):
            problems.append(f"{where}, field 'quote': a reported harm needs its verbatim quote")
        if row["reporting"] == "count or percentage" and pd.isna(row["count"]) and pd.isna(row["percent"]):
            problems.append(f"{where}, field 'count': reporting is 'count or percentage' but neither is given")
        if pd.notna(row["count"]) and pd.notna(row["denominator"]) and row["count"] > row["denominator"]:
            problems.append(f"{where}, field 'count': {row['count']} is more than the denominator {row['denominator']}")
        lower = row["percent"] if pd.notna(row["percent"]) else row["value"]
        if pd.notna(row["upper"]) and (pd.isna(lower) or row["upper"] < lower):
            problems.append(f"{where}, field 'upper': the upper end of a range needs a lower end (percent or value) below it")
        if pd.notna(row["value"]) and pd.isna(row["value_description"]):
            problems.append(f"{where}, field 'value_description': a value needs to say what it is")
        if pd.notna(row["quote"]):
            for field in figures:
                n = study_n.get(row["study_id"], pd.NA)
                if field == "denominator" and pd.notna(n) and row[field] == n:
                    continue  # the study's participants, quoted in studies.csv (n_quote)
                if not _number_in_quote(row[field], row["quote"]):
                    problems.append(f"{where}, field '{field}': {row[field]} does not appear in the quote")

    for name, text_field in (("mechanisms", "claim"), ("pharmacology", "value"), ("psychedelic_comparators", "figure")):
        where_file = _show(folder / _TABLES[name])
        for line, row in tables[name].iterrows():
            if pd.isna(row[text_field]) or pd.isna(row["quote"]):
                continue
            missing = sorted(x for x in numbers_in_text(row[text_field]) if not _number_in_quote(x, row["quote"]))
            if missing:
                shown = ", ".join(f"{x:g}" for x in missing)
                problems.append(f"{where_file}, line {line}, field '{text_field}': {shown} does not appear in the quote")

    for name, quote_field, fields in (
        ("reviews", "counts_quote", ("n_studies", "n_participants")),
        ("registrations", "quote", ("planned_participants",)),
        ("psychedelic_comparators", "quote", ("n_participants",)),
    ):
        where_file = _show(folder / _TABLES[name])
        for line, row in tables[name].iterrows():
            for field in fields:
                value = row[field]
                if pd.notna(value) and (pd.isna(row[quote_field]) or not _number_in_quote(value, row[quote_field])):
                    problems.append(f"{where_file}, line {line}, field '{field}': {value} does not appear in {quote_field}")
    review_keys = set(tables["reviews"]["review_id"].dropna())
    for key in sorted(review_keys - keys):
        problems.append(f"{_show(folder / _TABLES['reviews'])}: review '{key}' has no entry in references.bib")

    for name in (
        "safety_procedures",
        "product_information",
        "mechanisms",
        "pharmacology",
        "psychedelic_comparators",
        "protocols",
        "regulation",
        "risk_of_bias",
    ):
        where_file = _show(folder / _TABLES[name])
        for line, row in tables[name].iterrows():
            where = f"{where_file}, line {line}"
            if "study_id" in row and pd.notna(row["study_id"]) and row["study_id"] not in known:
                problems.append(f"{where}, field 'study_id': no study '{row['study_id']}' in studies.csv")
            if row["source_key"] not in keys:
                problems.append(f"{where}, field 'source_key': no entry '{row['source_key']}' in references.bib")
    where_file = _show(folder / _TABLES["protocols"])
    study_substance = dict(zip(studies["study_id"], studies["substance"].astype(str)))
    for line, row in tables["protocols"].iterrows():
        where = f"{where_file}, line {line}"
        if row["study_id"] in study_substance and row["substance"] != study_substance[row["study_id"]]:
            problems.append(f"{where}, field 'substance': the study is about {study_substance[row['study_id']]}")
        stated = [f for f in ("ketamine_sessions", "therapy_sessions") if pd.notna(row[f])]
        if pd.notna(row["therapy_duration"]):
            stated.append("therapy_duration")
        for field in stated:
            value = row[field]
            numbers = numbers_in_text(value) if field == "therapy_duration" else {float(value)}
            quote = row["quote"] if pd.notna(row["quote"]) else ""
            missing = sorted(
                x for x in numbers if not _number_in_quote(x, quote) and not (x == 1 and re.search(r"\bsingle\b", quote, re.I))
            )
            if missing:
                shown = ", ".join(f"{x:g}" for x in missing)
                problems.append(f"{where}, field '{field}': {shown} does not appear in the quote")

    where_file = _show(folder / _TABLES["patient_groups"])
    known_sources = known | keys | set(tables["registrations"]["registration_id"].dropna())
    for line, row in tables["patient_groups"].iterrows():
        where = f"{where_file}, line {line}"
        if pd.isna(row["sources"]):
            if not str(row["finding"]).startswith("no study in the data tested this group"):
                problems.append(
                    f"{where}, field 'sources': a finding needs its sources (or 'no study in the data tested this group')"
                )
            continue
        for source in str(row["sources"]).split("; "):
            if source not in known_sources:
                problems.append(f"{where}, field 'sources': '{source}' is not a study, a bibliography key or a registered trial")
        if pd.isna(row["quote"]) or pd.isna(row["locator"]):
            problems.append(f"{where}, field 'quote': a finding from a source needs its locator and verbatim quote")

    problems += _appraisal_problems(tables, folder)

    where_file = _show(folder / _TABLES["review_claims"])
    for line, row in tables["review_claims"].iterrows():
        where = f"{where_file}, line {line}"
        key = row["evidence_source_key"]
        if pd.isna(key):
            if row["verdict"] not in _VERDICTS_WITHOUT_SOURCE:
                problems.append(
                    f"{where}, field 'evidence_source_key': a '{row['verdict']}' verdict needs the source it rests on"
                )
            continue
        if key not in keys:
            problems.append(f"{where}, field 'evidence_source_key': no entry '{key}' in references.bib")
        if pd.isna(row["evidence_quote"]) or pd.isna(row["evidence_locator"]):
            problems.append(f"{where}, field 'evidence_quote': evidence needs its locator and verbatim quote")
    return problems


def _appraisal_problems(tables: dict[str, pd.DataFrame], folder: Path) -> list[str]:
    """Rules of the risk-of-bias and certainty tables that a schema cannot express."""
    problems: list[str] = []
    studies, outcomes = tables["studies"], tables["outcomes"]
    randomized = dict(zip(studies["study_id"], studies["randomized"].fillna(False).astype(bool)))
    rob = tables["risk_of_bias"]
    rob_file = _show(folder / _TABLES["risk_of_bias"])
    allowed = {
        "RoB 2": (ROB2_DOMAINS, ROB2_JUDGEMENTS),
        "RoB 2 (crossover)": ([*ROB2_DOMAINS, CROSSOVER_DOMAIN], ROB2_JUDGEMENTS),
        "ROBINS-I": (ROBINS_DOMAINS, ROBINS_JUDGEMENTS),
        "not assessed": ([], ["not assessed"]),
    }
    for line, row in rob.iterrows():
        where = f"{rob_file}, line {line}"
        if row["study_id"] not in randomized:
            problems.append(f"{where}, field 'study_id': no study '{row['study_id']}' in studies.csv")
            continue
        domains, judgements = allowed[row["tool"]]
        if row["domain"] != "overall" and row["domain"] not in domains:
            problems.append(f"{where}, field 'domain': '{row['domain']}' is not a domain of {row['tool']}")
        if row["judgement"] not in judgements:
            problems.append(f"{where}, field 'judgement': {row['tool']} judges {', '.join(judgements)}, not '{row['judgement']}'")
        if row["tool"].startswith("RoB 2") and not randomized[row["study_id"]]:
            problems.append(f"{where}, field 'tool': RoB 2 is for randomized trials; {row['study_id']} is not randomized")
    for study_id, rows in rob.groupby("study_id"):
        tools = set(rows["tool"])
        overall = rows[rows["domain"] == "overall"]
        if len(tools) != 1 or len(overall) != 1:
            problems.append(f"{rob_file}: {study_id} needs one tool and one overall judgement")
            continue
        (tool,) = tools
        domains, judgements = allowed[tool]
        missing = [d for d in domains if d not in set(rows["domain"])]
        if missing:
            problems.append(f"{rob_file}: {study_id} ({tool}) has no judgement for {', '.join(missing)}")
        judged = rows.loc[rows["domain"] != "overall", "judgement"]
        if tool.startswith("RoB 2") and not missing and set(judged) <= set(ROB2_JUDGEMENTS):
            worst = max(rows.loc[rows["domain"] != "overall", "judgement"], key=ROB2_JUDGEMENTS.index)
            given = overall["judgement"].iloc[0]
            if worst == "high" and given != "high" or worst != "low" and given == "low":
                problems.append(
                    f"{rob_file}: {study_id}'s overall judgement '{given}' does not follow from its domains (worst: {worst})"
                )
    for study_id, is_randomized in randomized.items():
        if is_randomized and study_id not in set(rob["study_id"]):
            problems.append(f"{rob_file}: the randomized trial {study_id} has no risk-of-bias assessment")

    sof_file = _show(folder / _TABLES["certainty"])
    arm_rows = outcomes[outcomes["n"].notna() & (outcomes["arm"] != "contrast")]
    arms = {}  # study -> the participants of each result's arms together
    for (study_id, _, _), group in arm_rows.groupby(["study_id", "outcome", "time_point"], dropna=False):
        arms.setdefault(study_id, set()).add(int(group["n"].sum()))
    for study_id, n in outcomes.loc[outcomes["n"].notna() & (outcomes["arm"] == "contrast"), ["study_id", "n"]].itertuples(
        index=False
    ):
        arms.setdefault(study_id, set()).add(int(n))  # a between-group result's n: both arms together
    n_of = dict(zip(studies["study_id"], studies["n_participants"]))
    quote_of = dict(zip(outcomes["outcome_id"], outcomes["quote"].fillna("")))
    for substance, rows in tables["certainty"].groupby("substance", observed=True):
        if len(rows) > 7:
            problems.append(f"{sof_file}: {substance} has {len(rows)} outcomes; a summary of findings shows at most 7")
    for line, row in tables["certainty"].iterrows():
        where = f"{sof_file}, line {line}"
        ids = [s.strip() for s in str(row["studies"]).split(";") if s.strip()]
        unknown = [s for s in ids if s not in randomized]
        if unknown:
            problems.append(f"{where}, field 'studies': no study {', '.join(unknown)} in studies.csv")
            continue
        if row["n_studies"] != len(ids):
            problems.append(f"{where}, field 'n_studies': {row['n_studies']} but {len(ids)} studies are listed")
        results = [s.strip() for s in str(row["outcome_ids"] if pd.notna(row["outcome_ids"]) else "").split(";") if s.strip()]
        for result in results:
            if result not in quote_of:
                problems.append(f"{where}, field 'outcome_ids': no result '{result}' in outcomes.csv")
        quotes = " ".join(quote_of.get(r, "") for r in results)
        n = row["participants"]
        if pd.notna(n) and n not in _participant_sums(ids, n_of, arms) and not _number_in_quote(n, quotes):
            problems.append(f"{where}, field 'participants': {n} is neither the studies' participants nor in a quoted result")
        for text_field in ("relative_effect", "absolute_effect"):
            missing = sorted(x for x in numbers_in_text(str(row[text_field])) if not _number_in_quote(x, quotes))
            if missing:
                shown = ", ".join(f"{x:g}" for x in missing)
                problems.append(f"{where}, field '{text_field}': {shown} does not appear in the quotes of its results")
        start = 0 if all(randomized[s] for s in ids) else 2
        steps = sum(
            _STEP_DOWN[row[d]] for d in ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias")
        )
        expected = CERTAINTY_LEVELS[min(start + steps, 3)]
        if row["certainty"] != expected:
            problems.append(
                f"{where}, field 'certainty': '{row['certainty']}' but the start and the steps down give '{expected}'"
            )
    return problems


def _participant_sums(ids: list[str], n_of: dict, arms: dict) -> set[int]:
    """Every total a summary-of-findings row may give for ``ids``: each study counted by its participants or by the
    participants in the arms of one of its results (those analysed)."""
    from itertools import product

    options = [({int(n_of[s])} if pd.notna(n_of[s]) else set()) | arms.get(s, set()) for s in ids]
    if not all(options):
        return set()
    return {sum(combo) for combo in product(*options)}


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
    problems = _rule_problems(typed, folder)
    if problems:
        raise DataValidationError(problems)
    return Evidence(**{name: frame.reset_index(drop=True) for name, frame in typed.items()})


def _stamp(folder: Path) -> tuple:
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*")) if p.is_file())


@lru_cache(maxsize=8)
def _cached(folder: str, stamp: tuple) -> Evidence:
    return validate_package(folder)


def load_evidence(folder: str | Path | None = None) -> Evidence:
    """All the tables, validated; cached until a file in the folder changes.

    Returns copies, so a caller may change them freely.
    """
    folder = Path(folder) if folder is not None else data_dir()
    return _cached(str(folder), _stamp(folder)).copy()


def has_psychotherapy(psychotherapy: pd.Series) -> pd.Series:
    """True where a study combined ketamine with a psychological treatment.

    The column holds the therapy's name, or "none" (sometimes followed by an explanation in brackets).
    """
    text = psychotherapy.astype("string").fillna("none").str.strip().str.lower()
    return ~text.str.startswith("none")


def _check_substance(substance: str | None) -> None:
    _check_choice(substance, SUBSTANCES, "substance")


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


def source_labels(folder: str | Path | None = None) -> dict[str, str]:
    """A short label for each entry of ``references.bib``: 'Winstock 2012', 'Spravato label 2025'.

    The ``shorttitle`` field where an entry has one (registry records, web pages, labels), else the first author's
    surname; then the year, where known.
    """
    from pybtex.database import parse_file

    from .references import plain_text

    folder = Path(folder) if folder is not None else data_dir()
    labels = {}
    for key, entry in parse_file(str(folder / "references.bib")).entries.items():
        year = entry.fields.get("year", "n.d.")
        people = entry.persons.get("author", [])
        if "shorttitle" in entry.fields:  # registry records, web pages: "NCT02649231 registry record"
            name = entry.fields["shorttitle"]
        else:
            name = " ".join(people[0].last_names) if people else entry.fields.get("title", key)
        labels[key] = f"{plain_text(name)} {year}" if year != "n.d." or "shorttitle" not in entry.fields else plain_text(name)
    return labels


def _check_choice(value: str | None, allowed: list[str], what: str) -> None:
    if value is not None and value not in allowed:
        raise ValueError(f"Unknown {what} {value!r}. Choose one of: {', '.join(allowed)}.")


def load_harms(
    substance: str | None = None,
    population: str | None = None,
    harm_kind: str | None = None,
    folder: str | Path | None = None,
) -> pd.DataFrame:
    """The harms table with a ``source`` label, and for rows from the book's studies their substance,
    design, first author and year; optionally only one substance, population or kind of harm.

    A row reported as "not reported" has no figure: read it as "we do not know", never as zero.
    """
    _check_substance(substance)
    _check_choice(population, HARM_POPULATIONS, "population")
    _check_choice(harm_kind, HARM_KINDS, "kind of harm")
    ev = load_evidence(folder)
    cols = ["study_id", "first_author", "year", "substance", "design", "n_participants"]
    harms = ev.harms.merge(ev.studies[cols], on="study_id", how="left")
    labels = source_labels(folder)
    from_study = harms["first_author"].notna()
    harms["source"] = harms["source_key"].map(labels).astype("string")
    harms.loc[from_study, "source"] = harms.loc[from_study, "first_author"] + " " + harms.loc[from_study, "year"].astype(str)
    keep = pd.Series(True, index=harms.index)
    if substance is not None:
        keep &= harms["substance"] == substance
    if population is not None:
        keep &= harms["population"] == population
    if harm_kind is not None:
        keep &= harms["harm_kind"] == harm_kind
    return harms[keep].reset_index(drop=True)


def load_adverse_events(substance: str | None = None, folder: str | Path | None = None) -> pd.DataFrame:
    """Adverse events in the book's clinical studies (the harms of trial participants), optionally of one substance."""
    return load_harms(substance=substance, population=TRIAL_POPULATION, folder=folder)


def load_safety_procedures(
    substance: str | None = None, aspect: str | None = None, folder: str | Path | None = None
) -> pd.DataFrame:
    """Exclusion criteria, monitoring and misuse controls of the book's studies, with each study's label and substance."""
    _check_substance(substance)
    ev = load_evidence(folder)
    procs = ev.safety_procedures.merge(ev.studies[["study_id", "first_author", "year", "substance", "design"]], on="study_id")
    procs["source"] = procs["first_author"] + " " + procs["year"].astype(str)
    keep = pd.Series(True, index=procs.index)
    if substance is not None:
        keep &= procs["substance"] == substance
    if aspect is not None:
        aspects = sorted(set(ev.safety_procedures["aspect"].dropna()))
        _check_choice(aspect, aspects, "aspect")
        keep &= procs["aspect"] == aspect
    return procs[keep].reset_index(drop=True)


def load_product_information(topic: str | None = None, folder: str | Path | None = None) -> pd.DataFrame:
    """Statements of the product information (and reference works), with a source label."""
    ev = load_evidence(folder)
    info = ev.product_information.copy()
    info["source"] = info["source_key"].map(source_labels(folder)).astype("string")
    if topic is not None:
        _check_choice(topic, sorted(set(info["topic"].dropna())), "topic")
        info = info[info["topic"] == topic].reset_index(drop=True)
    return info


def load_mechanisms(
    substance: str | None = None,
    mechanism: str | None = None,
    evidence_kind: str | None = None,
    folder: str | Path | None = None,
) -> pd.DataFrame:
    """The mechanisms evidence table with a ``source`` label; optionally only one drug of misuse (``"none"`` for
    studies without one), one mechanism or one kind of evidence. Unknown choices get the list of allowed ones."""
    _check_choice(substance, [*SUBSTANCES, "none"], "substance")
    _check_choice(mechanism, MECHANISMS, "mechanism")
    _check_choice(evidence_kind, EVIDENCE_KINDS, "kind of evidence")
    rows = load_evidence(folder).mechanisms
    rows["source"] = rows["source_key"].map(source_labels(folder)).astype("string")
    keep = pd.Series(True, index=rows.index)
    for column, value in (("substance", substance), ("mechanism", mechanism), ("evidence_kind", evidence_kind)):
        if value is not None:
            keep &= rows[column] == value
    return rows[keep].reset_index(drop=True)


def load_pharmacology(topic: str | None = None, drug: str | None = None, folder: str | Path | None = None) -> pd.DataFrame:
    """The pharmacology table with a ``source`` label; optionally one topic (e.g. ``"bioavailability"``) or drug."""
    rows = load_evidence(folder).pharmacology
    _check_choice(topic, sorted(set(rows["topic"].dropna())), "topic")
    _check_choice(drug, sorted(set(rows["drug"].dropna())), "drug")
    rows["source"] = rows["source_key"].map(source_labels(folder)).astype("string")
    if topic is not None:
        rows = rows[rows["topic"] == topic]
    if drug is not None:
        rows = rows[rows["drug"] == drug]
    return rows.reset_index(drop=True)


def load_registrations(substance: str | None = None, folder: str | Path | None = None) -> pd.DataFrame:
    """Registered trials without a results paper in the book, optionally of one substance."""
    _check_substance(substance)
    rows = load_evidence(folder).registrations
    if substance is not None:
        rows = rows[rows["substance"] == substance]
    return rows.reset_index(drop=True)


def load_reviews(folder: str | Path | None = None) -> pd.DataFrame:
    """The published reviews of ketamine for substance use disorders."""
    return load_evidence(folder).reviews


def _where(rows: pd.DataFrame, **equals) -> pd.DataFrame:
    """The rows whose columns equal the given values (a ``None`` value keeps every row), re-indexed from 0."""
    for column, value in equals.items():
        if value is not None:
            rows = rows[rows[column] == value]
    return rows.reset_index(drop=True)


def _with_study_labels(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (merged with studies' first_author and year) with a ``study`` label: 'Dakwar 2019', 'Havrylov (undated)'."""
    rows["study"] = [f"{a} (undated)" if pd.isna(y) else f"{a} {y}" for a, y in zip(rows["first_author"], rows["year"])]
    return rows


def load_psychedelic_comparators(drug: str | None = None, folder: str | Path | None = None) -> pd.DataFrame:
    """Trials of psilocybin- and MDMA-assisted therapy (context for the ketamine evidence), with a ``source`` label;
    optionally one drug (``"psilocybin"``, ``"MDMA"`` or ``"LSD and psilocybin"`` for the pooled review)."""
    rows = load_evidence(folder).psychedelic_comparators
    _check_choice(drug, sorted(set(rows["drug"].dropna())), "drug")
    rows["source"] = rows["source_key"].map(source_labels(folder)).astype("string")
    return _where(rows, drug=drug)


def load_review_claims(
    verdict: str | None = None, section: str | None = None, chapter: str | None = None, folder: str | Path | None = None
) -> pd.DataFrame:
    """The claims table: each claim of the source review and each entry of its reference list, with its verdict and
    evidence (``evidence_source`` is the evidence's label); optionally one verdict, one section or one chapter's claims."""
    rows = load_evidence(folder).review_claims
    _check_choice(verdict, VERDICTS, "verdict")
    _check_choice(section, list(dict.fromkeys(rows["section"].dropna())), "section")
    _check_choice(chapter, sorted(set(rows["chapter"].dropna())), "chapter")
    rows["verdict"] = pd.Categorical(rows["verdict"], categories=VERDICTS)
    rows["evidence_source"] = rows["evidence_source_key"].map(source_labels(folder)).astype("string")
    return _where(rows, verdict=verdict, section=section, chapter=chapter)


def load_protocols(
    substance: str | None = None, therapy_family: str | None = None, folder: str | Path | None = None
) -> pd.DataFrame:
    """How each study delivered ketamine and therapy (rows from several sources per study), with the study's label,
    design and year; optionally one substance or one kind of therapy (``"none reported"`` for studies without one)."""
    _check_substance(substance)
    ev = load_evidence(folder)
    families = ev.protocols["therapy_family"].dropna().unique().tolist()
    _check_choice(therapy_family, families, "kind of therapy")
    rows = _with_study_labels(
        ev.protocols.merge(ev.studies[["study_id", "first_author", "year", "design"]], on="study_id", how="left")
    )
    rows["source"] = rows["source_key"].map(source_labels(folder)).astype("string")
    return _where(rows, substance=substance, therapy_family=therapy_family)


def load_patient_groups(group: str | None = None, folder: str | Path | None = None) -> pd.DataFrame:
    """What the evidence says about each patient group the source review names; optionally one group."""
    rows = load_evidence(folder).patient_groups
    _check_choice(group, list(dict.fromkeys(rows["group"].dropna())), "patient group")
    return _where(rows, group=group)


def load_regulation(folder: str | Path | None = None) -> pd.DataFrame:
    """Statements on the approval, scheduling and off-label status of ketamine and esketamine, with a source label."""
    rows = load_evidence(folder).regulation
    rows["source"] = rows["source_key"].map(source_labels(folder)).astype("string")
    return rows


def load_risk_of_bias(study_id: str | None = None, tool: str | None = None, folder: str | Path | None = None) -> pd.DataFrame:
    """Risk-of-bias judgements (RoB 2, ROBINS-I, or 'not assessed'), with each study's label, substance and design;
    optionally one study or one tool."""
    ev = load_evidence(folder)
    _check_choice(study_id, sorted(set(ev.risk_of_bias["study_id"])), "study")
    _check_choice(tool, ["RoB 2", "RoB 2 (crossover)", "ROBINS-I", "not assessed"], "tool")
    cols = ["study_id", "first_author", "year", "substance", "design"]
    rows = _with_study_labels(ev.risk_of_bias.merge(ev.studies[cols], on="study_id", how="left"))
    return _where(rows, study_id=study_id, tool=tool)


def load_certainty(substance: str | None = None, folder: str | Path | None = None) -> pd.DataFrame:
    """The GRADE summary-of-findings rows, optionally of one substance (a substance without rows is an error)."""
    _check_substance(substance)
    rows = load_evidence(folder).certainty
    if substance is not None:
        rows = rows[rows["substance"] == substance]
        if rows.empty:
            covered = ", ".join(sorted(set(load_evidence(folder).certainty["substance"].astype(str))))
            raise ValueError(f"No certainty ratings for {substance}. Substances rated: {covered}.")
    rows["certainty"] = pd.Categorical(rows["certainty"], categories=CERTAINTY_LEVELS)
    return rows.reset_index(drop=True)


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
