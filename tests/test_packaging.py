"""Every third-party package that book/ imports is declared in pyproject.toml's ``[project] dependencies``.

The imports are read from the source with ``ast`` (including imports inside functions), mapped to the
distributions that provide them with ``importlib.metadata.packages_distributions()``, and compared with
the declared requirement names (normalised as PEP 503 does: case, ``-``, ``_`` and ``.`` do not matter).
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from book.paths import ROOT

BOOK = ROOT / "book"


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    # A requirement's name is what comes before any extras, version, marker or URL.
    return {_normalise(re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", req).group(1)) for req in project.get("dependencies", [])}


def _imported_modules() -> dict[str, set[str]]:
    """Top-level module name -> the book/ files that import it (absolute imports only; stdlib and book itself left out)."""
    found: dict[str, set[str]] = {}
    for path in sorted(BOOK.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in ("book", "__future__"):
                    continue
                found.setdefault(top, set()).add(str(path.relative_to(BOOK)))
    return found


def test_the_scan_finds_the_books_core_imports():
    # Guards the test itself: if the scan found nothing, the check below would pass vacuously.
    assert {"pandas", "statsmodels", "altair"} <= set(_imported_modules())


def test_every_third_party_import_in_book_is_a_declared_dependency():
    declared = _declared()
    providers = packages_distributions()
    missing = []
    for module, files in sorted(_imported_modules().items()):
        distributions = {_normalise(d) for d in providers.get(module, [])}
        if not distributions:
            missing.append(f"{module} (imported in {', '.join(sorted(files))}) is not installed, so its distribution is unknown")
        elif not distributions & declared:
            missing.append(f"{module} (imported in {', '.join(sorted(files))}): declare {' or '.join(sorted(distributions))}")
    assert not missing, "pyproject.toml [project] dependencies lacks:\n" + "\n".join(missing)
