"""The data package's shape: its tables, its vocabularies, the error every check raises, the validated tables.

The vocabularies (substances, designs, mechanisms, kinds of harm, verdicts...) are the ``enum`` constraints of
``data/datapackage.json``; they are not copied here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..paths import DATA_DIR

__all__ = [
    "SUBSTANCES",
    "DESIGNS",
    "TABLES",
    "ENUMS",
    "read_enums",
    "ROB2_JUDGEMENTS",
    "ROBINS_JUDGEMENTS",
    "ROB2_DOMAINS",
    "CROSSOVER_DOMAIN",
    "ROBINS_DOMAINS",
    "CERTAINTY_LEVELS",
    "STEP_DOWN",
    "VERDICTS",
    "VERDICTS_WITHOUT_SOURCE",
    "MECHANISMS",
    "EVIDENCE_KINDS",
    "TRIAL_POPULATION",
    "HARM_POPULATIONS",
    "HARM_KINDS",
    "STILL_TO_REPORT",
    "DataValidationError",
    "Evidence",
    "data_dir",
]

TABLES = {
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


def read_enums(folder: Path) -> dict[tuple[str, str], list[str]]:
    """``(table, field) -> allowed values``: the ``enum`` constraints of ``folder/datapackage.json``, in its order."""
    import json

    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    return {
        (resource["name"], field["name"]): list(field["constraints"]["enum"])
        for resource in descriptor["resources"]
        for field in resource["schema"]["fields"]
        if "enum" in field.get("constraints", {})
    }


def _package_folder() -> Path:
    env = os.environ.get("KAP_BOOK_DATA")
    return Path(env) if env and (Path(env) / "datapackage.json").is_file() else DATA_DIR


#: Every vocabulary of the package, read from its schema (there is no second copy in Python).
ENUMS = read_enums(_package_folder())
#: Order in which substances appear in tables and legends everywhere in the book.
SUBSTANCES = ENUMS["studies", "substance"]
#: Designs, from the strongest protection against bias to the weakest.
DESIGNS = ENUMS["studies", "design"]
#: The certainty levels of GRADE, best first, and the steps down of its domains (0, 1 or 2 levels).
CERTAINTY_LEVELS = ENUMS["certainty", "certainty"]
STEP_DOWN = {step: i for i, step in enumerate(ENUMS["certainty", "risk_of_bias"])}
#: The verdicts of the claims table, from best supported to worst (the order of the claims explorer).
VERDICTS = ENUMS["review_claims", "verdict"]
#: Verdicts that may stand without a source (nothing could be found to check the claim against).
VERDICTS_WITHOUT_SOURCE = {"reference not found", "unsupported"}
#: Proposed mechanisms, in the order the mechanisms chapter takes them.
MECHANISMS = ENUMS["mechanisms", "mechanism"]
#: Kinds of evidence for a mechanism, from the furthest from a patient with a substance use disorder to the closest.
EVIDENCE_KINDS = ENUMS["mechanisms", "evidence_kind"]
#: Who experienced a harm (the ``population`` column of ``harms.csv``); the first is the trials' participants.
HARM_POPULATIONS = ENUMS["harms", "population"]
TRIAL_POPULATION = "trial participants with a substance use disorder"
#: Kinds of harm, in the order the safety chapter shows them.
HARM_KINDS = ENUMS["harms", "harm_kind"]

#: The registration statuses of trials that have not finished, whose results are still to come (a rule over the
#: schema's statuses, not a vocabulary: tests/test_schema_rules.py checks each is one of them).
STILL_TO_REPORT = ["not yet recruiting", "recruiting", "active, not recruiting"]

# The tools of risk-of-bias assessment: which of the schema's domains and judgements each uses (a rule, not a
# vocabulary: tests/test_schema_rules.py checks that every name is one of the schema's).
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


class DataValidationError(ValueError):
    """The data package breaks its schema or one of the book's rules.

    ``problems`` holds one line per problem, each naming file, line and field. With ``cause=True`` the first
    problem is the cause of everything else (a table that cannot be read), and the message starts with it.
    """

    def __init__(self, problems: list[str], cause: bool = False):
        self.problems = list(problems)
        self.cause = cause
        if cause:
            super().__init__("\n  ".join(self.problems))
            return
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
        return Evidence(*(getattr(self, name).copy() for name in TABLES))

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
