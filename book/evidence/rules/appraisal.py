"""Rules of the appraisal tables: risk of bias (``risk_of_bias.csv``) and certainty (``certainty.csv``)."""

from __future__ import annotations

from itertools import product

import pandas as pd

from ..numbers import number_in_quote, numbers_in_text
from ..schema import (
    CERTAINTY_LEVELS,
    CROSSOVER_DOMAIN,
    ROB2_DOMAINS,
    ROB2_JUDGEMENTS,
    ROBINS_DOMAINS,
    ROBINS_JUDGEMENTS,
    STEP_DOWN,
)
from .base import Context, rule

#: Each tool's domains and judgements.
TOOLS = {
    "RoB 2": (ROB2_DOMAINS, ROB2_JUDGEMENTS),
    "RoB 2 (crossover)": ([*ROB2_DOMAINS, CROSSOVER_DOMAIN], ROB2_JUDGEMENTS),
    "ROBINS-I": (ROBINS_DOMAINS, ROBINS_JUDGEMENTS),
    "not assessed": ([], ["not assessed"]),
}
GRADE_DOMAINS = ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias")


def _randomized(ctx: Context) -> dict:
    studies = ctx.tables["studies"]
    return dict(zip(studies["study_id"], studies["randomized"].fillna(False).astype(bool)))


def _rob_row(where: str, row, randomized: dict) -> list[str]:
    if row["study_id"] not in randomized:
        return [f"{where}, field 'study_id': no study '{row['study_id']}' in studies.csv"]
    problems = []
    domains, judgements = TOOLS[row["tool"]]
    if row["domain"] != "overall" and row["domain"] not in domains:
        problems.append(f"{where}, field 'domain': '{row['domain']}' is not a domain of {row['tool']}")
    if row["judgement"] not in judgements:
        problems.append(f"{where}, field 'judgement': {row['tool']} judges {', '.join(judgements)}, not '{row['judgement']}'")
    if row["tool"].startswith("RoB 2") and not randomized[row["study_id"]]:
        problems.append(f"{where}, field 'tool': RoB 2 is for randomized trials; {row['study_id']} is not randomized")
    return problems


def _rob_study(rob_file: str, study_id: str, rows: pd.DataFrame) -> list[str]:
    tools = set(rows["tool"])
    overall = rows[rows["domain"] == "overall"]
    if len(tools) != 1 or len(overall) != 1:
        return [f"{rob_file}: {study_id} needs one tool and one overall judgement"]
    (tool,) = tools
    domains, _ = TOOLS[tool]
    missing = [d for d in domains if d not in set(rows["domain"])]
    if missing:
        return [f"{rob_file}: {study_id} ({tool}) has no judgement for {', '.join(missing)}"]
    return []  # whether the overall judgement follows from the domains: rob_overall.risk_of_bias_overall


@rule
def risk_of_bias_rows(ctx: Context) -> list[str]:
    randomized = _randomized(ctx)
    rob = ctx.tables["risk_of_bias"]
    rob_file = ctx.file("risk_of_bias")
    problems = [p for line, row in rob.iterrows() for p in _rob_row(f"{rob_file}, line {line}", row, randomized)]
    for study_id, rows in rob.groupby("study_id"):
        problems += _rob_study(rob_file, study_id, rows)
    assessed = set(rob["study_id"])
    for study_id, is_randomized in randomized.items():
        if is_randomized and study_id not in assessed:
            problems.append(f"{rob_file}: the randomized trial {study_id} has no risk-of-bias assessment")
    return problems


def participant_sums(ids: list[str], n_of: dict, arms: dict) -> set[int]:
    """Every total a summary-of-findings row may give for ``ids``: each study counted by its participants or by the
    participants in the arms of one of its results (those analysed)."""
    options = [({int(n_of[s])} if pd.notna(n_of[s]) else set()) | arms.get(s, set()) for s in ids]
    if not all(options):
        return set()
    return {sum(combo) for combo in product(*options)}


def _analysed(outcomes: pd.DataFrame) -> dict[str, set[int]]:
    """Study -> the participants of each result's arms together (a between-group result's n: both arms together)."""
    arm_rows = outcomes[outcomes["n"].notna() & (outcomes["arm"] != "contrast")]
    arms: dict[str, set[int]] = {}
    for (study_id, _, _), group in arm_rows.groupby(["study_id", "outcome", "time_point"], dropna=False):
        arms.setdefault(study_id, set()).add(int(group["n"].sum()))
    contrasts = outcomes.loc[outcomes["n"].notna() & (outcomes["arm"] == "contrast"), ["study_id", "n"]]
    for study_id, n in contrasts.itertuples(index=False):
        arms.setdefault(study_id, set()).add(int(n))
    return arms


def _certainty_row(where: str, row, randomized: dict, n_of: dict, arms: dict, quote_of: dict) -> list[str]:
    ids = [s.strip() for s in str(row["studies"]).split(";") if s.strip()]
    unknown = [s for s in ids if s not in randomized]
    if unknown:
        return [f"{where}, field 'studies': no study {', '.join(unknown)} in studies.csv"]
    problems = []
    if row["n_studies"] != len(ids):
        problems.append(f"{where}, field 'n_studies': {row['n_studies']} but {len(ids)} studies are listed")
    results = [s.strip() for s in str(row["outcome_ids"] if pd.notna(row["outcome_ids"]) else "").split(";") if s.strip()]
    problems += [f"{where}, field 'outcome_ids': no result '{r}' in outcomes.csv" for r in results if r not in quote_of]
    quotes = " ".join(quote_of.get(r, "") for r in results)
    n = row["participants"]
    if pd.notna(n) and n not in participant_sums(ids, n_of, arms) and not number_in_quote(n, quotes):
        problems.append(f"{where}, field 'participants': {n} is neither the studies' participants nor in a quoted result")
    for text_field in ("relative_effect", "absolute_effect"):
        missing = sorted(x for x in numbers_in_text(str(row[text_field])) if not number_in_quote(x, quotes))
        if missing:
            shown = ", ".join(f"{x:g}" for x in missing)
            problems.append(f"{where}, field '{text_field}': {shown} does not appear in the quotes of its results")
    start = 0 if all(randomized[s] for s in ids) else 2
    expected = CERTAINTY_LEVELS[min(start + sum(STEP_DOWN[row[d]] for d in GRADE_DOMAINS), 3)]
    if row["certainty"] != expected:
        problems.append(f"{where}, field 'certainty': '{row['certainty']}' but the start and the steps down give '{expected}'")
    return problems


@rule
def certainty_rows(ctx: Context) -> list[str]:
    studies, outcomes, certainty = ctx.tables["studies"], ctx.tables["outcomes"], ctx.tables["certainty"]
    sof_file = ctx.file("certainty")
    randomized = _randomized(ctx)
    arms = _analysed(outcomes)
    n_of = dict(zip(studies["study_id"], studies["n_participants"]))
    quote_of = dict(zip(outcomes["outcome_id"], outcomes["quote"].fillna("")))
    problems = []
    for substance, rows in certainty.groupby("substance", observed=True):
        if len(rows) > 7:
            problems.append(f"{sof_file}: {substance} has {len(rows)} outcomes; a summary of findings shows at most 7")
    for line, row in certainty.iterrows():
        problems += _certainty_row(f"{sof_file}, line {line}", row, randomized, n_of, arms, quote_of)
    return problems
