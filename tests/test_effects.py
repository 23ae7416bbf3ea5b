"""book.effects against published reference values, and its refusals.

Reference dataset: the 13 BCG vaccine trials (Colditz et al. 1994), as shipped by R's metafor
(``dat.bcg``). Counts are cases and group totals per trial, as listed in a Stata ``metan`` example
(gist doctorkid/453b846c1b1dae85ab45f69e5c58d8e9) and matching ``dat.bcg`` (tpos, tpos+tneg, cpos, cpos+cneg).

Reference results: metafor's own test file ``tests/testthat/test_misc_metan_vs_rma.uni_with_dat.bcg.r``
(wviechtb/metafor), which checks ``rma()`` against Stata's ``metan``:

* RR, DerSimonian-Laird: beta -0.7141, CI -1.0644 to -0.3638, tau2 0.3088, I2 92.1173; fixed-effect QE 152.2330.
* OR, DerSimonian-Laird: beta -0.7474, CI -1.1242 to -0.3706, tau2 0.3663, I2 92.6455; fixed-effect QE 163.1649.
* RD, DerSimonian-Laird: beta -0.0071, CI -0.0101 to -0.0040, tau2 0.0000, I2 95.6596.

Paule-Mandel: the Kacker (2004) example computed with metafor ``rma(method="PM")`` and recorded in
statsmodels' test results (``statsmodels/stats/tests/results/results_meta.py``, ``exk1_metafor``):
b 62.4076199113286, tau2 0.705395309224248, QE 24.801897741835, I2 83.7218626490482.
"""

import math
import warnings

import pytest

from book.data import load_outcomes
from book.effects import Z_95, binary_effect, pool, reported_effect, smd_effect, study_effects

# A test of the code, not of the evidence: the loaders read the small fixture package (tests/fixtures/data).
pytestmark = pytest.mark.usefixtures("fixture_data")

BCG = [  # (cases vaccinated, total vaccinated, cases control, total control)
    (4, 123, 11, 139),
    (6, 306, 29, 303),
    (3, 231, 11, 220),
    (62, 13598, 248, 12867),
    (33, 5069, 47, 5808),
    (180, 1541, 372, 1451),
    (8, 2545, 10, 629),
    (505, 88391, 499, 88391),
    (29, 7499, 45, 7277),
    (17, 1716, 65, 1665),
    (186, 50634, 141, 27338),
    (5, 2498, 3, 2341),
    (27, 16913, 29, 17854),
]


def _bcg(measure):
    effects = [binary_effect(*row, measure=measure) for row in BCG]
    return [e.yi for e in effects], [e.vi for e in effects]


@pytest.mark.parametrize(
    "measure, beta, lo, hi, tau2, i2, q",
    [
        ("RR", -0.7141, -1.0644, -0.3638, 0.3088, 92.1173, 152.2330),
        ("OR", -0.7474, -1.1242, -0.3706, 0.3663, 92.6455, 163.1649),
        ("RD", -0.0071, -0.0101, -0.0040, 0.0000, 95.6596, None),
    ],
)
def test_dersimonian_laird_matches_metafor_on_bcg(measure, beta, lo, hi, tau2, i2, q):
    yi, vi = _bcg(measure)
    p = pool(yi, vi, method="DL", measure=measure)
    assert p.yi == pytest.approx(beta, abs=1e-4)
    ci = (math.log(p.ci_lower), math.log(p.ci_upper)) if measure != "RD" else (p.ci_lower, p.ci_upper)
    assert ci == pytest.approx((lo, hi), abs=1e-4)
    assert p.tau2 == pytest.approx(tau2, abs=1e-4)
    assert p.i2 == pytest.approx(i2, abs=1e-3)
    if q is not None:
        assert p.q == pytest.approx(q, abs=1e-3)
    assert p.k == 13


def test_natural_scale_for_ratios():
    yi, vi = _bcg("RR")
    p = pool(yi, vi, measure="RR")
    assert p.estimate == pytest.approx(math.exp(-0.7141), abs=1e-4)  # metafor predict(transf=exp): 0.4896
    assert p.estimate == pytest.approx(0.4896, abs=1e-4)


def test_paule_mandel_matches_metafor_on_kacker():
    yi = [61.0, 61.4, 62.21, 62.3, 62.34, 62.6, 62.7, 62.84, 65.9]
    vi = [0.2025, 1.2100, 0.0900, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225]
    p = pool(yi, vi, method="PM", measure="MD")
    assert p.yi == pytest.approx(62.4076199113286, abs=1e-6)
    assert p.tau2 == pytest.approx(0.705395309224248, abs=1e-5)  # iterative: agreement to the solver's tolerance
    assert p.q == pytest.approx(24.801897741835, abs=1e-6)
    assert p.i2 == pytest.approx(83.7218626490482, abs=1e-4)


