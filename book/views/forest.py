"""The forest plot of between-group effects, with its filters and an approximate pooled estimate."""

from __future__ import annotations

import altair as alt
import pandas as pd
from altair.utils.core import sanitize_pandas_dataframe

from ..evidence.effects import RATIO_MEASURES, RATIO_SHOWN_FROM, RATIO_SHOWN_UP_TO, Z_95
from ..evidence.labels import study_labels
from .kit import (
    FONT_SIZES,
    NO_MATCH,
    SUBSTANCE_COLORS,
    SUBSTANCE_FILTER,
    NoResultsForSubstance,
    chart_size,
    chart_title,
    filtered,
    json_ready,
    message_chart,
    no_match_layer,
    result_label,
    row_axis,
    substance_param,
    wrapped,
)

__all__ = ["forest_chart", "forest_spec", "POOLED_LABEL"]


_RATIO_JS = f"indexof({sorted(RATIO_MEASURES)!r}, effect_measure) >= 0"


def _ratio_text_js(value: str) -> str:
    """A Vega expression printing the ratio ``value`` (an expression) as book.evidence.effects.ratio_text does."""
    return f"({value} < {RATIO_SHOWN_FROM!r} ? '<0.01' : {value} > {RATIO_SHOWN_UP_TO!r} ? '>1000' : format({value}, '.2f'))"


POOLED_LABEL = "◆ Pooled (approximate)"


def forest_chart(
    effects: pd.DataFrame, substance: str | None = None, title: str = "Forest plot of between-group effects"
) -> alt.LayerChart | alt.Chart:
    """One row per effect (point and 95% CI), with inputs bound on the chart, working on the static site.

    ``effects`` is :func:`book.effects.study_effects` output. Bound inputs: substance
    (``substance_choice``), randomized studies only (``randomized_only``), effect measure
    (``effect_measure``) and minimum number of participants (``min_n``). Ratios are drawn on a log
    scale (the axis is the log effect, labelled with ratios); the dashed line marks no effect. Square
    size shows each result's inverse-variance weight among those shown. When two or more results
    remain, a diamond shows a DerSimonian-Laird pooled estimate computed in the browser: an
    approximation for exploring, which :func:`book.effects.pool` confirms in Python. With fewer than
    two it is hidden; with none, the chart says "No studies match these filters".
    """
    if effects.empty:
        return message_chart("No between-group effects with 95% confidence intervals among these results.")
    rows, data = _forest_rows(effects)
    try:
        return _forest_layers(rows, data, substance, title)
    except NoResultsForSubstance as nothing:
        return message_chart(str(nothing))


