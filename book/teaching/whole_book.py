"""Whole-book assessment: a pre-test and a post-test (parallel forms), a review quiz at the end of each part, and the
questions-and-answers appendix for self-study (issue 23.8).

The tests are jupyterquiz files like the chapter quizzes, kept in ``assessment/quizzes/<name>.json`` with a sidecar
``<name>.meta.json`` in the chapter quizzes' format, except that an item names the chapter as well as the objective,
since a whole-book item samples one chapter's objective::

    {"items": [{"maps": [{"chapter": "safety", "objectives": [6]}], "needs": "none", "facts": [FACT, ...]}]}

FACTs are :func:`book.teaching.quiz_facts.check_fact`'s, checked against ``data/``. :func:`problems` checks one test against
the item-writing standards the chapter quizzes follow (tests/test_quiz_items.py), its objectives against the
chapters' and its facts against the data; :func:`parallel_problems` checks that the post-test assesses exactly the
objectives of the pre-test with different items. The pages (``assessment/*.ipynb``) call :func:`show_test`,
:func:`objective_table`; the appendix page holds :func:`appendix_markdown`'s text, written by :func:`write_appendix`
(``python -m book.teaching.whole_book``).
"""

from __future__ import annotations

import json
import string

from ..paths import ROOT

__all__ = [
    "ASSESSMENT_DIR",
    "TESTS_DIR",
    "TESTS",
    "load_test",
    "load_test_meta",
    "show_test",
    "objective_table",
    "problems",
    "parallel_problems",
    "key_stats",
    "appendix_markdown",
    "write_appendix",
    "lms_items",
    "write_lms",
]

ASSESSMENT_DIR = ROOT / "assessment"
TESTS_DIR = ASSESSMENT_DIR / "quizzes"

#: The whole-book tests in reading order, with the chapters each may sample (None: any chapter).
TESTS: dict[str, tuple[str, ...] | None] = {
    "pre-test": None,
    "review-start-here": ("about-the-evidence", "primer"),
    "review-substances": ("mechanisms", "cocaine-and-stimulants", "alcohol", "opioids", "other-substances"),
    "review-across": ("comparing-the-evidence", "reading-a-review", "safety", "clinical-practice", "outlook"),
    "post-test": None,
}

SHARE = 0.35  # as for the chapter quizzes: no keyed position, and no "key is the longest", above this share


def load_test(name: str) -> list[dict]:
    """The questions of a whole-book test, checked as a chapter quiz is (:func:`book.teaching.quiz.load_quiz`)."""
    from .quiz import load_quiz

    return load_quiz(name, TESTS_DIR)


def load_test_meta(name: str) -> dict:
    """The sidecar of a whole-book test: per item, the chapters' objectives it assesses, what it needs, its facts."""
    return json.loads((TESTS_DIR / f"{name}.meta.json").read_text(encoding="utf-8"))


def show_test(name: str) -> None:
    """Display a whole-book test (jupyterquiz; works on the static site and in JupyterLab, offline)."""
    from .quiz import show_quiz

    show_quiz(name, TESTS_DIR)


def _chapter_title(chapter: str) -> str:
    from ..notebooks import cells

    for line in "".join(cells(chapter)[0]["source"]).splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return chapter


def objective_table(name: str):
    """An HTML table (an IPython ``HTML`` object; the site renders Markdown outputs as CommonMark, without tables):
    each item of the test, the chapter and the objective it assesses."""
    import html

    from IPython.display import HTML

    from .quiz_facts import chapter_objectives

    rows = []
    for number, item in enumerate(load_test_meta(name)["items"], start=1):
        for ref in item["maps"]:
            objectives = chapter_objectives(ref["chapter"])
            text = "; ".join(f"{n}. {_plain(objectives.get(n, '?'))}" for n in ref["objectives"])
            rows.append(
                f"<tr><td>{number}</td><td>{html.escape(_chapter_title(ref['chapter']))}</td><td>{html.escape(text)}</td></tr>"
            )
    head = '<tr><th scope="col">Item</th><th scope="col">Chapter</th><th scope="col">Objective assessed</th></tr>'
    return HTML(f'<table class="kap-objective-map"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>')


