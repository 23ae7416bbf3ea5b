"""Rules of ``outcomes.csv``: a known study, a 95% CI that holds its estimate, events within n, figures in the quote."""

from __future__ import annotations

import pandas as pd

from ..numbers import number_in_quote
from .base import Context, rule

OUTCOME_NUMBERS = ["n", "events", "percent", "mean", "sd", "estimate", "ci_lower", "ci_upper", "p_value"]


def _interval(where: str, row) -> list[str]:
    est, lo, hi = row["estimate"], row["ci_lower"], row["ci_upper"]
    if pd.notna(lo) != pd.notna(hi):
        return [f"{where}, field 'ci_upper': a 95% CI needs both bounds"]
    if pd.notna(lo) and pd.notna(hi):
        if lo > hi:
            return [f"{where}, field 'ci_lower': the lower bound {lo} is above the upper bound {hi}"]
        if pd.notna(est) and not (lo <= est <= hi):
            return [f"{where}, field 'ci_upper': the 95% CI {lo} to {hi} does not contain the estimate {est}"]
    return []


@rule
def outcome_rows(ctx: Context) -> list[str]:
    problems = []
    o_file, known = ctx.file("outcomes"), ctx.known_studies()
    for line, row in ctx.tables["outcomes"].iterrows():
        where = f"{o_file}, line {line}"
        if pd.notna(row["study_id"]) and row["study_id"] not in known:
            problems.append(f"{where}, field 'study_id': no study '{row['study_id']}' in studies.csv")
        problems += _interval(where, row)
        if pd.notna(row["estimate"]) and pd.isna(row["effect_measure"]):
            problems.append(f"{where}, field 'effect_measure': an estimate needs its effect measure")
        if pd.notna(row["events"]) and pd.notna(row["n"]) and row["events"] > row["n"]:
            problems.append(f"{where}, field 'events': {row['events']} events is more than n = {row['n']}")
        if pd.notna(row["quote"]):
            for field in OUTCOME_NUMBERS:
                value = row[field]
                if pd.notna(value) and not number_in_quote(value, row["quote"]):
                    problems.append(f"{where}, field '{field}': {value} does not appear in the quote")
    return problems
