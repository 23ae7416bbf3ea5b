"""The one reader of the book's pages: the table of contents, a chapter's cells, and the MyST in its Markdown.

Everything that needs the order of the pages, a chapter's Markdown, the roles it uses (``{cite:p}``, ``{doc}``) or
its directives (``{exercise}``, ``{bibliography}``) asks here. Roles and directives are read from myst-parser's
markdown-it tokens (the parser Jupyter Book itself uses), not with regular expressions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .paths import CHAPTERS_DIR, ROOT

__all__ = [
    "Directive",
    "toc_files",
    "toc_chapters",
    "chapter_path",
    "cells",
    "markdown",
    "roles",
    "plain_text",
    "title",
    "cited_keys",
    "directives",
    "keyprefix",
    "objectives",
]


def toc_files(root: Path | None = None) -> list[str]:
    """Every page of ``_toc.yml``, root first, as written there (``chapters/cocaine-and-stimulants``)."""
    import yaml

    toc = yaml.safe_load(((root or ROOT) / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [entry["file"] for part in toc.get("parts", []) for entry in part.get("chapters", [])]


def toc_chapters(root: Path | None = None) -> list[str]:
    """The chapters, in ``_toc.yml`` order, by name (``cocaine-and-stimulants``)."""
    return [Path(f).name for f in toc_files(root) if f.startswith("chapters/")]


def chapter_path(chapter: str | Path) -> Path:
    """The notebook of ``chapter`` (a name or a path); a clear error naming the chapters for an unknown one."""
    path = Path(chapter) if str(chapter).endswith(".ipynb") else CHAPTERS_DIR / f"{chapter}.ipynb"
    if not path.is_file():
        known = ", ".join(p.stem for p in sorted(CHAPTERS_DIR.glob("*.ipynb")))
        raise FileNotFoundError(f"No chapter {str(chapter)!r}. Chapters: {known}.")
    return path


def cells(chapter: str | Path) -> list[dict]:
    """The cells of a chapter notebook (plain JSON: ``cell_type``, ``source``, ``metadata``)."""
    nb = json.loads(chapter_path(chapter).read_text(encoding="utf-8"))
    return [{**c, "source": "".join(c["source"]) if isinstance(c["source"], list) else c["source"]} for c in nb["cells"]]


def markdown(chapter: str | Path) -> str:
    """The Markdown cells of a chapter, joined."""
    return "\n".join(c["source"] for c in cells(chapter) if c["cell_type"] == "markdown")


@lru_cache(maxsize=1)
def _parser():
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    # The extensions _config.yml enables (myst_enable_extensions), so ":::{note}" blocks are directives too.
    config = MdParserConfig(enable_extensions={"colon_fence", "dollarmath", "deflist", "substitution"})
    return create_md_parser(config, RendererHTML)


def _tokens(text: str):
    return _parser().parse(text)


def roles(text: str, name: str | None = None) -> list[tuple[str, str]]:
    """``(role, content)`` of every MyST role in ``text`` (only role ``name`` if given), in order."""
    found = []
    for token in _tokens(text):
        for child in token.children or []:
            if child.type == "myst_role" and (name is None or child.meta.get("name") == name):
                found.append((child.meta["name"], child.content))
    return found


def _role_text(name: str, content: str) -> str:
    """What a reader sees of a role: ``text <target>`` shows ``text``; a role with only a target shows the target
    (its last path segment for ``{doc}``); a citation shows its keys."""
    text, _, target = content.partition("<")
    if target and text.strip():
        return text.strip()
    if name == "doc":
        stem = content.strip().rstrip("/").rsplit("/", 1)[-1].removesuffix(".ipynb").removesuffix(".md")
        return title(stem) if (CHAPTERS_DIR / f"{stem}.ipynb").is_file() else stem.replace("-", " ")
    return content.strip()


def title(chapter: str | Path) -> str:
    """The chapter's title: the text of its first ``# `` heading (its name if it has none)."""
    import re

    found = re.search(r"^#\s+(.+)$", markdown(chapter), re.M)
    return found.group(1).strip() if found else Path(chapter).stem


def _inline_text(children) -> str:
    parts = []
    for child in children or []:
        if child.type == "myst_role":
            parts.append(_role_text(child.meta.get("name", ""), child.content))
        elif child.type in ("text", "code_inline", "math_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def plain_text(text: str) -> str:
    """MyST inline text as a reader sees it: ``{term}`text <Target>``` -> "text", ``{doc}``/``{ref}`` likewise,
    links to their text, emphasis marks and code ticks dropped, spaces collapsed (read from the parser's tokens)."""
    inline = [t for t in _tokens(text) if t.type == "inline"]
    return " ".join(" ".join(_inline_text(t.children) for t in inline).split())


def cited_keys(text: str) -> list[str]:
    """The keys cited with ``{cite:p}`` or ``{cite:t}`` in ``text``, in order of first citation."""
    keys: list[str] = []
    for role, content in roles(text):
        if role in ("cite:p", "cite:t"):
            keys += [k.strip() for k in content.split(",") if k.strip() and k.strip() not in keys]
    return keys


@dataclass(frozen=True)
class Directive:
    """One MyST directive: its name, its ``:option: value`` lines, its body, and its first line in the text."""

    name: str
    argument: str
    options: dict[str, str]
    body: str
    line: int


def directives(text: str, name: str | None = None) -> list[Directive]:
    """Every directive (a fence whose info is ``{name}``) in ``text``, or only those named ``name``."""
    found = []
    for token in _tokens(text):
        if token.type not in ("fence", "colon_fence") or not token.info.startswith("{"):
            continue
        directive, _, argument = token.info[1:].partition("}")
        if name is not None and directive != name:
            continue
        options, lines = {}, token.content.splitlines()
        while lines and lines[0].startswith(":"):
            key, _, value = lines.pop(0)[1:].partition(":")
            options[key.strip()] = value.strip()
        found.append(Directive(directive, argument.strip(), options, "\n".join(lines).strip(), (token.map or [0])[0] + 1))
    return found


def keyprefix(text: str) -> str:
    """The ``:keyprefix:`` of the chapter's ``{bibliography}`` block ("" without one)."""
    return next((d.options.get("keyprefix", "") for d in directives(text, "bibliography")), "")


def objectives(chapter: str | Path) -> list[str]:
    """The chapter's learning objectives, numbered 1, 2, ... in order, as MyST text, read from its opening cells.

    Two forms are read: a numbered list under a ``## Learning objectives`` heading, or a ``**Learning objectives**``
    row of the opening ``list-table`` whose text is split at semicolons (objective 1 is the first clause).
    """
    import re

    opening = "\n".join(c["source"] for c in cells(chapter)[:3] if c["cell_type"] == "markdown")
    section = re.search(r"^##\s+Learning objectives\s*\n(.+?)(?=^#|^```|\Z)", opening, re.S | re.M)
    if section:
        items = re.findall(r"^\s*\d+\.\s+(.+(?:\n(?!\s*\d+\.|\s*$).+)*)", section.group(1), re.M)
        return [" ".join(i.split()).rstrip(";,. ") for i in items]
    row = re.search(r"\*\s+-\s+\*\*Learning objectives\*\*\s*\n\s+-\s+(.+?)(?=\n\*\s+-|\n```)", opening, re.S)
    if not row:
        return []
    return [" ".join(part.split()).rstrip(".") for part in row.group(1).split(";") if part.strip()]
