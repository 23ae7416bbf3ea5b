"""Rules of ``protocols.csv``: the study's substance, and session counts and durations in the quote."""

from __future__ import annotations

import re

import pandas as pd

from ..numbers import number_in_quote, numbers_in_text
from .base import Context, rule


def _missing(field: str, value, quote: str) -> list[float]:
    numbers = numbers_in_text(value) if field == "therapy_duration" else {float(value)}
    return sorted(x for x in numbers if not number_in_quote(x, quote) and not (x == 1 and re.search(r"\bsingle\b", quote, re.I)))


@rule
def protocol_rows(ctx: Context) -> list[str]:
    problems = []
    where_file = ctx.file("protocols")
    studies = ctx.tables["studies"]
    study_substance = dict(zip(studies["study_id"], studies["substance"].astype(str)))
    for line, row in ctx.tables["protocols"].iterrows():
        where = f"{where_file}, line {line}"
        if row["study_id"] in study_substance and row["substance"] != study_substance[row["study_id"]]:
            problems.append(f"{where}, field 'substance': the study is about {study_substance[row['study_id']]}")
        stated = [f for f in ("ketamine_sessions", "therapy_sessions", "therapy_duration") if pd.notna(row[f])]
        quote = row["quote"] if pd.notna(row["quote"]) else ""
        for field in stated:
            missing = _missing(field, row[field], quote)
            if missing:
                shown = ", ".join(f"{x:g}" for x in missing)
                problems.append(f"{where}, field '{field}': {shown} does not appear in the quote")
    return problems
