"""Moved to :mod:`book.teaching.quiz`; this path stays for one release (it is the same module object)."""

import sys
from importlib import import_module

sys.modules[__name__] = import_module("book.teaching.quiz")
