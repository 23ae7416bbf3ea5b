"""Answer keys stay out of the notebooks: every check cell calls check_answer(label, answer), the
registry answers every checked exercise, and the hashed registry matches the instructor's keys."""

import ast
import io
import json
import re
import tokenize
from pathlib import Path

import pandas as pd
import pytest

from book.__main__ import main, student_copy
from book.answers import (
    ANSWERS,
    INSTRUCTOR_KEYS,
    REGISTRY_MODULE,
    ComputedAnswer,
    HashedAnswer,
    build_registry,
    check_answer,
    check_cells,
    digest,
    hashed_answers,
    load_instructor_keys,
    normal_number,
    registry_source,
)
from book.exercises import check_answer as check_answer_from_exercises

ROOT = Path(__file__).resolve().parent.parent
CHAPTER_PATHS = sorted((ROOT / "chapters").glob("*.ipynb"))
NAMES = [p.stem for p in CHAPTER_PATHS]
BUILDING_BLOCKS = ("check_choice", "check_number", "check_text", "check_data_answer")
KEYS = load_instructor_keys()


@pytest.fixture(scope="module")
def student_copies(tmp_path_factory):
    out = tmp_path_factory.mktemp("student-copies")
    student_copy(NAMES, out)
    return out


def _code_tokens(source: str) -> list[tokenize.TokenInfo]:
    """The cell's tokens without comments (the learner-facing comment may name the options)."""
    return [t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type != tokenize.COMMENT]


def _answer_values() -> dict[str, tuple[float, float]]:
    """Every numeric answer the registry can give: label -> (value, how close counts as the value)."""
    return {
        label: (entry.compute(), max(entry.tolerance, 1e-9))
        for label, entry in ANSWERS.items()
        if isinstance(entry, ComputedAnswer)
    }


def _assert_no_key(path: Path):
    text = path.read_text(encoding="utf-8")
    cells = check_cells(path)
    assert cells, f"{path.name} has no answer-check cells"
    values = _answer_values()
    for cell in cells:
        where = f"{path.name}, cell {cell.index} ({cell.exercise})"
        for name in BUILDING_BLOCKS:
            assert not re.search(rf"\b{name}\b", cell.source), f"{where} calls {name} directly: {cell.source!r}"
        tokens = _code_tokens(cell.source)
        strings = [ast.literal_eval(t.string) for t in tokens if t.type == tokenize.STRING]
        assert strings == list(cell.keys), f"{where}: the only text in the code should be the label, not {strings}"
        for token in (t for t in tokens if t.type == tokenize.NUMBER):
            number = float(token.string)
            near = [label for label, (value, close) in values.items() if abs(number - value) <= close]
            assert not near, f"{where} holds {token.string}, the answer to {near}"
        for label, plain in KEYS.items():
            if plain["kind"] == "choice":
                assert not re.search(rf"""check_\w+\([^#]*?["']\(?{plain["answer"]}\)?["']""", cell.source, re.I | re.S), (
                    f"{where} passes the answer to {label} as a literal"
                )
        # The whole shape: an import of check_answer, `name = ...` lines, one check_answer("label", name).
        tree = ast.parse(cell.source)
        *setup, last = tree.body
        for node in setup:
            ok_import = (
                isinstance(node, ast.ImportFrom)
                and node.module == "book.exercises"
                and [a.name for a in node.names] == ["check_answer"]
            )
            ok_blank = (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Constant)
                and node.value.value is Ellipsis
            )
            assert ok_import or ok_blank, f"{where}: unexpected statement {ast.unparse(node)!r}"
        assert (
            isinstance(last, ast.Expr)
            and isinstance(last.value, ast.Call)
            and ast.unparse(last.value.func) == "check_answer"
            and len(last.value.args) == 2
            and not last.value.keywords
            and isinstance(last.value.args[1], ast.Name)
        ), f'{where}: should end with check_answer("label", name)'
    # Explanations are feedback shown after answering: never in the notebook, in any cell or output.
    for label, entry in ANSWERS.items():
        if isinstance(entry, HashedAnswer):
            for option, why in entry.explanations.items():
                assert why not in text, f"{path.name} shows the explanation of ({option}) for {label}"


