"""Rules of ``harms.csv``: a known study and source, figures only where reported, each figure in the quote."""

from __future__ import annotations

import pandas as pd

from ..numbers import number_in_quote
from ..schema import TRIAL_POPULATION
from .base import Context, rule

HARM_NUMBERS = ["count", "denominator", "percent", "value", "upper"]


def _reporting(where: str, row, figures: list[str]) -> list[str]:
    problems = []
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
    return problems


@rule
def harm_rows(ctx: Context) -> list[str]:
    problems = []
    h_file, known = ctx.file("harms"), ctx.known_studies()
    studies = ctx.tables["studies"]
    study_n = dict(zip(studies["study_id"], studies["n_participants"]))
    for line, row in ctx.tables["harms"].iterrows():
        where = f"{h_file}, line {line}"
        if pd.notna(row["study_id"]) and row["study_id"] not in known:
            problems.append(f"{where}, field 'study_id': no study '{row['study_id']}' in studies.csv")
        if row["population"] == TRIAL_POPULATION and pd.isna(row["study_id"]):
            problems.append(f"{where}, field 'study_id': a harm among trial participants needs the study's id")
        if row["source_key"] not in ctx.keys:
            problems.append(f"{where}, field 'source_key': no entry '{row['source_key']}' in references.bib")
        figures = [f for f in HARM_NUMBERS if pd.notna(row[f])]
        problems += _reporting(where, row, figures)
        if pd.notna(row["quote"]):
            for field in figures:
                n = study_n.get(row["study_id"], pd.NA)
                if field == "denominator" and pd.notna(n) and row[field] == n:
                    continue  # the study's participants, quoted in studies.csv (n_quote)
                if not number_in_quote(row[field], row["quote"]):
                    problems.append(f"{where}, field '{field}': {row[field]} does not appear in the quote")
    return problems
