"""The book's rules over the schema's vocabularies name only values the schema has (book/evidence/schema.py).

A rule such as "these statuses mean a trial has not finished" picks values out of a vocabulary of
data/datapackage.json; a value renamed there must not leave the rule silently matching nothing.
"""

import pytest

from book.evidence.schema import (
    CROSSOVER_DOMAIN,
    ENUMS,
    ROB2_DOMAINS,
    ROB2_JUDGEMENTS,
    ROBINS_DOMAINS,
    ROBINS_JUDGEMENTS,
    STILL_TO_REPORT,
    TRIAL_POPULATION,
    VERDICTS_WITHOUT_SOURCE,
)

RULES = {
    "STILL_TO_REPORT": (STILL_TO_REPORT, ("registrations", "status")),
    "ROB2_JUDGEMENTS": (ROB2_JUDGEMENTS, ("risk_of_bias", "judgement")),
    "ROBINS_JUDGEMENTS": (ROBINS_JUDGEMENTS, ("risk_of_bias", "judgement")),
    "ROB2_DOMAINS": ([*ROB2_DOMAINS, CROSSOVER_DOMAIN], ("risk_of_bias", "domain")),
    "ROBINS_DOMAINS": (ROBINS_DOMAINS, ("risk_of_bias", "domain")),
    "VERDICTS_WITHOUT_SOURCE": (sorted(VERDICTS_WITHOUT_SOURCE), ("review_claims", "verdict")),
    "TRIAL_POPULATION": ([TRIAL_POPULATION], ("harms", "population")),
}


@pytest.mark.parametrize("name", sorted(RULES))
def test_each_rule_names_values_of_the_schema(name):
    values, field = RULES[name]
    unknown = [v for v in values if v not in ENUMS[field]]
    assert not unknown, f"{name} names {unknown}, not values of {field[0]}.{field[1]} in data/datapackage.json"


def test_the_statuses_still_to_report_are_not_the_finished_ones():
    assert not {"completed", "withdrawn"} & set(STILL_TO_REPORT)
