"""Moved to :mod:`book.evidence.rules.rob_overall` (the book's risk-of-bias overall rule, registered with the rules);
this path stays for one release (chapters import it)."""

from .evidence.rules.rob_overall import *  # noqa: F403
from .evidence.rules.rob_overall import __all__  # noqa: F401
