"""Numbers in a chapter's prose, checked against the sources each sentence cites.

A sentence that cites a study (``{cite:p}`al-dakwar2020```) may state only numbers that stand in that study's own
quotes in ``data/`` (its participants, dose, results, harms, procedures, mechanism and pharmacology rows), in its
title, or in its recorded design (number of sessions, participants, dose). Digits and number words are both read
(:func:`book.data.numbers_in_text`). Not checked: years, the 95 of a 95% confidence interval, a count that equals the
number of works the sentence cites ("two studies"), and quotations of the review being appraised (lines starting
with ">"). Numbers the book must state about the review's own reference list are listed, with the reason, in
:data:`APPRAISED_REVIEW_NUMBERS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache

import pandas as pd

from .. import notebooks
from ..evidence import load_evidence, numbers_in_text
from ..evidence.schema import data_dir
from ..evidence.validate import stamp

__all__ = ["Unsupported", "unsupported_numbers", "sentences_with_citations", "APPRAISED_REVIEW_NUMBERS"]

_CITE = re.compile(r"\{cite:[pt]\}`([^`]+)`")
#: (chapter, number) pairs the book states about the appraised review's reference list, not about a study.
APPRAISED_REVIEW_NUMBERS = {
    # The review's reference [3] gives the cocaine trial a wrong volume and pages (171:349-356); the chapter says so.
    ("cocaine-and-stimulants", 171.0),
    ("cocaine-and-stimulants", 349.0),
    ("cocaine-and-stimulants", 356.0),
    # The reading-a-review chapter names the review's reference entries by their numbers ([4], [5]).
    ("reading-a-review", 4.0),
    ("reading-a-review", 5.0),
}


@dataclass(frozen=True)
class Unsupported:
    """A sentence stating numbers that none of its cited sources' quotes contain."""

    chapter: str
    numbers: tuple[float, ...]
    cited: tuple[str, ...]
    sentence: str

    def __str__(self) -> str:
        shown = ", ".join(f"{x:g}" for x in self.numbers)
        return f"{self.chapter}: {shown} not in the quotes of {', '.join(self.cited)}: {self.sentence[:200]}"


def _source_text() -> dict[str, str]:
    """Every quote, title and recorded design number of each source, keyed by study id and by bibliography key; cached
    until a file of the data folder in use changes (the same stamp as :func:`book.evidence.load_evidence`)."""
    folder = data_dir()
    return _source_text_of(str(folder), stamp(folder))


@lru_cache(maxsize=2)
def _source_text_of(folder: str, _stamp: tuple) -> dict[str, str]:
    ev = load_evidence(folder)
    texts: dict[str, list[str]] = {}

    def add(key, text) -> None:
        if isinstance(key, str) and isinstance(text, str):
            texts.setdefault(key, []).append(text)

    for _, r in ev.studies.iterrows():
        for field in ("n_quote", "dose_quote", "title"):
            add(r["study_id"], r[field])
        design = [r[f] for f in ("ketamine_sessions", "n_participants", "ketamine_dose_mg_per_kg") if pd.notna(r[f])]
        add(r["study_id"], " ".join(f"{float(v):g}" for v in design))
    # Every other table: a row's quote counts for its source (source_key, or the evidence key of a claim) and its study.
    for name in (f.name for f in fields(ev)):
        table = getattr(ev, name)
        quote = next((c for c in ("quote", "evidence_quote") if c in table.columns), None)
        if name == "studies" or quote is None:
            continue
        keys = [c for c in ("study_id", "source_key", "evidence_source_key") if c in table.columns]
        for _, r in table.iterrows():
            for key in keys:
                add(r[key], r[quote])
    return {key: " ".join(parts) for key, parts in texts.items()}


def _markdown(chapter: str) -> tuple[str, str]:
    md = notebooks.markdown(chapter)
    return md, notebooks.keyprefix(md)


def sentences_with_citations(markdown: str) -> list[str]:
    """The sentences of ``markdown`` that cite a source (block quotes and list markers removed; list items, headings
    and paragraphs are never joined into one sentence)."""
    text = re.sub(r"^>.*$", "", markdown, flags=re.M)
    blocks = re.split(r"\n\s*\n|\n(?=\s*(?:[-*]|\d+\.)\s)|\n(?=#)", text)
    out = []
    for block in blocks:
        flat = " ".join(block.split())
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z*(\"“])", flat):
            if _CITE.search(sentence):
                out.append(sentence)
    return out


def unsupported_numbers(chapter: str, markdown: str | None = None) -> list[Unsupported]:
    """The sentences of ``chapter`` (or of ``markdown``, read as that chapter) that state a number none of their cited
    sources' quotes contain. An empty list means every number is traceable to the source its sentence cites."""
    md, prefix = _markdown(chapter)
    if markdown is not None:
        md = markdown
    sources = _source_text()
    problems = []
    for sentence in sentences_with_citations(md):
        keys = tuple(k.strip()[len(prefix) :] for group in _CITE.findall(sentence) for k in group.split(","))
        text = _CITE.sub(" ", sentence)
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link keeps its words, not its address
        text = re.sub(r"`[^`]*`", " ", text)
        stated = numbers_in_text(text)
        known = numbers_in_text(" ".join(sources.get(k, "") for k in keys))
        stray = sorted(
            x
            for x in stated
            if x not in known
            and not (1900 <= x <= 2030 and float(x).is_integer())
            and x != 95
            and x != len(set(keys))
            and (chapter, x) not in APPRAISED_REVIEW_NUMBERS
        )
        if stray:
            problems.append(Unsupported(chapter, tuple(stray), keys, sentence))
    return problems
