"""The chapter quizzes as packages for learning platforms: Canvas (QTI 1.2), Blackboard (QTI 2.1), Moodle (Moodle XML).

``python -m book.lms --out DIR [--chapter NAME ...]`` writes, for each chapter quiz in ``chapters/quizzes/``::

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
"""

from __future__ import annotations

import argparse
import html
import io
import json
import math
import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .paths import CHAPTERS_DIR, QUIZ_DIR

__all__ = [
    "POINTS",
    "Option",
    "Item",
    "quiz_chapters",
    "chapter_objectives",
    "quiz_items",
    "canvas_package",
    "qti21_package",
    "moodle_xml",
    "write_packages",
    "read_canvas",
    "read_qti21",
    "read_moodle",
    "expected_items",
    "main",
]

#: Points per item in every package.
POINTS = 1

QTI12 = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI21 = "http://www.imsglobal.org/xsd/imsqti_v2p1"
IMSCP = "http://www.imsglobal.org/xsd/imscp_v1p1"
IMSMD = "http://ltsc.ieee.org/xsd/LOM"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


# --- the quiz files, read generically -----------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One answer of an item: its text (for a number, the number), whether it is right, its feedback.

    ``kind`` is ``choice`` (an option to pick), ``value`` (a number, right within ``tolerance``), ``range``
    (a number between ``low`` and ``high``), ``text`` (a short answer) or ``default`` (any other answer)."""

    kind: str
    text: str
    correct: bool
    feedback: str
    tolerance: float = 0.0
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Item:
    """One quiz question, in the form every writer and reader shares."""

    chapter: str
    number: int  # 1-based position in the quiz
    kind: str  # "single", "multiple", "numeric" or "text"
    text: str
    options: tuple[Option, ...]
    points: float = POINTS
    objectives: tuple[str, ...] = field(default_factory=tuple)

    @property
    def canvas_title(self) -> str:
        """The title Canvas shows in its question list: the objectives by number (or short name) only."""
        short = [o.split(":", 1)[0] for o in self.objectives]
        return self.title + (f" [{', '.join(short)}]" if short else "")

    @property
    def ident(self) -> str:
        return f"{self.chapter}-q{self.number}"

    @property
    def title(self) -> str:
        return f"{self.chapter} Q{self.number}"


def quiz_chapters() -> list[str]:
    """The chapters with a quiz file (``chapters/quizzes/<chapter>.json``; ``*.meta.json`` sidecars left out)."""
    return sorted(p.stem for p in QUIZ_DIR.glob("*.json") if not p.name.endswith(".meta.json"))


_TERM = re.compile(r"\{term\}`([^`<]+?)\s*(?:<[^>]*>)?`")
_ROLE = re.compile(r"\{\w+(?::\w+)?\}`([^`]*)`")


def _plain(markdown: str) -> str:
    """MyST text as plain words: roles to their text, links to their title, emphasis marks dropped."""
    text = _TERM.sub(r"\1", markdown)
    text = _ROLE.sub(r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    return " ".join(text.replace("**", "").split())


def chapter_objectives(chapter: str) -> list[str]:
    """The numbered learning objectives under the chapter's ``## Learning objectives`` heading (plain text)."""
    path = CHAPTERS_DIR / f"{chapter}.ipynb"
    if not path.is_file():
        return []
    nb = json.loads(path.read_text(encoding="utf-8"))
    markdown = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    section = re.search(r"^##\s+Learning objectives\s*\n(.+?)(?=^#|^```|\Z)", markdown, re.S | re.M)
    if not section:
        return []
    return [_plain(m).rstrip(";,. ") for m in re.findall(r"^\s*\d+\.\s+(.+)$", section.group(1), re.M)]


def _sidecar(chapter: str) -> list | dict | None:
    path = QUIZ_DIR / f"{chapter}.meta.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _objective_refs(question: dict, index: int, sidecar) -> list:
    """The objectives an item names: its own ``objectives``/``objective`` field, else the sidecar's entry for it
    (a list in quiz order, ``{"items"|"questions": [...]}``, or a mapping by number or question text)."""
    for key in ("objectives", "objective"):
        if question.get(key) not in (None, "", []):
            found = question[key]
            return found if isinstance(found, list) else [found]
    if sidecar is None:
        return []
    entries = sidecar
    if isinstance(sidecar, dict):
        for key in ("items", "questions"):
            if isinstance(sidecar.get(key), list):
                entries = sidecar[key]
                break
    entry = None
    if isinstance(entries, list):
        entry = entries[index] if index < len(entries) else None
    elif isinstance(entries, dict):
        mapping = entries.get("objectives", entries) if isinstance(entries.get("objectives"), dict) else entries
        entry = mapping.get(str(index + 1), mapping.get(question.get("question", ""), None))
    if isinstance(entry, dict):
        entry = entry.get("objectives", entry.get("objective"))
    if entry in (None, "", []):
        return []
    return entry if isinstance(entry, list) else [entry]