def _plain(text: str) -> str:
    """An objective's text without MyST roles (``{term}`odds ratio <Odds ratio>``` -> odds ratio)."""
    import re

    text = re.sub(r"\{term\}`([^`<]+?)\s*(?:<[^>]*>)?`", r"\1", text)
    return re.sub(r"\{\w+\}`([^`]*)`", r"\1", text).rstrip(";. ")


def _item_problems(name: str, number: int, q: dict, item: dict, allowed) -> list[str]:
    from .quiz_facts import chapter_objectives

    where = f"{name} item {number}"
    out = []
    keys = [a for a in q.get("answers", []) if a.get("correct")]
    if q.get("type") != "multiple_choice" or len(keys) != 1 or len(q.get("answers", [])) < 3:
        out.append(f"{where}: not a single-best-answer item with three or more options")
    out += [
        f"{where} option {j}: no feedback"
        for j, a in enumerate(q.get("answers", []), 1)
        if not str(a.get("feedback", "")).strip()
    ]
    if not item.get("maps"):
        out.append(f"{where}: names no chapter objective")
    for ref in item.get("maps", []):
        if allowed is not None and ref["chapter"] not in allowed:
            out.append(f"{where}: {ref['chapter']} is not a chapter of this part")
        known = chapter_objectives(ref["chapter"])
        missing = [n for n in ref.get("objectives", []) if n not in known] or ([] if ref.get("objectives") else ["none"])
        if missing:
            out.append(f"{where}: objectives {missing} not in chapter {ref['chapter']}")
    if not item.get("needs"):
        out.append(f"{where}: say what it needs ('none', a chart, a table)")
    return out


def problems(name: str, folder=None) -> list[str]:
    """Every way a whole-book test falls short: item standards, objectives, and facts the data (``folder``) do not
    bear out. Empty when all is well."""
    from .quiz_facts import check_fact

    questions, meta = load_test(name), load_test_meta(name)
    if len(meta["items"]) != len(questions):
        return [f"{name}: the sidecar describes {len(meta['items'])} items, the test has {len(questions)}"]
    out, cache = [], {}
    for number, (q, item) in enumerate(zip(questions, meta["items"]), start=1):
        out += _item_problems(name, number, q, item, TESTS.get(name))
        for fact in item.get("facts", []):
            problem = check_fact(fact, folder, cache)
            if problem:
                out.append(f"{name} item {number} ({q['question'][:50]}...): fact '{fact.get('says')}' fails: {problem}")
    return out


def _mapped(name: str) -> list[tuple[str, tuple[int, ...]]]:
    return sorted((r["chapter"], tuple(r["objectives"])) for item in load_test_meta(name)["items"] for r in item["maps"])


def parallel_problems(first: str = "pre-test", second: str = "post-test") -> list[str]:
    """The two forms must assess the same chapter objectives, item for item, with no stem in common."""
    out = []
    if _mapped(first) != _mapped(second):
        out.append(f"{first} and {second} assess different objectives: {sorted(set(_mapped(first)) ^ set(_mapped(second)))}")
    shared = {q["question"] for q in load_test(first)} & {q["question"] for q in load_test(second)}
    out += [f"the same item in {first} and {second}: {stem[:60]}" for stem in sorted(shared)]
    return out


def key_stats(names=None) -> dict:
    """Keyed positions (1-4) and how often the key is the longest option, across the whole-book tests."""
    positions, longest, items = [0, 0, 0, 0], 0, 0
    for name in names or TESTS:
        for q in load_test(name):
            answers = q["answers"]
            key = next(i for i, a in enumerate(answers) if a.get("correct"))
            items += 1
            positions[min(key, 3)] += 1
            lengths = [len(a["answer"]) for a in answers]
            longest += lengths[key] == max(lengths)
    return {"items": items, "positions": positions, "key_longest": longest}


