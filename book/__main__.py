"""Command line for authors and instructors: ``python -m book COMMAND``.

Commands:

``refresh-outputs [NOTEBOOK ...]``
    Run chapter notebooks top to bottom and store their outputs in place. The tests (nbval)
    compare a fresh run against these stored outputs, so run this after changing a chapter or
    the data, and commit the result.
``validate``
    Validate the data package and print a one-line summary, or the problems found.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"


def refresh_outputs(paths: list[str]) -> int:
    import nbformat
    from nbclient import NotebookClient

    notebooks = [Path(p) for p in paths] or sorted(CHAPTERS.glob("*.ipynb"))
    for path in notebooks:
        if not path.is_file():
            print(f"No notebook at {path}", file=sys.stderr)
            return 2
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
        nbformat.write(nb, path)
        print(f"refreshed {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


def validate() -> int:
    from .data import DataValidationError, validate_package

    try:
        ev = validate_package()
    except DataValidationError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"valid: {len(ev.studies)} studies, {len(ev.outcomes)} results, {len(ev.adverse_events)} adverse-event rows")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m book", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    refresh = sub.add_parser("refresh-outputs", help="run chapter notebooks and store their outputs")
    refresh.add_argument("notebooks", nargs="*", help="notebooks to run (default: every chapter)")
    sub.add_parser("validate", help="validate the data package")
    args = parser.parse_args(argv)
    if args.command == "refresh-outputs":
        return refresh_outputs(args.notebooks)
    return validate()


if __name__ == "__main__":
    sys.exit(main())
