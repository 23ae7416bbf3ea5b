"""Where things are: the checkout of the book in use, and its folders.

The root is the checkout you are working in, not wherever the ``book`` package happens to be installed from:

1. ``$KAP_BOOK_ROOT`` (``python -m book --root PATH ...`` sets it), else
2. the current folder or the nearest folder above it that is a checkout (it holds ``data/datapackage.json`` and
   ``_toc.yml``; a learner's kernel starts in ``chapters/``), else
3. the checkout the package itself sits in (``book/`` directly inside it), for code run from elsewhere.

With an editable install, the package belongs to one checkout; run from another checkout, its code would read that
other checkout's data and outputs. That is refused (:class:`WrongCheckoutError`, naming both paths): reinstall with
``pip install -e .`` in the checkout you use, or put it first on ``PYTHONPATH``. An installed (non-editable) package
belongs to no checkout and uses the one found.

Every module (and test) that needs a path in the repository builds it from these names rather than from its own
``Path(__file__)``. :func:`book.evidence.schema.data_dir` lets ``$KAP_BOOK_DATA`` override :data:`DATA_DIR`.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "ROOT",
    "CHAPTERS_DIR",
    "QUIZ_DIR",
    "GUIDES_DIR",
    "DATA_DIR",
    "WrongCheckoutError",
    "is_checkout",
    "package_checkout",
    "find_root",
]

#: What makes a folder a checkout of the book.
MARKERS = ("data/datapackage.json", "_toc.yml")


class WrongCheckoutError(RuntimeError):
    """The ``book`` package in use belongs to another checkout than the one being worked in."""


def is_checkout(folder: Path) -> bool:
    """True if ``folder`` is a checkout of the book (it holds ``data/datapackage.json`` and ``_toc.yml``)."""
    return all((folder / marker).is_file() for marker in MARKERS)


def package_checkout() -> Path | None:
    """The checkout this package sits in (``book/`` directly inside it), or None for an installed package."""
    folder = Path(__file__).resolve().parent.parent
    return folder if is_checkout(folder) else None


def find_root(start: Path | None = None, environ: dict | None = None) -> Path:
    """The checkout in use (see the module's docstring); raises :class:`WrongCheckoutError` or ``FileNotFoundError``."""
    environ = os.environ if environ is None else environ
    own = package_checkout()
    if environ.get("KAP_BOOK_ROOT"):
        root, how = Path(environ["KAP_BOOK_ROOT"]).expanduser().resolve(), "KAP_BOOK_ROOT (or --root)"
        if not is_checkout(root):
            raise FileNotFoundError(f"{how} is {root}, which is not a checkout of the book (no {' or '.join(MARKERS)}).")
    else:
        here = (start or Path.cwd()).resolve()
        root = next((f for f in (here, *here.parents) if is_checkout(f)), None)
        how = f"the current folder ({here})"
        if root is None:
            if own is None:
                raise FileNotFoundError(
                    f"No checkout of the book at or above {here}: run from inside one, or set KAP_BOOK_ROOT to it."
                )
            return own
    if own is not None and own != root:
        raise WrongCheckoutError(
            f"The book package in use belongs to the checkout {own}, but the checkout in use, found from {how}, "
            f"is {root}. Its code would read the other checkout's data. Install this checkout "
            f"(pip install -e {root}) or put it first on PYTHONPATH, or work in {own}."
        )
    return root


#: The repository root (holds ``_config.yml``, ``_toc.yml``, ``book/``, ``chapters/``, ``data/``).
ROOT = find_root()
#: The chapter notebooks.
CHAPTERS_DIR = ROOT / "chapters"
#: The chapters' quizzes, ``<chapter>.json``.
QUIZ_DIR = CHAPTERS_DIR / "quizzes"
#: The instructor guide and other guide notebooks.
GUIDES_DIR = ROOT / "guides"
#: The evidence data package (``datapackage.json`` and its tables), unless ``$KAP_BOOK_DATA`` says otherwise.
DATA_DIR = ROOT / "data"
