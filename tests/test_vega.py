"""Charts as compiled Vega (book/vega.py): one MIME bundle that JupyterLab and the site both draw."""

import json

import altair as alt
import pandas as pd
import pytest
from chart_helpers import drawn_texts

import book.charts  # noqa: F401  (enables the book's renderer)
from book.data import load_outcomes, load_studies
from book.effects import study_effects
from book.vega import VEGA_MIME, VEGALITE_VERSION, ChartCompileError, compile_to_vega, vega_bundle

# A test of the code, not of the evidence: the loaders read the small fixture package (tests/fixtures/data).
pytestmark = pytest.mark.usefixtures("fixture_data")


def test_charts_display_as_compiled_vega_with_their_description():
    chart = alt.Chart(pd.DataFrame({"x": [1, 2]}), description="two points on a line").mark_point().encode(x="x:Q")
    bundle, metadata = chart._repr_mimebundle_()
    assert set(bundle) == {VEGA_MIME, "text/plain"}
    assert bundle[VEGA_MIME]["$schema"].startswith("https://vega.github.io/schema/vega/v")
    assert bundle["text/plain"] == "Chart: two points on a line"
    assert metadata[VEGA_MIME]["embed_options"] == {"renderer": "svg", "actions": False}
    assert VEGALITE_VERSION == ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def test_vega_lite_warnings_are_captured_not_lost():
    spec = alt.Chart(pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})).mark_point().encode(x="a:Q", y="a:Q", xOffset="b:N").to_dict()
    _, warnings = compile_to_vega(spec)
    assert warnings == ["xOffset dropped because x is continuous"]
    _, metadata = vega_bundle(spec)
    assert metadata[VEGA_MIME]["kap_warnings"] == warnings


def test_a_spec_that_cannot_compile_gets_a_clear_error():
    with pytest.raises(ChartCompileError, match="could not be compiled"):
        compile_to_vega({"mark": "nonsense", "data": {"values": []}})


@pytest.mark.parametrize(
    "make",
    [
        lambda: book.charts.arm_comparison_chart(load_outcomes(), substance="cocaine"),
        lambda: book.charts.reported_effects_chart(load_outcomes(), substance="cocaine"),
        lambda: book.charts.forest_chart(study_effects(load_outcomes())),
        lambda: book.charts.dosing_chart(load_studies()),
        lambda: book.charts.message_chart("No studies match these filters"),
    ],
    ids=["arms", "reported-effects", "forest", "dosing", "message"],
)
def test_every_chart_kind_compiles_without_warnings_and_keeps_its_inputs(make):
    chart = make()
    spec = chart.to_dict()
    vega, warnings = compile_to_vega(spec)
    assert warnings == []
    bound = {p["name"] for p in spec.get("params", []) if "bind" in p}
    assert bound <= {s["name"] for s in vega.get("signals", []) if "bind" in s}
    assert vega["autosize"] == {"type": "fit-x", "contains": "padding"}  # a fixed total width (fit-x) ...


def test_on_the_site_a_chart_fills_its_container_exactly_as_vega_lite_would_compile_it():
    from book.vega import fill_container

    chart = book.charts.arm_comparison_chart(load_outcomes(), substance="cocaine")
    fixed, _ = compile_to_vega(chart.to_dict())
    spec = chart.to_dict()
    spec["width"] = "container"
    container, _ = compile_to_vega(spec)
    filled = fill_container(fixed)
    width = {s["name"]: s for s in filled["signals"]}["width"]
    assert width["init"] == f"isFinite(containerSize()[0]) ? containerSize()[0] : {fixed['width']:g}"
    expected = {s["name"]: s for s in container["signals"]}["width"]
    assert width["on"] == [{"update": width["init"], "events": "window:resize"}]
    assert width["init"].replace(f"{fixed['width']:g}", "300") == expected["init"]
    assert {k: v for k, v in filled.items() if k != "signals"} == {k: v for k, v in container.items() if k != "signals"}
    assert fill_container(filled) == filled and fill_container({"width": 5}) == {"width": 5}


def test_row_labels_wrap_onto_two_lines_and_keep_the_full_text_elsewhere():
    from book.charts import ROW_LABEL_CHARS, wrap_label

    label = wrap_label("Dakwar 2019: abstinence during the last two weeks of the trial, and more words than fit")
    lines = label.split("\n")
    assert len(lines) == 2 and lines[0].startswith("Dakwar 2019") and lines[-1].endswith("…")
    assert all(len(line) <= ROW_LABEL_CHARS for line in lines)
    assert wrap_label("Pizon 2018: intubation") == "Pizon 2018: intubation"


