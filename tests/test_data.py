"""Unit tests of book.data: the real package loads, and malformed packages fail with clear messages."""

import csv
import shutil

import pandas as pd
import pytest

from book import data
from book.data import DataValidationError, load_evidence, numbers_in_text
from book.paths import ROOT

FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"

DATA = ROOT / "data"


# --- the real package -------------------------------------------------------------------------


def test_real_package_is_valid_and_typed():
    ev = load_evidence(DATA)
    assert len(ev.studies) >= 15
    assert isinstance(ev.studies["substance"].dtype, pd.CategoricalDtype)
    assert isinstance(ev.studies["design"].dtype, pd.CategoricalDtype)
    assert str(ev.studies["n_participants"].dtype) == "Int64"
    assert str(ev.outcomes["estimate"].dtype) == "Float64"


def test_every_journal_article_has_a_doi_and_every_result_a_locator_and_quote():
    ev = load_evidence(DATA)
    no_doi = ev.studies[ev.studies["doi"].isna()]
    # An article without a DOI must say so in its notes, so the gap is visible rather than silent.
    unexplained = no_doi[~no_doi["notes"].fillna("").str.contains("No DOI found")]
    assert unexplained.empty, f"studies without a DOI and without a note saying so: {list(unexplained['study_id'])}"
    identified = ev.studies["doi"].notna() | ev.studies["pmid"].notna() | ev.studies["volume_pages"].notna()
    said = ev.studies["notes"].fillna("").str.contains("No DOI found")
    assert (identified | said).all(), list(ev.studies.loc[~(identified | said), "study_id"])
    numeric = ["n", "events", "percent", "mean", "sd", "estimate", "ci_lower", "ci_upper", "p_value"]
    has_number = ev.outcomes[numeric].notna().any(axis=1)
    assert (ev.outcomes.loc[has_number, "locator"].str.strip() != "").all()
    assert (ev.outcomes.loc[has_number, "quote"].str.strip() != "").all()
    assert (ev.outcomes["quote"].str.len() <= 300).all()


def test_every_study_is_cited_in_the_bibliography():
    bib = (DATA / "references.bib").read_text(encoding="utf-8")
    ev = load_evidence(DATA)
    missing = [s for s in ev.studies["study_id"] if f"{{{s}," not in bib]
    assert not missing, f"studies without a BibTeX entry: {missing}"


def test_frictionless_validates_the_package():
    from frictionless import Package, system

    with system.use_context(trusted=True):
        report = Package(str(DATA / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_filters_by_substance_and_rejects_unknown_ones():
    cocaine = data.load_studies("cocaine")
    assert len(cocaine) >= 3 and set(cocaine["substance"]) == {"cocaine"}
    with pytest.raises(ValueError, match="Unknown substance 'heroin'. Choose one of: alcohol"):
        data.load_studies("heroin")


def test_outcomes_carry_study_context():
    out = data.load_outcomes("cocaine")
    assert {"first_author", "year", "design", "randomized"} <= set(out.columns)
    assert out["first_author"].notna().all()


# --- numbers in quotes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, number",
    [
        ("48.2% of individuals", 48.2),
        ("hazard ratio=0.47; 95% CI=0.24, 0.92", 0.92),
        ("p=.03", 0.03),
        ("Fifty-five cocaine-dependent individuals", 55),
        ("one hundred and twenty patients", 120),
        ("1,234 admissions", 1234),
        ("a mean difference of −2.5", 2.5),
    ],
)
def test_numbers_in_text_reads_digits_and_words(text, number):
    assert number in numbers_in_text(text)


def test_numbers_in_text_does_not_split_decimals():
    assert 2 not in numbers_in_text("an odds ratio of 2.5")
    assert 5 not in numbers_in_text("an odds ratio of 2.5")


# --- malformed packages -----------------------------------------------------------------------


@pytest.fixture
def package(tmp_path):
    """A writable copy of the small fixture package (tests/fixtures/data: a few real rows per table, same schema)
    and helpers to edit one cell of it: each rule is checked on a few rows, not on a copy of the whole evidence."""
    folder = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, folder)

    class Package:
        path = folder

        def rows(self, table):
            with open(folder / f"{table}.csv", encoding="utf-8", newline="") as fh:
                return list(csv.DictReader(fh))

        def write(self, table, rows, fields=None):
            fields = fields or list(rows[0].keys())
            with open(folder / f"{table}.csv", "w", encoding="utf-8", newline="") as fh:
                w = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
                w.writeheader()
                w.writerows(rows)

        def first(self, table, **conditions):
            rows = self.rows(table)
            for i, row in enumerate(rows):
                if all(cond(row[k]) for k, cond in conditions.items()):
                    return rows, i
            raise AssertionError(f"no row in {table} matching {conditions}")

    return Package()


