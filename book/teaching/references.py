"""A chapter's reference list, for readers of the notebook in JupyterLab.

On the website each chapter ends with a ``{bibliography}`` block (sphinxcontrib-bibtex) listing the works it
cites. JupyterLab's MyST renderer (jupyterlab-myst) has no bibliography: it shows that block as nothing, and
each ``{cite:p}`` citation as its key. So each chapter's References section is followed by a code cell, tagged
``remove-cell`` (the website has its own list), that calls :func:`reference_list`: the same works, read from
``data/references.bib``, under the keys the citations show.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from .. import notebooks
from ..evidence.labels import plain_text
from ..evidence.schema import data_dir

__all__ = ["cited_keys", "reference_list", "ReferenceList", "plain_text"]


def cited_keys(chapter: str) -> tuple[str, list[str]]:
    """The chapter's key prefix and the keys it cites, in order of first citation (as written, prefix included)."""
    text = notebooks.markdown(chapter)
    return notebooks.keyprefix(text), notebooks.cited_keys(text)


def _authors(entry) -> str:
    people = entry.persons.get("author", [])
    names = []
    for person in people[:6]:
        initials = "".join(part[0] for part in person.first_names + person.middle_names if part)
        names.append(f"{plain_text(' '.join(person.last_names))} {initials}".strip())
    return ", ".join(names) + (", et al." if len(people) > 6 else "")


@dataclass(frozen=True)
class ReferenceList:
    """The references of one chapter: ``(key, citation text, DOI or None)`` each; shows itself in a notebook."""

    chapter: str
    items: tuple[tuple[str, str, str | None], ...]

    def __str__(self) -> str:
        return "\n".join(f"{key}: {text}" + (f" https://doi.org/{doi}" if doi else "") for key, text, doi in self.items)

    def _repr_html_(self) -> str:
        rows = []
        for key, text, doi in self.items:
            link = f' <a href="https://doi.org/{html.escape(doi)}">doi:{html.escape(doi)}</a>' if doi else ""
            rows.append(f"<li><code>{html.escape(key)}</code>: {html.escape(text)}{link}</li>")
        return (
            f'<div class="kap-references" role="region" aria-label="References of this chapter">'
            f"<p>The works this chapter cites (its citations show these keys in JupyterLab):</p>"
            f"<ul>{''.join(rows)}</ul></div>"
        )


def reference_list(chapter: str) -> ReferenceList:
    """The works ``chapter`` cites, from ``data/references.bib``; a clear message for an unknown chapter or key."""
    from pybtex.database import parse_file

    prefix, keys = cited_keys(chapter)
    bibliography = parse_file(str(data_dir() / "references.bib"), bib_format="bibtex")
    items = []
    for key in keys:
        bare = key[len(prefix) :] if prefix and key.startswith(prefix) else key
        if bare not in bibliography.entries:
            raise KeyError(f"{chapter} cites {key!r}, which is not in data/references.bib.")
        entry = bibliography.entries[bare]
        fields = {k.lower(): plain_text(str(v)) for k, v in entry.fields.items()}
        where = fields.get("journal", "")
        if fields.get("volume"):
            where += f" {fields['volume']}"
            if fields.get("number"):
                where += f"({fields['number']})"
        if fields.get("pages"):
            where += f":{fields['pages']}"
        text = f"{_authors(entry)} ({fields.get('year', 'n.d.')}). {fields.get('title', '')}. {where}".strip()
        if fields.get("pmid"):
            text += f". PMID {fields['pmid']}"
        items.append((key, text.rstrip(".") + ".", fields.get("doi") or None))
    return ReferenceList(chapter, tuple(items))
