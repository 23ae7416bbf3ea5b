"""Every fact that a quiz item or a worked solution states about the data is checked against data/
(book/teaching/quiz_facts.py), and a planted change to the data makes the item fail with a message naming it."""

import csv
import shutil

import pytest

from book.paths import DATA_DIR
from book.teaching.quiz_facts import check_fact, fact_problems, load_meta, quiz_chapters

CHAPTERS = quiz_chapters()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_fact_in_a_quiz_and_its_solutions_holds_in_the_data(chapter):
    assert fact_problems(chapter) == []


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_fact_is_well_formed(chapter):
    meta = load_meta(chapter)
    facts = [f for item in meta["items"] for f in item.get("facts", [])]
    facts += [f for s in meta.get("solutions", {}).values() for f in s.get("facts", [])]
    for fact in facts:
        assert fact.get("says") and fact.get("table"), fact


def _copy_with(tmp_path, table: str, row_id: str, column: str, value: str):
    """A copy of the data package with one cell changed (row found by its first column)."""
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    path = folder / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    hit = [r for r in rows if r[fields[0]] == row_id]
    assert len(hit) == 1, f"{row_id} not found once in {table}.csv"
    hit[0][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return folder


def test_a_planted_change_of_design_fails_the_item_that_states_it(tmp_path):
    """Havrylov's withdrawal trial recoded as a retrospective cohort: the alcohol quiz's item on the four
    withdrawal studies (and its design facts) must fail, naming quiz, item and fact."""
    folder = _copy_with(tmp_path, "studies", "havrylovnd", "design", "retrospective cohort")
    problems = fact_problems("alcohol", folder=folder)
    assert any(
        p.startswith("quiz alcohol, item 6 (") and "Havrylov is a randomized trial" in p and "retrospective cohort" in p
        for p in problems
    ), problems
    assert any("three are record reviews" in p and "has 4 row(s), the item says 3" in p for p in problems), problems


def test_a_planted_change_of_blinding_fails_the_outlook_item(tmp_path):
    """The book's risk-of-bias row for Krupitsky 2007 says participants knew their allocation; if it said
    otherwise, the outlook item whose feedback relies on it fails."""
    folder = _copy_with(
        tmp_path, "risk_of_bias", "rob-krupitsky2007-D2", "justification", "Participants and therapists were masked."
    )
    problems = fact_problems("outlook", folder=folder)
    assert any(p.startswith("quiz outlook, item 1 (") and "Krupitsky 2007 was unmasked" in p for p in problems), problems


def test_check_fact_reports_a_count_that_no_longer_matches():
    fact = {"says": "x", "table": "studies", "where": {"substance": "alcohol", "condition": "withdrawal"}, "count": 3}
    assert "the item says 3" in check_fact(fact)
    assert check_fact({"says": "x", "table": "studies"}).startswith("malformed fact")
    assert "no column" in check_fact({"says": "x", "table": "studies", "where": {"nope": 1}, "count": 1})


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solution_facts_name_exercises_that_exist_in_the_chapter(chapter):
    from book.paths import CHAPTERS_DIR

    text = (CHAPTERS_DIR / f"{chapter}.ipynb").read_text(encoding="utf-8")
    for label in load_meta(chapter).get("solutions", {}):
        assert f":label: {label}" in text, f"{chapter}: the sidecar checks a solution of {label}, which is not in the chapter"
