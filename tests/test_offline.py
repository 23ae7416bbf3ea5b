"""The site's own origin only: the Sphinx extension (book/sphinx_offline.py), the chart plugin
(book/sphinx_charts.py) and the built pages."""

import json
import re
from types import SimpleNamespace

import pytest

from book import DISCLAIMER
from book.paths import ROOT
from book.site.deferred import fold_long_table
from book.site.mime import LIBRARY_PLACE, place_chart_library
from book.sphinx_charts import CHART_SCRIPTS, VegaMimeRenderer, chart_html, script_json
from book.sphinx_offline import foreign_assets, without_scripts
from book.vega import VEGA_MIME


def test_foreign_assets_are_found_in_the_body_and_the_asset_lists():
    context = {
        "body": '<p>text</p><script src="https://cdn.jsdelivr.net/npm/x.js"></script><img src="//example.org/a.png">'
        '<a href="https://doi.org/10.1/x">a link is fine</a><link rel="stylesheet" href="https://fonts.example/css">',
        "script_files": [
            SimpleNamespace(filename="https://unpkg.com/y.js", attributes={}),
            SimpleNamespace(filename="_static/local.js", attributes={}),
        ],
        "css_files": [],
    }
    assert foreign_assets(context) == [
        "//example.org/a.png",
        "https://cdn.jsdelivr.net/npm/x.js",
        "https://fonts.example/css",
        "https://unpkg.com/y.js",
    ]


def _vega(values, description="a chart"):
    return {
        "$schema": "https://vega.github.io/schema/vega/v6.json",
        "description": description,
        "data": [{"name": "source_0", "values": values}, {"name": "derived", "source": "source_0"}],
    }


def test_each_dataset_is_on_a_page_once_however_many_charts_show_it():
    emitted: dict[str, str | None] = {}
    rows = [{"study": "A", "percent": 10.0}, {"study": "B </script><!--", "percent": 20.0}]
    first = chart_html(_vega(rows), "kap-chart-1-0", emitted)
    second = chart_html(_vega(rows, "another"), "kap-chart-2-0", emitted)
    assert first.count('id="kap-data-') == 1 and second.count('id="kap-data-') == 0
    assert '<div class="kap-chart" id="kap-chart-2-0"></div>' in second
    spec = json.loads(re.search(r'data-kap-chart="kap-chart-2-0">(.*?)</script>', second, re.S).group(1))
    assert spec["data"][0]["values"] == {"kapData": next(iter(emitted))}
    assert spec["data"][1] == {"name": "derived", "source": "source_0"}
    # Data can never close the script element it sits in.
    assert "</script><!--" not in first.replace("</script>\n", "").rstrip("</script>")
    assert json.loads(script_json("</script>")) == "</script>"


def test_a_later_charts_large_dataset_is_a_file_the_page_fetches_and_small_or_first_ones_stay_inline():
    emitted: dict[str, str | None] = {}
    files: dict[str, str] = {}
    small = [{"study": "A", "percent": 10.0}]
    large = [{"study": f"S{i}", "quote": "x" * 60} for i in range(100)]
    first = chart_html(_vega(large), "kap-chart-1-0", emitted)  # the first chart: no files given, all inline
    assert first.count('id="kap-data-') == 1 and not files
    later = chart_html(_vega(large + small), "kap-chart-2-0", emitted, files, "../_static/")
    tiny = chart_html(_vega(small), "kap-chart-3-0", emitted, files, "../_static/")
    assert 'id="kap-data-' not in later and tiny.count('id="kap-data-') == 1
    ((name, text),) = files.items()
    assert name.startswith("kap-data/") and json.loads(text) == large + small
    spec = json.loads(re.search(r'data-kap-chart="kap-chart-2-0">(.*?)</script>', later, re.S).group(1))
    assert spec["data"][0]["values"] == {"kapData": name[9:-5], "kapUrl": "../_static/" + name}
    again = chart_html(_vega(large + small), "kap-chart-4-0", emitted, files, "../_static/")
    assert (
        json.loads(re.search(r'data-kap-chart="kap-chart-4-0">(.*?)</script>', again, re.S).group(1))["data"][0]["values"]
        == spec["data"][0]["values"]
        and len(files) == 1
    )


