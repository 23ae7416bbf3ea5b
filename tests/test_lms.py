"""book.teaching.lms (python -m book lms): the chapter quizzes as Canvas (QTI 1.2), Blackboard (QTI 2.1) and Moodle XML packages.

No QTI schema (XSD) ships with text2qti or qti-package-maker or is otherwise available offline, so each package
is parsed and its structure checked (namespaces, manifest files present, every feedback and response referenced
exists), and every package is read back and compared with the quiz files (round trip).
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
import zipfile

import pytest

from book.teaching import lms, quiz
from book.teaching.lms import items as lms_items
from book.teaching.quiz import load_quiz

PLATFORMS = {"canvas": lms.read_canvas, "blackboard": lms.read_qti21, "moodle": lms.read_moodle}


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    out = tmp_path_factory.mktemp("lms")
    assert lms.main(["--out", str(out)]) == 0
    return out


def _data(packages, chapter, platform):
    return (packages / chapter / lms.PACKAGES[platform]).read_bytes()


def test_every_quiz_gets_three_packages_with_every_item(packages):
    chapters = lms.quiz_chapters()
    assert len(chapters) >= 11
    for chapter in chapters:
        n = len(load_quiz(chapter))
        for platform, reader in PLATFORMS.items():
            assert len(reader(_data(packages, chapter, platform))) == n, (chapter, platform)


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_round_trip_gives_the_quiz_files_items_options_keys_and_feedback(packages, platform):
    for chapter in lms.quiz_chapters():
        got = PLATFORMS[platform](_data(packages, chapter, platform))
        assert got == lms.expected_items(chapter, platform), (chapter, platform)


def test_expected_items_follow_the_quiz_file_itself():
    # Guards the round trip: expected_items is built from the quiz file, not from a package.
    for chapter in lms.quiz_chapters():
        questions = load_quiz(chapter)
        for q, moodle in zip(questions, lms.expected_items(chapter, "moodle")):
            assert moodle["text"] == q["question"].strip()
            assert [a[3] for a in moodle["answers"]] == [a["feedback"].strip() for a in q["answers"]]
            if q["type"] == "multiple_choice":
                assert [a[0] for a in moodle["answers"]] == [a["answer"] for a in q["answers"]]
                assert [a[1] > 0 for a in moodle["answers"]] == [bool(a.get("correct")) for a in q["answers"]]
            assert moodle["points"] == lms.POINTS


def test_canvas_package_structure(packages):
    ns = {"q": lms.QTI12}
    for chapter in lms.quiz_chapters():
        with zipfile.ZipFile(io.BytesIO(_data(packages, chapter, "canvas"))) as zf:
            names = set(zf.namelist())
            manifest = ET.fromstring(zf.read("imsmanifest.xml"))
            hrefs = {f.get("href") for f in manifest.iter("{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}file")}
            assert hrefs and hrefs <= names
            xml = [n for n in names if n.endswith(".xml") and "/" in n and not n.endswith("assessment_meta.xml")]
            root = ET.fromstring(zf.read(xml[0]))
        assert root.tag == f"{{{lms.QTI12}}}questestinterop"
        for item in root.iter(f"{{{lms.QTI12}}}item"):
            feedback_ids = {fb.get("ident") for fb in item.iter(f"{{{lms.QTI12}}}itemfeedback")}
            links = {d.get("linkrefid") for d in item.iter(f"{{{lms.QTI12}}}displayfeedback")}
            assert links <= feedback_ids, item.get("title")
            labels = {r.get("ident") for r in item.iter(f"{{{lms.QTI12}}}response_label")}
            fields = [f.findtext("q:fieldlabel", namespaces=ns) for f in item.iter(f"{{{lms.QTI12}}}qtimetadatafield")]
            assert "points_possible" in fields
            if labels - {"answer1"}:
                assert {v.text for v in item.iter(f"{{{lms.QTI12}}}varequal")} <= labels


def test_qti21_package_structure(packages):
    for chapter in lms.quiz_chapters():
        with zipfile.ZipFile(io.BytesIO(_data(packages, chapter, "blackboard"))) as zf:
            names = set(zf.namelist())
            manifest = ET.fromstring(zf.read("imsmanifest.xml"))
            assert manifest.tag == f"{{{lms.IMSCP}}}manifest"
            resources = list(manifest.iter(f"{{{lms.IMSCP}}}resource"))
            ids = [r.get("identifier") for r in resources]
            assert len(ids) == len(set(ids))
            for r in resources:
                assert r.get("href") in names
                for dep in r.iter(f"{{{lms.IMSCP}}}dependency"):
                    assert dep.get("identifierref") in ids
            for r in resources:
                root = ET.fromstring(zf.read(r.get("href")))
                if r.get("type") == "imsqti_test_xmlv2p1":
                    assert root.tag == f"{{{lms.QTI21}}}assessmentTest"
                    continue
                assert root.tag == f"{{{lms.QTI21}}}assessmentItem"
                assert root.get("identifier") == r.get("identifier")
                declared = {d.get("identifier") for d in root if d.tag.endswith("Declaration")}
                assert {"RESPONSE", "SCORE", "MAXSCORE", "FEEDBACK"} <= declared
                for el in root.iter():
                    for attr in ("responseIdentifier", "outcomeIdentifier"):
                        if el.get(attr):
                            assert el.get(attr) in declared
                # Every feedback can be shown: its identifier is a choice or is set by response processing.
                choices = {c.get("identifier") for c in root.iter(f"{{{lms.QTI21}}}simpleChoice")}
                set_values = {b.text for b in root.iter(f"{{{lms.QTI21}}}baseValue") if b.get("baseType") == "identifier"}
                feedback = [m.get("identifier") for m in root.iter(f"{{{lms.QTI21}}}modalFeedback")]
                assert feedback and set(feedback) <= choices | set_values
                # Elements in the order QTI 2.1 requires.
                order = [child.tag.split("}")[1] for child in root]
                assert order.index("itemBody") < order.index("responseProcessing") < order.index("modalFeedback")


def test_moodle_xml_structure(packages):
    for chapter in lms.quiz_chapters():
        root = ET.fromstring(_data(packages, chapter, "moodle"))
        assert root.tag == "quiz"
        questions = root.findall("question")
        assert questions[0].get("type") == "category"
        for q in questions[1:]:
            assert q.get("type") in {"multichoice", "numerical", "shortanswer"}
            assert q.findtext("name/text") and q.findtext("questiontext/text")
            fractions = [float(a.get("fraction")) for a in q.findall("answer")]
            assert max(fractions) == 100 or sum(f for f in fractions if f > 0) == pytest.approx(100)
            assert all(a.find("feedback/text") is not None for a in q.findall("answer"))
            assert f"chapter: {chapter}" in [t.text for t in q.findall("tags/tag/text")]


def test_items_carry_their_objectives_from_the_item_or_a_sidecar(tmp_path, monkeypatch):
    questions = json.loads((lms_items.QUIZ_DIR / "alcohol.json").read_text(encoding="utf-8"))
    questions[0]["objectives"] = [1, "3"]
    (tmp_path / "alcohol.json").write_text(json.dumps(questions), encoding="utf-8")
    (tmp_path / "alcohol.meta.json").write_text(json.dumps({"items": [{}, {"objectives": [2]}]}), encoding="utf-8")
    monkeypatch.setattr(lms_items, "QUIZ_DIR", tmp_path)
    monkeypatch.setattr(quiz, "QUIZ_DIR", tmp_path)
    assert lms.quiz_chapters() == ["alcohol"]
    objectives = lms.chapter_objectives("alcohol")
    assert len(objectives) >= 3 and "{term}" not in " ".join(objectives)
    items = lms.quiz_items("alcohol")
    assert items[0].objectives == (f"Objective 1: {objectives[0]}", f"Objective 3: {objectives[2]}")
    assert items[1].objectives == (f"Objective 2: {objectives[1]}",)
    assert items[2].objectives == ()
    qti = lms.read_qti21(lms.qti21_package("alcohol", items))
    assert qti[0]["objectives"] == ["chapter: alcohol", *items[0].objectives]
    moodle = lms.read_moodle(lms.moodle_xml("alcohol", items))
    assert moodle[1]["tags"] == ["chapter: alcohol", *items[1].objectives]
    canvas = lms.read_canvas(lms.canvas_package("alcohol", items))
    assert canvas[0]["title"] == "alcohol Q1 [Objective 1, Objective 3]" and canvas == lms.expected_items("alcohol", "canvas")


def test_unknown_chapter_exits_2(tmp_path, capsys):
    assert lms.main(["--out", str(tmp_path), "--chapter", "no-such-chapter"]) == 2
    assert "No quiz" in capsys.readouterr().err
