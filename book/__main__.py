"""``python -m book [--root PATH] ...``: the command line (:mod:`book.cli`).

``--root`` is read before anything else is imported, because :mod:`book.paths` finds the checkout on import.
"""

import os
import sys


def _take_root(argv: list[str]) -> list[str]:
    """Remove ``--root PATH`` (or ``--root=PATH``) from ``argv``, setting ``$KAP_BOOK_ROOT`` from it."""
    out, args = [], iter(argv)
    for arg in args:
        if arg == "--root":
            os.environ["KAP_BOOK_ROOT"] = next(args, "")
        elif arg.startswith("--root="):
            os.environ["KAP_BOOK_ROOT"] = arg.split("=", 1)[1]
        else:
            out.append(arg)
    return out


def run(argv: list[str] | None = None) -> int:
    """``python -m book`` and the ``kap-book`` command: ``--root`` first, then :func:`book.cli.main`."""
    argv = _take_root(sys.argv[1:] if argv is None else argv)
    try:
        from .cli import main
    except (RuntimeError, FileNotFoundError) as exc:  # book.paths: another checkout's package, or no checkout
        sys.exit(f"python -m book: {exc}")
    return main(argv)


if __name__ == "__main__":
    sys.exit(run())

from .cli import *  # noqa: E402, F403  (``from book.__main__ import main, student_copy`` keeps working)
from .cli import main  # noqa: E402, F401
