"""Rules of references between tables: every ``study_id`` is a study, every ``source_key`` a bibliography entry."""

from __future__ import annotations

import pandas as pd

from .base import Context, rule

#: Tables with a ``source_key`` (and perhaps a ``study_id``) checked here; outcomes and harms have rules of their own.
SOURCED_TABLES = (
    "safety_procedures",
    "product_information",
    "mechanisms",
    "pharmacology",
    "psychedelic_comparators",
    "protocols",
    "regulation",
    "risk_of_bias",
)


@rule
def reviews_in_bibliography(ctx: Context) -> list[str]:
    review_keys = set(ctx.tables["reviews"]["review_id"].dropna())
    return [f"{ctx.file('reviews')}: review '{key}' has no entry in references.bib" for key in sorted(review_keys - ctx.keys)]


@rule
def known_sources(ctx: Context) -> list[str]:
    problems = []
    known = ctx.known_studies()
    for name in SOURCED_TABLES:
        where_file = ctx.file(name)
        for line, row in ctx.tables[name].iterrows():
            where = f"{where_file}, line {line}"
            if "study_id" in row and pd.notna(row["study_id"]) and row["study_id"] not in known:
                problems.append(f"{where}, field 'study_id': no study '{row['study_id']}' in studies.csv")
            if row["source_key"] not in ctx.keys:
                problems.append(f"{where}, field 'source_key': no entry '{row['source_key']}' in references.bib")
    return problems
