"""The registered-trials chart: its inputs, and a trial without a stated size said in words, not drawn at zero."""

import math

import pytest

from book import vega
from book.data import load_registrations
from book.evidence import design_kind
from book.outlook_charts import registrations_chart

# A test of the code, not of the evidence: the loaders read the small fixture package (tests/fixtures/data).
pytestmark = pytest.mark.usefixtures("fixture_data")


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


def test_power_chart_inputs_and_trials_placed():
    from book.data import load_outcomes
    from book.outlook_charts import power_chart, trial_pairs

    spec = power_chart(load_outcomes()).to_dict()
    assert {p["name"] for p in spec["params"] if "bind" in p} == {
        "control_share",
        "target_difference",
        "alpha_level",
        "power_level",
    }
    assert vega.compile_to_vega(spec)[1] == []
    pairs = trial_pairs(load_outcomes())
    assert not pairs.empty and (pairs["difference"] > 0).all() and (pairs["n_per_arm"] > 0).all()


def test_participants_per_arm_matches_the_textbook_example_and_rejects_bad_input():
    import pytest

    from book.effects import participants_per_arm

    assert participants_per_arm(0.25, 0.5) == 58  # 50% vs 25%, 5% two-sided, 80% power
    assert participants_per_arm(0.25, 0.5, power=0.9) > 58 and participants_per_arm(0.25, 0.5, alpha=0.01) > 58
    with pytest.raises(ValueError, match="equal"):
        participants_per_arm(0.3, 0.3)
    with pytest.raises(ValueError, match="between 0 and 1"):
        participants_per_arm(25, 45)
