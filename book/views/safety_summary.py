"""Counts behind the safety chapter's sentences, computed from the data rather than written by hand.

Three questions the chapter answers in prose:

* how each clinical study reported harms (a harm counted above zero, figures that are all zero, a sentence
  without figures, or nothing), see :func:`reporting_profile` and :func:`reporting_summary`;
* which studies counted a harm as having happened, see :func:`counted_harms`;
* how many studies list a given exclusion criterion, out of the studies whose criteria we could read and out
  of all studies, see :func:`exclusion_coverage` and :func:`exclusion_sentence`.

Each ``*_summary`` or ``*_sentence`` function returns plain Markdown text, so a chapter cell can show it with
``IPython.display.Markdown`` and a test can compare it with the data.
"""

from __future__ import annotations

import pandas as pd

from ..evidence.labels import study_label

__all__ = [
    "REPORTING_LEVELS",
    "with_study_labels",
    "counted_harms",
    "reporting_profile",
    "reporting_summary",
    "exclusion_coverage",
    "exclusion_sentence",
]

#: How a study reported harms, from most to least informative. A study takes the first level any of its rows reaches.
REPORTING_LEVELS = [
    "a harm counted as having happened",
    "figures, all of them zero",
    "a sentence without figures",
    "nothing (not reported)",
]

#: Kinds of harm that are not counted as harms when a row carries a figure: a departure from a study whose
#: reason is not given (yoon2019) is recorded with kind "other" and is not evidence of harm.
_NOT_A_COUNTED_HARM = ("other",)


def _label(frame: pd.DataFrame) -> pd.Series:
    """Each row's study label ("Author year"); the loaders put it in ``source``."""
    if "source" in frame.columns:
        return frame["source"].astype(str)
    return pd.Series([study_label(a, y) for a, y in zip(frame["first_author"], frame["year"])], index=frame.index)


def with_study_labels(harms: pd.DataFrame) -> pd.DataFrame:
    """The harms with every study row's ``source`` label set by :func:`book.evidence.labels.study_label`.

    Kept for code written before ``load_harms`` used the one study label itself (it now labels an undated study
    "Author (undated)", never a missing value); on the loader's output this changes nothing.
    Rows from other sources keep their label."""
    out = harms.copy()
    from_study = out["first_author"].notna()
    out.loc[from_study, "source"] = [
        study_label(a, y) for a, y in zip(out.loc[from_study, "first_author"], out.loc[from_study, "year"])
    ]
    return out


def counted_harms(harms: pd.DataFrame) -> pd.DataFrame:
    """Rows in which a study counted a harm as having happened: a count or percentage above zero, of a
    kind other than "other". Input: the harms of the clinical studies (``load_harms(population=TRIAL_POPULATION)``)."""
    has_figure = harms["reporting"] == "count or percentage"
    above_zero = (harms["count"].fillna(0) > 0) | (harms["percent"].fillna(0) > 0)
    real_kind = ~harms["harm_kind"].isin(_NOT_A_COUNTED_HARM)
    return harms[has_figure & above_zero & real_kind]


def reporting_profile(harms: pd.DataFrame, studies: pd.DataFrame) -> pd.DataFrame:
    """One row per clinical study: its label and the most informative way its sources reported harms
    (one of :data:`REPORTING_LEVELS`, or "no harm row" for a study the harms table does not cover)."""
    counted = set(counted_harms(harms)["study_id"])
    figures = set(harms.loc[harms["reporting"] == "count or percentage", "study_id"])
    statements = set(harms.loc[harms["reporting"].isin(["statement without figures", "scale or measurement"]), "study_id"])
    listed = set(harms["study_id"].dropna())

    def level(study_id: str) -> str:
        if study_id in counted:
            return REPORTING_LEVELS[0]
        if study_id in figures:
            return REPORTING_LEVELS[1]
        if study_id in statements:
            return REPORTING_LEVELS[2]
        if study_id in listed:
            return REPORTING_LEVELS[3]
        return "no harm row"

    out = pd.DataFrame({"study_id": studies["study_id"], "study": _label(studies).values})
    out["reporting"] = out["study_id"].map(level)
    return out


def _join(names: list[str]) -> str:
    names = sorted(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def reporting_summary(harms: pd.DataFrame, studies: pd.DataFrame) -> str:
    """A Markdown paragraph: how many of the clinical studies reported harms at each level, naming the studies
    that counted a harm as having happened."""
    profile = reporting_profile(harms, studies)
    counts = profile["reporting"].value_counts()
    total = len(profile)
    parts = [f"{int(counts.get(level, 0))} {level}" for level in REPORTING_LEVELS]
    counted_names = profile.loc[profile["reporting"] == REPORTING_LEVELS[0], "study"].tolist()
    text = (
        f"Of the {total} clinical studies in the data, the most informative harm report we could read is: "
        + "; ".join(parts)
        + f". The studies that counted a harm as having happened are {_join(counted_names)}."
    )
    missing = int(counts.get("no harm row", 0))
    if missing:
        text += f" {missing} studies have no row in the harms table yet."
    return text


def exclusion_coverage(procedures: pd.DataFrame, studies: pd.DataFrame) -> pd.DataFrame:
    """One row per excluded condition: how many studies list it, which, out of how many studies whose exclusion
    criteria we could read, and out of all clinical studies. Input: ``load_safety_procedures()`` and ``load_studies()``."""
    excl = procedures[procedures["aspect"] == "exclusion criterion"].copy()
    excl["study"] = _label(excl)
    with_criteria = excl["study_id"].nunique()
    rows = []
    for item, group in excl.groupby("item"):
        rows.append(
            {
                "item": item,
                "studies": group["study_id"].nunique(),
                "names": _join(group["study"].unique().tolist()),
                "of_studies_with_criteria": with_criteria,
                "of_all_studies": len(studies),
            }
        )
    return pd.DataFrame(rows).sort_values(["studies", "item"], ascending=[False, True]).reset_index(drop=True)


def exclusion_sentence(procedures: pd.DataFrame, studies: pd.DataFrame, items: list[str]) -> str:
    """A Markdown sentence saying, for each named condition, how many and which studies exclude it."""
    cov = exclusion_coverage(procedures, studies).set_index("item")
    if cov.empty:
        return "No study in this selection lists exclusion criteria."
    first = cov.iloc[0]
    pieces = []
    for item in items:
        if item in cov.index:
            row = cov.loc[item]
            pieces.append(f"{item}: {int(row['studies'])} ({row['names']})")
        else:
            pieces.append(f"{item}: none")
    return (
        f"We could read exclusion criteria for {int(first['of_studies_with_criteria'])} of the "
        f"{int(first['of_all_studies'])} clinical studies. Of those, the number that exclude each condition is "
        + "; ".join(pieces)
        + "."
    )