def test_a_later_charts_large_spec_is_a_file_too():
    files: dict[str, str] = {}
    vega = _vega([{"x": 1}], description="d" * 5000)
    html = chart_html(vega, "kap-chart-2-0", {}, files, "../_static/")
    name = next(n for n in files if n.startswith("kap-specs/"))
    assert f'<script type="application/json" data-kap-chart="kap-chart-2-0" data-kap-src="../_static/{name}"></script>' in html
    assert json.loads(files[name])["description"] == "d" * 5000
    assert "data-kap-src" not in chart_html(vega, "kap-chart-1-0", {})  # the first chart: in the page


def test_a_long_table_is_folded_and_kept_whole_in_a_page_of_its_own():
    rows = "".join(f"<tr><td>Study {i}</td><td>{'a quote ' * 20}</td></tr>" for i in range(60))
    table = (
        '<table id="T_x" class="dataframe book-table" tabindex="0"><caption>Harms &amp; quotes</caption>'
        f"<thead><tr><th>Study</th><th>Quote</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    files: dict[str, str] = {}
    folded = fold_long_table('<style type="text/css">\n</style>\n' + table, "chapters/safety", files)
    ((name, page),) = files.items()
    assert table in page and DISCLAIMER in page and 'href="../../chapters/safety.html"' in page
    assert "<title>Harms &amp; quotes</title>" in page
    assert "<table" not in folded and f'data-kap-table="../_static/{name}"' in folded
    assert "<summary>Harms &amp; quotes <span" in folded and "(60 rows)" in folded and f'href="../_static/{name}"' in folded
    assert fold_long_table(table[:2000], "chapters/safety", files) is None  # short: stays
    assert fold_long_table("<p>" + "x" * 10_000 + "</p>", "chapters/safety", files) is None  # not a book table


def test_a_folded_tables_words_go_to_the_search_index_and_on_no_page():
    from docutils import nodes

    from book.site.deferred import search_words, skip_node, table_words

    cell = "&quot;tolerability&quot; &amp; ret\u00e9ntion " + "x " * 80
    rows = "".join(f"<tr><td>Study {i}</td><td>{cell}</td></tr>" for i in range(40))
    output = f'<table class="dataframe book-table"><caption>Harms</caption><tbody>{rows}</tbody></table>'
    words = table_words(output)
    assert isinstance(words, search_words) and isinstance(words[0], nodes.Text)
    text = words.astext()
    assert '"tolerability" & reténtion' in text and "<" not in text and "  " not in text
    with pytest.raises(nodes.SkipNode):
        skip_node(None, words)


def test_the_sites_search_finds_words_that_only_folded_tables_hold(built_site):
    from sphinx.search.en import SearchEnglish

    index = (built_site / "searchindex.js").read_text(encoding="utf-8")
    terms = set(re.findall(r'"([^"\\]+)":', index))
    pages = " ".join(p.read_text(encoding="utf-8") for p in built_site.glob("chapters/*.html")).lower()
    pages_of_tables = built_site.glob("_static/kap-tables/*.html")
    tables = (re.search(r"<table\b.*</table>", p.read_text(encoding="utf-8"), re.S) for p in pages_of_tables)
    folded = " ".join(table.group(0) for table in tables if table)
    only_folded = {w for w in re.findall(r"\b[a-z]{8,}\b", re.sub(r"<[^>]+>", " ", folded).lower()) if w not in pages}
    assert len(only_folded) > 20, "expected words that only folded tables hold"
    stem = SearchEnglish({}).stem
    assert not sorted(w for w in only_folded if w not in terms and stem(w) not in terms)


def test_pages_with_index_entries_are_read_again_on_every_build():
    """An incremental build writes only the pages it read, and Sphinx 7.4 does not reload index entries: without
    reading the glossary again, its terms left the search index (searchindex.js: 0 index entries, 99 after a clean
    build)."""
    from book.site.offline import _reread_pages_with_index_entries

    entries = {"glossary": [("single", "Naltrexone", "term-Naltrexone", "main", None)], "chapters/alcohol": []}
    env = SimpleNamespace(get_domain=lambda name: SimpleNamespace(entries=entries))
    assert _reread_pages_with_index_entries(None, env, set(), {"chapters/alcohol"}, set()) == ["glossary"]
    assert _reread_pages_with_index_entries(None, env, set(), {"glossary"}, set()) == []  # read anyway


def test_the_sites_search_index_holds_the_glossarys_terms(built_site):
    index = (built_site / "searchindex.js").read_text(encoding="utf-8")
    entries = re.search(r'"indexentries":\s*\{(.*?)\},\s*"objects"', index, re.S)
    assert entries, "searchindex.js has no index entries"
    assert '"naltrexone": [[' in entries.group(1), "the glossary's term Naltrexone is not in the search index"


def test_files_no_page_names_any_more_are_removed_after_the_build(tmp_path):
    from book.site.deferred import remove_unused_site_files

    static = tmp_path / "_static"
    for name, text in {
        "kap-specs/aaaaaaaaaaaaaaaa.json": '{"data": {"url": "../_static/kap-data/bbbbbbbbbbbb.json"}}',
        "kap-data/bbbbbbbbbbbb.json": "[]",  # named by the spec only
        "kap-tables/cccccccccccccccc.html": "<table></table>",
        "kap-quizzes/dddddddddddddddd.json": "[]",
        "kap-data/eeeeeeeeeeee.json": "[]",  # an earlier build's: named nowhere
        "kap-specs/ffffffffffffffff.json": '{"url": "kap-data/999999999999.json"}',  # stale, naming a stale file
        "kap-data/999999999999.json": "[]",
    }.items():
        (static / name).parent.mkdir(parents=True, exist_ok=True)
        (static / name).write_text(text)
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "x.html").write_text(
        '<div data-kap-src="../_static/kap-specs/aaaaaaaaaaaaaaaa.json"></div>'
        '<a href="../_static/kap-tables/cccccccccccccccc.html"></a>{src: "../_static/kap-quizzes/dddddddddddddddd.json"}'
    )
    app = SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format="html"))
    assert remove_unused_site_files(app, RuntimeError("failed")) == []  # a failed build removes nothing
    removed = remove_unused_site_files(app, None)
    assert sorted(p.relative_to(static).as_posix() for p in removed) == [
        "kap-data/999999999999.json",
        "kap-data/eeeeeeeeeeee.json",
        "kap-specs/ffffffffffffffff.json",
    ]
    left = sorted(p.relative_to(static).as_posix() for p in static.rglob("*.*"))
    assert left == [
        "kap-data/bbbbbbbbbbbb.json",
        "kap-quizzes/dddddddddddddddd.json",
        "kap-specs/aaaaaaaaaaaaaaaa.json",
        "kap-tables/cccccccccccccccc.html",
    ]


