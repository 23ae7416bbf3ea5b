"""What grading gives back: the gradebook CSV, a feedback file per notebook, and the files' hashes (to show that
grading changed none)."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from .run import Result, chapter_labels

__all__ = ["write_gradebook", "write_feedback", "file_hashes"]


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
