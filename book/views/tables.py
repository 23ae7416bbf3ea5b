"""Tables for readers, drawn from the validated data (never typed into a notebook).

Each function returns a pandas ``Styler`` with a caption and without the row index, so the
table reads well on the site and in JupyterLab and has no empty header cell.
"""

from __future__ import annotations

import pandas as pd

from ..evidence.labels import study_label, study_labels
from .kit import styled

__all__ = [
    "study_label",
    "format_result",
    "study_table",
    "comparators_table",
    "outcome_table",
    "evidence_trail",
    "adverse_event_table",
    "harms_table",
    "zero_event_table",
    "procedures_table",
    "product_information_table",
    "mechanism_table",
    "registrations_table",
    "pharmacology_table",
    "evidence_overview",
    "effect_table",
    "effect_rows",
    "count_text",
]


def _num(x) -> str:
    if pd.isna(x):
        return ""
    x = float(x)
    return str(int(x)) if x.is_integer() else f"{x:g}"


def format_result(row) -> str:
    """One result in words: '13/27 (48.2%)', 'mean 3.1 (SD 1.2)', 'HR 0.47 (95% CI 0.24 to 0.92); p=0.02'."""
    parts = []
    if pd.notna(row.get("events")) and pd.notna(row.get("n")):
        parts.append(f"{_num(row['events'])}/{_num(row['n'])}")
    elif pd.notna(row.get("events")):
        parts.append(f"{_num(row['events'])} participants")
    if pd.notna(row.get("percent")):
        pct = f"{_num(row['percent'])}%"
        parts.append(f"({pct})" if parts else pct)
    if pd.notna(row.get("mean")):
        text = f"mean {_num(row['mean'])}"
        if pd.notna(row.get("sd")):
            text += f" (SD {_num(row['sd'])})"
        parts.append(text)
    if pd.notna(row.get("estimate")):
        measure = row.get("effect_measure")
        measure = "" if pd.isna(measure) or measure == "other" else f"{measure} "
        text = f"{measure}{_num(row['estimate'])}"
        if pd.notna(row.get("ci_lower")):
            text += f" (95% CI {_num(row['ci_lower'])} to {_num(row['ci_upper'])})"
        parts.append(text)
    result = " ".join(parts)
    p = (
        row.get("p_text")
        if pd.notna(row.get("p_text"))
        else (None if pd.isna(row.get("p_value")) else f"={_num(row['p_value'])}")
    )
    if p:
        p = p if p[0] in "<>=≤≥" else f"={p}"
        result = f"{result}; p{p}" if result else f"p{p}"
    if not result and pd.notna(row.get("n")):
        result = f"n={_num(row['n'])}"
    return result


def _in_study_order(frame: pd.DataFrame, what: str) -> tuple[pd.DataFrame, list[str]]:
    """The rows sorted by year and author, with each row's study label; refuses an empty selection."""
    if frame.empty:
        raise ValueError(f"No {what} to show: the selection is empty. Check the substance or filter you passed.")
    ordered = frame.sort_values(["year", "first_author"], kind="stable")
    return ordered, study_labels(ordered)


def study_table(studies: pd.DataFrame, caption: str = "Studies"):
    """The design of each study: who took part, what was given, for how long."""
    s, labels = _in_study_order(studies, "studies")
    follow = s["follow_up"].fillna("")
    table = pd.DataFrame(
        {
            "Study": labels,
            "Design (blinding)": s["design"].astype(str) + " (" + s["blinding"].fillna("blinding not stated").astype(str) + ")",
            "Participants": s["n_participants"].map(_num),
            "Ketamine (as reported)": s["dose_description"].fillna(""),
            "Sessions": s["ketamine_sessions"].map(_num),
            "Comparator": s["comparator"].fillna(""),
            "Psychotherapy": s["psychotherapy"].fillna(""),
            "Primary outcome (follow-up)": s["primary_outcome"].fillna("") + follow.where(follow == "", " (" + follow + ")"),
            "What we could read": s["sources_read"].fillna("") if "sources_read" in s else "",
        }
    )
    return styled(table, caption, "studies")


def outcome_table(outcomes: pd.DataFrame, caption: str = "Results as reported"):
    """Each reported result with the place in the paper where it stands."""
    o, labels = _in_study_order(outcomes, "results")
    table = pd.DataFrame(
        {
            "Study": labels,
            "Outcome": o["outcome"],
            "Time point": o["time_point"].fillna(""),
            "Group": o["arm_label"].fillna(o["arm"].astype(str)),
            "Result": o.apply(format_result, axis=1),
            "Where in the paper": o["locator"],
        }
    )
    return styled(table, caption, "outcomes")


def evidence_trail(outcomes: pd.DataFrame, caption: str = "The evidence trail: each figure and the words it comes from"):
    """Result, locator and the verbatim quote behind it: what a reader needs to check a figure."""
    o, labels = _in_study_order(outcomes, "results")
    table = pd.DataFrame(
        {
            "Study": labels,
            "Result": o.apply(format_result, axis=1),
            "Where": o["locator"],
            "Quote from the paper": "“" + o["quote"] + "”",
        }
    )
    return styled(table, caption, "trail")


