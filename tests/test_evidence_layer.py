"""The evidence layer: vocabularies read from the schema, causes reported first and alone, rules on small frames."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from book.evidence import schema
from book.evidence.read import read_problems
from book.evidence.rules import RULES, Context
from book.evidence.rules.appraisal import TOOLS
from book.evidence.rules.outcomes import outcome_rows
from book.evidence.rules.studies import study_rows
from book.evidence.validate import FOLLOWING, validate_package
from book.paths import DATA_DIR

STUDY = DATA_DIR / "studies.csv"


@pytest.fixture
def package(tmp_path):
    """A copy of the data package to break."""
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


def _first_line(folder) -> str:
    with pytest.raises(schema.DataValidationError) as raised:
        validate_package(folder)
    return str(raised.value).splitlines()[0], raised.value


# --- vocabularies -------------------------------------------------------------------------------------------------


def test_vocabularies_are_the_schemas_enums():
    descriptor = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    enum = {
        (r["name"], f["name"]): f["constraints"]["enum"]
        for r in descriptor["resources"]
        for f in r["schema"]["fields"]
        if "enum" in f.get("constraints", {})
    }
    assert schema.SUBSTANCES == enum["studies", "substance"] and schema.DESIGNS == enum["studies", "design"]
    assert schema.MECHANISMS == enum["mechanisms", "mechanism"] and schema.VERDICTS == enum["review_claims", "verdict"]
    assert schema.HARM_KINDS == enum["harms", "harm_kind"] and schema.TRIAL_POPULATION in schema.HARM_POPULATIONS
    for domains, judgements in TOOLS.values():  # the risk-of-bias tools use only the schema's names
        assert set(domains) <= set(enum["risk_of_bias", "domain"])
        assert set(judgements) <= set(enum["risk_of_bias", "judgement"])


def test_a_value_added_to_the_csv_only_is_named_with_the_allowed_values(package):
    text = (package / "mechanisms.csv").read_text(encoding="utf-8")
    first_row = text.splitlines()[1]
    mechanism = next(m for m in schema.MECHANISMS if f",{m}," in first_row)
    (package / "mechanisms.csv").write_text(text.replace(f",{mechanism},", ",ion channel gating,", 1), encoding="utf-8")
    line, error = _first_line(package)
    (problem,) = error.problems
    assert "mechanisms.csv, line 2, field 'mechanism': constraint-error: 'ion channel gating' is not an allowed value" in problem
    assert "NMDA receptor antagonism" in problem  # the allowed values are listed


# --- a table that cannot be read: the cause first and alone --------------------------------------------------------


def test_a_byte_order_mark_is_simply_accepted(package):
    (package / "studies.csv").write_bytes(b"\xef\xbb\xbf" + STUDY.read_bytes())
    assert len(validate_package(package).studies) == len(validate_package(DATA_DIR).studies)


@pytest.mark.parametrize(
    "damage, cause",
    [
        ("cut", "studies.csv, line 3: cannot be read: a quoted field"),
        ("header", "studies.csv: cannot be read: the file has a header but no rows"),
        ("byte", "studies.csv, line 4: cannot be read: byte 0xe9 is not UTF-8"),
    ],
)
def test_an_unreadable_table_is_reported_by_its_cause_first(package, damage, cause):
    lines = STUDY.read_bytes().split(b"\n")
    if damage == "cut":  # the second row ends inside a quoted field
        row = lines[2]
        lines[2] = row[: row.index(b',"') + 6]
    elif damage == "header":
        lines = lines[:1] + [b""]
    else:
        lines[3] = lines[3].replace(b"a", b"\xe9", 1)
    (package / "studies.csv").write_bytes(b"\n".join(lines))
    first, error = _first_line(package)
    assert cause in first
    assert error.problems == [first, FOLLOWING]  # everything that follows from it: one line


def test_read_problems_on_a_small_package(tmp_path):
    (tmp_path / "t.csv").write_text("a,b\n", encoding="utf-8")
    assert read_problems(tmp_path, {"resources": [{"path": "t.csv"}]}) == [
        f"{tmp_path.name}/t.csv: cannot be read: the file has a header but no rows"
    ]
    (tmp_path / "t.csv").write_bytes(b"\xef\xbb\xbfa,b\n1,2\n")
    descriptor = {"resources": [{"path": "t.csv"}]}
    assert read_problems(tmp_path, descriptor) == [] and descriptor["resources"][0]["encoding"] == "utf-8-sig"


# --- rules, each on a few rows -------------------------------------------------------------------------------------


def _studies(**changes) -> pd.DataFrame:
    row = {
        "study_id": "s1",
        "year": 2020,
        "notes": pd.NA,
        "n_participants": 12,
        "n_quote": "Twelve adults took part",
        "n_locator": "abstract",
        "design": "case series",
        "ketamine_dose_mg_per_kg": 0.5,
        "dose_quote": "ketamine 0.5 mg/kg",
        "dose_locator": "methods",
        "substance": "alcohol",
        "randomized": False,
    }
    return pd.DataFrame([{**row, **changes}], index=pd.Index([2], name="line"))


def test_rules_are_registered_once_each():
    assert len(RULES) == len(set(RULES)) >= 10


def test_study_rule_on_one_row():
    assert study_rows(Context({"studies": _studies()})) == []
    (problem,) = study_rows(Context({"studies": _studies(n_participants=13)}))
    assert problem == "data/studies.csv, line 2, field 'n_participants': 13 does not appear in n_quote"
    (problem,) = study_rows(Context({"studies": _studies(year=pd.NA)}))
    assert "field 'year'" in problem


def test_outcome_rule_on_one_row():
    outcome = {"study_id": "s1", "estimate": 0.47, "ci_lower": 0.5, "ci_upper": 0.9, "effect_measure": "HR"}
    outcome |= {f: pd.NA for f in ("n", "events", "percent", "mean", "sd", "p_value", "quote")}
    tables = {"studies": _studies(), "outcomes": pd.DataFrame([outcome], index=pd.Index([7], name="line"))}
    (problem,) = outcome_rows(Context(tables))
    assert problem == "data/outcomes.csv, line 7, field 'ci_upper': the 95% CI 0.5 to 0.9 does not contain the estimate 0.47"
    tables["outcomes"].loc[7, "study_id"] = "nobody"
    assert any("no study 'nobody'" in p for p in outcome_rows(Context(tables)))
