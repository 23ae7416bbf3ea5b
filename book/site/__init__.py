"""The site layer: the Sphinx extension the book's ``_config.yml`` loads (``book.site``), the myst-nb MIME
renderer plugin for charts (:mod:`book.site.mime`), the icon-font subsetter and ``static/``."""

from .offline import setup

__all__ = ["setup"]
