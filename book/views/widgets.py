"""``StudyExplorer``: filter the studies and compare their effects in JupyterLab (ipywidgets).

The explorer runs Python on every change, so it needs a live kernel; the static site uses the
charts in :mod:`book.charts`, whose inputs work in the browser without one. The filtering and pooling
logic lives in :func:`filter_effects` and :func:`explore`, which the explorer, the benchmark and the
tests share.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from ..evidence.effects import Pooled, pool, study_effects
from ..evidence.loaders import has_psychotherapy, load_outcomes
from ..evidence.schema import DESIGNS, SUBSTANCES

__all__ = ["Selection", "filter_effects", "explore", "update", "display_chart", "StudyExplorer"]

PSYCHOTHERAPY = ("any", "with psychotherapy", "without psychotherapy")


@dataclass(frozen=True)
class Selection:
    """What the learner chose. Empty tuples mean 'all'."""

    substances: tuple[str, ...] = ()
    designs: tuple[str, ...] = ()
    years: tuple[int, int] = (1900, 2100)
    participants: tuple[int, int] = (0, 10**9)
    psychotherapy: str = "any"
    domain: str = "all"
    measure: str | None = None


def filter_effects(effects: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """The effects that match ``selection`` (substance, design, year, participants, psychotherapy, outcome, measure)."""
    unknown = set(selection.substances) - set(SUBSTANCES)
    if unknown:
        raise ValueError(f"Unknown substance(s) {sorted(unknown)}. Choose from: {', '.join(SUBSTANCES)}.")
    unknown = set(selection.designs) - set(DESIGNS)
    if unknown:
        raise ValueError(f"Unknown design(s) {sorted(unknown)}. Choose from: {', '.join(DESIGNS)}.")
    if selection.psychotherapy not in PSYCHOTHERAPY:
        raise ValueError(f"psychotherapy must be one of {PSYCHOTHERAPY}, not {selection.psychotherapy!r}.")
    keep = pd.Series(True, index=effects.index)
    if selection.substances:
        keep &= effects["substance"].astype(str).isin(selection.substances)
    if selection.designs:
        keep &= effects["design"].astype(str).isin(selection.designs)
    keep &= effects["year"].between(*selection.years).fillna(False)
    n = effects["n_participants"]
    keep &= (n.isna() & (selection.participants[0] == 0)) | n.between(*selection.participants).fillna(False)
    therapy = has_psychotherapy(effects["psychotherapy"])
    if selection.psychotherapy == "with psychotherapy":
        keep &= therapy
    elif selection.psychotherapy == "without psychotherapy":
        keep &= ~therapy
    if selection.domain != "all":
        keep &= effects["domain"] == selection.domain
    if selection.measure:
        keep &= effects["measure"] == selection.measure
    return effects[keep.astype(bool)].reset_index(drop=True)


def explore(effects: pd.DataFrame, selection: Selection) -> tuple[pd.DataFrame, Pooled | None, str]:
    """Filter, then pool when it makes sense. Returns (filtered, pooled or None, a message for the learner)."""
    filtered = filter_effects(effects, selection)
    if filtered.empty:
        return filtered, None, "No studies match these filters."
    measures = sorted(filtered["measure"].unique())
    if len(measures) > 1:
        return (
            filtered,
            None,
            (f"These results use different effect measures ({', '.join(measures)}); choose one measure to pool."),
        )
    if len(filtered) < 2:
        return filtered, None, "Only one result matches: nothing to pool."
    pooled = pool(filtered["yi"], filtered["vi"], method="DL", measure=measures[0])
    return filtered, pooled, str(pooled)


def update(effects: pd.DataFrame, selection: Selection):
    """Everything the explorer recomputes on a change: (filtered, pooled, message, chart spec, table HTML)."""
    from .forest import forest_spec
    from .tables import effect_rows

    filtered, pooled, message = explore(effects, selection)
    substance = filtered["substance"].astype(str).iloc[0] if len(filtered) and filtered["substance"].nunique() == 1 else None
    spec = forest_spec(filtered, substance=substance, options_from=effects)
    table = (
        effect_rows(filtered)
        .to_html(index=False, border=0, classes="dataframe book-table", escape=True)
        .replace("<table ", '<table tabindex="0" ', 1)
        if len(filtered)
        else ""
    )
    return filtered, pooled, message, spec, table


def display_chart(spec: dict) -> None:
    """Display a Vega-Lite spec as the book's charts are displayed (compiled Vega, see :mod:`book.vega`):
    drawn by JupyterLab's own Vega renderer, with no internet, and without a second validation by Altair."""
    from IPython.display import display

    from .vega import vega_bundle

    bundle, metadata = vega_bundle(spec)
    display(bundle, metadata=metadata, raw=True)


