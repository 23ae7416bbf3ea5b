"""Grade learners' chapter notebooks with the book's own answer checks: ``python -m book.grading``.

::

    python -m book.grading SUBMISSIONS_DIR --out gradebook.csv [--feedback DIR] [--chapter NAME ...]
                           [--timeout SECONDS] [--cell-timeout SECONDS]

``SUBMISSIONS_DIR`` holds one folder per learner with their chapter notebooks (``<learner>/<chapter>.ipynb``, e.g.
what JupyterHub's or an LMS's "download all submissions" gives after unzipping). The gradebook has a row per learner
and notebook: learner, file, chapter, status, one column per answer-checked exercise (1 right, 0 not; empty for
another chapter's exercises), ``total`` and ``out_of``. ``--feedback DIR`` writes ``DIR/<learner>/<chapter>.md``: per
exercise whether it was right and the message the answer check gives in the notebook (:mod:`book.answers`).

What is graded, and how
-----------------------
Each notebook is run top to bottom (so answers that come from the learner's code count), and every call of
``check_answer(label, answer)`` is recorded: a first cell added by the grader wraps the book's ``check_answer`` so
that it notes the label and the learner's *answer*; the grader then checks that answer again itself, in its own
process, against the answer registry (:func:`book.answers.check_answer`), which gives the verdict and the message.
An exercise scores 1 if its last check was right. An exercise whose check cell was deleted, or never ran, scores 0
and says so. Untrusted-notebook handling:

* the notebook is copied into a fresh temporary folder, and run there by a separate process (``python -m
  book.grading --run-one``) whose kernel's working folder is that copy's; the learner's original is only read;
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
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .paths import CHAPTERS_DIR

__all__ = [
    "Result",
    "chapter_labels",
    "filled_copy",
    "grade_notebook",
    "grade_submissions",
    "write_gradebook",
    "write_feedback",
    "sandbox_kind",
    "main",
]

#: Seconds for a whole notebook and for one cell, by default.
TIMEOUT = 600
CELL_TIMEOUT = 120


# --- what each chapter checks -------------------------------------------------------------------


def chapter_labels(chapter: str) -> list[str]:
    """The labels a chapter's answer-check cells check, in order (``label`` or ``label/part``)."""
    from .answers import check_cells

    return [label for cell in check_cells(CHAPTERS_DIR / f"{chapter}.ipynb") for label in cell.keys]


def _chapters() -> list[str]:
    return sorted(p.stem for p in CHAPTERS_DIR.glob("*.ipynb"))


def _key_value(label: str):
    """The right answer to ``label`` as a learner would type it (from the instructor keys or computed now)."""
    from .answers import ANSWERS, ComputedAnswer, load_instructor_keys

    entry = ANSWERS[label]
    if isinstance(entry, ComputedAnswer):
        return round(entry.compute(), 6)
    plain = load_instructor_keys()[label]["answer"]
    return plain[0] if isinstance(plain, list) else plain


_ASSIGN = re.compile(r"^(\s*)(\w+)\s*=\s*\.\.\.(.*)$", re.M)


def filled_copy(chapter: str, out: Path, *, labels: set[str] | None = None) -> Path:
    """The chapter notebook with the answer of each checked exercise (or of ``labels`` only) typed in where its check
    cell has ``name = ...``: what a learner who answered everything right hands in. (The chapters themselves leave
    every answer at ``...``; their solutions are explanations and code that prints the figure.)"""
    import nbformat

    nb = nbformat.read(CHAPTERS_DIR / f"{chapter}.ipynb", as_version=4)
    from .answers import _checked_labels

    for cell in nb.cells:
        if cell.cell_type != "code" or "answer-check" not in cell.metadata.get("tags", []):
            continue
        for label in _checked_labels(cell.source):
            if labels is not None and label not in labels:
                continue
            value = _key_value(label)
            cell.source = _ASSIGN.sub(lambda m, v=value: f"{m.group(1)}{m.group(2)} = {v!r}{m.group(3)}", cell.source, count=1)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)
    return out


# --- the run of one notebook (in its own process) -----------------------------------------------

