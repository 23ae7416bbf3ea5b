"""Moved to :mod:`book.views` (``kit``, ``evidence``, ``forest``); this path stays for one release."""

from .views.evidence import *  # noqa: F403
from .views.evidence import __all__ as _evidence
from .views.forest import *  # noqa: F403
from .views.forest import __all__ as _forest
from .views.kit import *  # noqa: F403
from .views.kit import __all__ as _kit

__all__ = [*_kit, *_evidence, *_forest]
