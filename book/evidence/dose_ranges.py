"""The per-session intravenous ketamine doses the studies state, and where they sit beside the labelled induction dose.

The chapters say what range of doses the trials gave and whether those doses were "sub-anaesthetic". That range is
computed here from ``data/studies.csv`` instead of being written from memory, so that a study whose second infusion
was larger than its first (Azhari 2021: 0.71 then 1.41 mg/kg) cannot drop out of it: the numeric column
``ketamine_dose_mg_per_kg`` holds one dose per study, while ``dose_description`` names every dose. The labelled
range for the induction of anaesthesia comes from ``data/pharmacology.csv`` (topic "other").

This describes research protocols and a label; it is not dosing guidance.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["stated_doses", "dose_range", "induction_range", "dose_range_summary"]

# A dose per kilogram ("0.71 mg/kg"), not a rate ("0.5 mg/kg/h", "0.5 mg/kg/min").
_DOSE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*mg/kg(?!\s*/)")
_PARENS = re.compile(r"\([^()]*\)")


def _doses_in(description: str) -> list[float]:
    """Doses per kilogram written in ``description`` outside parentheses (asides there name other arms or a
    registry's breakdown of one dose), without repeats, in order."""
    text = description
    while _PARENS.search(text):
        text = _PARENS.sub(" ", text)
    seen: list[float] = []
    for m in _DOSE.finditer(text):
        value = float(m.group(1))
        if value not in seen:
            seen.append(value)
    return seen


def stated_doses(studies: pd.DataFrame, route: str = "intravenous", exclude_condition: str = "withdrawal") -> pd.DataFrame:
    """One row per ketamine dose per session (mg/kg) that a study's ``dose_description`` states.

    Only studies given by ``route``; studies whose condition is ``exclude_condition`` (continuous infusions for
    withdrawal, stated as rates) are left out. Columns: study_id, condition, design, dose_mg_per_kg, description.
    """
    rows = studies[(studies["route"].astype(str) == route) & (studies["condition"].astype(str) != exclude_condition)]
    out = [
        {
            "study_id": r["study_id"],
            "condition": str(r["condition"]),
            "design": str(r["design"]),
            "dose_mg_per_kg": dose,
            "description": r["dose_description"],
        }
        for _, r in rows.iterrows()
        if isinstance(r["dose_description"], str)
        for dose in _doses_in(r["dose_description"])
    ]
    return pd.DataFrame(out, columns=["study_id", "condition", "design", "dose_mg_per_kg", "description"])


def dose_range(studies: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The rows of :func:`stated_doses` with the lowest and the highest dose (first study in data order on a tie)."""
    doses = stated_doses(studies)
    if doses.empty:
        raise ValueError("No study in this selection states an intravenous dose per session in mg/kg.")
    return doses.loc[doses["dose_mg_per_kg"].idxmin()], doses.loc[doses["dose_mg_per_kg"].idxmax()]


def induction_range(pharmacology: pd.DataFrame) -> tuple[float, float, str]:
    """The labelled initial intravenous dose for induction of anaesthesia: (low, high, item_id) from pharmacology.csv."""
    rows = pharmacology[pharmacology["quantity"].astype(str).str.contains("induction of anaesthesia", case=False)]
    rows = rows[rows["route"].astype(str).str.startswith("intravenous") & (rows["unit"].astype(str) == "mg/kg")]
    if len(rows) != 1:
        raise ValueError(f"Expected one labelled intravenous induction range in pharmacology.csv, found {len(rows)}.")
    row = rows.iloc[0]
    low, high = (float(x) for x in re.findall(r"\d+(?:\.\d+)?", str(row["value"]))[:2])
    return low, high, str(row["item_id"])


def dose_range_summary(studies: pd.DataFrame, pharmacology: pd.DataFrame) -> str:
    """Plain-text summary for a chapter: the range of stated intravenous doses per session, which study gave the
    highest, and which stated doses reach the labelled induction range."""
    doses = stated_doses(studies)
    lowest, highest = dose_range(studies)
    low, high, item = induction_range(pharmacology)
    reaching = doses[(doses["dose_mg_per_kg"] >= low) & (doses["dose_mg_per_kg"] <= high)]
    lines = [
        f"Ketamine doses per session stated for {doses['study_id'].nunique()} studies recorded as intravenous, in a use "
        f"disorder or hazardous use (withdrawal infusions excluded): {lowest['dose_mg_per_kg']:g} to "
        f"{highest['dose_mg_per_kg']:g} mg/kg.",
        f"Lowest: {lowest['study_id']} ({lowest['design']}); highest: {highest['study_id']} ({highest['design']}): "
        f"{highest['description']}.",
        f"Labelled initial intravenous dose for induction of anaesthesia ({item}): {low:g} to {high:g} mg/kg.",
    ]
    if reaching.empty:
        lines.append("No stated dose per session lies inside that range.")
    else:
        named = "; ".join(f"{r.study_id} {r.dose_mg_per_kg:g} mg/kg" for r in reaching.itertuples())
        lines.append(f"Stated doses per session inside that range: {named}.")
    return "\n".join(lines)