def _error(folder) -> str:
    with pytest.raises(DataValidationError) as info:
        data.validate_package(folder)
    return str(info.value)


def test_missing_quote_names_file_line_and_field(package):
    rows, i = package.first("outcomes", percent=bool)
    rows[i]["quote"] = ""
    package.write("outcomes", rows)
    msg = _error(package.path)
    assert f"outcomes.csv, line {i + 2}, field 'quote'" in msg


def test_estimate_outside_its_ci(package):
    rows, i = package.first("outcomes", estimate=bool, ci_lower=bool, ci_upper=bool)
    rows[i]["ci_upper"] = str(float(rows[i]["estimate"]) - 0.01)
    rows[i]["ci_lower"] = str(float(rows[i]["estimate"]) - 0.02)
    package.write("outcomes", rows)
    msg = _error(package.path)
    assert f"outcomes.csv, line {i + 2}, field 'ci_upper'" in msg
    assert "does not contain the estimate" in msg


def test_outcome_for_unknown_study(package):
    rows, i = package.first("outcomes", study_id=bool)
    rows[i]["study_id"] = "nobody1999"
    package.write("outcomes", rows)
    msg = _error(package.path)
    assert f"outcomes.csv, line {i + 2}" in msg
    assert "nobody1999" in msg


def test_non_numeric_n(package):
    rows, i = package.first("outcomes", n=bool)
    rows[i]["n"] = "about thirty"
    package.write("outcomes", rows)
    msg = _error(package.path)
    assert f"outcomes.csv, line {i + 2}, field 'n': type-error" in msg


def test_csv_with_a_missing_column(package):
    rows = package.rows("studies")
    fields = [f for f in rows[0] if f != "journal"]
    package.write("studies", rows, fields)
    msg = _error(package.path)
    assert "studies.csv" in msg and "journal" in msg


def test_events_above_n(package):
    rows, i = package.first("outcomes", events=bool, n=bool)
    rows[i]["events"] = str(int(rows[i]["n"]) + 1)
    package.write("outcomes", rows)
    msg = _error(package.path)
    assert f"outcomes.csv, line {i + 2}, field 'events'" in msg


def test_changing_a_number_breaks_the_link_to_its_quote(package):
    """The guard against a figure typed wrongly or edited later: it must match its source quote."""
    rows, i = package.first("outcomes", percent=bool)
    rows[i]["percent"] = str(round(float(rows[i]["percent"]) + 1.3, 1))
    package.write("outcomes", rows)
    msg = _error(package.path)
    assert f"outcomes.csv, line {i + 2}, field 'percent'" in msg
    assert "does not appear in the quote" in msg


def test_changing_a_study_size_is_caught(package):
    rows = package.rows("studies")
    rows[0]["n_participants"] = str(int(rows[0]["n_participants"]) + 1000)
    package.write("studies", rows)
    assert "studies.csv, line 2, field 'n_participants'" in _error(package.path)


def test_percentage_above_100(package):
    rows, i = package.first("outcomes", percent=bool)
    rows[i]["percent"] = "148.2"
    package.write("outcomes", rows)
    msg = _error(package.path)
    assert f"outcomes.csv, line {i + 2}, field 'percent': constraint-error" in msg