def test_every_file_of_the_built_site_is_named_by_a_page(built_site):
    from book.site.deferred import unused_site_files

    assert list((built_site / "_static").glob("kap-specs/*.json")), "no deferred files in the built site"
    assert unused_site_files(built_site) == []


class _FakeRenderer:
    """What myst-nb hands a MIME renderer plugin: the document, a logger and the per-page asset API."""

    def __init__(self):
        self.renderer = SimpleNamespace(document=SimpleNamespace(attributes={}), sphinx_env=SimpleNamespace(docname="chapters/x"))
        self.js_files, self.warnings = {}, []
        self.logger = SimpleNamespace(warning=lambda message, **kwargs: self.warnings.append(message))

    def add_js_file(self, key, uri, kwargs):
        self.js_files[key] = (uri, kwargs)


def test_the_plugin_renders_vega_outputs_and_reports_vega_lite_warnings():
    renderer = _FakeRenderer()
    data = SimpleNamespace(
        mime_type=VEGA_MIME,
        content=_vega([{"x": 1}]),
        cell_index=3,
        output_index=0,
        line=7,
        output_metadata={VEGA_MIME: {"kap_warnings": ["xOffset dropped because x is continuous"]}},
    )
    nodes = VegaMimeRenderer.handle_mime(renderer, data, False)
    assert 'id="kap-chart-3-0"' in nodes[0].astext()
    assert nodes[0].astext().endswith(LIBRARY_PLACE)  # the page's first chart: the library is placed just after it
    assert renderer.warnings == ["chart in cell 3: Vega-Lite says: xOffset dropped because x is continuous"]
    assert [uri for uri, _ in renderer.js_files.values()] == [uri for _, uri in CHART_SCRIPTS]
    assert all(kwargs == {"async": "async", "fetchpriority": "high"} for _, kwargs in renderer.js_files.values())
    other = SimpleNamespace(mime_type="text/html", content="<p>", string="<p>", output_metadata={})
    assert VegaMimeRenderer.handle_mime(renderer, other, False) is None


