"""The clinical-practice chapter's protocol summary, table and chart: one row per study, unknown numbers said in words
(never a zero), bound inputs, a text description, the no-match message, valid JSON, and clear messages for bad input."""

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from book import vega
from book.charts import NO_MATCH
from book.data import data_dir, load_patient_groups, load_protocols, load_regulation
from book.protocol_charts import (
    NONE_REPORTED,
    NOT_STATED,
    patient_groups_table,
    protocol_chart,
    protocol_summary,
    protocol_table,
    regulation_table,
)

# A test of the code, not of the evidence: the loaders read the small fixture package (tests/fixtures/data).
pytestmark = pytest.mark.usefixtures("fixture_data")

#: The real data, for the test of the chapter's answers (which are about the evidence itself).
DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def protocols():
    return load_protocols()


def _rows(spec: dict) -> list[dict]:
    return [row for values in spec["datasets"].values() for row in values]


def test_the_summary_has_one_row_per_study(protocols):
    summary = protocol_summary(protocols)
    assert len(summary) == protocols["study_id"].nunique() == summary["study_id"].nunique()
    assert set(summary["study_id"]) == set(pd.read_csv(data_dir() / "studies.csv")["study_id"])


def test_the_summary_takes_the_first_therapy_and_the_most_specific_timing(protocols):
    s = protocol_summary(protocols).set_index("study_id")
    # Azhari 2021: motivational enhancement is its first family; the timing comes from its MBRP registry row.
    assert s.loc["azhari2021", "kind"] == "motivational enhancement"
    assert s.loc["azhari2021", "timing"].startswith("before and after the dose (the mindfulness-based")
    # Krupitsky 2002: "around the dose" is more specific than "during the dose" (it names all three stages).
    assert s.loc["krupitsky2002", "timing"] == "around the dose (preparation, session, integration)"
    assert s.loc["dakwar2020", "setting"] == "outpatient" and s.loc["grabski2022", "therapy_sessions"] == 7
    assert s.loc["yoon2025", "kind"] == NONE_REPORTED and not s.loc["yoon2025", "with_therapy"]


def test_unknown_sessions_are_said_in_words_never_zero(protocols):
    summary = protocol_summary(protocols)
    unknown = summary[summary["ketamine_sessions"].isna()]
    assert len(unknown) > 0 and (unknown["ketamine_sessions_text"] == "sessions not stated").all()
    assert (summary["ketamine_sessions"].dropna() > 0).all()
    for column in ("setting", "staff"):
        assert summary[column].notna().all()
    assert (summary.loc[summary["setting"].str.contains(NOT_STATED), "setting"] == f"setting {NOT_STATED}").all()
    rows = _rows(protocol_chart(protocols).to_dict())
    assert len(rows) == len(summary)
    for row in rows:
        if not row["known"]:
            assert row["sessions"] is None or math.isnan(row["sessions"])
            assert row["in_words"].startswith("sessions not stated")
        else:
            assert row["sessions"] >= 1 and row["in_words"] == ""


def test_the_chart_binds_its_inputs_and_has_a_description_and_the_no_match_text(protocols):
    spec = protocol_chart(protocols).to_dict()
    bound = {p["name"]: p for p in spec["params"] if "bind" in p}
    assert set(bound) == {"substance_choice", "therapy_kind", "psychological_only"}
    assert bound["psychological_only"]["bind"]["input"] == "checkbox"
    assert "with a psychological treatment only" in bound["psychological_only"]["bind"]["name"].lower()
    assert bound["psychological_only"]["value"] is False
    assert protocol_chart(protocols, therapy_only=True).to_dict()["params"][2]["value"] is True
    kinds = bound["therapy_kind"]["bind"]["options"]
    assert kinds[0] == "all" and NONE_REPORTED in kinds and "motivational enhancement" in kinds
    assert "studies" in spec["description"] and "sessions not stated" in spec["description"]
    text = json.dumps(spec)
    assert NO_MATCH in text and "psychological_only" in text
    # Colour and shape both encode the kind of therapy (never colour alone).
    points = next(layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "point")
    assert points["encoding"]["color"]["field"] == points["encoding"]["shape"]["field"] == "kind"


def test_compiled_vega_has_no_nan_and_no_warnings(protocols):
    for chart in (protocol_chart(protocols), protocol_chart(protocols, substance="opioids", therapy_only=True)):
        compiled, warnings = vega.compile_to_vega(chart.to_dict())
        assert warnings == []
        json.dumps(compiled, allow_nan=False)  # raises ValueError on NaN


def test_bad_input_gets_a_clear_message(protocols):
    assert protocol_chart(protocols.iloc[0:0]).to_dict()["mark"]["type"] == "text"
    with pytest.raises(ValueError, match="No results for substance 'heroin'"):
        protocol_chart(protocols, substance="heroin")
    methamphetamine = protocol_chart(protocols, substance="methamphetamine").to_dict()  # covered, but no study
    assert methamphetamine["mark"]["type"] == "text" and "methamphetamine" in json.dumps(methamphetamine)
    with pytest.raises(ValueError, match="the selection is empty"):
        protocol_table(protocols.iloc[0:0])
    with pytest.raises(ValueError, match="not a frame from load_protocols"):
        protocol_summary(pd.DataFrame({"x": [1]}))


def test_the_table_has_the_comparison_columns_and_one_row_per_study(protocols):
    table = protocol_table(load_protocols(substance="alcohol")).data
    assert list(table.columns) == [
        "Study",
        "Substance",
        "Design",
        "Kind of therapy",
        "Timing",
        "Ketamine sessions",
        "Therapy sessions",
        "Setting / staff",
        "Sources",
    ]
    assert len(table) == load_protocols(substance="alcohol")["study_id"].nunique()
    assert "0" not in set(table["Ketamine sessions"]) and NOT_STATED in set(table["Therapy sessions"])


def test_the_chapter_tables_show_every_row_and_refuse_empty_selections():
    assert len(patient_groups_table(load_patient_groups()).data) == len(load_patient_groups())
    assert len(regulation_table(load_regulation()).data) == len(load_regulation())
    for make, frame in (
        (patient_groups_table, load_patient_groups()),
        (regulation_table, load_regulation()),
    ):
        with pytest.raises(ValueError, match="empty"):
            make(frame.iloc[0:0])


def test_the_data_answers_of_the_chapter_follow_the_csv_files(monkeypatch):
    """The chapter's counting exercise, worked out here with plain pandas on data/protocols.csv (the real data: this
    test is about the evidence the chapter teaches, so it leaves the fixture package)."""
    monkeypatch.delenv("KAP_BOOK_DATA")
    from book.answers import check_answer

    p = pd.read_csv(DATA / "protocols.csv")
    with_therapy = p.loc[p["therapy_family"] != NONE_REPORTED, "study_id"].unique()
    counted_sessions = p.loc[p["therapy_sessions"].notna() & p["study_id"].isin(with_therapy), "study_id"].nunique()
    share = round(100 * counted_sessions / len(with_therapy))
    for label, value in (("ex-cp-count", share), ("ex-cp-count/sessions", counted_sessions)):
        assert value > 0
        assert check_answer(label, value).correct, f"{label}: the data say {value}"
        assert not check_answer(label, value + 1).correct and not check_answer(label, value - 1).correct
