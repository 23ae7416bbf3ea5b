"""The appraisal layer: risk-of-bias and certainty rules, loaders, and the charts and tables of book/appraisal.py."""

import csv
import json
import shutil

import pytest

from book import data, vega
from book.appraisal import JUDGEMENT_SYMBOLS, claims_chart, claims_table, rob_chart, rob_table, sof_table
from book.charts import NO_MATCH
from book.data import DataValidationError
from book.paths import ROOT


@pytest.fixture
def folder(tmp_path):
    copy = tmp_path / "data"  # the small fixture package: each rule is checked on a few rows
    shutil.copytree(ROOT / "tests" / "fixtures" / "data", copy)
    return copy


def _rows(folder, table):
    with open(folder / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _write(folder, table, rows):
    with open(folder / f"{table}.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _problems(folder) -> str:
    with pytest.raises(DataValidationError) as info:
        data.validate_package(folder)
    return str(info.value)


def test_every_randomized_trial_has_rob2_for_every_domain_and_overall():
    rob = data.load_risk_of_bias()
    studies = data.load_studies()
    for study_id in studies.loc[studies["randomized"].astype(bool), "study_id"]:
        rows = rob[rob["study_id"] == study_id]
        assert rows["tool"].iloc[0].startswith("RoB 2")
        assert set(data.ROB2_DOMAINS) | {"overall"} <= set(rows["domain"])
    assert set(rob["study_id"]) == set(studies["study_id"]), "every study has a judgement or says why not"


def test_an_overall_judgement_must_follow_from_its_domains(folder):
    rows = _rows(folder, "risk_of_bias")
    i = next(i for i, r in enumerate(rows) if r["study_id"] == "das2019" and r["domain"] == "overall")
    rows[i]["judgement"] = "low"
    _write(folder, "risk_of_bias", rows)
    problems = _problems(folder)
    assert "risk_of_bias.csv, line " in problems
    assert "field 'judgement': overall 'low' does not follow from its domains under the book's rule; expected" in problems


def test_a_judgement_must_belong_to_its_tool(folder):
    rows = _rows(folder, "risk_of_bias")
    i = next(i for i, r in enumerate(rows) if r["tool"] == "RoB 2" and r["domain"] != "overall")
    rows[i]["judgement"] = "serious"
    _write(folder, "risk_of_bias", rows)
    assert f"risk_of_bias.csv, line {i + 2}, field 'judgement': RoB 2 judges low, some concerns, high" in _problems(folder)


def test_certainty_must_follow_from_the_start_and_the_steps_down(folder):
    rows = _rows(folder, "certainty")
    i = next(i for i, r in enumerate(rows) if r["certainty"] == "low")
    rows[i]["certainty"] = "high"
    _write(folder, "certainty", rows)
    assert f"certainty.csv, line {i + 2}, field 'certainty': 'high' but the start and the steps down give 'low'" in _problems(
        folder
    )


def test_an_effect_in_a_summary_of_findings_must_stand_in_its_results_quotes(folder):
    rows = _rows(folder, "certainty")
    rows[0]["relative_effect"] = "OR 9.87"
    _write(folder, "certainty", rows)
    assert "certainty.csv, line 2, field 'relative_effect': 9.87 does not appear in the quotes of its results" in _problems(
        folder
    )


def test_loaders_reject_unknown_choices_with_the_allowed_ones():
    with pytest.raises(ValueError, match="Unknown study 'smith2099'"):
        data.load_risk_of_bias(study_id="smith2099")
    with pytest.raises(ValueError, match="Unknown tool 'vibes'"):
        data.load_risk_of_bias(tool="vibes")
    with pytest.raises(ValueError, match="No certainty ratings for tobacco"):
        data.load_certainty("tobacco")
    with pytest.raises(ValueError, match="Unknown substance"):
        data.load_certainty("coffee")
    assert len(data.load_certainty("cocaine")) <= 7


def test_rob_chart_writes_every_judgement_in_its_cell_and_binds_the_tool():
    rob = data.load_risk_of_bias()
    spec = rob_chart(rob).to_dict()
    (rows,) = spec["datasets"].values()
    assert rows and all(r["word"] and r["symbol"] for r in rows)
    assert all(JUDGEMENT_SYMBOLS[r["judgement"]] == r["symbol"] for r in rows)
    assert {p["name"] for p in spec["params"]} >= {"tool_choice"}
    assert "datum.word" in json.dumps(spec) and NO_MATCH in json.dumps(spec)
    compiled, warnings = vega.compile_to_vega(spec)
    json.dumps(compiled, allow_nan=False)
    assert not warnings


def test_claims_chart_filters_by_verdict_and_section_and_says_its_counts():
    claims = data.load_review_claims()
    spec = claims_chart(claims).to_dict()
    assert {p["name"] for p in spec["params"]} >= {"verdict_choice", "section_choice"}
    assert f"{len(claims)} claims" in spec["description"]
    json.dumps(vega.compile_to_vega(spec)[0], allow_nan=False)


def test_tables_refuse_an_empty_selection_with_a_clear_message():
    empty = data.load_review_claims().iloc[0:0]
    with pytest.raises(ValueError, match="No claims in this selection"):
        claims_table(empty)
    with pytest.raises(ValueError, match="No risk-of-bias judgements"):
        rob_table(data.load_risk_of_bias().iloc[0:0])
    with pytest.raises(ValueError, match="No summary-of-findings rows"):
        sof_table(data.load_certainty().iloc[0:0])
    html = sof_table(data.load_certainty("alcohol")).to_html()
    assert "very low" in html and "Steps down" in html
