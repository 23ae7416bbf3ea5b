"""Rules of ``studies.csv``: a year or the reason there is none; the participants and dose in their quotes."""

from __future__ import annotations

import re

import pandas as pd

from ..numbers import number_in_quote
from .base import Context, rule

_ONE_PERSON = re.compile(
    r"(?:^|\bthis case (?:presents|report,?)\s+|\bcase report,\s+)(?:a|an|one)\b.*\b(?:case|patient|man|woman|male|female)\b",
    re.IGNORECASE,
)


def single_case(row) -> bool:
    """A case report of one person, whose abstract says "a woman" or "a 38-year-old male patient"."""
    return row["n_participants"] == 1 and row["design"] == "case series" and bool(_ONE_PERSON.search(str(row["n_quote"])))


@rule
def study_rows(ctx: Context) -> list[str]:
    problems = []
    s_file = ctx.file("studies")
    for line, row in ctx.tables["studies"].iterrows():
        if pd.isna(row["year"]) and "year not found" not in str(row["notes"]).lower():
            problems.append(f"{s_file}, line {line}, field 'year': a study without a year needs 'year not found' in its notes")
        n = row["n_participants"]
        if pd.notna(n) and (pd.isna(row["n_quote"]) or pd.isna(row["n_locator"])):
            problems.append(f"{s_file}, line {line}, field 'n_quote': a number of participants needs n_locator and n_quote")
        elif pd.notna(n) and not number_in_quote(n, row["n_quote"]) and not single_case(row):
            problems.append(f"{s_file}, line {line}, field 'n_participants': {n} does not appear in n_quote")
        dose = row["ketamine_dose_mg_per_kg"]
        if pd.notna(dose):
            if pd.isna(row["dose_quote"]) or pd.isna(row["dose_locator"]):
                problems.append(f"{s_file}, line {line}, field 'dose_quote': a dose needs dose_locator and dose_quote")
            elif not number_in_quote(dose, row["dose_quote"]):
                problems.append(f"{s_file}, line {line}, field 'ketamine_dose_mg_per_kg': {dose} does not appear in dose_quote")
    return problems
