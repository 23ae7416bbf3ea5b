"""Where things are in a checkout of the book: the one place that finds the repository root.

``book/`` sits directly in the repository, so the root is the folder above this package. Every
module (and test) that needs a path in the repository builds it from these names rather than from
its own ``Path(__file__)``. :func:`book.data.data_dir` lets ``$KAP_BOOK_DATA`` override
:data:`DATA_DIR`.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["ROOT", "CHAPTERS_DIR", "QUIZ_DIR", "GUIDES_DIR", "DATA_DIR"]

#: The repository root (holds ``_config.yml``, ``_toc.yml``, ``book/``, ``chapters/``, ``data/``).
ROOT = Path(__file__).resolve().parent.parent
#: The chapter notebooks.
CHAPTERS_DIR = ROOT / "chapters"
#: The chapters' quizzes, ``<chapter>.json``.
QUIZ_DIR = CHAPTERS_DIR / "quizzes"
#: The instructor guide and other guide notebooks.
GUIDES_DIR = ROOT / "guides"
#: The evidence data package (``datapackage.json`` and its tables), unless ``$KAP_BOOK_DATA`` says otherwise.
DATA_DIR = ROOT / "data"