def _objective_label(ref, objectives: list[str]) -> str:
    """``2`` or ``"2"`` -> "Objective 2: <its text>"; any other text is kept as it is."""
    if isinstance(ref, int) and not isinstance(ref, bool) or (isinstance(ref, str) and ref.strip().isdigit()):
        n = int(ref)
        text = objectives[n - 1] if 0 < n <= len(objectives) else ""
        return f"Objective {n}: {text}" if text else f"Objective {n}"
    if isinstance(ref, dict):
        return str(ref.get("text") or ref.get("id") or json.dumps(ref, sort_keys=True))
    return str(ref)


def _numeric_tolerance(value: float, precision) -> float:
    """jupyterquiz compares numbers to ``precision`` significant digits: half a unit in the last of them."""
    if not precision or value == 0:
        return 0.0
    return 0.5 * 10 ** (math.floor(math.log10(abs(value))) - int(precision) + 1)


def _options(question: dict) -> tuple[Option, ...]:
    kind = question.get("type")
    out = []
    for answer in question.get("answers", []):
        feedback = str(answer.get("feedback", "")).strip()
        correct = bool(answer.get("correct", False))
        if kind == "numeric":
            atype = answer.get("type", "value")
            if atype == "default":
                out.append(Option("default", "", False, feedback))
            elif atype == "range":
                low, high = (float(x) for x in answer["range"])
                out.append(Option("range", f"{low:g} to {high:g}", correct, feedback, low=low, high=high))
            else:
                value = float(answer["value"])
                tol = _numeric_tolerance(value, question.get("precision"))
                out.append(Option("value", f"{value:g}", correct, feedback, tolerance=tol))
        elif kind == "string":
            if answer.get("type") == "default":
                out.append(Option("default", "", False, feedback))
            else:
                out.append(Option("text", str(answer.get("answer", "")), correct, feedback))
        else:
            out.append(Option("choice", str(answer.get("answer", "")), correct, feedback))
    return tuple(out)


_KINDS = {"multiple_choice": "single", "many_choice": "multiple", "numeric": "numeric", "string": "text"}


def quiz_items(chapter: str) -> list[Item]:
    """Every item of a chapter's quiz, checked by :func:`book.quiz.load_quiz`, with its objectives."""
    from .quiz import load_quiz

    questions = load_quiz(chapter)
    objectives = chapter_objectives(chapter)
    sidecar = _sidecar(chapter)
    items = []
    for i, q in enumerate(questions):
        refs = _objective_refs(q, i, sidecar)
        items.append(
            Item(
                chapter=chapter,
                number=i + 1,
                kind=_KINDS[q["type"]],
                text=str(q.get("question", "")).strip(),
                options=_options(q),
                points=float(q.get("points", POINTS)),
                objectives=tuple(_objective_label(r, objectives) for r in refs),
            )
        )
    return items


def _tags(item: Item) -> list[str]:
    return [f"chapter: {item.chapter}", *item.objectives]


def _quiz_title(chapter: str) -> str:
    return f"{chapter.replace('-', ' ').capitalize()}: chapter quiz"


# --- Canvas: QTI 1.2 by text2qti ----------------------------------------------------------------

_MARKUP = set("&<>\"'*_`[]\\-.!#+|~{}$%=:^")


def _t2q(text: str) -> str:
    """Text for text2qti that comes out as itself: every mark its Markdown or smart quotes would change is a
    character reference (the HTML it writes shows the same characters)."""
    return "".join(f"&#{ord(c)};" if c in _MARKUP else c for c in " ".join(text.split()))


def _number(x: float) -> str:
    return f"{x:.10g}"


