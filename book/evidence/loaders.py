"""The loaders: each table of the data package, validated (:mod:`book.evidence.validate`), shaped for a chapter.

A loader's choices (a substance, a topic, a verdict) are checked against the schema's vocabularies: an unknown
one raises ``ValueError`` naming the allowed values.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .labels import source_labels, study_labels, with_study_labels
from .schema import (
    CERTAINTY_LEVELS,
    EVIDENCE_KINDS,
    HARM_KINDS,
    HARM_POPULATIONS,
    MECHANISMS,
    SUBSTANCES,
    TRIAL_POPULATION,
    VERDICTS,
)
from .validate import load_evidence

__all__ = [
    "has_psychotherapy",
    "STUDY_CONTEXT",
    "load_studies",
    "load_outcomes",
    "load_harms",
    "load_adverse_events",
    "load_safety_procedures",
    "load_product_information",
    "load_mechanisms",
    "load_pharmacology",
    "load_registrations",
    "design_kind",
    "load_reviews",
    "load_psychedelic_comparators",
    "load_review_claims",
    "load_protocols",
    "load_patient_groups",
    "load_regulation",
    "load_risk_of_bias",
    "load_certainty",
    "load_arms",
]


def has_psychotherapy(psychotherapy: pd.Series) -> pd.Series:
    """True where a study combined ketamine with a psychological treatment.

    The column holds the therapy's name, or "none" (sometimes followed by an explanation in brackets).
    """
    text = psychotherapy.astype("string").fillna("none").str.strip().str.lower()
    return ~text.str.startswith("none")


def _check_substance(substance: str | None) -> None:
    _check_choice(substance, SUBSTANCES, "substance")


def load_studies(substance: str | None = None, folder: str | Path | None = None) -> pd.DataFrame:
    """The studies table, validated, optionally only one substance (e.g. ``"cocaine"``)."""
    _check_substance(substance)
    studies = load_evidence(folder).studies
    if substance is not None:
        studies = studies[studies["substance"] == substance].reset_index(drop=True)
    return studies


#: The study columns that every outcome row carries (see :func:`load_outcomes` and
#: :func:`book.effects.study_effects`).
STUDY_CONTEXT = (
    "study_id",
    "first_author",
    "year",
    "substance",
    "condition",
    "design",
    "randomized",
    "n_participants",
    "psychotherapy",
)


def load_outcomes(substance: str | None = None, folder: str | Path | None = None) -> pd.DataFrame:
    """The outcomes table joined to each study's substance, design, first author and year."""
    _check_substance(substance)
    ev = load_evidence(folder)
    cols = list(STUDY_CONTEXT)
    outcomes = ev.outcomes.merge(ev.studies[cols], on="study_id", how="left")
    if substance is not None:
        outcomes = outcomes[outcomes["substance"] == substance].reset_index(drop=True)
    return outcomes


def _check_choice(value: str | None, allowed: list[str], what: str) -> None:
    if value is not None and value not in allowed:
        raise ValueError(f"Unknown {what} {value!r}. Choose one of: {', '.join(allowed)}.")


def load_harms(
    substance: str | None = None,
    population: str | None = None,
    harm_kind: str | None = None,
    folder: str | Path | None = None,
) -> pd.DataFrame:
    """The harms table with a ``source`` label, and for rows from the book's studies their substance,
    design, first author and year; optionally only one substance, population or kind of harm.

    A row reported as "not reported" has no figure: read it as "we do not know", never as zero.
    """
    _check_substance(substance)
    _check_choice(population, HARM_POPULATIONS, "population")
    _check_choice(harm_kind, HARM_KINDS, "kind of harm")
    ev = load_evidence(folder)
    cols = ["study_id", "first_author", "year", "substance", "design", "n_participants"]
    harms = ev.harms.merge(ev.studies[cols], on="study_id", how="left")
    labels = source_labels(folder)
    from_study = harms["first_author"].notna()
    harms["source"] = harms["source_key"].map(labels).astype("string")
    harms.loc[from_study, "source"] = study_labels(harms.loc[from_study])  # 'Havrylov (undated)' without a year
    keep = pd.Series(True, index=harms.index)
    if substance is not None:
        keep &= harms["substance"] == substance
    if population is not None:
        keep &= harms["population"] == population
    if harm_kind is not None:
        keep &= harms["harm_kind"] == harm_kind
    return harms[keep].reset_index(drop=True)


def load_adverse_events(substance: str | None = None, folder: str | Path | None = None) -> pd.DataFrame:
    """Adverse events in the book's clinical studies (the harms of trial participants), optionally of one substance."""
    return load_harms(substance=substance, population=TRIAL_POPULATION, folder=folder)


