"""Moved to :mod:`book.teaching.answers` (the registry) and :mod:`book.teaching.answer_key` (the instructor's
tools); this path stays for one release. ``python -m book.answers --write`` still regenerates the registry."""

import sys

from .teaching.answer_key import *  # noqa: F403
from .teaching.answer_key import __all__ as _key
from .teaching.answer_key import _checked_labels, main  # noqa: F401  (_checked_labels: the old private name, kept for one release)
from .teaching.answers import *  # noqa: F403
from .teaching.answers import __all__ as _answers

__all__ = [*_answers, *_key]

if __name__ == "__main__":
    sys.exit(main())
