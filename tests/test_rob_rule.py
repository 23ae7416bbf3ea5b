"""The book's written risk-of-bias rule (book/evidence/rules/rob_overall.py) and the data it is applied to."""

import pandas as pd
import pytest

from book.evidence.rules.rob_overall import ROB2_SEVERAL, check_rob_table, overall_from_domains, rob2_overall, robins_i_overall
from book.paths import ROOT


@pytest.fixture
def rob():
    return pd.read_csv(ROOT / "data" / "risk_of_bias.csv")


@pytest.mark.parametrize(
    ("domains", "expected"),
    [
        (["low"] * 5, "low"),
        (["low"] * 4 + ["some concerns"], "some concerns"),
        (["low"] * 3 + ["some concerns"] * 2, "some concerns"),
        (["low"] * 2 + ["some concerns"] * 3, "high"),  # several domains with some concerns
        (["some concerns"] * 6, "high"),  # a crossover trial: DS counts like any domain
        (["low"] * 4 + ["high"], "high"),
        (["some concerns"] * 2 + ["high"] + ["low"] * 2, "high"),
    ],
)
def test_rob2_overall_follows_the_written_rule(domains, expected):
    assert rob2_overall(domains) == expected
    assert overall_from_domains("RoB 2", domains) == expected


def test_the_threshold_is_three_and_not_the_worst_domain():
    assert ROB2_SEVERAL == 3
    worst_is_some_concerns = ["some concerns"] * 3 + ["low"] * 2
    assert rob2_overall(worst_is_some_concerns) == "high"


@pytest.mark.parametrize(
    ("domains", "expected"),
    [
        (["low"] * 7, "low"),
        (["low"] * 6 + ["moderate"], "moderate"),
        (["serious"] + ["no information"] * 4 + ["low", "moderate"], "serious"),
        (["moderate"] * 6 + ["no information"], "no information"),
        (["serious"] * 3 + ["critical"] + ["low"] * 3, "critical"),
    ],
)
def test_robins_i_overall_follows_the_tool(domains, expected):
    assert robins_i_overall(domains) == expected


def test_unknown_judgements_and_tools_are_refused_with_the_allowed_ones():
    with pytest.raises(ValueError, match="RoB 2 judges low, some concerns, high; not 'serious'"):
        rob2_overall(["low", "serious"])
    with pytest.raises(ValueError, match="Unknown tool 'vibes'"):
        overall_from_domains("vibes", ["low"])
    with pytest.raises(ValueError, match="at least one domain"):
        rob2_overall([])


def test_every_overall_judgement_in_the_data_follows_the_rule(rob):
    assert check_rob_table(rob) == []


def test_a_planted_wrong_overall_is_reported_once_with_the_expected_judgement(rob):
    i = rob.index[rob["assessment_id"] == "rob-terasaki2022-overall"][0]
    planted = rob.copy()
    planted.loc[i, "judgement"] = "some concerns"
    problems = check_rob_table(planted)
    assert len(problems) == 1
    assert problems[0].startswith("rob-terasaki2022-overall: overall 'some concerns' does not follow")
    assert "expected 'high'" in problems[0]


def test_a_planted_low_overall_with_a_high_domain_is_reported(rob):
    planted = rob.copy()
    planted.loc[planted["assessment_id"] == "rob-gent2024-overall", "judgement"] = "low"
    (problem,) = check_rob_table(planted)
    assert "rob-gent2024-overall" in problem and "expected 'high'" in problem


def test_a_robins_i_study_and_a_not_assessed_study_are_checked_too(rob):
    planted = rob.copy()
    planted.loc[planted["assessment_id"] == "rob-pizon2018-overall", "judgement"] = "moderate"
    planted.loc[planted["assessment_id"] == "rob-wong2015-overall", "judgement"] = "low"
    problems = check_rob_table(planted)
    assert any(p.startswith("rob-pizon2018-overall") and "expected 'serious'" in p for p in problems)
    assert any(p.startswith("rob-wong2015-overall") and "not assessed" in p for p in problems)
    assert len(problems) == 2


def test_the_worked_example_says_the_worst_domain_and_the_rule_apart(rob):
    from book.evidence.rules.rob_overall import explain_overall

    text = explain_overall(rob, "dakwar2019")
    assert "The worst domain alone would say 'some concerns'" in text
    assert "'high'" in text and "Recorded in data/risk_of_bias.csv: 'high'" in text
    with pytest.raises(ValueError, match="No risk-of-bias rows"):
        explain_overall(rob, "smith2099")


def test_what_the_chapter_says_about_the_overall_judgements_holds_for_the_data(rob):
    """Reading a review says every randomized trial is high overall under the rule, each with three or more domains with
    some concerns, and that dakwar2019 has four. If this fails, update the chapter's text with the data."""
    import nbformat

    text = " ".join(c.source for c in nbformat.read(ROOT / "chapters" / "reading-a-review.ipynb", 4).cells)
    assert "every randomized trial in the book has three or more domains with some concerns" in " ".join(text.split())
    rob2 = rob[rob["tool"].str.startswith("RoB 2")]
    for study_id, rows in rob2.groupby("study_id"):
        domains = rows[rows["domain"] != "overall"]
        assert (domains["judgement"] == "some concerns").sum() >= 3, study_id
        assert rows.loc[rows["domain"] == "overall", "judgement"].iloc[0] == "high", study_id
    dakwar2019 = rob2[(rob2["study_id"] == "dakwar2019") & (rob2["domain"] != "overall")]
    assert (dakwar2019["judgement"] == "some concerns").sum() == 4  # "four of five" in the worked example
