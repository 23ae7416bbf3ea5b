"""book.site.stylesheets: the theme's stylesheet cut to the rules the pages can use (issue 25.2)."""

from pathlib import Path

from book.site.stylesheets import cut_stylesheet

CSS = """
.used{color:red}
.unused{color:blue}
.used:hover,.nope{color:green}
@media (min-width:960px){.unused{x:1}.used>p{x:2}}
@font-face{font-family:x}
.dropdown-menu.show{display:block}
"""


def test_keeps_rules_the_pages_can_use_and_drops_the_rest():
    out = cut_stylesheet(CSS, {"p", "div", ".used"})
    assert ".used{color:red}" in out
    assert ".unused" not in out
    assert ".used:hover" in out  # one selector of the list can match
    assert "@media" in out and ".used>p" in out
    assert "@font-face" in out
    assert ".dropdown-menu.show" in out  # added by the theme's scripts


def test_a_pseudo_class_does_not_keep_a_rule_for_an_element_no_page_has():
    out = cut_stylesheet(".form-select:focus{x:1}.used:focus{x:2}.tooltip-inner{x:3}.gone.show{x:4}", {".used"})
    assert ".form-select" not in out  # "focus" names a state, not something a page has
    assert ".used:focus" in out
    assert ".tooltip-inner" in out  # the theme's scripts add tooltips
    assert ".gone.show" not in out  # .show may be added, but nothing adds .gone
    dark = "html[data-theme=dark] .bd-content img:not(.only-dark,.dark-light){x:5}"
    assert cut_stylesheet(dark, {"html", ".bd-content", "img"}) == dark  # a comma inside :not() splits no selector


def test_drops_an_at_rule_left_empty():
    assert "@media" not in cut_stylesheet("@media print{.gone{x:1}}", {"div"})


HEAD = """  <link href="../_static/styles/theme.css?digest=1" rel="stylesheet" />
<link href="../_static/styles/pydata-sphinx-theme.css?digest=1" rel="stylesheet" />
    <link rel="stylesheet" type="text/css" href="../_static/kap-book.css?v=2" />
    <link media="print" rel="stylesheet" type="text/css" href="../_static/kap-print.css?v=3" />
<meta name="x">"""


def test_a_page_links_one_bundle_where_its_first_stylesheet_was_the_print_one_in_it(monkeypatch):
    import book.site.stylesheets as stylesheets

    monkeypatch.setattr(stylesheets, "_BUNDLED", [])
    out = stylesheets.bundled_css(HEAD, where="chapters/x")
    assert out.count("<link") == 1 and "kap-print.css" not in out
    assert 'href="../_static/kap-site.css?v=' in out and "theme.css" not in out and "kap-book.css" not in out
    assert out.rstrip().endswith('<meta name="x">')
    assert stylesheets._BUNDLED == [
        "styles/theme.css?digest=1",
        "styles/pydata-sphinx-theme.css?digest=1",
        "kap-book.css?v=2",
        stylesheets.PRINT + "kap-print.css?v=3",
    ]


def test_a_stylesheet_for_another_medium_stays_linked(monkeypatch):
    import book.site.stylesheets as stylesheets

    monkeypatch.setattr(stylesheets, "_BUNDLED", [])
    head = HEAD + '\n<link media="(min-width: 60em)" rel="stylesheet" href="../_static/wide.css" />'
    out = stylesheets.bundled_css(head, where="chapters/x")
    assert out.count("<link") == 2 and "wide.css" in out and "wide.css" not in "".join(stylesheets._BUNDLED)


def test_a_page_with_other_stylesheets_warns(monkeypatch):
    import book.site.offline as offline
    import book.site.stylesheets as stylesheets

    warned = []
    monkeypatch.setattr(offline, "_warn_unmatched", lambda what, where: warned.append(where))
    monkeypatch.setattr(stylesheets, "_BUNDLED", ["other.css"])
    stylesheets.bundled_css(HEAD, where="chapters/x")
    stylesheets.bundled_css("<meta>", where="chapters/y")  # no stylesheet at all: a theme change
    assert warned == ["chapters/x", "chapters/y"]


