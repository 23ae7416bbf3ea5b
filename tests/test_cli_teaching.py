"""python -m book lms | grade | quiz-facts: wired in book/cli.py, each passing its arguments to its module."""

import re

from book import cli


def test_the_docstring_and_help_list_every_command(capsys):
    try:
        cli.main(["--help"])
    except SystemExit:
        pass
    shown = capsys.readouterr().out
    commands = re.findall(r"^``([a-z-]+)", cli.__doc__, re.M)
    assert {"lms", "grade", "quiz-facts", "validate", "refresh-outputs"} <= set(commands)
    for command in commands:
        assert command in shown, command


def test_lms_writes_three_packages_for_a_chapter(tmp_path, capsys):
    assert cli.main(["lms", "--out", str(tmp_path), "--chapter", "alcohol"]) == 0
    assert sorted(p.name for p in (tmp_path / "alcohol").iterdir()) == [
        "blackboard-qti21.zip",
        "canvas-qti12.zip",
        "moodle.xml",
    ]
    assert cli.main(["lms", "--out", str(tmp_path), "--chapter", "no-such-chapter"]) == 2
    assert ".meta" not in capsys.readouterr().err


def test_grade_refuses_a_missing_folder(tmp_path, capsys):
    assert cli.main(["grade", str(tmp_path / "nothing"), "--out", str(tmp_path / "g.csv")]) == 2
    assert "No folder" in capsys.readouterr().err


def test_quiz_facts_runs(capsys):
    assert cli.main(["quiz-facts"]) in (0, 1)
    assert "fact(s) fail" in capsys.readouterr().out
