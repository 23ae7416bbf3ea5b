"""Altair charts that stay interactive on the static site.

Interactivity is Vega-Lite parameters bound to HTML inputs (``alt.param(bind=...)``), so a
chart's selectors work in the browser with no Python kernel behind them. Every chart:

* renders as SVG (marks carry ARIA labels; a chart's ``description`` is its accessible label);
* uses the Okabe-Ito colour-blind-safe palette, with one fixed colour per substance everywhere;
* names its parameters explicitly, so specs are stable across runs and testable.
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd
from altair.utils.core import sanitize_pandas_dataframe

from . import vega
from .effects import Z_95
from .tables import format_result, study_label

__all__ = [
    "SUBSTANCE_COLORS",
    "ARM_COLORS",
    "NO_MATCH",
    "arm_comparison_chart",
    "reported_effects_chart",
    "forest_chart",
    "forest_spec",
    "dosing_chart",
    "message_chart",
    "study_overview_chart",
    "chart_size",
    "row_axis",
    "no_match_layer",
    "choice_param",
    "filtered",
]

#: One colour per substance, used in every chart of the book (Okabe-Ito palette).
SUBSTANCE_COLORS = {
    "alcohol": "#0072B2",
    "opioids": "#D55E00",
    "cocaine": "#009E73",
    "methamphetamine": "#CC79A7",
    "cannabis": "#E69F00",
    "tobacco": "#56B4E9",
    "benzodiazepines": "#882255",
    "mixed": "#666666",
}
#: Ketamine and comparison arms: dark and mid grey, told apart by shape as well as shade.
ARM_COLORS = {"ketamine": "#1A1A1A", "control": "#767676"}

alt.data_transformers.disable_max_rows()
vega.enable()  # every chart is output as compiled Vega, drawn offline in JupyterLab and on the site (book/vega.py)

#: Every chart is drawn this many pixels wide in all (axes and legends included; Vega-Lite's "fit-x"), which
#: suits a notebook in JupyterLab, whose output area takes the width of what it shows. On the site, the
#: chart plugin makes each chart fill the text column instead, so it fits a phone as well as a desktop
#: (:func:`book.vega.fill_container`). Rows keep a fixed step height.
_WIDTH = 620


def chart_size(step: int | None = None, height: int | None = None) -> dict:
    """Chart size: :data:`_WIDTH` in all (on the site, its container's width); ``step`` pixels a row, or a fixed ``height``."""
    return {
        "width": _WIDTH,
        "height": alt.Step(step) if step else height,
        "autosize": alt.AutoSizeParams(type="fit-x", contains="padding"),
    }


#: Text in charts: never smaller than 12 px (the body text is 17 px on the site).
FONT_SIZES = {"label": 13, "title": 14, "chart_title": 16}


@alt.theme.register("kap_book", enable=True)
def kap_book_theme() -> alt.theme.ThemeConfig:
    """The book's chart theme: readable text sizes, legends under the chart (room for the data on a
    phone), and a white background so charts stay legible in the site's dark mode."""
    label, title = FONT_SIZES["label"], FONT_SIZES["title"]
    return {
        "config": {
            "background": "#ffffff",
            "axis": {
                "labelFontSize": label,
                "titleFontSize": title,
                "labelColor": "#222222",
                "titleColor": "#222222",
                "labelOverlap": "greedy",
            },
            "legend": {
                "labelFontSize": label,
                "titleFontSize": title,
                "orient": "bottom",
                "direction": "horizontal",
                "labelColor": "#222222",
                "titleColor": "#222222",
                "columns": 4,
                # Several legends stack under the chart, each on its own rows, so they fit a narrow chart.
                "layout": {"bottom": {"anchor": "start", "direction": "vertical", "margin": 8}},
            },
            "title": {"fontSize": FONT_SIZES["chart_title"], "color": "#111111", "anchor": "start"},
            "text": {"fontSize": label},
        }
    }


#: Row labels wrap onto at most two lines of about this many characters (the full text is in the tooltip and the table).
ROW_LABEL_CHARS = 26
#: A Vega expression that draws a wrapped row label (lines joined by "\n") as multi-line text.
_MULTILINE = "split(datum.label, '\\n')"


def wrap_label(text: str, width: int = ROW_LABEL_CHARS, lines: int = 2) -> str:
    """``text`` wrapped onto at most ``lines`` lines of about ``width`` characters, joined by "\n";
    what does not fit ends in an ellipsis."""
    parts = textwrap.wrap(str(text), width=width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: max(width - 1, 1)].rstrip() + "…"
    return "\n".join(parts)


def chart_title(text: str, chars: int = 40) -> alt.TitleParams:
    """A chart's title, wrapped onto lines of about ``chars`` characters so that it fits a phone-width chart.

    The lines are fixed when the chart is compiled. A title that changed with the chart's width (an expression on
    ``width``) was laid out at the first width and, once the chart shrank to a phone's column and the title grew a
    line, its first line was drawn above the chart and cut off.
    """
    lines = textwrap.wrap(text, width=chars) or [text]
    return alt.TitleParams(text=lines if len(lines) > 1 else text)


def row_axis() -> alt.Axis:
    """The y axis of a chart with one row per result: wrapped labels, limited to a share of the chart's width."""
    return alt.Axis(
        labelExpr=_MULTILINE,
        labelLimit=alt.ExprRef("max(170, min(240, width * 0.42))"),
        labelFontSize=FONT_SIZES["label"] - 1,
        labelLineHeight=14,
    )


def json_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every missing value as None, so the chart's data is valid JSON (null): pandas' NA or a float
    NaN would be written as ``NaN``, which a browser's JSON parser rejects."""

    def clean(v):
        return None if v is None or (not isinstance(v, (list, tuple)) and pd.isna(v)) else v

    # Built column by column as object: DataFrame.map would infer float64 again and turn None back into NaN.
    return pd.DataFrame({c: [clean(v) for v in frame[c]] for c in frame.columns}, index=frame.index, dtype=object)


def message_chart(text: str, description: str | None = None) -> alt.Chart:
    """A chart that shows only a message (e.g. when nothing matches), never a blank area."""
    return (
        alt.Chart(pd.DataFrame({"message": [text]}), description=description or text)
        .mark_text(fontSize=15, color="#333333")
        .encode(text="message:N")
        .properties(**chart_size(height=60))
    )


def _result_label(frame: pd.DataFrame) -> pd.Series:
    """'Dakwar 2019: abstinence during last 2 weeks of trial', the row label of a result."""
    return frame["first_author"].astype(str) + " " + frame["year"].astype(str) + ": " + frame["outcome"].astype(str)


def _wrapped(labels: pd.Series) -> pd.Series:
    return labels.map(wrap_label)


class NoResultsForSubstance(ValueError):
    """A substance the book covers has no results of the kind a chart draws (the chart then says so)."""


def _substance_param(rows: pd.DataFrame, substance: str | None, kind: str = "results of this kind") -> alt.Parameter:
    """The substance drop-down. An unknown substance (a typo) is an error; a substance the book covers but
    with no results of this kind raises :class:`NoResultsForSubstance`, which the charts turn into a message."""
    present = [s for s in SUBSTANCE_COLORS if s in set(rows["substance"].astype(str))]
    if substance is not None and substance not in present:
        others = ", ".join(present)
        if substance in SUBSTANCE_COLORS:
            raise NoResultsForSubstance(f"The data hold no {kind} for {substance} (this chart has them for: {others}).")
        raise ValueError(f"No results for substance {substance!r} in this chart. Substances with results: {others}.")
    return alt.param(
        name="substance_choice",
        value=substance or "all",
        bind=alt.binding_select(options=["all", *present], labels=["all substances", *present], name="Substance: "),
    )


_SUBSTANCE_FILTER = "substance_choice == 'all' || datum.substance == substance_choice"
#: What a chart says when its bound inputs leave nothing to draw.
NO_MATCH = "No studies match these filters"


def choice_param(name: str, label: str, values: list, everything: str, value=None) -> alt.Parameter:
    """A drop-down bound to the chart: "all" (labelled ``everything``) then each of ``values``; starts at ``value``."""
    return alt.param(
        name=name,
        value=value or "all",
        bind=alt.binding_select(options=["all", *values], labels=[everything, *values], name=label),
    )


def filtered(data: pd.DataFrame, filters: list[str]) -> alt.Chart:
    """A chart of ``data`` with each Vega expression in ``filters`` applied in turn (the inputs' filters)."""
    base = alt.Chart(data)
    for expression in filters:
        base = base.transform_filter(expression)
    return base


def no_match_layer(data: pd.DataFrame, *filters: str) -> alt.Chart:
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
    rows["result"] = _wrapped(_result_label(rows))
    rows["study"] = [study_label(a, y) for a, y in zip(rows["first_author"], rows["year"])]
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
        chosen = _substance_param(rows, substance, "arm-level percentages")
    except NoResultsForSubstance as nothing:
        return message_chart(str(nothing))
    domains = sorted(rows["domain"].dropna().unique().tolist())
    domain = alt.param(
        name="outcome_domain",
        value="all",
        bind=alt.binding_select(options=["all", *domains], labels=["all outcomes", *domains], name="Kind of outcome: "),
    )
    domain_filter = "outcome_domain == 'all' || datum.domain == outcome_domain"
    base = alt.Chart(data).transform_filter(_SUBSTANCE_FILTER).transform_filter(domain_filter)
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
            no_match_layer(data, _SUBSTANCE_FILTER, domain_filter),
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
    rows["result"] = _wrapped(_result_label(rows))
    rows["study"] = [study_label(a, y) for a, y in zip(rows["first_author"], rows["year"])]
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
        chosen = _substance_param(rows, substance, "ratio effects with 95% confidence intervals")
    except NoResultsForSubstance as nothing:
        return message_chart(str(nothing))
    measure_filter = "datum.effect_measure == effect_measure"
    base = alt.Chart(data).transform_filter(_SUBSTANCE_FILTER).transform_filter(measure_filter)
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
            no_match_layer(data, _SUBSTANCE_FILTER, measure_filter),
            title=chart_title(title),
            description=description,
        )
        .add_params(chosen, measure)
        .properties(**chart_size(34))
    )