def _canvas_numeric_lines(item: Item) -> list[str]:
    right = [o for o in item.options if o.correct]
    wrong = [o for o in item.options if not o.correct and o.kind in ("value", "range")]
    default = [o for o in item.options if o.kind == "default"]
    lines = []
    if right and right[0].feedback:
        lines.append(f"+   {_t2q(right[0].feedback)}")
    incorrect = [f"If you answered {o.text}: {o.feedback}" for o in wrong if o.feedback]
    incorrect += [o.feedback for o in default if o.feedback]
    if incorrect:
        lines.append(f"-   {_t2q(' '.join(incorrect))}")
    key = right[0]
    low, high = _canvas_interval(key)
    if key.kind == "range" or (low, high) != (float(key.text) - key.tolerance, float(key.text) + key.tolerance):
        lines.append(f"=   [{_number(low)}, {_number(high)}]")
    elif key.tolerance:
        lines.append(f"=   {_number(float(key.text))} +- {_number(key.tolerance)}")
    else:
        lines.append(f"=   {_number(float(key.text))}")
    return lines


def _canvas_interval(key: Option) -> tuple[float, float]:
    """The numbers Canvas accepts for a numeric key. text2qti refuses an accepted value of magnitude below
    0.0001, so an exact 0 (a count) is accepted as anything from -0.5 to 0.5 (what rounds to 0)."""
    if key.kind == "range":
        low, high = key.low, key.high
    else:
        low, high = float(key.text) - key.tolerance, float(key.text) + key.tolerance
    if abs(low) < 1e-4 or abs(high) < 1e-4:
        low, high = -0.5, 0.5
    return low, high


def canvas_text(chapter: str, items: list[Item]) -> str:
    """The quiz in text2qti's plain-text format."""
    out = [f"Quiz title: {_quiz_title(chapter)}", "Shuffle answers: false", ""]
    for item in items:
        out += [f"Title: {' '.join(item.canvas_title.split())}", f"Points: {item.points:g}", f"{item.number}.  {_t2q(item.text)}"]
        if item.kind == "numeric":
            out += _canvas_numeric_lines(item)
        elif item.kind == "text":
            right = [o for o in item.options if o.correct]
            fb = [o.feedback for o in item.options if o.feedback]
            if fb:
                out.append(f"... {_t2q(' '.join(fb))}")
            out += [f"*   {_t2q(o.text)}" for o in right]
        else:
            letters = "abcdefghijklmnopqrstuvwxyz"
            for j, o in enumerate(item.options):
                if item.kind == "multiple":
                    out.append(f"[{'*' if o.correct else ' '}] {_t2q(o.text)}")
                else:
                    out.append(f"{'*' if o.correct else ''}{letters[j]})  {_t2q(o.text)}")
                if o.feedback:
                    out.append(f"... {_t2q(o.feedback)}")
        out.append("")
    return "\n".join(out)


def canvas_package(chapter: str, items: list[Item]) -> bytes:
    """A Canvas QTI 1.2 zip, written by text2qti."""
    from text2qti.config import Config
    from text2qti.qti import QTI
    from text2qti.quiz import Quiz

    quiz = Quiz(canvas_text(chapter, items), config=Config(), source_name=f"{chapter}.json")
    return QTI(quiz).zip_bytes()


# --- Blackboard: QTI 2.1 ------------------------------------------------------------------------


def _q(tag: str, ns: str = QTI21) -> str:
    return f"{{{ns}}}{tag}"


def _sub(parent, tag, attrib=None, text=None, ns=QTI21):
    el = ET.SubElement(parent, _q(tag, ns), {k: str(v) for k, v in (attrib or {}).items()})
    if text is not None:
        el.text = text
    return el


def _set(parent, identifier: str, base_type: str, value) -> None:
    s = _sub(parent, "setOutcomeValue", {"identifier": identifier})
    _sub(s, "baseValue", {"baseType": base_type}, str(value))


