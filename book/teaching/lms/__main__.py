"""``python -m book.teaching.lms``: the same as ``python -m book lms``."""

import sys

from . import main

sys.exit(main())
