"""The instructor's course map is read from the chapters and is complete for each."""

from book.course import course_map
from book.paths import ROOT


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
