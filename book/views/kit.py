"""The views' kit: the book's chart theme, sizes, colours, shared parameters and helpers, and styled tables.

Altair charts stay interactive on the static site: interactivity is Vega-Lite parameters bound to HTML inputs
(``alt.param(bind=...)``), so a chart's selectors work in the browser with no Python kernel behind them. Every chart:

* renders as SVG (marks carry ARIA labels; a chart's ``description`` is its accessible label);
* uses the Okabe-Ito colour-blind-safe palette, with one fixed colour per substance everywhere;
* names its parameters explicitly, so specs are stable across runs and testable.

Everything a topic module (``views.evidence``, ``views.safety``...) may use is in ``__all__``.
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd
from pandas.io.formats.style import Styler

from ..evidence.labels import study_labels
from . import vega

__all__ = [
    "SUBSTANCE_COLORS",
    "ARM_COLORS",
    "FONT_SIZES",
    "ROW_LABEL_CHARS",
    "LABEL_CHAR_PX",
    "ROW_LABEL_ROOM",
    "reflow",
    "CONTAINER_WIDTH",
    "NO_MATCH",
    "SUBSTANCE_FILTER",
    "NoResultsForSubstance",
    "chart_size",
    "chart_title",
    "wrap_label",
    "wrapped",
    "row_axis",
    "json_ready",
    "message_chart",
    "result_label",
    "substance_param",
    "choice_param",
    "filtered",
    "no_match_layer",
    "styled",
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
_WIDTH = vega.CHART_WIDTH


def chart_size(step: int | None = None, height: int | None = None) -> dict:
    """Chart size: :data:`_WIDTH` in all (on the site, its container's width); ``step`` pixels a row, or a fixed ``height``."""
    return {
        "width": _WIDTH,
        "height": alt.Step(step) if step else height,
        "autosize": alt.AutoSizeParams(type="fit-x", contains="padding"),
    }


#: The width the chart is drawn in, for Vega expressions: the name of a signal holding its container's width, else the
#: chart's own (:data:`_WIDTH`), which :func:`book.views.vega.compile_to_vega` defines, measured once rather than in
#: every label (:data:`book.views.vega.CONTAINER_WIDTH`). Limits on text (row labels, legend labels, annotations) are
#: set from it rather than from the ``width`` signal: ``width`` is the plot's width, which Vega fits *after* laying out
#: the labels, so a limit set from it was one layout behind and labels grown under the new limit ran past the chart's
#: left edge after an input changed (tests/test_chart_text.py).
CONTAINER_WIDTH = vega.CONTAINER_WIDTH


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
                # Four entries a row where there is room, two on a phone (four ran past a 390 px chart's right edge).
                "columns": {"expr": f"{CONTAINER_WIDTH} < 560 ? 2 : 4"},
                "labelLimit": {"expr": f"clamp({CONTAINER_WIDTH} * 0.4, 120, 260)"},
                # Several legends stack under the chart, each on its own rows, so they fit a narrow chart.
                "layout": {"bottom": {"anchor": "start", "direction": "vertical", "margin": 8}},
            },
            "title": {"fontSize": FONT_SIZES["chart_title"], "color": "#111111", "anchor": "start"},
            "text": {"fontSize": label},
        }
    }


#: The room a row label has, in px (a Vega expression): 40% of the chart's drawn width, kept between 130 and 240 px.
ROW_LABEL_ROOM = f"clamp({CONTAINER_WIDTH} * 0.4, 130, 240)"
#: Row labels are written onto at most two lines of about this many characters (the full text is in the tooltip and the
#: table); the chart wraps them again for the room it has (:func:`reflow`).
ROW_LABEL_CHARS = 26
#: The width a character of a 12 px label is given when a label is wrapped for its room, in px. Measured on the built
#: site at 390 px (the tests' Chromium, DejaVu Sans), over 219 lines of row labels: median 5.7 px a character, 90th
#: centile 6.5, widest 7.1 (a trial's registry number); at 7, a line of words fits its limit (tests/test_chart_text.py).
LABEL_CHAR_PX = 7


