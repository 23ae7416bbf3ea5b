"""book.teaching.quiz: the loader's message for a missing quiz names the quizzes, never their sidecars."""

import pytest

from book.teaching.quiz import QUIZ_DIR, load_quiz


def test_a_missing_quiz_lists_the_quizzes_and_no_meta_sidecar():
    with pytest.raises(FileNotFoundError) as info:
        load_quiz("no-such-chapter")
    listed = str(info.value).split("Quizzes: ", 1)[1].rstrip(".").split(", ")
    assert listed == sorted(p.name.removesuffix(".json") for p in QUIZ_DIR.glob("*.json") if not p.name.endswith(".meta.json"))
    assert not any(name.endswith(".meta") for name in listed)
