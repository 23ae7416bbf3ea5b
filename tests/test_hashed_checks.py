"""Website checks of the fixed-answer exercises (book.teaching.hashed_checks, book/site/static/kap-check.js).

Unit tests of the item (digests and sealed explanations, never the key or an explanation in plain text) and of its
output; a browser test of the script against Python (the normalisations, the digests, and for every option of every
fixed-answer exercise the kernel check's exact message); a test on the built site (wrong, then right)."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from book.site.mime import check_html
from book.teaching.answer_key import load_instructor_keys
from book.teaching.answers import _SALT, ANSWERS, HashedAnswer, digest, hashed_answers, normal_number
from book.teaching.checks import _as_number, normal_choice, normal_text
from book.teaching.hashed_checks import CHECK_MIME, CHECK_SCRIPT, check_script, hashed_item, seal, show_hashed_check, unseal

KEYS = load_instructor_keys()
FIXED = sorted(label for label, entry in ANSWERS.items() if isinstance(entry, HashedAnswer))
#: Made-up fixed answers of the other two kinds (no exercise uses them yet), to test the script on them too.
OTHER_KINDS = hashed_answers(
    {
        "ex-test-number": {
            "kind": "number",
            "digests": [digest("ex-test-number", "12.50")],
            "decimals": 2,
            "unit": "mg",
            "hint": "Divide, then round.",
        },
        "ex-test-text": {"kind": "text", "digests": [digest("ex-test-text", "active control")], "hint": "Two words."},
    }
)


def _plain(label: str) -> str:
    return KEYS[label]["answer"]


# --- the item and its output ---------------------------------------------------------------------------------


def test_every_fixed_answer_is_a_choice_with_an_item():
    assert FIXED and set(FIXED) == {k for k in KEYS if not k.startswith("_")}
    for label in FIXED:
        item = hashed_item(label)
        entry = ANSWERS[label]
        assert set(item) == {"label", "kind", "question", "options", "digests", "sealed", "hint", "unit", "decimals"}
        assert item["digests"] == sorted(entry.digests) and digest(label, _plain(label)) in item["digests"]
        assert set(item["sealed"]) == set(entry.options)  # every option sealed, so which has one says nothing
        for option, sealed in item["sealed"].items():
            assert unseal(label, option, sealed) == entry.explanations[option]


@pytest.mark.parametrize("label", FIXED)
def test_the_output_holds_no_key_and_no_explanation(label):
    item = hashed_item(label)
    faces = [json.dumps(item, ensure_ascii=False), check_script(item), check_html(item, "kap-check-1-0")]
    for face in faces:
        for why in ANSWERS[label].explanations.values():
            assert why not in face
        assert not re.search(r"answer[\"']?\s*[:=]", face.split("window.KapCheck.mount")[-1])  # no key field
    assert check_html(item, "x").count("<script") == 1 and "</script>" not in check_html(item, "x").split(">", 2)[-1][:-9]


def test_a_seal_depends_on_the_label_and_the_option():
    text = "The same explanation."
    sealed = {seal(label, option, text) for label in ("ex-a", "ex-b") for option in "abc"}
    assert len(sealed) == 6 and all(unseal("ex-a", "b", seal("ex-a", "b", t)) == t for t in (text, "é" * 70, ""))


def test_show_hashed_check_displays_three_faces(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append((obj, raw)))
    show_hashed_check("ex-other-garel")
    ((bundle, raw),) = shown
    assert raw and set(bundle) == {CHECK_MIME, "application/javascript", "text/plain"}
    assert bundle[CHECK_MIME] == hashed_item("ex-other-garel")
    assert bundle["application/javascript"].startswith(CHECK_SCRIPT.read_text(encoding="utf-8"))
    with pytest.raises(ValueError, match="no fixed answer"):
        hashed_item("ex-outlook-size")


def test_the_script_uses_the_salt_and_loads_nothing():
    script = CHECK_SCRIPT.read_text(encoding="utf-8")
    assert f'var SALT = "{_SALT}";' in script
    assert not re.search(r"https?://|fetch\(|XMLHttpRequest|import\(", script)


# --- the script against Python, in a browser ----------------------------------------------------------------

NUMBERS = [
    0.0,
    -0.0,
    2.5,
    3.5,
    0.125,
    0.375,
    12.5,
    -0.4,
    -0.5,
    1 / 3,
    2 / 3,
    1e-5,
    0.0001,
    123456.5,
    999999.5,
    1234565.0,
    123456789.0,
    1e21,
    1.5e300,
    5e-324,
    -2.675,
    1.005,
    float("inf"),
    float("-inf"),
    float("nan"),
]
TEXTS = [
    " 12 ",
    "12 %",
    "1,234.5",
    "1_000",
    "1__0",
    ".5",
    "5.",
    "-.5e2",
    "1e",
    "abc",
    "",
    "  ",
    "+inf",
    "-Infinity",
    "NaN",
    "0x10",
    "١٢",
    "12%%",
    " 3,5 % ",
]
WORDS = [
    "  Active-Control. ",
    "ACTIVE   control",
    "active\u00a0control..",
    "active\x1ccontrol",
    "active\ufeffcontrol",
    "-x-",
    " (B) ",
    "(b",
    "B)",
    "((c))",
    "a b",
    "",
]


@pytest.fixture(scope="module")
def script_page(browser):
    """A blank page on a local origin (a secure context, as the site is) with kap-check.js loaded; no network."""
    context = browser.new_context()
    page = context.new_page()
    script = CHECK_SCRIPT.read_text(encoding="utf-8")

    def fulfil(route):
        is_js = route.request.url.endswith(".js")
        body = script if is_js else '<!doctype html><html lang="en"><title>t</title><script src="/kap-check.js"></script>'
        route.fulfill(body=body, content_type="text/javascript" if is_js else "text/html")

    page.route("http://127.0.0.1:9/**", fulfil)
    page.goto("http://127.0.0.1:9/")
    assert page.evaluate("isSecureContext && typeof KapCheck === 'object'")
    yield page
    context.close()


def _js(page, expression: str, arg):
    return page.evaluate(f"async (arg) => {expression}", arg)


def test_normalisations_match_python(script_page):
    got = _js(
        script_page,
        "arg.map(s => { const v = Number(s); return [0, 1, 2, 3].map(d => KapCheck.normalNumber(v, d))"
        ".concat([KapCheck.general(v)]); })",
        [repr(x).replace("inf", "Infinity").replace("nan", "NaN") for x in NUMBERS],
    )
    want = [[normal_number(x, d) for d in range(4)] + [f"{x:g}"] for x in NUMBERS]
    assert got == want
    parsed = _js(script_page, "arg.map(s => { const v = KapCheck.asNumber(s); return v === null ? null : String(v); })", TEXTS)
    expected = [None if (v := _as_number(t)) is None else repr(v).replace("inf", "Infinity").replace("nan", "NaN") for t in TEXTS]
    assert [None if p is None else repr(float(p)) for p in parsed] == [None if e is None else repr(float(e)) for e in expected]
    assert _js(script_page, "arg.map(KapCheck.normalText)", WORDS) == [normal_text(w) for w in WORDS]
    assert _js(script_page, "arg.map(KapCheck.normalChoice)", WORDS) == [normal_choice(w) for w in WORDS]


def _item_of(entry: HashedAnswer) -> dict:
    return {
        "kind": entry.kind,
        "options": list(entry.options),
        "digests": sorted(entry.digests),
        "sealed": {},
        "hint": entry.hint,
        "unit": entry.unit,
        "decimals": entry.decimals,
        "question": "?",
    }


def _python_feedback(entry: HashedAnswer, answer: str) -> dict:
    feedback = entry.check(answer)
    return {"correct": feedback.correct, "message": feedback.message}


def test_every_option_of_every_fixed_answer_gets_the_kernel_feedback(script_page):
    cases = []
    for label in FIXED:
        entry = ANSWERS[label]
        for option in entry.options:
            for typed in (option, f" ({option.upper()}) "):
                cases.append((hashed_item(label), typed, _python_feedback(entry, typed)))
        cases.append((hashed_item(label), "e", _python_feedback(entry, "e")))
    got = _js(script_page, "Promise.all(arg.map(([item, typed]) => KapCheck.judge(item, typed)))", [c[:2] for c in cases])
    assert got == [c[2] for c in cases]
    # The plain keys are accepted, every other option refused with its own explanation.
    for (item, typed, _), verdict in zip(cases, got):
        label = item["label"]
        if typed in ANSWERS[label].options:
            assert verdict["correct"] == (typed == _plain(label))
            assert KEYS[label]["explanations"][typed] in verdict["message"]


def test_number_and_text_answers_get_the_kernel_feedback(script_page):
    typed = {
        "ex-test-number": ["12.5", "12.499", "12.504", " 12.5 % ", "12,5", "abc", "1e1"],
        "ex-test-text": ["Active-control.", "active  CONTROL", "placebo", "'quoted' word"],
    }
    cases = [(label, t) for label, ts in typed.items() for t in ts]
    items = {label: {**_item_of(entry), "label": label} for label, entry in OTHER_KINDS.items()}
    got = _js(script_page, "Promise.all(arg.map(([item, t]) => KapCheck.judge(item, t)))", [[items[lb], t] for lb, t in cases])
    assert got == [_python_feedback(OTHER_KINDS[lb], t) for lb, t in cases]


# --- on the built site -------------------------------------------------------------------------------------------


def test_a_fixed_choice_is_checked_on_the_site_wrong_then_right(open_page, site_url):
    label = "ex-other-garel"
    entry, key = ANSWERS[label], _plain(label)
    wrong = next(o for o in entry.options if o != key)
    visit = open_page("chapters/other-substances.html").settle()
    form = visit.page.locator(f'form.kap-check[data-label="{label}"]')
    form.scroll_into_view_if_needed()
    feedback = form.locator(".kap-check-feedback")
    assert feedback.get_attribute("aria-live") == "polite"
    source = visit.page.content()  # before answering: no explanation anywhere in the page
    assert not [why for why in entry.explanations.values() if why in source]
    form.get_by_label(f"({wrong})").check()
    form.get_by_role("button", name="Check").click()
    expect(feedback).to_have_class(re.compile("kap-check-wrong"))
    expect(feedback).to_have_text("Not yet. " + entry.check(wrong).message)
    form.get_by_label(f"({key})").focus()  # by keyboard: choose, then Enter submits the form
    visit.page.keyboard.press("Space")
    visit.page.keyboard.press("Enter")
    expect(feedback).to_have_class(re.compile("kap-check-right"))
    expect(feedback).to_have_text("Right. " + entry.check(key).message)
    scripts = visit.page.locator("script[src*='_static/kap-check.js']")
    assert scripts.count() == 1
    assert not visit.foreign_requests(site_url) and not visit.errors, visit.errors