def _qti21_item(item: Item) -> ET.Element:
    root = ET.Element(
        _q("assessmentItem"),
        {
            "identifier": item.ident,
            "title": item.title,
            "adaptive": "false",
            "timeDependent": "false",
            f"{{{XSI}}}schemaLocation": f"{QTI21} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd",
        },
    )
    numeric = item.kind == "numeric"
    text = item.kind == "text"
    ids = [f"{'V' if numeric or text else 'C'}{j + 1}" for j in range(len(item.options))]
    card = "multiple" if item.kind == "multiple" else "single"
    base = "float" if numeric else ("string" if text else "identifier")
    decl = _sub(root, "responseDeclaration", {"identifier": "RESPONSE", "cardinality": card, "baseType": base})
    right = [(i, o) for i, o in zip(ids, item.options) if o.correct]
    correct = _sub(decl, "correctResponse")
    for i, o in right:
        _sub(correct, "value", text=(_number(float(o.text)) if o.kind == "value" else o.text) if (numeric or text) else i)
    if item.kind == "multiple":
        mapping = _sub(decl, "mapping", {"lowerBound": 0, "upperBound": _number(item.points), "defaultValue": 0})
        share = item.points / max(1, len(right))
        for i, o in zip(ids, item.options):
            _sub(mapping, "mapEntry", {"mapKey": i, "mappedValue": _number(share if o.correct else -share)})
    for ident, btype, default in (("SCORE", "float", 0), ("MAXSCORE", "float", _number(item.points))):
        out = _sub(root, "outcomeDeclaration", {"identifier": ident, "cardinality": "single", "baseType": btype})
        _sub(_sub(out, "defaultValue"), "value", text=str(default))
    fb_card = "multiple" if item.kind == "multiple" else "single"
    _sub(root, "outcomeDeclaration", {"identifier": "FEEDBACK", "cardinality": fb_card, "baseType": "identifier"})
    body = _sub(root, "itemBody")
    _sub(body, "p", text=item.text)
    if numeric or text:
        _sub(_sub(body, "p"), "textEntryInteraction", {"responseIdentifier": "RESPONSE", "expectedLength": 12})
    else:
        inter = _sub(
            body,
            "choiceInteraction",
            {"responseIdentifier": "RESPONSE", "shuffle": "false", "maxChoices": 0 if item.kind == "multiple" else 1},
        )
        for i, o in zip(ids, item.options):
            _sub(inter, "simpleChoice", {"identifier": i}, o.text)
    proc = _sub(root, "responseProcessing")
    if numeric or text:
        # Right answer first, then the wrong values with their own feedback, then the default.
        cond = _sub(proc, "responseCondition")
        first = True
        default_id = None
        for i, o in zip(ids, item.options):
            if o.kind == "default":
                default_id = i
                continue
            branch = _sub(cond, "responseIf" if first else "responseElseIf")
            first = False
            if o.kind == "range":
                both = _sub(branch, "and")
                gte = _sub(both, "gte")
                _sub(gte, "variable", {"identifier": "RESPONSE"})
                _sub(gte, "baseValue", {"baseType": "float"}, _number(o.low))
                lte = _sub(both, "lte")
                _sub(lte, "variable", {"identifier": "RESPONSE"})
                _sub(lte, "baseValue", {"baseType": "float"}, _number(o.high))
            elif o.kind == "value":
                tol = _number(o.tolerance)
                eq = _sub(branch, "equal", {"toleranceMode": "absolute", "tolerance": f"{tol} {tol}"})
                _sub(eq, "variable", {"identifier": "RESPONSE"})
                _sub(eq, "baseValue", {"baseType": "float"}, _number(float(o.text)))
            else:
                sm = _sub(branch, "stringMatch", {"caseSensitive": "false"})
                _sub(sm, "variable", {"identifier": "RESPONSE"})
                _sub(sm, "baseValue", {"baseType": "string"}, o.text)
            _set(branch, "SCORE", "float", _number(item.points if o.correct else 0))
            _set(branch, "FEEDBACK", "identifier", i)
        if default_id:
            other = _sub(cond, "responseElse")
            _set(other, "SCORE", "float", 0)
            _set(other, "FEEDBACK", "identifier", default_id)
    else:
        cond = _sub(proc, "responseCondition")
        if item.kind == "multiple":
            yes = _sub(cond, "responseIf")
            _sub(_sub(yes, "isNull"), "variable", {"identifier": "RESPONSE"})
            _set(yes, "SCORE", "float", 0)
            other = _sub(cond, "responseElse")
            mv = _sub(other, "setOutcomeValue", {"identifier": "SCORE"})
            _sub(mv, "mapResponse", {"identifier": "RESPONSE"})
        else:
            yes = _sub(cond, "responseIf")
            match = _sub(yes, "match")
            _sub(match, "variable", {"identifier": "RESPONSE"})
            _sub(match, "correct", {"identifier": "RESPONSE"})
            _set(yes, "SCORE", "float", _number(item.points))
            _set(_sub(cond, "responseElse"), "SCORE", "float", 0)
        fb = _sub(proc, "setOutcomeValue", {"identifier": "FEEDBACK"})
        _sub(fb, "variable", {"identifier": "RESPONSE"})
    for i, o in zip(ids, item.options):
        if o.feedback:
            _sub(root, "modalFeedback", {"outcomeIdentifier": "FEEDBACK", "identifier": i, "showHide": "show"}, o.feedback)
    return root


