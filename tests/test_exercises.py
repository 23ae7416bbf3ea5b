"""Answer checks: right, wrong, wrong type, empty; and answers computed from the data."""

from pathlib import Path

import numpy as np
import pandas as pd

from book.exercises import DATA_QUESTIONS, check_choice, check_data_answer, check_number, check_text


def test_number_right_wrong_wrong_type_empty():
    assert check_number(37.5, 37.5, tolerance=0.05).correct
    assert check_number("37.5%", 37.5).correct
    assert check_number(np.float64(37.49), 37.5, tolerance=0.05).correct
    wrong = check_number(40, 37.5, hint="subtract the arms")
    assert not wrong.correct and "too high" in wrong.message and "subtract the arms" in wrong.message
    typed = check_number("about forty", 37.5)
    assert not typed.correct and "should be a number" in typed.message
    assert "no answer yet" in check_number(..., 37.5).message
    assert "no answer yet" in check_number("", 37.5).message
    assert not check_number(True, 1).correct


def test_choice_right_wrong_wrong_type_empty():
    options = {"a": "saline", "b": "midazolam"}
    assert check_choice("B", "b", options).correct
    assert check_choice("(b)", "b", options).correct
    assert not check_choice("a", "b", options, explanations={"a": "It was an active control."}).correct
    assert "active control" in check_choice("a", "b", options, explanations={"a": "It was an active control."}).message
    assert "not one of the options" in check_choice("z", "b", options).message
    assert "as text in quotes" in check_choice(2, "b", options).message
    assert "no answer yet" in check_choice(None, "b", options).message


def test_text_accepts_a_set_of_answers():
    accepted = {"active control", "active placebo"}
    assert check_text("Active-control.", accepted).correct
    assert not check_text("placebo", accepted).correct
    assert "as text" in check_text(3, accepted).message
    assert "no answer yet" in check_text("  ", accepted).message


def _expected_from_the_csv_files() -> dict[str, float]:
    """Each data question's answer, worked out here with plain pandas filters on data/*.csv."""
    data = Path(__file__).resolve().parent.parent / "data"
    s = pd.read_csv(data / "studies.csv")
    percent = pd.read_csv(data / "outcomes.csv").set_index("outcome_id")["percent"]
    harms = pd.read_csv(data / "harms.csv")
    mech = pd.read_csv(data / "mechanisms.csv")
    trial_harms = harms[harms["population"] == "trial participants with a substance use disorder"]
    randomized = s["randomized"].astype(str).str.lower() == "true"

    def participants(substance):
        return s.loc[(s["substance"] == substance) & randomized, "n_participants"].sum()

    def risk_ratio(result):
        counts = pd.read_csv(data / "outcomes.csv").set_index("outcome_id")
        ketamine, control = counts.loc[f"{result}-ketamine"], counts.loc[f"{result}-control"]
        return (ketamine["events"] / ketamine["n"]) / (control["events"] / control["n"])

    def difference(result):
        return percent[f"{result}-ketamine"] - percent[f"{result}-control"]

    return {
        "cocaine-studies": (s["substance"] == "cocaine").sum(),
        "opioids-studies": (s["substance"] == "opioids").sum(),
        "alcohol-rcts": (
            (s["substance"] == "alcohol") & (s["condition"] == "use disorder") & (s["design"] == "randomized controlled trial")
        ).sum(),
        "withdrawal-studies": (s["condition"] == "withdrawal").sum(),
        "alcohol-withdrawal-studies": ((s["substance"] == "alcohol") & (s["condition"] == "withdrawal")).sum(),
        "cocaine-randomized-participants": participants("cocaine"),
        "opioids-randomized-participants": participants("opioids"),
        "alcohol-randomized-participants": participants("alcohol"),
        "dakwar2019-abstinence-difference": difference("dakwar2019-abstinence-last2wk"),
        "opioids-krupitsky2007-abstinence-ratio": risk_ratio("krupitsky2007-abstinence-12mo"),
        "alcohol-krupitsky1997-abstinence-difference": difference("krupitsky1997-abstinence-1yr"),
        "mechanism-claims-in-addiction": (
            (mech["substance"] != "none")
            & mech["evidence_kind"].isin(["people with a substance use disorder", "clinical trial testing a mediator"])
        ).sum(),
        "randomized-registrations-still-to-report": (
            (r := pd.read_csv(data / "registrations.csv"))["status"].isin(
                ["recruiting", "not yet recruiting", "active, not recruiting"]
            )
            & r["design"].str.contains("randomi", case=False)
        ).sum(),
        "review-references-not-found": (
            (claims := pd.read_csv(data / "review_claims.csv"))[
                (claims["kind"] == "reference") & (claims["verdict"] == "reference not found")
            ].shape[0]
        ),
        "trial-studies-with-harm-figures": trial_harms.loc[
            trial_harms["reporting"] == "count or percentage", "study_id"
        ].nunique(),
        # The primer: OR/RR/HR/MD results without a CI, and with a CI on one side of no effect (1 or 0).
        "contrasts-without-interval": (
            (o := pd.read_csv(data / "outcomes.csv"))["effect_measure"].isin(["OR", "RR", "HR", "MD"])
            & (o["ci_lower"].isna() | o["ci_upper"].isna())
        ).sum(),
        "contrasts-excluding-no-effect": sum(
            (lo > null or hi < null)
            for measure, lo, hi in o[["effect_measure", "ci_lower", "ci_upper"]].dropna().itertuples(index=False)
            for null in [{"OR": 1, "RR": 1, "HR": 1, "MD": 0}.get(measure)]
            if null is not None
        ),
        "trial-studies-silent-on-harms": len(
            set(trial_harms["study_id"]) - set(trial_harms.loc[trial_harms["reporting"] != "not reported", "study_id"])
        ),
    }


def test_data_questions_follow_the_data():
    expected = _expected_from_the_csv_files()
    assert set(expected) == set(DATA_QUESTIONS), "give every data question an independent expectation here"
    for key, (question, _, _, hint) in DATA_QUESTIONS.items():
        assert question.endswith("?") and hint
        value = float(expected[key])
        assert value > 0, f"{key}: nothing in the data to count"
        assert check_data_answer(key, value).correct, f"{key}: the data say {value:g}"
        assert not check_data_answer(key, value + 1).correct and not check_data_answer(key, value - 1).correct
    assert "There is no question" in check_data_answer("nonsense", 1).message


def test_feedback_shows_itself_in_a_notebook():
    fb = check_number(1, 1)
    assert "Right" in fb._repr_html_() and str(fb).startswith("✔")


def test_the_risk_ratio_question_agrees_with_the_books_risk_ratio():
    """The opioid exercise's answer (events / n, book/teaching/data_questions.py) is the ratio the solution prints
    with its interval (book.evidence.effects.binary_effect), up to floating-point noise."""
    from book.evidence.effects import binary_effect
    from book.evidence.loaders import load_arms
    from book.teaching.data_questions import DATA_QUESTIONS

    arms = load_arms("krupitsky2007-abstinence-12mo")
    three, one = arms.loc["ketamine"], arms.loc["control"]
    expected = binary_effect(three["events"], three["n"], one["events"], one["n"], "RR").estimate
    assert abs(DATA_QUESTIONS["opioids-krupitsky2007-abstinence-ratio"][1]() - expected) < 1e-9
