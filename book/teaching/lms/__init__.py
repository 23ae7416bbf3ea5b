"""The chapter quizzes as packages for learning platforms: Canvas (QTI 1.2), Blackboard (QTI 2.1), Moodle (Moodle XML).

``python -m book lms --out DIR [--chapter NAME ...]`` writes, for each chapter quiz in ``chapters/quizzes/``::

    DIR/<chapter>/canvas-qti12.zip       Canvas: Settings > Import course content > QTI .zip file
    DIR/<chapter>/blackboard-qti21.zip   Blackboard: Question pools/banks > Import (IMS QTI 2.1 package)
    DIR/<chapter>/moodle.xml             Moodle: Question bank > Import > Moodle XML format

Every item keeps its question, its options in order, its key, its points (:data:`POINTS`, one per item) and the
explanation of every option (per-option feedback), and is tagged with the chapter and, where the quiz file or its
sidecar ``<chapter>.meta.json`` names them, its learning objectives (:func:`quiz_items`).

Which library writes what, and why
----------------------------------
* **Canvas QTI 1.2: text2qti** (``pip install text2qti``). It writes Canvas's dialect of QTI 1.2 (the question
  types, ``points_possible`` and feedback fields Canvas reads) from a small plain-text format, with feedback for
  each choice (``...``) and numerical answers with a margin; it is maintained and has been used with Canvas for
  years. The quiz text is handed to it with every punctuation mark as an HTML character reference, so its
  Markdown and typographic-quote processing leave the wording exactly as in the quiz file.
* **Blackboard QTI 2.1 and Moodle XML: written here with ``xml.etree``.** qti-package-maker (the other candidate)
  writes QTI 2.1 and QTI 1.2, but in version 26.7.14 its items carry no per-option feedback (its
  ``item_types.py`` lists feedback as a future enhancement), its QTI 2.1 multiple-choice items set no score in
  their response processing, and for Moodle it writes only Aiken, which has no feedback at all. Neither library
  writes Moodle XML. So both are written from the QTI 2.1 specification (``choiceInteraction`` /
  ``textEntryInteraction``, a ``SCORE`` set by response processing, one ``modalFeedback`` per option chosen
  through a ``FEEDBACK`` outcome, objectives as IEEE LOM ``classification`` with purpose "educational objective"
  in the manifest) and the Moodle XML format (``multichoice``/``numerical``/``shortanswer`` with a feedback per
  answer and objectives as question tags).

No schema (XSD) for QTI ships with either package or is otherwise available offline here, so the tests check
each package's structure and read every package back (:func:`read_canvas`, :func:`read_qti21`,
:func:`read_moodle`) to compare it with the quiz file (:func:`expected_items`).

How a jupyterquiz item maps: ``multiple_choice`` -> single answer; ``many_choice`` -> multiple answers (each
right option an equal share of the points); ``numeric`` -> a number, right within half a unit of the last of
``precision`` significant digits (jupyterquiz's comparison), wrong values with their own feedback and the
``default`` feedback for anything else; ``string`` -> short answer. Canvas's numerical questions (as text2qti
writes them) have one feedback for a right and one for a wrong answer, so there the feedback for specific wrong
values is joined into the wrong-answer feedback ("If you answered 15.9: ...").

The package: :mod:`~book.teaching.lms.items` (quiz files to items), one module per format
(:mod:`~book.teaching.lms.canvas`, :mod:`~book.teaching.lms.qti21`, :mod:`~book.teaching.lms.moodle`),
:mod:`~book.teaching.lms.readback` (the round trip), and here :func:`write_packages` and :func:`main`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .canvas import QTI12, canvas_package, canvas_text
from .items import POINTS, Item, Option, chapter_objectives, quiz_chapters, quiz_items
from .moodle import moodle_xml
from .qti21 import IMSCP, IMSMD, QTI21, XSI, qti21_package
from .readback import expected_items, read_canvas, read_moodle, read_qti21

__all__ = [
    "POINTS",
    "Option",
    "Item",
    "quiz_chapters",
    "chapter_objectives",
    "quiz_items",
    "canvas_package",
    "canvas_text",
    "qti21_package",
    "moodle_xml",
    "write_packages",
    "read_canvas",
    "read_qti21",
    "read_moodle",
    "expected_items",
    "main",
    "PACKAGES",
    "QTI12",
    "QTI21",
    "IMSCP",
    "IMSMD",
    "XSI",
]


PACKAGES = {"canvas": "canvas-qti12.zip", "blackboard": "blackboard-qti21.zip", "moodle": "moodle.xml"}


def write_packages(out: Path, chapters: list[str] | None = None) -> list[tuple[str, str, Path, int]]:
    """Write every package of ``chapters`` (default: every quiz) under ``out``: (chapter, platform, path, items)."""
    written = []
    for chapter in chapters or quiz_chapters():
        items = quiz_items(chapter)
        folder = Path(out) / chapter
        folder.mkdir(parents=True, exist_ok=True)
        for platform, data in (
            ("canvas", canvas_package(chapter, items)),
            ("blackboard", qti21_package(chapter, items)),
            ("moodle", moodle_xml(chapter, items)),
        ):
            path = folder / PACKAGES[platform]
            path.write_bytes(data)
            written.append((chapter, platform, path, len(items)))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m book lms",
        description="Write each chapter's quiz as Canvas (QTI 1.2), Blackboard (QTI 2.1) and Moodle (Moodle XML) packages.",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder to write to (one subfolder per chapter)")
    parser.add_argument("--chapter", action="append", dest="chapters", metavar="NAME", help="only this chapter (repeat for more)")
    args = parser.parse_args(argv)
    known = quiz_chapters()
    unknown = [c for c in args.chapters or [] if c not in known]
    if unknown:
        print(f"No quiz for {', '.join(unknown)}. Quizzes: {', '.join(known)}.", file=sys.stderr)
        return 2
    try:
        written = write_packages(args.out, args.chapters)
    except ValueError as exc:  # a malformed quiz file
        print(exc, file=sys.stderr)
        return 1
    for chapter, platform, path, n in written:
        print(f"{chapter:<26} {platform:<11} {n:>3} items  {path}")
    chapters = sorted({w[0] for w in written})
    items = sum(w[3] for w in written if w[1] == "canvas")
    tagged = sum(bool(i.objectives) for c in chapters for i in quiz_items(c))
    print(f"wrote {len(written)} packages: {len(chapters)} chapters, {items} items each for Canvas, Blackboard and Moodle")
    print(f"{tagged} of {items} items name their learning objectives (the rest are tagged with their chapter only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