def count_text(row) -> str:
    """'2/30', '142/346 (41%)', '61–75%', '40 (minutes to the peak)', 'not reported', 'stated without figures'."""
    if row["reporting"] == "not reported":
        return "not reported"
    parts = []
    if pd.notna(row["count"]) and pd.notna(row["denominator"]):
        parts.append(f"{_num(row['count'])}/{_num(row['denominator'])}")
    elif pd.notna(row["count"]):
        parts.append(f"{_num(row['count'])} (no denominator)")
    upper = row.get("upper")
    ranged = pd.notna(upper)
    if pd.notna(row["percent"]):
        pct = f"{_num(row['percent'])}–{_num(upper)}%" if ranged else f"{_num(row['percent'])}%"
        parts.append(f"({pct})" if parts else pct)
    if pd.notna(row["value"]):
        value = f"{_num(row['value'])}–{_num(upper)}" if ranged and pd.isna(row["percent"]) else _num(row["value"])
        parts.append(f"{value} ({row['value_description']})")
    return " ".join(parts) if parts else "stated without figures"


def adverse_event_table(aes: pd.DataFrame, caption: str = "Adverse events as reported"):
    """Adverse events by study and group: the figure where the source gives one, else 'stated without figures'
    or 'not reported' (never a zero the source did not write)."""
    a, labels = _in_study_order(aes, "adverse events")
    table = pd.DataFrame(
        {
            "Study": labels,
            "Event": a["harm"],
            "Group": a["arm"].astype("string").fillna(""),
            "How recorded": a["measure"],
            "Reported": a.apply(count_text, axis=1),
            "Description": a["description"],
            "Where": a["locator"],
        }
    )
    return styled(table, caption, "adverse")


def harms_table(harms: pd.DataFrame, caption: str = "Harms as reported"):
    """Harms from any source (trials, surveys, cohorts, product information): source, population, harm,
    how it was measured, the figure as reported, and the quote behind it."""
    if harms.empty:
        raise ValueError("No harms to show: the selection is empty. Check the substance, population or kind of harm.")
    h = harms.reset_index(drop=True)
    table = pd.DataFrame(
        {
            "Source": h["source"],
            "Who": h["population"],
            "Harm": h["harm"],
            "Group": h["arm"].astype("string").fillna(""),
            "How measured": h["measure"],
            "Reported": h.apply(count_text, axis=1),
            "Where": h["locator"],
            "Quote": ("“" + h["quote"] + "”").fillna(""),
        }
    )
    return styled(table, caption, "harms")


def evidence_overview(studies: pd.DataFrame, caption: str = "Studies by substance and design"):
    """How many studies of each design there are for each substance, with their participants."""
    _in_study_order(studies, "studies")
    s = studies.assign(substance=studies["substance"].astype(str), design=studies["design"].astype(str))
    counts = pd.crosstab(s["substance"], s["design"])
    order = [d for d in studies["design"].cat.categories if d in counts.columns]
    counts = counts[order]
    counts["all designs"] = counts.sum(axis=1)
    people = s.groupby("substance")["n_participants"].sum(min_count=1)
    counts["participants (sum of known n)"] = people.reindex(counts.index).map(_num)
    subst = [x for x in studies["substance"].cat.categories if x in counts.index]
    table = counts.loc[subst].reset_index().rename(columns={"substance": "Substance"})
    return styled(table, caption, "overview")


def effect_table(effects: pd.DataFrame, caption: str = "Between-group effects"):
    """The effects behind a forest plot: study, outcome, comparison, effect with CI, computed or reported."""
    return styled(effect_rows(effects), caption, "effects")


