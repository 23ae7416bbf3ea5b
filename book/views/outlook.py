"""Charts of the evidence still to come: registered trials, by substance, design and status. Inputs are Vega-Lite
parameters bound to HTML inputs, so they work on the static site and in JupyterLab without a kernel."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..evidence.labels import study_label
from ..evidence.loaders import design_kind
from .kit import (
    FONT_SIZES,
    SUBSTANCE_COLORS,
    chart_size,
    chart_title,
    choice_param,
    filtered,
    json_ready,
    message_chart,
    no_match_layer,
    row_axis,
)

__all__ = ["registrations_chart"]


def registrations_chart(
    registrations: pd.DataFrame, title: str = "Registered trials without a results paper"
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
    substance = choice_param("registered_substance", "Substance: ", substances, "all substances")
    status = choice_param("registered_status", "Status: ", statuses, "any status")
    filters = [
        "registered_substance == 'all' || datum.substance == registered_substance",
        "registered_status == 'all' || datum.status == registered_status",
    ]
    base = filtered(data, filters)
    y = alt.Y("label:N", title=None, sort=alt.SortField("label"), axis=row_axis())
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
        alt.layer(points, words, no_match_layer(data, *filters), title=chart_title(title), description=description)
        .add_params(substance, status)
        # When a status leaves no trial with a size (every point filtered out), vega sizes the view without the shape
        # legend's last entry, which then ran 15 px past the chart's bottom edge (tests/test_chart_text.py): room kept.
        .properties(**chart_size(30), padding={"left": 5, "top": 5, "right": 5, "bottom": 20})
    )


def trial_pairs(outcomes: pd.DataFrame) -> pd.DataFrame:
    """The book's results with a ketamine and a control percentage and both arm sizes: one row per result, with the
    absolute difference in proportions and the smaller arm's size (what a two-arm trial of that size could detect)."""
    arms = outcomes[outcomes["arm"].isin(["ketamine", "control"]) & outcomes["percent"].notna() & outcomes["n"].notna()].copy()
    arms["result"] = arms["outcome_id"].str.rsplit("-", n=1).str[0]
    wide = arms.pivot_table(index="result", columns="arm", values=["percent", "n"], aggfunc="first")
    wide = wide.dropna()
    if wide.empty:
        return pd.DataFrame(columns=["result", "study", "outcome", "control", "ketamine", "difference", "n_per_arm"])
    out = pd.DataFrame(
        {
            "result": wide.index,
            "control": wide[("percent", "control")].astype(float).to_numpy() / 100,
            "ketamine": wide[("percent", "ketamine")].astype(float).to_numpy() / 100,
            "n_per_arm": wide[[("n", "control"), ("n", "ketamine")]].astype(float).min(axis=1).to_numpy(),
        }
    )
    first = arms.drop_duplicates("result").set_index("result")
    out["study"] = [study_label(first.loc[r, "first_author"], first.loc[r, "year"]) for r in out["result"]]
    out["outcome"] = [first.loc[r, "outcome"] for r in out["result"]]
    out["difference"] = (out["ketamine"] - out["control"]).abs()
    return out.reset_index(drop=True)


