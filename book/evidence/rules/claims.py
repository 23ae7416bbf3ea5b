"""Rules of ``review_claims.csv``: a verdict rests on a source (with its quote) unless nothing could be found."""

from __future__ import annotations

import pandas as pd

from ..schema import VERDICTS_WITHOUT_SOURCE
from .base import Context, rule


@rule
def claim_rows(ctx: Context) -> list[str]:
    problems = []
    where_file = ctx.file("review_claims")
    for line, row in ctx.tables["review_claims"].iterrows():
        where = f"{where_file}, line {line}"
        key = row["evidence_source_key"]
        if pd.isna(key):
            if row["verdict"] not in VERDICTS_WITHOUT_SOURCE:
                problems.append(
                    f"{where}, field 'evidence_source_key': a '{row['verdict']}' verdict needs the source it rests on"
                )
            continue
        if key not in ctx.keys:
            problems.append(f"{where}, field 'evidence_source_key': no entry '{key}' in references.bib")
        if pd.isna(row["evidence_quote"]) or pd.isna(row["evidence_locator"]):
            problems.append(f"{where}, field 'evidence_quote': evidence needs its locator and verbatim quote")
    return problems
