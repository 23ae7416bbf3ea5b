"""Numbers written in text (digits or words), and whether a figure stands in a verbatim quote."""

from __future__ import annotations

import math
import re

__all__ = ["numbers_in_text", "number_in_quote"]

_UNITS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
_WORD_NUMBER = re.compile(
    r"\b(?:(?P<h>" + "|".join(_UNITS) + r")[\s-]+hundred(?:[\s-]+and)?[\s-]*)?"
    r"(?P<t>" + "|".join(_TENS) + r")?(?:[\s-]*(?P<u>" + "|".join(_UNITS) + r"))?\b",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|(?<![\w\d])\.\d+")


def numbers_in_text(text: str) -> set[float]:
    """Every number written in ``text``, as digits ('48.2', '.47', '1,234') or in words ('fifty-five').

    Signs are dropped (a quote may print a minus sign as '−' or as a hyphen), so the set holds
    absolute values.
    """
    found: set[float] = set()
    for m in _DIGITS.finditer(text):
        found.add(float(m.group(0).replace(",", "")))
    for m in _WORD_NUMBER.finditer(text):
        if not m.group(0).strip():
            continue
        value = 0
        if m.group("h"):
            value += 100 * _UNITS[m.group("h").lower()]
        if m.group("t"):
            value += _TENS[m.group("t").lower()]
        if m.group("u"):
            value += _UNITS[m.group("u").lower()]
        found.add(float(value))
    return found


_NONE = re.compile(r"\b(?:no|none|zero|neither|nobody|not any)\b", re.IGNORECASE)


def number_in_quote(value: float, quote: str) -> bool:
    if value == 0 and _NONE.search(quote):
        return True  # "no participants", "none of the patients"
    return any(math.isclose(abs(value), x, rel_tol=1e-9, abs_tol=1e-12) for x in numbers_in_text(quote))


# --- reading ----------------------------------------------------------------------------------
