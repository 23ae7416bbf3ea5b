"""Moved to :mod:`book.evidence.dose_ranges` (the stated doses and the labelled induction range);
this path stays for one release (chapters import it)."""

from .evidence.dose_ranges import *  # noqa: F403
from .evidence.dose_ranges import __all__  # noqa: F401
