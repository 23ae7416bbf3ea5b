"""Moved to :mod:`book.views.safety_summary` (the counts and sentences behind the safety chapter's prose);
this path stays for one release (chapters import it)."""

from .views.safety_summary import *  # noqa: F403
from .views.safety_summary import __all__  # noqa: F401
