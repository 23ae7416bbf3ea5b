"""The summative question bank, for instructors only (issue 24.4): about five items per chapter, with keys.

The bank is kept out of everything learners get: it lives in ``instructor/question-bank/<chapter>.json`` (outside
``chapters/``, excluded from the site build by ``_config.yml``'s ``exclude_patterns``), so the website, the student
copies (``python -m book student-copy``) and the student handouts never hold it. Instructors get it through
``python -m book question-bank [--chapter NAME ...] [--out DIR]`` (Markdown, a print-ready HTML page, and packages for
Canvas, Blackboard and Moodle written by :mod:`book.teaching.lms`'s functions) and at the end of each chapter's
instructor handout, with the chapter's rubrics (``python -m book pdf``; :func:`instructor_appendix`).

A bank file::

    {"chapter": "safety",
     "items": [{"question": "...", "type": "multiple_choice",
                "answers": [{"answer": "...", "correct": true, "feedback": "..."}, ...],
                "objectives": [6],            # the chapter's numbered learning objectives it assesses
                "needs": "none",
                "facts": [FACT, ...]}]}       # what it states about the data (book.teaching.quiz_facts.check_fact)

Items follow the chapter quizzes' standards (one best answer among three or more options, feedback for every option,
keyed positions balanced and the key seldom the longest option), and :func:`problems` checks them, their objectives
and their facts against ``data/``.
"""

from __future__ import annotations

import argparse
import html
import json
import string
import sys
from pathlib import Path

from ..paths import ROOT

__all__ = [
    "BANK_DIR",
    "bank_chapters",
    "load_bank",
    "problems",
    "key_stats",
    "bank_markdown",
    "bank_html",
    "instructor_appendix",
    "lms_items",
    "write_bank",
    "main",
]

BANK_DIR = ROOT / "instructor" / "question-bank"
SHARE = 0.35


def bank_chapters(folder: Path | None = None) -> list[str]:
    """The chapters that have a bank file."""
    return sorted(p.stem for p in (folder or BANK_DIR).glob("*.json"))


def load_bank(chapter: str, folder: Path | None = None) -> list[dict]:
    """The items of a chapter's bank; a clear message if there is none."""
    path = (folder or BANK_DIR) / f"{chapter}.json"
    if not path.is_file():
        raise FileNotFoundError(
            f"No question bank for {chapter!r} (looked for {path}). Banks: {', '.join(bank_chapters(folder))}."
        )
    return json.loads(path.read_text(encoding="utf-8"))["items"]


def _key(item: dict) -> int:
    return next(i for i, a in enumerate(item["answers"]) if a.get("correct"))


def problems(chapter: str, data_folder=None) -> list[str]:
    """Every way a chapter's bank falls short of the standards, names an objective the chapter lacks, or states a fact
    the data (``data_folder``, default ``data/``) do not bear out. Empty when all is well."""
    from .quiz_facts import chapter_objectives, check_fact

    objectives = chapter_objectives(chapter)
    out, cache = [], {}
    for number, item in enumerate(load_bank(chapter), start=1):
        where = f"bank {chapter} item {number}"
        answers = item.get("answers", [])
        if item.get("type") != "multiple_choice" or sum(bool(a.get("correct")) for a in answers) != 1 or len(answers) < 3:
            out.append(f"{where}: not a single-best-answer item with three or more options")
        out += [f"{where} option {j}: no feedback" for j, a in enumerate(answers, 1) if not str(a.get("feedback", "")).strip()]
        unknown = [n for n in item.get("objectives", []) if n not in objectives]
        if not item.get("objectives") or unknown:
            out.append(f"{where}: objectives {item.get('objectives')} (the chapter has {sorted(objectives)})")
        for fact in item.get("facts", []):
            problem = check_fact(fact, data_folder, cache)
            if problem:
                out.append(f"{where} ({item['question'][:50]}...): fact '{fact.get('says')}' fails: {problem}")
    return out


def key_stats(chapters: list[str] | None = None) -> dict:
    """Keyed positions (1-4) and how often the key is the longest option, across the banks."""
    positions, longest, items = [0, 0, 0, 0], 0, 0
    for chapter in chapters or bank_chapters():
        for item in load_bank(chapter):
            key = _key(item)
            lengths = [len(a["answer"]) for a in item["answers"]]
            items += 1
            positions[min(key, 3)] += 1
            longest += lengths[key] == max(lengths)
    return {"items": items, "positions": positions, "key_longest": longest}


def _objective_texts(chapter: str, numbers: list[int]) -> list[str]:
    from .lms import chapter_objectives as lms_objectives

    texts = lms_objectives(chapter)
    return [f"{n}. {texts[n - 1]}" if 0 < n <= len(texts) else str(n) for n in numbers]


def _title(chapter: str) -> str:
    from ..notebooks import cells

    for line in "".join(cells(chapter)[0]["source"]).splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return chapter


def bank_markdown(chapter: str) -> str:
    """The chapter's bank as Markdown: each item, its options lettered, the key, every option's feedback, objectives."""
    out = [f"# Question bank: {_title(chapter)}", "", "For instructors only: do not share with learners.", ""]
    for number, item in enumerate(load_bank(chapter), start=1):
        out += [f"## Item {number}", "", item["question"], ""]
        out += [f"- ({string.ascii_lowercase[j]}) {a['answer']}" for j, a in enumerate(item["answers"])]
        out += ["", f"**Key: ({string.ascii_lowercase[_key(item)]})**", ""]
        out += [f"- ({string.ascii_lowercase[j]}) {a['feedback']}" for j, a in enumerate(item["answers"])]
        out += ["", "Objectives: " + "; ".join(_objective_texts(chapter, item["objectives"])), ""]
    return "\n".join(out)


