"""The theme's stylesheets cut, in the built site only, to the rules its pages can use (issue 25.2).

pydata-sphinx-theme's stylesheet (with Bootstrap's) is the largest file every page loads (myst-nb's and Sphinx's
basic.css are cut the same way), and most of its rules style
components this book never shows. After the build, each rule of the theme's stylesheets is kept when one of its
selectors could match on some built page: every element name, class, id and attribute name it names (pseudo-classes
and pseudo-elements aside) occurs on a page or is something the theme's scripts add while a reader uses the page
(:data:`ADDED_BY_SCRIPTS`: open menus, tooltips, the search dialog, dark mode, the scrolled header...). It is a
conservative test: it keeps some rules that match nothing. At-rules (``@media``, ``@supports``) are cut the same way
inside; ``@font-face``, ``@keyframes`` and custom properties are kept. Nothing is rewritten in the sources: the
same cut, like the icon fonts' (:mod:`book.site.icon_fonts`), is made again on every build.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path

#: The stylesheets cut (paths, or glob patterns for names with a content hash, inside the built site): the theme's,
#: myst-nb's (notebook cells and outputs, most of it for output kinds the book never shows) and Sphinx's basic.css.
STYLESHEETS = (
    "_static/styles/pydata-sphinx-theme.css",
    "_static/styles/sphinx-book-theme.css",
    "_static/mystnb.*.css",
    "_static/basic.css",
)
#: Words in the names of classes, attributes or elements the theme's scripts add or toggle after load: a selector's
#: name that holds one (``.show``, ``.tooltip-inner``, ``[data-bs-theme]``) counts as on a page though no page has it
#: when built.
ADDED_BY_SCRIPTS = (
    "show",
    "showing",
    "hiding",
    "collapsing",
    "collaps",
    "fade",
    "modal",
    "tooltip",
    "popover",
    "dropdown",
    "dialog",
    "search",
    "scrolled",
    "active",
    "data-theme",
    "data-mode",
    "data-bs",
    "theme-switch",
    "toggle",
    "tb-icon",
    "copybtn",
    "o-tooltip",
    "highlighted",
    "sidebar",
    "focus",
    "disabled",
    "hidden",
    "visually",
    "sr-only",
    "skip",
    "print",
    "mermaid",
    "kbd",
    "backdrop",
    "offcanvas",
)
#: Pseudo-classes and pseudo-elements taken off a selector before it is matched against the built pages.
_PSEUDO = re.compile(r"::?[a-zA-Z-]+(?:\((?:[^()]|\([^()]*\))*\))?")


def _plain(selector: str) -> str:
    plain = _PSEUDO.sub("", selector).strip()
    plain = re.sub(r"\s*([>+~])\s*$", "", plain)
    return plain or "*"


def _tokens(site: Path) -> set[str]:
    """Every element name (``div``), class (``.toggle``), id (``#main``) and attribute name (``[hidden]``) on the built pages."""
    from html.parser import HTMLParser

    found: set[str] = set()

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.add(tag)
            for name, value in attrs:
                found.add(f"[{name}]")
                if name == "class" and value:
                    found.update("." + c for c in value.split())
                elif name == "id" and value:
                    found.add("#" + value)

    for page in sorted(site.rglob("*.html")):
        Collect().feed(page.read_text(encoding="utf-8"))
    return found


_TOKEN = re.compile(r"([.#])(-?[_a-zA-Z][\\\w-]*)|\[\s*([\w-]+)|(?:^|[\s>+~(,])([a-zA-Z][a-zA-Z0-9]*)")


def _selectors(selector_list: str) -> list[str]:
    """The selectors of a list, split at its own commas (not at those inside ``:not(.a,.b)``)."""
    selectors, depth, start = [], 0, 0
    for at, char in enumerate(selector_list):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            selectors.append(selector_list[start:at])
            start = at + 1
    selectors.append(selector_list[start:])
    return [s.strip() for s in selectors if s.strip()]


def _added_by_scripts(token: str) -> bool:
    """Whether ``token`` (``.show``, ``[data-bs-theme]``) names what the theme's scripts may add (:data:`ADDED_BY_SCRIPTS`)."""
    return any(word in token for word in ADDED_BY_SCRIPTS)


def _used(selector_list: str, tokens: set[str], cache: dict) -> bool:
    """Whether some selector of the list can match: each element name, class, id and attribute it names is on a page
    or may be added by the theme's scripts. A pseudo-class never keeps a rule: ``.form-select:focus`` goes with
    ``.form-select``, which no page has, though "focus" is one of :data:`ADDED_BY_SCRIPTS`. (Until 2026-12-07 a
    selector holding such a word anywhere was kept: 39 KB, a quarter of the theme's stylesheet as cut.)"""
    for selector in _selectors(selector_list):
        if selector not in cache:
            plain = _PSEUDO.sub(" ", selector)
            needed = set()
            for kind, name, attribute, tag in _TOKEN.findall(plain):
                if name:
                    needed.add(kind + name.replace("\\", ""))
                elif attribute:
                    needed.add(f"[{attribute}]")
                elif tag:
                    needed.add(tag.lower())
            cache[selector] = all(token in tokens or _added_by_scripts(token) for token in needed)
        if cache[selector]:
            return True
    return False


def _cut(rules, tokens: set[str], cache: dict) -> str:
    import tinycss2

    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            if _used(tinycss2.serialize(rule.prelude), tokens, cache):
                kept.append(rule.serialize())
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content is not None:
            inner = _cut(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), tokens, cache)
            if inner:
                kept.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inner}}}")
        elif rule.type == "at-rule":
            kept.append(rule.serialize())
    return "".join(kept)