_PRELUDE = r"""
import json as _kap_json
import socket as _kap_socket

def _kap_guard():
    if {guard!r}:
        _connect = _kap_socket.socket.connect
        def connect(self, address, _connect=_connect):
            host = address[0] if isinstance(address, tuple) else address
            if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost") and self.family != _kap_socket.AF_UNIX:
                raise OSError("no network while grading")
            return _connect(self, address)
        _kap_socket.socket.connect = connect
        _kap_socket.create_connection = lambda *a, **k: (_ for _ in ()).throw(OSError("no network while grading"))
_kap_guard()

def _kap_install():
    import book.answers, book.exercises
    calls = []
    original = book.answers.check_answer
    def check_answer(label, answer, _original=original, _calls=calls):
        if answer is ...:
            kept = {{"kind": "ellipsis"}}
        else:
            try:
                plain = answer.item() if hasattr(answer, "item") else answer
                kept = {{"kind": "value", "value": _kap_json.loads(_kap_json.dumps(plain))}}
            except Exception:
                kept = {{"kind": "other", "type": type(answer).__name__, "repr": repr(answer)[:200]}}
        _calls.append([label, kept])
        print({token!r} + _kap_json.dumps([label, kept]))
        return _original(label, answer)
    book.answers.check_answer = check_answer
    book.exercises.check_answer = check_answer
    return calls
_kap_calls = _kap_install()
del _kap_install, _kap_guard
"""


def _run_one(notebook: Path, result: Path, cell_timeout: int, guard: bool) -> int:
    """In the child process: run ``notebook`` (a copy in its own folder) and write what the checks received.

    The report is rewritten after every cell, so a run killed for its time limit still has the checks made so far."""
    import nbformat
    from nbclient import NotebookClient

    report: dict = {"errors": [], "timeouts": [], "calls": [], "finished": False}
    token = "KAP-GRADER-" + secrets.token_hex(8) + ":"

    def save() -> None:
        partial = result.with_suffix(".part")
        partial.write_text(json.dumps(report), encoding="utf-8")
        partial.replace(result)

    def harvest(cell, cell_index, **_) -> None:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                for line in output.get("text", "").splitlines():
                    if line.startswith(token):
                        report["calls"].append(json.loads(line[len(token) :]))
            elif output.get("output_type") == "error" and cell_index > 0:
                kind = "timeouts" if output.get("ename") in ("KeyboardInterrupt", "CellTimeoutError") else "errors"
                evalue = str(output.get("evalue"))[:300]
                report[kind].append({"cell": cell_index - 1, "ename": output.get("ename"), "evalue": evalue})
        save()

    save()
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(_PRELUDE.format(guard=guard, token=token)))
    client = NotebookClient(
        nb,
        timeout=cell_timeout,
        interrupt_on_timeout=True,
        allow_errors=True,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(notebook.parent)}},
        on_cell_executed=harvest,
    )
    try:
        client.execute()
        report["finished"] = True
    except Exception as exc:  # the kernel died, or nbclient gave up
        report["errors"].append({"cell": None, "ename": type(exc).__name__, "evalue": str(exc)[:300]})
    save()
    return 0


#: A user, network and PID namespace: no network but a loopback, and every process of the run (the kernel too,
#: which jupyter_client starts in a session of its own) is killed when the run's first process ends or is killed.
_UNSHARE = ["unshare", "--user", "--map-root-user", "--net", "--pid", "--fork", "--kill-child"]


def sandbox_kind() -> str:
    """ "unshare" if this machine can run a process in its own network namespace, else "socket guard"."""
    unshare = shutil.which("unshare")
    if unshare and shutil.which("ip"):
        try:
            done = subprocess.run([*_UNSHARE, "ip", "link", "set", "lo", "up"], capture_output=True, timeout=10)
            if done.returncode == 0:
                return "unshare"
        except (OSError, subprocess.TimeoutExpired):
            pass
    return "socket guard"


# --- grading ------------------------------------------------------------------------------------


@dataclass
class Result:
    """One row of the gradebook."""

    learner: str
    file: str
    chapter: str
    status: str
    scores: dict[str, int] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)
    sandbox: str = ""
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.scores.values())

    @property
    def out_of(self) -> int:
        return len(self.scores)