def bank_html(chapter: str, fragment: bool = False) -> str:
    """The chapter's bank as HTML ready to print (``fragment``: a ``<section>`` to append to another page)."""
    esc = html.escape
    parts = [
        '<section class="kap-question-bank" style="break-before: page">',
        f"<h2>Question bank: {esc(_title(chapter))}</h2>",
        "<p><strong>For instructors only.</strong> Summative items with keys; not on the website or in student copies.</p>",
    ]
    for number, item in enumerate(load_bank(chapter), start=1):
        key = _key(item)
        options = "".join(
            f"<li>{esc(a['answer'])}{' <strong>(key)</strong>' if j == key else ''}<br><em>{esc(a['feedback'])}</em></li>"
            for j, a in enumerate(item["answers"])
        )
        objectives = esc("; ".join(_objective_texts(chapter, item["objectives"])))
        parts.append(
            f'<div class="kap-bank-item" style="break-inside: avoid"><h3>Item {number}</h3><p>{esc(item["question"])}</p>'
            f'<ol type="a">{options}</ol><p>Objectives: {objectives}</p></div>'
        )
    parts.append("</section>")
    body = "\n".join(parts)
    if fragment:
        return body
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Question bank: {esc(_title(chapter))}</title>'
        "<style>body{font:11pt/1.4 sans-serif;max-width:48rem;margin:2rem auto}em{color:#333}</style></head>"
        f"<body>\n{body}\n</body></html>\n"
    )


def instructor_appendix(chapter: str) -> str | None:
    """The HTML appended to a chapter's instructor handout: its bank and its rubrics (:mod:`book.teaching.rubrics`),
    or None if it has neither."""
    from .rubrics import rubrics_html

    parts = [bank_html(chapter, fragment=True) if (BANK_DIR / f"{chapter}.json").is_file() else None, rubrics_html(chapter)]
    return "\n".join(p for p in parts if p) or None


def lms_items(chapter: str) -> list:
    """The bank as :class:`book.teaching.lms.Item` objects (tagged with the chapter's objectives), for the packages."""
    from .lms import POINTS, Item, Option

    return [
        Item(
            chapter=f"{chapter}-bank",
            number=number,
            kind="single",
            text=item["question"],
            options=tuple(Option("choice", a["answer"], bool(a.get("correct")), a["feedback"]) for a in item["answers"]),
            points=POINTS,
            objectives=tuple(_objective_texts(chapter, item["objectives"])),
        )
        for number, item in enumerate(load_bank(chapter), start=1)
    ]


def write_bank(out: Path, chapters: list[str] | None = None) -> list[Path]:
    """Write, per chapter, ``<chapter>.md``, ``<chapter>.html`` and ``lms/<chapter>/`` (Canvas QTI 1.2, Blackboard
    QTI 2.1, Moodle XML) under ``out``, and ``rubrics.md`` (every rubric); return the paths written."""
    from . import lms
    from .rubrics import rubrics_markdown

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "rubrics.md").write_text(rubrics_markdown(), encoding="utf-8")
    written = [out / "rubrics.md"]
    for chapter in chapters or bank_chapters():
        out.mkdir(parents=True, exist_ok=True)
        for path, text in ((out / f"{chapter}.md", bank_markdown(chapter)), (out / f"{chapter}.html", bank_html(chapter))):
            path.write_text(text, encoding="utf-8")
            written.append(path)
        items, name = lms_items(chapter), f"{chapter}-bank"
        folder = out / "lms" / chapter
        folder.mkdir(parents=True, exist_ok=True)
        for filename, data in (
            ("canvas-qti12.zip", lms.canvas_package(name, items)),
            ("blackboard-qti21.zip", lms.qti21_package(name, items)),
            ("moodle.xml", lms.moodle_xml(name, items)),
        ):
            (folder / filename).write_bytes(data)
            written.append(folder / filename)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m book question-bank [--chapter NAME ...] [--out DIR]``."""
    parser = argparse.ArgumentParser(prog="python -m book question-bank", description="Write the instructors' question bank.")
    parser.add_argument("--chapter", action="append", dest="chapters", metavar="NAME", help="only this chapter (repeat)")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "_build" / "question-bank", help="folder (default: _build/question-bank)"
    )
    args = parser.parse_args(argv)
    unknown = [c for c in args.chapters or [] if c not in bank_chapters()]
    if unknown:
        print(f"No question bank for {', '.join(unknown)}. Banks: {', '.join(bank_chapters())}.", file=sys.stderr)
        return 2
    from .rubrics import problems as rubric_problems

    found = [p for c in args.chapters or bank_chapters() for p in problems(c)] + rubric_problems()
    if found:
        print("\n".join(found), file=sys.stderr)
        return 1
    written = write_bank(args.out, args.chapters)
    items = sum(len(load_bank(c)) for c in args.chapters or bank_chapters())
    print(f"question bank: {items} items in {len(args.chapters or bank_chapters())} chapters; {len(written)} files in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