def cut_stylesheet(text: str, tokens: set[str], cache: dict | None = None) -> str:
    """``text`` (a stylesheet) with only the rules that pages holding ``tokens`` (see :func:`_tokens`) can use."""
    import tinycss2

    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    return _cut(rules, tokens, {} if cache is None else cache)


def cut_site_stylesheets(site: Path) -> list[tuple[str, int, int]]:
    """Cut each of :data:`STYLESHEETS` in the built ``site``; returns (name, bytes before, bytes after) for each."""
    tokens, cache, done = _tokens(site), {}, []
    for path in sorted(p for pattern in STYLESHEETS for p in site.glob(pattern)):
        name = str(path.relative_to(site))
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        source_map = re.search(r"/\*# sourceMappingURL=[^*]*\*/\s*$", text)
        cut = cut_stylesheet(text, tokens, cache)
        path.write_text(cut + "\n", encoding="utf-8")
        done.append((name, len(text.encode()), len(cut.encode())))
        if source_map:  # the map describes the whole file; without it the browser asks for nothing
            (path.parent / (path.name + ".map")).unlink(missing_ok=True)
    return done


# --- one bundle ----------------------------------------------------------------------------------

#: The one stylesheet a page links instead of the theme's and extensions' (in _static/).
BUNDLE = "kap-site.css"
#: How a print stylesheet's entry in the list of bundled stylesheets starts: the bundle holds it inside ``@media print``.
PRINT = "print:"
#: The stylesheets each page linked, in order (paths inside _static/), as the template filter found them; the
#: bundle is written from them once the site is built and the stylesheets are cut.
_BUNDLED: list[str] = []
_LINK = re.compile(r'[ \t]*<link\b(?=[^>]*\brel="stylesheet")[^>]*\bhref="(?P<href>[^"]*)"[^>]*/?>[ \t]*\n?')


