"""The assessment map: per chapter, its objectives, the items (quiz items and exercises) assessing each, and the
charts and explorers with inputs and the items that need them. ``python -m book assessment-map [--json]``.

Where each part comes from
--------------------------
* **Objectives**: the chapter's opening cells, numbered 1, 2, ... (:func:`book.notebooks.objectives`).
* **Items**: the quiz (``chapters/quizzes/<chapter>.json``, ids ``<chapter>/q1``, ...) and the ``{exercise}``
  directives (ids are their ``:label:``). What each assesses and needs is declared in the sidecar
  ``chapters/quizzes/<chapter>.meta.json``: ``"items"`` (one entry per quiz item, in order) and ``"exercises"``
  (by label), each with ``"objectives"`` (numbers) and ``"needs"`` (``"none"`` or a chart or explorer function name;
  a longer text such as ``"chart: power_chart (outlook)"`` is read by the function name in it).
* **Practice items** (explorer-driven questions shown by a cell naming their label, :mod:`book.teaching.practice`)
  are the sidecar's ``"exercises"`` entries with ``"kind": "practice"``; they count as items of kind ``practice``.
* **Answer kind**: an exercise's is ``data`` (checked against an answer computed from ``data/`` when the learner
  checks), ``fixed`` (a stored key, or a number computed from fixed inputs by a book function) or ``open`` (no
  answer check: a written answer, compared with the solution); the registry decides where it has the label, else the
  sidecar's ``"answer"`` (an in-page check from the data, such as the appraisal practice). The sidecar's ``"answer"`` is
  checked against the answer registry (:data:`book.teaching.answers.ANSWERS`): a disagreement is listed under ``problems``. A quiz
  item's is ``data`` when its sidecar entry lists facts checked against ``data/`` (:mod:`book.teaching.quiz_facts`),
  else ``fixed``.
* **Charts and explorers with inputs** are found in the chapter itself, not declared: every code cell that calls a
  function whose name ends in ``_chart`` and whose stored output is a Vega spec with bound signals (inputs a reader
  sets on the page), named by the function and listing the signals; and every call of an ``*Explorer`` widget
  class, listing its controls (read from :mod:`book.views.widgets`). A chart is counted once per chapter however
  often it is drawn. A chart whose stored output has no bound input is not listed; so refresh outputs first.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import asdict, dataclass, field

from .. import notebooks
from ..paths import QUIZ_DIR, ROOT

__all__ = [
    "Item",
    "View",
    "ChapterMap",
    "assessment_map",
    "chapter_map",
    "summary",
    "render_text",
    "blueprint",
    "show_blueprints",
]

VEGA = "application/vnd.vega.v5+json"
_NEED = re.compile(r"\b([A-Za-z_]\w*_chart|[A-Z]\w*Explorer)\b")


@dataclass
class Item:
    """One quiz item or exercise: what it assesses, how its answer is known, what it needs."""

    id: str
    kind: str  # "quiz", "exercise" (an {exercise} block) or "practice" (a checked explorer task, book.teaching.practice)
    answer: str  # "data", "fixed" or "open"
    objectives: list[int]
    needs: str  # "none", a chart or explorer function name, or the sidecar's text for anything else (a table)
    title: str = ""


@dataclass
class View:
    """A chart or explorer with inputs, as the chapter draws it."""

    name: str
    kind: str  # "chart" or "explorer"
    inputs: list[str]
    needed_by: list[str] = field(default_factory=list)


@dataclass
class ChapterMap:
    chapter: str
    objectives: list[str]
    items: list[Item]
    views: list[View]
    problems: list[str] = field(default_factory=list)

    def items_for(self, objective: int) -> list[Item]:
        return [i for i in self.items if objective in i.objectives]

    @property
    def unassessed(self) -> list[int]:
        return [n for n in range(1, len(self.objectives) + 1) if not self.items_for(n)]

    @property
    def unneeded(self) -> list[str]:
        return [v.name for v in self.views if not v.needed_by]


def _need_name(needs) -> str:
    if not needs or needs == "none":
        return "none"
    found = _NEED.search(str(needs))
    return found.group(1) if found else str(needs)


def _sidecar(chapter: str) -> dict:
    path = QUIZ_DIR / f"{chapter}.meta.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _registry_answer(label: str) -> str | None:
    """``data`` or ``fixed`` from the answer registry, or None when the registry does not check this label."""
    from .answers import ANSWERS

    kinds = {e.kind for key, e in ANSWERS.items() if key == label or key.startswith(f"{label}/")}
    if not kinds:
        return None
    return "data" if "data" in kinds else "fixed"


def _quiz_items(chapter: str, meta: dict) -> list[Item]:
    path = QUIZ_DIR / f"{chapter}.json"
    questions = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    entries = meta.get("items", [])
    items = []
    for n, question in enumerate(questions, start=1):
        entry = entries[n - 1] if n - 1 < len(entries) else {}
        items.append(
            Item(
                f"{chapter}/q{n}",
                "quiz",
                "data" if entry.get("facts") else "fixed",
                [int(o) for o in entry.get("objectives", [])],
                _need_name(entry.get("needs")),
                " ".join(str(question.get("question", "")).split())[:90],
            )
        )
    return items


def _exercise_items(chapter: str, meta: dict, problems: list[str]) -> list[Item]:
    """The ``{exercise}`` directives, then the sidecar's other entries that the chapter shows (practice items, shown by
    a cell that names their label, e.g. ``show_practice("practice-cocaine-arms")``)."""
    declared = meta.get("exercises", {})
    items = []
    for directive in notebooks.directives(notebooks.markdown(chapter), "exercise"):
        label = directive.options.get("label", "")
        entry = declared.get(label, {})
        registry = _registry_answer(label)
        if not entry:
            problems.append(f"exercise {label}: no entry under 'exercises' in {chapter}.meta.json")
        elif registry is not None and entry.get("answer") != registry:
            problems.append(f"exercise {label}: sidecar says answer {entry.get('answer')!r}, the answer registry {registry!r}")
        answer = registry or entry.get("answer", "open")
        objectives = [int(o) for o in entry.get("objectives", [])]
        items.append(Item(label, "exercise", answer, objectives, _need_name(entry.get("needs")), directive.argument))
    code = "\n".join(c["source"] for c in notebooks.cells(chapter) if c["cell_type"] == "code")
    for label in sorted(set(declared) - {i.id for i in items}):
        entry = declared[label]
        if f'"{label}"' not in code and f"'{label}'" not in code:
            problems.append(f"exercise {label} in {chapter}.meta.json is not in the chapter")
            continue
        objectives = [int(o) for o in entry.get("objectives", [])]
        kind = entry.get("kind", "exercise")
        items.append(Item(label, kind, entry.get("answer", "open"), objectives, _need_name(entry.get("needs")), label))
    return items


def _explorer_inputs() -> dict[str, list[str]]:
    """The controls of each ``*Explorer`` class in :mod:`book.views.widgets` (keys of its ``self.controls``)."""
    tree = ast.parse((ROOT / "book" / "views" / "widgets.py").read_text(encoding="utf-8"))
    found = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name.endswith("Explorer"):
            keys = [
                k.value
                for sub in ast.walk(node)
                if isinstance(sub, ast.Dict)
                for k in sub.keys
                if isinstance(k, ast.Constant) and isinstance(k.value, str)
            ]
            found[node.name] = keys
    return found


def _called(source: str) -> list[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name and (name.endswith("_chart") or name.endswith("Explorer")):
                names.append(name)
    return names


def chapter_views(chapter: str) -> list[View]:
    """The charts (bound Vega signals in the stored output) and explorers with inputs the chapter shows."""
    explorers = _explorer_inputs()
    views: dict[str, View] = {}
    for cell in notebooks.cells(chapter):  # with their stored outputs
        if cell["cell_type"] != "code":
            continue
        called = _called("".join(cell["source"]))
        bound = [
            s["name"]
            for output in cell.get("outputs", [])
            for s in output.get("data", {}).get(VEGA, {}).get("signals", [])
            if "bind" in s
        ]
        for name in called:
            if name in explorers:
                views.setdefault(name, View(name, "explorer", explorers[name]))
            elif bound and name.endswith("_chart"):
                view = views.setdefault(name, View(name, "chart", []))
                view.inputs += [b for b in bound if b not in view.inputs]
                break  # the cell's output is this chart (one chart per cell)
    return list(views.values())


def chapter_map(chapter: str) -> ChapterMap:
    meta = _sidecar(chapter)
    problems: list[str] = []
    items = _quiz_items(chapter, meta) + _exercise_items(chapter, meta, problems)
    views = chapter_views(chapter)
    objectives = notebooks.objectives(chapter)
    for view in views:
        view.needed_by = [i.id for i in items if i.needs == view.name]
    for item in items:
        bad = [o for o in item.objectives if not 0 < o <= len(objectives)]
        if bad:
            problems.append(f"{item.id}: no objective {bad} (the chapter has {len(objectives)})")
    return ChapterMap(chapter, objectives, items, views, problems)


def assessment_map(chapters: list[str] | None = None) -> list[ChapterMap]:
    """The map of every chapter in ``_toc.yml`` (or of ``chapters``)."""
    return [chapter_map(c) for c in chapters or notebooks.toc_chapters()]


def summary(maps: list[ChapterMap]) -> dict:
    """Objectives with no item, charts/explorers with inputs no item needs, and items by kind and answer."""
    items = [i for m in maps for i in m.items]
    by_kind: dict[str, int] = {}
    for item in items:
        key = f"{item.kind}/{item.answer}"
        by_kind[key] = by_kind.get(key, 0) + 1
    return {
        "chapters": len(maps),
        "objectives": sum(len(m.objectives) for m in maps),
        "objectives_with_no_item": [f"{m.chapter} {n}" for m in maps for n in m.unassessed],
        "views_with_inputs": sum(len(m.views) for m in maps),
        "views_no_item_needs": [f"{m.chapter} {v}" for m in maps for v in m.unneeded],
        "items": len(items),
        "items_by_kind": {k: by_kind[k] for k in sorted(by_kind)},
        "items_needing_a_view": sum(i.needs != "none" for i in items),
        "problems": [p for m in maps for p in m.problems],
    }


def as_json(maps: list[ChapterMap]) -> dict:
    return {"summary": summary(maps), "chapters": [asdict(m) for m in maps]}


def _plain(text: str) -> str:
    """MyST roles as their text: ``{term}`comparator <Comparator>``` -> comparator."""
    return re.sub(r"\{[\w:]+\}`([^`<]+?)\s*(?:<[^`]*>)?`", r"\1", text)


def render_text(maps: list[ChapterMap]) -> str:
    lines = []
    for m in maps:
        lines.append(f"== {m.chapter}")
        for n, objective in enumerate(m.objectives, start=1):
            lines.append(f"  {n}. {_plain(objective)}")
            for item in m.items_for(n):
                lines.append(f"       {item.id:32} {item.kind:8} {item.answer:5} needs {item.needs}")
            if not m.items_for(n):
                lines.append("       (no item)")
        for item in m.items:
            if not item.objectives:
                lines.append(f"  no objective named: {item.id}")
        for view in m.views:
            needed = ", ".join(view.needed_by) or "(no item)"
            lines.append(f"  {view.kind} {view.name} [{', '.join(view.inputs)}]: {needed}")
        lines += [f"  problem: {p}" for p in m.problems]
    s = summary(maps)
    lines.append(
        f"== {s['objectives']} objectives, {len(s['objectives_with_no_item'])} with no item; {s['views_with_inputs']} "
        f"charts/explorers with inputs, {len(s['views_no_item_needs'])} needed by no item; {s['items']} items "
        + ", ".join(f"{k} {v}" for k, v in s["items_by_kind"].items())
    )
    return "\n".join(lines)


def blueprint(chapter: str):
    """A chapter's test blueprint for instructors: one row per objective, with its items by kind and answer."""
    import pandas as pd

    m = chapter_map(chapter)
    rows = []
    for n, objective in enumerate(m.objectives, start=1):
        items = m.items_for(n)
        rows.append(
            {
                "objective": f"{n}. {_plain(objective)}",
                "quiz items": ", ".join(i.id.rsplit("/", 1)[-1] for i in items if i.kind == "quiz") or "none",
                "exercises": ", ".join(f"{i.title} ({i.answer})" for i in items if i.kind != "quiz") or "none",
                "needs a chart or explorer": ", ".join(sorted({i.needs for i in items if i.needs != "none"})) or "none",
            }
        )
    return pd.DataFrame(rows)


