"""Write constraints.txt: the exact version installed here of every package that requirements.txt pulls in.

CI installs with it (`pip install -r requirements.txt -c constraints.txt` in .ci/run), so a new release of the
theme, Sphinx, jupyterquiz or anything below them reaches the book only when someone refreshes this file on
purpose, and the tests then tell whether the book still works with it. Refresh (README "Tests"):

    pip install -U -r requirements.txt && python .ci/constraints.py && git diff constraints.txt

It is `pip freeze` limited to the dependency closure of requirements.txt (and of this project's own
dependencies, for the `-e .` line), read from the installed packages' metadata; the project itself is left out.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "kap-sud-book"


def _top_level() -> list[Requirement]:
    wanted = []
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-e") or line.startswith("."):
            wanted.append(Requirement(PROJECT))
        elif not line.startswith("-"):
            wanted.append(Requirement(line))
    return wanted


def closure() -> dict[str, str]:
    """``{name: installed version}`` for everything requirements.txt needs, directly or not."""
    found: dict[str, str] = {}
    todo = [(r, frozenset(r.extras)) for r in _top_level()]
    seen: set[tuple[str, frozenset]] = set()
    while todo:
        req, extras = todo.pop()
        key = (canonicalize_name(req.name), extras)
        if key in seen:
            continue
        seen.add(key)
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            raise SystemExit(f"{req.name} is not installed: run pip install -r requirements.txt first") from None
        found[canonicalize_name(dist.metadata["Name"])] = dist.version
        for spec in dist.requires or []:
            dep = Requirement(spec)
            environments = [{"extra": e} for e in extras] or [{"extra": ""}]
            if dep.marker is None or any(dep.marker.evaluate(env) for env in environments):
                todo.append((dep, frozenset(dep.extras)))
    found.pop(canonicalize_name(PROJECT), None)
    return found


def main() -> None:
    pins = closure()
    lines = [
        "# Exact versions CI installs (pip install -r requirements.txt -c constraints.txt).",
        '# Written by `python .ci/constraints.py` from this environment; refresh as README "Tests" says.',
        *(f"{name}=={version}" for name, version in sorted(pins.items())),
    ]
    (ROOT / "constraints.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    jb = pins.get("jupyter-book", "")
    assert re.match(r"1\.", jb), f"jupyter-book {jb}: the book needs 1.x (2.x ignores _config.yml)"
    print(f"constraints.txt: {len(pins)} packages")


if __name__ == "__main__":
    main()
