"""The Python package behind the chapters of the ketamine-assisted psychotherapy teaching book.

Modules: :mod:`book.data` (the evidence, validated), :mod:`book.tables` (tables for readers),
:mod:`book.charts` (Altair charts that stay interactive on the static site).
"""

__version__ = "0.2.0"

DISCLAIMER = (
    "This book is medical education, not medical advice. Nothing in it is a recommendation to "
    "use ketamine or a guide to dosing; doses are reported only as the studies gave them."
)