def _xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _lom_objectives(parent: ET.Element, item: Item) -> None:
    """IEEE LOM classification, purpose "educational objective", one taxon per objective (and the chapter)."""
    meta = ET.SubElement(parent, _q("metadata", IMSCP))
    lom = ET.SubElement(meta, _q("lom", IMSMD))
    general = ET.SubElement(lom, _q("general", IMSMD))
    ET.SubElement(ET.SubElement(general, _q("title", IMSMD)), _q("string", IMSMD)).text = item.title
    for tag in _tags(item):
        cls = ET.SubElement(lom, _q("classification", IMSMD))
        purpose = ET.SubElement(cls, _q("purpose", IMSMD))
        ET.SubElement(purpose, _q("source", IMSMD)).text = "LOMv1.0"
        ET.SubElement(purpose, _q("value", IMSMD)).text = "educational objective"
        ET.SubElement(ET.SubElement(cls, _q("description", IMSMD)), _q("string", IMSMD)).text = tag


def qti21_package(chapter: str, items: list[Item]) -> bytes:
    """A QTI 2.1 content package (Blackboard): one ``assessmentItem`` file per item, an ``assessmentTest``
    holding them in order, and ``imsmanifest.xml`` with each item's objectives."""
    ET.register_namespace("", QTI21)
    ET.register_namespace("xsi", XSI)
    ET.register_namespace("imsmd", IMSMD)
    files: dict[str, bytes] = {}
    test = ET.Element(_q("assessmentTest"), {"identifier": f"{chapter}-quiz", "title": _quiz_title(chapter)})
    part = _sub(test, "testPart", {"identifier": "part1", "navigationMode": "linear", "submissionMode": "individual"})
    section = _sub(part, "assessmentSection", {"identifier": "section1", "title": _quiz_title(chapter), "visible": "true"})
    for item in items:
        href = f"items/{item.ident}.xml"
        files[href] = _xml_bytes(_qti21_item(item))
        _sub(section, "assessmentItemRef", {"identifier": item.ident, "href": f"../{href}"})
    files["tests/test.xml"] = _xml_bytes(test)
    ET.register_namespace("", IMSCP)
    manifest = ET.Element(_q("manifest", IMSCP), {"identifier": f"{chapter}-manifest"})
    meta = ET.SubElement(manifest, _q("metadata", IMSCP))
    ET.SubElement(meta, _q("schema", IMSCP)).text = "QTIv2.1 Package"
    ET.SubElement(meta, _q("schemaversion", IMSCP)).text = "1.0.0"
    ET.SubElement(manifest, _q("organizations", IMSCP))
    resources = ET.SubElement(manifest, _q("resources", IMSCP))
    test_res = ET.SubElement(
        resources,
        _q("resource", IMSCP),
        {"identifier": f"{chapter}-test", "type": "imsqti_test_xmlv2p1", "href": "tests/test.xml"},
    )
    ET.SubElement(test_res, _q("file", IMSCP), {"href": "tests/test.xml"})
    for item in items:
        ET.SubElement(test_res, _q("dependency", IMSCP), {"identifierref": item.ident})
    for item in items:
        href = f"items/{item.ident}.xml"
        res = ET.SubElement(
            resources, _q("resource", IMSCP), {"identifier": item.ident, "type": "imsqti_item_xmlv2p1", "href": href}
        )
        _lom_objectives(res, item)
        ET.SubElement(res, _q("file", IMSCP), {"href": href})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("imsmanifest.xml", _xml_bytes(manifest))
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


# --- Moodle XML ---------------------------------------------------------------------------------


def _moodle_text(parent: ET.Element, tag: str, text: str, fmt: str = "html") -> ET.Element:
    el = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(el, "text").text = html.escape(text, quote=False) if fmt == "html" else text
    return el