def lms_items(name: str) -> list:
    """A whole-book test as :class:`book.teaching.lms.Item` objects, each tagged with the chapters' objectives it
    assesses ("safety 6: use the rule of three ..."), for the learning-platform packages."""
    from .lms import POINTS, Item, Option
    from .quiz_facts import chapter_objectives

    items = []
    for number, (q, item) in enumerate(zip(load_test(name), load_test_meta(name)["items"]), start=1):
        tags = [
            f"{ref['chapter']} {n}: {_plain(chapter_objectives(ref['chapter']).get(n, ''))}"
            for ref in item["maps"]
            for n in ref["objectives"]
        ]
        options = tuple(Option("choice", a["answer"], bool(a.get("correct")), a["feedback"]) for a in q["answers"])
        items.append(
            Item(
                chapter=name,
                number=number,
                kind="single",
                text=q["question"],
                options=options,
                points=POINTS,
                objectives=tuple(tags),
            )
        )
    return items


def write_lms(out, names=None) -> list:
    """Write each whole-book test's Canvas, Blackboard and Moodle packages into ``out/<name>/`` (the file names of
    ``python -m book lms``); return the paths written."""
    from pathlib import Path

    from . import lms

    written = []
    for name in names or TESTS:
        items, folder = lms_items(name), Path(out) / name
        folder.mkdir(parents=True, exist_ok=True)
        for platform, data in (
            ("canvas", lms.canvas_package(name, items)),
            ("blackboard", lms.qti21_package(name, items)),
            ("moodle", lms.moodle_xml(name, items)),
        ):
            path = folder / lms.PACKAGES[platform]
            path.write_bytes(data)
            written.append(path)
    return written


APPENDIX = ASSESSMENT_DIR / "appendix-questions.ipynb"


def write_appendix() -> bool:
    """Write :func:`appendix_markdown` into the appendix page's second cell (a Markdown cell, so that its headings
    are the page's own); True if it changed. A test fails when the page is behind the quiz files."""
    import nbformat

    nb = nbformat.read(APPENDIX, as_version=4)
    text = appendix_markdown()
    if nb.cells[1].source == text:
        return False
    nb.cells[1] = nbformat.v4.new_markdown_cell(text)
    nbformat.write(nb, APPENDIX)
    return True


def main() -> int:
    """``python -m book.teaching.whole_book``: check the whole-book tests and bring the appendix up to date."""
    found = [p for name in TESTS for p in problems(name)] + parallel_problems()
    print("\n".join(found) or f"whole-book tests: {sum(len(load_test(n)) for n in TESTS)} items, no problems; keys {key_stats()}")
    print("appendix rewritten" if write_appendix() else "appendix up to date")
    return 1 if found else 0


def appendix_markdown(chapters: list[str] | None = None) -> str:
    """Questions and answers for self-study (the pattern of Harrer et al.'s *Doing Meta-Analysis with R*): each
    chapter's quiz questions with lettered options, then, at the end, every answer with its explanation."""
    from ..notebooks import toc_chapters
    from .quiz import load_quiz

    chapters = chapters or [c for c in toc_chapters() if (ROOT / "chapters" / "quizzes" / f"{c}.json").is_file()]
    questions, answers = ["## Questions"], ["## Answers"]
    for chapter in chapters:
        title = _chapter_title(chapter)
        questions.append(f"### {title}\n\nFrom [{title}](../chapters/{chapter}.ipynb).")
        answers.append(f"### {title}")
        for number, q in enumerate(load_quiz(chapter), start=1):
            if q.get("type") not in {"multiple_choice", "many_choice"}:
                continue
            options = "\n".join(f"   - ({string.ascii_lowercase[j]}) {a['answer']}" for j, a in enumerate(q["answers"]))
            questions.append(f"{number}. {q['question']}\n\n{options}")
            right = [(string.ascii_lowercase[j], a) for j, a in enumerate(q["answers"]) if a.get("correct")]
            said = " ".join(f"({letter}) {a['feedback']}" for letter, a in right)
            answers.append(f"{number}. {said}")
    return "\n\n".join(questions + answers)


if __name__ == "__main__":
    raise SystemExit(main())
