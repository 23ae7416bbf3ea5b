"""Grade learners' chapter notebooks with the book's own answer checks: ``python -m book grade``.

::

    python -m book grade SUBMISSIONS_DIR --out gradebook.csv [--feedback DIR] [--chapter NAME ...]
                        [--timeout SECONDS] [--cell-timeout SECONDS]

``SUBMISSIONS_DIR`` holds one folder per learner with their chapter notebooks (``<learner>/<chapter>.ipynb``, e.g.
what JupyterHub's or an LMS's "download all submissions" gives after unzipping). The gradebook has a row per learner
and notebook: learner, file, chapter, status, one column per answer-checked exercise (1 right, 0 not; empty for
another chapter's exercises), ``total`` and ``out_of``. ``--feedback DIR`` writes ``DIR/<learner>/<chapter>.md``: per
exercise whether it was right and the message the answer check gives in the notebook (:mod:`book.teaching.answers`).

What is graded, and how
-----------------------
Each notebook is run top to bottom (so answers that come from the learner's code count), and every call of
``check_answer(label, answer)`` is recorded: a first cell added by the grader wraps the book's ``check_answer`` so
that it notes the label and the learner's *answer*; the grader then checks that answer again itself, in its own
process, against the answer registry (:func:`book.teaching.answers.check_answer`), which gives the verdict and the message.
An exercise scores 1 if its last check was right. An exercise whose check cell was deleted, or never ran, scores 0
and says so. Untrusted-notebook handling:

* the notebook is copied into a fresh temporary folder, and run there by a separate process (``python -m
  book.teaching.grading --run-one``) whose kernel's working folder is that copy's; the learner's original is only read;
* no network: the process runs under ``unshare -rn --pid --fork --kill-child`` (user, network and PID namespaces:
  only a loopback interface, which the kernel's own ZeroMQ sockets use; and the kernel, which jupyter_client starts
  in a session of its own, dies with the run when it is killed) where ``unshare`` works; otherwise a socket guard in the
  first cell refuses connections to anything but the loopback (weaker: C extensions can bypass it). The gradebook's
  ``sandbox`` column says which was used;
* time limits: each cell has ``--cell-timeout`` seconds (then the kernel is interrupted and the next cells run),
  the whole notebook ``--timeout`` seconds (then the process group is killed);
* a notebook that is not valid JSON, not a notebook, of another chapter than its file name says (or not among the
  ``--chapter`` names), raises, loops or lost its check cells is a row whose ``status`` says so; nothing stops the run.

The run process has the learner's user rights: it cannot reach other learners' originals through its working
folder, but it is not a container. For hostile submissions run the command inside one (or a JupyterHub grader
account); the tests check that no submission's files change.

Why not nbgrader or otter-grader
--------------------------------
Both grade with their own tests: nbgrader with autograder cells (hidden tests released as ``### BEGIN HIDDEN
TESTS``) in notebooks it generates from a "source" version with its own cell metadata and a database of
assignments; otter-grader with OK-format test files (``otter assign`` and an assignment config in the notebook).
The book's exercises already have their checks (one ``check_answer`` call per exercise, answers held as salted hashes
or computed from ``data/``), and its chapters are one notebook both for the website and for learners. Either tool
would need the chapters rebuilt in its own format and the keys copied into its tests (so kept twice), or a test per
exercise that calls ``check_answer`` again: heavy machinery for what the registry already does. So this module uses
the part that fits, the same execution engine both use underneath (nbclient, with per-cell timeouts and
interruption), and the book's registry for the verdicts.

The package: :mod:`~book.teaching.grading.sandbox` (the run of one notebook in its own process, folder and
namespaces), :mod:`~book.teaching.grading.run` (which chapter a notebook holds, grading it, grading a folder),
:mod:`~book.teaching.grading.score` (the gradebook and the feedback files), and here :func:`main`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .run import Result, _chapters, _identify, chapter_labels, filled_copy, grade_notebook, grade_submissions
from .sandbox import CELL_TIMEOUT, TIMEOUT, _run_one, sandbox_kind
from .score import file_hashes, write_feedback, write_gradebook

__all__ = [
    "Result",
    "TIMEOUT",
    "CELL_TIMEOUT",
    "chapter_labels",
    "filled_copy",
    "grade_notebook",
    "grade_submissions",
    "write_gradebook",
    "write_feedback",
    "file_hashes",
    "sandbox_kind",
    "main",
    "_identify",
]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--run-one"]:
        child = argparse.ArgumentParser(prog="python -m book.teaching.grading --run-one")
        child.add_argument("notebook", type=Path)
        child.add_argument("result", type=Path)
        child.add_argument("--cell-timeout", type=int, default=CELL_TIMEOUT)
        child.add_argument("--socket-guard", action="store_true")
        args = child.parse_args(argv[1:])
        return _run_one(args.notebook, args.result, args.cell_timeout, args.socket_guard)
    parser = argparse.ArgumentParser(
        prog="python -m book grade", description="Grade learners' chapter notebooks with the book's answer checks."
    )
    parser.add_argument("submissions", type=Path, help="a folder with one folder per learner holding their chapter notebooks")
    parser.add_argument("--out", type=Path, required=True, help="the gradebook CSV to write")
    parser.add_argument("--feedback", type=Path, help="write feedback files here (one folder per learner)")
    parser.add_argument("--chapter", action="append", dest="chapters", metavar="NAME", help="grade only these chapters")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help=f"seconds per notebook (default {TIMEOUT})")
    parser.add_argument("--cell-timeout", type=float, default=CELL_TIMEOUT, help=f"seconds per cell (default {CELL_TIMEOUT})")
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        print(f"No folder {args.submissions}", file=sys.stderr)
        return 2
    unknown = [c for c in args.chapters or [] if c not in _chapters()]
    if unknown:
        print(f"No chapter {', '.join(unknown)}. Chapters: {', '.join(_chapters())}.", file=sys.stderr)
        return 2
    started = time.perf_counter()
    results = grade_submissions(
        args.submissions, chapters=args.chapters, timeout=args.timeout, cell_timeout=args.cell_timeout, log=print
    )
    write_gradebook(results, args.out)
    if args.feedback:
        write_feedback(results, args.feedback)
    print(f"graded {len(results)} notebooks in {time.perf_counter() - started:.0f} s ({sandbox_kind()}); gradebook: {args.out}")
    return 0
