"""``python -m book pdf`` (book/pdf.py): the book and the chapter handouts, printed from the built site by Chromium.

Like the other browser tests, these are skipped without Chromium and fail with the same message without a build
(fixtures in conftest.py). For speed they print one chapter's handouts (student and instructor) and a book of two
pages, not the whole book. What is printed is checked on the page as laid out for print (the print DOM, with print
media: ``innerText`` holds only what is displayed) and, where ``pdftotext`` (Debian's poppler-utils) is installed,
in the PDF's own text as well.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from book.__main__ import main
from book.pdf import DISCLAIMER, SHEET_PX, assemble_book, open_for_print, page_count, write_handouts

#: The chapter printed: it has solutions (text and code), two charts with inputs and a quiz.
CHAPTER = "cocaine-and-stimulants"


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def handouts(browser, site_url, tmp_path_factory):
    """The chapter's two handouts, written once for the module: ``{edition: Written}``."""
    out = tmp_path_factory.mktemp("pdf")
    student, instructor = write_handouts(browser, site_url, CHAPTER, out)
    return {"student": student, "instructor": instructor}


@pytest.fixture(scope="module")
def printed(browser, site_url):
    """The chapter laid out for print in each edition: ``{edition: (page, report)}``; closed after the module."""
    url = f"{site_url}chapters/{CHAPTER}.html"
    pages = {edition: open_for_print(browser, url, edition) for edition in ("student", "instructor")}
    yield pages
    for page, _ in pages.values():
        page.context.close()


@pytest.fixture(scope="module")
def solution_phrase(printed) -> str:
    """The opening words of the chapter's first solution, as the site shows them."""
    page, _ = printed["instructor"]
    text = _words(page.locator(".solution section p").first.text_content())
    assert len(text.split()) >= 8, text
    return " ".join(text.split()[:8])


def _printed_text(page) -> str:
    return _words(page.evaluate("document.body.innerText"))


def test_the_handouts_are_written_and_have_pages(handouts):
    for edition, name in (("student", f"{CHAPTER}.pdf"), ("instructor", f"{CHAPTER}-instructor.pdf")):
        written = handouts[edition]
        assert written.path.name == name and written.path.parent.name == "handouts"
        assert written.path.is_file() and written.size == written.path.stat().st_size > 0
        data = written.path.read_bytes()
        assert data.startswith(b"%PDF-")
        assert written.pages == page_count(written.path) > 0
        # The count of page objects agrees with the page tree's own count (its root counts every page).
        assert written.pages == max(int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data))
    # The instructor edition holds everything the student handout does, and the solutions.
    assert handouts["instructor"].pages >= handouts["student"].pages


def test_student_handout_leaves_out_the_solutions_and_the_instructor_edition_prints_them(printed, solution_phrase):
    student, student_report = printed["student"]
    instructor, instructor_report = printed["instructor"]
    assert student_report["solutionsRemoved"] >= 3 and instructor_report["solutionsShown"] == student_report["solutionsRemoved"]
    assert student.locator(".solution, .cell.tag_solution").count() == 0
    assert solution_phrase not in _printed_text(student)
    assert solution_phrase in _printed_text(instructor), "the instructor edition does not print the solution"
    # Unfolded, not merely present: the solution's content is displayed.
    assert instructor.locator(".solution section p").first.is_visible()
    # The exercises themselves are in both.
    assert student.locator(".exercise").count() == instructor.locator(".exercise").count() >= 3


def test_only_the_instructor_edition_marks_the_quiz_answers(printed):
    student, student_report = printed["student"]
    instructor, instructor_report = printed["instructor"]
    assert student_report["answersMarked"] == 0 and student.locator(".kap-print-correct, .kap-print-answer").count() == 0
    assert instructor_report["answersMarked"] >= 5
    assert "Answer: 48.2" in _printed_text(instructor)  # the numeric question's answer, written in


def test_charts_are_drawn_as_svg_and_their_inputs_said_in_words(printed):
    for page, report in printed.values():
        assert report["charts"] >= 2 and report["chartsDrawnAsSvg"] == report["charts"] and report["canvases"] == 0
        charts = page.locator(".kap-chart")
        assert page.locator(".kap-chart canvas").count() == 0
        assert page.locator(".kap-chart:has(svg)").count() == charts.count()
        assert not page.locator(".vega-bindings").first.is_visible()
        note = page.locator(".kap-print-bindings").first
        assert note.is_visible() and "Substance: cocaine" in note.text_content()


def test_a_chart_taller_than_a_sheet_is_printed_in_slices_that_fit(browser, site_url):
    # The safety chapter's harms chart has a row per harm reported: over two sheets tall.
    page, report = open_for_print(browser, f"{site_url}chapters/safety.html", "student")
    try:
        assert report["chartsSliced"] >= 1
        sliced = page.locator(".kap-chart.kap-print-split").first
        original = sliced.locator("svg.kap-print-sliced")
        assert not original.is_visible()
        slices = sliced.locator(".kap-print-slice svg")
        heights = [float(h) for h in slices.evaluate_all("svgs => svgs.map(s => s.getBoundingClientRect().height)")]
        assert len(heights) >= 2 and max(heights) <= SHEET_PX
        total = original.evaluate("svg => svg.viewBox.baseVal.height")
        assert sum(heights) == pytest.approx(total, abs=2)  # every band of the chart, once
    finally:
        page.context.close()


