"""Blackboard: a chapter quiz as an IMS QTI 2.1 content package, written with ``xml.etree`` from the
specification (see :mod:`book.teaching.lms` for why not a library)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile

from .items import Item, _number, _quiz_title, _tags

QTI21 = "http://www.imsglobal.org/xsd/imsqti_v2p1"
IMSCP = "http://www.imsglobal.org/xsd/imscp_v1p1"
IMSMD = "http://ltsc.ieee.org/xsd/LOM"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


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


def _value_processing(proc: ET.Element, item: Item, ids: list[str]) -> None:
    """A number or a short answer: the right answer first, then the wrong values with their own feedback, then
    the default."""
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
        _value_processing(proc, item, ids)
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
