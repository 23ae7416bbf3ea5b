"""Self-marking quizzes, one per chapter, kept as data in ``chapters/quizzes/<chapter>.json``.

The quizzes use jupyterquiz, which renders them with JavaScript inside the notebook's output: they
work in JupyterLab and on the static site, offline, with no kernel. :func:`load_quiz` checks a quiz
file (at least five questions; every option of every question carries an explanation).
"""

from __future__ import annotations

import json
import random
import re

from ..paths import QUIZ_DIR

__all__ = ["QUIZ_DIR", "load_quiz", "show_quiz", "offline_quiz_script", "display_quiz_offline", "CONTRAST_COLORS"]


def load_quiz(chapter: str, folder=None) -> list[dict]:
    """The questions of a chapter's quiz, checked; a clear message if the file is missing or malformed.
    ``folder``: where the quiz files are (default ``chapters/quizzes``; the whole-book tests are in ``assessment/quizzes``)."""
    folder = QUIZ_DIR if folder is None else folder
    path = folder / f"{chapter}.json"
    if not path.is_file():
        known = sorted(p.stem for p in folder.glob("*.json") if not p.name.endswith(".meta.json"))  # no sidecars
        raise FileNotFoundError(f"No quiz for chapter {chapter!r} (looked for {path}). Quizzes: {', '.join(known)}.")
    try:
        questions = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path.name} is not valid JSON: {exc}") from None
    problems = []
    if not isinstance(questions, list) or len(questions) < 5:
        problems.append("a quiz needs a list of at least five questions")
    for i, q in enumerate(questions if isinstance(questions, list) else [], start=1):
        if q.get("type") not in {"multiple_choice", "many_choice", "numeric", "string"}:
            problems.append(f"question {i}: unknown type {q.get('type')!r}")
        answers = q.get("answers", [])
        if not any(a.get("correct") for a in answers):
            problems.append(f"question {i}: no answer is marked correct")
        for j, a in enumerate(answers, start=1):
            if not str(a.get("feedback", "")).strip():
                problems.append(f"question {i}, option {j}: no explanation (feedback)")
    if problems:
        raise ValueError(f"{path.name}: " + "; ".join(problems))
    return questions


#: jupyterquiz's script loads MathJax from a CDN when the page has a MathJax without ``typeset`` (as
#: JupyterLab does): a request to another host, which fails offline. The book's quizzes hold no TeX.
_MATHJAX_FROM_CDN = re.compile(
    r"\(function \(\) \{\s*var script = document\.createElement\('script'\);\s*"
    r"script\.src = 'https://cdn\.jsdelivr\.net/npm/mathjax@3/es5/tex-svg\.js';\s*"
    r"script\.async = true;\s*document\.head\.appendChild\(script\);\s*\}\)\(\);"
)


#: jupyterquiz's test for MathJax, before it reads ``MathJax.version[0]``. JupyterLab 4 has a ``window.MathJax`` that
#: has no ``version`` (at times: also half a second after a quiz is drawn, when jupyterquiz looks again), so quizzes
#: threw a TypeError there (tests/test_jupyterlab.py fails on any page error): a MathJax without a version is treated
#: as no MathJax (the quizzes hold no TeX to typeset), and the version is read as a string wherever it is read.
_MATHJAX_PRESENT = re.compile(r"typeof MathJax !==? 'undefined'")
_MATHJAX_VERSION = re.compile(r"\b(var|const|let) (\w+) = MathJax\.version;")


def offline_quiz_script(script: str) -> str:
    """jupyterquiz's JavaScript without its MathJax loader from a CDN (the quizzes then typeset no TeX, and hold
    none), and using MathJax only when it has a version (:data:`_MATHJAX_PRESENT`, :data:`_MATHJAX_VERSION`). Fails
    loudly if jupyterquiz's script still names another host (a new version)."""
    offline = _MATHJAX_FROM_CDN.sub("/* the book: no MathJax from a CDN (its quizzes hold no TeX) */", script)
    offline = _MATHJAX_PRESENT.sub("typeof MathJax != 'undefined' && typeof MathJax.version == 'string'", offline)
    offline = _MATHJAX_VERSION.sub(r"\1 \2 = String(MathJax.version);", offline)
    if re.search(r"https?://", offline):
        raise RuntimeError(
            "jupyterquiz's script loads something from another host that book/quiz.py does not remove; see offline_quiz_script()"
        )
    return offline


#: The keyed colour of jupyterquiz's many-choice items, darker than its default, for contrast.
CONTRAST_COLORS = {"--jq-many-choice-bg": "#9c3a00"}


def display_quiz_offline(source, seed: str, colors: dict | None = None) -> None:
    """Display ``source`` (a quiz file's path or a list of jupyterquiz items) with jupyterquiz: options in the given
    order, the element id drawn from ``random`` seeded with ``seed`` (so a stored output does not change from one run
    to the next), and its script without anything from another host (:func:`offline_quiz_script`). The one place that
    wraps jupyterquiz's display; the chapter quizzes, practice items, appraisal practice and website checks use it."""
    import jupyterquiz.dynamic.display as quiz_display
    from IPython.display import Javascript, display

    def display_offline(obj, *args, **kwargs):
        if isinstance(obj, Javascript):
            obj = Javascript(offline_quiz_script(obj.data))
        display(obj, *args, **kwargs)

    state = random.getstate()
    random.seed(seed)  # jupyterquiz draws its element id from `random`
    original = quiz_display.display
    quiz_display.display = display_offline
    try:
        quiz_display.display_quiz(source, shuffle_answers=False, **({"colors": colors} if colors else {}))
    finally:
        quiz_display.display = original
        random.setstate(state)


def show_quiz(chapter: str, folder=None) -> None:
    """Display the chapter's quiz (see :func:`display_quiz_offline`), in JupyterLab as on the site."""
    folder = QUIZ_DIR if folder is None else folder
    load_quiz(chapter, folder)
    display_quiz_offline(str(folder / f"{chapter}.json"), chapter, CONTRAST_COLORS)
