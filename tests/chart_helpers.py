"""What tests of compiled charts share: the texts Vega draws, read from its scenegraph (vl-convert, no browser).
Not a test module."""

from __future__ import annotations

import vl_convert as vlc

from book.vega import compile_to_vega


def drawn_texts(spec: dict, role: str | None = None) -> list[list[str]]:
    """Every text a text mark of the Vega-Lite ``spec`` draws, as its lines (the scenegraph holds them before Vega cuts
    a line at its limit); only marks of ``role`` ("axis-label", "legend-label", "mark"...) when given. A mark hidden
    from assistive technology (``aria: false``: a text's white outline, drawn under the same text) is not counted."""
    found: list[list[str]] = []

    def visit(node) -> None:
        if isinstance(node, dict):
            if node.get("marktype") == "text" and node.get("aria") is not False and (role is None or node.get("role") == role):
                for item in node.get("items", []):
                    text = item.get("text")
                    if text is not None:
                        found.append([str(t) for t in text] if isinstance(text, list) else [str(text)])
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(vlc.vega_to_scenegraph(compile_to_vega(spec)[0]))
    return found
