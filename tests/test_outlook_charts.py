"""The registered-trials chart: its inputs, and a trial without a stated size said in words, not drawn at zero."""

import math

from book import vega
from book.data import load_registrations
from book.outlook_charts import design_kind, registrations_chart


def test_registrations_chart_has_its_inputs_and_compiles_without_warnings():
    spec = registrations_chart(load_registrations()).to_dict()
    assert {p["name"] for p in spec["params"] if "bind" in p} == {"registered_substance", "registered_status"}
    assert vega.compile_to_vega(spec)[1] == []


def test_a_trial_without_a_stated_size_is_said_in_words():
    registrations = load_registrations()
    spec = registrations_chart(registrations).to_dict()
    rows = [row for values in spec["datasets"].values() for row in values]
    unsized = [row for row in rows if row["no_number"]]
    assert len(unsized) == registrations["planned_participants"].isna().sum()
    for row in unsized:
        assert row["planned"] is None or math.isnan(row["planned"])
        assert row["words"] == "size not in the record read"


def test_design_kind_reads_the_registry_text_and_empty_selection_is_a_message():
    assert design_kind("Randomised double-blind placebo-controlled trial") == "randomized"
    assert design_kind("Open-label single-arm pilot") == "single group or other"
    assert registrations_chart(load_registrations().iloc[0:0]).to_dict()["mark"]["type"] == "text"
