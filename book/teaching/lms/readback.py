"""The packages read back (:func:`read_canvas`, :func:`read_qti21`, :func:`read_moodle`) and what each should
give for a quiz file (:func:`expected_items`): the round trip the tests check."""

from __future__ import annotations

import html
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from .canvas import QTI12, _canvas_interval
from .items import _number, _tags, quiz_items
from .qti21 import IMSCP, IMSMD, _q


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
