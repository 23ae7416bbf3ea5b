"""The per-session dose range the chapters state is computed from data/, and Azhari 2021's second infusion is in it."""

import pandas as pd
import pytest

from book.data import load_pharmacology, load_studies
from book.evidence.dose_ranges import dose_range, dose_range_summary, induction_range, stated_doses


def test_every_dose_a_description_states_is_counted_not_only_the_numeric_column():
    doses = stated_doses(load_studies())
    azhari = sorted(doses.loc[doses["study_id"] == "azhari2021", "dose_mg_per_kg"])
    assert azhari == [0.71, 1.41]


def test_the_highest_stated_dose_lies_inside_the_labelled_induction_range():
    lowest, highest = dose_range(load_studies())
    low, high, item = induction_range(load_pharmacology())
    assert (highest["study_id"], highest["dose_mg_per_kg"]) == ("azhari2021", 1.41)
    assert low <= highest["dose_mg_per_kg"] <= high
    assert item == "pharm-059"
    assert lowest["dose_mg_per_kg"] < highest["dose_mg_per_kg"]


def test_rates_parenthetical_asides_and_other_routes_are_not_doses():
    studies = pd.DataFrame(
        {
            "study_id": ["a", "b", "c", "d"],
            "condition": ["use disorder", "use disorder", "withdrawal", "use disorder"],
            "design": ["x"] * 4,
            "route": ["intravenous", "intravenous", "intravenous", "intramuscular"],
            "dose_description": [
                "0.5 mg/kg/h for 24 h",
                "0.71 mg/kg over 52 min (0.11 mg/kg bolus + 0.6 mg/kg)",
                "0.3 mg/kg bolus then 0.2 mg/kg/h",
                "2.0 mg/kg im",
            ],
        }
    )
    doses = stated_doses(studies)
    assert list(zip(doses["study_id"], doses["dose_mg_per_kg"])) == [("b", 0.71)]


def test_the_summary_names_the_range_and_the_study_inside_the_label_range():
    text = dose_range_summary(load_studies(), load_pharmacology())
    assert "1.41 mg/kg" in text and "azhari2021" in text and "1 to 4.5 mg/kg" in text


def test_no_dose_is_an_error_not_a_silent_range():
    empty = pd.DataFrame(columns=["study_id", "condition", "design", "route", "dose_description"])
    with pytest.raises(ValueError):
        dose_range(empty)