def effect_rows(effects: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`effect_table` as a plain DataFrame (quick to render, for the explorer)."""
    e, labels = _in_study_order(effects, "effects")
    table = pd.DataFrame(
        {
            "Study": labels,
            "Substance": e["substance"].astype(str),
            "Design": e["design"].astype(str),
            "Participants": e["n_participants"].map(_num),
            "Outcome": e["outcome"],
            "Comparison": e["comparison"].fillna(""),
            "Effect (95% CI)": [
                f"{m} {est:.3g} ({lo:.3g} to {hi:.3g})"
                for m, est, lo, hi in zip(e["measure"], e["estimate"], e["ci_lower"], e["ci_upper"])
            ],
            "Computed or reported": e["source"] + e["note"].where(e["note"] == "", "; " + e["note"]),
        }
    )
    return table


def zero_event_table(harms: pd.DataFrame, caption: str = "Harms counted as zero: what they can still not rule out"):
    """Every harm a source counted as zero in a known number of people, with the upper limit of the one-sided 95%
    interval for its risk: the rule of three (3/n) and the exact binomial limit (:mod:`book.effects`)."""
    from ..evidence.effects import rule_of_three, zero_event_upper_bound

    zero = harms[(harms["count"] == 0) & harms["denominator"].notna() & (harms["denominator"] > 0)].reset_index(drop=True)
    if zero.empty:
        raise ValueError("No harm in this selection was counted as zero in a known number of people.")
    n = zero["denominator"].astype(int)
    table = pd.DataFrame(
        {
            "Source": zero["source"],
            "Harm": zero["harm"],
            "People": n,
            "Rule of three, 3/n (%)": [f"{100 * rule_of_three(k):.1f}" for k in n],
            "Exact upper 95% limit (%)": [f"{100 * zero_event_upper_bound(k):.1f}" for k in n],
        }
    )
    return styled(table, caption, "zeros")


def procedures_table(procedures: pd.DataFrame, caption: str = "How the studies monitored participants and limited misuse"):
    """Safety procedures by study: what was done, the source and where in it (the verbatim quotes are in
    ``data/safety_procedures.csv``; left out here to keep the page light)."""
    p, labels = _in_study_order(procedures, "safety procedures")
    table = pd.DataFrame(
        {
            "Study": labels,
            "Aspect": p["aspect"],
            "What the text says": p["detail"],
            "Source": p["source_key"],
            "Where": p["locator"],
        }
    )
    return styled(table, caption, "procedures")


def product_information_table(info: pd.DataFrame, caption: str = "What the product information says"):
    """Statements of the product information: product, topic, the statement, its source and the words."""
    if info.empty:
        raise ValueError("No product information in this selection. Check the topic you passed.")
    table = pd.DataFrame(
        {
            "Product": info["product"],
            "Topic": info["topic"],
            "Statement": info["statement"],
            "Source": info["source"],
            "Quote": "“" + info["quote"] + "”",
        }
    )
    return styled(table, caption, "product")


def mechanism_table(mechanisms: pd.DataFrame, caption: str = "Claims about mechanisms, with the kind of evidence behind each"):
    """Mechanism, the claim in the book's words, kind of evidence, who or what was studied, source and quote."""
    if mechanisms.empty:
        raise ValueError(
            "No mechanism claims to show: the selection is empty. Check the substance, mechanism or kind you passed."
        )
    m = mechanisms.sort_values(["mechanism", "evidence_kind"], kind="stable").reset_index(drop=True)
    table = pd.DataFrame(
        {
            "Mechanism": m["mechanism"].astype(str),
            "Claim": m["claim"],
            "Kind of evidence": m["evidence_kind"].astype(str),
            "Who or what": m["species_or_population"],
            "Source": m["source"],
            "Quote": "“" + m["quote"] + "”",
        }
    )
    return styled(table, caption, "mechanisms")


def pharmacology_table(pharmacology: pd.DataFrame, caption: str = "Pharmacology as the sources state it"):
    """Topic, drug, route, quantity, the value and unit as printed, population and source."""
    if pharmacology.empty:
        raise ValueError("No pharmacology values to show: the selection is empty. Check the topic or drug you passed.")
    p = pharmacology.reset_index(drop=True)
    table = pd.DataFrame(
        {
            "Topic": p["topic"],
            "Drug": p["drug"],
            "Route": p["route"],
            "Quantity": p["quantity"],
            "Value": (p["value"].fillna("") + " " + p["unit"].fillna("")).str.strip(),
            "Who": p["population"],
            "Source": p["source"],
        }
    )
    return styled(table, caption, "pharmacology")


def registrations_table(registrations: pd.DataFrame, caption: str = "Registered trials without a results paper"):
    """Registry id, substance, design, planned participants, status with its date, and whether results are posted."""
    if registrations.empty:
        raise ValueError("No registered trials in this selection. Check the substance you passed.")
    r = registrations.sort_values(["substance", "registration_id"], kind="stable").reset_index(drop=True)
    table = pd.DataFrame(
        {
            "Registration": r["registration_id"],
            "Substance": r["substance"].astype(str),
            "Design (as registered)": r["design"],
            "Planned participants": r["planned_participants"].map(_num),
            "Status (date)": r["status"] + r["status_date"].fillna("").map(lambda d: f" ({d})" if d else ""),
            "Results posted": r["results_posted"],
        }
    )
    return styled(table, caption, "registrations")


def comparators_table(comparators: pd.DataFrame, caption: str = "Psilocybin- and MDMA-assisted therapy: the trials read"):
    """Drug, condition, study, design, participants, outcome and result (figure as written), with what we could read."""
    if comparators.empty:
        raise ValueError("No psychedelic trials in this selection. Check the drug you passed.")
    c, labels = _in_study_order(comparators, "psychedelic trials")
    table = pd.DataFrame(
        {
            "Drug": c["drug"],
            "Condition": c["condition"],
            "Study": labels,
            "Design (blinding)": c["design"] + c["blinding"].fillna("").map(lambda b: f" ({b})" if b else ""),
            "Participants": c["n_participants"].map(_num),
            "Outcome (time point)": c["outcome"] + c["time_point"].fillna("").map(lambda t: f" ({t})" if t else ""),
            "Result": c["result"] + c["figure"].fillna("").map(lambda f: f": {f}" if f else ""),
            "What we could read": c["source_read"],
        }
    )
    return styled(table, caption, "comparators")
