"""The safety chapter's charts and statistics: inputs, honest drawing of missing figures, clear messages."""

import json
import math

import pytest

from book import vega
from book.data import TRIAL_POPULATION, load_harms, load_safety_procedures
from book.effects import chance_of_at_least_one, rule_of_three, zero_event_upper_bound
from book.harm_charts import exclusions_chart, harms_chart, rare_events_chart

# A test of the code, not of the evidence: the loaders read the small fixture package (tests/fixtures/data).
pytestmark = pytest.mark.usefixtures("fixture_data")


def _params(spec: dict) -> set[str]:
    return {p["name"] for p in spec.get("params", []) if "bind" in p}


def _data_rows(spec: dict) -> list[dict]:
    return [row for values in spec["datasets"].values() for row in values]


def test_harms_explorer_has_its_three_inputs_and_compiles_without_warnings():
    spec = harms_chart(load_harms(population=TRIAL_POPULATION)).to_dict()
    assert _params(spec) == {"substance_choice", "source_choice", "harm_kind_choice"}
    assert vega.compile_to_vega(spec)[1] == []
    json.dumps(vega.compile_to_vega(harms_chart(load_harms()).to_dict())[0], allow_nan=False)  # missing figures: null


def test_a_harm_without_a_figure_is_drawn_in_words_never_as_zero():
    harms = load_harms(population=TRIAL_POPULATION)
    rows = _data_rows(harms_chart(harms).to_dict())
    assert len(rows) == len(harms)
    for row in rows:
        if row["reporting"] in ("not reported", "statement without figures"):
            shown = row["percent_shown"]  # Altair's dict holds NaN; the compiled Vega holds null
            assert (shown is None or math.isnan(shown)) and row["no_figure"]
            assert row["in_words"] in ("not reported", "stated without figures")
        if row["reporting"] == "not reported":
            assert row["in_words"] == "not reported"


def test_harms_explorer_messages_instead_of_a_blank_chart():
    harms = load_harms(population=TRIAL_POPULATION)
    assert harms_chart(harms.iloc[0:0]).to_dict()["mark"]["type"] == "text"
    with pytest.raises(ValueError, match="No results for substance 'heroin'"):
        harms_chart(harms, substance="heroin")


def test_rare_events_chart_is_computed_in_the_browser_from_a_slider():
    spec = rare_events_chart(start_n=55).to_dict()
    assert _params(spec) == {"study_size"}
    assert next(p for p in spec["params"] if p["name"] == "study_size")["value"] == 55
    assert vega.compile_to_vega(spec)[1] == []


def test_exclusions_chart_says_excluded_or_not_stated_in_words():
    procedures = load_safety_procedures()
    spec = exclusions_chart(procedures).to_dict()
    if procedures[procedures["aspect"] == "exclusion criterion"].empty:
        assert spec["mark"]["type"] == "text"
        return
    assert {row["status"] for row in _data_rows(spec)} <= {"excluded", "not stated"}
    assert vega.compile_to_vega(spec)[1] == []


@pytest.mark.parametrize("n", [10, 30, 55, 100, 300])
def test_zero_event_upper_bound_is_exact_and_near_the_rule_of_three(n):
    bound = zero_event_upper_bound(n)
    assert math.isclose((1 - bound) ** n, 0.05, rel_tol=1e-9)  # seeing no event has probability 5% at the bound
    if n >= 30:
        assert abs(bound - rule_of_three(n)) / rule_of_three(n) < 0.1


def test_rare_event_helpers_reject_bad_input_clearly():
    with pytest.raises(ValueError, match="n must be at least 1"):
        zero_event_upper_bound(0)
    with pytest.raises(ValueError, match="whole number of participants"):
        rule_of_three(2.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        zero_event_upper_bound(30, confidence=95)
    with pytest.raises(ValueError, match="probability between 0 and 1"):
        chance_of_at_least_one(3, 30)
    assert math.isclose(chance_of_at_least_one(0.01, 100), 1 - 0.99**100)


def test_a_long_chart_title_is_wrapped_when_compiled_so_a_phone_shows_all_of_it():
    from book.charts import chart_title

    title = chart_title("Whom the studies excluded, as their texts state").to_dict()
    assert title["text"] == ["Whom the studies excluded, as their", "texts state"]
    assert chart_title("Short title").to_dict()["text"] == "Short title"


def test_an_explorer_that_opens_on_one_kind_of_harm_says_so_in_its_text_alternative():
    """A screen reader hears what the chart first shows, not only the explorer's totals."""
    harms = load_harms(population=TRIAL_POPULATION)
    kind = str(harms["harm_kind"].iloc[0])
    opening = harms[harms["harm_kind"].astype(str) == kind]
    description = harms_chart(harms, harm_kind=kind).to_dict()["description"]
    assert f"It opens on one kind of harm, {kind}: {len(opening)} rows from {opening['source'].nunique()} sources." in description
    assert "It opens on" not in harms_chart(harms).to_dict()["description"]
