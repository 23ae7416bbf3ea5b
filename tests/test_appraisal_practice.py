"""The appraisal practice items (book.teaching.appraisal_practice) are generated from data/: their keys are the
book's judgements, the overall item follows the book's rule, and a planted change to a copy of the data changes
the exercise or makes it fail."""

import json

import pandas as pd
import pytest
from data_helpers import planted

from book.evidence.schema import CERTAINTY_LEVELS
from book.paths import DATA_DIR, QUIZ_DIR
from book.rob_rule import rob2_overall
from book.teaching.appraisal_practice import GRADE_DOMAINS, grade_items, grade_profile, rob_items, trace_item

#: The exercises the chapters show: chapter -> (trial, summary-of-findings row, results traced).
PREFIX = {"reading-a-review": "review", "cocaine-and-stimulants": "cocaine", "alcohol": "alcohol", "opioids": "opioids"}
PRACTICE = {
    "reading-a-review": ("terasaki2022", "sof-opi-02", ("terasaki2022-readmit30-contrast",)),
    "cocaine-and-stimulants": ("dakwar2019", "sof-coc-01", ("dakwar2019-relapse-contrast",)),
    "alcohol": ("grabski2022", "sof-alc-01", ("grabski2022-pda-6m-contrast",)),
    "opioids": ("jovaisa2006", "sof-opi-04", ("krupitsky2007-abstinence-12mo-ketamine",)),
}
TRIALS = sorted({p[0] for p in PRACTICE.values()})
SOF_ROWS = sorted({p[1] for p in PRACTICE.values()})
TRACED = sorted({o for p in PRACTICE.values() for o in p[2]})


def key(item: dict) -> str:
    (right,) = [a["answer"] for a in item["answers"] if a["correct"]]
    return right


@pytest.mark.parametrize("study_id", TRIALS)
def test_rob_keys_are_the_books_judgements_and_the_overall_follows_the_rule(study_id):
    rob = pd.read_csv(DATA_DIR / "risk_of_bias.csv")
    rows = rob[rob["study_id"] == study_id]
    domains = rows[rows["domain"] != "overall"]
    items = rob_items(study_id)
    assert [key(i) for i in items[:-1]] == list(domains["judgement"])
    overall = rows.loc[rows["domain"] == "overall", "judgement"].item()
    assert key(items[-1]) == overall == rob2_overall(domains["judgement"])
    for item, (_, row) in zip(items, domains.iterrows()):
        assert row["quote"] in item["question"]  # the learner sees the words...
        assert row["justification"] not in item["question"]  # ...not the book's reason
        right = [a for a in item["answers"] if a["correct"]][0]
        assert row["justification"] in right["feedback"]
        assert [a["answer"] for a in item["answers"]] == ["low", "some concerns", "high"]
        assert all(a["feedback"].strip() for a in item["answers"])


@pytest.mark.parametrize("sof_id", SOF_ROWS)
def test_grade_keys_are_the_books_steps_and_rating(sof_id):
    row = pd.read_csv(DATA_DIR / "certainty.csv").set_index("sof_id").loc[sof_id]
    items = grade_items(sof_id)
    assert [key(i) for i in items] == [row[d] for d in GRADE_DOMAINS] + [row["certainty"]]
    assert [a["answer"] for a in items[-1]["answers"]] == list(CERTAINTY_LEVELS)
    profile = " ".join(grade_profile(sof_id)["Evidence profile"])  # what the learner sees: no steps, no reasons
    assert row["reasons"][:40] not in profile and "serious" not in profile


@pytest.mark.parametrize("outcome_id", TRACED)
def test_trace_item_keys_the_rows_own_quote(outcome_id):
    row = pd.read_csv(DATA_DIR / "outcomes.csv").set_index("outcome_id").loc[outcome_id]
    item = trace_item(outcome_id)
    assert key(item) == row["quote"]
    assert len(item["answers"]) == 3 and len({a["answer"] for a in item["answers"]}) == 3


def test_a_planted_domain_judgement_changes_the_rob_exercise(tmp_path):
    old = "rob-dakwar2019-D4,dakwar2019,RoB 2,D4 measurement of the outcome,low,"
    folder = planted(tmp_path, "risk_of_bias", "rob-dakwar2019-D4", old, old.replace(",low,", ",some concerns,"))
    assert key(rob_items("dakwar2019")[3]) == "low"
    assert key(rob_items("dakwar2019", folder=folder)[3]) == "some concerns"


def test_a_planted_overall_that_breaks_the_rule_fails_the_rob_exercise(tmp_path):
    old = ",dakwar2019,RoB 2,overall,high,"
    folder = planted(tmp_path, "risk_of_bias", "rob-dakwar2019-overall", old, old.replace(",high,", ",some concerns,"))
    with pytest.raises(Exception, match="(?i)rule|overall"):
        rob_items("dakwar2019", folder=folder)


def test_a_planted_grade_step_changes_the_grade_exercise(tmp_path):
    old = "serious (-1),not serious,not serious,serious (-1),not serious"
    folder = planted(
        tmp_path, "certainty", "sof-coc-01", ",low," + old, ",moderate," + old.replace("serious (-1),not", "not serious,not", 1)
    )
    items = grade_items("sof-coc-01", folder=folder)
    assert key(items[0]) == "not serious" and key(items[-1]) == "moderate"


def test_a_planted_rating_that_does_not_follow_its_steps_fails(tmp_path):
    folder = planted(tmp_path, "certainty", "sof-coc-01", ",low,serious (-1)", ",very low,serious (-1)")
    with pytest.raises(Exception, match="(?i)certainty|steps"):
        grade_items("sof-coc-01", folder=folder)


def test_every_chapter_with_practice_shows_it_and_names_it_in_its_sidecar():
    for chapter, (trial, sof_id, traced) in PRACTICE.items():
        nb = json.loads((QUIZ_DIR.parent / f"{chapter}.ipynb").read_text(encoding="utf-8"))
        code = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        assert f'rob_practice("{trial}")' in code and f'grade_practice("{sof_id}")' in code, chapter
        assert all(f'"{o}"' in code for o in traced), chapter
        exercises = json.loads((QUIZ_DIR / f"{chapter}.meta.json").read_text(encoding="utf-8")).get("exercises", {})
        for label in (f"ex-{PREFIX[chapter]}-{kind}" for kind in ("rob", "grade", "trace")):
            assert label in exercises and exercises[label]["objectives"], (chapter, label)
