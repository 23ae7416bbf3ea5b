"""Lighter pages: the theme's icon fonts cut down to the icons the site shows.

pydata-sphinx-theme draws its icons (search, menu, download, launch, colour mode, GitHub …) with Font
Awesome's web fonts: ``fa-solid-900.woff2`` (153 KB) and ``fa-brands-400.woff2`` (115 KB), about 40% of
what a reader downloads on a first visit, for some twenty glyphs. After the build, :func:`subset_site_fonts`
rewrites the site's copies (never the theme's own files) to hold only the glyphs the site can show:

* every icon class (``fa-…``) named in a built page or in a script the site serves (the theme's scripts add
  icons such as the colour-mode button's), mapped to its code point through the theme's stylesheets;
* every code point the stylesheets use outside those icon classes (e.g. the admonition icons, which the
  theme keeps in custom properties such as ``--pst-icon-exclamation-triangle``), written as an escape or as
  the character itself.

It uses fontTools (PyPI) and brotli for the WOFF2 format. A glyph that the site names but no font holds is
simply absent from every font, as before.

Every page's header draws icons from two of the fonts (:data:`HEADER_ICON_FONTS`), which a stylesheet names only
once the browser has worked out which elements use them, that is at the page's first layout. Until a font
with ``font-display: block`` has arrived the browser lays its icons out in fallback fonts, looking each up
(a round trip to the browser process per font, size and weight in a new tab), and lays the page out again
when it comes. :func:`icon_font_preloads` asks for them from the page head instead, with the stylesheet; they
are a few KB. Measured on the safety chapter (benchmarks/site.py's measure, 7 loads each): first chart
interactive 376 -> 340 ms, since that first layout runs before the chart library can.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

__all__ = [
    "HEADER_ICON_FONTS",
    "icon_code_points",
    "icon_font_preloads",
    "used_icon_classes",
    "subset_font",
    "subset_site_fonts",
]

#: Where the theme's icon fonts are, in the site's _static/ folder.
FONT_FOLDER = "vendor/fontawesome/webfonts/"
#: The icon fonts that every page's header draws with: the solid icons (search, menu, download, colour mode,
#: full screen) and the brands icon (the repository button). tests/test_later_scripts.py checks that pages use each.
HEADER_ICON_FONTS = ("fa-solid-900.woff2", "fa-brands-400.woff2")

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_ESCAPE = re.compile(r'"\\([0-9a-fA-F]{4,6})"')
#: Icon glyphs written into a stylesheet as characters rather than escapes (Unicode's private use areas).
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010fffd]")
_ICON_SELECTOR = re.compile(r"^\.(fa-[a-z0-9-]+)::?(?:before|after)$")
_ICON_CLASS = re.compile(r"\bfa-[a-z0-9]+(?:-[a-z0-9]+)*")


def icon_code_points(css: str) -> tuple[dict[str, set[int]], set[int]]:
    """From stylesheet text: the code points of each icon class (``.fa-x:before{content:"\\f00c"}``),
    and the code points used by every other rule (kept whatever the pages use)."""
    by_class: dict[str, set[int]] = {}
    elsewhere: set[int] = set()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for selectors, body in _RULE.findall(css):
        points = {int(h, 16) for h in _ESCAPE.findall(body)} | {ord(c) for c in _PRIVATE_USE.findall(body)}
        if not points:
            continue
        names = [_ICON_SELECTOR.match(s.strip()) for s in selectors.split(",")]
        if all(names):
            for match in names:
                by_class.setdefault(match.group(1), set()).update(points)
        else:
            elsewhere |= points
    return by_class, elsewhere


def icon_font_preloads(html, where: str = "") -> str:
    """Jinja filter for the page head's stylesheets of the page ``where``: ``<link rel="preload" as="font">`` for each
    of :data:`HEADER_ICON_FONTS` (their URL from :func:`book.site.deferred.static_prefix`), put before the first
    stylesheet from _static/. Fonts are fetched without credentials, so the preload says ``crossorigin="anonymous"``
    to be the same request. Warns (failing a -W build) if the block links no stylesheet from _static/."""
    from markupsafe import Markup

    from .deferred import static_prefix

    html = str(html)
    link = re.search(r'<link\b[^>]*\bhref="[^"]*_static/', html)
    if link is None:
        from .offline import _warn_unmatched

        _warn_unmatched("preloading the header's icon fonts", where or "a page")
        return Markup(html)
    start = html.rfind("\n", 0, link.start()) + 1
    preloads = "".join(
        f'<link rel="preload" as="font" type="font/woff2" crossorigin="anonymous" '
        f'href="{static_prefix(where)}{FONT_FOLDER}{name}" />\n'
        for name in HEADER_ICON_FONTS
    )
    return Markup(html[:start] + preloads + html[start:])


def used_icon_classes(texts) -> set[str]:
    """Every ``fa-…`` class name in the given page and script texts."""
    found: set[str] = set()
    for text in texts:
        found.update(_ICON_CLASS.findall(text))
    return found


def subset_font(source: Path, target: Path, code_points: set[int]) -> None:
    """Write ``source`` (a WOFF2 font) to ``target`` with only the glyphs for ``code_points``."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(code_points))
    subsetter.subset(font)
    font.flavor = "woff2"
    font.save(target)


def subset_site_fonts(outdir: Path, cache_dir: Path) -> list[tuple[str, int, int]]:
    """Cut the icon fonts in ``outdir/_static`` down to the glyphs the site can show.

    Returns ``(font, bytes before, bytes after)`` for each font. Results are cached in ``cache_dir``
    by the font's content and the glyphs kept, so rebuilds cost nothing when nothing changed.
    """
    static = outdir / "_static"
    fonts = sorted(static.glob("vendor/fontawesome/webfonts/*.woff2"))
    if not fonts:
        return []
    by_class: dict[str, set[int]] = {}
    always: set[int] = set()
    for css in static.rglob("*.css"):
        classes, elsewhere = icon_code_points(css.read_text(encoding="utf-8", errors="replace"))
        for name, points in classes.items():
            by_class.setdefault(name, set()).update(points)
        always |= elsewhere
    texts = (
        p.read_text(encoding="utf-8", errors="replace")
        for p in [*outdir.rglob("*.html"), *static.rglob("*.js")]
        if "fontawesome" not in p.parts
    )
    used = used_icon_classes(texts)
    keep = set(always).union(*(by_class.get(name, set()) for name in used))
    report = []
    cache_dir.mkdir(parents=True, exist_ok=True)
    for font in fonts:
        data = font.read_bytes()
        key = hashlib.sha256(data + repr(sorted(keep)).encode()).hexdigest()[:16]
        cached = cache_dir / f"{font.stem}-{key}.woff2"
        if hashlib.sha256(data).hexdigest()[:16] == _subset_marker(font):
            continue  # already the subset (an incremental build that did not copy the theme's fonts again)
        if not cached.is_file():
            subset_font(font, cached, keep)
        shutil.copyfile(cached, font)
        _mark_subset(font)
        report.append((font.name, len(data), font.stat().st_size))
    return report


def _marker_file(font: Path) -> Path:
    return font.with_name(f".{font.name}.subset")


def _subset_marker(font: Path) -> str:
    marker = _marker_file(font)
    return marker.read_text().strip() if marker.is_file() else ""


def _mark_subset(font: Path) -> None:
    _marker_file(font).write_text(hashlib.sha256(font.read_bytes()).hexdigest()[:16])
