"""Charts of the evidence still to come: registered trials, by substance, design and status. Inputs are Vega-Lite
parameters bound to HTML inputs, so they work on the static site and in JupyterLab without a kernel."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .charts import FONT_SIZES, SUBSTANCE_COLORS, _no_match_layer, _row_axis, _size, chart_title, json_ready, message_chart

__all__ = ["registrations_chart", "design_kind"]


def design_kind(design: str) -> str:
    """'randomized' or 'single group or other', read from a registry's design text."""
    return "randomized" if "randomi" in str(design).lower() else "single group or other"


def registrations_chart(
    registrations: pd.DataFrame, title: str = "Registered trials still to report"
) -> alt.LayerChart | alt.Chart:
    """One row per registered trial: planned participants (a point; a trial whose record gives no number is said in
    words, not drawn at zero), coloured by substance, shaped by randomized or not. Inputs: substance
    (``registered_substance``) and status (``registered_status``)."""
    if registrations.empty:
        return message_chart("No registered trials in this selection.")
    rows = registrations.copy()
    rows["substance"] = rows["substance"].astype(str)
    rows["kind"] = rows["design"].map(design_kind)
    rows["planned"] = rows["planned_participants"].astype("Float64")
    rows["no_number"] = rows["planned"].isna()
    rows["label"] = rows["registration_id"] + " (" + rows["substance"] + ")"
    rows["words"] = rows["no_number"].map({True: "size not in the record read", False: ""})
    data = json_ready(
        rows[
            [
                "label",
                "registration_id",
                "title",
                "substance",
                "kind",
                "planned",
                "no_number",
                "words",
                "status",
                "status_date",
                "results_posted",
            ]
        ]
    )
    substances = [s for s in SUBSTANCE_COLORS if s in set(rows["substance"])]
    statuses = sorted(rows["status"].dropna().unique().tolist())
    substance = alt.param(
        name="registered_substance",
        value="all",
        bind=alt.binding_select(options=["all", *substances], labels=["all substances", *substances], name="Substance: "),
    )
    status = alt.param(
        name="registered_status",
        value="all",
        bind=alt.binding_select(options=["all", *statuses], labels=["any status", *statuses], name="Status: "),
    )
    filters = [
        "registered_substance == 'all' || datum.substance == registered_substance",
        "registered_status == 'all' || datum.status == registered_status",
    ]
    base = alt.Chart(data)
    for f in filters:
        base = base.transform_filter(f)
    y = alt.Y("label:N", title=None, sort=alt.SortField("label"), axis=_row_axis())
    tooltip = [
        alt.Tooltip("registration_id:N", title="Registration"),
        alt.Tooltip("title:N", title="Title"),
        alt.Tooltip("kind:N", title="Design"),
        alt.Tooltip("planned:Q", title="Planned participants"),
        alt.Tooltip("status:N", title="Status"),
        alt.Tooltip("status_date:N", title="Record date"),
        alt.Tooltip("results_posted:N", title="Results posted"),
    ]
    points = (
        base.transform_filter("!datum.no_number")
        .mark_point(filled=True, size=120, opacity=1)
        .encode(
            y=y,
            x=alt.X("planned:Q", title="Planned participants", scale=alt.Scale(zero=True)),
            color=alt.Color(
                "substance:N",
                title="Substance",
                scale=alt.Scale(domain=list(SUBSTANCE_COLORS), range=list(SUBSTANCE_COLORS.values())),
                legend=alt.Legend(values=substances, columns=1),
            ),
            shape=alt.Shape(
                "kind:N",
                title="Design",
                scale=alt.Scale(domain=["randomized", "single group or other"], range=["circle", "triangle-up"]),
                legend=alt.Legend(columns=1),
            ),
            tooltip=tooltip,
        )
    )
    words = (
        base.transform_filter("datum.no_number")
        .mark_text(align="left", fontSize=FONT_SIZES["label"] - 1, fontStyle="italic", color="#5A5A5A", limit=200)
        .encode(y=y, x=alt.value(4), text="words:N", tooltip=tooltip)
    )
    description = (
        f"Dot chart of {len(rows)} registered trials without a results paper in the book: planned participants for each, "
        "coloured by substance and shaped by whether the trial is randomized; a trial whose record gives no size says so in "
        "words. Drop-downs choose the substance and the status."
    )
    return (
        alt.layer(points, words, _no_match_layer(data, *filters), title=chart_title(title), description=description)
        .add_params(substance, status)
        .properties(**_size(30))
    )
