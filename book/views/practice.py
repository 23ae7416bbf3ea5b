"""How the studies delivered ketamine and psychological treatment: the clinical-practice chapter's protocol summary,
tables and chart.

``data/protocols.csv`` holds several rows per study (the paper, its registry record, a listing by the investigators),
each with its own locator and quote. :func:`protocol_summary` turns them into one row per study; :func:`protocol_table`
and :func:`protocol_chart` show that summary. Like every chart of the book, the chart's inputs are Vega-Lite parameters
bound to HTML inputs, so they work on the static site and in JupyterLab without a kernel.

A number the sources do not state is written "not stated" and never drawn as a zero. These are research protocols as
the sources describe them, not a template for treatment.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from .kit import (
    CONTAINER_WIDTH,
    FONT_SIZES,
    LABEL_CHAR_PX,
    ROW_LABEL_ROOM,
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
    reflow,
    row_axis,
    styled,
    substance_param,
)

#: Legend labels start under the plot, right of the row labels' column: they get what is left of the chart's width.
_LEGEND_ROOM = f"clamp({CONTAINER_WIDTH} - {ROW_LABEL_ROOM} - 60, 110, 320)"
_LEGEND_LIMIT = alt.ExprRef(_LEGEND_ROOM)
#: The legend's labels, wrapped onto two lines of whole words in that room (13 px text: wider characters than 12 px).
_LEGEND_LABELS = reflow("datum.label", f"floor(({_LEGEND_ROOM}) / ({LABEL_CHAR_PX} * 13 / 12))", 2)

__all__ = [
    "NONE_REPORTED",
    "NOT_STATED",
    "KIND_STYLES",
    "TIMING_ORDER",
    "NO_TIMING",
    "protocol_summary",
    "protocol_table",
    "protocol_chart",
    "patient_groups_table",
    "regulation_table",
]

#: The kind of therapy of a study whose sources report no psychological treatment.
NONE_REPORTED = "none reported"
#: What a table or chart says where the sources read do not state a value.
NOT_STATED = "not stated"

#: Each kind of therapy's colour and shape: a chart tells them apart by both, never by colour alone (Okabe-Ito colours).
KIND_STYLES = {
    "mindfulness-based relapse prevention": ("#009E73", "circle"),
    "other mindfulness-based": ("#56B4E9", "triangle-down"),
    "motivational enhancement": ("#0072B2", "square"),
    "psychedelic-style preparation and integration": ("#CC79A7", "diamond"),
    "memory retrieval-reconsolidation": ("#D55E00", "triangle-up"),
    "counselling": ("#E69F00", "triangle-right"),
    NONE_REPORTED: ("#767676", "cross"),
}

#: Timings from the most to the least specific: a study's summary takes the first one any of its rows states.
TIMING_ORDER = [
    "around the dose (preparation, session, integration)",
    "during the dose",
    "memory retrieval just before the dose",
    "before and after the dose",
    "after the dose",
    "before the dose",
]
#: The timing of a study without a psychological treatment: there is nothing to time.
NO_TIMING = "not applicable (no psychological treatment reported)"
#: Shorter words for the chart, where space is short (the tooltip and the table give the full words).
_CHART_WORDS = {
    "psychedelic-style preparation and integration": "psychedelic-style",
    "memory retrieval-reconsolidation": "memory retrieval",
    NONE_REPORTED: "no therapy reported",
    NO_TIMING: "no therapy reported",
    "around the dose (preparation, session, integration)": "preparation, dose session, integration",
    "memory retrieval just before the dose": "memory retrieval just before the dose",
}


def _first_stated(values: pd.Series) -> object:
    """The first non-missing value of ``values`` (in the order of the data), or None."""
    stated = values.dropna()
    return stated.iloc[0] if len(stated) else None


def _timing_rank(timing: object) -> int:
    """Where a timing stands in :data:`TIMING_ORDER` (an unlisted stated timing after the listed ones; none last)."""
    if timing is None or pd.isna(timing) or timing == NOT_STATED:
        return len(TIMING_ORDER) + 1
    return TIMING_ORDER.index(timing) if timing in TIMING_ORDER else len(TIMING_ORDER)


def _count_text(value: object, what: str) -> str:
    return f"{what} not stated" if value is None or pd.isna(value) else str(int(value))


def _study_summary(rows: pd.DataFrame) -> dict:
    """One study's protocol rows as one summary row (see :func:`protocol_summary`)."""
    families = rows["therapy_family"].astype("string")
    with_therapy = rows[families.notna() & (families != NONE_REPORTED)]
    kind_row = with_therapy.iloc[0] if len(with_therapy) else rows.iloc[0]
    kind = str(kind_row["therapy_family"]) if len(with_therapy) else NONE_REPORTED
    ranked = sorted(range(len(rows)), key=lambda i: (_timing_rank(rows["timing"].iloc[i]), i))
    best = rows.iloc[ranked[0]]
    timing = best["timing"] if _timing_rank(best["timing"]) <= len(TIMING_ORDER) else None
    if timing is not None and str(best["therapy_family"]) not in (kind, NONE_REPORTED):
        timing = f"{timing} (the {best['therapy_family']})"  # a timing that belongs to another of the study's therapies
    first = rows.iloc[0]
    ketamine = _first_stated(rows["ketamine_sessions"])
    therapy_sessions = _first_stated(rows["therapy_sessions"])
    return {
        "study_id": first["study_id"],
        "study": first["study"],
        "substance": str(first["substance"]),
        "design": str(first["design"]),
        "year": first["year"],
        "kind": kind,
        "with_therapy": kind != NONE_REPORTED,
        "therapy": str(kind_row["therapy"]) if pd.notna(kind_row["therapy"]) else NONE_REPORTED,
        "timing": (timing or f"timing {NOT_STATED}") if kind != NONE_REPORTED else NO_TIMING,
        "ketamine_sessions": ketamine,
        "ketamine_sessions_text": _count_text(ketamine, "sessions"),
        "therapy_sessions": therapy_sessions,
        "therapy_sessions_text": _count_text(therapy_sessions, "sessions") if kind != NONE_REPORTED else "not applicable",
        "setting": _first_stated(rows["setting"]) or f"setting {NOT_STATED}",
        "staff": _first_stated(rows["staff"]) or f"staff {NOT_STATED}",
        "sources": "; ".join(dict.fromkeys(rows["source"].dropna().astype(str))),
    }


