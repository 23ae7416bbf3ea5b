"""Unit tests of book.charts: the specs carry named bound inputs, filters, a text alternative and an empty-state message."""

import json

import pytest

from book.charts import NO_MATCH, SUBSTANCE_COLORS, arm_comparison_chart, reported_effects_chart
from book.data import load_outcomes

# A test of the code, not of the evidence: the loaders read the small fixture package (tests/fixtures/data).
pytestmark = pytest.mark.usefixtures("fixture_data")


@pytest.fixture(scope="module")
def outcomes():
    return load_outcomes()


@pytest.mark.parametrize(
    "make, params",
    [
        (arm_comparison_chart, {"substance_choice", "outcome_domain"}),
        (reported_effects_chart, {"substance_choice", "effect_measure"}),
    ],
)
def test_chart_spec_has_bound_inputs_filters_description_and_empty_message(outcomes, make, params):
    spec = make(outcomes, substance="cocaine").to_dict()
    bound = {p["name"] for p in spec["params"] if "bind" in p}
    assert params <= bound
    assert next(p for p in spec["params"] if p["name"] == "substance_choice")["value"] == "cocaine"
    text = json.dumps(spec)
    assert "datum.substance == substance_choice" in text
    assert NO_MATCH in text
    assert len(spec["description"]) > 80


def test_substance_colours_are_fixed_for_every_chart(outcomes):
    spec = json.dumps(reported_effects_chart(outcomes).to_dict())
    assert json.dumps(list(SUBSTANCE_COLORS.values())) in spec


def test_unknown_substance_gets_a_clear_message(outcomes):
    with pytest.raises(ValueError, match="No results for substance 'heroin'"):
        arm_comparison_chart(outcomes, substance="heroin")


def test_nothing_to_draw_gives_a_message_chart_not_a_blank(outcomes):
    spec = arm_comparison_chart(outcomes.iloc[0:0]).to_dict()
    assert "No arm-level percentages" in json.dumps(spec)


def test_forest_chart_binds_its_inputs_and_filters_on_them(outcomes):
    from book.charts import forest_chart
    from book.effects import study_effects

    spec = forest_chart(study_effects(outcomes)).to_dict()
    params = {p["name"]: p for p in spec["params"]}
    assert {"substance_choice", "randomized_only", "effect_measure", "min_n"} <= set(params)
    assert params["randomized_only"]["bind"]["input"] == "checkbox"
    assert params["min_n"]["bind"]["input"] == "range"
    text = json.dumps(spec)
    for expression in ("!randomized_only || datum.randomized", "datum.measure == effect_measure", "(datum.n || 0) >= min_n"):
        assert expression in text
    assert "datum.k >= 2" in text  # no pooled diamond with fewer than two results
    assert "approximate" in text


def test_forest_spec_reuses_the_template_and_matches_the_chart(outcomes):
    from book.charts import forest_chart, forest_spec
    from book.effects import study_effects

    effects = study_effects(outcomes)
    assert json.dumps(forest_spec(effects), sort_keys=True) == json.dumps(forest_chart(effects).to_dict(), sort_keys=True)
    subset = effects[effects["measure"] == "MD"]
    spec = forest_spec(subset, options_from=effects)
    rows = next(v for v in spec["datasets"].values() if v and "label" in v[0])
    assert len(rows) == len(subset)
    assert next(p for p in spec["params"] if p["name"] == "effect_measure")["value"] == "MD"
    assert str(len(subset)) in spec["description"]


def test_dosing_chart_draws_only_reported_doses_and_binds_its_inputs():
    from book.charts import dosing_chart
    from book.data import load_studies

    studies = load_studies()
    spec = dosing_chart(studies).to_dict()
    rows = next(v for v in spec["datasets"].values() if v and "study" in v[0])
    assert len(rows) == studies["ketamine_dose_mg_per_kg"].notna().sum()
    assert {"substance_choice", "therapy_only"} <= {p["name"] for p in spec["params"]}
    assert NO_MATCH in json.dumps(spec)


def test_a_covered_substance_without_such_results_gets_a_message_chart(outcomes):
    """Opioid studies report no ratio with a confidence interval: the chart says so instead of failing."""
    from book.charts import reported_effects_chart

    spec = json.dumps(reported_effects_chart(outcomes, substance="opioids").to_dict())
    assert "The data hold no ratio effects with 95% confidence intervals for opioids" in spec


def test_no_chart_writes_nan_into_its_data(outcomes):
    """A missing value must reach the browser as JSON null: NaN is not JSON, and the chart would not draw.
    Altair's own JSON may hold NaN for a missing number; what the book outputs is the compiled Vega (book.vega)."""
    from book import vega
    from book.charts import arm_comparison_chart, dosing_chart, forest_chart, reported_effects_chart, study_overview_chart
    from book.data import load_studies
    from book.effects import study_effects

    for chart in (
        arm_comparison_chart(outcomes),
        reported_effects_chart(outcomes),
        forest_chart(study_effects(outcomes)),
        dosing_chart(load_studies()),
        study_overview_chart(load_studies()),
    ):
        compiled, _ = vega.compile_to_vega(chart.to_dict())
        json.dumps(compiled, allow_nan=False)  # raises ValueError on NaN


def test_study_overview_draws_every_study_and_says_when_a_size_is_unknown():
    from book.charts import study_overview_chart
    from book.data import load_studies

    studies = load_studies()
    spec = study_overview_chart(studies).to_dict()
    (rows,) = spec["datasets"].values()
    assert len(rows) == len(studies)
    unknown = [r for r in rows if not r["n_known"]]
    assert len(unknown) == studies["n_participants"].isna().sum()
    assert all(r["n_text"] == "number not found in the text read" for r in unknown)
    names = {p["name"] for p in spec["params"]}
    assert {"substance_choice", "randomized_choice"} <= names
    assert "every clinical study" in spec["description"].lower() or f"all {len(studies)}" in spec["description"]
    assert NO_MATCH in json.dumps(spec)