class StudyExplorer:
    """An ipywidgets explorer: choose studies, see the table, the forest chart and the pooled estimate.

    Every control has a visible label and works from the keyboard (Tab, arrows, space). Read
    ``.filtered`` (DataFrame) and ``.pooled`` (:class:`book.effects.Pooled` or None) from code;
    both update on every change, as does ``.message``. Set a control's ``value`` to change it
    programmatically, e.g. ``explorer.controls["measure"].value = "OR"``.
    """

    def __init__(self, outcomes: pd.DataFrame | None = None, substances: tuple[str, ...] = ()):
        import ipywidgets as w

        self.effects = study_effects(load_outcomes() if outcomes is None else outcomes)
        eff = self.effects
        years = (int(eff["year"].min()), int(eff["year"].max())) if len(eff) else (1990, 2025)
        top_n = int(eff["n_participants"].max(skipna=True)) if eff["n_participants"].notna().any() else 100
        style = {"description_width": "initial"}
        layout = w.Layout(width="auto")
        present = [s for s in SUBSTANCES if s in set(eff["substance"].astype(str))]
        self.controls = {
            "substances": w.SelectMultiple(
                options=present,
                value=tuple(s for s in substances if s in present),
                description="Substance (none selected = all)",
                rows=len(present) or 1,
                style=style,
                layout=layout,
            ),
            "designs": w.SelectMultiple(
                options=[d for d in DESIGNS if d in set(eff["design"].astype(str))],
                description="Design (none selected = all)",
                rows=4,
                style=style,
                layout=layout,
            ),
            "years": w.IntRangeSlider(value=years, min=years[0], max=years[1], description="Years published", style=style),
            "participants": w.IntRangeSlider(value=(0, top_n), min=0, max=top_n, description="Participants", style=style),
            "psychotherapy": w.Dropdown(options=PSYCHOTHERAPY, value="any", description="Psychotherapy", style=style),
            "domain": w.Dropdown(
                options=["all", *sorted(eff["domain"].dropna().unique())], value="all", description="Kind of outcome", style=style
            ),
            "measure": w.Dropdown(
                options=[("all (no pooling)", None), *[(m, m) for m in sorted(eff["measure"].unique())]],
                value=None,
                description="Effect measure",
                style=style,
            ),
        }
        self._table = w.HTML()
        self._chart = w.Output()
        self._message = w.HTML()
        for control in self.controls.values():
            control.observe(self._update, names="value")
        self.widget = w.VBox(
            [
                w.HTML("<strong>Explore the studies</strong> (needs a running kernel)"),
                w.HBox([self.controls["substances"], self.controls["designs"]]),
                *[self.controls[k] for k in ("years", "participants", "psychotherapy", "domain", "measure")],
                self._message,
                self._chart,
                self._table,
            ]
        )
        self.filtered: pd.DataFrame = eff
        self.pooled: Pooled | None = None
        self.message = ""
        self.spec: dict = {}
        self._update()

    @property
    def selection(self) -> Selection:
        c = self.controls
        return Selection(
            tuple(c["substances"].value),
            tuple(c["designs"].value),
            tuple(c["years"].value),
            tuple(c["participants"].value),
            c["psychotherapy"].value,
            c["domain"].value,
            c["measure"].value,
        )

    def _update(self, change=None) -> None:
        self.filtered, self.pooled, self.message, self.spec, table = update(self.effects, self.selection)
        shown = html.escape(self.message).replace("\n", "<br>")  # "p<0.001", "<0.01 to >1000"; a pooled result's lines
        self._message.value = f"<p role='status'>{shown}</p>"
        self._table.value = table
        self._chart.clear_output(wait=True)
        with self._chart:
            display_chart(self.spec)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
