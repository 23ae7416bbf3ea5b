"""The instructor's course map is read from the chapters and is complete for each."""

from book import notebooks
from book.paths import ROOT
from book.teaching.course import course_map, course_table


def test_course_map_has_every_chapter_with_its_teaching_facts():
    course = course_map()
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    chapters = [c["file"] + ".ipynb" for part in toc["parts"] for c in part["chapters"] if c["file"].startswith("chapters/")]
    assert list(course["file"]) == chapters  # every chapter, in the book's order
    for row in course.to_dict("records"):
        assert row["objectives"] and row["prerequisites"] and "minutes" in row["estimated time"]
        assert row["exercises"] >= 2 and row["quiz questions"] >= 5
    assert "```" not in " ".join(course["objectives"])


def test_the_course_map_shows_roles_as_text_and_objectives_as_a_numbered_list():
    """Issue 24.5: no raw MyST ({term}, {doc}, {ref}) in any cell; objectives one per line, numbered as in the
    chapter, and an HTML ordered list in the guide's table; the estimated time stays."""
    course = course_map()
    shown = " ".join(str(v) for v in course.to_numpy().ravel())
    for raw in ("{term}", "{doc}", "{ref}", "`", "<Comparator>"):
        assert raw not in shown, raw
    for name, row in zip(notebooks.toc_chapters(), course.to_dict("records")):
        lines = row["objectives"].splitlines()
        assert [line.split(". ", 1)[0] for line in lines] == [str(n) for n in range(1, len(lines) + 1)], name
        assert len(lines) == len(notebooks.objectives(name)) >= 2, name
        assert "minutes" in row["estimated time"]
    cocaine = course.set_index("file").loc["chapters/cocaine-and-stimulants.ipynb", "objectives"]
    assert "ketamine regimen and comparator of each" in cocaine  # {term}`comparator <Comparator>` as its text
    table = course_table().to_html()
    assert table.count("<ol>") == len(course)
    assert table.count("<li>") == sum(len(o.splitlines()) for o in course["objectives"])
    assert 'id="T_course"' in table


def test_plain_text_reads_roles_as_a_reader_sees_them():
    text = "the {term}`comparator <Comparator>`, {doc}`../chapters/alcohol`, {ref}`this table <tab-x>` and [Safety](safety.ipynb)"
    assert notebooks.plain_text(text) == "the comparator, Alcohol: use disorder and withdrawal, this table and Safety"
