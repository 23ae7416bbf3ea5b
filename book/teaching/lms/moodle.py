"""Moodle: a chapter quiz as Moodle XML (``multichoice``/``numerical``/``shortanswer``, feedback per answer,
objectives as tags), written with ``xml.etree``."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET

from .items import Item, _number, _tags
from .qti21 import _xml_bytes


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
