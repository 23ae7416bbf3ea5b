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
