"""book.teaching.folded: a solution cell's answer stays folded after JupyterLab runs the cell."""

import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell

from book.teaching.folded import FOLD_CLASS, SUMMARY, folded, folded_prints
from book.views.kit import styled

pytestmark = pytest.mark.unit


def test_a_table_is_shown_inside_a_closed_fold_and_as_its_text_elsewhere():
    result = folded(styled(pd.DataFrame({"Study": ["Grabski 2022"], "Judgement": ["some concerns"]}), "RoB", "t-fold"))
    html = result._repr_html_()
    assert html.startswith(f'<details class="{FOLD_CLASS}"><summary>{SUMMARY}</summary>') and "open" not in html[:60]
    assert "<table" in html and "Grabski 2022" in html and html.endswith("</details>")
    assert "Grabski 2022" in repr(result) and "some concerns" in repr(result)


def test_plain_values_are_escaped_in_the_fold():
    assert "<pre>3 &lt; 4</pre>" in folded("3 < 4")._repr_html_()


def test_what_a_block_prints_is_displayed_folded_not_printed(capsys, monkeypatch):
    shell = InteractiveShell.instance()
    shown = []
    monkeypatch.setattr(shell.display_pub, "publish", lambda data, metadata=None, **kw: shown.append(data))
    with folded_prints():
        print("5 RCTs <in> alcohol")
    assert capsys.readouterr().out == ""
    assert shown and "<pre>5 RCTs &lt;in&gt; alcohol</pre>" in shown[0]["text/html"]
    assert shown[0]["text/plain"] == "5 RCTs <in> alcohol"


def test_what_was_printed_before_an_error_is_still_shown(monkeypatch):
    shell = InteractiveShell.instance()
    shown = []
    monkeypatch.setattr(shell.display_pub, "publish", lambda data, metadata=None, **kw: shown.append(data))
    with pytest.raises(ZeroDivisionError), folded_prints():
        print("before")
        1 / 0  # noqa: B018
    assert shown[0]["text/plain"] == "before"