def test_template_rewrites_warn_when_their_pattern_no_longer_matches(monkeypatch):
    import book.sphinx_offline as offline

    warned = []
    monkeypatch.setattr(offline, "_warn_unmatched", lambda what, where: warned.append(what))
    head = (
        '<link href="a.css" rel="stylesheet" />\n'
        '  <script defer src="../_static/scripts/fontawesome.js?digest=1"></script>\n<meta name="x"/>'
    )
    assert "fontawesome" not in without_scripts(head, "fontawesome.js") and not warned
    assert without_scripts("<meta/>", "fontawesome.js") == "<meta/>" and warned == [
        "removing fontawesome.js from the theme's page head"
    ]
    assert len(warned) == 1


def test_inputs_that_change_decide_what_is_rebuilt():
    """Every page depends on data/ and book/ (a change re-executes the notebooks); the root page also on the scripts and
    stylesheets (so that Sphinx copies a changed one): dependencies noted with env.note_dependency."""
    import book.sphinx_offline as offline

    noted: list[str] = []
    app = SimpleNamespace(config=SimpleNamespace(root_doc="index"), env=SimpleNamespace(note_dependency=noted.append))
    offline._note_inputs(app, "chapters/a", [])
    assert any(p.endswith("data/studies.csv") for p in noted) and any(p.endswith("book/evidence/rules/base.py") for p in noted)
    assert not any("/site/static/" in p for p in noted)
    noted.clear()
    offline._note_inputs(app, "index", [])
    assert any(p.endswith("book/site/static/kap-book.css") for p in noted)


def test_bibliography_entries_have_no_aria_roles():
    from docutils import nodes

    from book.site.offline import depart_citation, visit_citation

    section = nodes.section()
    section += [nodes.citation(), nodes.citation()]
    writer = SimpleNamespace(body=[], starttag=lambda node, tag, classes: f'<{tag} class="{" ".join(classes)}">')
    for node in section.children:
        visit_citation(writer, node)
        depart_citation(writer, node)
    html = "".join(writer.body)
    assert "role=" not in html
    assert html.count('<div class="citation-list">') == 1 and html.count("<div") == html.count("</div>") == 3


def test_chart_library_placed_once_after_the_first_chart():
    """The library's script goes to the first chart's place only; a body without the place gives None."""
    body = f'<p>text</p><div class="kap-chart"></div>{LIBRARY_PLACE}<p>more</p><div class="kap-chart"></div>{LIBRARY_PLACE}'
    placed = place_chart_library(body, '<script src="lib.js"></script>')
    chart = '<div class="kap-chart"></div>'
    assert placed == f'<p>text</p>{chart}<script src="lib.js"></script><p>more</p>{chart}'
    assert place_chart_library("<p>no chart</p>", '<script src="lib.js"></script>') is None


def test_built_pages_load_only_what_they_use(built_site):
    """No Font Awesome script, no MathJax, no widget state, no search index outside the search page, theme scripts
    deferred, and the chart library only on pages with charts (preloaded from the head, run just after the first chart)."""
    pages = [p for p in built_site.rglob("*.html") if not p.relative_to(built_site).as_posix().startswith("_static/")]
    assert len(pages) >= 8
    for page in pages:
        text = page.read_text(encoding="utf-8")
        name = page.relative_to(built_site).as_posix()
        assert "scripts/fontawesome.js" not in text, name
        assert not re.search(r"<script[^>]*mathjax", text, re.I), f"{name} loads MathJax"
        assert "application/vnd.jupyter.widget-state+json" not in text, f"{name} carries widget state nothing reads"
        assert "cdn.jsdelivr" not in text and "maybeLoadScript" not in text, f"{name} still has Altair's CDN loader"
        has_charts = 'class="kap-chart"' in text
        assert ("kap-vendor/kap-charts.js" in text) == has_charts, f"{name}: chart library without charts, or charts without it"
        if has_charts:  # preloaded from the head; the script itself just after the first chart (book.site.mime)
            head, body = text.split("</head>", 1)
            preload = r'<link rel="preload" as="script" fetchpriority="high" href="[^"]*kap-vendor/kap-charts\.js'
            assert re.search(preload, head) and not re.search(r"<script[^>]*kap-charts\.js", head), name
            script = re.search(r'<script src="[^"]*kap-vendor/kap-charts\.js\?v=[0-9a-f]+"></script>', body)
            assert script and body.count("kap-charts.js") == 1, name
            first_chart = re.search(r'<div class="kap-chart" id="([^"]+)"></div>', body)
            spec = re.compile(rf'<script type="application/json" data-kap-chart="{first_chart.group(1)}"[^>]*>.*?</script>', re.S)
            assert script.start() == spec.search(body, first_chart.end()).end(), name  # right after the first chart's spec
            assert LIBRARY_PLACE not in text, name
        if name != "search.html":
            assert "searchindex.js" not in text, f"{name} loads the search index outside the search page"
            assert not re.search(r'<script src="[^"]*_static/doctools\.js', text), (
                f"{name} loads the theme's scripts without defer"
            )


