"""Altair charts that stay interactive on the static site.

Interactivity is Vega-Lite parameters bound to HTML inputs (``alt.param(bind=...)``), so a
chart's selectors work in the browser with no Python kernel behind them. Every chart:

* renders as SVG (marks carry ARIA labels; a chart's ``description`` is its accessible label);
* uses the Okabe-Ito colour-blind-safe palette, with one fixed colour per substance everywhere;
* names its parameters explicitly, so specs are stable across runs and testable.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from .tables import format_result, study_label

__all__ = ["SUBSTANCE_COLORS", "ARM_COLORS", "arm_comparison_chart", "reported_effects_chart", "message_chart"]

#: One colour per substance, used in every chart of the book (Okabe-Ito palette).
SUBSTANCE_COLORS = {
    "alcohol": "#0072B2",
    "opioids": "#D55E00",
    "cocaine": "#009E73",
    "methamphetamine": "#CC79A7",
    "cannabis": "#E69F00",
    "tobacco": "#56B4E9",
    "mixed": "#666666",
}
#: Ketamine and comparison arms: dark and mid grey, told apart by shape as well as shade.
ARM_COLORS = {"ketamine": "#1A1A1A", "control": "#767676"}

alt.renderers.set_embed_options(renderer="svg", actions=False)
alt.data_transformers.disable_max_rows()

_WIDTH = 330


def message_chart(text: str, description: str | None = None) -> alt.Chart:
    """A chart that shows only a message (e.g. when nothing matches), never a blank area."""
    return (
        alt.Chart(pd.DataFrame({"message": [text]}), description=description or text)
        .mark_text(fontSize=15, color="#333333")
        .encode(text="message:N")
        .properties(width=_WIDTH, height=60)
    )


def _result_label(frame: pd.DataFrame) -> pd.Series:
    """'Dakwar 2019: abstinence during last 2 weeks of trial', the row label of a result."""
    return frame["first_author"].astype(str) + " " + frame["year"].astype(str) + ": " + frame["outcome"].astype(str)


def _substance_param(rows: pd.DataFrame, substance: str | None) -> alt.Parameter:
    present = [s for s in SUBSTANCE_COLORS if s in set(rows["substance"].astype(str))]
    if substance is not None and substance not in present:
        raise ValueError(
            f"No results for substance {substance!r} in this chart. Substances with results: {', '.join(present)}."
        )
    return alt.param(
        name="substance_choice",
        value=substance or "all",
        bind=alt.binding_select(options=["all", *present], labels=["all substances", *present], name="Substance: "),
    )


_SUBSTANCE_FILTER = "substance_choice == 'all' || datum.substance == substance_choice"
#: What a chart says when its bound inputs leave nothing to draw.
NO_MATCH = "No studies match these filters"


def _no_match_layer(data: pd.DataFrame, *filters: str) -> alt.Chart:
    """A text layer that appears only when the bound inputs leave nothing to draw.

    Vega's aggregate drops empty groups, so instead of filtering, every row is flagged as
    matching the inputs or not, and the flags are summed over the whole (never empty) dataset.
    """
    matches = " && ".join(f"({f})" for f in filters)
    return (
        alt.Chart(data)
        .transform_calculate(kap_match=f"({matches}) ? 1 : 0")
        .transform_aggregate(kap_matches="sum(kap_match)")
        .transform_filter("datum.kap_matches == 0")
        .mark_text(fontSize=15, fontWeight="bold", color="#B00020", align="left", baseline="bottom")
        .encode(text=alt.value(NO_MATCH), x=alt.value(0), y=alt.value(-8))
    )
def arm_comparison_chart(
    outcomes: pd.DataFrame, substance: str | None = None, title: str = "Ketamine and comparison arms, side by side"
) -> alt.Chart:
    """Percent of participants with each outcome in the ketamine and comparison arms, per study.

    Two drop-downs bound to the chart pick the substance (parameter ``substance_choice``,
    starting at ``substance``) and the kind of outcome (``outcome_domain``); they work on the
    static site without a kernel. Rows without an arm-level percentage are left out; if none
    remain the chart says so.
    """
    rows = outcomes[outcomes["arm"].isin(["ketamine", "control"]) & outcomes["percent"].notna()].copy()
    if rows.empty:
        return message_chart("No arm-level percentages among these results.")
    rows["result"] = _result_label(rows)
    rows["study"] = [study_label(a, y) for a, y in zip(rows["first_author"], rows["year"])]
    rows["reported"] = rows.apply(format_result, axis=1)
    data = rows[["study", "result", "outcome", "domain", "time_point", "arm", "arm_label", "percent", "reported", "locator", "design", "substance"]]
    data = data.astype({"design": str, "substance": str, "percent": float}).astype(object).where(data.notna(), None)
    chosen = _substance_param(rows, substance)
    domains = sorted(rows["domain"].dropna().unique().tolist())
    domain = alt.param(
        name="outcome_domain",
        value="all",
        bind=alt.binding_select(options=["all", *domains], labels=["all outcomes", *domains], name="Kind of outcome: "),
    )
    domain_filter = "outcome_domain == 'all' || datum.domain == outcome_domain"
    base = alt.Chart(data).transform_filter(_SUBSTANCE_FILTER).transform_filter(domain_filter)
    y = alt.Y("result:N", title=None, sort=alt.SortField("result"), axis=alt.Axis(labelLimit=300))
    gap = base.mark_rule(color="#BBBBBB", strokeWidth=2).encode(y=y, x="min(percent):Q", x2="max(percent):Q")
    points = base.mark_point(filled=True, size=110, opacity=1).encode(
        y=y,
        x=alt.X("percent:Q", title="Participants with the outcome (%)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("arm:N", title="Arm", scale=alt.Scale(domain=list(ARM_COLORS), range=list(ARM_COLORS.values()))),
        shape=alt.Shape("arm:N", title="Arm", scale=alt.Scale(domain=["ketamine", "control"], range=["circle", "diamond"])),
        tooltip=[
            alt.Tooltip("study:N", title="Study"),
            alt.Tooltip("design:N", title="Design"),
            alt.Tooltip("outcome:N", title="Outcome"),
            alt.Tooltip("time_point:N", title="When"),
            alt.Tooltip("arm_label:N", title="Group"),
            alt.Tooltip("reported:N", title="Reported"),
            alt.Tooltip("locator:N", title="Where in the paper"),
        ],
    )
    n_results = rows["result"].nunique()
    description = (
        f"Dot chart of arm-level results ({n_results} in all, from {rows['study'].nunique()} studies): for each result, the "
        "percentage of participants with the outcome in the ketamine arm (dark circle) and the comparison arm "
        "(grey diamond), on a scale from 0 to 100 percent. Drop-downs choose the substance and the kind of outcome."
    )
    return (
        alt.layer(gap, points, _no_match_layer(data, _SUBSTANCE_FILTER, domain_filter), title=title, description=description)
        .add_params(chosen, domain)
        .properties(width=_WIDTH, height=alt.Step(34))
    )


def reported_effects_chart(
    outcomes: pd.DataFrame, substance: str | None = None, title: str = "Between-group effects as the papers report them"
) -> alt.Chart:
    """Ratio effects (OR, RR, HR, IRR) as reported, with their 95% CIs, on a log scale.

    A drop-down (``substance_choice``, starting at ``substance``) picks the substance and radio
    buttons (``effect_measure``) show one measure at a time, because odds,
    risk and hazard ratios are different quantities and should not share one judgement by eye.
    The line at 1 marks no difference.
    """
    ratio = ["OR", "RR", "HR", "IRR"]
    rows = outcomes[outcomes["effect_measure"].isin(ratio) & outcomes["estimate"].notna() & outcomes["ci_lower"].notna()].copy()
    if rows.empty:
        return message_chart("No ratio effects with 95% confidence intervals among these results.")
    rows["result"] = _result_label(rows)
    rows["study"] = [study_label(a, y) for a, y in zip(rows["first_author"], rows["year"])]
    rows["reported"] = rows.apply(format_result, axis=1)
    data = rows[["study", "result", "time_point", "effect_measure", "estimate", "ci_lower", "ci_upper", "reported", "locator", "substance"]]
    data = data.astype({"substance": str, "effect_measure": str, "estimate": float, "ci_lower": float, "ci_upper": float})
    data = data.astype(object).where(data.notna(), None)
    measures = [m for m in ratio if m in set(rows["effect_measure"])]
    start = measures[0]
    if substance is not None:
        own = [m for m in measures if m in set(rows.loc[rows["substance"] == substance, "effect_measure"])]
        start = own[0] if own else start
    measure = alt.param(
        name="effect_measure",
        value=start,
        bind=alt.binding_radio(options=measures, name="Effect measure: "),
    )
    chosen = _substance_param(rows, substance)
    measure_filter = "datum.effect_measure == effect_measure"
    base = alt.Chart(data).transform_filter(_SUBSTANCE_FILTER).transform_filter(measure_filter)
    lo, hi = float(data["ci_lower"].min()), float(data["ci_upper"].max())
    x_scale = alt.Scale(type="log", domain=[min(lo, 1) * 0.8, max(hi, 1) * 1.25], nice=False)
    y = alt.Y("result:N", title=None, axis=alt.Axis(labelLimit=300))
    present = [s for s in SUBSTANCE_COLORS if s in set(data["substance"])]
    color = alt.Color(
        "substance:N", title="Substance",
        scale=alt.Scale(domain=list(SUBSTANCE_COLORS), range=list(SUBSTANCE_COLORS.values())),
        legend=alt.Legend(values=present),
    )
    ci = base.mark_rule(strokeWidth=2).encode(
        y=y, x=alt.X("ci_lower:Q", scale=x_scale, title=["Ratio (log scale)", "below 1: less of the outcome with ketamine"]),
        x2="ci_upper:Q", color=color,
    )
    point = base.mark_square(size=90).encode(
        y=y, x=alt.X("estimate:Q", scale=x_scale), color=color,
        tooltip=[alt.Tooltip("study:N", title="Study"), alt.Tooltip("time_point:N", title="When"),
                 alt.Tooltip("reported:N", title="Reported"), alt.Tooltip("locator:N", title="Where in the paper")],
    )
    null = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(color="#555555", strokeDash=[4, 4]).encode(x=alt.X("x:Q", scale=x_scale))
    description = (
        f"Forest-style chart of {len(rows)} ratio effect(s) as reported, each a square at the estimate with a "
        "horizontal line for its 95% confidence interval on a log scale; a dashed vertical line at 1 marks no difference."
    )
    return alt.layer(null, ci, point, _no_match_layer(data, _SUBSTANCE_FILTER, measure_filter), title=title, description=description).add_params(chosen, measure).properties(width=_WIDTH, height=alt.Step(34))
