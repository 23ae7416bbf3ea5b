"""How a study and a source are named everywhere in the book: 'Dakwar 2019', 'Havrylov (undated)', 'Winstock 2012'.

One study label (:func:`study_label`), used by loaders, tables and charts alike; one source label per entry of
``references.bib`` (:func:`source_labels`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["study_label", "study_labels", "with_study_labels", "source_labels", "plain_text"]


def study_label(first_author, year) -> str:
    """'Dakwar 2019': how a study is named in tables, charts and tooltips ('Havrylov (undated)' without a year)."""
    return f"{first_author} (undated)" if pd.isna(year) else f"{first_author} {year}"


def study_labels(frame: pd.DataFrame) -> list[str]:
    """The label of each row of ``frame`` (which has ``first_author`` and ``year``)."""
    return [study_label(a, y) for a, y in zip(frame["first_author"], frame["year"])]


def with_study_labels(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (merged with studies' first_author and year) with a ``study`` label column."""
    rows["study"] = study_labels(rows)
    return rows


def plain_text(text: str) -> str:
    """BibTeX text as plain Unicode: LaTeX accents decoded (latexcodec, which pybtex uses), braces dropped."""
    import codecs

    import latexcodec  # noqa: F401  (registers the "ulatex" codec)

    return codecs.decode(text, "ulatex").replace("{", "").replace("}", "")


def source_labels(folder: str | Path | None = None) -> dict[str, str]:
    """A short label for each entry of ``references.bib``: 'Winstock 2012', 'Spravato label 2025'.

    The ``shorttitle`` field where an entry has one (registry records, web pages, labels), else the first author's
    surname; then the year, where known.
    """
    from pybtex.database import parse_file

    from .schema import data_dir

    folder = Path(folder) if folder is not None else data_dir()
    labels = {}
    for key, entry in parse_file(str(folder / "references.bib")).entries.items():
        year = entry.fields.get("year", "n.d.")
        people = entry.persons.get("author", [])
        if "shorttitle" in entry.fields:  # registry records, web pages: "NCT02649231 registry record"
            name = entry.fields["shorttitle"]
        else:
            name = " ".join(people[0].last_names) if people else entry.fields.get("title", key)
        labels[key] = f"{plain_text(name)} {year}" if year != "n.d." or "shorttitle" not in entry.fields else plain_text(name)
    return labels