def test_the_site_serves_the_chart_library_itself(built_site):
    library = built_site / "_static" / "kap-vendor" / "kap-charts.js"
    text = library.read_text(encoding="utf-8")
    assert text.startswith("/* Vega ") and "vegaEmbed" in text and "data-kap-chart" in text
    assert not (built_site / "_static" / "kap-vendor" / "mathjax").exists()


def test_icon_code_points_come_from_icon_classes_and_from_other_rules():
    from book.icon_fonts import icon_code_points, used_icon_classes

    css = (
        '.fa-magnifying-glass:before,.fa-search:before{content:"\\f002"}.fa-rocket:before{content:"\\f135"}'
        'html{--pst-icon-exclamation-triangle:"\uf071"}.admonition:after{content:"\\f05a"}'
    )
    by_class, elsewhere = icon_code_points(css)
    assert by_class == {"fa-magnifying-glass": {0xF002}, "fa-search": {0xF002}, "fa-rocket": {0xF135}}
    assert elsewhere == {0xF071, 0xF05A}
    assert used_icon_classes(['<i class="fa-solid fa-magnifying-glass fa-lg">', 'icon: "fa-sun"']) == {
        "fa-solid",
        "fa-magnifying-glass",
        "fa-lg",
        "fa-sun",
    }


def test_the_sites_icon_fonts_hold_only_the_icons_it_shows(built_site):
    from fontTools.ttLib import TTFont

    solid = built_site / "_static" / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2"
    glyphs = TTFont(solid).getBestCmap()
    assert solid.stat().st_size < 20_000, "the icon font was not cut down"
    assert {0xF002, 0xF0C9, 0xF019, 0xF071} <= set(glyphs)  # search, menu, download, the warning admonition's icon


def test_quizzes_load_nothing_from_another_host():
    """jupyterquiz's script would load MathJax from a CDN in JupyterLab; the book's copy (inline in every quiz
    output, and served on the site) does not."""
    from book.quiz import offline_quiz_script
    from book.sphinx_offline import quiz_library

    assert "https://" not in quiz_library() and "no MathJax from a CDN" in quiz_library()
    with pytest.raises(RuntimeError, match="another host"):
        offline_quiz_script("load('https://cdn.example.org/new-dependency.js')")
    for chapter in sorted((ROOT / "chapters").glob("*.ipynb")):
        assert "cdn.jsdelivr.net" not in chapter.read_text(encoding="utf-8"), chapter.name


def test_quizzes_use_mathjax_only_when_it_has_a_version():
    """JupyterLab 4's window.MathJax has no version; jupyterquiz read MathJax.version[0] and threw in every quiz. The
    book's copy (stored in every quiz output, and served on the site) tests for a version first."""
    from book.quiz import offline_quiz_script
    from book.sphinx_offline import quiz_library

    guarded = offline_quiz_script("if (typeof MathJax != 'undefined') { go(MathJax.version[0]); }")
    assert guarded == "if (typeof MathJax != 'undefined' && typeof MathJax.version == 'string') { go(MathJax.version[0]); }"
    later = offline_quiz_script("setTimeout(function () { var version = MathJax.version; go(version[0]); }, 500);")
    assert later == "setTimeout(function () { var version = String(MathJax.version); go(version[0]); }, 500);"
    for script in (quiz_library(), _stored_quiz_script()):
        assert not re.search(r"typeof MathJax !==? 'undefined'\)", script)
        assert not re.search(r"= MathJax\.version;", script) and "typeof MathJax.version == 'string'" in script


