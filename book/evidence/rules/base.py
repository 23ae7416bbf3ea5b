"""What every rule is given (:class:`Context`) and the registry of rules (:func:`rule`, :data:`RULES`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..read import show
from ..schema import TABLES

__all__ = ["Context", "RULES", "rule", "rule_problems"]


@dataclass
class Context:
    """What every rule reads: the typed tables (index = line in the CSV file), the folder, the bibliography keys."""

    tables: dict[str, pd.DataFrame]
    folder: Path = Path("data")
    keys: set[str] = field(default_factory=set)

    def file(self, name: str) -> str:
        """How a table's file is named in a message (``data/studies.csv``)."""
        return show(self.folder / TABLES[name])

    def known_studies(self) -> set[str]:
        return set(self.tables["studies"]["study_id"].dropna())


Rule = Callable[[Context], list[str]]
#: Every registered rule, in the order its problems are reported.
RULES: list[Rule] = []


def rule(function: Rule) -> Rule:
    """Register ``function`` as one of the book's rules."""
    RULES.append(function)
    return function


def rule_problems(tables: dict[str, pd.DataFrame], folder: Path, keys: set[str]) -> list[str]:
    """Every problem every registered rule finds."""
    context = Context(tables, folder, keys)
    return [problem for check in RULES for problem in check(context)]
