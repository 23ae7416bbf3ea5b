"""Charts of the safety chapter: the harms explorer, the exclusions of the studies, and what a small study
cannot see. Like every chart of the book they are Altair specs whose inputs are Vega-Lite parameters bound to
HTML inputs, so they work on the static site and in JupyterLab without a kernel.

A harm that a source does not report is drawn as the words "not reported", and one stated without figures as
"stated without figures": never as a zero.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from .kit import (
    FONT_SIZES,
    LABEL_CHAR_PX,
    SUBSTANCE_FILTER,
    NoResultsForSubstance,
    chart_size,
    chart_title,
    choice_param,
    filtered,
    json_ready,
    message_chart,
    no_match_layer,
    reflow,
    row_axis,
    substance_param,
    wrap_label,
)
from .tables import count_text

__all__ = ["harms_chart", "exclusions_chart", "rare_events_chart", "REPORTING_MARKS"]

#: How each kind of reporting is drawn: a figure as a point, the rest as words in place of a point.
REPORTING_MARKS = {
    "count or percentage": "point at the percentage",
    "scale or measurement": "the measurement in words",
    "statement without figures": "the words 'stated without figures'",
    "not reported": "the words 'not reported'",
}
_GROUP_SHAPES = {"ketamine": "circle", "control": "diamond", "all": "square", "single arm": "square"}
#: Groups drawn with the shape of the ketamine or control arm.
_GROUP_ALIASES = {"esketamine": "ketamine", "placebo": "control", "midazolam": "control"}
#: Legend labels of the group shapes.
_GROUP_LEGEND = (
    "datum.label == 'all' ? 'whole sample' : datum.label == 'ketamine' ? 'ketamine or esketamine' : 'control or placebo'"
)
#: Text beside a point or in place of one is cut (with an ellipsis) at this many pixels; the tooltip has it whole.
_TEXT_LIMIT = 230


def _unique(labels: pd.Series) -> pd.Series:
    """Row labels made unique: a label cut short that repeats another gets " (2)", " (3)" ... at its end
    (each row is also told apart by its tooltip and in the table under the chart)."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label.rstrip('…')}… ({seen[label]})")
    return pd.Series(out, index=labels.index)


def _percent_shown(rows: pd.DataFrame) -> pd.Series:
    """The percentage printed by the source, else count / denominator; empty where neither is given."""
    computed = (rows["count"].astype("Float64") / rows["denominator"].astype("Float64") * 100).round(1)
    return rows["percent"].astype("Float64").fillna(computed)


