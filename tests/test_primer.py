"""Order of learning (issue 23.7): the primer comes before the substance chapters, they name it as a prerequisite, and
its prose links a glossary entry at the first use of each glossary term it uses."""

from __future__ import annotations

import re

import pytest

from book import notebooks
from book.paths import ROOT

SUBSTANCE_CHAPTERS = ["cocaine-and-stimulants", "alcohol", "opioids", "other-substances"]


def _glossary_terms() -> list[str]:
    """The terms of glossary.md's {glossary} blocks (a term line is followed by a term line or an indented definition)."""
    text = (ROOT / "glossary.md").read_text(encoding="utf-8")
    terms = []
    for block in re.findall(r"```\{glossary\}\n(.*?)```", text, re.S):
        lines = [line for line in block.splitlines() if not line.startswith(":")]
        for line, following in zip(lines, lines[1:] + [""]):
            if line and not line.startswith(" ") and following:  # a term, then an alias or its indented definition
                terms.append(line.strip())
    return terms


def test_primer_comes_right_after_about_the_evidence():
    order = notebooks.toc_chapters()
    assert order.index("primer") == order.index("about-the-evidence") + 1
    assert all(order.index("primer") < order.index(c) for c in SUBSTANCE_CHAPTERS)


@pytest.mark.parametrize("chapter", SUBSTANCE_CHAPTERS)
def test_substance_chapters_name_the_primer_as_a_prerequisite(chapter):
    opening = notebooks.cells(chapter)[0]["source"]
    row = re.search(r"\*\*Prerequisites\*\*\s*\n\s+-\s+(.+?)(?=\n\*\s+-|\n```)", opening, re.S)
    assert row and "(primer.ipynb)" in row.group(1), f"{chapter}: the prerequisites do not link the primer"


def test_first_use_of_each_glossary_term_in_the_primer_is_linked():
    text = notebooks.markdown("primer")
    text = re.sub(r"```\{admonition\}.*?```", "", text, flags=re.S)  # the notice
    text = re.sub(r"^#+ .*$", "", text, flags=re.M)  # headings
    text = re.sub(r"\[[^\]]*\]\([^)]*\)", "", text)  # link texts (chapter titles)
    unlinked = []
    for term in _glossary_terms():
        pattern = re.compile(r"(?<![\w-])" + re.escape(term).replace(r"\ ", r"[\s-]+") + r"(?![\w-])", re.I)
        first = pattern.search(text)
        if first is None:
            continue
        opened = text.rfind("{term}`", 0, first.start())
        if opened == -1 or "`" in text[opened + len("{term}`") : first.start()]:
            unlinked.append(term)
    assert not unlinked, f"first uses not linked to the glossary: {unlinked}"
