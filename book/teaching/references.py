"""A chapter's reference list, for readers of the notebook in JupyterLab.

On the website each chapter ends with a ``{bibliography}`` block (sphinxcontrib-bibtex) listing the works it
cites. JupyterLab's MyST renderer (jupyterlab-myst) has no bibliography: it shows that block as nothing, and
each ``{cite:p}`` citation as its key. So each chapter's References section is followed by a code cell, tagged
``remove-cell`` (the website has its own list), that calls :func:`reference_list`: the same works, read from
``data/references.bib``, under the keys the citations show, in the words the website uses: each entry is formatted by
pybtex's ``plain`` style, the style sphinxcontrib-bibtex gives the website's lists (``bibtex_default_style`` in
``_config.yml``), rendered as text and as HTML by pybtex's own backends.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from .. import notebooks
from ..evidence.labels import plain_text  # noqa: F401 (re-exported)
from ..evidence.schema import data_dir

__all__ = ["cited_keys", "reference_list", "ReferenceList", "plain_text"]


def cited_keys(chapter: str) -> tuple[str, list[str]]:
    """The chapter's key prefix and the keys it cites, in order of first citation (as written, prefix included)."""
    text = notebooks.markdown(chapter)
    return notebooks.keyprefix(text), notebooks.cited_keys(text)


@dataclass(frozen=True)
class ReferenceList:
    """The references of one chapter: ``(key, citation text, DOI or None)`` each, and each entry as HTML (its DOI a
    link); shows itself in a notebook."""

    chapter: str
    items: tuple[tuple[str, str, str | None], ...]
    html_items: tuple[str, ...] = ()

    def __str__(self) -> str:
        return "\n".join(f"{key}: {text}" for key, text, _ in self.items)

    def _repr_html_(self) -> str:
        rows = [
            f"<li><code>{html.escape(key)}</code>: {entry}</li>"
            for (key, _, _), entry in zip(self.items, self.html_items, strict=True)
        ]
        return (
            f'<div class="kap-references" role="region" aria-label="References of this chapter">'
            f"<p>The works this chapter cites (its citations show these keys in JupyterLab):</p>"
            f"<ul>{''.join(rows)}</ul></div>"
        )


def reference_list(chapter: str) -> ReferenceList:
    """The works ``chapter`` cites, from ``data/references.bib``; a clear message for an unknown chapter or key."""
    from pybtex.database import parse_file
    from pybtex.plugin import find_plugin

    prefix, keys = cited_keys(chapter)
    bibliography = parse_file(str(data_dir() / "references.bib"), bib_format="bibtex")
    entries = []
    for key in keys:
        bare = key[len(prefix) :] if prefix and key.startswith(prefix) else key
        if bare not in bibliography.entries:
            raise KeyError(f"{chapter} cites {key!r}, which is not in data/references.bib.")
        entries.append(bibliography.entries[bare])
    style = find_plugin("pybtex.style.formatting", STYLE)()
    as_text, as_html = find_plugin("pybtex.backends", "text")(), find_plugin("pybtex.backends", "html")()
    formatted = [style.format_entry(key, entry) for key, entry in zip(keys, entries, strict=True)]  # in citation order
    items = tuple(
        (key, " ".join(f.text.render(as_text).split()), entry.fields.get("doi") or None)
        for key, f, entry in zip(keys, formatted, entries, strict=True)
    )
    return ReferenceList(chapter, items, tuple(f.text.render(as_html) for f in formatted))


#: The pybtex style of the website's bibliography (``bibtex_default_style`` in _config.yml; tests/test_references.py).
STYLE = "plain"
