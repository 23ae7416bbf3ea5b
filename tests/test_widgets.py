"""StudyExplorer and the filtering it shares with the benchmark: state changes update .filtered and .pooled."""

import html

import pytest

from book.data import load_outcomes
from book.effects import study_effects
from book.widgets import Selection, StudyExplorer, explore, filter_effects

# A test of the code, not of the evidence: the loaders read the small fixture package (tests/fixtures/data).
pytestmark = pytest.mark.usefixtures("fixture_data")


@pytest.fixture(scope="module")
def effects():
    return study_effects(load_outcomes())


def test_explorer_updates_filtered_and_pooled_when_controls_change():
    ex = StudyExplorer()
    everything = len(ex.filtered)
    assert ex.pooled is None and "different effect measures" in ex.message
    ex.controls["measure"].value = "MD"
    assert set(ex.filtered["measure"]) == {"MD"} and len(ex.filtered) < everything
    assert ex.pooled is not None and ex.pooled.k == len(ex.filtered) and ex.pooled.measure == "MD"
    shown = html.escape(str(ex.pooled)).replace("\n", "<br>")  # escaped ("p<0.001"), a line each
    assert ex._message.value == f"<p role='status'>{shown}</p>"
    ex.controls["substances"].value = ("cocaine",)
    assert ex.filtered.empty and ex.pooled is None
    assert ex.message == "No studies match these filters."
    assert "No studies match these filters." in ex._message.value


def test_every_control_has_a_label():
    ex = StudyExplorer()
    for name, control in ex.controls.items():
        assert control.description.strip(), f"control {name} has no label"


def test_filters(effects):
    randomized_designs = ("randomized controlled trial", "randomized crossover")
    only = filter_effects(effects, Selection(designs=randomized_designs))
    assert set(only["design"].astype(str)) <= set(randomized_designs)
    big = filter_effects(effects, Selection(participants=(60, 10**6)))
    assert (big["n_participants"] >= 60).all()
    with_therapy = filter_effects(effects, Selection(psychotherapy="with psychotherapy"))
    assert not with_therapy["psychotherapy"].str.lower().str.startswith("none").any()
    without = filter_effects(effects, Selection(psychotherapy="without psychotherapy"))
    assert len(with_therapy) + len(without) == len(effects)


def test_bad_selection_gets_a_clear_message(effects):
    with pytest.raises(ValueError, match="Unknown substance"):
        filter_effects(effects, Selection(substances=("heroin",)))


def test_explore_pools_only_one_measure_with_two_or_more_results(effects):
    filtered, pooled, message = explore(effects, Selection(measure="HR"))
    assert len(filtered) == 1 and pooled is None and "Only one result" in message
