"""The site build's guards, on a two-page book built in a temporary folder: a chart whose Vega-Lite compile
warned, and a page that would load a script from another origin, each fail a ``-n -W`` build with a
message saying what and where."""

import json
import shutil
import subprocess

import nbformat
import pytest

from book.vega import vega_bundle

pytestmark = pytest.mark.execute  # a Sphinx build in a subprocess


def _write_book(folder):
    chart = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": "two points",
        "data": {"values": [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]},
        "mark": "point",
        "encoding": {
            "x": {"field": "a", "type": "quantitative"},
            "y": {"field": "a", "type": "quantitative"},
            "xOffset": {"field": "b", "type": "nominal"},
        },
    }
    bundle, metadata = vega_bundle(chart)
    assert metadata["application/vnd.vega.v5+json"]["kap_warnings"], "the chart should make Vega-Lite warn"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cell = nbformat.v4.new_code_cell("chart")
    cell.outputs = [nbformat.v4.new_output("display_data", data=bundle, metadata=metadata)]
    nb.cells = [nbformat.v4.new_markdown_cell("# A chart that warned"), cell]
    nbformat.write(nb, folder / "chart.ipynb")
    (folder / "index.md").write_text('# Guards\n\n<script src="https://cdn.example.org/lib.js"></script>\n')
    (folder / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n  - file: chart\n")
    (folder / "_config.yml").write_text(
        json.dumps(
            {
                "title": "Guards",
                "only_build_toc_files": True,
                "execute": {"execute_notebooks": "off"},
                "sphinx": {"extra_extensions": ["book.sphinx_offline"]},
            }
        )
    )


def test_a_vega_lite_warning_or_a_foreign_script_fails_the_strict_build(tmp_path):
    _write_book(tmp_path)
    jupyter_book = shutil.which("jupyter-book") or pytest.fail("jupyter-book is not installed (pip install -r requirements.txt)")
    done = subprocess.run(
        [jupyter_book, "build", str(tmp_path), "-n", "-W", "--keep-going"], capture_output=True, text=True, timeout=300
    )
    log = done.stdout + done.stderr
    assert done.returncode != 0, log[-2000:]
    assert "Vega-Lite says: xOffset dropped because x is continuous" in log, log[-2000:]
    assert "page index loads https://cdn.example.org/lib.js from another origin" in log, log[-2000:]
