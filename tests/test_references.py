"""A chapter's reference list for JupyterLab readers (book/references.py), where MyST shows no bibliography."""

import json

import pytest

from book.paths import CHAPTERS_DIR
from book.references import cited_keys, reference_list

CHAPTERS = sorted(p.stem for p in CHAPTERS_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_chapter_that_cites_lists_its_references_for_jupyterlab_only(chapter):
    prefix, keys = cited_keys(chapter)
    cells = json.loads((CHAPTERS_DIR / f"{chapter}.ipynb").read_text(encoding="utf-8"))["cells"]
    calls = [c for c in cells if f'reference_list("{chapter}")' in "".join(c["source"])]
    if not keys:
        assert not calls
        return
    assert len(calls) == 1 and calls[0]["cell_type"] == "code"
    assert "remove-cell" in calls[0]["metadata"].get("tags", []), "the website lists the references itself"
    listed = reference_list(chapter)
    assert [key for key, _, _ in listed.items] == keys
    assert all(key.startswith(prefix) for key in keys)
    assert all(text.endswith(".") and "{" not in text and "\\" not in text for _, text, _ in listed.items)


def test_the_list_shows_key_citation_and_doi():
    listed = reference_list("cocaine-and-stimulants")
    html = listed._repr_html_()
    assert "<code>co-dakwar2019</code>" in html and "https://doi.org/10.1176/appi.ajp.2019.18101123" in html
    assert "Ciência e Natura" in str(listed)


def test_an_unknown_chapter_gets_a_clear_message():
    with pytest.raises(FileNotFoundError, match="No chapter 'heroin'. Chapters:"):
        reference_list("heroin")


def test_the_bibliography_page_lists_every_reference_once(built_site):
    import re

    from book.data import bib_keys
    from book.paths import DATA_DIR

    html = (built_site / "bibliography.html").read_text(encoding="utf-8")
    entries = re.findall(r'<div class="citation" id="([^"]+)"', html)
    assert len(entries) == len(bib_keys(DATA_DIR)) and len(set(entries)) == len(entries)


def test_the_list_is_formatted_by_the_websites_pybtex_style():
    """JupyterLab's list uses the pybtex style sphinxcontrib-bibtex gives the website (no hand-made reference text)."""
    import yaml

    from book.paths import ROOT
    from book.teaching.references import STYLE

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"]["config"]["bibtex_default_style"] == STYLE
    listed = reference_list("cocaine-and-stimulants")
    assert str(listed).startswith("co-dakwar2019: Elias Dakwar, Edward V. Nunes,")  # citation order, names as written
