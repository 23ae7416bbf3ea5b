"""Canvas: a chapter quiz as a QTI 1.2 zip, written by text2qti (see :mod:`book.teaching.lms`)."""

from __future__ import annotations

from .items import Item, Option, _number, _quiz_title

QTI12 = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"


_MARKUP = set("&<>\"'*_`[]\\-.!#+|~{}$%=:^")


def _t2q(text: str) -> str:
    """Text for text2qti that comes out as itself: every mark its Markdown or smart quotes would change is a
    character reference (the HTML it writes shows the same characters)."""
    return "".join(f"&#{ord(c)};" if c in _MARKUP else c for c in " ".join(text.split()))


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
