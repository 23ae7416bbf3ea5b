"""book.site.stylesheets: the theme's stylesheet cut to the rules the pages can use (issue 25.2)."""

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
