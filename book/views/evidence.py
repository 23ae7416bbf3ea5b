"""The evidence chapters' charts: arms side by side, reported effects, the dosing landscape, the study overview.

The forest plot is in :mod:`book.views.forest`.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..evidence.labels import study_labels
from ..evidence.loaders import has_psychotherapy
from .kit import (
    ARM_COLORS,
    FONT_SIZES,
    SUBSTANCE_COLORS,
    SUBSTANCE_FILTER,
    NoResultsForSubstance,
    chart_size,
    chart_title,
    choice_param,
    filtered,
    json_ready,
    message_chart,
    no_match_layer,
    result_label,
    row_axis,
    substance_param,
    wrapped,
)
from .tables import format_result

__all__ = ["arm_comparison_chart", "reported_effects_chart", "dosing_chart", "study_overview_chart", "DESIGN_SHORT"]


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
    rows["result"] = wrapped(result_label(rows))
    rows["study"] = study_labels(rows)
    rows["reported"] = rows.apply(format_result, axis=1)
    data = rows[
        [
            "study",
            "result",
            "outcome",
            "domain",
            "time_point",
            "arm",
            "arm_label",
            "percent",
            "reported",
            "locator",
            "design",
            "substance",
        ]
    ]
    data = json_ready(data.astype({"design": str, "substance": str, "percent": float}))
    try:
        chosen = substance_param(rows, substance, "arm-level percentages")
    except NoResultsForSubstance as nothing:
        return message_chart(str(nothing))
    domains = sorted(rows["domain"].dropna().unique().tolist())
    domain = alt.param(
        name="outcome_domain",
        value="all",
        bind=alt.binding_select(options=["all", *domains], labels=["all outcomes", *domains], name="Kind of outcome: "),
    )
    domain_filter = "outcome_domain == 'all' || datum.domain == outcome_domain"
    base = alt.Chart(data).transform_filter(SUBSTANCE_FILTER).transform_filter(domain_filter)
    y = alt.Y("result:N", title=None, sort=alt.SortField("result"), axis=row_axis())
    gap = base.mark_rule(color="#BBBBBB", strokeWidth=2).encode(y=y, x="min(percent):Q", x2="max(percent):Q")
    points = base.mark_point(filled=True, size=110, opacity=1).encode(
        y=y,
        x=alt.X("percent:Q", title=["Participants with", "the outcome (%)"], scale=alt.Scale(domain=[0, 100])),
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
        alt.layer(
            gap,
            points,
            no_match_layer(data, SUBSTANCE_FILTER, domain_filter),
            title=chart_title(title),
            description=description,
        )
        .add_params(chosen, domain)
        .properties(**chart_size(34))
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
    rows["result"] = wrapped(result_label(rows))
    rows["study"] = study_labels(rows)
    rows["reported"] = rows.apply(format_result, axis=1)
    data = rows[
        [
            "study",
            "result",
            "time_point",
            "effect_measure",
            "estimate",
            "ci_lower",
            "ci_upper",
            "reported",
            "locator",
            "substance",
        ]
    ]
    data = data.astype({"substance": str, "effect_measure": str, "estimate": float, "ci_lower": float, "ci_upper": float})
    data = json_ready(data)
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
    try:
        chosen = substance_param(rows, substance, "ratio effects with 95% confidence intervals")
    except NoResultsForSubstance as nothing:
        return message_chart(str(nothing))
    measure_filter = "datum.effect_measure == effect_measure"
    base = alt.Chart(data).transform_filter(SUBSTANCE_FILTER).transform_filter(measure_filter)
    lo, hi = float(data["ci_lower"].min()), float(data["ci_upper"].max())
    x_scale = alt.Scale(type="log", domain=[min(lo, 1) * 0.8, max(hi, 1) * 1.25], nice=False)
    y = alt.Y("result:N", title=None, axis=row_axis())
    present = [s for s in SUBSTANCE_COLORS if s in set(data["substance"])]
    color = alt.Color(
        "substance:N",
        title="Substance",
        scale=alt.Scale(domain=list(SUBSTANCE_COLORS), range=list(SUBSTANCE_COLORS.values())),
        legend=alt.Legend(values=present),
    )
    ci = base.mark_rule(strokeWidth=2).encode(
        y=y,
        x=alt.X("ci_lower:Q", scale=x_scale, title=["Ratio (log scale); below 1:", "less of the outcome", "with ketamine"]),
        x2="ci_upper:Q",
        color=color,
    )
    point = base.mark_square(size=90).encode(
        y=y,
        x=alt.X("estimate:Q", scale=x_scale),
        color=color,
        tooltip=[
            alt.Tooltip("study:N", title="Study"),
            alt.Tooltip("time_point:N", title="When"),
            alt.Tooltip("reported:N", title="Reported"),
            alt.Tooltip("locator:N", title="Where in the paper"),
        ],
    )
    null = (
        alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(color="#555555", strokeDash=[4, 4]).encode(x=alt.X("x:Q", scale=x_scale))
    )
    description = (
        f"Forest-style chart of {len(rows)} ratio effect(s) as reported, each a square at the estimate with a "
        "horizontal line for its 95% confidence interval on a log scale; a dashed vertical line at 1 marks no difference."
    )
    return (
        alt.layer(
            null,
            ci,
            point,
            no_match_layer(data, SUBSTANCE_FILTER, measure_filter),
            title=chart_title(title),
            description=description,
        )
        .add_params(chosen, measure)
        .properties(**chart_size(34))
    )


def dosing_chart(
    studies: pd.DataFrame, title: str = "What the studies gave: ketamine dose per session, as reported"
) -> alt.LayerChart | alt.Chart:
    """The dosing landscape: dose (mg/kg per session), route, number of sessions and psychotherapy, per study.

    Only studies that report a per-session dose in mg/kg are drawn (the others are listed in the
    study table beside the chart). Bound inputs: substance (``substance_choice``) and "with
    psychotherapy only" (``therapy_only``). This describes research protocols; it is not guidance.
    """
    rows = studies[studies["ketamine_dose_mg_per_kg"].notna()].copy()
    if rows.empty:
        return message_chart("No study in this selection reports a dose per session in mg/kg.")
    rows["study"] = study_labels(rows)
    rows["therapy"] = has_psychotherapy(rows["psychotherapy"]).astype(bool)
    rows["sessions"] = rows["ketamine_sessions"].astype("Float64").fillna(1.0)  # size only; unknown drawn as one
    rows["sessions_text"] = rows["ketamine_sessions"].map(lambda v: "not reported" if pd.isna(v) else str(int(v)))
    rows["route"] = rows["route"].fillna("not reported")
    data = rows[
        [
            "study",
            "substance",
            "design",
            "route",
            "ketamine_dose_mg_per_kg",
            "sessions",
            "sessions_text",
            "psychotherapy",
            "dose_description",
            "therapy",
        ]
    ].astype({"substance": str, "design": str, "ketamine_dose_mg_per_kg": float})
    data = json_ready(data)
    chosen = substance_param(rows, None)
    therapy = alt.param(name="therapy_only", value=False, bind=alt.binding_checkbox(name="With psychotherapy only "))
    filters = [SUBSTANCE_FILTER, "!therapy_only || datum.therapy"]
    base = filtered(data, filters)
    points = base.mark_point(filled=True, opacity=0.9).encode(
        # Room past the highest dose: at 390 px its point sat on the axis's very end, whose tick (2.0) had no label.
        x=alt.X(
            "ketamine_dose_mg_per_kg:Q",
            title=["Ketamine per session", "(mg/kg, as reported)"],
            scale=alt.Scale(zero=True, padding=12),
        ),
        y=alt.Y("study:N", title=None, sort=alt.SortField("ketamine_dose_mg_per_kg")),
        color=alt.Color(
            "substance:N",
            title="Substance",
            scale=alt.Scale(domain=list(SUBSTANCE_COLORS), range=list(SUBSTANCE_COLORS.values())),
            legend=alt.Legend(values=[s for s in SUBSTANCE_COLORS if s in set(data["substance"])]),
        ),
        shape=alt.Shape("route:N", title="Route"),
        size=alt.Size(
            "sessions:Q",
            title="Sessions",
            scale=alt.Scale(range=[60, 400], domainMin=1),
            legend=alt.Legend(values=[1, 2, 3, 4], format="d"),
        ),
        tooltip=[
            alt.Tooltip("study:N", title="Study"),
            alt.Tooltip("design:N", title="Design"),
            alt.Tooltip("dose_description:N", title="As reported"),
            alt.Tooltip("sessions_text:N", title="Sessions"),
            alt.Tooltip("psychotherapy:N", title="Psychotherapy"),
        ],
    )
    description = (
        f"Dot chart of the ketamine dose per session reported by {len(rows)} studies (of {len(studies)}), in mg/kg, one row "
        "per study; colour shows the substance, shape the route and size the number of sessions. Inputs choose the "
        "substance and whether to show only studies that combined ketamine with psychotherapy."
    )
    return (
        alt.layer(points, no_match_layer(data, *filters), title=chart_title(title), description=description)
        .add_params(chosen, therapy)
        .properties(**chart_size(26))
    )


#: Short names for the designs in row labels (at most :data:`ROW_LABEL_CHARS` characters).
DESIGN_SHORT = {
    "randomized controlled trial": "randomized trial",
    "randomized crossover": "randomized crossover",
    "human laboratory study": "laboratory study",
    "non-randomized controlled": "non-randomized controlled",
    "single arm": "single arm",
    "retrospective cohort": "retrospective cohort",
    "case series": "case series or report",
}


def study_overview_chart(
    studies: pd.DataFrame, title: str = "Every clinical study in the data: participants and design"
) -> alt.LayerChart:
    """One row per study (label: study, then its design), a bar for its number of participants and the number
    written at the bar's end; a study whose number of participants could not be verified says so in words instead of a
    bar. Rows are grouped by substance (colour and the tooltip) and ordered by year. Bound inputs: substance
    (``substance_choice``) and randomized or not (``randomized_choice``)."""
    if studies.empty:
        return message_chart("No studies to show.")
    rows = studies.copy()
    rows["study"] = study_labels(rows)
    rows["design"] = rows["design"].astype(str)
    rows["label"] = [f"{s}\n{DESIGN_SHORT.get(d, d)}" for s, d in zip(rows["study"], rows["design"])]
    rows["randomized_text"] = rows["randomized"].map({True: "randomized", False: "not randomized"})
    rows["n"] = rows["n_participants"].astype("Float64")
    rows["n_known"] = rows["n"].notna()
    rows["n_text"] = rows["n"].map(lambda v: "number not found in the text read" if pd.isna(v) else f"{int(v)}")
    order = [s for s in SUBSTANCE_COLORS if s in set(rows["substance"].astype(str))]
    rows["substance"] = rows["substance"].astype(str)
    rows = rows.assign(_s=rows["substance"].map(order.index), _y=rows["year"].astype("Float64").fillna(9999))
    rows = rows.sort_values(["_s", "_y", "study"])
    data = json_ready(
        # an unknown number is never drawn (n_known is false), so its placeholder 0 is never shown
        rows.assign(n=rows["n"].fillna(0).astype(float))[
            ["label", "study", "substance", "design", "randomized_text", "n", "n_known", "n_text", "sources_read"]
        ]
    )
    chosen = choice_param("substance_choice", "Substance: ", order, "all substances")
    randomized = choice_param("randomized_choice", "Randomized: ", ["randomized", "not randomized"], "all designs")
    filters = [SUBSTANCE_FILTER, "randomized_choice == 'all' || datum.randomized_text == randomized_choice"]
    base = filtered(data, filters)
    y = alt.Y("label:N", title=None, sort=list(rows["label"]), axis=row_axis())
    color = alt.Color(
        "substance:N",
        title="Substance",
        scale=alt.Scale(domain=list(SUBSTANCE_COLORS), range=list(SUBSTANCE_COLORS.values())),
        legend=alt.Legend(values=order, orient="bottom", columns=2),
    )
    tooltip = [
        alt.Tooltip("study:N", title="Study"),
        alt.Tooltip("substance:N", title="Substance"),
        alt.Tooltip("design:N", title="Design"),
        alt.Tooltip("n_text:N", title="Participants"),
        alt.Tooltip("sources_read:N", title="What we could read"),
    ]
    x = alt.X(
        "n:Q",
        title="Participants (as reported)",
        scale=alt.Scale(zero=True, domainMax=float(rows["n"].max()) * 1.15),
        axis=alt.Axis(tickCount=4),  # a phone's column has room for a few labels only
    )
    bars = base.transform_filter("datum.n_known").mark_bar(height=12).encode(x=x, y=y, color=color, tooltip=tooltip)
    numbers = (
        base.transform_filter("datum.n_known")
        .mark_text(align="left", dx=4, fontSize=FONT_SIZES["label"] - 1)
        .encode(x="n:Q", y=y, text="n_text:N", tooltip=tooltip)
    )
    unknown = (
        base.transform_filter("!datum.n_known")
        .mark_text(align="left", dx=2, fontSize=FONT_SIZES["label"] - 1, fontStyle="italic", color="#444444")
        .encode(x=alt.value(0), y=y, text="n_text:N", tooltip=tooltip)
    )
    known = int(rows["n"].notna().sum())
    description = (
        f"Bar chart of all {len(rows)} clinical studies in the data, one row per study labelled with its design, grouped by "
        f"substance and ordered by year; the bar and the number give its participants ({known} studies report a number we "
        f"could verify, the other {len(rows) - known} say so in words). Inputs choose the substance and randomized or not."
    )
    return (
        alt.layer(bars, numbers, unknown, no_match_layer(data, *filters), title=chart_title(title), description=description)
        .add_params(chosen, randomized)
        .properties(**chart_size(30))
    )