def test_prediction_interval_is_wider_than_ci_and_needs_three_studies():
    yi, vi = _bcg("RR")
    p = pool(yi, vi, measure="RR")
    assert p.pi_lower < p.ci_lower < p.estimate < p.ci_upper < p.pi_upper
    two = pool(yi[:2], vi[:2], measure="RR")
    assert two.pi_lower is None and "no prediction interval" in str(two)


def test_a_heterogeneity_p_value_below_0_001_is_printed_as_such():
    """Not "p=0.000", which a reader of papers learns not to write."""
    heterogeneous = pool([1.8, 1.25, -1.97], [0.095, 0.36, 0.4], measure="OR")
    assert heterogeneous.q_p < 0.001 and "(p<0.001)" in str(heterogeneous)
    assert "(p=0.975)" in str(pool([0.1, 0.2, 0.15], [0.1, 0.1, 0.1], measure="OR"))


def test_a_ratio_too_small_or_too_large_to_print_is_bounded_not_rounded_to_zero():
    pooled = pool([1.8, 1.25, -1.97], [0.095, 0.36, 0.4], measure="OR")
    assert pooled.pi_lower < 0.005 and pooled.pi_upper > 1000
    assert "95% prediction interval <0.01 to >1000" in str(pooled)
    assert "95% CI 0.17 to 13.07" in str(pooled)  # inside the range: two decimals as before
    assert max(len(line) for line in str(pooled).splitlines()) <= 80  # no line to scroll sideways at 1280 px
    assert "prediction interval -" in str(pool([-300.0, 10.0, 400.0], [1.0, 1.0, 1.0], measure="MD"))  # not a ratio


def test_i2_is_clipped_at_zero():
    p = pool([0.1, 0.1, 0.1], [0.04, 0.05, 0.06], measure="MD")
    assert p.i2 == 0 and p.tau2 == 0


def test_results_that_agree_more_than_chance_predicts_pool_without_a_warning():
    """Q far below k-1 (three very uncertain results): statsmodels' Hartung-Knapp variance is negative there, and its
    square root warned "invalid value encountered in sqrt" into the notebook of a learner who pooled such results (no
    filter of the book's own data gives them)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pooled = pool([1.8, 1.25, -1.97], [38.0, 147.0, 163.0], measure="OR")
    assert pooled.q < 1 and pooled.tau2 == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (([0.1], [0.01]), "at least two results"),
        (([0.1, 0.2], [0.01]), "same length"),
        (([0.1, 0.2], [0.01, -0.02]), "positive"),
        (([0.1, 0.2], [0.01, 0.02], "DL", ["OR", "HR"]), "Cannot pool different effect measures together"),
        (([0.1, 0.2], [0.01, 0.02], "REM"), "Unknown pooling method"),
    ],
)
def test_pool_refuses_with_a_clear_message(args, message):
    with pytest.raises(ValueError, match=message):
        pool(*args)


def test_zero_cell_gets_half_correction_and_says_so():
    e = binary_effect(0, 20, 5, 20, "OR")
    assert "0.5 added" in e.note
    assert e.estimate == pytest.approx((0.5 * 15.5) / (20.5 * 5.5))
    assert binary_effect(3, 20, 5, 20, "OR").note == ""


def test_binary_effect_refuses_bad_counts():
    with pytest.raises(ValueError, match="Events cannot exceed"):
        binary_effect(30, 20, 5, 20)
    with pytest.raises(ValueError, match="whole number"):
        binary_effect("many", 20, 5, 20)
    with pytest.raises(ValueError, match="Unknown measure"):
        binary_effect(3, 20, 5, 20, "HR")


def test_hedges_g_small_sample_correction():
    g = smd_effect(10.0, 2.0, 10, 8.0, 2.0, 10)
    d = 1.0
    j = 1 - 3 / (4 * (10 + 10 - 2) - 1)  # Hedges' correction factor
    assert g.estimate == pytest.approx(d * j, rel=1e-6)
    assert g.measure == "SMD" and g.source == "computed"


def test_reported_effects_are_labelled_and_keep_their_numbers():
    e = reported_effect("HR", 0.47, 0.24, 0.92)
    assert e.source == "reported" and e.estimate == 0.47 and (e.ci_lower, e.ci_upper) == (0.24, 0.92)
    assert e.vi == pytest.approx(((math.log(0.92) - math.log(0.24)) / (2 * Z_95)) ** 2, rel=1e-5)
    with pytest.raises(ValueError, match="does not contain"):
        reported_effect("OR", 2.0, 0.5, 1.5)


def test_study_effects_from_the_book_data():
    eff = study_effects(load_outcomes())
    assert {"computed", "reported"} == set(eff["source"])
    hr = eff[eff["measure"] == "HR"].iloc[0]
    assert (hr["study_id"], hr["estimate"], hr["source"]) == ("dakwar2019", 0.47, "reported")
    computed = eff[eff["source"] == "computed"].set_index("study_id")
    assert computed.loc["krupitsky2007", "n_total"] == 53  # 26 + 27
    assert computed.loc["krupitsky1997", "n_total"] == 211  # 111 + 100
