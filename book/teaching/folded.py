"""A solution cell's output, folded until the learner opens it.

A solution cell starts folded in JupyterLab (its source and outputs hidden), but JupyterLab shows a cell's outputs
again when it runs it: a learner who runs every cell would see each answer. So a solution cell shows its answer
inside a closed ``<details>``: :func:`folded` wraps a displayed result (a table), :func:`folded_prints` what the
cell prints. On the website the fold sits inside the solution's own dropdown; ``python -m book pdf`` opens it.
"""

from __future__ import annotations

import contextlib
import html
import io

#: The fold's summary line.
SUMMARY = "Show the answer (after you have tried)"
#: The class that names the fold (checked by the JupyterLab test; the site leaves tables inside it unfolded).
FOLD_CLASS = "kap-folded-answer"


class Folded:
    """A result shown folded: as HTML, a closed ``<details>`` around the result's own HTML; as text, the text."""

    def __init__(self, inner_html: str, text: str, summary: str = SUMMARY):
        self.inner_html, self.text, self.summary = inner_html, text, summary

    def _repr_html_(self) -> str:
        return f'<details class="{FOLD_CLASS}"><summary>{html.escape(self.summary)}</summary>\n{self.inner_html}\n</details>'

    def __repr__(self) -> str:
        return self.text


def folded(result, summary: str = SUMMARY) -> Folded:
    """``result`` (a styled table, a frame, or anything with an HTML or text form) shown folded."""
    if hasattr(result, "to_html") and hasattr(result, "data"):  # a pandas Styler
        inner, text = result.to_html(), result.data.to_string(index=False)
    elif hasattr(result, "_repr_html_") and result._repr_html_() is not None:
        inner, text = result._repr_html_(), repr(result)
    else:
        text = str(result)
        inner = f"<pre>{html.escape(text)}</pre>"
    return Folded(inner, text, summary)


@contextlib.contextmanager
def folded_prints(summary: str = SUMMARY):
    """What the ``with`` block prints, shown folded when it ends (and as plain text where HTML is not shown)."""
    from IPython.display import display

    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer):
            yield
    finally:  # what was printed before an error is still shown (then the error)
        text = buffer.getvalue().rstrip("\n")
        display(Folded(f"<pre>{html.escape(text)}</pre>", text, summary))