def bundled_css(html, where: str = "") -> str:
    """Jinja filter for the page head's stylesheets: the screen stylesheets served from _static/ (the theme's,
    Pygments', the extensions' and the book's) replaced by one link to :data:`BUNDLE`, where the first of them was.

    Eleven render-blocking stylesheets were eleven requests before the first paint and before the parser could go
    on past the head; on a server without HTTP/2 they also held the browser's six connections while the chart
    library waited for one. A print stylesheet (``media="print"``) goes into the bundle too, inside ``@media print``
    (its entry in the list is marked :data:`PRINT`): the browser asked for it while parsing the head, a request
    before the chart library could run (a trace of a chapter load with the CPU slowed 4x: 12-26 ms of the main
    thread for each request the head starts), for a page few readers print.
    A stylesheet for another medium, or from elsewhere, stays as it is. Every page must link the same list (a page
    with another list would get a bundle without its own rules): the build warns if one does not.
    """
    from markupsafe import Markup

    html, names, prefix, first = str(html), [], None, None
    pieces, position = [], 0
    for match in _LINK.finditer(html):
        tag, href = match.group(0), match.group("href")
        path, _, query = href.partition("?")
        media = re.search(r'\bmedia="([^"]*)"', tag)
        if "_static/" not in path or "://" in path or (media and media.group(1) not in ("all", "screen", "print")):
            continue
        prefix = prefix or path[: path.index("_static/") + len("_static/")]
        name = path[path.index("_static/") + len("_static/") :] + ("?" + query if query else "")
        names.append(PRINT + name if media and media.group(1) == "print" else name)
        pieces.append(html[position : match.start()])
        if first is None:
            first = len("".join(pieces))
        position = match.end()
    if not names:
        from .offline import _warn_unmatched

        _warn_unmatched("bundling the page's stylesheets", where or "a page")
        return Markup(html)
    pieces.append(html[position:])
    kept = "".join(pieces)
    version = hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()[:12]  # the sources' own version strings
    link = f'<link rel="stylesheet" href="{prefix}{BUNDLE}?v={version}" />\n'
    if not _BUNDLED:
        _BUNDLED.extend(names)
    elif _BUNDLED != names:
        from .offline import _warn_unmatched

        _warn_unmatched(f"bundling stylesheets: this page links {names}, other pages {_BUNDLED}", where or "a page")
    return Markup(kept[:first] + link + kept[first:])


_URL = re.compile(r"""url\(\s*(['"]?)(?P<url>[^'")]*)\1\s*\)""")
_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"](?P<url>[^'"]+)['"]\s*\)?\s*;""")


def _relative_to_static(css: str, folder: str) -> str:
    """``css`` (a file in ``_static/<folder>``) with each relative url() rewritten relative to _static/."""

    def rewrite(match):
        url = match.group("url")
        if not url or url.startswith(("data:", "/", "#")) or "://" in url:
            return match.group(0)
        return f'url("{posixpath.normpath(posixpath.join(folder, url))}")'

    return _URL.sub(rewrite, css)


def bundle_text(static: Path, names: list[str]) -> str:
    """The stylesheets ``names`` (inside ``static``, with their query strings) as one, in order: each @import of a
    local file replaced by that file, each relative url() rewritten for the bundle's place in _static/, and a name
    marked :data:`PRINT` inside ``@media print``."""

    def read(name: str, seen: set[str]) -> str:
        name = posixpath.normpath(name.partition("?")[0])
        if name in seen:
            return ""
        seen.add(name)
        folder = posixpath.dirname(name)
        css = (static / name).read_text(encoding="utf-8")
        css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
        imported: list[str] = []  # each @import's file, already rewritten for its own folder

        def hold(match) -> str:
            imported.append(read(posixpath.join(folder, match.group("url")), seen))
            return f"\x00{len(imported) - 1}\x00"

        css = _relative_to_static(_IMPORT.sub(hold, css), folder)
        css = re.sub("\x00(\\d+)\x00", lambda m: imported[int(m.group(1))], css)
        return f"/* {name} */\n" + css + "\n"

    seen: set[str] = set()
    return "".join(
        f"@media print {{\n{read(name[len(PRINT) :], seen)}}}\n" if name.startswith(PRINT) else read(name, seen) for name in names
    )


#: Beside the bundle: the list of stylesheets it was last written from, one per line (a build that writes no page
#: reads it, since the list comes from the pages' heads).
BUNDLE_LIST = BUNDLE + ".list"


def write_bundle(site: Path) -> tuple[int, int] | None:
    """Write :data:`BUNDLE` into the built ``site`` from the stylesheets the pages linked; (files, bytes) or None
    when there is nothing to write it from.

    A build that writes no page (only a stylesheet changed, which Sphinx copies without rewriting the pages that link
    it) writes the bundle again from the list the last build kept (:data:`BUNDLE_LIST`), so the edit reaches the
    site; without the list, and with no page written, the bundle from the last build stands."""
    static = site / "_static"
    names = list(_BUNDLED)
    if not names and (static / BUNDLE_LIST).is_file():
        names = (static / BUNDLE_LIST).read_text(encoding="utf-8").split()
    if not names:
        return None
    text = bundle_text(static, names)
    (static / BUNDLE).write_text(text, encoding="utf-8")
    (static / BUNDLE_LIST).write_text("\n".join(names) + "\n", encoding="utf-8")
    return len(names), len(text.encode("utf-8"))