def moodle_xml(chapter: str, items: list[Item]) -> bytes:
    """The quiz in Moodle XML: a category for the chapter, then one question per item with a feedback per
    answer and the chapter and objectives as tags."""
    quiz = ET.Element("quiz")
    cat = ET.SubElement(quiz, "question", {"type": "category"})
    ET.SubElement(ET.SubElement(cat, "category"), "text").text = f"$course$/KAP book/{chapter}"
    for item in items:
        qtype = {"single": "multichoice", "multiple": "multichoice", "numeric": "numerical", "text": "shortanswer"}[item.kind]
        q = ET.SubElement(quiz, "question", {"type": qtype})
        ET.SubElement(ET.SubElement(q, "name"), "text").text = item.title
        _moodle_text(q, "questiontext", item.text)
        _moodle_text(q, "generalfeedback", "")
        ET.SubElement(q, "defaultgrade").text = _number(item.points)
        ET.SubElement(q, "penalty").text = "0"
        ET.SubElement(q, "hidden").text = "0"
        ET.SubElement(q, "idnumber").text = item.ident
        if qtype == "multichoice":
            ET.SubElement(q, "single").text = "true" if item.kind == "single" else "false"
            ET.SubElement(q, "shuffleanswers").text = "0"
            ET.SubElement(q, "answernumbering").text = "abc"
            n_right = max(1, sum(o.correct for o in item.options))
        for o in item.options:
            if qtype == "multichoice":
                fraction = 100 if item.kind == "single" and o.correct else (round(100 / n_right, 5) if o.correct else 0)
                if item.kind == "multiple" and not o.correct:
                    fraction = -round(100 / n_right, 5)
                ans = _moodle_text(q, "answer", o.text)
                ans.set("fraction", _number(fraction))
            else:
                value = "*" if o.kind == "default" else o.text
                if o.kind == "range":
                    value = _number((o.low + o.high) / 2)
                ans = ET.SubElement(q, "answer", {"fraction": "100" if o.correct else "0", "format": "moodle_auto_format"})
                ET.SubElement(ans, "text").text = value
                if qtype == "numerical" and o.kind != "default":
                    tol = (o.high - o.low) / 2 if o.kind == "range" else o.tolerance
                    ET.SubElement(ans, "tolerance").text = _number(tol)
            _moodle_text(ans, "feedback", o.feedback)
        if qtype == "shortanswer":
            ET.SubElement(q, "usecase").text = "0"
        tags = ET.SubElement(q, "tags")
        for tag in _tags(item):
            ET.SubElement(ET.SubElement(tags, "tag"), "text").text = tag
    return _xml_bytes(quiz)


# --- writing ------------------------------------------------------------------------------------

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


# --- reading the packages back ------------------------------------------------------------------


