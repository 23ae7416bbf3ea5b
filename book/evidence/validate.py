"""Validate the evidence data package in ``data/`` and hold its tables, cached.

The package (``data/datapackage.json``) holds these tables:

* ``studies.csv``: one row per clinical study;
* ``outcomes.csv``: one row per reported result (an arm's figure or a between-group contrast);
* ``harms.csv``: harms as reported: adverse events in the clinical studies, harms of non-medical
  ketamine use, and harms in patients treated for another condition (product information included);
* ``safety_procedures.csv``: whom the clinical studies excluded, how they monitored, how they limited misuse;
* ``product_information.csv``: statements of the product information (and of reference works such as
  the rule of three) that the safety chapter relies on;
* ``mechanisms.csv``: claims about how ketamine might work, each with the kind of evidence behind it;
* ``pharmacology.csv``: bioavailability, half-lives, metabolism and pharmacokinetic parameters as sources state them;
* ``reviews.csv``: the published reviews of ketamine for substance use disorders, with their counts and conclusions;
* ``registrations.csv``: registered trials without a results paper in the book.

Every loader validates before it returns: first against the Frictionless schema (types,
enumerations, ranges, required fields, keys), then against rules a schema cannot express:

* a 95% confidence interval contains its estimate and its lower bound is below its upper bound;
* events are no more than n;
* every outcome, harm and procedure belongs to a study in ``studies.csv`` (where it names one), and every
  ``source_key`` is an entry of ``references.bib``;
* a harm reported as "not reported" carries no figure, and one reported as a count or percentage carries it;
* every figure in a row also stands in that row's verbatim ``quote`` (so a number typed wrongly,
  or changed later, no longer matches its source and is caught).

A problem raises :class:`DataValidationError`, whose message names the file, the line and the
field, e.g. ``data/outcomes.csv, line 7, field 'ci_upper': the 95% CI 0.24 to 0.40 does not
contain the estimate 0.47``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .read import bib_keys, read_descriptor, read_problems, read_table, schema_problems, show, typed_frame
from .rules import rule_problems
from .schema import TABLES, DataValidationError, Evidence, data_dir

__all__ = ["validate_package", "load_evidence"]

#: The one line that stands for every problem a table that cannot be read would cause elsewhere.
FOLLOWING = (
    "nothing else was checked: the schema and the rules would report, in this table and in the tables that refer "
    "to it, problems that follow from the above; fix it and run again"
)


def validate_package(folder: str | Path | None = None) -> Evidence:
    """Validate the whole package (schema and rules) and return its typed tables.

    Raises :class:`DataValidationError` listing every problem found.
    """
    folder = Path(folder) if folder is not None else data_dir()
    descriptor = read_descriptor(folder)
    listed = [r.get("name") for r in descriptor.get("resources", [])]
    if sorted(listed) != sorted(TABLES):
        raise DataValidationError(
            [
                f"datapackage.json lists the tables {', '.join(map(str, listed))}, but book/evidence/schema.py's TABLES "
                f"(and the Evidence dataclass) know {', '.join(TABLES)}: add the new table there (README: Adding a data table)"
            ],
            cause=True,
        )
    causes = read_problems(folder, descriptor)
    if causes:
        raise DataValidationError([*causes, FOLLOWING], cause=True)
    problems = schema_problems(folder, descriptor)
    if problems:
        raise DataValidationError(problems)
    raw = {name: read_table(folder, descriptor, name) for name in TABLES}
    typed = {name: typed_frame(frame, schema, show(folder / TABLES[name])) for name, (frame, schema) in raw.items()}
    problems = rule_problems(typed, folder, bib_keys(folder))
    if problems:
        raise DataValidationError(problems)
    return Evidence(**{name: frame.reset_index(drop=True) for name, frame in typed.items()})


def stamp(folder: Path) -> tuple:
    """What changes when a file of ``folder`` changes: each file's name, modification time and size."""
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*")) if p.is_file())


@lru_cache(maxsize=8)
def _cached(folder: str, stamp: tuple) -> Evidence:
    return validate_package(folder)


def load_evidence(folder: str | Path | None = None) -> Evidence:
    """All the tables, validated; cached until a file in the folder changes.

    Returns copies, so a caller may change them freely.
    """
    folder = Path(folder) if folder is not None else data_dir()
    return _cached(str(folder), stamp(folder)).copy()