def harms_chart(
    harms: pd.DataFrame,
    substance: str | None = None,
    title: str = "Harms as the studies reported them",
    with_substance_input: bool = True,
    harm_kind: str | None = None,
) -> alt.LayerChart | alt.Chart:
    """The harms explorer: one row per harm, source and group; the percentage of people with it where the source
    gives a figure, and otherwise the words "not reported" or "stated without figures".

    Bound inputs: substance (``substance_choice``, only if ``with_substance_input``), source (``source_choice``)
    and kind of harm (``harm_kind_choice``, starting at ``harm_kind`` if given). ``harms`` is a frame from
    :func:`book.data.load_harms`.
    """
    if harms.empty:
        return message_chart("No harms in this selection.")
    rows = harms.copy()
    rows["substance"] = rows["substance"].astype("string").fillna("not a substance trial")
    rows["percent_shown"] = _percent_shown(rows)
    rows["percent_upper"] = rows["upper"].astype("Float64").where(rows["percent"].notna())
    rows["reported"] = rows.apply(count_text, axis=1)
    rows["no_figure"] = rows["percent_shown"].isna()
    arm = rows["arm"].astype("string").fillna("")
    rows["group"] = arm.where(arm != "", "whole sample")
    # Whole: the chart draws three lines of it, the source's start and the harm's end (row_axis keep_end).
    rows["row"] = _unique((rows["source"] + " (" + rows["group"] + "): " + rows["harm"]).map(lambda t: wrap_label(t, 32, 9)))
    rows["shape_group"] = rows["group"].replace(_GROUP_ALIASES)
    rows["shape_group"] = rows["shape_group"].where(rows["shape_group"].isin(list(_GROUP_SHAPES)), "all")
    # The words drawn in place of a point: what the source gave instead of a percentage.
    rows["in_words"] = rows["reported"].where(rows["no_figure"], "")
    data = rows[
        [
            "row",
            "source",
            "substance",
            "harm_kind",
            "harm",
            "group",
            "shape_group",
            "measure",
            "reporting",
            "reported",
            "percent_shown",
            "percent_upper",
            "no_figure",
            "in_words",
            "locator",
        ]
    ].astype({"harm_kind": str})
    data = json_ready(data)

    params, filters = [], []
    if with_substance_input:
        try:
            params.append(substance_param(rows[rows["substance"] != "not a substance trial"], substance, "harms"))
        except NoResultsForSubstance as nothing:
            return message_chart(str(nothing))
        filters.append(SUBSTANCE_FILTER)
    sources = sorted(rows["source"].unique().tolist())
    params.append(choice_param("source_choice", "Study or source: ", sources, "all sources"))
    filters.append("source_choice == 'all' || datum.source == source_choice")
    kinds = [k for k in rows["harm_kind"].cat.categories if k in set(rows["harm_kind"].astype(str))]
    if harm_kind is not None and harm_kind not in kinds:
        raise ValueError(f"No harms of kind {harm_kind!r} in this selection. Kinds present: {', '.join(kinds)}.")
    params.append(choice_param("harm_kind_choice", "Kind of harm: ", kinds, "all kinds of harm", harm_kind))
    filters.append("harm_kind_choice == 'all' || datum.harm_kind == harm_kind_choice")

    base = filtered(data, filters)
    y = alt.Y("row:N", title=None, sort=alt.SortField("row"), axis=row_axis(lines=3, keep_end=True))
    tooltip = [
        alt.Tooltip("source:N", title="Source"),
        alt.Tooltip("harm:N", title="Harm"),
        alt.Tooltip("group:N", title="Group"),
        alt.Tooltip("measure:N", title="How recorded"),
        alt.Tooltip("reported:N", title="Reported"),
        alt.Tooltip("locator:N", title="Where"),
    ]
    points = (
        base.transform_filter("!datum.no_figure")
        .mark_point(filled=True, size=110, opacity=1, color="#1A1A1A")
        .encode(
            y=y,
            x=alt.X(
                "percent_shown:Q",
                title=["People with the harm (%),", "where the source", "gives a figure"],
                scale=alt.Scale(domain=[0, 100]),
            ),
            shape=alt.Shape(
                "shape_group:N",
                title="Group",
                scale=alt.Scale(domain=list(dict.fromkeys(_GROUP_SHAPES)), range=list(_GROUP_SHAPES.values())),
                legend=alt.Legend(
                    values=["ketamine", "control", "all"], labelExpr="datum.label == 'all' ? 'whole sample' : datum.label"
                ),
            ),
            tooltip=tooltip,
        )
    )
    ranges = (
        base.transform_filter("isValid(datum.percent_upper)")
        .mark_rule(strokeWidth=3, color="#1A1A1A")
        .encode(y=y, x="percent_shown:Q", x2="percent_upper:Q", tooltip=tooltip)
    )
    # The count beside each point ("19/26", "38%"): to its right where it fits before the chart's right edge (at
    # about 7 px a character at 12 px), and otherwise to the left of the point, so that a phone does not cut it to "19/2…".
    right_of_point = "scale('x', datum.label_at) + 12 + 7 * length(datum.reported) <= width"
    figures = (
        base.transform_filter("!datum.no_figure")
        .mark_text(
            align=alt.ExprRef(f"{right_of_point} ? 'left' : 'right'"),
            dx=alt.ExprRef(f"{right_of_point} ? 9 : scale('x', datum.percent_shown) - scale('x', datum.label_at) - 9"),
            fontSize=FONT_SIZES["label"] - 1,
            color="#333333",
            # The room on that side of the point (at least a few characters).
            limit=alt.ExprRef(
                f"clamp({right_of_point} ? width - scale('x', datum.label_at) - 12 : scale('x', datum.percent_shown) - 12, "
                f"40, {_TEXT_LIMIT})"
            ),
        )
        .encode(y=y, x=alt.X("label_at:Q"), text="reported:N", tooltip=tooltip)
        .transform_calculate(label_at="isValid(datum.percent_upper) ? datum.percent_upper : datum.percent_shown")
    )
    note_room = f"clamp(width - 8, 60, {_TEXT_LIMIT})"  # what the source gave instead of a figure: the plot's width
    words = (
        base.transform_filter("datum.no_figure")
        .mark_text(
            align="left",
            fontSize=FONT_SIZES["label"] - 1,
            fontStyle="italic",
            color="#5A5A5A",
            limit=alt.ExprRef(note_room),
            # On two lines, of whole words, as wide as the plot (a phone's cut "40 (minutes after dosing at whic…").
            text=alt.ExprRef(reflow("datum.in_words", f"floor({note_room} / {LABEL_CHAR_PX})", 2)),
        )
        .encode(y=y, x=alt.value(4), tooltip=tooltip)
    )
    n_sources = rows["source"].nunique()
    counted = int((~rows["no_figure"]).sum())
    description = (
        f"Harms explorer: {len(rows)} rows from {n_sources} sources. Where a source gives a figure ({counted} rows), a point "
        "marks "
        "the percentage of people with the harm, on a scale from 0 to 100, with the count beside it; elsewhere the row says "
        "'not reported' or 'stated without figures' instead of a point. Drop-downs choose "
        + ("the substance, " if with_substance_input else "")
        + "the source and the kind of harm."
    )
    if harm_kind is not None:  # the view a reader first meets, said as well (the counts above are the explorer's all)
        opening = rows[rows["harm_kind"].astype(str) == harm_kind]
        description += (
            f" It opens on one kind of harm, {harm_kind}: {len(opening)} rows from {opening['source'].nunique()} sources."
        )
    return (
        alt.layer(
            ranges, points, figures, words, no_match_layer(data, *filters), title=chart_title(title), description=description
        )
        .add_params(*params)
        .properties(**chart_size(46))
    )