def power_chart(outcomes: pd.DataFrame, start_control: float = 0.25, start_difference: float = 0.2) -> alt.LayerChart:
    """Participants needed per arm to detect a difference in abstinence proportions, computed in the browser from
    four inputs: the control group's proportion (``control_share``), the difference to detect
    (``target_difference``), the significance level (``alpha_level``) and the power (``power_level``). The formula is
    :func:`book.effects.participants_per_arm`'s (normal approximation, two-sided). The book's two-arm results are
    drawn as points at their observed difference and smaller arm size."""
    control = alt.param(
        name="control_share",
        value=start_control,
        bind=alt.binding_range(min=0.05, max=0.8, step=0.01, name="Abstinent with control: "),
    )
    target = alt.param(
        name="target_difference",
        value=start_difference,
        bind=alt.binding_range(min=0.05, max=0.5, step=0.01, name="Difference to detect: "),
    )
    alpha = alt.param(
        name="alpha_level",
        value=0.05,
        bind=alt.binding_select(options=[0.05, 0.01], labels=["5%", "1%"], name="Significance level: "),
    )
    power = alt.param(
        name="power_level", value=0.8, bind=alt.binding_select(options=[0.8, 0.9], labels=["80%", "90%"], name="Power: ")
    )
    n_expr = (
        "ceil(pow(quantileNormal(1 - alpha_level / 2) * sqrt(2 * pb * (1 - pb)) "
        "+ quantileNormal(power_level) * sqrt(p1 * (1 - p1) + p2 * (1 - p2)), 2) / pow(p2 - p1, 2))"
    )
    grid = pd.DataFrame({"difference": [d / 100 for d in range(3, 61)]})
    curve = (
        alt.Chart(grid)
        .transform_calculate(p1="control_share", p2="control_share + datum.difference")
        .transform_filter("datum.p2 < 0.99")
        .transform_calculate(pb="(datum.p1 + datum.p2) / 2")
        .transform_calculate(n=n_expr.replace("pb", "datum.pb").replace("p1", "datum.p1").replace("p2", "datum.p2"))
        .mark_line(color="#0072B2", strokeWidth=3)
        .encode(
            x=alt.X(
                "difference:Q",
                title="Difference in the share abstinent",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 0.6]),
            ),
            y=alt.Y("n:Q", title=["Participants", "needed per arm"], scale=alt.Scale(type="log", domain=[5, 5000])),
        )
    )
    one = pd.DataFrame({"k": [0]})
    chosen = (
        alt.Chart(one)
        .transform_calculate(p1="control_share", p2="min(control_share + target_difference, 0.99)")
        .transform_calculate(pb="(datum.p1 + datum.p2) / 2")
        .transform_calculate(n=n_expr.replace("pb", "datum.pb").replace("p1", "datum.p1").replace("p2", "datum.p2"))
        .transform_calculate(label="'Needed: ' + datum.n + ' per arm'", difference="datum.p2 - datum.p1")
    )
    rule = chosen.mark_rule(color="#D55E00", strokeDash=[6, 4], strokeWidth=2).encode(x="difference:Q")
    # The label sits right of the line, or left of it when the line is in the right half (so it never runs off the chart).
    label = chosen.mark_text(
        align=alt.ExprRef("target_difference > 0.3 ? 'right' : 'left'"),
        dx=alt.ExprRef("target_difference > 0.3 ? -6 : 6"),
        color="#A33F00",
        fontSize=FONT_SIZES["label"],
        fontWeight="bold",
    ).encode(x="difference:Q", y=alt.value(14), text="label:N")
    pairs = trial_pairs(outcomes)
    layers = [curve, rule, label]
    if not pairs.empty:
        trials = (
            alt.Chart(json_ready(pairs))
            .mark_point(filled=True, size=110, color="#1A1A1A", opacity=1)
            .encode(
                x="difference:Q",
                y="n_per_arm:Q",
                tooltip=[
                    alt.Tooltip("study:N", title="Study"),
                    alt.Tooltip("outcome:N", title="Outcome"),
                    alt.Tooltip("control:Q", title="Control", format=".1%"),
                    alt.Tooltip("ketamine:Q", title="Ketamine", format=".1%"),
                    alt.Tooltip("n_per_arm:Q", title="Smaller arm"),
                ],
            )
        )
        layers.append(trials)
    description = (
        "Line chart computed in the browser: the participants a two-arm trial needs in each arm (log scale) to detect a "
        "difference in the share abstinent, from 3 to 60 percentage points, given the control group's share, the "
        "significance level and the power chosen with the inputs; a dashed line and label give the number for the chosen "
        f"difference. Black points are the book's {len(pairs)} two-arm results, at their observed difference and smaller arm."
    )
    return (
        alt.layer(*layers, title=chart_title("What trial would settle it? Participants needed per arm"), description=description)
        .add_params(control, target, alpha, power)
        .properties(**chart_size(height=300))
    )
