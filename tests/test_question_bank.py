"""The instructors' summative question bank (issue 24.4): about five items per chapter, to the item-writing standards,
facts checked against data/; kept out of the website, the student copies and the student handouts, and given to
instructors by ``python -m book question-bank`` and in the instructor handouts."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml
from data_helpers import planted

from book.__main__ import main
from book.notebooks import toc_chapters
from book.paths import ROOT
from book.teaching import question_bank as qb

BANKS = qb.bank_chapters()


def _stems() -> list[str]:
    return [item["question"] for chapter in BANKS for item in qb.load_bank(chapter)]


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_chapter_has_a_bank_of_about_five_items():
    assert sorted(toc_chapters()) == BANKS
    assert all(4 <= len(qb.load_bank(c)) <= 8 for c in BANKS)


@pytest.mark.parametrize("chapter", BANKS)
def test_items_meet_the_standards_and_their_facts_hold(chapter):
    assert qb.problems(chapter) == []


def test_keys_are_balanced_and_seldom_the_longest_option():
    stats = qb.key_stats()
    assert all(stats["positions"]) and max(stats["positions"]) <= qb.SHARE * stats["items"], stats
    assert stats["key_longest"] <= qb.SHARE * stats["items"], stats


def test_the_bank_is_kept_out_of_the_site_sources():
    assert qb.BANK_DIR.relative_to(ROOT).parts[0] == "instructor"
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert "instructor/**" in config["exclude_patterns"]
    stems = _stems()
    for folder in ("chapters", "guides", "assessment"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in {".ipynb", ".json", ".md"}:
                text = path.read_text(encoding="utf-8")
                assert not [s for s in stems if s in text], path


def test_the_bank_is_absent_from_the_built_site(built_site):
    stems = [s[:60] for s in _stems()]
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="replace")
        assert not [s for s in stems if s in text], page
    assert not list(built_site.rglob("question-bank*"))


def test_the_bank_is_absent_from_student_copies(tmp_path):
    assert main(["student-copy", "--all", "--out", str(tmp_path)]) == 0
    stems = _stems()
    for copy in tmp_path.glob("*.ipynb"):
        text = copy.read_text(encoding="utf-8")
        assert not [s for s in stems if s in text], copy.name


def test_the_command_writes_markdown_html_and_lms_packages(tmp_path, capsys):
    from book.teaching import lms

    assert main(["question-bank", "--chapter", "safety", "--out", str(tmp_path)]) == 0
    assert "5 items" in capsys.readouterr().out
    items = qb.load_bank("safety")
    markdown = (tmp_path / "safety.md").read_text(encoding="utf-8")
    assert all(item["question"] in markdown for item in items) and "Key: (" in markdown
    assert "For instructors only" in (tmp_path / "safety.html").read_text(encoding="utf-8")
    read = lms.read_moodle((tmp_path / "lms" / "safety" / "moodle.xml").read_bytes())
    assert len(read) == len(items)
    for got, item in zip(read, items):
        assert _words(str(got)).count(_words(item["answers"][0]["answer"])) >= 1
    assert main(["question-bank", "--chapter", "no-such-chapter", "--out", str(tmp_path)]) == 2


def test_a_planted_data_change_fails_a_bank_item(tmp_path):
    data = planted(tmp_path, "studies", "yoon2019", ",single arm,", ",randomized controlled trial,")
    assert any("item 3" in p and "single arm" in p for p in qb.problems("about-the-evidence", data_folder=data))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (Debian's poppler-utils) is not installed")
def test_instructor_handout_has_the_bank_and_the_student_handout_does_not(browser, site_url, tmp_path):
    from book.paper.pdf import write_handouts

    student, instructor = write_handouts(browser, site_url, "safety", tmp_path, qb.instructor_appendix)

    def text(written) -> str:
        out = subprocess.run(["pdftotext", str(written.path), "-"], capture_output=True, text=True, check=True).stdout
        return _words(out)

    stem = _words(qb.load_bank("safety")[0]["question"])[:50]
    assert stem not in text(student)
    assert stem in text(instructor) and "Question bank" in text(instructor) and "Rubrics" in text(instructor)
    assert "Rubrics" not in text(student)