def _html_text(markup: str | None) -> str:
    """Text of an HTML fragment as a reader sees it (tags dropped, references resolved, spaces collapsed)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup or "")).split())


def read_canvas(data: bytes) -> list[dict]:
    """Items of a Canvas QTI 1.2 zip: title, kind, text, points, options [(text, correct, feedback)] and, for a
    number, its accepted interval, right and wrong feedback."""
    ns = {"q": QTI12}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = [n for n in zf.namelist() if n.endswith(".xml") and "/" in n and not n.endswith("assessment_meta.xml")]
        root = ET.fromstring(zf.read(names[0]))
    items = []
    for it in root.iter(f"{{{QTI12}}}item"):
        fields = {
            f.findtext("q:fieldlabel", namespaces=ns): f.findtext("q:fieldentry", namespaces=ns)
            for f in it.iter(f"{{{QTI12}}}qtimetadatafield")
        }
        feedback = {
            fb.get("ident"): _html_text(fb.findtext(".//q:mattext", namespaces=ns)) for fb in it.iter(f"{{{QTI12}}}itemfeedback")
        }
        text = _html_text(it.find("q:presentation/q:material/q:mattext", ns).text)
        scored = set()
        for cond in it.iter(f"{{{QTI12}}}respcondition"):
            if any(s.get("varname") == "SCORE" and float(s.text) > 0 for s in cond.iter(f"{{{QTI12}}}setvar")):
                scored |= {v.text for v in cond.iter(f"{{{QTI12}}}varequal")}
        entry = {
            "title": it.get("title"),
            "type": fields.get("question_type"),
            "points": float(fields.get("points_possible", "nan")),
            "text": text,
        }
        if fields.get("question_type") == "numerical_question":
            lo = [float(v.text) for v in it.iter(f"{{{QTI12}}}vargte")]
            hi = [float(v.text) for v in it.iter(f"{{{QTI12}}}varlte")]
            exact = [float(v.text) for v in it.iter(f"{{{QTI12}}}varequal")]
            entry["interval"] = (min(lo), max(hi)) if lo else (exact[0], exact[0])
            entry["right_feedback"] = feedback.get("correct_fb", "")
            entry["wrong_feedback"] = feedback.get("general_incorrect_fb", "")
        else:
            entry["options"] = [
                (
                    _html_text(label.findtext(".//q:mattext", namespaces=ns)),
                    label.get("ident") in scored,
                    feedback.get(f"{label.get('ident')}_fb", ""),
                )
                for label in it.iter(f"{{{QTI12}}}response_label")
            ]
        items.append(entry)
    return items


def read_qti21(data: bytes) -> list[dict]:
    """Items of a QTI 2.1 package in the test's order: identifier, title, kind, text, points, objectives and
    options (text, correct, feedback) or, for numbers and short answers, (value, tolerance, correct, feedback)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        manifest = ET.fromstring(zf.read("imsmanifest.xml"))
        objectives = {}
        for res in manifest.iter(_q("resource", IMSCP)):
            if res.get("type") == "imsqti_item_xmlv2p1":
                objectives[res.get("href")] = [s.text for s in res.iter(_q("string", IMSMD))][1:]  # after the title
        test_href = next(r.get("href") for r in manifest.iter(_q("resource", IMSCP)) if r.get("type") == "imsqti_test_xmlv2p1")
        test = ET.fromstring(zf.read(test_href))
        hrefs = [
            str(Path(test_href).parent / ref.get("href")).replace("tests/../", "") for ref in test.iter(_q("assessmentItemRef"))
        ]
        items = []
        for href in hrefs:
            root = ET.fromstring(zf.read(href))
            feedback = {m.get("identifier"): m.text or "" for m in root.iter(_q("modalFeedback"))}
            decl = root.find(_q("responseDeclaration"))
            correct = [v.text for v in decl.iter(_q("value"))]
            maxscore = next(o for o in root.iter(_q("outcomeDeclaration")) if o.get("identifier") == "MAXSCORE")
            entry = {
                "identifier": root.get("identifier"),
                "title": root.get("title"),
                "cardinality": decl.get("cardinality"),
                "baseType": decl.get("baseType"),
                "text": root.find(_q("itemBody")).find(_q("p")).text,
                "points": float(maxscore.find(f"{_q('defaultValue')}/{_q('value')}").text),
                "objectives": objectives.get(href, []),
            }
            choices = list(root.iter(_q("simpleChoice")))
            if choices:
                entry["options"] = [
                    (c.text, c.get("identifier") in correct, feedback.get(c.get("identifier"), "")) for c in choices
                ]
            else:
                options = []
                for branch in root.find(_q("responseProcessing")).find(_q("responseCondition")):
                    ident = next(
                        s.find(_q("baseValue")).text
                        for s in branch.iter(_q("setOutcomeValue"))
                        if s.get("identifier") == "FEEDBACK"
                    )
                    score = next(
                        float(s.find(_q("baseValue")).text)
                        for s in branch.iter(_q("setOutcomeValue"))
                        if s.get("identifier") == "SCORE"
                    )
                    eq = branch.find(_q("equal"))
                    if eq is not None:
                        value = (float(eq.find(_q("baseValue")).text), float(eq.get("tolerance").split()[0]))
                    elif branch.find(_q("and")) is not None:
                        value = tuple(float(b.text) for b in branch.iter(_q("baseValue")) if b.get("baseType") == "float")[:2]
                    elif branch.find(_q("stringMatch")) is not None:
                        value = (branch.find(_q("stringMatch")).find(_q("baseValue")).text,)
                    else:
                        value = ("default",)
                    options.append((value, score > 0, feedback.get(ident, "")))
                entry["responses"] = options
            items.append(entry)
    return items


