"""The Python package behind the chapters of the ketamine-assisted psychotherapy teaching book.

Layers, each importing only those before it: :mod:`book.evidence` (the data package, read, checked and
loaded), :mod:`book.views` (tables and charts), :mod:`book.teaching` (exercises, answers, quizzes, course map,
references); beside them :mod:`book.site` (the Sphinx extension and the chart plugin) and :mod:`book.paper`
(PDFs). :mod:`book.paths` finds the checkout, :mod:`book.notebooks` reads its pages, :mod:`book.cli` is
``python -m book``. The old flat module paths (``book.data``, ``book.charts``...) re-export the new homes.
"""

__version__ = "0.2.0"

DISCLAIMER = (
    "This book is medical education, not medical advice. Nothing in it is a recommendation to "
    "use ketamine or a guide to dosing; doses are reported only as the studies gave them."
)