def reflow(text: str, chars: str, lines: int, keep_end: bool = False) -> str:
    """A Vega expression drawing ``text`` (an expression: a label whose lines are joined by "\\n") wrapped afresh at
    word boundaries onto lines of at most ``chars`` characters (an expression, so it can follow the chart's width),
    at most ``lines`` of them, the last ending in "…" where words were left out. With ``keep_end``, what is left out
    is the middle instead: the last line is the label's end, after "…" ("Spravato US brief…", "…diastolic rise
    ≥25 mmHg"), for labels whose end tells their rows apart.

    Vega cuts a line that is longer than its limit wherever the limit falls ("Spravato US brief summ…"), so a label
    wrapped once for a desktop chart lost the end of every line on a phone's; wrapped again for the width it is
    drawn at, it loses only what does not fit in its lines, and only at a word's end. A single word longer than
    ``chars`` stays whole on its line (Vega's limit still cuts it if it is wider than the label's room)."""
    # A missing text (null in the chart's data) draws as nothing, as a text field does, not as "null".
    text = f"(isValid({text}) ? {text} : '')"
    # A line that ended in a hyphen (textwrap breaks "well-tolerated" there) joins the next without a space.
    flat = f"replace(replace({text}, regexp('-\\n', 'g'), '-'), regexp('\\n', 'g'), ' ')"
    split_lines = f"split(replace({flat} + ' ', regexp('(.{{1,' + ({chars}) + '}})\\\\s+', 'g'), '$1\\n'), '\\n')"
    too_many = f"length({split_lines}) - 1 > {lines}"
    fits = f"slice({split_lines}, 0, length({split_lines}) - 1)"
    if keep_end and lines > 1:
        head = f"join(slice({split_lines}, 0, {lines - 1}), '\\n')"
        rest = f"substring({flat}, length(join(slice({split_lines}, 0, {lines - 1}), ' ')) + 1)"
        tail = f"replace({rest}, regexp('^(?:.*?\\\\s)??(.{{1,' + ({chars}) + '}})$'), '$1')"
        return f"{too_many} ? split({head} + '\u2026\\n\u2026' + {tail}, '\\n') : {fits}"
    return f"{too_many} ? split(join(slice({split_lines}, 0, {lines}), '\\n') + '\u2026', '\\n') : {fits}"


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


def row_axis(lines: int = 2, keep_end: bool = False) -> alt.Axis:
    """The y axis of a chart with one row per result: labels limited to a share of the chart's width, wrapped onto
    at most ``lines`` lines as wide as that share allows (:func:`reflow`, with ``keep_end``); the chart's row step must
    hold them."""
    limit = ROW_LABEL_ROOM
    return alt.Axis(
        labelExpr=reflow("datum.label", f"floor({limit} / {LABEL_CHAR_PX})", lines, keep_end),
        labelLimit=alt.ExprRef(limit),
        # The labels' column keeps one width whatever rows the inputs leave: when it grew after an input changed, Vega
        # widened the chart's left side in one pass and placed the labels in the next, and they ran past its left edge.
        minExtent=alt.ExprRef(f"{limit} + 8"),
        maxExtent=alt.ExprRef(f"{limit} + 8"),
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


def result_label(frame: pd.DataFrame) -> pd.Series:
    """'Dakwar 2019: abstinence during last 2 weeks of trial', the row label of a result."""
    return pd.Series(study_labels(frame), index=frame.index) + ": " + frame["outcome"].astype(str)


def wrapped(labels: pd.Series) -> pd.Series:
    return labels.map(wrap_label)


class NoResultsForSubstance(ValueError):
    """A substance the book covers has no results of the kind a chart draws (the chart then says so)."""


def substance_param(rows: pd.DataFrame, substance: str | None, kind: str = "results of this kind") -> alt.Parameter:
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


SUBSTANCE_FILTER = "substance_choice == 'all' || datum.substance == substance_choice"
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
        # 12 px on a phone's narrow plot, where the 15 px message ran past the chart's right edge.
        .mark_text(
            fontSize=alt.ExprRef("width < 280 ? 12 : 15"), fontWeight="bold", color="#B00020", align="left", baseline="bottom"
        )
        .encode(text=alt.value(NO_MATCH), x=alt.value(0), y=alt.value(-8))
    )


#: How many tables of each kind this kernel has drawn (a page is one kernel run, top to bottom).
_DRAWN: dict[str, int] = {}


def styled(frame: pd.DataFrame, caption: str, uid: str):
    """``frame`` as a table for readers: a caption, no row index, and element ids unique on the page.

    ``uid`` names the table's kind ("studies", "harms"); the first table of a kind keeps it, a second one on the same
    page gets ``<uid>-2`` and so on, so that two tables of one kind never share an HTML id while a page's ids stay the
    same from one fresh run to the next.
    """
    count = _DRAWN[uid] = _DRAWN.get(uid, 0) + 1
    # cell_ids=False: no id on every cell (nothing styles or links a single cell), which was about a quarter of a long
    # table's bytes on the site.
    styler = Styler(frame, cell_ids=False).hide(axis="index").set_caption(caption)
    styler = styler.set_uuid(uid if count == 1 else f"{uid}-{count}")
    # tabindex: a wide table scrolls sideways, and a scrollable region must be reachable from the keyboard.
    return styler.set_table_attributes('class="dataframe book-table" tabindex="0"')
