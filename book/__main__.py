"""``python -m book ...``: the command line (:mod:`book.cli`)."""

import sys

from .cli import *  # noqa: F403  (``from book.__main__ import main, student_copy`` keeps working)
from .cli import main

if __name__ == "__main__":
    sys.exit(main())