def test_message_is_one_readable_error_not_a_pandas_traceback(package):
    rows, i = package.first("outcomes", n=bool)
    rows[i]["n"] = "x"
    package.write("outcomes", rows)
    with pytest.raises(DataValidationError) as info:
        data.load_evidence(package.path)
    assert str(info.value).startswith("The evidence data has")


def test_tables_refuse_an_empty_selection_with_a_clear_message():
    from book.tables import study_table

    studies = data.load_studies("cocaine")
    with pytest.raises(ValueError, match="No studies to show: the selection is empty"):
        study_table(studies.iloc[0:0])
    assert "Dakwar 2019" in study_table(studies).to_html()


def test_load_arms_gives_the_ketamine_and_control_rows_of_one_result():
    import pytest

    from book.data import load_arms

    arms = load_arms("krupitsky2007-abstinence-12mo")
    assert list(arms.index) == ["ketamine", "control"]
    assert float(arms.loc["ketamine", "percent"]) == 50.0 and float(arms.loc["control", "percent"]) == 22.2
    with pytest.raises(ValueError, match="Arm-level results: .*dakwar2019-abstinence-last2wk"):
        load_arms("heroin-trial")


# --- the harms tables -------------------------------------------------------------------------


def test_a_harm_figure_not_in_its_quote_names_file_line_and_field(package):
    rows, i = package.first("harms", count=bool)
    rows[i]["count"] = str(int(rows[i]["count"]) + 7)
    rows[i]["denominator"] = "500"
    package.write("harms", rows)
    msg = _error(package.path)
    assert f"harms.csv, line {i + 2}, field 'count'" in msg and "does not appear in the quote" in msg


def test_a_harm_marked_not_reported_cannot_carry_a_figure(package):
    rows, i = package.first("harms", count=bool)
    rows[i]["reporting"] = "not reported"
    package.write("harms", rows)
    assert f"harms.csv, line {i + 2}, field 'count': a harm marked 'not reported' cannot carry a figure" in _error(package.path)


def test_a_harm_needs_a_known_source_and_a_known_population(package):
    rows = package.rows("harms")
    rows[0]["source_key"] = "nobody1999"
    rows[1]["population"] = "astronauts"
    package.write("harms", rows)
    msg = _error(package.path)
    assert "harms.csv, line 3, field 'population': constraint-error" in msg
    rows[1]["population"] = "trial participants with a substance use disorder"
    package.write("harms", rows)
    assert "harms.csv, line 2, field 'source_key': no entry 'nobody1999' in references.bib" in _error(package.path)


def test_a_count_above_its_denominator(package):
    rows, i = package.first("harms", count=lambda c: c != "", denominator=lambda d: d != "" and float(d) > 0)
    rows[i]["count"] = str(int(float(rows[i]["denominator"])) + 1)
    package.write("harms", rows)
    assert f"harms.csv, line {i + 2}, field 'count': {rows[i]['count']} is more than the denominator" in _error(package.path)


def test_load_harms_filters_and_rejects_unknown_choices():
    trial = data.load_harms(population=data.TRIAL_POPULATION)
    assert not trial.empty and trial["study_id"].notna().all()
    assert trial["source"].notna().all()  # the one study label: 'Dakwar 2020', 'Havrylov (undated)'
    assert (trial["source"].str.match(r"^\S.* (\d{4}|\(undated\))$")).all()
    not_reported = trial[trial["reporting"] == "not reported"]
    assert not_reported[["count", "denominator", "percent", "value"]].isna().all().all()
    with pytest.raises(ValueError, match="Unknown population 'astronauts'. Choose one of: trial participants"):
        data.load_harms(population="astronauts")
    with pytest.raises(ValueError, match="Unknown kind of harm 'headache'"):
        data.load_harms(harm_kind="headache")
    with pytest.raises(ValueError, match="Unknown substance 'heroin'"):
        data.load_harms(substance="heroin")


def test_every_source_has_a_label():
    labels = data.source_labels()
    ev = load_evidence(DATA)
    for key in set(ev.harms["source_key"]) | set(ev.product_information["source_key"]):
        assert labels[key].strip(), key


# --- the mechanisms and pharmacology tables ---------------------------------------------------