def test_row_labels_are_wrapped_again_for_the_room_they_are_drawn_in():
    """A label wrapped for a desktop chart is wrapped afresh where it is drawn (a phone's chart has room for about 20
    characters a line): whole words on each line, at most the chart's lines, and "…" only after a whole word; with
    keep_end, the label's end stays and the middle goes. (Vega's own limit cut every line mid-word:
    "Spravato US brief summ…", "(esketamine): diastolic ri…".)"""
    from book.charts import reflow, wrap_label

    long = wrap_label("Spravato US brief summary 2021 (esketamine): diastolic rise ≥25 mmHg", 32, 3)
    frame = pd.DataFrame({"label": [long, "Short one"], "v": [1, 2]})

    def drawn(chars: int, lines: int, keep_end: bool = False) -> dict[str, list[str]]:
        axis = alt.Axis(labelExpr=reflow("datum.label", str(chars), lines, keep_end), labelLimit=400)
        labels = drawn_texts(
            alt.Chart(frame).mark_point().encode(x=alt.X("v:Q", axis=None), y=alt.Y("label:N", axis=axis)).to_dict(), "axis-label"
        )
        return {" ".join(lines_).split(" ")[0]: lines_ for lines_ in labels}

    assert drawn(20, 2) == {"Spravato": ["Spravato US brief", "summary 2021…"], "Short": ["Short one"]}
    assert drawn(20, 3, keep_end=True)["Spravato"] == ["Spravato US brief", "summary 2021…", "…rise ≥25 mmHg"]
    assert drawn(34, 3)["Spravato"] == ["Spravato US brief summary 2021", "(esketamine): diastolic rise ≥25", "mmHg"]
    # A line that textwrap broke after a hyphen joins the next again, without a space.
    hyphen = pd.DataFrame({"label": ["SAFE-01: While generally well-\ntolerated", "x"], "v": [1, 2]})
    axis = alt.Axis(labelExpr=reflow("datum.label", "40", 2), labelLimit=400)
    chart = alt.Chart(hyphen).mark_point().encode(x=alt.X("v:Q", axis=None), y=alt.Y("label:N", axis=axis))
    assert ["SAFE-01: While generally well-tolerated"] in drawn_texts(chart.to_dict(), "axis-label")
    # A missing text draws as nothing, not as "null".
    notes = alt.Chart(pd.DataFrame({"note": [None, "two words"], "v": [1, 2]})).mark_text(
        text=alt.ExprRef(reflow("datum.note", "20", 2))
    )
    assert drawn_texts(notes.encode(y="v:Q").to_dict(), "mark") == [[], ["two words"]]


def test_a_chart_measures_its_container_once_not_in_every_label():
    """Row labels, legends and notes fit themselves to the chart's width through one signal, measured when the chart
    starts (and, on the site, when the window is resized), not by expressions that each measure the container."""
    from book.vega import CONTAINER_WIDTH, fill_container

    vega, _ = compile_to_vega(book.charts.forest_chart(study_effects(load_outcomes())).to_dict())
    first, *others = vega["signals"]
    measure = f"isFinite(containerSize()[0]) && containerSize()[0] > 0 ? containerSize()[0] : {vega['width']:g}"
    assert first == {"name": CONTAINER_WIDTH, "init": measure}  # no resize handler in what JupyterLab draws
    assert "containerSize" not in json.dumps({**vega, "signals": others})
    assert CONTAINER_WIDTH in json.dumps(vega["axes"]) and CONTAINER_WIDTH in json.dumps(vega["config"]["legend"])
    on_site = {s["name"]: s for s in fill_container(vega)["signals"]}[CONTAINER_WIDTH]
    assert on_site["on"] == [{"update": measure, "events": "window:resize"}]
    with alt.theme.enable("default"):  # a chart whose expressions do not use the width has no such signal
        plain, _ = compile_to_vega(alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict())
    assert CONTAINER_WIDTH not in json.dumps(plain)
    clash = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").add_params(alt.param(name=CONTAINER_WIDTH, value=1))
    with pytest.raises(ChartCompileError, match="may not be named"):
        compile_to_vega(clash.to_dict())
