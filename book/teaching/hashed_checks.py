"""Website checks of the fixed-answer exercises, with the key kept hidden (issue 23.6).

A fixed answer (:class:`book.teaching.answers.HashedAnswer`) is held only as salted SHA-256 digests. Its website check
holds the same: :func:`hashed_item` gives the entry's digests, options, hint, unit and decimals, and each option's
explanation *sealed* (:func:`seal`: XOR with a SHA-256 keystream of the salt, the label and that option), never the key
and never an explanation in plain text (the explanations would give the key away: the right option's reads as the
answer). The script ``book/site/static/kap-check.js`` normalises the learner's answer as
:func:`book.teaching.checks.normal_choice`, :func:`~book.teaching.checks.normal_text` and
:func:`book.teaching.answers.normal_number` do, hashes it in the browser (``crypto.subtle.digest``), unseals only the
chosen option's explanation, and shows the kernel check's feedback (:meth:`HashedAnswer.check`): "(b) is right." or
"(a) is not the best answer.", the option's explanation, the hint.

Like the digests, sealing hides the key from sight, not from effort (anyone can run the script on every option): the
stance of :mod:`book.teaching.answers`.

:func:`show_hashed_check` displays one output with three faces:

* ``application/vnd.kap.answer-check+json`` (:data:`CHECK_MIME`): the item as data. On the static site the book's
  myst-nb renderer (:mod:`book.site.mime`) turns it into a container and a JSON script, and the page loads
  ``_static/kap-check.js`` once, however many checks it shows.
* ``application/javascript``: the same script inlined, then ``KapCheck.mount(element, item)``, for JupyterLab (which
  loads none of the site's files and renders this output in a trusted notebook).
* ``text/plain``: where neither runs, a line saying where to check.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from .answers import _SALT, ANSWERS, HashedAnswer

__all__ = ["CHECK_MIME", "CHECK_SCRIPT", "hashed_item", "seal", "unseal", "check_script", "show_hashed_check"]

CHECK_MIME = "application/vnd.kap.answer-check+json"
#: The check's script: served by the site from book/site/static/, inlined into the JupyterLab output.
CHECK_SCRIPT = Path(__file__).resolve().parent.parent / "site" / "static" / "kap-check.js"

QUESTIONS = {
    "choice": "Check your answer here (no kernel needed): which option is the best answer?",
    "text": "Check your answer here (no kernel needed): type your answer.",
    "number": "Check your answer here (no kernel needed): type your number.",
}


def _keystream(label: str, option: str, length: int) -> bytes:
    blocks = (
        hashlib.sha256("\x1f".join((_SALT, label, option, "explanation", str(i))).encode()).digest()
        for i in range((length + 31) // 32)
    )
    return b"".join(blocks)[:length]


def seal(label: str, option: str, text: str) -> str:
    """The explanation of ``option`` to exercise ``label``, unreadable until that option is chosen (base64)."""
    data = text.encode("utf-8")
    return base64.b64encode(bytes(a ^ b for a, b in zip(data, _keystream(label, option, len(data))))).decode("ascii")


def unseal(label: str, option: str, sealed: str) -> str:
    """The inverse of :func:`seal` (what the script does in the browser)."""
    data = base64.b64decode(sealed)
    return bytes(a ^ b for a, b in zip(data, _keystream(label, option, len(data)))).decode("utf-8")


def hashed_item(label: str) -> dict:
    """The website check of the fixed-answer exercise ``label``: digests and sealed explanations, no key."""
    entry = ANSWERS.get(label)
    if not isinstance(entry, HashedAnswer):
        raise ValueError(f"{label!r} has no fixed answer (see book.teaching.exercise_checks).")
    return {
        "label": label,
        "kind": entry.kind,
        "question": QUESTIONS[entry.kind],
        "options": list(entry.options),
        "digests": sorted(entry.digests),
        "sealed": {option: seal(label, option, why) for option, why in sorted(entry.explanations.items())},
        "hint": entry.hint,
        "unit": entry.unit,
        "decimals": entry.decimals,
    }


def _json(value) -> str:
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def check_script(item: dict) -> str:
    """The JupyterLab face: the check's script, then the check mounted in the output (``element``)."""
    return f"{CHECK_SCRIPT.read_text(encoding='utf-8')}\nwindow.KapCheck.mount(element, {_json(item)});\n"


def show_hashed_check(label: str) -> None:
    """Display the website check of the fixed-answer exercise ``label`` (see the module docstring)."""
    from IPython.display import display

    item = hashed_item(label)
    plain = "Check your answer to this exercise on the book's website or in JupyterLab (a trusted notebook)."
    display({CHECK_MIME: item, "application/javascript": check_script(item), "text/plain": plain}, raw=True)
