"""The Sphinx extension that keeps the site on its own origin."""

from types import SimpleNamespace

from book.sphinx_offline import _localise_charts, foreign_assets


def test_foreign_assets_are_found_in_the_body_and_the_asset_lists():
    context = {
        "body": '<p>text</p><script src="https://cdn.jsdelivr.net/npm/x.js"></script><img src="//example.org/a.png">'
                '<a href="https://doi.org/10.1/x">a link is fine</a><link rel="stylesheet" href="https://fonts.example/css">',
        "script_files": [SimpleNamespace(filename="https://unpkg.com/y.js", attributes={}),
                         SimpleNamespace(filename="_static/local.js", attributes={})],
        "css_files": [],
    }
    assert foreign_assets(context) == ["//example.org/a.png", "https://cdn.jsdelivr.net/npm/x.js",
                                       "https://fonts.example/css", "https://unpkg.com/y.js"]


def test_chart_libraries_are_rewritten_to_the_site():
    body = ('"vega": "https://cdn.jsdelivr.net/npm/vega@6?noext", "vega-lite": "https://cdn.jsdelivr.net/npm/vega-lite@6.4.1?noext", '
            '"vega-embed": "https://cdn.jsdelivr.net/npm/vega-embed@7?noext", maybeLoadScript("vega", "6")')
    context = {"body": body, "pathto": lambda target, resource: "../" + target}
    _localise_charts(None, "chapters/x", context)
    assert "cdn.jsdelivr" not in context["body"]
    assert '<script src="../_static/kap-vendor/vega.min.js"></script>' in context["body"]
    assert 'vega_version: "6"' in context["body"]
    assert foreign_assets(context) == []


def test_built_pages_are_trimmed():
    """No page loads the theme's Font Awesome script; MathJax only where a page shows math."""
    from pathlib import Path

    site = Path(__file__).resolve().parent.parent / "_build" / "html"
    if not (site / "index.html").is_file():
        import pytest

        pytest.skip("build the site first (jupyter-book build .)")
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "scripts/fontawesome.js" not in text, page
        if "mathjax/tex-chtml.js" in text:
            assert 'class="math' in text, f"{page} loads MathJax without showing math"
        assert "vega-lite.min.js" not in text, f"{page} loads the Vega-Lite compiler; its charts should be compiled"
        assert "application/vnd.jupyter.widget-state+json" not in text, f"{page} carries widget state nothing reads"
        if page.name != "search.html":
            assert "searchindex.js" not in text, f"{page} loads the search index outside the search page"
            assert '<script src="../_static/doctools.js' not in text and '<script src="_static/doctools.js' not in text, \
                f"{page} loads the theme's scripts without defer"


def _node_and_vega_lite():
    import shutil
    from pathlib import Path

    import pytest

    root = Path(__file__).resolve().parent.parent
    if shutil.which("node") is None or not (root / "node_modules" / "vega-lite").is_dir():
        pytest.skip("needs Node.js and `npm ci` (node_modules/vega-lite)")
    return root


def test_altair_charts_are_compiled_to_vega_with_each_dataset_once():
    import altair as alt
    import pandas as pd

    from book.sphinx_offline import precompile_charts

    root = _node_and_vega_lite()
    data = pd.DataFrame({"study": ["A", "B"], "percent": [10.0, 20.0]})
    first = alt.Chart(data, description="first").mark_point().encode(x="percent:Q", y="study:N")
    second = alt.Chart(data, description="second").mark_bar().encode(x="percent:Q", y="study:N")
    html = "".join(chart._repr_mimebundle_()["text/html"] for chart in (first, second))

    body, datasets = precompile_charts(html, root, "chapters/x")

    assert body.count("kapChart(") == 2
    assert "maybeLoadScript" not in body and "vega-lite" not in body  # the browser never needs the compiler
    assert '"$schema":"https://vega.github.io/schema/vega/v' in body
    assert datasets.count('"study":"A"') == 1  # the shared data once, referenced by both charts
    assert body.count("KAP_DATASETS[") == 2


def test_a_page_with_compiled_charts_loads_vega_but_not_vega_lite():
    import altair as alt
    import pandas as pd

    root = _node_and_vega_lite()
    chart = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q")
    context = {"body": chart._repr_mimebundle_()["text/html"], "pathto": lambda target, resource: "../" + target}
    _localise_charts(SimpleNamespace(confdir=str(root)), "chapters/x", context)
    assert '<script src="../_static/kap-vendor/vega.min.js"></script>' in context["body"]
    assert '<script src="../_static/kap-vendor/vega-embed.min.js"></script>' in context["body"]
    assert "vega-lite.min.js" not in context["body"]
    assert foreign_assets(context) == []


def test_inputs_that_change_decide_what_is_rebuilt(tmp_path, monkeypatch):
    """Changed data or Python rebuilds every page (re-executing the notebooks); a changed script or stylesheet rebuilds only the
    root page (so that Sphinx copies it); nothing changed, nothing extra."""
    import book.sphinx_offline as offline

    stamps = {offline._EXECUTION_INPUTS: 1.0, offline._STATIC_INPUTS: 1.0}
    monkeypatch.setattr(offline, "_inputs_stamp", lambda patterns: stamps[patterns])
    app = SimpleNamespace(doctreedir=str(tmp_path), config=SimpleNamespace(root_doc="index"))
    env = SimpleNamespace(found_docs={"index", "chapters/a", "chapters/b"},
                          doc2path=lambda d: f"{d}.md" if d == "index" else f"{d}.ipynb")

    def outdated():
        found = offline._reexecute_when_inputs_change(app, env, set(), set(), set())
        offline._save_inputs_stamps(app, None)
        return sorted(found)

    assert outdated() == []  # first build: Sphinx builds everything anyway
    assert outdated() == []
    stamps[offline._STATIC_INPUTS] = 2.0
    assert outdated() == ["index"]
    stamps[offline._EXECUTION_INPUTS] = 2.0
    assert outdated() == ["chapters/a", "chapters/b", "index"]
