"""Defects fixed with the move to layers (issue 22): unique table ids, the data-folder override everywhere, the
prose check's cache."""

from __future__ import annotations

import re
import shutil

from book.paths import DATA_DIR


def test_two_tables_of_one_kind_on_a_page_have_different_ids():
    import pandas as pd

    from book.views.kit import styled

    frame = pd.DataFrame({"a": [1]})
    first, second = (styled(frame, "Caption", "kind-under-test").to_html() for _ in range(2))
    ids = [set(re.findall(r'id="([^"]+)"', html)) for html in (first, second)]
    assert ids[0] and ids[1] and not ids[0] & ids[1]


def test_errata_and_references_read_the_data_folder_in_use(tmp_path, monkeypatch):
    from book.evidence import errata
    from book.teaching import references

    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    monkeypatch.setenv("KAP_BOOK_DATA", str(folder))
    (folder / "changelog.csv").write_text((DATA_DIR / "changelog.csv").read_text(encoding="utf-8").splitlines()[0] + "\n")
    assert errata.changelog() == []
    bib = folder / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("{Dakwar", "{Dakwar-override", 1), encoding="utf-8")
    texts = [text for key, text, _ in references.reference_list("cocaine-and-stimulants").items]
    assert any("Dakwar-override" in t for t in texts)


def test_the_prose_checks_sources_follow_the_data(tmp_path, monkeypatch):
    from book.teaching import prose

    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    monkeypatch.setenv("KAP_BOOK_DATA", str(folder))
    before = prose._source_text()
    path = folder / "regulation.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")  # a row removed: its quotes are gone from the sources
    after = prose._source_text()
    assert after is not before and after != before


def test_one_study_label_and_never_author_na():
    import pandas as pd

    from book.evidence.labels import study_label
    from book.views.kit import result_label

    frame = pd.DataFrame(
        {"first_author": ["Havrylov", "Dakwar"], "year": pd.array([pd.NA, 2019], dtype="Int64"), "outcome": ["x", "y"]}
    )
    assert list(result_label(frame)) == ["Havrylov (undated): x", "Dakwar 2019: y"]
    assert study_label("Havrylov", pd.NA) == "Havrylov (undated)"


def test_exercise_and_solution_sections_get_unique_ids():
    from docutils import nodes

    from book.site.offline import unique_section_ids

    doctree = nodes.document(None, None)
    doctree += [nodes.section(ids=["exercise-content"]), nodes.section(ids=["solution-content"])]
    doctree += [nodes.section(ids=["exercise-content"]), nodes.section(ids=["other"])]
    unique_section_ids(None, doctree, "page")
    assert [s["ids"][0] for s in doctree.findall(nodes.section)] == [
        "exercise-content",
        "solution-content",
        "exercise-content-2",
        "other",
    ]