def _forest_rows(effects: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The effects with labels, and the columns the forest chart embeds."""
    rows = effects.copy()
    rows["label"] = result_label(rows)
    twice = rows["label"].duplicated(keep=False)
    rows.loc[twice, "label"] = rows.loc[twice, "label"] + ": " + rows.loc[twice, "comparison"].astype(str)
    rows["label"] = wrapped(rows["label"])
    rows["study"] = study_labels(rows)
    rows["reported"] = [
        f"{m} {e:.3g} (95% CI {lo:.3g} to {hi:.3g})"
        for m, e, lo, hi in zip(rows["measure"], rows["estimate"], rows["ci_lower"], rows["ci_upper"])
    ]
    rows["n"] = rows["n_participants"].astype("Float64")
    data = rows[
        [
            "label",
            "study",
            "substance",
            "design",
            "randomized",
            "n",
            "measure",
            "yi",
            "vi",
            "reported",
            "source",
            "outcome",
            "comparison",
            "locator",
        ]
    ].copy()
    data = data.astype({"substance": str, "design": str, "randomized": bool, "yi": float, "vi": float})
    data["lo"] = data["yi"] - Z_95 * data["vi"] ** 0.5
    data["hi"] = data["yi"] + Z_95 * data["vi"] ** 0.5
    data = json_ready(data)
    return rows, data


def _forest_options(rows: pd.DataFrame, substance: str | None) -> tuple:
    measures = tuple(m for m in ["OR", "RR", "RD", "HR", "IRR", "MD", "SMD"] if m in set(rows["measure"]))
    present = tuple(s for s in SUBSTANCE_COLORS if s in set(rows["substance"].astype(str)))
    max_n = int(rows["n_participants"].max(skipna=True)) if rows["n_participants"].notna().any() else 0
    return measures, present, max_n, substance


_FOREST_TEMPLATES: dict[tuple, dict] = {}


def forest_spec(effects: pd.DataFrame, substance: str | None = None, options_from: pd.DataFrame | None = None) -> dict:
    """The forest chart as a Vega-Lite dict, fast enough to rebuild on every explorer change.

    Building and validating an Altair chart costs a few hundred milliseconds whatever the data;
    the chart's structure depends only on the options offered by its inputs (measures, substances,
    largest study, starting substance). So the validated spec is built once per set of options and
    later calls only swap in the data and the inputs' starting values. Pass ``options_from`` (e.g.
    all effects, when ``effects`` is a filtered subset) so that the inputs offer the same options
    whatever the subset, and one template serves every subset.
    """
    if effects.empty:
        return message_chart(NO_MATCH).to_dict()
    rows, data = _forest_rows(effects)
    source = effects if options_from is None else options_from
    key = _forest_options(source, substance if options_from is None else None)
    if key not in _FOREST_TEMPLATES:
        _FOREST_TEMPLATES[key] = forest_chart(source, substance if options_from is None else None).to_dict()
    template = _FOREST_TEMPLATES[key]
    # The records as Altair itself would embed them (its sanitizer turns a missing number into NaN, which the
    # compile to Vega (book.vega) writes as null), so the template and a freshly built chart agree.
    records = sanitize_pandas_dataframe(data).to_dict("records")
    spec = dict(template)
    spec["datasets"] = {
        name: (records if values and "label" in values[0] else values) for name, values in template["datasets"].items()
    }
    present = [m for m in key[0] if m in set(rows["measure"])]
    if substance is not None:
        own = [m for m in present if m in set(rows.loc[rows["substance"].astype(str) == substance, "measure"])]
        present = own or present
    starts = {"effect_measure": present[0] if present else key[0][0], "substance_choice": substance or "all"}
    spec["params"] = [{**p, "value": starts.get(p["name"], p.get("value"))} for p in template["params"]]
    spec["description"] = _forest_description(rows)
    return spec


def _forest_description(rows: pd.DataFrame) -> str:
    return (
        f"Forest plot of {len(rows)} between-group effect(s) from {rows['study'].nunique()} studies: each row is a square "
        "at the effect with a horizontal line for its 95% confidence interval; ratios are on a log scale and a dashed "
        "line marks no difference. Inputs choose the substance, randomized studies only, the effect measure and a "
        "minimum number of participants. With two or more results a black diamond shows an approximate pooled estimate."
    )


def _forest_layers(rows: pd.DataFrame, data: pd.DataFrame, substance: str | None, title: str):
    chosen = substance_param(rows, substance, "between-group effects with 95% confidence intervals")
    measures = [m for m in ["OR", "RR", "RD", "HR", "IRR", "MD", "SMD"] if m in set(rows["measure"])]
    start = measures[0]
    if substance is not None:
        own = [m for m in measures if m in set(rows.loc[rows["substance"] == substance, "measure"])]
        start = own[0] if own else start
    measure = alt.param(name="effect_measure", value=start, bind=alt.binding_radio(options=measures, name="Effect measure: "))
    randomized = alt.param(name="randomized_only", value=False, bind=alt.binding_checkbox(name="Randomized studies only "))
    max_n = int(rows["n_participants"].max(skipna=True) or 0)
    min_n = alt.param(
        name="min_n", value=0, bind=alt.binding_range(min=0, max=max(max_n, 1), step=1, name="Minimum participants: ")
    )
    filters = [
        SUBSTANCE_FILTER,
        "!randomized_only || datum.randomized",
        "datum.measure == effect_measure",
        "(datum.n || 0) >= min_n",
    ]

    base = filtered(data, filters)
    weighted = (
        base.transform_calculate(w="1 / datum.vi")
        .transform_joinaggregate(total_w="sum(w)")
        .transform_calculate(weight="100 * datum.w / datum.total_w")
    )
    ratio_ticks = "[" + ", ".join(f"log({t})" for t in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)) + "]"
    axis = alt.Axis(
        values=alt.ExprRef(f"{_RATIO_JS} ? {ratio_ticks} : null"),
        labelExpr=f"{_RATIO_JS} ? format(exp(datum.value), '~g') : format(datum.value, '~g')",
        title=["Effect (ratios: log scale)", "dashed line: no difference"],
    )
    x = alt.X("yi:Q", title=None, axis=axis, scale=alt.Scale(zero=False, nice=False))
    y = alt.Y("label:N", title=None, axis=row_axis())
    colour = alt.Color(
        "substance:N",
        title="Substance",
        scale=alt.Scale(domain=list(SUBSTANCE_COLORS), range=list(SUBSTANCE_COLORS.values())),
        legend=alt.Legend(values=[s for s in SUBSTANCE_COLORS if s in set(data["substance"])]),
    )
    tooltip = [
        alt.Tooltip("study:N", title="Study"),
        alt.Tooltip("design:N", title="Design"),
        alt.Tooltip("n:Q", title="Participants"),
        alt.Tooltip("outcome:N", title="Outcome"),
        alt.Tooltip("comparison:N", title="Comparison"),
        alt.Tooltip("reported:N", title="Effect"),
        alt.Tooltip("source:N", title="Computed or reported"),
        alt.Tooltip("weight:Q", title="Weight (%)", format=".0f"),
        alt.Tooltip("locator:N", title="Where in the paper"),
    ]
    ci = weighted.mark_rule(strokeWidth=2).encode(
        y=y, x=alt.X("lo:Q", axis=axis, title=None, scale=alt.Scale(zero=False, nice=False)), x2="hi:Q", color=colour
    )
    point = weighted.mark_square().encode(
        y=y,
        x=x,
        color=colour,
        tooltip=tooltip,
        size=alt.Size("weight:Q", title="Weight (%)", scale=alt.Scale(range=[40, 400], domain=[0, 100]), legend=None),
    )
    null = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(color="#555555", strokeDash=[4, 4]).encode(x="zero:Q")

    pooled = (
        base.transform_calculate(
            w="1 / datum.vi", wy="datum.yi / datum.vi", wyy="datum.yi * datum.yi / datum.vi", ww="1 / (datum.vi * datum.vi)"
        )
        .transform_joinaggregate(sw="sum(w)", swy="sum(wy)", swyy="sum(wyy)", sww="sum(ww)", k="count()")
        .transform_calculate(q="datum.swyy - datum.swy * datum.swy / datum.sw", c="datum.sw - datum.sww / datum.sw")
        .transform_calculate(tau2="max(0, (datum.q - (datum.k - 1)) / datum.c)")
        .transform_calculate(wr="1 / (datum.vi + datum.tau2)", wry="datum.yi / (datum.vi + datum.tau2)")
        .transform_aggregate(swr="sum(wr)", swry="sum(wry)", k="max(k)", q="max(q)", tau2="max(tau2)")
        .transform_filter("datum.k >= 2")
        .transform_calculate(
            yi="datum.swry / datum.swr",
            se="sqrt(1 / datum.swr)",
            label=f"'{POOLED_LABEL}'",
            i2="datum.q > 0 ? max(0, 100 * (datum.q - (datum.k - 1)) / datum.q) : 0",
        )
        .transform_calculate(lo=f"datum.yi - {Z_95!r} * datum.se", hi=f"datum.yi + {Z_95!r} * datum.se")
        .transform_calculate(
            summary=f"({_RATIO_JS} ? {_ratio_text_js('exp(datum.yi)')} + ' (' + {_ratio_text_js('exp(datum.lo)')}"
            f" + ' to ' + {_ratio_text_js('exp(datum.hi)')} + ')'"
            " : format(datum.yi, '.2f') + ' (' + format(datum.lo, '.2f') + ' to ' + format(datum.hi, '.2f') + ')')"
            " + ', k=' + datum.k + ', I² ' + format(datum.i2, '.0f') + '%'"
        )
    )
    pooled_ci = pooled.mark_rule(strokeWidth=2, color="#000000").encode(y=y, x=alt.X("lo:Q", axis=axis, title=None), x2="hi:Q")
    pooled_point = pooled.mark_point(shape="diamond", filled=True, size=260, color="#000000").encode(
        y=y, x=x, tooltip=[alt.Tooltip("summary:N", title="Pooled in the browser (DerSimonian-Laird, approximate)")]
    )
    text_style = {"align": "left", "baseline": "top", "dx": 4, "dy": 8, "fontSize": FONT_SIZES["label"]}
    # The summary runs across the plot, over the dashed line of no difference and the grid: drawn first as a white
    # outline (the chart's background), so the lines stop short of its letters, then as text.
    pooled_halo = pooled.mark_text(**text_style, stroke="#ffffff", strokeWidth=4, strokeJoin="round", aria=False).encode(
        y=y, x=alt.value(0), text="summary:N"
    )
    pooled_text = pooled.mark_text(**text_style).encode(y=y, x=alt.value(0), text="summary:N")
    description = _forest_description(rows)
    return (
        alt.layer(
            null,
            ci,
            point,
            pooled_ci,
            pooled_point,
            pooled_halo,
            pooled_text,
            no_match_layer(data, *filters),
            title=chart_title(title),
            description=description,
        )
        .add_params(chosen, randomized, measure, min_n)
        .properties(**chart_size(34))
    )