def protocol_summary(protocols: pd.DataFrame) -> pd.DataFrame:
    """One row per study, from the rows of :func:`book.data.load_protocols`:

    * ``kind``: the study's kind of therapy, its first ``therapy_family`` other than "none reported" (or "none
      reported"), with ``therapy`` as the row that gives it describes it, and ``with_therapy``;
    * ``timing``: the most specific timing any of its rows states (:data:`TIMING_ORDER`), else "timing not stated";
      a timing that belongs to another of the study's therapies names it, e.g. "after the dose (the counselling)";
      :data:`NO_TIMING` for a study without a psychological treatment;
    * ``ketamine_sessions``, ``therapy_sessions``, ``setting``, ``staff``: the first value a row states, with
      ``*_text`` columns and "not stated" words where no row states one (a missing number stays missing, never 0;
      therapy sessions are "not applicable" for a study without a psychological treatment);
    * ``sources``: the labels of the sources its rows come from.

    Rows are ordered by substance (the book's order), then year and study. An empty selection is refused with a
    message that says what to check.
    """
    if protocols is None or protocols.empty:
        raise ValueError(
            "No protocols to summarise: the selection is empty. Check the substance or kind of therapy you passed to "
            "load_protocols()."
        )
    missing = {"study_id", "study", "therapy_family", "timing", "ketamine_sessions", "source"} - set(protocols.columns)
    if missing:
        raise ValueError(f"This is not a frame from load_protocols(): it has no column {', '.join(sorted(missing))}.")
    summary = pd.DataFrame([_study_summary(rows) for _, rows in protocols.groupby("study_id", sort=False)])
    order = {s: i for i, s in enumerate(SUBSTANCE_COLORS)}
    summary["_s"] = summary["substance"].map(order).fillna(len(order))
    summary["_y"] = summary["year"].astype("Float64").fillna(9999)
    summary = summary.sort_values(["_s", "_y", "study"], kind="stable").drop(columns=["_s", "_y"])
    for column in ("ketamine_sessions", "therapy_sessions", "year"):
        summary[column] = summary[column].astype("Int64")
    return summary.reset_index(drop=True)


def protocol_table(protocols: pd.DataFrame, caption: str = "How each study delivered ketamine and psychological treatment"):
    """The protocol comparison as a table, one row per study (:func:`protocol_summary`): study, substance, design, kind
    of therapy, timing, ketamine sessions, therapy sessions, setting and staff, and the sources they come from."""
    s = protocol_summary(protocols)
    table = pd.DataFrame(
        {
            "Study": s["study"],
            "Substance": s["substance"],
            "Design": s["design"],
            "Kind of therapy": s["kind"],
            "Timing": s["timing"],
            "Ketamine sessions": s["ketamine_sessions_text"].str.replace("sessions not stated", NOT_STATED),
            "Therapy sessions": s["therapy_sessions_text"].str.replace("sessions not stated", NOT_STATED),
            "Setting / staff": s["setting"] + "; " + s["staff"],
            "Sources": s["sources"],
        }
    )
    return styled(table, caption, "protocols")


