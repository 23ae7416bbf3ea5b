"""Moved to :mod:`book.evidence` (schema, read, rules, validate, labels, loaders); this path stays for one release."""

from .evidence import *  # noqa: F403
from .evidence import __all__  # noqa: F401
from .evidence.read import bib_keys  # noqa: F401
from .evidence.schema import TABLES as _TABLES  # noqa: E402, F401  (the old private name, used by tests on main)
from .evidence.schema import DataValidationError, data_dir  # noqa: F401