#: The mark in each cell of the exclusions grid, in words for screen readers and tooltips, as a symbol on screen.
EXCLUDED, NOT_STATED = "excluded", "not stated"
_CELL_SYMBOL = {EXCLUDED: "✕", NOT_STATED: "–"}


def exclusions_chart(procedures: pd.DataFrame, title: str = "Whom the studies excluded, as their texts state") -> alt.Chart:
    """A grid of excluded conditions (rows) by study (columns). Each cell carries a symbol, not colour alone:
    "✕" where the study's text excludes people with the condition, "–" where the text we read does not mention it
    (the tooltip says which, with the criterion as stated). Input: substance (``substance_choice``)."""
    excl = procedures[procedures["aspect"] == "exclusion criterion"]
    if excl.empty:
        return message_chart("No exclusion criteria in this selection.")
    studies = excl[["source", "substance"]].drop_duplicates()
    items = sorted(excl["item"].unique().tolist(), key=lambda i: (i == "other", i))
    grid = studies.merge(pd.DataFrame({"item": items}), how="cross")
    stated = excl.groupby(["source", "item"])["detail"].agg("; ".join).rename("detail").reset_index()
    grid = grid.merge(stated, on=["source", "item"], how="left")
    grid["status"] = grid["detail"].notna().map({True: EXCLUDED, False: NOT_STATED})
    grid["symbol"] = grid["status"].map(_CELL_SYMBOL)
    grid["detail"] = grid["detail"].fillna("The text we read does not mention this.")
    grid["condition"] = grid["item"].map(lambda t: wrap_label(t, 22, 2))
    data = json_ready(grid.astype({"substance": str}))
    chosen = substance_param(excl, None, "exclusion criteria")
    base = alt.Chart(data).transform_filter(SUBSTANCE_FILTER)
    order = [wrap_label(i, 22, 2) for i in items]
    y = alt.Y("condition:N", title=None, sort=order, axis=row_axis())
    x = alt.X(
        "source:N",
        title=None,
        axis=alt.Axis(
            orient="top", labelAngle=-90, labelAlign="left", labelBaseline="middle", labelOverlap=False, labelLimit=120
        ),
    )
    tooltip = [
        alt.Tooltip("source:N", title="Study"),
        alt.Tooltip("item:N", title="Condition"),
        alt.Tooltip("status:N", title="In the text we read"),
        alt.Tooltip("detail:N", title="As stated"),
    ]
    cells = base.mark_rect(stroke="#FFFFFF", strokeWidth=2).encode(
        x=x,
        y=y,
        color=alt.Color(
            "status:N",
            title="In the text we read",
            scale=alt.Scale(domain=[EXCLUDED, NOT_STATED], range=["#D9D9D9", "#F7F7F7"]),
            legend=alt.Legend(labelExpr="datum.label == 'excluded' ? '✕ excluded' : '– not stated'"),
        ),
        tooltip=tooltip,
    )
    text = base.mark_text(fontSize=FONT_SIZES["label"] + 2, fontWeight="bold").encode(
        x=x,
        y=y,
        text=alt.Text("symbol:N"),
        color=alt.condition(f"datum.status == '{EXCLUDED}'", alt.value("#111111"), alt.value("#767676")),
        tooltip=tooltip,
    )
    description = (
        f"Grid of {len(items)} conditions (rows) by {studies['source'].nunique()} studies (columns): a cross marks a condition "
        "that the study's text excludes, a dash a condition that the text we read does not mention. A drop-down chooses "
        "the substance."
    )
    return (
        alt.layer(cells, text, no_match_layer(data, SUBSTANCE_FILTER), title=chart_title(title), description=description)
        .add_params(chosen)
        .properties(**chart_size(40))
    )