def protocol_chart(
    protocols: pd.DataFrame,
    substance: str | None = None,
    therapy_only: bool = False,
    title: str = "How the studies delivered ketamine and psychological treatment",
) -> alt.LayerChart | alt.Chart:
    """The protocol comparison as a chart, one row per study (:func:`protocol_summary`), grouped by substance.

    A point marks the number of ketamine sessions, coloured and shaped by the kind of therapy (never colour alone),
    with the timing of the therapy written beside it. A study whose sources do not state the number of sessions shows
    the words "sessions not stated", with its kind of therapy and timing, instead of a point: never a zero.

    Bound inputs: substance (``substance_choice``, starting at ``substance``), kind of therapy (``therapy_kind``) and
    a checkbox "with a psychological treatment only" (``psychological_only``, starting at ``therapy_only``). An empty
    selection is a message chart; an unknown substance is an error naming the substances there are.
    """
    if protocols is None or protocols.empty:
        return message_chart("No study protocols in this selection.")
    rows = protocol_summary(protocols)
    try:
        substance_input = substance_param(rows, substance, "study protocols")
    except NoResultsForSubstance as nothing:
        return message_chart(str(nothing))
    rows["label"] = rows["study"] + "\n" + rows["substance"]
    rows["known"] = rows["ketamine_sessions"].notna()
    rows["sessions"] = rows["ketamine_sessions"].astype("Float64")
    short = rows["kind"].map(lambda k: _CHART_WORDS.get(k, k))
    rows["timing_shown"] = rows["timing"].map(lambda t: _CHART_WORDS.get(t, t))
    second = (short + " · " + rows["timing"].map(lambda t: _CHART_WORDS.get(t, t))).where(rows["with_therapy"], short)
    rows["in_words"] = ("sessions not stated\n" + second).where(~rows["known"], "")
    data = json_ready(
        rows[
            [
                "label",
                "study",
                "substance",
                "design",
                "kind",
                "with_therapy",
                "therapy",
                "timing",
                "timing_shown",
                "known",
                "sessions",
                "ketamine_sessions_text",
                "therapy_sessions_text",
                "setting",
                "staff",
                "sources",
                "in_words",
            ]
        ]
    )
    kinds = [k for k in KIND_STYLES if k in set(rows["kind"])] + sorted(set(rows["kind"]) - set(KIND_STYLES))
    kind_input = choice_param("therapy_kind", "Kind of therapy: ", kinds, "all kinds")
    only_input = alt.param(
        name="psychological_only",
        value=bool(therapy_only),
        bind=alt.binding_checkbox(name="With a psychological treatment only "),
    )
    filters = [
        SUBSTANCE_FILTER,
        "therapy_kind == 'all' || datum.kind == therapy_kind",
        "!psychological_only || datum.with_therapy",
    ]
    base = filtered(data, filters)
    # A little room above the first row and below the last, whose two lines of words would otherwise touch the axes.
    y = alt.Y("label:N", title=None, sort=list(rows["label"]), axis=row_axis(), scale=alt.Scale(padding=1))
    most = int(rows["ketamine_sessions"].max()) if rows["known"].any() else 1
    x = alt.X(
        "sessions:Q",
        title=["Ketamine sessions,", "as the sources state them"],
        scale=alt.Scale(domain=[0, most + 0.5], zero=True, nice=False),
        axis=alt.Axis(values=list(range(0, most + 1)), format="d"),
    )
    styles = {k: KIND_STYLES.get(k, ("#1A1A1A", "circle")) for k in kinds}
    color = alt.Color(
        "kind:N",
        title="Kind of therapy",
        scale=alt.Scale(domain=kinds, range=[c for c, _ in styles.values()]),
        legend=alt.Legend(columns=1, labelLimit=_LEGEND_LIMIT, labelExpr=_LEGEND_LABELS),
    )
    shape = alt.Shape(
        "kind:N",
        title="Kind of therapy",
        scale=alt.Scale(domain=kinds, range=[s for _, s in styles.values()]),
        legend=alt.Legend(columns=1, labelLimit=_LEGEND_LIMIT, labelExpr=_LEGEND_LABELS),
    )
    tooltip = [
        alt.Tooltip("study:N", title="Study"),
        alt.Tooltip("substance:N", title="Substance"),
        alt.Tooltip("design:N", title="Design"),
        alt.Tooltip("kind:N", title="Kind of therapy"),
        alt.Tooltip("therapy:N", title="Therapy as described"),
        alt.Tooltip("timing:N", title="Timing"),
        alt.Tooltip("ketamine_sessions_text:N", title="Ketamine sessions"),
        alt.Tooltip("therapy_sessions_text:N", title="Therapy sessions"),
        alt.Tooltip("setting:N", title="Setting"),
        alt.Tooltip("staff:N", title="Staff"),
        alt.Tooltip("sources:N", title="Sources"),
    ]
    known = base.transform_filter("datum.known")
    points = known.mark_point(filled=True, size=130, opacity=1).encode(y=y, x=x, color=color, shape=shape, tooltip=tooltip)
    # The timing is written beside the point: to its right in the left half of the axis, to its left in the right half,
    # so that it stays inside the chart at any width.
    half = (most + 0.5) / 2
    # Lines of whole words as wide as the room beside the point (a phone's cut "memory retrievaljust before the…").
    room = "max(90, width / 2 - 14)"
    text = dict(
        fontSize=FONT_SIZES["label"] - 1,
        color="#333333",
        limit=alt.ExprRef(room),
        text=alt.ExprRef(reflow("datum.timing_shown", f"floor({room} / {LABEL_CHAR_PX})", 2)),
    )
    right = known.transform_filter(f"datum.sessions <= {half}").mark_text(align="left", dx=10, **text)
    left = known.transform_filter(f"datum.sessions > {half}").mark_text(align="right", dx=-10, **text)
    timings = [layer.encode(y=y, x=alt.X("sessions:Q"), tooltip=tooltip) for layer in (right, left)]
    words = (
        base.transform_filter("!datum.known")
        .mark_text(
            align="left",
            fontSize=FONT_SIZES["label"] - 1,
            fontStyle="italic",
            color="#4A4A4A",
            limit=alt.ExprRef("max(120, width - 8)"),
            # "sessions not stated", then the kind of therapy and its timing on one line of whole words.
            text=alt.ExprRef(
                "split(split(datum.in_words, '\\n')[0] + '\\n' + join("
                + reflow(
                    "substring(datum.in_words, indexof(datum.in_words, '\\n') + 1)",
                    f"floor(max(120, width - 8) / {LABEL_CHAR_PX})",
                    1,
                )
                + ", ''), '\\n')"
            ),
        )
        .encode(y=y, x=alt.value(4), tooltip=tooltip)
    )
    n_known = int(rows["known"].sum())
    n_therapy = int(rows["with_therapy"].sum())
    description = (
        f"Dot chart of {len(rows)} studies, one row each, grouped by substance: for the {n_known} whose sources state it, a "
        "point marks the number of ketamine sessions, coloured and shaped by the kind of psychological treatment, with its "
        f"timing relative to the dose written beside it; the other {len(rows) - n_known} say 'sessions not stated' in words, "
        f"with their kind of therapy and timing. {n_therapy} studies combined ketamine with a psychological treatment. "
        "Inputs choose the substance, the kind of therapy and whether to show only studies with a psychological treatment"
        + (" (checked at the start)." if therapy_only else ".")
    )
    return (
        alt.layer(points, *timings, words, no_match_layer(data, *filters), title=chart_title(title), description=description)
        .add_params(substance_input, kind_input, only_input)
        .properties(**chart_size(34))
    )