_RATIO_JS = "indexof(['OR', 'RR', 'HR', 'IRR'], effect_measure) >= 0"
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
    rows["label"] = _result_label(rows)
    twice = rows["label"].duplicated(keep=False)
    rows.loc[twice, "label"] = rows.loc[twice, "label"] + ": " + rows.loc[twice, "comparison"].astype(str)
    rows["label"] = _wrapped(rows["label"])
    rows["study"] = [study_label(a, y) for a, y in zip(rows["first_author"], rows["year"])]
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
    chosen = _substance_param(rows, substance, "between-group effects with 95% confidence intervals")
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
        _SUBSTANCE_FILTER,
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
            summary=f"({_RATIO_JS} ? format(exp(datum.yi), '.2f') + ' (' + format(exp(datum.lo), '.2f')"
            " + ' to ' + format(exp(datum.hi), '.2f') + ')'"
            " : format(datum.yi, '.2f') + ' (' + format(datum.lo, '.2f') + ' to ' + format(datum.hi, '.2f') + ')')"
            " + ', k=' + datum.k + ', I² ' + format(datum.i2, '.0f') + '%'"
        )
    )
    pooled_ci = pooled.mark_rule(strokeWidth=2, color="#000000").encode(y=y, x=alt.X("lo:Q", axis=axis, title=None), x2="hi:Q")
    pooled_point = pooled.mark_point(shape="diamond", filled=True, size=260, color="#000000").encode(
        y=y, x=x, tooltip=[alt.Tooltip("summary:N", title="Pooled in the browser (DerSimonian-Laird, approximate)")]
    )
    pooled_text = pooled.mark_text(align="left", baseline="top", dx=4, dy=8, fontSize=FONT_SIZES["label"]).encode(
        y=y, x=alt.value(0), text="summary:N"
    )
    description = _forest_description(rows)
    return (
        alt.layer(
            null,
            ci,
            point,
            pooled_ci,
            pooled_point,
            pooled_text,
            no_match_layer(data, *filters),
            title=chart_title(title),
            description=description,
        )
        .add_params(chosen, randomized, measure, min_n)
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
    from .data import has_psychotherapy

    rows = studies[studies["ketamine_dose_mg_per_kg"].notna()].copy()
    if rows.empty:
        return message_chart("No study in this selection reports a dose per session in mg/kg.")
    rows["study"] = [study_label(a, y) for a, y in zip(rows["first_author"], rows["year"])]
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
    chosen = _substance_param(rows, None)
    therapy = alt.param(name="therapy_only", value=False, bind=alt.binding_checkbox(name="With psychotherapy only "))
    filters = [_SUBSTANCE_FILTER, "!therapy_only || datum.therapy"]
    base = filtered(data, filters)
    points = base.mark_point(filled=True, opacity=0.9).encode(
        x=alt.X("ketamine_dose_mg_per_kg:Q", title=["Ketamine per session", "(mg/kg, as reported)"], scale=alt.Scale(zero=True)),
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
    "open-label single arm": "single arm, open-label",
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
    rows["study"] = [study_label(a, y) for a, y in zip(rows["first_author"], rows["year"])]
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
    filters = [_SUBSTANCE_FILTER, "randomized_choice == 'all' || datum.randomized_text == randomized_choice"]
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