def test_the_bundle_holds_each_stylesheet_in_order_with_imports_inlined_and_urls_for_its_folder(tmp_path):
    from book.site.stylesheets import bundle_text

    (tmp_path / "styles").mkdir()
    (tmp_path / "basic.css").write_text(".basic{background:url(file.png)}", encoding="utf-8")
    (tmp_path / "styles" / "theme.css").write_text(
        '@import "../basic.css";\n@font-face{src:url(../vendor/fa.woff2)}\n.x{background:url("data:image/svg+xml;a")}\n'
        "/*# sourceMappingURL=theme.css.map */",
        encoding="utf-8",
    )
    (tmp_path / "kap-book.css").write_text(".book{background:url('img/a.png')}", encoding="utf-8")
    (tmp_path / "kap-print.css").write_text("@page{size:A4}.book{display:none}", encoding="utf-8")
    text = bundle_text(tmp_path, ["styles/theme.css?digest=1", "kap-book.css?v=2", "print:kap-print.css?v=3"])
    assert text.index(".basic") < text.index("@font-face") < text.index(".book")
    assert text.endswith("@media print {\n/* kap-print.css */\n@page{size:A4}.book{display:none}\n}\n")
    assert 'url("file.png")' in text and 'url("vendor/fa.woff2")' in text and 'url("img/a.png")' in text
    assert 'url("data:image/svg+xml;a")' in text and "@import" not in text and "sourceMappingURL" not in text


def test_a_build_that_writes_no_page_writes_the_bundle_again_from_the_last_list(tmp_path, monkeypatch):
    from book.site import stylesheets

    static = tmp_path / "_static"
    static.mkdir()
    (static / "kap-book.css").write_text(".book{color:red}", encoding="utf-8")
    monkeypatch.setattr(stylesheets, "_BUNDLED", ["kap-book.css?v=1"])
    assert stylesheets.write_bundle(tmp_path) == (1, len((static / stylesheets.BUNDLE).read_bytes()))
    # The next build copies an edited stylesheet and rewrites no page, so no page head gave a list.
    (static / "kap-book.css").write_text(".book{color:blue}", encoding="utf-8")
    monkeypatch.setattr(stylesheets, "_BUNDLED", [])
    assert stylesheets.write_bundle(tmp_path) is not None
    assert "color:blue" in (static / stylesheets.BUNDLE).read_text(encoding="utf-8")
    (static / stylesheets.BUNDLE_LIST).unlink()
    assert stylesheets.write_bundle(tmp_path) is None  # nothing to write it from: the last bundle stands


def test_every_built_page_links_the_bundle_and_no_stylesheet_it_holds(built_site):
    import re

    from book.site.stylesheets import BUNDLE, bundle_text

    bundle = (built_site / "_static" / BUNDLE).read_text(encoding="utf-8")
    names = re.findall(r"^/\* (\S+\.css) \*/$", bundle, re.M)
    assert "pygments.css" in names and "kap-book.css" in names and "kap-print.css" in names
    for name in names:  # each as the finished build left it (the theme rewrites pygments.css at its end)
        assert bundle_text(built_site / "_static", [name]) in bundle, name
    assert "@media print {\n/* kap-print.css */\n" in bundle  # the print stylesheet, for print only
    for url in re.findall(r'url\("([^"]+)"\)', bundle):
        assert url.startswith("data:") or (built_site / "_static" / url).is_file(), url
    for page in [*built_site.glob("*.html"), *built_site.glob("*/*.html")]:
        text = page.read_text(encoding="utf-8")
        if "</head>" not in text:
            continue  # a theme's template fragment copied into the site (webpack-macros.html)
        head = text.split("</head>")[0]
        links = re.findall(r'<link\b[^>]*rel="stylesheet"[^>]*>', head)
        assert len(links) == 1 and BUNDLE in links[0], (page.name, links)


# --- the cut seen in a browser ---------------------------------------------------------------------------------