def _stored_quiz_script(chapter: str = "opioids") -> str:
    nb = json.loads((ROOT / "chapters" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            script = output.get("data", {}).get("application/javascript")
            if script:
                return "".join(script) if isinstance(script, list) else script
    raise AssertionError(f"{chapter} stores no quiz output")


def test_a_quiz_on_the_site_keeps_its_questions_and_starts_once_the_deferred_library_has_run():
    """The site serves jupyterquiz's library once (with defer): a quiz's output keeps its questions and start-up
    code only, and joins a queue the served library ends by starting (issue 22, issue 25)."""
    from book.site.mime import quiz_library, quiz_startup

    script = _stored_quiz_script()
    startup = quiz_startup(script)
    assert startup is not None and quiz_library() in script
    assert quiz_library() not in startup and "typeof Question" not in startup
    assert startup.startswith(script[: script.index("if (typeof Question")])  # the questions, unchanged
    assert "(window.kapQuizStarts = window.kapQuizStarts || []).push(try_show);" in startup
    assert quiz_startup("console.log('not a quiz')") is None  # other scripts: myst-nb renders them
    assert quiz_startup(script.replace("// Invoke immediately", "// Invoke now")) is None  # a new jupyterquiz: warn, keep


def test_a_quizs_questions_are_a_file_fetched_when_it_comes_near():
    from book.site.later_scripts import compact
    from book.site.mime import quiz_questions_later, quiz_startup

    nb = json.loads((ROOT / "chapters" / "alcohol.ipynb").read_text(encoding="utf-8"))
    scripts = [
        "".join(o["data"]["application/javascript"])
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if "application/javascript" in o.get("data", {})
    ]
    startup = quiz_startup(max(scripts, key=len))  # the chapter's longest quiz
    quiz_id = re.match(r"var questions(\w+)=", startup).group(1)
    questions, end = json.JSONDecoder().raw_decode(startup, startup.index("=") + 1)
    files: dict[str, str] = {}
    later = quiz_questions_later(startup, files, "../_static/")
    ((name, text),) = files.items()
    assert name.startswith("kap-quizzes/") and json.loads(text) == questions
    assert later.startswith(f"var questions{quiz_id};\n(window.kapQuizQueue = window.kapQuizQueue || []).push(")
    assert f'src: "../_static/{name}"' in later and compact(startup[end:].lstrip()[1:]) in later  # the start-up code
    assert json.dumps(questions[0]["question"])[1:20] not in later
    assert "/*" not in later.split("show: function")[1]  # jupyterquiz's comments left out
    short = f"var questions{quiz_id}=" + '[{"question": "q"}];\n{try_show();}'  # every quiz: short ones too
    assert quiz_questions_later(short, files, "../_static/") is not None and len(files) == 2
    assert quiz_questions_later("console.log(1)", files, "../_static/") is None


def test_quiz_pages_load_the_quiz_library_once_with_defer_or_after_the_first_chart(built_site):
    for page in built_site.glob("chapters/*.html"):
        html = page.read_text(encoding="utf-8")
        if "var questions" not in html:
            continue
        tags = re.findall(r"<script[^>]*kap-vendor/jupyterquiz\.js[^>]*>", html)
        # deferred, or on a chart page held until the first chart has drawn (book/site/later_scripts.py)
        assert len(tags) == 1 and ("defer" in tags[0] or 'type="text/x-kap-later"' in tags[0]), (page.name, tags)
        assert "typeof Question" not in html, page.name  # no quiz carries its own copy


def test_the_launch_menus_logos_load_lazily(built_site):
    from book.site.offline import lazy_menu_images

    html = '<img alt="Colab logo" src="../_static/images/logo_colab.png"><img src="figure.png">'
    assert str(lazy_menu_images(html)) == (
        '<img loading="lazy" alt="Colab logo" src="../_static/images/logo_colab.png"><img src="figure.png">'
    )
    assert str(lazy_menu_images(str(lazy_menu_images(html)))) == str(lazy_menu_images(html))  # once
    page = (built_site / "chapters" / "safety.html").read_text(encoding="utf-8")
    logos = re.findall(r"<img [^>]*_static/images/logo_[^>]*>", page)
    assert logos and all('loading="lazy"' in logo for logo in logos)


def test_a_chart_pages_first_chart_files_are_preloaded_from_its_head(built_site):
    """The first chart's larger data and spec are files too (book/site/deferred.py), preloaded in the page head so that
    they arrive while the chart library loads; every preloaded file exists and is the first chart's."""
    pages = 0
    for page in sorted(built_site.glob("chapters/*.html")):
        html = page.read_text(encoding="utf-8")
        first = re.search(r'<div class="kap-chart" id="([^"]+)">', html)
        if first is None:
            continue
        pages += 1
        head = html[: html.index("</head>")]
        preloads = re.findall(r'<link rel="preload" as="fetch" crossorigin="anonymous" href="([^"]+)">', head)
        early = re.search(r"<script data-kap-early>.*?\)\((\[.*?\])\);</script>", head)
        assert (json.loads(early.group(1)) if early else []) == preloads, page.name  # each is read from the head too
        spec = re.search(rf'<script type="application/json" data-kap-chart="{first.group(1)}"([^>]*)>', html).group(1)
        source = re.search(r'data-kap-src="([^"]+)"', spec)
        assert not source or source.group(1) in preloads, page.name
        for url in preloads:
            assert (page.parent / url).resolve().is_file(), (page.name, url)
        assert len(html.encode("utf-8")) < 260 * 1024, page.name  # the page's HTML holds text, not the first chart's data
    assert pages >= 11


def test_the_first_charts_files_are_read_from_the_head_into_window_kap_early():
    from book.site.deferred import early_read_script

    script = early_read_script(["../_static/kap-data/a.json", "../_static/kap-specs/</b.json"])
    assert script.startswith("<script data-kap-early>(function(u){var e=window.kapEarly={}")
    assert script.endswith('})(["../_static/kap-data/a.json", "../_static/kap-specs/<\\/b.json"]);</script>')
    assert script.count("</script>") == 1 and ".catch(function(){})" in script  # a failed read is never unhandled


def test_markup_that_does_nothing_on_the_site_is_left_out(built_site):
    from book.site.offline import without_inert_markup

    body = (
        '<div class="output text_html"><style type="text/css">\n</style>\n<table></table></div>\n'
        '    <script type="text/x-thebe-config">\n    {\n        requestKernel: true\n    }\n    </script>\n'
        "    <script>kernelName = 'python3'</script>\n</article>"
    )
    assert without_inert_markup(body) == '<div class="output text_html"><table></table></div>\n</article>'
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "x-thebe-config" not in html and "kernelName" not in html, page
        assert not re.search(r'<style type="text/css">\s*</style>', html), page


def test_a_pages_quizzes_share_the_first_quizs_rules_and_colours():
    from book.site.mime import quiz_html_once

    first = '<div id="abc" data-shufflequestions="True"><style>\n#abc {\n --jq-x: #fff;\n}\n.Quiz { margin: 0; }\n</style></div>'
    same, other = first.replace("abc", "xyz"), first.replace("abc", "uvw").replace("#fff", "#000")
    page: dict = {}
    assert quiz_html_once(first, page) == first.replace("#abc {", "div[data-numquestions] {")
    assert quiz_html_once(same, page) == '<div id="xyz" data-shufflequestions="True"></div>'
    assert quiz_html_once(other, page) == (
        '<div id="uvw" data-shufflequestions="True"><style>\n#uvw {\n --jq-x: #000;\n}\n</style></div>'
    )
    assert quiz_html_once("<div>not a quiz</div>", page) is None


def test_markup_that_sets_nothing_is_plain_text(built_site):
    """Code tokens whose colour is the code block's own, and the bracket spans around reference labels, are written as
    plain text (book/site/offline.py): the built stylesheet gives those tokens the block's colour and styles no
    bracket span, so the page looks the same."""
    from book.site.offline import PLAIN_TOKENS, plain_brackets, plain_code_tokens

    code = '<div class="highlight"><pre><span class="n">x</span><span class="w"> </span><span class="o">=</span></pre></div>'
    assert plain_code_tokens(code + '<span class="n">prose</span>') == (
        '<div class="highlight"><pre>x <span class="o">=</span></pre></div><span class="n">prose</span>'
    )
    assert plain_brackets('<span class="fn-bracket">[</span>S1<span class="fn-bracket">]</span>') == "[S1]"
    css = (built_site / "_static" / "kap-site.css").read_text(encoding="utf-8")
    assert "fn-bracket" not in css
    for theme in ("light", "dark"):
        block = re.search(rf'html\[data-theme="{theme}"\] \.highlight \{{[^}}]*color: (#\w+)', css).group(1)
        for token in PLAIN_TOKENS:
            colour = re.search(rf'html\[data-theme="{theme}"\] \.highlight \.{token} \{{ color: (#\w+)', css).group(1)
            assert colour.lower() == block.lower(), (theme, token, colour, block)
    assert "div.highlight > pre { color: inherit; }" in css
    page = (built_site / "chapters" / "safety.html").read_text(encoding="utf-8")
    assert 'class="fn-bracket"' not in page and '<span class="n">' not in page


def test_the_headers_icon_fonts_are_preloaded_before_the_stylesheet(monkeypatch):
    import book.site.offline as offline
    from book.site.icon_fonts import HEADER_ICON_FONTS, icon_font_preloads

    head = str(
        icon_font_preloads('<meta name="x"/>\n  <link rel="stylesheet" href="../_static/kap-site.css?v=1" />\n', "chapters/x")
    )
    fonts = re.findall(r'<link rel="preload" as="font" type="font/woff2" crossorigin="anonymous" href="([^"]+)" />', head)
    assert fonts == [f"../_static/vendor/fontawesome/webfonts/{name}" for name in HEADER_ICON_FONTS]
    assert head.index('as="font"') < head.index("kap-site.css") and head.startswith('<meta name="x"/>\n')
    warned = []
    monkeypatch.setattr(offline, "_warn_unmatched", lambda what, where: warned.append(what))
    assert str(icon_font_preloads("<meta/>")) == "<meta/>" and warned == ["preloading the header's icon fonts"]


def test_every_page_preloads_the_headers_icon_fonts_from_the_site(built_site):
    from book.site.icon_fonts import HEADER_ICON_FONTS

    bundle = (built_site / "_static" / "kap-site.css").read_text(encoding="utf-8")
    for page in built_site.rglob("*.html"):
        head = page.read_text(encoding="utf-8").partition("</head>")[0]
        if "kap-site.css" not in head:
            continue  # a long table's own page (book/site/deferred.py) has its own small style and no icons; theme templates
        fonts = re.findall(r'<link rel="preload" as="font"[^>]*href="([^"]+)"', head)
        assert [url.rsplit("/", 1)[1] for url in fonts] == list(HEADER_ICON_FONTS), page
        for url in fonts:
            assert (page.parent / url).resolve().is_file(), (page, url)
    for name in HEADER_ICON_FONTS:
        assert f"vendor/fontawesome/webfonts/{name}" in bundle  # the stylesheet's @font-face asks for the same file


def test_pages_write_sphinxs_documentation_options_into_the_page(built_site, monkeypatch):
    """book/site/offline.py inline_documentation_options: the script Sphinx renders for _static/ is written into every
    page in place of its request; a page without it (a Sphinx or theme upgrade) warns."""
    import book.site.offline as offline

    served = (built_site / "_static" / "documentation_options.js").read_text(encoding="utf-8").strip()
    pages = 0
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        head = text.partition("</head>")[0]
        if "DOCUMENTATION_OPTIONS.pagename" not in head:
            continue  # a long table's own page (book/site/deferred.py); theme templates
        pages += 1
        assert "documentation_options.js" not in head, page
        assert f"<script>{served}</script>" in head, page
        assert head.index(served) < head.index("DOCUMENTATION_OPTIONS.pagename"), page  # set before the theme uses it
    assert pages > 20
    warned = []
    monkeypatch.setattr(offline, "_warn_unmatched", lambda what, where: warned.append(what))
    assert str(offline.inline_documentation_options("<script src='x.js'></script>", {})) == "<script src='x.js'></script>"
    assert warned == ["writing documentation_options.js into the page"]


def test_pages_hold_no_print_only_contents_list(built_site, monkeypatch):
    """sphinx-book-theme's print-only title and contents list is left out (book/site/offline.py): no reader sees it, and in
    the page's main region it became the summary of search results for words in section headings."""
    import book.site.offline as offline

    warned = []
    monkeypatch.setattr(offline, "_warn_unmatched", lambda what, where: warned.append(what))
    block = '<div id="jb-print-docs-body" class="onlyprint">\n<h1>T</h1><div id="print-main-content"><div>x</div></div>\n</div>\n'
    rest = '<div id="searchbox"></div><article><div>text</div></article></main>'
    html = f'<main><div class="bd-header-article"></div>\n{block}{rest}'
    assert str(offline.without_print_contents(html)) == f'<main><div class="bd-header-article"></div>\n{rest}'
    assert not warned
    assert str(offline.without_print_contents("<main></main>")) == "<main></main>" and len(warned) == 1  # a theme upgrade
    unclosed = '<div id="jb-print-docs-body"><div></div>'
    assert str(offline.without_print_contents(unclosed)) == unclosed and len(warned) == 2
    pages = sorted(built_site.rglob("*.html"))
    assert pages and not [p.name for p in pages if "jb-print-docs-body" in p.read_text(encoding="utf-8")]