def test_a_number_in_a_mechanism_claim_must_stand_in_its_quote(package):
    rows, i = package.first("mechanisms", claim=lambda c: any(ch.isdigit() for ch in c))
    rows[i]["claim"] = rows[i]["claim"] + " (in 987654 animals)"
    package.write("mechanisms", rows)
    assert f"mechanisms.csv, line {i + 2}, field 'claim': 987654 does not appear in the quote" in _error(package.path)


def test_a_pharmacology_value_must_stand_in_its_quote(package):
    rows, i = package.first("pharmacology", value=lambda v: any(ch.isdigit() for ch in v))
    rows[i]["value"] = "4242"
    package.write("pharmacology", rows)
    assert f"pharmacology.csv, line {i + 2}, field 'value': 4242 does not appear in the quote" in _error(package.path)


def test_a_mechanism_needs_a_known_kind_of_evidence(package):
    rows = package.rows("mechanisms")
    rows[0]["evidence_kind"] = "anecdote"
    package.write("mechanisms", rows)
    assert "mechanisms.csv, line 2, field 'evidence_kind': constraint-error" in _error(package.path)


def test_load_mechanisms_filters_and_rejects_unknown_choices():
    sud = data.load_mechanisms(evidence_kind="people with a substance use disorder")
    assert len(sud) >= 5 and set(sud["evidence_kind"].astype(str)) == {"people with a substance use disorder"}
    assert len(data.load_mechanisms()) >= 15
    assert set(data.load_mechanisms(substance="none")["substance"]) == {"none"}
    with pytest.raises(ValueError, match="Unknown mechanism 'magic'. Choose one of: NMDA receptor antagonism"):
        data.load_mechanisms(mechanism="magic")
    with pytest.raises(ValueError, match="Unknown kind of evidence"):
        data.load_mechanisms(evidence_kind="anecdote")
    with pytest.raises(ValueError, match="Unknown topic 'colour'"):
        data.load_pharmacology(topic="colour")


def test_a_psychedelic_trial_figure_must_stand_in_its_quote(package):
    rows, i = package.first("psychedelic_comparators", n_participants=lambda v: v != "")
    rows[i]["n_participants"] = "7777"
    package.write("psychedelic_comparators", rows)
    assert f"psychedelic_comparators.csv, line {i + 2}, field 'n_participants': 7777 does not appear in quote" in _error(
        package.path
    )


def test_a_claim_verdict_comes_from_the_fixed_vocabulary_and_needs_its_evidence(package):
    rows = package.rows("review_claims")
    verdict = rows[0]["verdict"]
    rows[0]["verdict"] = "probably fine"
    package.write("review_claims", rows)
    assert "review_claims.csv, line 2, field 'verdict': constraint-error" in _error(package.path)
    rows[0]["verdict"] = verdict
    i = next(i for i, r in enumerate(rows) if r["verdict"] == "supported")
    rows[i]["evidence_source_key"] = ""
    package.write("review_claims", rows)
    assert f"review_claims.csv, line {i + 2}, field 'evidence_source_key': a 'supported' verdict needs the source" in _error(
        package.path
    )


def test_load_review_claims_filters_and_rejects_unknown_choices():
    claims = data.load_review_claims()
    assert (claims["kind"] == "claim").sum() >= 25 and (claims["kind"] == "reference").sum() == 8
    assert set(claims["verdict"].astype(str)) <= set(data.VERDICTS)
    misreported = data.load_review_claims(verdict="figure misreported")
    assert len(misreported) >= 1 and set(misreported["verdict"].astype(str)) == {"figure misreported"}
    with pytest.raises(ValueError, match="Unknown verdict 'wrong'. Choose one of: supported, partly supported"):
        data.load_review_claims(verdict="wrong")
    with pytest.raises(ValueError, match="Unknown chapter 'nowhere'"):
        data.load_review_claims(chapter="nowhere")
    with pytest.raises(ValueError, match="Unknown drug 'ayahuasca'"):
        data.load_psychedelic_comparators(drug="ayahuasca")