def _identify(nb: dict, stem: str) -> str | None:
    """Which chapter a notebook holds: the student copy's note, else the labels its checks use, else its title."""
    source = (nb.get("metadata") or {}).get("kap_student_copy", {}).get("source")
    if isinstance(source, str) and Path(source).stem in _chapters():
        return Path(source).stem
    from .answers import _checked_labels

    used = set()
    for cell in nb.get("cells", []):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            src = cell.get("source", "")
            used |= set(_checked_labels("".join(src) if isinstance(src, list) else str(src)))
    if used:
        best = max(_chapters(), key=lambda c: len(used & set(chapter_labels(c))))
        if used & set(chapter_labels(best)):
            return best
    for cell in nb.get("cells", []):
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown":
            src = cell.get("source", "")
            title = re.search(r"^#\s+(.+)$", "".join(src) if isinstance(src, list) else str(src), re.M)
            if title:
                for chapter in _chapters():
                    ref = json.loads((CHAPTERS_DIR / f"{chapter}.ipynb").read_text(encoding="utf-8"))
                    first = "".join(ref["cells"][0]["source"])
                    if title.group(0) in first:
                        return chapter
                break
    return None


def _replayed(kept: dict):
    if kept.get("kind") == "ellipsis":
        return ...
    if kept.get("kind") == "value":
        return kept.get("value")
    return None