def _title(chapter: str) -> str:
    heading = re.search(r"^#\s+(.+)$", notebooks.cells(chapter)[0]["source"], re.M)
    return heading.group(1).strip() if heading else chapter


def views_table():
    """Every chart and explorer with inputs, by chapter, with its inputs and the items that need it."""
    import pandas as pd

    rows = [
        {
            "chapter": _title(m.chapter),
            "chart or explorer": v.name,
            "inputs": ", ".join(v.inputs),
            "needed by": ", ".join(v.needed_by) or "no item yet",
        }
        for m in assessment_map()
        for v in m.views
    ]
    return pd.DataFrame(rows)


def show_blueprints() -> None:
    """Display each chapter's test blueprint, then the charts and explorers table (the instructors' page)."""
    from IPython.display import display

    from ..views.kit import styled

    for chapter in notebooks.toc_chapters():
        display(styled(blueprint(chapter), f"{_title(chapter)}: objectives and the items assessing each", "blueprint"))
    display(styled(views_table(), "Charts and explorers with inputs, and the items that need them", "blueprint-views"))


def main(as_json_output: bool, chapters: list[str] | None = None) -> int:
    maps = assessment_map(chapters)
    print(json.dumps(as_json(maps), indent=1, ensure_ascii=False) if as_json_output else render_text(maps))
    return 0