#: Every element's computed style (and its ::before and ::after), but charts and quizzes, which draw themselves.
_COMPUTED = """() => {
  const props = ['display', 'position', 'visibility', 'opacity', 'color', 'background-color', 'font-family', 'font-size',
    'font-weight', 'line-height', 'text-align', 'white-space', 'text-decoration-line', 'list-style-type', 'margin-top',
    'margin-bottom', 'margin-left', 'padding-top', 'padding-left', 'border-top-width', 'border-top-style',
    'border-left-color', 'width', 'height', 'max-width', 'top', 'left', 'overflow-x', 'overflow-y', 'z-index',
    'flex-direction', 'justify-content', 'align-items', 'gap', 'box-shadow', 'transform', 'cursor', 'outline-style'];
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.kap-chart, div[data-numquestions]')) continue;
    const style = getComputedStyle(el), before = getComputedStyle(el, '::before'), after = getComputedStyle(el, '::after');
    out.push(`${el.tagName}#${el.id}.${el.getAttribute('class') || ''} ${props.map(p => style.getPropertyValue(p)).join('|')}`
      + ` ::before ${before.content} ${before.display} ${before.color} ::after ${after.content} ${after.display} ${after.color}`);
  }
  return out;
}"""


def _uncut_site(built: Path, folder: Path) -> Path:
    """A copy of the built site whose bundle is made from the theme's own stylesheets, as the packages ship them,
    rather than from the cut ones."""
    import shutil

    import myst_nb
    import pydata_sphinx_theme
    import sphinx_book_theme

    from book.site.stylesheets import BUNDLE, BUNDLE_LIST, STYLESHEETS, bundle_text

    sources = {
        "_static/styles/pydata-sphinx-theme.css": Path(pydata_sphinx_theme.__file__).parent
        / "theme/pydata_sphinx_theme/static/styles/pydata-sphinx-theme.css",
        "_static/styles/sphinx-book-theme.css": Path(sphinx_book_theme.__file__).parent
        / "theme/sphinx_book_theme/static/styles/sphinx-book-theme.css",
        "_static/mystnb.*.css": Path(myst_nb.__file__).parent / "static/mystnb.css",
    }
    site = folder / "uncut"
    shutil.copytree(built, site)
    for pattern, source in sources.items():
        targets = list(site.glob(pattern))
        assert targets and source.is_file(), (pattern, source)  # a theme that moved its stylesheet: update the map
        for target in targets:
            shutil.copyfile(source, target)
    assert set(sources) >= set(STYLESHEETS) - {"_static/basic.css"}  # basic.css is cut too, but no page links it
    static = site / "_static"
    static.joinpath(BUNDLE).write_text(bundle_text(static, static.joinpath(BUNDLE_LIST).read_text().split()), encoding="utf-8")
    return site


def test_the_cut_changes_no_computed_style(browser, built_site, tmp_path):
    """Every element of a chapter, the home page and a guide has the same computed style with the bundle as built as
    with one made from the theme's uncut stylesheets: at 1280 px in light and dark mode, at 390 px with the menu
    open, and with the search dialog open. The cut (a conservative test on names) must never drop a rule that
    styles something a reader sees, whichever state the theme's scripts put the page in."""
    from browser_helpers import THEME_READY

    from book.browser import serve, settle

    uncut = _uncut_site(built_site, tmp_path)
    states = {  # name: (width, dark, what the reader does)
        "1280 light": (1280, False, None),
        "1280 dark": (1280, True, None),
        "390, menu open": (390, False, "button.primary-toggle:visible"),
        "1280, search open": (1280, False, "Control+k"),
    }
    pages = ["chapters/safety.html", "index.html", "guides/instructor-guide.html"]
    with serve(built_site) as cut_url, serve(uncut) as uncut_url:
        differing = {}
        for state, (width, dark, action) in states.items():
            for path in pages:
                seen = []
                for url in (cut_url, uncut_url):
                    scheme = "dark" if dark else "light"
                    context = browser.new_context(viewport={"width": width, "height": 844}, color_scheme=scheme)
                    if dark:
                        context.add_init_script("localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');")
                    try:
                        page = context.new_page()
                        page.goto(url + path, wait_until="load")
                        page.wait_for_function(THEME_READY, timeout=15_000)
                        settle(page)  # the page's later scripts have run (togglebutton adds its icons)
                        if action == "Control+k":
                            page.keyboard.press(action)
                        elif action:
                            page.locator(action).first.click()
                        page.wait_for_timeout(500)  # the theme's transitions (the menu slides in in 0.2 s)
                        seen.append(page.evaluate(_COMPUTED))
                    finally:
                        context.close()
                if seen[0] != seen[1]:
                    differing[f"{path}, {state}"] = [c for c, u in zip(*seen) if c != u][:3] or ["a different number of elements"]
    assert not differing, differing
