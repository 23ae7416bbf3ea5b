"""The errata: every change to a figure in data/ is logged (book/errata.py), and the errata page lists the log."""

import csv
import shutil

import pytest

from book import errata
from book.paths import ROOT


@pytest.fixture
def copy(tmp_path):
    """A writable copy of data/ with its lock and changelog."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    return folder


def _set(folder, table, row_id, field, value):
    path = folder / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    key = next(iter(rows[0]))
    for row in rows:
        if row[key] == row_id:
            old = row[field]
            row[field] = value
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return old


def test_the_data_match_the_lock_or_every_change_is_logged():
    missing = errata.unlogged_changes()
    assert not missing, (
        "Figures in data/ changed without a row in data/changelog.csv. Log each (date, table, row_id, field, old_value, "
        "new_value, reason), then run `python -m book errata --update-lock`:\n  - " + "\n  - ".join(map(str, missing))
    )


def test_every_logged_correction_is_what_the_data_now_hold():
    current = errata.current_figures()
    latest = {}
    for row in errata.changelog():
        latest[(row["table"], row["row_id"], row["field"])] = row["new_value"]
    for key, value in latest.items():
        assert current.get(key, "") == value, f"changelog says {key} is now {value!r}, the data hold {current.get(key, '')!r}"
    assert latest, "the changelog has at least the corrections made so far"


def test_a_changed_figure_without_a_changelog_row_is_caught_and_the_lock_refuses_to_move(copy):
    old = _set(copy, "outcomes", "dakwar2019-abstinence-last2wk-ketamine", "percent", "99.9")
    missing = errata.unlogged_changes(copy, copy / "figures.lock.csv", copy / "changelog.csv")
    assert [str(m) for m in missing] == [
        f"outcomes dakwar2019-abstinence-last2wk-ketamine percent: {errata._canonical(old)} -> 99.9"
    ]
    with pytest.raises(ValueError, match="changed without a row in data/changelog.csv"):
        errata.update_lock(copy, copy / "figures.lock.csv", copy / "changelog.csv")
    with open(copy / "changelog.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(
            ["2026-12-01", "outcomes", "dakwar2019-abstinence-last2wk-ketamine", "percent", old, "99.9", "test"]
        )
    assert errata.unlogged_changes(copy, copy / "figures.lock.csv", copy / "changelog.csv") == []
    assert errata.update_lock(copy, copy / "figures.lock.csv", copy / "changelog.csv") > 100


def test_a_new_row_is_an_addition_not_a_correction(copy):
    with open(copy / "registrations.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    new = dict(rows[0], registration_id="NCT99999999", planned_participants="12")
    with open(copy / "registrations.csv", "a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=list(rows[0])).writerow(new)
    assert errata.unlogged_changes(copy, copy / "figures.lock.csv", copy / "changelog.csv") == []


def test_the_errata_page_lists_every_logged_correction(built_site):
    html = (built_site / "errata.html").read_text(encoding="utf-8")
    for row in errata.changelog():
        assert row["row_id"] in html and row["field"] in html