def test_print_leaves_out_navigation_and_keeps_the_disclaimer_and_link_targets(printed):
    for page, report in printed.values():
        for chrome in (".bd-header", ".bd-sidebar-primary", ".bd-sidebar-secondary", ".bd-header-article", ".prev-next-area"):
            assert not page.locator(chrome).first.is_visible(), f"{chrome} is printed"
        assert page.locator("button:visible").count() == 0
        assert report["disclaimer"] and DISCLAIMER in _printed_text(page)
        assert report["title"] == "Cocaine and other stimulants"
        # An external link prints its address after its text, unless its text already is that address.
        links = page.locator("a.reference.external[href^='http']").evaluate_all(
            "links => links.map(a => [a.getAttribute('href'), a.hasAttribute('data-kap-url-shown'), a.textContent,"
            " getComputedStyle(a, '::after').content])"
        )
        assert links
        for href, shown, text, after in links:
            assert (href in after) != shown, (href, text, after)
        # Links to other pages of the site keep their text only (a handout has no other pages).
        assert report["linksToText"] > 0
        assert page.locator("article a[href*='127.0.0.1'], article a[href$='.html']:not([href^='http'])").count() == 0


def test_the_book_joins_its_pages_in_one_document(browser, site_url):
    book = assemble_book(browser, site_url, ["index.html", f"chapters/{CHAPTER}.html"])
    try:
        state = book.evaluate("""() => {
            const first = new Set([...document.querySelectorAll('section.kap-book-page:first-child [id]')].map(e => e.id));
            const internal = [...document.querySelectorAll('article a[href^="#"]')].map(a => a.getAttribute('href').slice(1));
            const refs = [...document.querySelectorAll('article svg [clip-path]')]
                .map(e => (e.getAttribute('clip-path').match(/url\\(#([^)]+)\\)/) || [])[1]).filter(Boolean);
            return {
                sections: [...document.querySelectorAll('section.kap-book-page')].map(s => s.id),
                shared: [...document.querySelectorAll('section.kap-book-page:not(:first-child) [id]')]
                    .map(e => e.id).filter(id => first.has(id)),
                broken: [...internal, ...refs].filter(id => !document.getElementById(decodeURIComponent(id))),
                internal: internal.length,
                toSite: document.querySelectorAll('article a[href^="http://127.0.0.1"]').length,
                canvases: document.querySelectorAll('article canvas').length,
                charts: document.querySelectorAll('article .kap-chart svg').length,
                solutions: document.querySelectorAll('article .solution').length,
            };
        }""")
    finally:
        book.context.close()
    assert state["sections"] == ["kap-page-index", f"kap-page-chapters-{CHAPTER}"]
    # Ids repeat from page to page (a "references" section, vega's clip paths): each page's are its own.
    assert not state["shared"], state["shared"][:10]
    assert not state["broken"], state["broken"][:10]
    assert state["internal"] > 5 and state["toSite"] == 0
    assert state["charts"] >= 2 and state["canvases"] == 0
    assert state["solutions"] >= 3  # the book prints the solutions


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (Debian's poppler-utils) is not installed")
def test_the_pdf_text_says_what_the_print_dom_says(handouts, solution_phrase):
    def text(written) -> list[str]:
        out = subprocess.run(["pdftotext", "-layout", str(written.path), "-"], capture_output=True, text=True, check=True).stdout
        return [_words(page) for page in out.split("\f") if page.strip()]

    student, instructor = text(handouts["student"]), text(handouts["instructor"])
    assert solution_phrase not in " ".join(student)
    assert solution_phrase in " ".join(instructor)
    for edition, pages in (("student", student), ("instructor", instructor)):
        assert len(pages) == handouts[edition].pages
        for number, page in enumerate(pages, start=1):
            assert DISCLAIMER in page, f"{edition} page {number} has no disclaimer"
            assert f"page {number} of {len(pages)}" in page and "Cocaine and other stimulants" in page


def test_the_command_says_when_the_site_is_not_built(tmp_path, capsys):
    assert main(["pdf", "--site", str(tmp_path / "no-site"), "--out", str(tmp_path / "out")]) == 2
    assert "not built" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_command_names_the_chapters_when_one_is_unknown(tmp_path, capsys):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<!doctype html>", encoding="utf-8")
    assert main(["pdf", "--site", str(tmp_path / "site"), "--chapter", "no-such-chapter", "--out", str(tmp_path / "out")]) == 2
    assert CHAPTER in capsys.readouterr().err