def read_moodle(data: bytes) -> list[dict]:
    """Questions of a Moodle XML file: name, type, text, points, tags and answers (text, fraction, tolerance, feedback)."""
    root = ET.fromstring(data)
    items = []
    for q in root.findall("question"):
        if q.get("type") == "category":
            continue
        items.append(
            {
                "name": q.findtext("name/text"),
                "idnumber": q.findtext("idnumber"),
                "type": q.get("type"),
                "single": q.findtext("single"),
                "text": html.unescape(q.findtext("questiontext/text") or ""),
                "points": float(q.findtext("defaultgrade")),
                "tags": [t.text for t in q.findall("tags/tag/text")],
                "answers": [
                    (
                        html.unescape(a.findtext("text") or "") if a.get("format") == "html" else a.findtext("text"),
                        float(a.get("fraction")),
                        float(a.findtext("tolerance")) if a.find("tolerance") is not None else None,
                        html.unescape(a.findtext("feedback/text") or ""),
                    )
                    for a in q.findall("answer")
                ],
            }
        )
    return items


def expected_items(chapter: str, platform: str) -> list[dict]:
    """What :func:`read_canvas`, :func:`read_qti21` or :func:`read_moodle` should give for ``chapter``'s quiz
    (``platform`` "canvas", "blackboard" or "moodle"), built from the quiz file alone."""
    out = []
    for item in quiz_items(chapter):
        tags = _tags(item)
        one = lambda s: " ".join(s.split())  # noqa: E731
        if platform == "canvas":
            kind = {
                "single": "multiple_choice_question",
                "multiple": "multiple_answers_question",
                "numeric": "numerical_question",
                "text": "short_answer_question",
            }[item.kind]
            entry = {"title": one(item.canvas_title), "type": kind, "points": float(item.points), "text": one(item.text)}
            if item.kind == "numeric":
                key = next(o for o in item.options if o.correct)
                low, high = _canvas_interval(key)
                entry["interval"] = (round(low, 4), round(high, 4))
                entry["right_feedback"] = one(key.feedback)
                wrong = [f"If you answered {o.text}: {o.feedback}" for o in item.options if not o.correct and o.kind != "default"]
                entry["wrong_feedback"] = one(" ".join(wrong + [o.feedback for o in item.options if o.kind == "default"]))
            else:
                entry["options"] = [(one(o.text), o.correct, one(o.feedback)) for o in item.options]
        elif platform == "blackboard":
            entry = {
                "identifier": item.ident,
                "title": item.title,
                "cardinality": "multiple" if item.kind == "multiple" else "single",
                "baseType": {"numeric": "float", "text": "string"}.get(item.kind, "identifier"),
                "text": item.text,
                "points": float(item.points),
                "objectives": tags,
            }
            if item.kind in ("single", "multiple"):
                entry["options"] = [(o.text, o.correct, o.feedback) for o in item.options]
            else:
                responses = [o for o in item.options if o.kind != "default"] + [o for o in item.options if o.kind == "default"]
                entry["responses"] = [
                    (
                        (float(o.text), o.tolerance)
                        if o.kind == "value"
                        else (o.low, o.high)
                        if o.kind == "range"
                        else (o.text,)
                        if o.kind == "text"
                        else ("default",),
                        o.correct,
                        o.feedback,
                    )
                    for o in responses
                ]
        else:
            entry = {
                "name": item.title,
                "idnumber": item.ident,
                "type": {"numeric": "numerical", "text": "shortanswer"}.get(item.kind, "multichoice"),
                "single": {"single": "true", "multiple": "false"}.get(item.kind),
                "text": item.text,
                "points": float(item.points),
                "tags": tags,
            }
            answers = []
            n_right = max(1, sum(o.correct for o in item.options))
            for o in item.options:
                if item.kind in ("single", "multiple"):
                    frac = (100.0 if item.kind == "single" else round(100 / n_right, 5)) if o.correct else 0.0
                    if item.kind == "multiple" and not o.correct:
                        frac = -round(100 / n_right, 5)
                    answers.append((o.text, frac, None, o.feedback))
                elif o.kind == "default":
                    answers.append(("*", 0.0, None if item.kind == "text" else None, o.feedback))
                elif o.kind == "range":
                    answers.append((_number((o.low + o.high) / 2), 100.0 if o.correct else 0.0, (o.high - o.low) / 2, o.feedback))
                else:
                    tol = o.tolerance if item.kind == "numeric" else None
                    answers.append((o.text, 100.0 if o.correct else 0.0, tol, o.feedback))
            entry["answers"] = answers
        out.append(entry)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m book.lms",
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
