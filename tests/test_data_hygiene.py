"""The data rule that no field of the data package holds a file-system path (book/evidence/rules/hygiene.py)."""

import csv
import shutil

import pandas as pd
import pytest

from book.evidence import DataValidationError, validate_package
from book.evidence.rules.hygiene import find_paths, paths_in_text
from book.evidence.schema import TABLES as _TABLES
from book.evidence.validate import load_evidence
from book.paths import ROOT

DATA = ROOT / "data"


def _all_tables():
    ev = load_evidence(DATA)
    return {name: getattr(ev, name) for name in _TABLES}


def test_the_real_package_holds_no_path():
    assert find_paths(_all_tables()) == []


@pytest.mark.parametrize(
    "planted",
    [
        "The helper log /tmp/research13/log_atb.md also logged this study.",
        "copied from /work/main/data/old.csv",
        "see ~/notes/krystal.txt",
        r"exported to C:\Users\me\extraction.txt",
        "D:/work/kap/studies.xlsx",
        r"\\fileserver\share\notes.md",
        "file:///home/me/abstract.html",
        "details in run_2026-11-30.log",
        "see report.md",
        "see notes/report.md",
    ],
)
def test_a_planted_path_is_found_with_file_line_and_field(planted):
    tables = _all_tables()
    studies = tables["studies"].copy()
    studies.loc[3, "notes"] = f"{studies.loc[3, 'notes']} {planted}"
    tables["studies"] = studies
    problems = find_paths(tables)
    assert len(problems) == 1, problems
    assert problems[0].startswith("data/studies.csv, line 5, field 'notes': holds a file-system path")


def test_what_is_not_a_path():
    text = (
        "0.5 mg/kg/h and/or 24 h/48 h; PubMed ncbi.nlm.nih.gov/pubmed/12888778; https://doi.org/10.1/x.y; "
        "see alcohol.md, extraction-notes/withdrawal.md and data/extraction-notes/claims.md; ratio 1:2"
    )
    assert paths_in_text(text) == []


def test_line_numbers_follow_a_line_index_when_there_is_one():
    frame = pd.DataFrame({"notes": ["fine", "log at /var/tmp/x.log"]}, index=pd.Index([10, 11], name="line"))
    assert find_paths({"reviews": frame}) == [
        "data/reviews.csv, line 11, field 'notes': holds a file-system path '/var/tmp/x.log' "
        "(process notes are not data: remove it, or name the extraction note instead)"
    ]


def test_validate_fails_on_a_planted_path_naming_file_line_and_field(tmp_path):
    """The rule is registered: `python -m book validate` (validate_package) refuses a path in any field."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "tests" / "fixtures" / "data", folder)
    validate_package(folder)  # the fixture package is valid to begin with
    with open(folder / "studies.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[1]["notes"] = "checked against /tmp/research13/log_atb.md"
    with open(folder / "studies.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(DataValidationError) as info:
        validate_package(folder)
    message = str(info.value)
    assert "studies.csv, line 3, field 'notes': holds a file-system path '/tmp/research13/log_atb.md'" in message
    assert "process notes are not data" in message
