"""Questions whose answer is computed from ``data/`` at the moment of checking, so it never drifts from the data."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from .checks import Feedback, check_number

__all__ = ["DATA_QUESTIONS", "check_data_answer"]


def _studies() -> pd.DataFrame:
    from ..evidence.loaders import load_studies

    return load_studies()


def _count(**conditions) -> Callable[[], float]:
    def compute() -> float:
        s = _studies()
        keep = pd.Series(True, index=s.index)
        for column, value in conditions.items():
            keep &= s[column].astype(str) == str(value)
        return float(keep.sum())

    return compute


def _randomized_participants(substance: str) -> Callable[[], float]:
    def compute() -> float:
        s = _studies()
        return float(s.loc[(s["substance"] == substance) & s["randomized"], "n_participants"].sum())

    return compute


def _arm_difference(outcome_prefix: str) -> Callable[[], float]:
    def compute() -> float:
        from ..evidence.loaders import load_arms

        arms = load_arms(outcome_prefix)["percent"]
        return float(arms["ketamine"] - arms["control"])

    return compute


def _arm_risk_ratio(outcome_prefix: str) -> Callable[[], float]:
    """The ketamine arm's share with the outcome over the control arm's, from the counts (events / n). The same ratio
    as :func:`book.evidence.effects.binary_effect`'s estimate, which the solution prints with its interval; computed
    directly here because that one goes through logarithms (2.2500000000000004), and the value is shown to learners
    in the website check."""

    def compute() -> float:
        from ..evidence.loaders import load_arms

        arms = load_arms(outcome_prefix)
        share = arms["events"].astype(float) / arms["n"].astype(float)
        return float(share["ketamine"] / share["control"])

    return compute


def _studies_with_harm_figures() -> float:
    from ..evidence.loaders import TRIAL_POPULATION, load_harms

    harms = load_harms(population=TRIAL_POPULATION)
    return float(harms.loc[harms["reporting"] == "count or percentage", "study_id"].nunique())


def _mechanism_claims_in_addiction() -> float:
    from ..evidence.loaders import load_mechanisms

    m = load_mechanisms()
    kinds = m["evidence_kind"].astype(str).isin(["people with a substance use disorder", "clinical trial testing a mediator"])
    return float(((m["substance"].astype(str) != "none") & kinds).sum())


def _review_claims(kind: str, verdict: str) -> Callable[[], float]:
    def compute() -> float:
        from ..evidence.loaders import load_review_claims

        claims = load_review_claims(verdict=verdict)
        return float((claims["kind"] == kind).sum())

    return compute


def _randomized_registrations_still_to_report() -> float:
    """Registered trials of any substance that have not finished and whose registered design says randomized (the
    registrations chart's rule, :func:`book.evidence.loaders.design_kind`)."""
    from ..evidence.loaders import design_kind, load_registrations
    from ..evidence.schema import STILL_TO_REPORT

    rows = load_registrations()
    running = rows[rows["status"].isin(STILL_TO_REPORT)]
    return float((running["design"].map(design_kind) == "randomized").sum())


#: The between-group measures the primer's exercise asks about; "no effect" is 1 for a ratio and 0 for a difference.
_CONTRAST_MEASURES = {"OR": 1.0, "RR": 1.0, "HR": 1.0, "MD": 0.0}


def _contrasts(with_interval: bool) -> Callable[[], float]:
    """Results reported as an OR, RR, HR or MD: without both ends of a CI, or with a CI that excludes no effect."""

    def compute() -> float:
        from ..evidence.loaders import load_outcomes

        o = load_outcomes()
        rows = o[o["effect_measure"].astype(str).isin(list(_CONTRAST_MEASURES))]
        has = rows["ci_lower"].notna() & rows["ci_upper"].notna()
        if not with_interval:
            return float((~has).sum())
        rows = rows[has]
        null = rows["effect_measure"].astype(str).map(_CONTRAST_MEASURES)
        return float(((rows["ci_lower"] > null) | (rows["ci_upper"] < null)).sum())

    return compute


def _trial_studies_silent_on_harms() -> float:
    """Clinical studies every harm row of which is 'not reported' (the text read says nothing about harms)."""
    from ..evidence.loaders import TRIAL_POPULATION, load_harms

    harms = load_harms(population=TRIAL_POPULATION)
    silent = harms.groupby("study_id")["reporting"].agg(lambda r: bool((r.astype(str) == "not reported").all()))
    return float(silent.sum())


_COUNT_HINT = "Count the rows of the studies table that match (for example with len() after filtering)."

#: key -> (question, function computing the answer from data/, tolerance, hint)
DATA_QUESTIONS: dict[str, tuple[str, Callable[[], float], float, str]] = {
    "cocaine-studies": (
        "How many clinical studies of ketamine for cocaine use are in the data?",
        _count(substance="cocaine"),
        0,
        _COUNT_HINT,
    ),
    "alcohol-rcts": (
        "How many randomized controlled trials of ketamine for alcohol use disorder are in the data?",
        _count(substance="alcohol", condition="use disorder", design="randomized controlled trial"),
        0,
        _COUNT_HINT,
    ),
    "cocaine-randomized-participants": (
        "How many participants took part in randomized cocaine studies, counting only studies whose number is known?",
        _randomized_participants("cocaine"),
        0,
        "Add up n_participants of the randomized cocaine studies.",
    ),
    "dakwar2019-abstinence-difference": (
        "By how many percentage points did abstinence over the last two weeks differ "
        "between the ketamine and midazolam groups of the 2019 cocaine trial?",
        _arm_difference("dakwar2019-abstinence"),
        0.05,
        "Subtract the midazolam percentage from the ketamine percentage.",
    ),
    "withdrawal-studies": (
        "How many studies of ketamine for withdrawal (from any substance) are in the data?",
        _count(condition="withdrawal"),
        0,
        _COUNT_HINT,
    ),
    "opioids-studies": (
        "How many clinical studies of ketamine for opioid dependence or withdrawal are in the data?",
        _count(substance="opioids"),
        0,
        _COUNT_HINT,
    ),
    "opioids-randomized-participants": (
        "How many participants took part in randomized opioid studies, counting only studies whose number is known?",
        _randomized_participants("opioids"),
        0,
        "Add up n_participants of the randomized opioid studies.",
    ),
    "opioids-krupitsky2007-abstinence-ratio": (
        "What is the risk ratio of abstinence at one year, three sessions over one session, in the 2007 heroin trial "
        "(to two decimals)?",
        _arm_risk_ratio("krupitsky2007-abstinence-12mo"),
        0.01,
        "Divide the share abstinent with three sessions (events / n) by the share with one session.",
    ),
    "alcohol-withdrawal-studies": (
        "How many studies of ketamine for alcohol withdrawal (not opioid withdrawal) are in the data?",
        _count(substance="alcohol", condition="withdrawal"),
        0,
        _COUNT_HINT,
    ),
    "alcohol-randomized-participants": (
        "How many participants took part in randomized alcohol studies, counting only studies whose number is known?",
        _randomized_participants("alcohol"),
        0,
        "Add up n_participants of the randomized alcohol studies.",
    ),
    "trial-studies-with-harm-figures": (
        "How many of the book's clinical studies give at least one harm as a count or percentage in the text we read?",
        _studies_with_harm_figures,
        0,
        "Filter the harms of trial participants to reporting == 'count or percentage' and count the distinct study_id values.",
    ),
    "mechanism-claims-in-addiction": (
        "How many mechanism claims come from people with a substance use disorder (a drug of misuse, and evidence from "
        "people with the disorder or from a trial testing a mediator in them)?",
        _mechanism_claims_in_addiction,
        0,
        "Filter the mechanisms table on substance != 'none' and on the two kinds of evidence, then count the rows.",
    ),
    "review-references-not-found": (
        "How many entries of the source review's reference list could not be found as cited?",
        _review_claims("reference", "reference not found"),
        0,
        "Filter load_review_claims() on kind == 'reference' and verdict == 'reference not found', and count the rows.",
    ),
    "randomized-registrations-still-to-report": (
        "How many registered trials, of any substance, have not finished and say in their design that they are randomized?",
        _randomized_registrations_still_to_report,
        0,
        "Keep the registrations whose status is recruiting, not yet recruiting or active, not recruiting; count those "
        "whose design says randomized (or randomised).",
    ),
    "alcohol-krupitsky1997-abstinence-difference": (
        "By how many percentage points did one-year abstinence differ between the "
        "ketamine psychedelic therapy group and the conventional-treatment group "
        "in Krupitsky 1997?",
        _arm_difference("krupitsky1997-abstinence"),
        0.05,
        "Subtract the control percentage from the ketamine percentage.",
    ),
    "contrasts-without-interval": (
        "How many results reported as an odds ratio, risk ratio, hazard ratio or mean difference have no 95% confidence "
        "interval in the data?",
        _contrasts(False),
        0,
        "Filter load_outcomes() on effect_measure in OR, RR, HR, MD, then count the rows where ci_lower or ci_upper is empty.",
    ),
    "contrasts-excluding-no-effect": (
        "How many results reported as an odds ratio, risk ratio, hazard ratio or mean difference have a 95% confidence "
        "interval that excludes no effect (1 for a ratio, 0 for a difference)?",
        _contrasts(True),
        0,
        "Keep the rows with both ends of the interval; a ratio's interval excludes 1 if both ends are above 1 or both "
        "below; a mean difference's excludes 0 the same way.",
    ),
    "trial-studies-silent-on-harms": (
        "How many clinical studies have every harm row marked 'not reported' (nothing about harms in the text we read)?",
        _trial_studies_silent_on_harms,
        0,
        "Group the harms of trial participants by study_id and count the studies whose rows are all 'not reported'.",
    ),
}


def check_data_answer(key: str, answer) -> Feedback:
    """Check ``answer`` to a question whose answer is computed from ``data/`` now (see :data:`DATA_QUESTIONS`)."""
    if key not in DATA_QUESTIONS:
        return Feedback(False, f"There is no question {key!r}. Questions: {', '.join(DATA_QUESTIONS)}.")
    question, compute, tolerance, hint = DATA_QUESTIONS[key]
    return check_number(answer, compute(), tolerance, hint=f"{question} {hint}")