@pytest.mark.parametrize("name", NAMES)
def test_chapter_check_cells_hold_no_key(name):
    _assert_no_key(ROOT / "chapters" / f"{name}.ipynb")


@pytest.mark.parametrize("name", NAMES)
def test_student_copy_check_cells_hold_no_key(student_copies, name):
    copy = student_copies / f"{name}.ipynb"
    assert [c.source for c in check_cells(copy)] == [c.source for c in check_cells(ROOT / "chapters" / f"{name}.ipynb")]
    _assert_no_key(copy)


def test_the_test_catches_a_key(tmp_path):
    """A check cell in the old style (the key as a literal) fails the check above."""
    nb = json.loads((ROOT / "chapters" / "cocaine-and-stimulants.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if 'check_answer("ex-cocaine-control"' in "".join(c["source"]))
    cell["source"] = ['my_choice = ...  # "a", "b" or "c"\n', 'check_choice(my_choice, "b", options={"a": "", "b": "", "c": ""})']
    leaky = tmp_path / "leaky.ipynb"
    leaky.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(AssertionError, match="calls check_choice directly"):
        _assert_no_key(leaky)


def test_every_checked_exercise_is_in_the_registry_and_back():
    called: list[str] = []
    for path in CHAPTER_PATHS:
        for cell in check_cells(path):
            assert len(cell.keys) == 1, f"{path.name}, cell {cell.index}: one check_answer call per check cell"
            key = cell.keys[0]
            assert key.split("/")[0] == cell.exercise, f"{path.name}: {key!r} checks an exercise other than {cell.exercise!r}"
            assert key in ANSWERS, f"{path.name}: {key!r} is not in the answer registry"
            called.append(key)
    assert len(called) == len(set(called)), "each registry entry is checked by one cell"
    assert set(called) == set(ANSWERS), f"registry entries no chapter checks: {sorted(set(ANSWERS) - set(called))}"


def test_hashed_registry_matches_the_instructor_keys():
    assert REGISTRY_MODULE.read_text(encoding="utf-8") == registry_source(KEYS), (
        "book/answer_registry.py is out of date: run python -m book.answers --write"
    )
    hashed = {label: e for label, e in ANSWERS.items() if isinstance(e, HashedAnswer)}
    assert set(hashed) == set(KEYS)
    for label, entry in hashed.items():
        plain = KEYS[label]
        assert entry.kind == plain["kind"] and entry.accepts(plain["answer"])
        if entry.kind == "choice":
            assert [o for o in entry.options if entry.accepts(o)] == [plain["answer"]]
    # No plain key in the learner-facing module, and the label salts the hash.
    from book.answer_registry import FIXED_ANSWERS

    fields = {"kind", "digests", "options", "explanations", "hint", "unit", "decimals"}
    assert all(set(e) <= fields for e in FIXED_ANSWERS.values())
    digests = [d for e in FIXED_ANSWERS.values() for d in e["digests"]]
    assert len(digests) == len(set(digests)), "two exercises with the same answer must not share a digest"
    assert INSTRUCTOR_KEYS.parent.name == "answer_keys" and not (INSTRUCTOR_KEYS.parent / "__init__.py").exists()


def test_choice_right_wrong_empty_wrong_type():
    right = check_answer_from_exercises(  # the chapters' import, which delegates to the registry
        "ex-cocaine-control", KEYS["ex-cocaine-control"]["answer"].upper()
    )
    assert right.correct and KEYS["ex-cocaine-control"]["explanations"]["b"] in right.message
    for label in ("ex-cocaine-control", "ex-opioids-comparator"):
        wrong = next(o for o in KEYS[label]["options"] if o != KEYS[label]["answer"])
        feedback = check_answer(label, f"({wrong})")
        assert not feedback.correct and KEYS[label]["explanations"][wrong] in feedback.message
    assert "not one of the options (a, b, c, d)" in check_answer("ex-opioids-comparator", "e").message
    assert "no answer yet" in check_answer("ex-compare-pool", ...).message
    assert "no answer yet" in check_answer("ex-compare-pool", "  ").message
    assert "as text in quotes" in check_answer("ex-alcohol-historical", 2).message


def test_data_and_computed_answers_right_wrong_empty_wrong_type():
    studies = pd.read_csv(ROOT / "data" / "studies.csv")
    cocaine = int((studies["substance"] == "cocaine").sum())
    assert check_answer("ex-cocaine-count", cocaine).correct
    assert "too high" in check_answer("ex-cocaine-count", cocaine + 1).message
    assert "no answer yet" in check_answer("ex-cocaine-count", ...).message
    assert "should be a number" in check_answer("ex-cocaine-count", "four").message
    # 2/98 over 1/99 = 2.0204...: the answer to two decimals is right, the risk ratio (2.00) is too far.
    assert check_answer("ex-compare-or-rr", 2.02).correct
    assert check_answer("ex-compare-or-rr", "2.03").correct
    assert "too low" in check_answer("ex-compare-or-rr", 2.0).message
    assert "should be a number" in check_answer("ex-compare-or-rr", [2.02]).message


def test_unknown_label_lists_the_known_ones():
    for label in ("ex-cocaine-contrl", "cocaine-studies", None, 3):
        feedback = check_answer(label, "b")
        assert not feedback.correct and "There is no exercise" in feedback.message
        assert all(known in feedback.message for known in ANSWERS)
    assert "Did you mean 'ex-cocaine-control'?" in check_answer("ex-cocaine-contrl", "b").message


def test_text_and_number_kinds_are_hashed_too():
    keys = {
        "ex-demo-text": {"kind": "text", "answer": ["active control", "active placebo"], "hint": "Two words."},
        "ex-demo-number": {"kind": "number", "answer": 37.5, "decimals": 1, "unit": "percentage points"},
    }
    registry = build_registry(keys)
    assert "37.5" not in repr(registry) and "active control" not in repr(registry)
    entries = hashed_answers(registry)
    text, number = entries["ex-demo-text"], entries["ex-demo-number"]
    assert text.check("Active-Placebo.").correct and not text.check("placebo").correct
    assert "Two words." in text.check("placebo").message and "as text" in text.check(3).message
    assert "no answer yet" in text.check(...).message
    assert number.check(37.46).correct and number.check("37.5%").correct and number.check(37.54).correct
    assert not number.check(37.56).correct and "not correct" in number.check(40).message
    assert "should be a number" in number.check("lots").message and "no answer yet" in number.check("").message
    assert normal_number(-0.001, 2) == "0.00" and digest("a", "b") != digest("b", "b")
    with pytest.raises(ValueError, match="not one of the options"):
        build_registry({"ex-bad": {"kind": "choice", "answer": "e", "options": ["a", "b"]}})
    with pytest.raises(ValueError, match="needs 'decimals'"):
        build_registry({"ex-bad": {"kind": "number", "answer": 1.5}})


def test_answer_key_command_prints_every_answer(capsys):
    assert main(["answer-key"]) == 0
    out = capsys.readouterr().out
    for label, entry in ANSWERS.items():
        line = next(line for line in out.splitlines() if line.split()[:1] == [label])
        assert line.split()[1] == entry.kind
        if isinstance(entry, HashedAnswer):
            assert line.split()[2].rstrip(":") == KEYS[label]["answer"]
        else:
            assert f"{entry.compute():.10g}" in line
    assert main(["answer-key", "opioids"]) == 0
    out = capsys.readouterr().out
    assert "ex-opioids-comparator" in out and "ex-cocaine-control" not in out
    assert main(["answer-key", "heroin"]) == 2
    assert "No chapter 'heroin'" in capsys.readouterr().err


def test_answer_key_reports_a_key_that_does_not_match(tmp_path):
    from book.answers import answer_key

    keys = json.loads(INSTRUCTOR_KEYS.read_text(encoding="utf-8"))
    keys["ex-cocaine-control"]["answer"] = "a"
    wrong = tmp_path / "instructor.json"
    wrong.write_text(json.dumps(keys), encoding="utf-8")
    lines, problems = answer_key([ROOT / "chapters" / "cocaine-and-stimulants.ipynb"], keys_path=wrong)
    assert any("DOES NOT MATCH" in line for line in lines) and any("ex-cocaine-control" in p for p in problems)
    lines, problems = answer_key([ROOT / "chapters" / "cocaine-and-stimulants.ipynb"], keys_path=tmp_path / "none.json")
    assert any("not available" in line for line in lines) and problems
