"""Every third-party package that book/ imports is declared in pyproject.toml's ``[project] dependencies``, and every
declared one is used: checked by deptry (``deptry book``, configured under ``[tool.deptry]`` in pyproject.toml), which
reads the imports with an AST (including imports inside functions) and maps them to distributions as pip installs
them. A planted undeclared import in a small package under the same configuration shows that the check bites.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from book.paths import ROOT


def _deptry(folder, project) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "deptry", str(folder), "--config", str(project / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=project,
        timeout=60,
    )


def test_every_third_party_import_in_book_is_a_declared_dependency():
    result = _deptry("book", ROOT)
    assert result.returncode == 0, "deptry found dependency issues:\n" + result.stdout + result.stderr


def test_an_undeclared_import_fails_the_check(tmp_path):
    project = tmp_path / "project"
    (project / "book").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    (project / "book" / "__init__.py").write_text("", encoding="utf-8")
    (project / "book" / "planted.py").write_text("import nbclient\nimport yaml\nimport requests\n", encoding="utf-8")
    result = _deptry("book", project)
    out = result.stdout + result.stderr
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)  # without colours
    # requests is installed (as a dependency of a dependency) but not declared: DEP003
    assert result.returncode != 0 and "planted.py:3:8: DEP003 'requests' imported but" in plain, out
