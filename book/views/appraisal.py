"""Appraisal views: the risk-of-bias traffic-light chart, the claims explorer, and the risk-of-bias, summary-of-findings
and claims tables. Every judgement is written in words in its cell, so nothing depends on colour alone."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..evidence.schema import CROSSOVER_DOMAIN, ROB2_DOMAINS, ROBINS_DOMAINS, VERDICTS
from .kit import (
    FONT_SIZES,
    chart_size,
    chart_title,
    choice_param,
    filtered,
    json_ready,
    message_chart,
    no_match_layer,
    row_axis,
    styled,
    wrap_label,
)

__all__ = [
    "rob_chart",
    "rob_table",
    "sof_table",
    "claims_chart",
    "claims_table",
    "counts_table",
    "JUDGEMENT_COLORS",
    "VERDICT_COLORS",
]

#: Judgement colours (light fills, so the dark words on them stay readable); the word is always written in the cell.
JUDGEMENT_COLORS = {
    "low": "#B7E1CD",
    "some concerns": "#FCE8B2",
    "high": "#F4C7C3",
    "moderate": "#FCE8B2",
    "serious": "#F4C7C3",
    "critical": "#E6A0A0",
    "no information": "#E0E0E0",
    "not assessed": "#F5F5F5",
}
#: The robvis symbols, drawn in a cell when the chart is too narrow for the word (a phone); the subtitle is their key.
JUDGEMENT_SYMBOLS = {
    "low": "+",
    "some concerns": "−",
    "moderate": "−",
    "high": "×",
    "serious": "×",
    "critical": "!",
    "no information": "?",
    "not assessed": "",
}
_SYMBOL_KEY = (
    "'some' = some concerns. On a narrow screen: + low, − some concerns (RoB 2) or moderate (ROBINS-I), "
    "× high or serious, ! critical, ? no information"
)
#: Below this chart width the cells show symbols instead of words.
_WORDS_FROM_WIDTH = 430

#: Short column labels for the domains (the tooltip gives the full name).
_SHORT = {d: d.split(" ")[0] for d in [*ROB2_DOMAINS, *ROBINS_DOMAINS]} | {CROSSOVER_DOMAIN: "DS", "overall": "Overall"}
_COLUMNS = ["D1", "D2", "D3", "D4", "D5", "D6", "D7", "DS", "Overall"]


def rob_chart(rob: pd.DataFrame, title: str = "Risk of bias, domain by domain") -> alt.LayerChart | alt.Chart:
    """The traffic-light chart: one row per study, one column per domain (D1-D7, DS for crossover trials, Overall),
    each cell coloured by its judgement AND labelled with it in words; the tooltip gives the reason and the quote.
    Bound input: the tool (RoB 2, RoB 2 crossover, ROBINS-I)."""
    rows = rob[rob["tool"] != "not assessed"].copy()
    if rows.empty:
        return message_chart("No study in this selection was assessed with a risk-of-bias tool.")
    rows["column"] = rows["domain"].map(_SHORT)
    rows["label"] = [wrap_label(f"{s} ({t})") for s, t in zip(rows["study"], rows["tool"])]
    rows["word"] = rows["judgement"].replace({"some concerns": "some", "no information": "no info"})
    rows["symbol"] = rows["judgement"].map(JUDGEMENT_SYMBOLS)
    order = rows.sort_values(["tool", "substance", "year"])["label"].drop_duplicates().tolist()
    data = json_ready(
        rows[["label", "study", "tool", "domain", "column", "judgement", "word", "symbol", "justification", "quote"]]
    )
    tools = [t for t in ["RoB 2", "RoB 2 (crossover)", "ROBINS-I"] if t in set(rows["tool"])]
    tool = choice_param("tool_choice", "Tool: ", tools, "all tools")
    filters = ["tool_choice == 'all' || datum.tool == tool_choice"]
    base = filtered(data, filters)
    # On a phone the last column's heading, centred over a narrow column, ran past the chart's right edge: two lines there.
    heading = f"datum.label == 'Overall' && width < {_WORDS_FROM_WIDTH} ? ['Over-', 'all'] : datum.label"
    x = alt.X(
        "column:N",
        title=None,
        sort=_COLUMNS,
        axis=alt.Axis(
            orient="top",
            labelAngle=0,
            labelFontSize=FONT_SIZES["label"],
            labelExpr=heading,
            labelLineHeight=14,
            labelOverlap=False,
        ),
    )
    y = alt.Y("label:N", title=None, sort=order, axis=row_axis())
    tooltip = [
        alt.Tooltip("study:N", title="Study"),
        alt.Tooltip("domain:N", title="Domain"),
        alt.Tooltip("judgement:N", title="Judgement"),
        alt.Tooltip("justification:N", title="Why"),
        alt.Tooltip("quote:N", title="Quote"),
    ]
    cells = base.mark_rect(stroke="#FFFFFF", strokeWidth=2).encode(
        x=x,
        y=y,
        color=alt.Color(
            "judgement:N",
            title="Judgement",
            scale=alt.Scale(domain=list(JUDGEMENT_COLORS), range=list(JUDGEMENT_COLORS.values())),
            legend=None,
        ),
        tooltip=tooltip,
    )
    # Words in each cell on a wide chart; on a phone the robvis symbols, keyed in the subtitle. Never colour alone.
    words = base.mark_text(
        fontSize=FONT_SIZES["label"] - 1,  # 12 px, the book's smallest chart text
        color="#1A1A1A",
        text=alt.ExprRef(f"width >= {_WORDS_FROM_WIDTH} ? datum.word : datum.symbol"),
    ).encode(x=x, y=y, tooltip=tooltip)
    description = (
        f"Grid of risk-of-bias judgements for {rows['study_id'].nunique()} studies: one row per study, one column per domain "
        "(D1 to D5 of RoB 2, DS for crossover trials, D1 to D7 of ROBINS-I) and the overall judgement, "
        "each cell labelled in words "
        "(low, some concerns, high; moderate, serious for ROBINS-I), or on a narrow screen by its symbol (+ low, − some concerns "
        "or moderate, × high or serious, ! critical, ? no information). A drop-down chooses the tool."
    )
    return (
        alt.layer(cells, words, no_match_layer(data, *filters), title=_with_key(title), description=description)
        .add_params(tool)
        .properties(**chart_size(34))
    )


def _with_key(title: str) -> alt.TitleParams:
    """The chart's title with the symbols' key as its subtitle, wrapped to fit a phone."""
    import textwrap

    heading = chart_title(title)
    return alt.TitleParams(
        text=heading.text, subtitle=textwrap.wrap(_SYMBOL_KEY, width=44), subtitleFontSize=FONT_SIZES["label"] - 1
    )


def rob_table(rob: pd.DataFrame, caption: str = "Risk of bias: each judgement, why, and the words it rests on"):
    """Study, tool, domain, judgement, why, locator and quote."""
    if rob.empty:
        raise ValueError("No risk-of-bias judgements in this selection. Check the study or tool you passed.")
    r = rob.reset_index(drop=True)
    table = pd.DataFrame(
        {
            "Study": r["study"],
            "Tool": r["tool"],
            "Domain": r["domain"],
            "Judgement": r["judgement"],
            "Why": r["justification"],
            "Where": r["locator"],
            "Quote": r["quote"],
        }
    )
    return styled(table, caption, "rob")


def sof_table(certainty: pd.DataFrame, caption: str = "Summary of findings (GRADE)"):
    """Outcome, studies, participants, effect (relative; absolute), certainty, and the reason for each step down."""
    if certainty.empty:
        raise ValueError("No summary-of-findings rows in this selection. Check the substance you passed.")
    c = certainty.reset_index(drop=True)
    steps = ["risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias"]
    downgrades = c[steps].apply(
        lambda r: "; ".join(f"{k.replace('_', ' ')} {v.split(' ')[-1]}" for k, v in r.items() if v != "not serious") or "none",
        axis=1,
    )
    table = pd.DataFrame(
        {
            "Outcome": c["outcome"],
            "Studies (participants)": c["n_studies"].astype(str)
            + " ("
            + c["participants"].map(lambda n: "not in the data" if pd.isna(n) else str(int(n)))
            + ")",
            "Relative effect": c["relative_effect"],
            "Absolute effect": c["absolute_effect"],
            "Certainty": c["certainty"].astype(str),
            "Steps down": downgrades,
            "Reasons": c["reasons"],
        }
    )
    return styled(table, caption, "sof")


#: Verdict colours (light fills); the verdict is always written beside the bar.
VERDICT_COLORS = dict(zip(VERDICTS, ["#B7E1CD", "#D9EAD3", "#FCE8B2", "#F4C7C3", "#F4C7C3", "#E6A0A0", "#E6A0A0"]))


def claims_chart(claims: pd.DataFrame, title: str = "The source review, claim by claim") -> alt.LayerChart | alt.Chart:
    """The claims explorer: one row per claim (its id and its words), the verdict written in its cell and its colour;
    the tooltip gives the evidence and the explanation. Bound inputs: verdict and section of the review."""
    if claims.empty:
        return message_chart("No claims in this selection.")
    rows = claims.copy()
    rows["verdict"] = rows["verdict"].astype(str)
    rows["label"] = [wrap_label(f"{i}: {q}", width=34) for i, q in zip(rows["claim_id"], rows["claim_quote"])]
    rows["evidence"] = rows["evidence_source"].fillna("no source found")
    data = json_ready(
        rows[["label", "claim_id", "section", "claim_quote", "cited_reference", "verdict", "evidence", "explanation"]]
    )
    verdict = choice_param("verdict_choice", "Verdict: ", [v for v in VERDICTS if v in set(rows["verdict"])], "all verdicts")
    sections = list(dict.fromkeys(rows["section"]))
    section = choice_param("section_choice", "Section: ", sections, "all sections")
    filters = [
        "verdict_choice == 'all' || datum.verdict == verdict_choice",
        "section_choice == 'all' || datum.section == section_choice",
    ]
    base = filtered(data, filters)
    y = alt.Y("label:N", title=None, sort=list(rows["label"]), axis=row_axis())
    tooltip = [
        alt.Tooltip("claim_id:N", title="Claim"),
        alt.Tooltip("section:N", title="Section"),
        alt.Tooltip("claim_quote:N", title="The review says"),
        alt.Tooltip("cited_reference:N", title="It cites"),
        alt.Tooltip("verdict:N", title="Verdict"),
        alt.Tooltip("evidence:N", title="Evidence"),
        alt.Tooltip("explanation:N", title="Why"),
    ]
    cells = base.mark_rect(stroke="#FFFFFF", strokeWidth=2).encode(
        x=alt.value(0),
        x2=alt.value({"expr": "width"}),
        y=y,
        color=alt.Color(
            "verdict:N", scale=alt.Scale(domain=list(VERDICT_COLORS), range=list(VERDICT_COLORS.values())), legend=None
        ),
        tooltip=tooltip,
    )
    words = base.mark_text(align="left", dx=8, fontSize=FONT_SIZES["label"] - 1, color="#1A1A1A").encode(
        x=alt.value(0), y=y, text="verdict:N", tooltip=tooltip
    )
    counts = rows["verdict"].value_counts()
    summary = ", ".join(f"{counts[v]} {v}" for v in VERDICTS if v in counts)
    description = (
        f"List of {len(rows)} claims and reference entries of the source review, one row each, "
        "with its verdict written in the row "
        f"({summary}). Drop-downs choose the verdict and the section of the review; the tooltip gives the evidence and why."
    )
    return (
        alt.layer(cells, words, no_match_layer(data, *filters), title=chart_title(title), description=description)
        .add_params(verdict, section)
        .properties(**chart_size(34))
    )


def claims_table(claims: pd.DataFrame, caption: str = "What the source review says, and what its sources show"):
    """Claim, the review's words, what it cites, verdict, evidence (source, where, quote) and why."""
    if claims.empty:
        raise ValueError("No claims in this selection. Check the verdict, section or chapter you passed.")
    c = claims.reset_index(drop=True)
    table = pd.DataFrame(
        {
            "Claim": c["claim_id"],
            "The review says": c["claim_quote"],
            "It cites": c["cited_reference"],
            "Verdict": c["verdict"].astype(str),
            "Evidence": c["evidence_source"].fillna("no source found"),
            "Where": c["evidence_locator"].fillna(""),
            "The evidence says": c["evidence_quote"].fillna(""),
            "Why": c["explanation"],
        }
    )
    return styled(table, caption, "claims")


def counts_table(frame: pd.DataFrame, rows: str, columns: str, caption: str):
    """How many rows of ``frame`` fall in each combination of ``rows`` and ``columns``, as a table whose every header
    cell has a name (a pandas cross-tabulation leaves one blank, which screen readers announce as an empty header)."""
    if frame.empty:
        raise ValueError("Nothing to count in this selection.")
    counts = pd.crosstab(frame[rows].astype(str), frame[columns].astype(str))
    order = [v for v in frame[rows].astype("category").cat.categories.astype(str) if v in counts.index]
    counts = counts.reindex(order).reset_index()
    counts.columns = [rows.replace("_", " ").capitalize(), *[str(c) for c in counts.columns[1:]]]
    return styled(counts, caption, f"counts-{rows}-{columns}")
