"""Command line for authors and instructors: ``python -m book COMMAND``.

Commands:

``refresh-outputs [NOTEBOOK ...]``
    Run chapter (and guide) notebooks top to bottom and store their outputs in place. The tests (nbval)
    compare a fresh run against these stored outputs, so run this after changing a chapter or
    the data, and commit the result.
``validate``
    Validate the data package and print a one-line summary, or the problems found.
``student-copy CHAPTER ... --out DIR`` (or ``--all``)
    Write copies of chapters without their solutions (cells tagged ``solution``, with their
    outputs), keeping exercises, answer checks and quizzes. ``--clear-outputs`` also clears every
    output; existing files are kept unless ``--force``. It reports what it removed.
``errata [--update-lock]``
    Check that every figure in ``data/`` that changed since ``data/figures.lock.csv`` is logged in
    ``data/changelog.csv`` (the errata page lists that log); ``--update-lock`` then records the data as reviewed.
    Exits 1 and lists the figures when a change is not logged.
``answer-key [CHAPTER ...]``
    For instructors: print each answer-checked exercise of the chapters (default: every chapter) with
    its label, its kind and its correct answer. Data answers are computed from ``data/`` now; fixed
    ones come from ``book/answer_keys/instructor.json`` and are checked against the hashed registry
    the learners' checks use (see :mod:`book.answers`). Exits 1 if a key is missing or does not match.
``assessment-map [CHAPTER ...] [--json]``
    For instructors: per chapter, the learning objectives, the quiz items and exercises assessing each (kind, answer
    from data / fixed / open, the chart or explorer it needs), and the charts and explorers with inputs with the items
    that need them. See :mod:`book.teaching.assessment`.
``question-bank [--chapter NAME ...] [--out DIR]``
    For instructors: the summative question bank (``instructor/question-bank/``, never on the site or in student
    copies) as Markdown, print-ready HTML and Canvas/Blackboard/Moodle packages, in ``DIR`` (default
    ``_build/question-bank``). Exits 1 if an item fails its checks. See :mod:`book.teaching.question_bank`.
``pdf [--out DIR] [--chapter NAME ...] [--book] [--site DIR]``
    Print the built site (``_build/html``) with Chromium into ``DIR`` (default ``_build/pdf``): ``book.pdf``, every
    page in ``_toc.yml`` order with the solutions printed, and per chapter ``handouts/<chapter>.pdf`` (the student
    handout, without solutions) and ``handouts/<chapter>-instructor.pdf`` (solutions unfolded, quiz answers
    marked). ``--chapter`` prints only those chapters' handouts (add ``--book`` for the book as well). It reports
    each file's pages, size and time. Exits 2 if the site is not built, no Chromium is found or a chapter is
    unknown. See :mod:`book.pdf`.
``lms --out DIR [--chapter NAME ...]``
    For instructors: write each chapter's quiz as packages for learning platforms, ``DIR/<chapter>/``
    ``canvas-qti12.zip`` (Canvas, QTI 1.2 by text2qti), ``blackboard-qti21.zip`` (Blackboard, QTI 2.1) and
    ``moodle.xml`` (Moodle XML): every item with its options, key, points, per-option feedback and objectives.
    Exits 2 for an unknown chapter. See :mod:`book.teaching.lms`.
``grade SUBMISSIONS_DIR --out gradebook.csv [--feedback DIR] [--chapter NAME ...] [--timeout S] [--cell-timeout S]``
    For instructors: run every learner's chapter notebook (``SUBMISSIONS_DIR/<learner>/<chapter>.ipynb``) in its
    own process, folder and sandbox with time limits, and write the gradebook (a row per learner and notebook, a
    column per checked exercise, the total) and, with ``--feedback``, one feedback file per notebook. A notebook
    that raises, loops, is not JSON or is another chapter is a row saying so. See :mod:`book.teaching.grading`.
``quiz-facts``
    Check every fact the quizzes' sidecars (``chapters/quizzes/<chapter>.meta.json``) state about the data, and
    print the answer keys' positions and lengths. Exits 1 if a fact no longer holds. See
    :mod:`book.teaching.quiz_facts`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .paths import CHAPTERS_DIR as CHAPTERS
from .paths import ROOT


def refresh_outputs(paths: list[str]) -> int:
    import nbformat
    from nbclient import NotebookClient

    folders = (CHAPTERS, ROOT / "guides", ROOT / "assessment")
    notebooks = [Path(p) for p in paths] or [nb for folder in folders for nb in sorted(folder.glob("*.ipynb"))]
    for path in notebooks:
        if not path.is_file():
            print(f"No notebook at {path}", file=sys.stderr)
            return 2
        nb = nbformat.read(path, as_version=4)
        # No run timestamps in the stored notebooks: a refresh then changes only outputs that really changed.
        NotebookClient(
            nb, timeout=300, kernel_name="python3", record_timing=False, resources={"metadata": {"path": str(path.parent)}}
        ).execute()
        for cell in nb.cells:
            cell.metadata.pop("execution", None)
        nbformat.write(nb, path)
        print(f"refreshed {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


def _chapter_path(name: str) -> Path:
    path = Path(name)
    if path.suffix == ".ipynb" and path.is_file():
        return path
    candidate = CHAPTERS / f"{Path(name).stem}.ipynb"
    if candidate.is_file():
        return candidate
    known = ", ".join(p.stem for p in sorted(CHAPTERS.glob("*.ipynb")))
    raise FileNotFoundError(f"No chapter {name!r}. Chapters: {known}.")


def student_copy(chapters: list[str], out: Path, clear_outputs: bool = False, force: bool = False) -> list[str]:
    """Write student copies of ``chapters`` into ``out``; return one report line per chapter.

    Built on nbconvert's preprocessors: ``TagRemovePreprocessor`` drops every cell tagged
    ``solution`` (source and outputs), ``ClearOutputPreprocessor`` clears the rest on request.
    """
    import nbformat
    from nbconvert.preprocessors import ClearOutputPreprocessor, TagRemovePreprocessor

    paths = [_chapter_path(c) for c in chapters]
    targets = [out / p.name for p in paths]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise FileExistsError("Not overwriting " + ", ".join(str(t) for t in existing) + " (use --force to replace them).")
    out.mkdir(parents=True, exist_ok=True)
    remover = TagRemovePreprocessor(remove_cell_tags={"solution"}, enabled=True)
    clearer = ClearOutputPreprocessor(enabled=True)
    report = []
    for path, target in zip(paths, targets):
        nb = nbformat.read(path, as_version=4)
        solutions = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
        nb, _ = remover.preprocess(nb, {})
        if clear_outputs:
            nb, _ = clearer.preprocess(nb, {})
        nb.metadata["kap_student_copy"] = {"source": path.name, "solutions_removed": len(solutions)}
        nbformat.write(nb, target)
        kinds = {k: sum(c.cell_type == k for c in solutions) for k in ("code", "markdown")}
        report.append(
            f"{path.stem}: removed {len(solutions)} solution cells ({kinds['code']} code, {kinds['markdown']} text)"
            f"{'; cleared all outputs' if clear_outputs else ''} -> {target}"
        )
    return report


def answer_key(chapters: list[str]) -> int:
    from .teaching.answer_key import answer_key as key_lines

    try:
        paths = [_chapter_path(c) for c in chapters] or sorted(CHAPTERS.glob("*.ipynb"))
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    lines, problems = key_lines(paths)
    print("\n".join(lines))
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 1 if problems else 0


def pdf(out: Path, chapters: list[str] | None, book: bool, site: Path | None) -> int:
    import time

    from .paper.pdf import SITE, NotBuiltError, write_pdfs
    from .teaching.question_bank import instructor_appendix

    started = time.perf_counter()
    try:
        written = write_pdfs(site or SITE, out, chapters=chapters, book=book, log=print, instructor_appendix=instructor_appendix)
    except (NotBuiltError, FileNotFoundError) as exc:
        print(exc, file=sys.stderr)
        return 2
    total = sum(w.size for w in written)
    print(f"wrote {len(written)} PDFs ({total / 1024 / 1024:.1f} MB) to {out} in {time.perf_counter() - started:.0f} s")
    return 0


def validate() -> int:
    from .evidence import DataValidationError, validate_package

    try:
        ev = validate_package()
    except DataValidationError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(
        f"valid: {len(ev.studies)} studies, {len(ev.outcomes)} results, {len(ev.harms)} harm rows, "
        f"{len(ev.safety_procedures)} safety procedures, {len(ev.product_information)} product-information statements, "
        f"{len(ev.mechanisms)} mechanism claims, {len(ev.pharmacology)} pharmacology values, {len(ev.reviews)} reviews, "
        f"{len(ev.registrations)} registered trials, {len(ev.protocols)} protocol rows, {len(ev.patient_groups)} patient-group "
        f"findings, {len(ev.regulation)} regulatory statements, {len(ev.psychedelic_comparators)} psychedelic trial rows, "
        f"{len(ev.review_claims)} review claims, {len(ev.risk_of_bias)} risk-of-bias judgements, "
        f"{len(ev.certainty)} certainty ratings"
    )
    return 0


def errata(update: bool) -> int:
    from .evidence.errata import unlogged_changes, update_lock

    try:
        if update:
            print(f"locked {update_lock()} figures in data/figures.lock.csv")
            return 0
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    missing = unlogged_changes()
    for change in missing:
        print(f"not logged in data/changelog.csv: {change}", file=sys.stderr)
    if not missing:
        print("every changed figure is logged in data/changelog.csv")
    return 1 if missing else 0


def _delegated(command: str):
    """The ``main(argv)`` of a command whose options its own module parses (lms, grade, quiz-facts)."""
    if command == "lms":
        from .teaching.lms import main as command_main
    elif command == "grade":
        from .teaching.grading import main as command_main
    else:
        from .teaching.quiz_facts import main as command_main
    return command_main


#: Commands whose module parses its own options (``python -m book COMMAND --help`` shows them).
DELEGATED = {
    "lms": "write each chapter's quiz as Canvas, Blackboard and Moodle packages (instructors)",
    "grade": "grade learners' chapter notebooks into a gradebook (instructors)",
    "quiz-facts": "check the facts the quizzes state about the data",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] and argv[0] in DELEGATED:
        return _delegated(argv[0])(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m book", description=__doc__.split("\n\n")[0])
    # Read by book/__main__.py before anything is imported (book.paths finds the checkout on import); listed for --help.
    parser.add_argument("--root", type=Path, help="the checkout to work in (default: found from the current folder)")
    sub = parser.add_subparsers(dest="command", required=True)
    refresh = sub.add_parser("refresh-outputs", help="run chapter notebooks and store their outputs")
    refresh.add_argument("notebooks", nargs="*", help="notebooks to run (default: every chapter)")
    sub.add_parser("validate", help="validate the data package")
    copy = sub.add_parser("student-copy", help="write chapters without their solutions")
    copy.add_argument("chapters", nargs="*", help="chapter names (e.g. cocaine-and-stimulants) or notebook paths")
    copy.add_argument("--all", action="store_true", help="every chapter")
    copy.add_argument("--out", required=True, type=Path, help="folder to write the copies to")
    copy.add_argument("--clear-outputs", action="store_true", help="clear every output as well")
    copy.add_argument("--force", action="store_true", help="overwrite existing files")
    key = sub.add_parser("answer-key", help="print every exercise's answer (for instructors)")
    key.add_argument("chapters", nargs="*", help="chapter names or notebook paths (default: every chapter)")
    amap = sub.add_parser("assessment-map", help="objectives, the items assessing each, and the charts/explorers they need")
    amap.add_argument("chapters", nargs="*", help="chapter names (default: every chapter in _toc.yml)")
    amap.add_argument("--json", action="store_true", help="as JSON, with a summary first")
    bank = sub.add_parser("question-bank", help="the instructors' question bank: Markdown, HTML and LMS packages")
    bank.add_argument("--chapter", action="append", dest="chapters", metavar="NAME", help="only this chapter (repeat)")
    bank.add_argument(
        "--out", type=Path, default=ROOT / "_build" / "question-bank", help="folder (default: _build/question-bank)"
    )
    err = sub.add_parser("errata", help="check that every changed figure in data/ is logged in data/changelog.csv")
    err.add_argument("--update-lock", action="store_true", help="record the data as reviewed (refused if a change is not logged)")
    printing = sub.add_parser("pdf", help="print the built site: the whole book and per-chapter handouts (PDF)")
    printing.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf", help="folder to write to (default: _build/pdf)")
    printing.add_argument(
        "--chapter", action="append", dest="chapters", metavar="NAME", help="only this chapter's handouts (repeat for more)"
    )
    printing.add_argument("--book", action="store_true", help="with --chapter: write book.pdf as well")
    printing.add_argument("--site", type=Path, help="the built site to print (default: _build/html)")
    for name, help_text in DELEGATED.items():  # listed for --help; main() passes their arguments on before parsing
        sub.add_parser(name, help=help_text, add_help=False)
    args = parser.parse_args(argv)
    if args.command == "assessment-map":
        from .teaching.assessment import main as assessment_main

        return assessment_main(args.json, args.chapters or None)
    if args.command == "question-bank":
        from .teaching.question_bank import main as bank_main

        return bank_main([*(f"--chapter={c}" for c in args.chapters or []), f"--out={args.out}"])
    if args.command == "errata":
        return errata(args.update_lock)
    if args.command == "pdf":
        return pdf(args.out, args.chapters, args.book or not args.chapters, args.site)
    if args.command == "answer-key":
        return answer_key(args.chapters)
    if args.command == "refresh-outputs":
        return refresh_outputs(args.notebooks)
    if args.command == "student-copy":
        chapters = [p.stem for p in sorted(CHAPTERS.glob("*.ipynb"))] if args.all else args.chapters
        if not chapters:
            parser.error("name at least one chapter, or use --all")
        try:
            for line in student_copy(chapters, args.out, args.clear_outputs, args.force):
                print(line)
        except (FileNotFoundError, FileExistsError) as exc:
            print(exc, file=sys.stderr)
            return 2
        return 0
    return validate()


if __name__ == "__main__":
    sys.exit(main())