def rare_events_chart(start_n: int = 50, title: str = "What a study of this size can see") -> alt.LayerChart:
    """The chance that a study of ``n`` people sees at least one case of a harm that affects a given share of
    people, ``1 - (1 - risk) ** n``, drawn for risks from 1 in 10,000 to 1 in 10 and computed in the browser.

    A slider (``study_size``, starting at ``start_n``) sets ``n``; a dashed line marks the rule-of-three risk
    ``3 / n`` (:func:`book.effects.rule_of_three`), the risk a study that saw no case can still not rule out.
    """
    slider = alt.param(
        name="study_size",
        value=start_n,
        bind=alt.binding_range(min=10, max=1000, step=10, name="Participants in the study: "),
    )
    grid = pd.DataFrame({"log_risk": [x / 100 for x in range(-400, -99)]})
    curve = (
        alt.Chart(grid)
        .transform_calculate(risk="pow(10, datum.log_risk)")
        .transform_calculate(chance="1 - pow(1 - datum.risk, study_size)")
        .mark_line(color="#0072B2", strokeWidth=3)
        .encode(
            x=alt.X(
                "risk:Q",
                title="How common the harm is (log scale)",
                scale=alt.Scale(type="log", domain=[0.0001, 0.1]),
                axis=alt.Axis(
                    values=[0.0001, 0.001, 0.01, 0.1], labelExpr="'1 in ' + format(1 / datum.value, ',')", labelFlush=True
                ),
            ),
            y=alt.Y(
                "chance:Q",
                title=["Chance the study sees", "at least one case"],
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
        )
    )
    three = (
        alt.Chart(pd.DataFrame({"k": [0]}))
        .transform_calculate(risk="3 / study_size", label="'rule of three: 1 in ' + format(study_size / 3, '.0f')")
        .mark_rule(color="#D55E00", strokeDash=[6, 4], strokeWidth=2)
        .encode(x="risk:Q")
    )
    three_label = (
        alt.Chart(pd.DataFrame({"k": [0]}))
        .transform_calculate(risk="3 / study_size", label="'3/n: 1 in ' + format(study_size / 3, '.0f')")
        .mark_text(align="right", dx=-6, color="#A33F00", fontSize=FONT_SIZES["label"])
        .encode(x="risk:Q", y=alt.value(40), text="label:N")
    )
    ninety_five = alt.Chart(pd.DataFrame({"y": [0.95]})).mark_rule(color="#767676", strokeDash=[2, 3]).encode(y="y:Q")
    layers = [curve, ninety_five, three, three_label]
    description = (
        "Line chart: for a study of n participants (set by the slider), the chance of seeing at least one case of a harm, "
        "against how common the harm is, from 1 in 10,000 to 1 in 10 on a log scale. A dashed vertical line marks 3/n, the "
        "rule of three: if the study saw no case, harms about this common or rarer cannot be ruled out. A dotted line marks 95%."
    )
    return (
        alt.layer(*layers, title=chart_title(title), description=description)
        .add_params(slider)
        .properties(**chart_size(height=260))
    )
