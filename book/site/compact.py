"""Whitespace the built pages do not need.

The theme's templates indent their markup, and docutils puts a newline between most tags; a chapter page carried
3-4 KB of whitespace runs between tags (the safety chapter: 3.5 KB of its 202 KB). A browser renders a run of
whitespace between two tags as one space at most (CSS ``white-space: normal``), so :func:`compact_markup` shortens
each such run to one character, keeping a newline where the run held one. Whitespace inside ``<pre>``,
``<script>``, ``<style>`` and ``<textarea>`` is content and stays as it is; the book sets ``white-space: pre-wrap``
only on ``<pre>``. Text between tags, and whitespace inside a tag, are not touched.
"""

from __future__ import annotations

import re
from pathlib import Path

#: Elements whose whitespace is content.
_KEEP = re.compile(r"<(pre|script|style|textarea)\b.*?</\1\s*>", re.S | re.I)
#: A run of two or more whitespace characters between the end of one tag and the start of the next (a piece of the page
#: between kept elements starts after one's ">" and ends before the next one's "<").
_BETWEEN_TAGS = re.compile(r"(?:(?<=>)|^)\s{2,}(?=<|$)")


def _shorten(match: re.Match) -> str:
    return "\n" if "\n" in match.group(0) else " "


def compact_markup(html: str) -> str:
    """``html`` with every run of whitespace between two tags shortened to one character (a newline if the run held
    one), outside ``<pre>``, ``<script>``, ``<style>`` and ``<textarea>``."""
    out, start = [], 0
    for kept in _KEEP.finditer(html):
        out.append(_BETWEEN_TAGS.sub(_shorten, html[start : kept.start()]))
        out.append(kept.group(0))
        start = kept.end()
    out.append(_BETWEEN_TAGS.sub(_shorten, html[start:]))
    return "".join(out)


def compact_site_pages(site: Path) -> tuple[int, int]:
    """Rewrite every HTML file of the built site with :func:`compact_markup`: (files rewritten, bytes saved)."""
    files = saved = 0
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        compact = compact_markup(text)
        if compact != text:
            page.write_text(compact, encoding="utf-8")
            files += 1
            saved += len(text.encode("utf-8")) - len(compact.encode("utf-8"))
    return files, saved
