"""The book's rules: what a schema cannot express, one small function per rule family.

Each rule takes a :class:`Context` (the typed tables, the package folder, the bibliography's keys) and returns
its problems, one line each naming file, line and field. A rule registers itself with :func:`rule`; the
modules of this package are imported below, in the order their problems are reported. A rule can be tested on
a few-row frame: ``studies_rule(Context({"studies": frame}))``.

To add a rule: write a function in the module of its table (or a new module, imported at the end of this file),
decorate it with ``@rule``, and give it a test on a small frame.
"""

from __future__ import annotations

# Importing a module registers its rules (the order here is the order of the report).
from . import appraisal, claims, harms, hygiene, outcomes, patient_groups, protocols, quoted, rob_overall, sources, studies  # noqa: F401, I001
from .base import RULES, Context, rule, rule_problems

__all__ = ["Context", "RULES", "rule", "rule_problems"]
