"""The evidence layer: the data package in ``data/``, read, typed, checked and loaded.

``schema`` (the tables and the vocabularies of ``data/datapackage.json``), ``read`` (files to typed frames),
``numbers`` (figures in text), ``rules/`` (the book's rules, one function per family), ``validate`` (schema
then rules, cached), ``labels`` (study and source labels), ``loaders`` (a table per chapter need), ``effects``
(effect sizes and pooling), ``errata`` (what changed since the last release). Nothing here imports the views,
the teaching material, the site or the print code.
"""

from .labels import source_labels, study_label
from .loaders import *  # noqa: F403
from .loaders import __all__ as _loaders
from .numbers import numbers_in_text
from .schema import *  # noqa: F403
from .schema import __all__ as _schema
from .validate import load_evidence, validate_package

__all__ = [*_schema, *_loaders, "load_evidence", "validate_package", "numbers_in_text", "source_labels", "study_label"]
