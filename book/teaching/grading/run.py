"""Grading: which chapter a notebook holds, each checked exercise's verdict from the answer registry, a folder
of learners' notebooks graded one by one."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ...paths import CHAPTERS_DIR
from ..answer_key import _checked_labels, check_cells, load_instructor_keys
from ..answers import ANSWERS, ComputedAnswer, check_answer
from ..checks import Feedback
from .sandbox import CELL_TIMEOUT, TIMEOUT, Run, run_sandboxed, sandbox_kind

__all__ = ["Result", "chapter_labels", "filled_copy", "grade_notebook", "grade_submissions"]


# --- what each chapter checks -------------------------------------------------------------------


def chapter_labels(chapter: str) -> list[str]:
    """The labels a chapter's answer-check cells check, in order (``label`` or ``label/part``)."""

    return [label for cell in check_cells(CHAPTERS_DIR / f"{chapter}.ipynb") for label in cell.keys]


def _chapters() -> list[str]:
    return sorted(p.stem for p in CHAPTERS_DIR.glob("*.ipynb"))


def _key_value(label: str):
    """The right answer to ``label`` as a learner would type it (from the instructor keys or computed now)."""

    entry = ANSWERS[label]
    if isinstance(entry, ComputedAnswer):
        return round(entry.compute(), 6)
    plain = load_instructor_keys()[label]["answer"]
    return plain[0] if isinstance(plain, list) else plain


_ASSIGN = re.compile(r"^(\s*)(\w+)\s*=\s*\.\.\.(.*)$", re.M)


def _typed_in(source: str, label: str, value) -> str:
    """``source`` with ``value`` typed in for the blank that ``check_answer(label, name)`` passes on (``name = ...``),
    or for the first blank if the call names no variable (a scaffold's other blanks are left as they are)."""
    call = re.search(rf"check_answer\(\s*[\"']{re.escape(label)}[\"']\s*,\s*(\w+)\s*\)", source)
    blank = re.compile(rf"^(\s*)({call.group(1)})\s*=\s*\.\.\.(.*)$", re.M) if call else _ASSIGN
    if call and not blank.search(source):
        blank = _ASSIGN
    return blank.sub(lambda m: f"{m.group(1)}{m.group(2)} = {value!r}{m.group(3)}", source, count=1)


def filled_copy(chapter: str, out: Path, *, labels: set[str] | None = None) -> Path:
    """The chapter notebook with the answer of each checked exercise (or of ``labels`` only) typed in where its check
    cell has ``name = ...``: what a learner who answered everything right hands in. (The chapters themselves leave
    every answer at ``...``; their solutions are explanations and code that prints the figure.)"""
    import nbformat

    nb = nbformat.read(CHAPTERS_DIR / f"{chapter}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code" or "answer-check" not in cell.metadata.get("tags", []):
            continue
        for label in _checked_labels(cell.source):
            if labels is not None and label not in labels:
                continue
            value = _key_value(label)
            cell.source = _typed_in(cell.source, label, value)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)
    return out


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


def _read(path: Path, result: Result) -> tuple[bytes, dict] | None:
    """The notebook's bytes and JSON, or None with ``result.status`` saying why it is not graded."""
    try:
        raw = path.read_bytes()
        nb = json.loads(raw.decode("utf-8"))
        if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
            raise ValueError("no list of cells")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        result.status = f"not valid JSON ({type(exc).__name__}: {str(exc)[:80]}): not graded"
        return None
    except ValueError as exc:
        result.status = f"not a notebook ({exc}): not graded"
        return None
    return raw, nb


def _chapter_held(path: Path, nb: dict, result: Result, chapters: list[str] | None) -> str | None:
    """The chapter the notebook holds, or None with ``result.status`` saying why it is not graded."""
    name = path.stem
    held = _identify(nb, name)
    if held is None and name in _chapters():
        held = name
    if held is None:
        result.status = "not a chapter of the book (no answer checks or title recognised): not graded"
        return None
    result.chapter = held
    if name != held and name in _chapters():
        result.status = f"a different chapter: the file is named {path.name} but holds '{held}': not graded"
        return None
    if chapters and held not in chapters:
        result.status = f"a different chapter: holds '{held}', which is not among those graded ({', '.join(chapters)})"
        return None
    return held


def _run_problems(run: Run, timeout: float, cell_timeout: float) -> list[str]:
    """What went wrong in the run: cells interrupted, errors raised, the notebook stopped or the run failed."""
    problems = []
    for t in run.report.get("timeouts", []):
        problems.append(f"a cell ran over {cell_timeout:g} s and was interrupted (learner's cell {t['cell']})")
    for e in run.report.get("errors", []):
        where = f"learner's cell {e['cell']}" if e["cell"] is not None else "the run"
        problems.append(f"raised {e['ename']} in {where}: {e['evalue'][:120]}")
    if run.killed:
        problems.append(f"timed out: the notebook ran over {timeout:g} s and was stopped (checks made before count)")
    elif not run.report.get("finished"):
        last_line = run.stderr.strip().splitlines()[-1:]
        problems.append(f"the run failed: {last_line[0][:160] if last_line else 'no report'}")
    return problems


def _score(result: Result, labels: list[str], calls: list) -> list[str]:
    """Each label's verdict on the learner's last answer (checked again here); the labels no check reached."""
    last = {label: kept for label, kept in calls if label in labels}
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
    return [label for label in labels if label not in last]


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
    path = Path(path)
    result = Result(learner, path.name, path.stem if path.stem in _chapters() else "", "")
    read = _read(path, result)
    held = read and _chapter_held(path, read[1], result, chapters)
    if not held:
        return result
    labels = chapter_labels(held)
    result.sandbox = sandbox or sandbox_kind()
    run = run_sandboxed(read[0], held, sandbox=result.sandbox, timeout=timeout, cell_timeout=cell_timeout)
    result.seconds = run.seconds
    problems = _run_problems(run, timeout, cell_timeout)
    missing = _score(result, labels, run.report.get("calls") or [])
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
