"""Rules of ``patient_groups.csv``: each finding's sources are known, and a sourced finding has its quote."""

from __future__ import annotations

import pandas as pd

from .base import Context, rule

NO_STUDY = "no study in the data tested this group"


@rule
def patient_group_rows(ctx: Context) -> list[str]:
    problems = []
    where_file = ctx.file("patient_groups")
    known_sources = ctx.known_studies() | ctx.keys | set(ctx.tables["registrations"]["registration_id"].dropna())
    for line, row in ctx.tables["patient_groups"].iterrows():
        where = f"{where_file}, line {line}"
        if pd.isna(row["sources"]):
            if not str(row["finding"]).startswith(NO_STUDY):
                problems.append(f"{where}, field 'sources': a finding needs its sources (or '{NO_STUDY}')")
            continue
        for source in str(row["sources"]).split("; "):
            if source not in known_sources:
                problems.append(f"{where}, field 'sources': '{source}' is not a study, a bibliography key or a registered trial")
        if pd.isna(row["quote"]) or pd.isna(row["locator"]):
            problems.append(f"{where}, field 'quote': a finding from a source needs its locator and verbatim quote")
    return problems