def patient_groups_table(groups: pd.DataFrame, caption: str = "What the evidence says about the review's patient groups"):
    """Each finding on the patient groups the source review names: group, finding, source and where it stands.
    A group that no study tested says so in a row without a source."""
    if groups is None or groups.empty:
        raise ValueError("No patient-group findings to show: the selection is empty. Check the group you passed.")
    g = groups.reset_index(drop=True)
    table = pd.DataFrame(
        {
            "Group": g["group"],
            "Finding": g["finding"],
            "Source": g["sources"].astype("string").fillna("no study in the data"),
            "Where": g["locator"].astype("string").fillna(""),
        }
    )
    return styled(table, caption, "groups")


def regulation_table(
    regulation: pd.DataFrame, caption: str = "Approval, scheduling and off-label status, as the sources state them"
):
    """Statements on the regulation of ketamine and esketamine: topic, statement, source and where it stands."""
    if regulation is None or regulation.empty:
        raise ValueError("No regulatory statements to show: the selection is empty.")
    r = regulation.reset_index(drop=True)
    table = pd.DataFrame(
        {
            "Topic": r["topic"],
            "Statement": r["statement"],
            "Source": r["source"].astype("string").fillna(r["source_key"]),
            "Where": r["locator"],
        }
    )
    return styled(table, caption, "regulation")
