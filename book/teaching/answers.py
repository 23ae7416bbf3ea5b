"""The answer registry: every answer-checked exercise's answer, keyed by the exercise's ``:label:``.

A chapter's answer-check cell holds no key: it calls ``check_answer("ex-cocaine-control", my_choice)``
(:func:`book.exercises.check_answer`), and the answer is looked up here. :data:`ANSWERS` maps each label
(or ``label/part`` when one exercise has several check cells, e.g. ``ex-alcohol-count/participants``)
to one of two kinds of entry:

* :class:`ComputedAnswer`, kinds ``data`` and ``computed``: the answer is computed when the learner
  checks, from ``data/`` (:data:`book.exercises.DATA_QUESTIONS`) or from a book function (the odds ratio
  of a made-up trial, from :func:`book.effects.binary_effect`). Nothing here gives the figure away that
  the exercise does not ask the learner to compute the same way, and the answer never drifts from the data.
* :class:`HashedAnswer`, kinds ``choice``, ``text`` and ``number``: fixed answers. The learner-facing
  registry (:mod:`book.answer_registry`) holds only a salted SHA-256 digest of
  ``label + normalised answer`` (:func:`digest`); a learner's answer is normalised the same way
  (option letter lower-cased; text lower-cased with spaces and hyphens ignored; a number rounded to the
  entry's ``decimals``) and hashed. The per-option explanations, shown only after the learner answers,
  are kept in plain text: they are feedback.

Where the keys live, and why
----------------------------
The plain fixed keys are in ``book/answer_keys/instructor.json``, for instructors; it is the one file
an author edits. ``python -m book.answers --write`` regenerates :mod:`book.answer_registry` from it, and
``tests/test_answer_keys.py`` fails if the two disagree. ``python -m book answer-key [CHAPTER ...]``
prints every exercise's label, kind and answer (computing the data answers now, reading fixed ones from
the instructor file and checking them against the hashes).

* The hashed registry is a generated *Python module*, not a data file, because the package is
  installed as ``packages = ["book"]``: a ``.py`` file always travels with the code that needs it,
  while ``book/answer_keys/`` is not a package, so a built wheel leaves the instructor file out.
  Learners' checks never read it, so an instructor may delete it from what they hand out.
* Student copies (``python -m book student-copy``) contain only notebooks, and the notebooks' check
  cells hold only a label and the learner's variable; the tests check both the chapters and fresh
  student copies for keys, explanations and direct calls of the building blocks.
* The hash hides the key from sight, not from effort: three or four options can be tried in seconds,
  and the repository is public. That is deliberate: the aim is that the key is not printed under the
  question on the website, in JupyterLab or in a student copy, not to secure a graded exam. The label
  is part of the salt, so exercises with the same correct letter do not share a digest.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .checks import (
    Feedback,
    check_number,
    judge_choice,
    judge_rounded_number,
    judge_text,
    normal_choice,
    normal_text,
)
from .data_questions import DATA_QUESTIONS

__all__ = [
    "ANSWERS",
    "ComputedAnswer",
    "HashedAnswer",
    "check_answer",
    "digest",
    "normal_number",
    "hashed_answers",
    "INSTRUCTOR_KEYS",
    "REGISTRY_MODULE",
]

PACKAGE = Path(__file__).resolve().parent
INSTRUCTOR_KEYS = PACKAGE / "answer_keys" / "instructor.json"
REGISTRY_MODULE = PACKAGE / "answer_registry.py"
_SALT = "kap-sud-book/answer/v1"
FIXED_KINDS = ("choice", "text", "number")


# --- hashing ------------------------------------------------------------------------------------


def digest(label: str, normalised: str) -> str:
    """The salted SHA-256 of one normalised answer to the exercise ``label``."""
    return hashlib.sha256(f"{_SALT}\x1f{label}\x1f{normalised}".encode()).hexdigest()


def normal_number(value: float, decimals: int) -> str:
    """A number on the grid the answer is checked on: ``decimals`` places, no negative zero."""
    text = f"{float(value):.{decimals}f}"
    return text[1:] if re.fullmatch(r"-0\.?0*", text) else text


# --- registry entries ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ComputedAnswer:
    """A numeric answer computed when checked (from ``data/`` or a book function)."""

    kind: str  # "data" or "computed"
    question: str
    compute: Callable[[], float]
    tolerance: float
    hint: str
    source: str  # where the answer comes from, for instructors

    def check(self, answer) -> Feedback:
        return check_number(answer, self.compute(), self.tolerance, hint=f"{self.question} {self.hint}")

    def key(self) -> str:
        value = self.compute()
        within = f" (within {self.tolerance:g})" if self.tolerance else ""
        return f"{value:.10g}{within}, computed now from {self.source}"


@dataclass(frozen=True)
class HashedAnswer:
    """A fixed answer held as salted digests of its accepted normalised forms."""

    label: str
    kind: str  # "choice", "text" or "number"
    digests: frozenset[str]
    options: tuple[str, ...] = ()
    explanations: Mapping[str, str] = field(default_factory=dict)
    hint: str = ""
    unit: str = ""
    decimals: int = 0

    def _matches(self, normalised: str) -> bool:
        return digest(self.label, normalised) in self.digests

    def check(self, answer) -> Feedback:
        if self.kind == "choice":
            return judge_choice(answer, self._matches, self.options or None, explanations=dict(self.explanations), hint=self.hint)
        if self.kind == "text":
            return judge_text(answer, self._matches, hint=self.hint)
        return judge_rounded_number(
            answer, lambda value: self._matches(normal_number(value, self.decimals)), unit=self.unit, hint=self.hint
        )

    def accepts(self, plain) -> bool:
        """Whether a plain key (from the instructor file) hashes to this entry."""
        if self.kind == "choice":
            return self._matches(normal_choice(str(plain)))
        if self.kind == "text":
            return all(self._matches(normal_text(a)) for a in plain)
        return self._matches(normal_number(plain, self.decimals))


def _data(key: str) -> ComputedAnswer:
    question, compute, tolerance, hint = DATA_QUESTIONS[key]
    return ComputedAnswer("data", question, compute, tolerance, hint, f"data/ (DATA_QUESTIONS[{key!r}])")


def _participants_to_rule_out_one_in_100() -> float:
    from ..evidence.effects import participants_to_rule_out

    return float(participants_to_rule_out(0.01))


def _participants_per_arm_25_to_45() -> float:
    from ..evidence.effects import participants_per_arm

    return float(participants_per_arm(0.25, 0.45, alpha=0.05, power=0.8))


def _made_up_trial_odds_ratio() -> float:
    from ..evidence.effects import binary_effect

    return float(binary_effect(2, 100, 1, 100, "OR").estimate)


def _protocol_studies(sessions_stated: bool) -> Callable[[], float]:
    """Studies that combined ketamine with a psychological treatment (data/protocols.csv, one row per study), or
    those of them whose sources state the number of therapy sessions."""

    def compute() -> float:
        from ..evidence.loaders import load_protocols
        from ..views.practice import protocol_summary

        summary = protocol_summary(load_protocols())
        chosen = summary[summary["with_therapy"]]
        if sessions_stated:
            chosen = chosen[chosen["therapy_sessions"].notna()]
        return float(len(chosen))

    return compute


def _protocol_answer(question: str, sessions_stated: bool, hint: str) -> ComputedAnswer:
    source = "data/protocols.csv (book.protocol_charts.protocol_summary)"
    return ComputedAnswer("data", question, _protocol_studies(sessions_stated), 0, hint, source)


def _randomized_alcohol_md_pooled() -> float:
    """Pooled (DL) mean difference of the alcohol results from randomized studies (scaffolded exercise)."""
    from ..evidence.effects import pool, study_effects
    from ..evidence.loaders import load_outcomes

    e = study_effects(load_outcomes())
    rows = e[(e["substance"] == "alcohol") & (e["measure"] == "MD") & e["design"].astype(str).str.startswith("randomized")]
    return round(float(pool(rows["yi"], rows["vi"], method="DL", measure="MD").estimate), 1)


def _largest_trial_sees_one_in_200() -> float:
    """Percent chance that the largest randomized study in the data includes at least one case of a 1-in-200 harm."""
    from ..evidence.loaders import load_studies

    s = load_studies()
    n = int(s.loc[s["design"].astype(str).str.startswith("randomized"), "n_participants"].max())
    return round(100 * (1 - (1 - 1 / 200) ** n), 0)


def _share_stating_sessions() -> float:
    """Percent of the studies with a psychological treatment whose sources state the number of therapy sessions."""
    return round(100 * _protocol_studies(True)() / _protocol_studies(False)(), 0)


#: Answers computed when checked: label -> entry.
COMPUTED: dict[str, ComputedAnswer] = {
    "ex-about-count": _data("alcohol-rcts"),
    "ex-alcohol-count": _data("alcohol-rcts"),
    "ex-alcohol-count/participants": _data("alcohol-randomized-participants"),
    "ex-alcohol-krupitsky": _data("alcohol-krupitsky1997-abstinence-difference"),
    "ex-alcohol-withdrawal": _data("alcohol-withdrawal-studies"),
    "ex-cocaine-arms": _data("dakwar2019-abstinence-difference"),
    "ex-cocaine-count": _data("cocaine-studies"),
    "ex-opioids-arms": _data("opioids-krupitsky2007-abstinence-ratio"),
    "ex-opioids-count": _data("opioids-studies"),
    "ex-opioids-count/participants": _data("opioids-randomized-participants"),
    "ex-safety-figures": _data("trial-studies-with-harm-figures"),
    "ex-mech-count": _data("mechanism-claims-in-addiction"),
    "ex-other-registrations": _data("randomized-registrations-still-to-report"),
    "ex-primer-ci": _data("contrasts-without-interval"),
    "ex-primer-ci/excludes": _data("contrasts-excluding-no-effect"),
    "ex-primer-not-reported": _data("trial-studies-silent-on-harms"),
    "ex-cp-count": ComputedAnswer(
        "data",
        "Of the studies that combined ketamine with a psychological treatment, what percentage state the number of "
        "therapy sessions (to the nearest whole percent)?",
        _share_stating_sessions,
        0.5,
        "Divide the studies with with_therapy True and a therapy_sessions value by all studies with with_therapy True.",
        "data/protocols.csv (book.protocol_charts.protocol_summary)",
    ),
    "ex-cp-count/sessions": _protocol_answer(
        "Of the studies that combined ketamine with a psychological treatment, how many state the number of therapy sessions?",
        True,
        "Among the rows with with_therapy True, count those whose therapy_sessions is not missing.",
    ),
    "ex-compare-scaffold": ComputedAnswer(
        "data",
        "Pooled (DL) mean difference of the alcohol results from randomized studies, to one decimal?",
        _randomized_alcohol_md_pooled,
        0.05,
        "Keep substance alcohol, measure MD and designs starting with 'randomized', pool them, and round pooled.estimate.",
        "data/outcomes.csv and data/studies.csv (book.effects.study_effects, pool)",
    ),
    "ex-safety-scaffold": ComputedAnswer(
        "data",
        "Chance, in percent, that the largest randomized study in the data includes at least one case of a 1-in-200 harm?",
        _largest_trial_sees_one_in_200,
        0.5,
        "Take the largest n_participants among randomized designs and compute 100 * (1 - (1 - 1/200) ** n).",
        "data/studies.csv (n_participants of the randomized studies)",
    ),
    "ex-review-references": _data("review-references-not-found"),
    "ex-safety-rule-of-three": ComputedAnswer(
        "computed",
        "How many people must a study follow, with no one having the harm, to rule out (at 95%) a harm that affects 1 in 100?",
        _participants_to_rule_out_one_in_100,
        1,
        "Solve (1 - 0.01) ** n <= 0.05 for the smallest n, or use the rule of three backwards (n = 3 / risk).",
        "book.effects: participants_to_rule_out(0.01)",
    ),
    "ex-outlook-size": ComputedAnswer(
        "computed",
        "How many participants per arm detect a rise in abstinence from 25% to 45% (two-sided 5% level, 80% power)?",
        _participants_per_arm_25_to_45,
        1,
        "Use the explorer, or participants_per_arm(0.25, 0.45, alpha=0.05, power=0.8).",
        "book.effects: participants_per_arm(0.25, 0.45)",
    ),
    "ex-compare-or-rr": ComputedAnswer(
        "computed",
        "What is the odds ratio, to two decimals, when 2 of 100 and 1 of 100 people have the outcome?",
        _made_up_trial_odds_ratio,
        0.01,
        "binary_effect(events_1, n_1, events_2, n_2, 'OR').estimate",
        "book.effects: binary_effect(2, 100, 1, 100, 'OR').estimate",
    ),
}


def hashed_answers(registry: Mapping[str, Mapping]) -> dict[str, HashedAnswer]:
    """Entries for a hashed registry (as in :mod:`book.answer_registry`)."""
    return {
        label: HashedAnswer(
            label,
            e["kind"],
            frozenset(e["digests"]),
            tuple(e.get("options", ())),
            dict(e.get("explanations", {})),
            e.get("hint", ""),
            e.get("unit", ""),
            int(e.get("decimals", 0)),
        )
        for label, e in registry.items()
    }


def _registry() -> dict[str, ComputedAnswer | HashedAnswer]:
    try:
        from .answer_registry import FIXED_ANSWERS
    except ImportError:  # not generated yet: python -m book.answers --write
        FIXED_ANSWERS = {}

    both = set(COMPUTED) & set(FIXED_ANSWERS)
    if both:
        raise RuntimeError(f"Exercises with both a computed and a fixed answer: {', '.join(sorted(both))}.")
    return {**COMPUTED, **hashed_answers(FIXED_ANSWERS)}


#: Every exercise's answer: label (or label/part) -> entry.
ANSWERS: dict[str, ComputedAnswer | HashedAnswer] = _registry()


def check_answer(label: str, answer) -> Feedback:
    """Check ``answer`` to the exercise ``label``; an unknown label gets a message listing the known ones."""
    if not isinstance(label, str) or label not in ANSWERS:
        close = difflib.get_close_matches(label, list(ANSWERS), n=1) if isinstance(label, str) else []
        guess = f" Did you mean {close[0]!r}?" if close else ""
        return Feedback(
            False, f"There is no exercise {label!r} in the answer registry.{guess} Exercises: {', '.join(sorted(ANSWERS))}."
        )
    return ANSWERS[label].check(answer)
