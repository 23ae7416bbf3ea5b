"""Rules shared by tables whose figures are written in a text field or a counted field: each in its quote."""

from __future__ import annotations

import pandas as pd

from ..numbers import number_in_quote, numbers_in_text
from .base import Context, rule

#: (table, field whose text may hold figures): every figure written there must stand in the row's quote.
TEXT_FIGURES = (("mechanisms", "claim"), ("pharmacology", "value"), ("psychedelic_comparators", "figure"))
#: (table, quote field, counted fields): every count must stand in that quote.
COUNTED = (
    ("reviews", "counts_quote", ("n_studies", "n_participants")),
    ("registrations", "quote", ("planned_participants",)),
    ("psychedelic_comparators", "quote", ("n_participants",)),
)


@rule
def figures_in_text(ctx: Context) -> list[str]:
    problems = []
    for name, text_field in TEXT_FIGURES:
        where_file = ctx.file(name)
        for line, row in ctx.tables[name].iterrows():
            if pd.isna(row[text_field]) or pd.isna(row["quote"]):
                continue
            missing = sorted(x for x in numbers_in_text(row[text_field]) if not number_in_quote(x, row["quote"]))
            if missing:
                shown = ", ".join(f"{x:g}" for x in missing)
                problems.append(f"{where_file}, line {line}, field '{text_field}': {shown} does not appear in the quote")
    return problems


@rule
def counts_in_quotes(ctx: Context) -> list[str]:
    problems = []
    for name, quote_field, fields in COUNTED:
        where_file = ctx.file(name)
        for line, row in ctx.tables[name].iterrows():
            for field in fields:
                value = row[field]
                if pd.notna(value) and (pd.isna(row[quote_field]) or not number_in_quote(value, row[quote_field])):
                    problems.append(f"{where_file}, line {line}, field '{field}': {value} does not appear in {quote_field}")
    return problems
