"""The session plans (guides/session-plans.md): one per chapter, 50 to 90 minutes, and the minutes of each plan's
activities add up to the length its heading states."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "guides" / "session-plans.md"
KINDS = {"Input", "Explorer", "Groups", "Discussion", "Quiz"}


def sessions() -> dict[str, tuple[int, str]]:
    """Each '### Title (N minutes)' section: its stated length and its text, by the chapter file it links."""
    text = PLANS.read_text(encoding="utf-8")
    found = {}
    for match in re.finditer(r"^### (.+?) \((\d+) minutes\)\n(.+?)(?=^### |\Z)", text, re.M | re.S):
        body = match.group(3)
        chapter = re.search(r"^Chapter: \[[^\]]+\]\(\.\./chapters/([\w-]+)\.ipynb\)", body, re.M)
        assert chapter, f"session {match.group(1)!r} names no chapter"
        found[chapter.group(1)] = (int(match.group(2)), body)
    return found


def toc_chapters() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    return [f.split("/", 1)[1] for f in files if f.startswith("chapters/")]


def test_every_chapter_has_one_session():
    assert sorted(sessions()) == sorted(toc_chapters())


def test_activity_minutes_add_up_to_the_stated_length():
    for chapter, (length, body) in sessions().items():
        rows = re.findall(r"^\| (\d+) \| (.+?) \| (\w+) \|$", body, re.M)
        assert rows, f"{chapter}: no activities table"
        assert sum(int(m) for m, _, _ in rows) == length, f"{chapter}: activities add up to a different length"
        assert 50 <= length <= 90, f"{chapter}: a session of {length} minutes"
        assert {kind for _, _, kind in rows} <= KINDS, f"{chapter}: unknown kind of activity"
        assert "Quiz" in {kind for _, _, kind in rows}, f"{chapter}: no quiz in the session"
        for part in ("**Prepare.**", "**Misconceptions to watch for.**", "**Discussion prompts.**"):
            assert part in body, f"{chapter}: no {part}"