def grade_notebook(
    path: Path,
    learner: str,
    *,
    chapters: list[str] | None = None,
    timeout: float = TIMEOUT,
    cell_timeout: float = CELL_TIMEOUT,
    sandbox: str | None = None,
) -> Result:
    """Grade one learner's notebook; never raises for anything the notebook holds."""
    from .answers import check_answer
    from .exercises import Feedback

    path = Path(path)
    name = path.stem
    result = Result(learner, path.name, name if name in _chapters() else "", "")
    try:
        raw = path.read_bytes()
        nb = json.loads(raw.decode("utf-8"))
        if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
            raise ValueError("no list of cells")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        result.status = f"not valid JSON ({type(exc).__name__}: {str(exc)[:80]}): not graded"
        return result
    except ValueError as exc:
        result.status = f"not a notebook ({exc}): not graded"
        return result
    held = _identify(nb, name)
    if held is None and name in _chapters():
        held = name
    if held is None:
        result.status = "not a chapter of the book (no answer checks or title recognised): not graded"
        return result
    result.chapter = held
    if name != held and name in _chapters():
        result.status = f"a different chapter: the file is named {path.name} but holds '{held}': not graded"
        return result
    if chapters and held not in chapters:
        result.status = f"a different chapter: holds '{held}', which is not among those graded ({', '.join(chapters)})"
        return result
    labels = chapter_labels(held)
    sandbox = sandbox or sandbox_kind()
    result.sandbox = sandbox
    started = time.perf_counter()
    problems = []
    with tempfile.TemporaryDirectory(prefix="kap-grade-") as tmp:
        work = Path(tmp) / "work"
        work.mkdir()
        copy = work / f"{held}.ipynb"
        copy.write_bytes(raw)
        out = Path(tmp) / "result.json"
        command = [
            sys.executable,
            "-m",
            "book.grading",
            "--run-one",
            str(copy),
            str(out),
            "--cell-timeout",
            str(int(cell_timeout)),
        ]
        if sandbox == "unshare":
            command = [*_UNSHARE, "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *command]
        else:
            command.append("--socket-guard")
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        process = subprocess.Popen(
            command, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
        killed = False
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # under unshare --pid, the kernel dies with it
            _, err = process.communicate()
            killed = True
        try:
            report = json.loads(out.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            report = {}
    result.seconds = time.perf_counter() - started
    calls = report.get("calls") or []
    for t in report.get("timeouts", []):
        problems.append(f"a cell ran over {cell_timeout:g} s and was interrupted (learner's cell {t['cell']})")
    for e in report.get("errors", []):
        where = f"learner's cell {e['cell']}" if e["cell"] is not None else "the run"
        problems.append(f"raised {e['ename']} in {where}: {e['evalue'][:120]}")
    if killed:
        problems.append(f"timed out: the notebook ran over {timeout:g} s and was stopped (checks made before count)")
    elif not report.get("finished"):
        last_line = err.decode(errors="replace").strip().splitlines()[-1:]
        problems.append(f"the run failed: {last_line[0][:160] if last_line else 'no report'}")
    last: dict[str, dict] = {}
    for label, kept in calls:
        if label in labels:
            last[label] = kept
    for label in labels:
        if label not in last:
            result.scores[label] = 0
            result.messages[label] = "No check of this exercise ran (its cell was deleted, or the notebook stopped before it)."
            continue
        kept = last[label]
        if kept.get("kind") == "other":
            feedback = Feedback(False, f"The answer was a {kept.get('type')} ({kept.get('repr')}), not a number or text.")
        else:
            feedback = check_answer(label, _replayed(kept))
        result.scores[label] = int(bool(feedback.correct))
        result.messages[label] = feedback.message
    missing = [label for label in labels if label not in last]
    if missing and len(missing) == len(labels) and not problems:
        problems.append("no answer checks ran (the check cells were deleted?)")
    elif missing and not problems:
        problems.append(f"{len(missing)} answer check(s) missing (cells deleted?): {', '.join(missing)}")
    result.status = "graded" + (": " + "; ".join(problems) if problems else "")
    return result


def grade_submissions(
    submissions: Path,
    *,
    chapters: list[str] | None = None,
    timeout: float = TIMEOUT,
    cell_timeout: float = CELL_TIMEOUT,
    log=None,
) -> list[Result]:
    """Grade every ``<learner>/*.ipynb`` under ``submissions``, one process each, in order."""
    sandbox = sandbox_kind()
    results = []
    for learner in sorted(p for p in Path(submissions).iterdir() if p.is_dir()):
        notebooks = sorted(learner.glob("*.ipynb"))
        if not notebooks:
            results.append(Result(learner.name, "", "", "no notebook (.ipynb) in this folder"))
        for nb in notebooks:
            result = grade_notebook(
                nb, learner.name, chapters=chapters, timeout=timeout, cell_timeout=cell_timeout, sandbox=sandbox
            )
            results.append(result)
            if log:
                log(f"{learner.name}/{nb.name}: {result.total}/{result.out_of} {result.status} ({result.seconds:.1f} s)")
    return results


def write_gradebook(results: list[Result], out: Path) -> Path:
    """The gradebook CSV: a row per learner and notebook, a column per exercise of the chapters graded."""
    columns: list[str] = []
    for r in results:
        for label in chapter_labels(r.chapter) if r.chapter else []:
            if label not in columns:
                columns.append(label)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["learner", "file", "chapter", "status", *columns, "total", "out_of", "sandbox", "seconds"])
        for r in results:
            graded = r.status.startswith("graded")
            writer.writerow(
                [
                    r.learner,
                    r.file,
                    r.chapter,
                    r.status,
                    *[r.scores.get(c, "") for c in columns],
                    r.total if graded else "",
                    len(chapter_labels(r.chapter)) if r.chapter else "",
                    r.sandbox,
                    f"{r.seconds:.1f}",
                ]
            )
    return out


def write_feedback(results: list[Result], folder: Path) -> list[Path]:
    """One Markdown file per graded notebook: ``folder/<learner>/<file stem>.md``."""
    written = []
    for r in results:
        if not r.file:
            continue
        path = Path(folder) / r.learner / f"{Path(r.file).stem}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [
            f"# {r.file}: feedback for {r.learner}",
            "",
            f"Chapter: {r.chapter or 'not recognised'}",
            f"Status: {r.status}",
            "",
        ]
        if r.scores:
            lines += [f"Score: {r.total} of {r.out_of}", ""]
            for label, score in r.scores.items():
                lines.append(f"- {'✔ right' if score else '✘ not yet'}: `{label}`: {r.messages.get(label, '')}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(path)
    return written


def file_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (to show that grading changed none)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(Path(folder).rglob("*"))
        if p.is_file()
    }


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--run-one"]:
        child = argparse.ArgumentParser(prog="python -m book.grading --run-one")
        child.add_argument("notebook", type=Path)
        child.add_argument("result", type=Path)
        child.add_argument("--cell-timeout", type=int, default=CELL_TIMEOUT)
        child.add_argument("--socket-guard", action="store_true")
        args = child.parse_args(argv[1:])
        return _run_one(args.notebook, args.result, args.cell_timeout, args.socket_guard)
    parser = argparse.ArgumentParser(
        prog="python -m book.grading", description="Grade learners' chapter notebooks with the book's answer checks."
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


if __name__ == "__main__":
    sys.exit(main())
