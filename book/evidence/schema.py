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
    "DataValidationError",
    "Evidence",
    "data_dir",
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
STEP_DOWN = {"not serious": 0, "serious (-1)": 1, "very serious (-2)": 2}

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
VERDICTS_WITHOUT_SOURCE = {"reference not found", "unsupported"}

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
