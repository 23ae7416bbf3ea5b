"""The notebooks' stored outputs match a fresh run, checked on the run the site build already made.

This is nbval's check (same sanitising rules, tests/sanitize.cfg) without executing every notebook a
second time: ``jupyter-book build`` executes each notebook from scratch (``execute_notebooks: force``)
and writes it to ``_build/jupyter_execute/``; these tests compare those outputs with the ones stored in
the repository. So each notebook runs once per CI run, and the test command gets no slower as
chapters are added. ``pytest --nbval chapters guides`` still runs nbval itself, executing again.
"""

from __future__ import annotations

import configparser
import json
import re

import pytest

from book.paths import ROOT

NOTEBOOKS = sorted([*(ROOT / "chapters").glob("*.ipynb"), *(ROOT / "guides").glob("*.ipynb")])
#: Outputs that legitimately differ from run to run, as nbval is told to ignore them.
IGNORE_TAGS = {"nbval-ignore-output", "nbval-skip", "raises-exception"}
#: MIME types whose content is an id of a live object (widgets): compared by presence only.
PRESENCE_ONLY = {"application/vnd.jupyter.widget-view+json"}


def _sanitizers() -> list[tuple[re.Pattern, str]]:
    config = configparser.ConfigParser()
    config.read(ROOT / "tests" / "sanitize.cfg")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


SANITIZERS = _sanitizers()


def sanitize(text: str) -> str:
    for pattern, replacement in SANITIZERS:
        text = pattern.sub(replacement, text)
    return text


def comparable(outputs: list[dict]) -> list:
    """A cell's outputs reduced to what nbval compares: streams joined by name, rich outputs by MIME type."""
    reduced, streams = [], {}
    for output in outputs:
        kind = output["output_type"]
        if kind == "stream":
            streams[output["name"]] = streams.get(output["name"], "") + "".join(output["text"])
        elif kind in ("display_data", "execute_result"):
            data = {}
            for mime, value in output.get("data", {}).items():
                if mime in PRESENCE_ONLY:
                    data[mime] = "(present)"
                elif isinstance(value, (dict, list)):
                    data[mime] = sanitize(json.dumps(value, sort_keys=True))
                else:
                    data[mime] = sanitize("".join(value) if isinstance(value, list) else str(value))
            reduced.append(data)
        elif kind == "error":
            reduced.append({"error": f"{output['ename']}: {output['evalue']}"})
    return [*({"stream " + name: sanitize(text)} for name, text in sorted(streams.items())), *reduced]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_stored_outputs_match_the_builds_fresh_run(path, built_site):
    executed = built_site.parent / "jupyter_execute" / path.relative_to(ROOT)
    assert executed.is_file(), f"the build did not execute {path.name} (rebuild: jupyter-book build .)"
    stored = json.loads(path.read_text(encoding="utf-8"))["cells"]
    fresh = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    assert len(stored) == len(fresh), f"{path.name}: the build ran a different version of this notebook (rebuild)"
    problems = []
    for index, (old, new) in enumerate(zip(stored, fresh)):
        if old["cell_type"] != "code":
            continue
        assert "".join(old["source"]) == "".join(new["source"]), f"{path.name}, cell {index}: the build ran other code (rebuild)"
        errors = [o for o in new.get("outputs", []) if o["output_type"] == "error"]
        assert not errors, f"{path.name}, cell {index} raised {errors[0]['ename']}: {errors[0]['evalue']}"
        if IGNORE_TAGS & set(old.get("metadata", {}).get("tags", [])):
            continue
        if comparable(old.get("outputs", [])) != comparable(new.get("outputs", [])):
            problems.append(index)
    assert not problems, (
        f"{path.name}: stored outputs differ from a fresh run in cells {problems}; "
        "run `python -m book refresh-outputs` and commit the result"
    )