def load_safety_procedures(
    substance: str | None = None, aspect: str | None = None, folder: str | Path | None = None
) -> pd.DataFrame:
    """Exclusion criteria, monitoring and misuse controls of the book's studies, with each study's label and substance."""
    _check_substance(substance)
    ev = load_evidence(folder)
    procs = ev.safety_procedures.merge(ev.studies[["study_id", "first_author", "year", "substance", "design"]], on="study_id")
    procs["source"] = pd.Series(study_labels(procs), index=procs.index, dtype="string")
    keep = pd.Series(True, index=procs.index)
    if substance is not None:
        keep &= procs["substance"] == substance
    if aspect is not None:
        aspects = sorted(set(ev.safety_procedures["aspect"].dropna()))
        _check_choice(aspect, aspects, "aspect")
        keep &= procs["aspect"] == aspect
    return procs[keep].reset_index(drop=True)


def load_product_information(topic: str | None = None, folder: str | Path | None = None) -> pd.DataFrame:
    """Statements of the product information (and reference works), with a source label."""
    ev = load_evidence(folder)
    info = ev.product_information.copy()
    info["source"] = info["source_key"].map(source_labels(folder)).astype("string")
    if topic is not None:
        _check_choice(topic, sorted(set(info["topic"].dropna())), "topic")
        info = info[info["topic"] == topic].reset_index(drop=True)
    return info


def load_mechanisms(
    substance: str | None = None,
    mechanism: str | None = None,
    evidence_kind: str | None = None,
    folder: str | Path | None = None,
) -> pd.DataFrame:
    """The mechanisms evidence table with a ``source`` label; optionally only one drug of misuse (``"none"`` for
    studies without one), one mechanism or one kind of evidence. Unknown choices get the list of allowed ones."""
    _check_choice(substance, [*SUBSTANCES, "none"], "substance")
    _check_choice(mechanism, MECHANISMS, "mechanism")
    _check_choice(evidence_kind, EVIDENCE_KINDS, "kind of evidence")
    rows = load_evidence(folder).mechanisms
    rows["source"] = rows["source_key"].map(source_labels(folder)).astype("string")
    keep = pd.Series(True, index=rows.index)
    for column, value in (("substance", substance), ("mechanism", mechanism), ("evidence_kind", evidence_kind)):
        if value is not None:
            keep &= rows[column] == value
    return rows[keep].reset_index(drop=True)


def load_pharmacology(topic: str | None = None, drug: str | None = None, folder: str | Path | None = None) -> pd.DataFrame:
    """The pharmacology table with a ``source`` label; optionally one topic (e.g. ``"bioavailability"``) or drug."""
    rows = load_evidence(folder).pharmacology
    _check_choice(topic, sorted(set(rows["topic"].dropna())), "topic")
    _check_choice(drug, sorted(set(rows["drug"].dropna())), "drug")
    rows["source"] = rows["source_key"].map(source_labels(folder)).astype("string")
    if topic is not None:
        rows = rows[rows["topic"] == topic]
    if drug is not None:
        rows = rows[rows["drug"] == drug]
    return rows.reset_index(drop=True)


def load_registrations(substance: str | None = None, folder: str | Path | None = None) -> pd.DataFrame:
    """Registered trials without a results paper in the book, optionally of one substance."""
    _check_substance(substance)
    rows = load_evidence(folder).registrations
    if substance is not None:
        rows = rows[rows["substance"] == substance]
    return rows.reset_index(drop=True)


def design_kind(design: str) -> str:
    """'randomized' or 'single group or other', read from a registry's design text: randomized only where the text says
    so ("randomized" or "randomised"). The registrations chart draws it, and the exercise on trials still to report
    counts by it."""
    return "randomized" if "randomi" in str(design).lower() else "single group or other"


def load_reviews(folder: str | Path | None = None) -> pd.DataFrame:
    """The published reviews of ketamine for substance use disorders."""
    return load_evidence(folder).reviews


def _where(rows: pd.DataFrame, **equals) -> pd.DataFrame:
    """The rows whose columns equal the given values (a ``None`` value keeps every row), re-indexed from 0."""
    for column, value in equals.items():
        if value is not None:
            rows = rows[rows[column] == value]
    return rows.reset_index(drop=True)


def load_psychedelic_comparators(drug: str | None = None, folder: str | Path | None = None) -> pd.DataFrame:
    """Trials of psilocybin- and MDMA-assisted therapy (context for the ketamine evidence), with a ``source`` label;
    optionally one drug (``"psilocybin"``, ``"MDMA"`` or ``"LSD and psilocybin"`` for the pooled review)."""
    rows = load_evidence(folder).psychedelic_comparators
    _check_choice(drug, sorted(set(rows["drug"].dropna())), "drug")
    rows["source"] = rows["source_key"].map(source_labels(folder)).astype("string")
    return _where(rows, drug=drug)


