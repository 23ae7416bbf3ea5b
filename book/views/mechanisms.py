"""Charts of the mechanisms chapter: the evidence map (mechanism by kind of evidence, filtered by drug of misuse)
and bioavailability by route. Like every chart of the book, their inputs are Vega-Lite parameters bound to HTML
inputs, so they work on the static site and in JupyterLab without a kernel."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from ..evidence.schema import EVIDENCE_KINDS, MECHANISMS
from .kit import FONT_SIZES, chart_size, chart_title, choice_param, json_ready, message_chart, row_axis, wrap_label

__all__ = ["evidence_map_chart", "bioavailability_chart", "bioavailability_rows", "NO_DRUG"]

#: How the evidence map's drop-down names evidence gathered without a drug of misuse.
NO_DRUG = "none (depression, healthy volunteers, animals without a drug)"


def evidence_map_chart(
    mechanisms: pd.DataFrame, title: str = "Evidence for each mechanism, by kind"
) -> alt.LayerChart | alt.Chart:
    """How many claims in the data support each mechanism (rows) from each kind of evidence (columns), counted in the
    browser after the drug-of-misuse drop-down (``drug_choice``) filters the claims. Every cell shows its count in
    words, zeros included, so the map never relies on shade alone."""
    if mechanisms.empty:
        return message_chart("No mechanism claims in this selection.")
    rows = mechanisms.assign(
        mechanism=mechanisms["mechanism"].astype(str), evidence_kind=mechanisms["evidence_kind"].astype(str), weight=1, grid=False
    )
    grid = pd.DataFrame([(m, k) for m in MECHANISMS for k in EVIDENCE_KINDS], columns=["mechanism", "evidence_kind"])
    grid = grid.assign(weight=0, grid=True, substance="", source="")
    data = pd.concat(
        [rows[["mechanism", "evidence_kind", "substance", "source", "weight", "grid"]].astype({"substance": str}), grid]
    )
    data["mechanism_label"] = data["mechanism"].map(lambda t: wrap_label(t, 24, 2))
    data = json_ready(data)
    drugs = [
        s
        for s in ["alcohol", "cocaine", "opioids", "methamphetamine", "cannabis", "tobacco"]
        if s in set(rows["substance"].astype(str))
    ]
    has_none = "none" in set(rows["substance"].astype(str))
    options = ["all", *drugs, *(["none"] if has_none else [])]
    labels = ["all evidence", *[f"{d} only" for d in drugs], *([NO_DRUG] if has_none else [])]
    drug = alt.param(
        name="drug_choice", value="all", bind=alt.binding_select(options=options, labels=labels, name="Drug of misuse: ")
    )
    base = (
        alt.Chart(data)
        .transform_filter("datum.grid || drug_choice == 'all' || datum.substance == drug_choice")
        .transform_aggregate(claims="sum(weight)", groupby=["mechanism_label", "mechanism", "evidence_kind"])
        .transform_calculate(claims_text="datum.claims == 0 ? '–' : format(datum.claims, 'd')")
    )
    x = alt.X(
        "evidence_kind:N",
        title=None,
        sort=EVIDENCE_KINDS,
        axis=alt.Axis(
            orient="top", labelAngle=-90, labelAlign="left", labelBaseline="middle", labelLimit=240, labelOverlap=False
        ),
    )
    y = alt.Y("mechanism_label:N", title=None, sort=[wrap_label(m, 24, 2) for m in MECHANISMS], axis=row_axis())
    tooltip = [
        alt.Tooltip("mechanism:N", title="Mechanism"),
        alt.Tooltip("evidence_kind:N", title="Kind of evidence"),
        alt.Tooltip("claims:Q", title="Claims in the data"),
    ]
    cells = base.mark_rect(stroke="#FFFFFF", strokeWidth=2).encode(
        x=x,
        y=y,
        color=alt.Color(
            "claims:Q", title="Claims", scale=alt.Scale(domain=[0, 6], range=["#F4F4F4", "#2B5C8A"], clamp=True), legend=None
        ),
        tooltip=tooltip,
    )
    text = base.mark_text(fontSize=FONT_SIZES["label"] + 1, fontWeight="bold").encode(
        x=x,
        y=y,
        text="claims_text:N",
        color=alt.condition("datum.claims >= 3", alt.value("#FFFFFF"), alt.value("#222222")),
        tooltip=tooltip,
    )
    description = (
        f"Grid of {len(MECHANISMS)} proposed mechanisms (rows) by {len(EVIDENCE_KINDS)} kinds of evidence (columns); each cell "
        f"gives the number of claims in the data ({len(rows)} in all), a dash where there are none. A drop-down limits the "
        "claims to one drug of misuse, or to evidence gathered without one."
    )
    return alt.layer(cells, text, title=chart_title(title), description=description).add_params(drug).properties(**chart_size(40))


_SINGLE_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*$")


def bioavailability_rows(pharmacology: pd.DataFrame) -> pd.DataFrame:
    """The bioavailability values that are a single number, as a percentage (a fraction is multiplied by 100);
    values given as a range or a pair are left to the table, where they stand as printed."""
    rows = pharmacology[pharmacology["topic"] == "bioavailability"].copy()
    number = rows["value"].astype("string").str.extract(_SINGLE_NUMBER.pattern, expand=False).astype(float)
    unit = rows["unit"].astype("string").fillna("").str.strip()
    rows["percent"] = number.where(unit == "%", number * 100).where(unit.isin(["%", "fraction"]))
    return rows[rows["percent"].notna()].reset_index(drop=True)


def bioavailability_chart(
    pharmacology: pd.DataFrame, title: str = "How much of a dose reaches the blood, by route"
) -> alt.LayerChart | alt.Chart:
    """Bioavailability (%) of ketamine and esketamine by route, one point per value a source gives, with its population
    in the tooltip. Input: drug (``drug_shown``)."""
    rows = bioavailability_rows(pharmacology)
    if rows.empty:
        return message_chart("No single-number bioavailability values in this selection.")
    rows["route_label"] = rows["route"].map(lambda t: wrap_label(t, 26, 2))
    data = json_ready(rows[["route_label", "route", "drug", "quantity", "percent", "value", "unit", "population", "source"]])
    drugs = sorted(rows["drug"].unique().tolist())
    drug = choice_param("drug_shown", "Drug: ", drugs, "both drugs")
    base = alt.Chart(data).transform_filter("drug_shown == 'all' || datum.drug == drug_shown")
    y = alt.Y("route_label:N", title=None, sort=alt.SortField("percent", order="ascending"), axis=row_axis())
    tooltip = [
        alt.Tooltip("drug:N", title="Drug"),
        alt.Tooltip("route:N", title="Route"),
        alt.Tooltip("quantity:N", title="Measure"),
        alt.Tooltip("percent:Q", title="Per cent", format=".1f"),
        alt.Tooltip("population:N", title="Who"),
        alt.Tooltip("source:N", title="Source"),
    ]
    points = base.mark_point(filled=True, size=110, opacity=1).encode(
        y=y,
        x=alt.X("percent:Q", title="Bioavailability (%)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color(
            "drug:N",
            title="Drug",
            scale=alt.Scale(domain=drugs, range=["#0072B2", "#D55E00", "#009E73"][: len(drugs)]),
            legend=alt.Legend(columns=1),
        ),
        shape=alt.Shape(
            "drug:N",
            title="Drug",
            scale=alt.Scale(domain=drugs, range=["circle", "diamond", "square"][: len(drugs)]),
            legend=alt.Legend(columns=1),
        ),
        tooltip=tooltip,
    )
    description = (
        f"Dot chart of {len(rows)} bioavailability values (per cent of a dose reaching the blood) for ketamine and esketamine "
        "by route (the source of each is in its tooltip and the table below); intravenous dosing is 100 per cent by definition. "
        "A drop-down chooses the drug."
    )
    return alt.layer(points, title=chart_title(title), description=description).add_params(drug).properties(**chart_size(40))
