"""The forest chart's in-browser pooled estimate agrees with :func:`book.effects.pool`.

The forest chart computes a DerSimonian-Laird pooled estimate inside Vega (``transform_calculate``
expressions) and prints it in a text mark, e.g. "0.70 (0.03 to 16.51), k=2, I² 93%". Here the chart's
bound inputs are set, the chart is rendered by Vega itself (vl-convert, no browser), the pooled text
is found by its pattern (not its position, so layout changes do not matter), and its numbers are
compared with ``pool(..., method="DL")`` in Python on the rows the same filters leave, to the
precision printed (estimate and CI to 2 decimals, k exactly, I² to whole percent).
"""

from __future__ import annotations

import copy
import re

import pandas as pd
import pytest
from chart_helpers import drawn_texts

from book.charts import forest_chart
from book.data import load_outcomes
from book.effects import pool, ratio_text, study_effects

# A test of the code, not of the evidence: the loaders read the small fixture package (tests/fixtures/data).
pytestmark = pytest.mark.usefixtures("fixture_data")

# "0.70 (0.03 to 16.51), k=2, I² 93%"; tolerant of wrapping, of "95% CI" and of d3's minus sign.
NUMBER = r"-?\d+(?:\.\d+)?"
SUMMARY = re.compile(
    rf"(?P<est>{NUMBER})\s*\(\s*(?:95%\s*CI\s*)?(?P<lo>{NUMBER})\s*to\s*(?P<hi>{NUMBER})\s*\)\s*,?\s*"
    rf"k\s*=\s*(?P<k>\d+)\s*,?\s*I²\s*(?P<i2>{NUMBER})\s*%"
)

# (substance_choice, randomized_only, effect_measure, min_n): each leaves two or more results.
SETTINGS = [
    ("all", False, "OR", 0),  # odds ratios, printed back on the ratio scale
    ("all", False, "OR", 59),  # min_n is inclusive: the smallest study (n=59) stays
    ("all", False, "MD", 0),  # mean differences, three results, heterogeneous
    ("alcohol", True, "MD", 0),  # one substance, randomized studies only
    ("alcohol", False, "MD", 64),  # a participant threshold that drops a study
]
# Settings that leave fewer than two results: no pooled text at all.
TOO_FEW = [
    ("all", False, "HR", 0),
    ("all", False, "OR", 60),
    ("opioids", False, "OR", 0),
]


@pytest.fixture(scope="module")
def effects() -> pd.DataFrame:
    return study_effects(load_outcomes())


@pytest.fixture(scope="module")
def spec(effects) -> dict:
    return forest_chart(effects).to_dict()


def _with_params(spec: dict, **values) -> dict:
    """A copy of the Vega-Lite spec with the bound parameters' values set."""
    out = copy.deepcopy(spec)
    params = {p["name"]: p for p in out.get("params", [])}
    for name, value in values.items():
        assert name in params, f"the forest chart has no parameter {name!r} (it has {sorted(params)})"
        params[name]["value"] = value
    return out


def _pooled_summaries(spec: dict) -> list[re.Match]:
    """The pooled-estimate texts the rendered chart shows, parsed."""
    texts = [" ".join(lines).replace("\u2212", "-") for lines in drawn_texts(spec)]  # d3-format writes a Unicode minus
    return [m for m in (SUMMARY.search(t) for t in texts) if m]


def _chart_rows(effects: pd.DataFrame, substance: str, randomized_only: bool, measure: str, min_n: int) -> pd.DataFrame:
    """The rows the chart's filters keep, with the chart's own rules, in pandas."""
    keep = effects["measure"] == measure
    if substance != "all":
        keep &= effects["substance"].astype(str) == substance
    if randomized_only:
        keep &= effects["randomized"].astype(bool)
    keep &= effects["n_participants"].astype("Float64").fillna(0) >= min_n  # "(datum.n || 0) >= min_n"
    return effects[keep.astype(bool)]


def _agrees(printed: str, value: float, decimals: int) -> bool:
    """``printed`` is ``value`` rounded to ``decimals`` (allowing for float noise right at a rounding boundary)."""
    return abs(float(printed) - value) <= 0.5 * 10**-decimals + 1e-9


@pytest.mark.parametrize(
    "substance, randomized_only, measure, min_n",
    SETTINGS,
    ids=[f"{s}-{'rand' if r else 'any'}-{m}-n{n}" for s, r, m, n in SETTINGS],
)
def test_pooled_text_matches_python(spec, effects, substance, randomized_only, measure, min_n):
    rows = _chart_rows(effects, substance, randomized_only, measure, min_n)
    assert len(rows) >= 2, "this setting should leave at least two results to pool"
    expected = pool(rows["yi"], rows["vi"], method="DL", measure=measure)

    shown = _pooled_summaries(
        _with_params(spec, substance_choice=substance, randomized_only=randomized_only, effect_measure=measure, min_n=min_n)
    )
    assert len(shown) == 1, f"expected one pooled summary in the chart, found {[m.group(0) for m in shown]}"
    got = shown[0]
    python = (
        f"{expected.estimate:.2f} ({expected.ci_lower:.2f} to {expected.ci_upper:.2f}), k={expected.k}, I² {expected.i2:.0f}%"
    )
    where = f"chart shows {got.group(0)!r}, Python's pool(method='DL') gives {python!r}"
    assert int(got["k"]) == expected.k, where
    assert _agrees(got["est"], expected.estimate, 2), where
    assert _agrees(got["lo"], expected.ci_lower, 2), where
    assert _agrees(got["hi"], expected.ci_upper, 2), where
    assert _agrees(got["i2"], expected.i2, 0), where


@pytest.mark.parametrize(
    "substance, randomized_only, measure, min_n",
    TOO_FEW,
    ids=[f"{s}-{'rand' if r else 'any'}-{m}-n{n}" for s, r, m, n in TOO_FEW],
)
def test_no_pooled_text_with_fewer_than_two(spec, effects, substance, randomized_only, measure, min_n):
    assert len(_chart_rows(effects, substance, randomized_only, measure, min_n)) < 2
    shown = _pooled_summaries(
        _with_params(spec, substance_choice=substance, randomized_only=randomized_only, effect_measure=measure, min_n=min_n)
    )
    assert shown == [], f"a pooled summary is shown for fewer than two results: {[m.group(0) for m in shown]}"


def test_a_ratio_outside_what_two_decimals_show_is_printed_as_python_prints_it(effects):
    """A pooled ratio whose interval runs past 0.01 and 1000 reads "<0.01" and ">1000" in the chart, as the pooled
    result printed in a notebook does (book.evidence.effects.ratio_text), not "0.00" (a ratio of zero)."""
    rows = _chart_rows(effects, "all", False, "OR", 0).copy()
    rows["vi"] = rows["vi"] * 400  # intervals 20 times as wide on the log scale as the data's: past both ends
    expected = pool(rows["yi"], rows["vi"], method="DL", measure="OR")
    assert expected.ci_lower < 0.005 and expected.ci_upper > 1000, "the setting should need both signs"
    texts = [" ".join(lines) for lines in drawn_texts(_with_params(forest_chart(rows).to_dict(), effect_measure="OR"))]
    summary = f"{ratio_text(expected.estimate)} (<0.01 to >1000)"
    assert f"{ratio_text(expected.ci_lower)} to {ratio_text(expected.ci_upper)}" == "<0.01 to >1000"
    assert any(text.startswith(summary) for text in texts), f"no text reads {summary!r}: {texts}"