def load_review_claims(
    verdict: str | None = None, section: str | None = None, chapter: str | None = None, folder: str | Path | None = None
) -> pd.DataFrame:
    """The claims table: each claim of the source review and each entry of its reference list, with its verdict and
    evidence (``evidence_source`` is the evidence's label); optionally one verdict, one section or one chapter's claims."""
    rows = load_evidence(folder).review_claims
    _check_choice(verdict, VERDICTS, "verdict")
    _check_choice(section, list(dict.fromkeys(rows["section"].dropna())), "section")
    _check_choice(chapter, sorted(set(rows["chapter"].dropna())), "chapter")
    rows["verdict"] = pd.Categorical(rows["verdict"], categories=VERDICTS)
    rows["evidence_source"] = rows["evidence_source_key"].map(source_labels(folder)).astype("string")
    return _where(rows, verdict=verdict, section=section, chapter=chapter)


def load_protocols(
    substance: str | None = None, therapy_family: str | None = None, folder: str | Path | None = None
) -> pd.DataFrame:
    """How each study delivered ketamine and therapy (rows from several sources per study), with the study's label,
    design and year; optionally one substance or one kind of therapy (``"none reported"`` for studies without one)."""
    _check_substance(substance)
    ev = load_evidence(folder)
    families = ev.protocols["therapy_family"].dropna().unique().tolist()
    _check_choice(therapy_family, families, "kind of therapy")
    rows = with_study_labels(
        ev.protocols.merge(ev.studies[["study_id", "first_author", "year", "design"]], on="study_id", how="left")
    )
    rows["source"] = rows["source_key"].map(source_labels(folder)).astype("string")
    return _where(rows, substance=substance, therapy_family=therapy_family)


def load_patient_groups(group: str | None = None, folder: str | Path | None = None) -> pd.DataFrame:
    """What the evidence says about each patient group the source review names; optionally one group."""
    rows = load_evidence(folder).patient_groups
    _check_choice(group, list(dict.fromkeys(rows["group"].dropna())), "patient group")
    return _where(rows, group=group)


def load_regulation(folder: str | Path | None = None) -> pd.DataFrame:
    """Statements on the approval, scheduling and off-label status of ketamine and esketamine, with a source label."""
    rows = load_evidence(folder).regulation
    rows["source"] = rows["source_key"].map(source_labels(folder)).astype("string")
    return rows


def load_risk_of_bias(study_id: str | None = None, tool: str | None = None, folder: str | Path | None = None) -> pd.DataFrame:
    """Risk-of-bias judgements (RoB 2, ROBINS-I, or 'not assessed'), with each study's label, substance and design;
    optionally one study or one tool."""
    ev = load_evidence(folder)
    _check_choice(study_id, sorted(set(ev.risk_of_bias["study_id"])), "study")
    _check_choice(tool, ["RoB 2", "RoB 2 (crossover)", "ROBINS-I", "not assessed"], "tool")
    cols = ["study_id", "first_author", "year", "substance", "design"]
    rows = with_study_labels(ev.risk_of_bias.merge(ev.studies[cols], on="study_id", how="left"))
    return _where(rows, study_id=study_id, tool=tool)


def load_certainty(substance: str | None = None, folder: str | Path | None = None) -> pd.DataFrame:
    """The GRADE summary-of-findings rows, optionally of one substance (a substance without rows is an error)."""
    _check_substance(substance)
    rows = load_evidence(folder).certainty
    if substance is not None:
        rows = rows[rows["substance"] == substance]
        if rows.empty:
            covered = ", ".join(sorted(set(load_evidence(folder).certainty["substance"].astype(str))))
            raise ValueError(f"No certainty ratings for {substance}. Substances rated: {covered}.")
    rows["certainty"] = pd.Categorical(rows["certainty"], categories=CERTAINTY_LEVELS)
    return rows.reset_index(drop=True)


def load_arms(outcome_prefix: str, folder: str | Path | None = None) -> pd.DataFrame:
    """The arm-level rows of one result, indexed by arm ("ketamine", "control").

    ``outcome_prefix`` is the start of the rows' ``outcome_id`` (e.g. ``"krupitsky2007-abstinence-12mo"``);
    the result must have exactly one ketamine and one control row. An unknown prefix gets a message listing
    the arm-level results there are.
    """
    outcomes = load_outcomes(folder=folder)
    rows = outcomes[outcomes["outcome_id"].str.startswith(outcome_prefix) & outcomes["arm"].isin(["ketamine", "control"])]
    if sorted(rows["arm"]) != ["control", "ketamine"]:
        paired = outcomes.loc[outcomes["arm"] == "control", "outcome_id"].str.rsplit("-", n=1).str[0]
        raise ValueError(
            f"No single ketamine/control pair of results starts with {outcome_prefix!r}. "
            f"Arm-level results: {', '.join(sorted(set(paired)))}."
        )
    return rows.set_index("arm")
