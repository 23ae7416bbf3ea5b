"""The safety chapter's computed sentences: reporting levels, counted harms and exclusion coverage."""

import pandas as pd

from book.data import TRIAL_POPULATION, load_harms, load_safety_procedures, load_studies
from book.views.safety_summary import (
    REPORTING_LEVELS,
    counted_harms,
    exclusion_coverage,
    exclusion_sentence,
    reporting_profile,
    reporting_summary,
)


def _harms(rows):
    cols = ["study_id", "harm_kind", "reporting", "count", "percent"]
    return pd.DataFrame(rows, columns=cols)


def _studies(ids):
    return pd.DataFrame({"study_id": ids, "first_author": [i.title() for i in ids], "year": [2020] * len(ids)})


def test_reporting_levels_take_the_most_informative_row_of_each_study():
    harms = _harms(
        [
            ("a", "sedation", "count or percentage", 1, None),
            ("a", "any adverse event", "not reported", None, None),
            ("b", "serious adverse events", "count or percentage", 0, None),
            ("c", "any adverse event", "statement without figures", None, None),
            ("d", "any adverse event", "not reported", None, None),
            ("e", "other", "count or percentage", 1, None),  # a departure without a reason: not a harm
        ]
    )
    profile = reporting_profile(harms, _studies(["a", "b", "c", "d", "e", "f"])).set_index("study_id")["reporting"]
    assert profile.to_dict() == {
        "a": REPORTING_LEVELS[0],
        "b": REPORTING_LEVELS[1],
        "c": REPORTING_LEVELS[2],
        "d": REPORTING_LEVELS[3],
        "e": REPORTING_LEVELS[1],
        "f": "no harm row",
    }
    text = reporting_summary(harms, _studies(["a", "b", "c", "d", "e", "f"]))
    assert "Of the 6 clinical studies" in text and "are A 2020." in text and "1 studies have no row" in text


def test_a_percentage_above_zero_counts_as_a_counted_harm():
    harms = _harms([("x", "dissociation and psychotomimetic effects", "count or percentage", None, 38.0)])
    assert len(counted_harms(harms)) == 1


def test_exclusion_coverage_counts_studies_not_rows():
    procedures = pd.DataFrame(
        {
            "study_id": ["a", "a", "b", "b"],
            "source": ["A 2020", "A 2020", "B 2021", "B 2021"],
            "aspect": ["exclusion criterion"] * 3 + ["monitoring"],
            "item": ["psychosis", "psychosis", "pregnancy or breastfeeding", "vital signs"],
        }
    )
    cov = exclusion_coverage(procedures, _studies(["a", "b", "c"])).set_index("item")
    assert cov.loc["psychosis", "studies"] == 1 and cov.loc["psychosis", "of_studies_with_criteria"] == 2
    assert cov.loc["psychosis", "of_all_studies"] == 3
    sentence = exclusion_sentence(procedures, _studies(["a", "b", "c"]), ["psychosis", "bipolar disorder"])
    assert "2 of the 3 clinical studies" in sentence and "psychosis: 1 (A 2020)" in sentence
    assert "bipolar disorder: none" in sentence


def test_every_clinical_study_has_its_harms_accounted_for():
    """Issue 21.2: each study carries at least one harm row (a count, a statement, or 'not reported')."""
    profile = reporting_profile(load_harms(population=TRIAL_POPULATION), load_studies())
    missing = profile.loc[profile["reporting"] == "no harm row", "study_id"].tolist()
    assert missing == [], f"studies with no row in data/harms.csv: {missing}"


def test_exclusion_sentence_on_the_data_matches_the_grid():
    procedures, studies = load_safety_procedures(), load_studies()
    cov = exclusion_coverage(procedures, studies)
    excl = procedures[procedures["aspect"] == "exclusion criterion"]
    assert cov["of_studies_with_criteria"].iloc[0] == excl["study_id"].nunique()
    assert (cov["studies"] <= cov["of_studies_with_criteria"]).all()


def test_a_study_without_a_year_gets_a_label_not_a_missing_value():
    """load_harms labels a study with the one study label (evidence.labels): no workaround needed in the chapter."""
    from book.views.safety_summary import with_study_labels

    harms = load_harms(population=TRIAL_POPULATION)
    assert harms["source"].notna().all()
    assert "Havrylov (undated)" in set(harms["source"])
    assert with_study_labels(harms)["source"].tolist() == harms["source"].tolist()


def test_the_safety_chapters_first_chart_opens_on_adverse_events_as_a_whole():
    """The chapter's first chart starts at 'any adverse event' (one row per study's statement, 26 rows in place of 62:
    on a phone it is about half as tall, so its inputs are nearer its top). Its text says some studies report only
    particular harms (serious adverse events, withdrawal for adverse events, blood pressure), which appear only when
    another kind is chosen: true of the data, or the sentence must change."""
    import json

    from book.paths import ROOT

    notebook = json.loads((ROOT / "chapters" / "safety.ipynb").read_text(encoding="utf-8"))
    sources = ["".join(cell["source"]) for cell in notebook["cells"]]
    assert any('harms_chart(trial_harms, harm_kind="any adverse event"' in s for s in sources)
    assert any("The chart below opens on adverse events as a whole" in s for s in sources)

    harms = load_harms(population=TRIAL_POPULATION)
    kinds = harms["harm_kind"].astype(str)
    whole = set(harms.loc[kinds == "any adverse event", "source"])
    # "one row for what each study says about them": one row per study in the opening view
    assert harms.loc[kinds == "any adverse event", "source"].value_counts().max() == 1
    only_particular = harms[~harms["source"].isin(whole)]
    for kind in ("serious adverse events", "withdrawal for adverse events", "blood pressure and heart rate"):
        assert (only_particular["harm_kind"].astype(str) == kind).any(), kind
