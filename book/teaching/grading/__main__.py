"""``python -m book.teaching.grading``: the same as ``python -m book grade`` (and the child run, ``--run-one``)."""

import sys

from . import main

sys.exit(main())
