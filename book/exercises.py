"""Moved to :mod:`book.teaching` (``checks``, ``data_questions``, ``answers``); this path stays for one release."""

from .teaching.answers import check_answer  # noqa: F401
from .teaching.checks import *  # noqa: F403
from .teaching.checks import __all__ as _checks
from .teaching.data_questions import DATA_QUESTIONS, check_data_answer  # noqa: F401

__all__ = [*_checks, "check_answer", "check_data_answer", "DATA_QUESTIONS"]
