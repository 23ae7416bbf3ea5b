"""The instructor's course map is read from the chapters and is complete for each."""

from book.course import course_map


def test_course_map_has_every_chapter_with_its_teaching_facts():
    course = course_map()
    assert list(course["file"]) == [
        "chapters/about-the-evidence.ipynb", "chapters/cocaine-and-stimulants.ipynb", "chapters/comparing-the-evidence.ipynb"]
    for row in course.to_dict("records"):
        assert row["objectives"] and row["prerequisites"] and "minutes" in row["estimated time"]
        assert row["exercises"] >= 2 and row["quiz questions"] >= 5
    assert "```" not in " ".join(course["objectives"])
