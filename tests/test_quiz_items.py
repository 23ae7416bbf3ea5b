"""Item-writing checks on the chapter quizzes (chapters/quizzes/*.json with their *.meta.json sidecars):
a test-wise learner gains nothing from a key's position or length, every option is explained, a single-answer
item has exactly one key, and every item names the chapter objective(s) it assesses."""

import json

import pytest

from book.paths import QUIZ_DIR
from book.teaching.quiz_facts import chapter_objectives, key_stats, load_meta, quiz_chapters

CHAPTERS = quiz_chapters()
SHARE = 0.35  # no keyed position, and no "key is the longest option", in more than this share of items


def _quiz(chapter):
    return json.loads((QUIZ_DIR / f"{chapter}.json").read_text(encoding="utf-8"))


def test_keyed_positions_are_balanced_across_the_book():
    stats = key_stats()
    assert stats["items"] >= 50
    assert all(stats["positions"]), f"every position 1-4 must be keyed at least once: {stats['positions']}"
    assert max(stats["positions"]) <= SHARE * stats["items"], stats


def test_the_key_is_seldom_the_longest_option():
    stats = key_stats()
    assert stats["key_longest"] <= SHARE * stats["items"], stats


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_option_is_explained_and_single_answer_items_have_one_key(chapter):
    for number, q in enumerate(_quiz(chapter), start=1):
        for option, answer in enumerate(q["answers"], start=1):
            assert str(answer.get("feedback", "")).strip(), f"{chapter} item {number} option {option}: no feedback"
        if q["type"] == "multiple_choice":
            keys = [a for a in q["answers"] if a.get("correct")]
            assert len(keys) == 1, f"{chapter} item {number}: {len(keys)} options marked correct"
            assert len(q["answers"]) >= 3, f"{chapter} item {number}: fewer than three options"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_item_names_objectives_that_its_chapter_states(chapter):
    objectives = chapter_objectives(chapter)
    assert objectives, f"{chapter}: no objectives found in the opening cell"
    meta = load_meta(chapter)
    quiz = _quiz(chapter)
    assert len(meta["items"]) == len(quiz), (
        f"{chapter}: the sidecar describes {len(meta['items'])} items, the quiz has {len(quiz)}"
    )
    for number, item in enumerate(meta["items"], start=1):
        named = item.get("objectives", [])
        assert named, f"{chapter} item {number}: names no objective"
        unknown = [n for n in named if n not in objectives]
        assert not unknown, f"{chapter} item {number}: objectives {unknown} are not in the chapter (it has {sorted(objectives)})"
        assert item.get("needs"), f"{chapter} item {number}: say what it needs ('none', a chart, a table)"


def test_no_item_is_about_the_books_own_machinery():
    """Items assess the evidence and its appraisal, not what the book's tests or code do."""
    words = ("the book's tests", "the tests ", "pytest", "draw no curve", "draws no curve")
    for chapter in CHAPTERS:
        for number, q in enumerate(_quiz(chapter), start=1):
            assert not any(w in q["question"].lower() for w in words), f"{chapter} item {number}: {q['question']}"
