"""Appraisal practice with feedback: RoB 2 domains, GRADE steps and a figure traced to its source's words.

Every item is a jupyterquiz multiple-choice question GENERATED from ``data/`` at the moment it is shown, so a
correction to the data changes the exercise (and :mod:`tests.test_appraisal_practice` checks that it does):

- :func:`rob_items`: one item per RoB 2 domain of a trial, its stem the quoted methods (``risk_of_bias.csv``
  ``locator`` and ``quote``, never the judgement or its reason); options low / some concerns / high; the key is the
  book's judgement, the right option's feedback the book's reason, each wrong option a targeted explanation of what
  that judgement would need. A last item applies the book's overall rule
  (:func:`~book.evidence.rules.rob_overall.rob2_overall`) to the book's domain judgements.
- :func:`grade_items`: one item per GRADE domain of a summary-of-findings row (``certainty.csv``): how many levels
  the book steps down (not serious / serious / very serious), the right option's feedback the book's reason for that
  domain; then the final level (high / moderate / low / very low), from the start level and the steps.
- :func:`trace_item`: which words of the source carry a figure the book shows (``outcomes.csv`` quote and locator),
  the other options being quotes from the same study that do not hold the figure.

:func:`show_practice` displays items with the book's offline jupyterquiz (on the site with no kernel, and in
JupyterLab); :func:`rob_practice`, :func:`grade_practice` and :func:`trace_practice` are the calls chapters make.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pandas as pd

from ..evidence.loaders import load_certainty, load_outcomes, load_risk_of_bias, load_studies
from ..evidence.numbers import number_in_quote, numbers_in_text
from ..evidence.rules.rob_overall import ROB2_JUDGEMENTS, ROB2_SEVERAL, rob2_overall
from ..evidence.schema import CERTAINTY_LEVELS, STEP_DOWN

__all__ = ["rob_items", "grade_items", "grade_profile", "trace_item", "show_practice", "rob_practice", "grade_practice"]
__all__ += ["trace_practice", "trace_solution", "GRADE_DOMAINS"]

Folder = str | Path | None

#: What each RoB 2 domain needs for "low", and what makes it "high" (the tool's signalling questions, in brief,
#: as the book applies them: data/extraction-notes/appraisal.md).
_ROB_NEEDS = {
    "D1": (
        "a random sequence, concealed until each person was assigned (and no baseline difference that suggests a problem)",
        "a sequence that was not random or could be foreseen, or baseline differences that point to a problem",
    ),
    "D2": (
        "that participants and staff did not know the assigned arm, or that deviations and the analysis of everyone "
        "as randomized are described",
        "deviations from the assigned treatment that could change the result, or randomized people left out in a way "
        "likely to matter",
    ),
    "D3": (
        "outcome data for all, or nearly all, of the people randomized",
        "much outcome data missing, in a way that could depend on the outcome itself",
    ),
    "D4": (
        "an outcome measured objectively (a laboratory test, a record) or by assessors who did not know the arm",
        "a self-rated outcome, an inert or open comparison, and drug effects a source shows were clearly noticeable "
        "(the book's criterion: participants probably knew their arm)",
    ),
    "D5": (
        "outcomes and analysis fixed in advance (for example a registration naming them) and reported as planned",
        "a result picked from several outcome measures or analyses",
    ),
    "DS": (
        "enough time between periods and no sign of carryover, or period and carryover effects checked",
        "a carryover effect likely to have biased the comparison",
    ),
}

#: GRADE's five domains as certainty.csv names them, and how the book's reasons name them.
GRADE_DOMAINS = {
    "risk_of_bias": "Risk of bias",
    "inconsistency": "Inconsistency",
    "indirectness": "Indirectness",
    "imprecision": "Imprecision",
    "publication_bias": "Publication bias",
}

#: What would make each GRADE domain serious (appraisal.md, "GRADE" and "GRADE step for risk of bias").
_GRADE_WHEN = {
    "risk_of_bias": "The book steps down once when the trials behind an outcome are at high risk or some concerns "
    "(RoB 2) or at serious risk (ROBINS-I), and twice for studies without any comparison group.",
    "inconsistency": "Step down when studies of the same outcome point different ways or define it differently; "
    "one study alone cannot be inconsistent.",
    "indirectness": "Step down when the people, the treatment, the comparison or the outcome differ from the question "
    "asked (a laboratory measure instead of drug use, a setting or programme unlike today's).",
    "imprecision": "Step down once for few participants or an interval that reaches little or no effect; twice when "
    "there is no estimate at all and very few people.",
    "publication_bias": "The book steps down only where an outcome rests on single successful case reports; with one "
    "or two trials it cannot be assessed.",
}

_STEP_OPTIONS = list(STEP_DOWN)  # "not serious", "serious (-1)", "very serious (-2)"


def _answers(options: list[str], key: str, right: str, wrong: dict[str, str]) -> list[dict]:
    if key not in options:
        raise ValueError(f"the data's answer {key!r} is not one of the options {options}")
    return [{"answer": o, "correct": o == key, "feedback": right if o == key else wrong[o]} for o in options]


def _item(question: str, answers: list[dict]) -> dict:
    return {"question": question, "type": "multiple_choice", "answers": answers}


# --- RoB 2 -------------------------------------------------------------------------------------------------------


def _domain_wrong(domain: str, chosen: str, key: str) -> str:
    low_needs, high_needs = _ROB_NEEDS[domain.split()[0]]
    if chosen == "low" and key == "some concerns":
        return f"Not low. Low needs the report to show {low_needs}. These words do not; a silent report is 'some concerns'."
    if chosen == "high" and key == "some concerns":
        return f"Not high. High needs {high_needs}. These words leave it open rather than show a problem: 'some concerns'."
    if chosen == "low" and key == "high":
        return f"Not low: this is the pattern that makes the domain high ({high_needs})."
    if chosen == "some concerns" and key == "high":
        return f"More than some concerns. The book judges this domain high when the source shows {high_needs}."
    if chosen == "some concerns" and key == "low":
        return (
            f"The source shows enough for low: {low_needs}. A report that shows it earns 'low' even if other details are missing."
        )
    return f"Not high: the source shows what low needs ({low_needs})."


def _rob_rows(study_id: str, folder: Folder) -> tuple[pd.DataFrame, pd.Series]:
    rows = load_risk_of_bias(study_id=study_id, folder=folder)
    if not str(rows["tool"].iloc[0]).startswith("RoB 2"):
        raise ValueError(f"{study_id} is appraised with {rows['tool'].iloc[0]}, not RoB 2: pick a randomized trial")
    overall = rows[rows["domain"] == "overall"]
    return rows[rows["domain"] != "overall"].reset_index(drop=True), overall.iloc[0]


def _overall_item(label: str, domains: pd.DataFrame, given: pd.Series) -> dict:
    judgements = [str(j) for j in domains["judgement"]]
    key = rob2_overall(judgements)
    if key != given["judgement"]:
        raise ValueError(f"{label}: the data say overall '{given['judgement']}', the book's rule gives '{key}'")
    n_some, n_high = judgements.count("some concerns"), judgements.count("high")
    n_not_low = len(judgements) - judgements.count("low")
    counted = f"The book's domains: {n_high} high, {n_some} with some concerns, {judgements.count('low')} low."
    rule = f"The rule: high if any domain is high or {ROB2_SEVERAL} or more have some concerns; low only if every domain is low."
    wrong = {
        "low": f"Not low: low needs every domain low, and {n_not_low} of {len(judgements)} are not. {counted}",
        "some concerns": (
            f"Not some concerns. {counted} "
            + ("One high domain makes the result high. " if n_high else "")
            + (
                f"'Some concerns' is what the worst domain alone would say; the book's rule counts: {n_some} domains "
                f"with some concerns ({ROB2_SEVERAL} or more) make it high."
                if n_some >= ROB2_SEVERAL
                else ""
            )
        ).strip(),
        "high": f"Not high: no domain is high and fewer than {ROB2_SEVERAL} have some concerns. {counted}",
    }
    if key == "low":
        wrong["some concerns"] = f"Not some concerns: every domain is low. {counted}"
        wrong["high"] = f"Not high: every domain is low. {counted}"
    right = f"Yes: {key}. {counted} {rule} The book's reason: {given['justification']}"
    question = (
        f"{label}, overall. Take the book's judgement for each domain (the right answers above) and apply the book's "
        f"rule. What is the overall risk of bias?"
    )
    return _item(question, _answers(list(ROB2_JUDGEMENTS), key, right, wrong))


def rob_items(study_id: str, folder: Folder = None) -> list[dict]:
    """The RoB 2 practice items for one trial: one per domain (in the data's order) and one for the overall rule."""
    domains, overall = _rob_rows(study_id, folder)
    label = str(domains["study"].iloc[0])
    items = []
    for _, row in domains.iterrows():
        question = (
            f"{label}, {row['domain']}. The words this judgement rests on ({row['locator']}): "
            f"\u201c{row['quote']}\u201d Your judgement for this domain?"
        )
        key = str(row["judgement"])
        wrong = {j: _domain_wrong(str(row["domain"]), j, key) for j in ROB2_JUDGEMENTS if j != key}
        right = f"Yes, the book says {key}: {row['justification']}"
        items.append(_item(question, _answers(list(ROB2_JUDGEMENTS), key, right, wrong)))
    items.append(_overall_item(label, domains, overall))
    return items


# --- GRADE -------------------------------------------------------------------------------------------------------


def _reason(reasons: str, domain: str) -> str | None:
    """The sentence(s) of the book's reasons about one GRADE domain ('Imprecision -1: ...'), or None."""
    names = "|".join(re.escape(n) for n in GRADE_DOMAINS.values())
    parts = re.split(rf"(?=(?:{names}) -\d)", reasons)
    name = GRADE_DOMAINS[domain]
    found = [p.strip() for p in parts if p.startswith(f"{name} -")]
    return " ".join(found) or None


def _start(row: pd.Series, folder: Folder) -> tuple[str, str]:
    studies = load_studies(folder=folder).set_index("study_id")
    ids = [s.strip() for s in str(row["studies"]).split(";") if s.strip()]
    randomized = all(bool(studies.loc[s, "randomized"]) for s in ids)
    return ("high", "randomized trials start at high") if randomized else ("low", "non-randomized evidence starts at low")


def _sof_row(sof_id: str, folder: Folder) -> pd.Series:
    rows = load_certainty(folder=folder)
    hit = rows[rows["sof_id"] == sof_id]
    if hit.empty:
        raise ValueError(f"No summary-of-findings row {sof_id!r}; rows: {', '.join(rows['sof_id'])}")
    return hit.iloc[0]


def _step_item(row: pd.Series, domain: str) -> dict:
    name, key = GRADE_DOMAINS[domain], str(row[domain])
    reason = _reason(str(row["reasons"]), domain)
    right = f"Yes, the book says {key}. " + (reason or f"The book's reasons name no problem of {name.lower()} here.")
    wrong = {}
    for option in _STEP_OPTIONS:
        if option == key:
            continue
        if STEP_DOWN[option] > STEP_DOWN[key]:
            told = f"The book does not step down that far for {name.lower()}."
        else:
            told = f"The book steps down further than that for {name.lower()}."
        wrong[option] = f"{told} {_GRADE_WHEN[domain]}"
    question = f"{name}: how far does this outcome step down?"
    return _item(question, _answers(_STEP_OPTIONS, key, right, wrong))


def grade_items(sof_id: str, folder: Folder = None) -> list[dict]:
    """The GRADE practice items for one summary-of-findings row: a step per domain, then the final level."""
    row = _sof_row(sof_id, folder)
    start, why = _start(row, folder)
    items = [_step_item(row, d) for d in GRADE_DOMAINS]
    steps = {d: STEP_DOWN[str(row[d])] for d in GRADE_DOMAINS}
    total = sum(steps.values())
    level = CERTAINTY_LEVELS[min(CERTAINTY_LEVELS.index(start) + total, len(CERTAINTY_LEVELS) - 1)]
    key = str(row["certainty"])
    if level != key:
        raise ValueError(f"{sof_id}: the data say '{key}', the start ({start}) and the steps ({total}) give '{level}'")
    listed = ", ".join(f"{GRADE_DOMAINS[d].lower()} -{n}" for d, n in steps.items() if n) or "no step down"
    floor = " (certainty cannot fall below very low)" if CERTAINTY_LEVELS.index(start) + total > 3 else ""
    right = f"Yes: {key}. Start at {start} ({why}); step down {total} ({listed}){floor}."
    wrong = {}
    for option in CERTAINTY_LEVELS:
        if option == key:
            continue
        if CERTAINTY_LEVELS.index(option) < CERTAINTY_LEVELS.index(key):
            wrong[option] = f"Too high. Start at {start} ({why}) and count every step down the book takes: {listed}."
        else:
            wrong[option] = f"Too low. Start at {start} ({why}); the book's steps down add up to {total}, no more."
    question = "Putting it together: where does the certainty of this outcome end up?"
    items.append(_item(question, _answers(list(CERTAINTY_LEVELS), key, right, wrong)))
    return items


def grade_profile(sof_id: str, folder: Folder = None) -> pd.DataFrame:
    """What the learner sees before stepping down: the outcome, its studies (design, overall risk of bias),
    participants, effects and start level; no certainty, no steps, no reasons."""
    row = _sof_row(sof_id, folder)
    start, why = _start(row, folder)
    studies = load_studies(folder=folder).set_index("study_id")
    rob = load_risk_of_bias(folder=folder)
    overall = rob[rob["domain"] == "overall"].set_index("study_id")
    ids = [s.strip() for s in str(row["studies"]).split(";") if s.strip()]
    described = "; ".join(
        f"{overall.loc[s, 'study']}: {studies.loc[s, 'design']}, {overall.loc[s, 'tool']} overall {overall.loc[s, 'judgement']}"
        for s in ids
    )
    n = row["participants"]
    return pd.DataFrame(
        {
            "Of the evidence": ["Outcome", "Studies", "Participants", "Relative effect", "Absolute effect", "Start"],
            "Evidence profile": [
                row["outcome"],
                described,
                "not in the data" if pd.isna(n) else str(int(n)),
                row["relative_effect"],
                row["absolute_effect"],
                f"{start} ({why})",
            ],
        }
    )


# --- tracing a figure --------------------------------------------------------------------------------------------


def _figure(row: pd.Series) -> tuple[str, list[float]]:
    if pd.notna(row["estimate"]):
        values = [float(row[c]) for c in ("estimate", "ci_lower", "ci_upper") if pd.notna(row[c])]
        ci = f" (95% CI {row['ci_lower']:g} to {row['ci_upper']:g})" if len(values) == 3 else ""
        return f"{row['effect_measure']} {row['estimate']:g}{ci}, {row['arm_label']}", values
    if pd.notna(row["percent"]):
        return f"{row['percent']:g}% in the {row['arm_label']} arm", [float(row["percent"])]
    if pd.notna(row["events"]) and pd.notna(row["n"]):
        return f"{int(row['events'])} of {int(row['n'])} in the {row['arm_label']} arm", [float(row["events"]), float(row["n"])]
    raise ValueError(f"{row['outcome_id']}: no figure to trace (no estimate, percent or events)")


def trace_item(outcome_id: str, folder: Folder = None, distractors: int = 2) -> dict:
    """Which words of the source carry a figure the book shows: the row's own quote against quotes of the same
    study (its other results, its risk-of-bias rows) that do not hold the figure."""
    outcomes = load_outcomes(folder=folder)
    hit = outcomes[outcomes["outcome_id"] == outcome_id]
    if hit.empty:
        raise ValueError(f"No result {outcome_id!r} in outcomes.csv")
    row = hit.iloc[0]
    figure, values = _figure(row)
    rob = load_risk_of_bias(study_id=row["study_id"], folder=folder)
    others = [
        (r["locator"], r["quote"], f"the result '{r['outcome']}'")
        for _, r in outcomes[outcomes["study_id"] == row["study_id"]].iterrows()
    ]
    others += [(r["locator"], r["quote"], f"the methods ({r['domain']})") for _, r in rob.iterrows()]
    seen, pool = {row["quote"]}, []
    for locator, quote, what in others:
        if pd.isna(quote) or quote in seen or any(number_in_quote(v, quote) for v in values):
            continue
        seen.add(quote)
        pool.append((locator, quote, what))
    if len(pool) < distractors:
        raise ValueError(f"{outcome_id}: only {len(pool)} other quotes of {row['study_id']} without the figure")
    rng = random.Random(outcome_id)
    rng.shuffle(pool)  # quotes that hold other figures first: the right one is not the only one with numbers
    chosen = sorted(pool, key=lambda p: not numbers_in_text(p[1]))[:distractors]
    options = [(row["locator"], row["quote"], None), *chosen]
    rng.shuffle(options)
    studies = load_studies(folder=folder).set_index("study_id")
    doi = studies.loc[row["study_id"], "doi"]
    where = f"{row['locator']}" + (f", doi {doi}" if pd.notna(doi) else "")
    answers = []
    for locator, quote, what in options:
        if what is None:
            answers.append({"answer": quote, "correct": True, "feedback": f"Yes: the figure stands in these words, at {where}."})
            continue
        told = f"Not these: they are at {locator} and give {what}; the figure ({figure}) is not in them."
        answers.append({"answer": quote, "correct": False, "feedback": told})
    question = (
        f"The book shows, for {rob['study'].iloc[0]} ({row['outcome']}): {figure}. Which words of the source carry this figure?"
    )
    return _item(question, answers)


# --- display -----------------------------------------------------------------------------------------------------


def show_practice(questions: list[dict], key: str) -> None:
    """Display generated items as one jupyterquiz (offline script, stable element id seeded by ``key``, options in
    the given order), as :func:`book.teaching.quiz.show_quiz` does for a chapter's quiz file."""
    from .quiz import CONTRAST_COLORS, display_quiz_offline

    display_quiz_offline(questions, f"practice-{key}", CONTRAST_COLORS)


def rob_practice(study_id: str) -> None:
    """The RoB 2 exercise for one trial: an item per domain, then the overall rule."""
    show_practice(rob_items(study_id), f"rob-{study_id}")


def grade_practice(sof_id: str) -> None:
    """The GRADE exercise for one outcome: its evidence profile, then an item per domain and the final level."""
    from IPython.display import display

    from ..views.kit import styled

    display(styled(grade_profile(sof_id), f"Step it down yourself: {sof_id}", "sof"))
    show_practice(grade_items(sof_id), f"grade-{sof_id}")


def trace_practice(*outcome_ids: str) -> None:
    """The tracing exercise: one item per figure."""
    show_practice([trace_item(o) for o in outcome_ids], "trace-" + "-".join(outcome_ids))


def trace_solution(*outcome_ids: str):
    """The folded solution of the tracing exercise: each result's study, DOI, locator and quote, from data/."""
    from ..views.kit import styled

    rows = load_outcomes().merge(load_studies()[["study_id", "doi"]], on="study_id").set_index("outcome_id")
    return styled(rows.loc[list(outcome_ids), ["study_id", "doi", "locator", "quote"]], "Where the figure stands", "trace")
