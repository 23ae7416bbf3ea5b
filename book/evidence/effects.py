"""Effect sizes and random-effects pooling, built on ``statsmodels.stats.meta_analysis``.

Names follow R's metafor: ``yi`` is an effect on its analysis scale (log for ratios) and ``vi``
its sampling variance.

* :func:`binary_effect` computes an odds ratio, risk ratio or risk difference from counts;
* :func:`smd_effect` computes a standardised mean difference (Hedges' g) from means and SDs;
* :func:`reported_effect` carries an effect *as a paper reported it* (adjusted OR, HR, mean
  difference), recovering its variance from the 95% CI; it is labelled ``source="reported"``
  and never silently mixed with computed ones;
* :func:`pool` pools effects of one measure with a random-effects model (DerSimonian-Laird
  or Paule-Mandel) and gives tau², I², Q with its p value and a 95% prediction interval;
* :func:`study_effects` turns the book's outcomes table into one row per between-group effect.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.meta_analysis import combine_effects, effectsize_2proportions, effectsize_smd

from .loaders import STUDY_CONTEXT

__all__ = [
    "Effect",
    "Pooled",
    "RATIO_MEASURES",
    "RATIO_SHOWN_FROM",
    "RATIO_SHOWN_UP_TO",
    "ratio_text",
    "Z_95",
    "binary_effect",
    "smd_effect",
    "reported_effect",
    "pool",
    "study_effects",
    "zero_event_upper_bound",
    "rule_of_three",
    "chance_of_at_least_one",
    "participants_to_rule_out",
    "participants_per_arm",
]

#: Measures analysed on the log scale.
RATIO_MEASURES = {"OR", "RR", "HR", "IRR"}
#: A ratio is printed to two decimals from 0.005 (which prints "0.01") to 1000; below as "<0.01", above as ">1000"
#: (:func:`ratio_text`, and the forest chart's pooled summary in the browser, book/views/forest.py).
RATIO_SHOWN_FROM, RATIO_SHOWN_UP_TO = 0.005, 1000


def ratio_text(value: float) -> str:
    """A ratio to two decimals, or "<0.01" / ">1000" outside the range two decimals can show: "0.00" would read as a
    ratio of zero (the comparing chapter's odds ratios have a prediction interval from 2e-12 to 1e12)."""
    if value < RATIO_SHOWN_FROM:
        return "<0.01"
    if value > RATIO_SHOWN_UP_TO:
        return ">1000"
    return f"{value:.2f}"


_STATSMODELS_NAME = {"OR": "odds-ratio", "RR": "risk-ratio", "RD": "diff"}
#: The standard normal quantile for a two-sided 95% interval, 1.959963984540054 (the "1.96" of
#: estimate ± 1.96 × SE). The one definition in the book: 95% CIs here, and the in-browser charts'
#: expressions, are built from it.
Z_95 = float(stats.norm.ppf(0.975))


@dataclass(frozen=True)
class Effect:
    """One effect: on its natural scale (``estimate``, 95% CI) and its analysis scale (``yi``, ``vi``)."""

    measure: str
    estimate: float
    ci_lower: float
    ci_upper: float
    yi: float
    vi: float
    source: str  # "computed" from counts or means, or "reported" by the paper
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _natural(measure: str, value: float) -> float:
    return math.exp(value) if measure in RATIO_MEASURES else value


def _effect(measure: str, yi: float, vi: float, source: str, note: str = "") -> Effect:
    half = Z_95 * math.sqrt(vi)
    return Effect(
        measure, _natural(measure, yi), _natural(measure, yi - half), _natural(measure, yi + half), yi, vi, source, note
    )


def _check_count(name: str, value) -> int:
    if isinstance(value, bool) or value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError(f"{name} must be a whole number of participants, not {value!r}.")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a whole number of participants, not {value!r}.") from None
    if number < 0 or not number.is_integer():
        raise ValueError(f"{name} must be a whole number of participants, not {value!r}.")
    return int(number)


def binary_effect(events_1, n_1, events_2, n_2, measure: str = "OR") -> Effect:
    """OR, RR or RD of group 1 (e.g. ketamine) against group 2 (e.g. control), from counts.

    A zero cell gets the usual correction of 0.5 added to every cell of that 2x2 table for OR
    and RR (so n grows by 1), applied by statsmodels (``zero_correction=0.5``); the returned
    ``note`` says so. The risk difference needs none.
    """
    if measure not in _STATSMODELS_NAME:
        raise ValueError(f"Unknown measure {measure!r} for counts. Choose one of: OR, RR, RD.")
    e1, t1, e2, t2 = (_check_count(k, v) for k, v in (("events_1", events_1), ("n_1", n_1), ("events_2", events_2), ("n_2", n_2)))
    if e1 > t1 or e2 > t2:
        raise ValueError(f"Events cannot exceed participants: {e1}/{t1} and {e2}/{t2}.")
    if t1 == 0 or t2 == 0:
        raise ValueError("Each group needs at least one participant.")
    note, correction = "", None
    if measure != "RD" and 0 in (e1, t1 - e1, e2, t2 - e2):
        if (e1 == 0 and e2 == 0) or (e1 == t1 and e2 == t2):
            raise ValueError(
                f"No {measure} can be estimated when both groups have the same all-or-none result ({e1}/{t1}, {e2}/{t2})."
            )
        # statsmodels adds this to every cell of a table with a zero cell (so each n grows by 1).
        correction, note = 0.5, "0.5 added to every cell (a zero cell)"
    yi, vi = effectsize_2proportions(
        float(e1), float(t1), float(e2), float(t2), statistic=_STATSMODELS_NAME[measure], zero_correction=correction
    )
    return _effect(measure, float(yi), float(vi), "computed", note)


def smd_effect(mean_1, sd_1, n_1, mean_2, sd_2, n_2) -> Effect:
    """Standardised mean difference with the small-sample correction (Hedges' g), group 1 minus group 2."""
    n1, n2 = _check_count("n_1", n_1), _check_count("n_2", n_2)
    if n1 < 2 or n2 < 2:
        raise ValueError("Each group needs at least two participants for a standardised mean difference.")
    if sd_1 <= 0 or sd_2 <= 0:
        raise ValueError(f"Standard deviations must be positive, not {sd_1!r} and {sd_2!r}.")
    g, var = effectsize_smd(mean_1, sd_1, n1, mean_2, sd_2, n2)
    return _effect("SMD", float(g), float(var), "computed")


def reported_effect(measure: str, estimate: float, ci_lower: float, ci_upper: float) -> Effect:
    """An effect as the paper reported it, with the variance recovered from its 95% CI.

    For ratios the CI is taken as symmetric on the log scale, as it is when computed the usual
    way; for an asymmetric CI the variance is an approximation (said in ``note``).
    """
    if not (ci_lower <= estimate <= ci_upper):
        raise ValueError(f"The 95% CI {ci_lower} to {ci_upper} does not contain the estimate {estimate}.")
    if measure in RATIO_MEASURES:
        if min(estimate, ci_lower) <= 0:
            raise ValueError(f"A ratio ({measure}) and its CI must be positive.")
        lo, hi, yi = math.log(ci_lower), math.log(ci_upper), math.log(estimate)
    else:
        lo, hi, yi = ci_lower, ci_upper, estimate
    se = (hi - lo) / (2 * Z_95)
    if se <= 0:
        raise ValueError("The 95% CI has no width, so no variance can be recovered from it.")
    asymmetric = abs((yi - lo) - (hi - yi)) > 0.1 * (hi - lo)
    note = "as reported; variance from the 95% CI" + ("; CI not symmetric, so approximate" if asymmetric else "")
    return Effect(measure, estimate, ci_lower, ci_upper, yi, se * se, "reported", note)


@dataclass(frozen=True)
class Pooled:
    """A random-effects pooled estimate."""

    measure: str
    method: str
    k: int
    estimate: float
    ci_lower: float
    ci_upper: float
    pi_lower: float | None
    pi_upper: float | None
    yi: float
    se: float
    tau2: float
    i2: float  # percent, clipped at 0
    q: float
    q_p: float

    def as_dict(self) -> dict:
        return asdict(self)

    def _number(self, value: float) -> str:
        """A ratio as :func:`ratio_text` prints it; any other number to two decimals."""
        return ratio_text(value) if self.measure in RATIO_MEASURES else f"{value:.2f}"

    def __str__(self) -> str:
        """Three short lines (the estimate; heterogeneity; the prediction interval), not one of 150 characters that a
        reader had to scroll sideways, past the estimate, to reach the prediction interval."""
        n = self._number
        pi = (
            f"95% prediction interval {n(self.pi_lower)} to {n(self.pi_upper)}"
            if self.pi_lower is not None
            else "no prediction interval with fewer than 3 studies"
        )
        p = "p<0.001" if self.q_p < 0.001 else f"p={self.q_p:.3f}"
        return (
            f"pooled {self.measure} {n(self.estimate)} (95% CI {n(self.ci_lower)} to {n(self.ci_upper)}) from "
            f"{self.k} results, random effects ({self.method})\n"
            f"  heterogeneity: tau² {self.tau2:.3f}, I² {self.i2:.0f}%, Q {self.q:.2f} ({p})\n"
            f"  {pi}"
        )


_METHODS = {"DL": "dl", "PM": "iterated"}


def pool(yi, vi, method: str = "DL", measure: str | list[str] | None = None) -> Pooled:
    """Random-effects pooling of effects on their analysis scale.

    ``method`` is ``"DL"`` (DerSimonian-Laird) or ``"PM"`` (Paule-Mandel, iterative).
    ``measure`` names the effect measure (one string), or gives one per effect; mixed measures are
    refused, because an odds ratio and a hazard ratio are different quantities. The 95% prediction
    interval uses a t distribution with k-2 degrees of freedom (Higgins, Thompson & Spiegelhalter 2009)
    and needs at least 3 effects.
    """
    if method not in _METHODS:
        raise ValueError(f"Unknown pooling method {method!r}. Choose 'DL' (DerSimonian-Laird) or 'PM' (Paule-Mandel).")
    y = np.asarray(yi, dtype=float)
    v = np.asarray(vi, dtype=float)
    if y.ndim != 1 or v.ndim != 1 or len(y) != len(v):
        raise ValueError(f"yi and vi must be lists of the same length (got {y.size} effects and {v.size} variances).")
    if isinstance(measure, (list, tuple, np.ndarray, pd.Series)):
        kinds = sorted({str(m) for m in measure})
        if len(measure) != len(y):
            raise ValueError("Give one measure per effect, or a single measure for all.")
        if len(kinds) > 1:
            raise ValueError(
                f"Cannot pool different effect measures together ({', '.join(kinds)}): pool each measure separately."
            )
        measure = kinds[0] if kinds else None
    measure = measure or "effect"
    if len(y) < 2:
        raise ValueError(f"Pooling needs at least two results; {len(y)} given.")
    if np.isnan(y).any() or np.isnan(v).any():
        raise ValueError("Every effect needs a value and a variance (missing values found).")
    if (v <= 0).any():
        raise ValueError("Variances must be positive; a negative or zero variance was given.")
    # statsmodels also computes the Hartung-Knapp ("wls") rows, whose variance can be negative when Q < k-1, and warns
    # "invalid value encountered in sqrt" into a learner's notebook; the book reads only the rows below.
    with np.errstate(invalid="ignore"):
        res = combine_effects(y, v, method_re=_METHODS[method], use_t=False)
        frame = res.summary_frame()
    tau2 = float(res.tau2)
    # statsmodels leaves a negative DerSimonian-Laird tau² unclipped (Q < k-1); tau² is a variance, so
    # it is 0 and the random-effects estimate equals the fixed-effect one.
    row = "random effect" if tau2 > 0 else "fixed effect"
    tau2 = max(tau2, 0.0)
    est = float(frame.loc[row, "eff"])
    se = float(frame.loc[row, "sd_eff"])
    lo, hi = float(frame.loc[row, "ci_low"]), float(frame.loc[row, "ci_upp"])
    k = len(y)
    q = float(res.q)
    q_p = float(stats.chi2.sf(q, k - 1))
    # I² as metafor computes it: tau² over tau² plus the "typical" within-study variance
    # (Higgins & Thompson 2002); for DerSimonian-Laird this equals (Q - df) / Q.
    w = 1 / v
    typical = (k - 1) * w.sum() / (w.sum() ** 2 - (w**2).sum())
    i2 = 100 * tau2 / (tau2 + typical)
    pi_lo = pi_hi = None
    if k >= 3:
        half = stats.t.ppf(0.975, k - 2) * math.sqrt(tau2 + se * se)
        pi_lo, pi_hi = _natural(measure, est - half), _natural(measure, est + half)
    return Pooled(
        measure,
        method,
        k,
        _natural(measure, est),
        _natural(measure, lo),
        _natural(measure, hi),
        pi_lo,
        pi_hi,
        est,
        se,
        tau2,
        i2,
        q,
        q_p,
    )


def study_effects(outcomes: pd.DataFrame, binary_measure: str = "OR") -> pd.DataFrame:
    """One row per between-group effect in the outcomes table (joined with study context).

    * Where both arms of a result give events and n, the effect is computed (``binary_measure``:
      OR, RR or RD), labelled ``source="computed"``.
    * Where the paper reports a contrast with a 95% CI (OR, RR, HR, IRR, MD, SMD), it is carried
      as reported, labelled ``source="reported"``.
    Results with neither (single-arm studies, contrasts without a CI) are left out.
    """
    rows = []
    context = list(STUDY_CONTEXT)
    for (_study, outcome, time_point), group in outcomes.groupby(
        ["study_id", "outcome", "time_point"], dropna=False, observed=True
    ):
        arms = {a: r for a, r in zip(group["arm"], group.to_dict("records"))}
        base = {c: group.iloc[0][c] for c in context if c in group}
        base.update(outcome=outcome, time_point=time_point, domain=group.iloc[0]["domain"])
        k, c = arms.get("ketamine"), arms.get("control")
        if k and c and all(pd.notna(x) for x in (k["events"], k["n"], c["events"], c["n"])):
            eff = binary_effect(k["events"], k["n"], c["events"], c["n"], binary_measure)
            rows.append(
                {
                    **base,
                    **eff.as_dict(),
                    "n_total": int(k["n"]) + int(c["n"]),
                    "outcome_id": k["outcome_id"],
                    "locator": k["locator"],
                    "comparison": f"{k['arm_label']} vs {c['arm_label']}",
                }
            )
        for contrast in group[group["arm"] == "contrast"].to_dict("records"):
            if contrast["effect_measure"] not in (RATIO_MEASURES | {"MD", "SMD", "RD"}) or pd.isna(contrast["ci_lower"]):
                continue
            eff = reported_effect(
                contrast["effect_measure"], float(contrast["estimate"]), float(contrast["ci_lower"]), float(contrast["ci_upper"])
            )
            n = contrast["n"] if pd.notna(contrast["n"]) else None
            label = contrast["arm_label"] if pd.notna(contrast["arm_label"]) else outcome
            rows.append(
                {
                    **base,
                    **eff.as_dict(),
                    "n_total": n,
                    "outcome_id": contrast["outcome_id"],
                    "locator": contrast["locator"],
                    "comparison": label,
                }
            )
    columns = [
        *context,
        "outcome",
        "time_point",
        "domain",
        "measure",
        "estimate",
        "ci_lower",
        "ci_upper",
        "yi",
        "vi",
        "source",
        "note",
        "n_total",
        "comparison",
        "outcome_id",
        "locator",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["n_total"] = pd.array(frame["n_total"], dtype="Int64")
    return frame.reset_index(drop=True)


# --- rare events: what a small study cannot see ------------------------------------------------


def zero_event_upper_bound(n: int, confidence: float = 0.95) -> float:
    """The upper limit of the one-sided ``confidence`` interval for a risk when 0 of ``n`` people had the event.

    Exact (binomial): the risk ``p`` at which seeing no event in ``n`` people has probability ``1 - confidence``,
    ``p = 1 - (1 - confidence) ** (1 / n)``. For 95% this is close to ``3 / n``, the "rule of three"
    (:func:`rule_of_three`), once ``n`` is above about 30.
    """
    n = _check_count("n", n)
    if n == 0:
        raise ValueError("n must be at least 1: with no participants nothing can be said about a risk.")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95), not {confidence!r}.")
    return 1 - (1 - confidence) ** (1 / n)


def rule_of_three(n: int) -> float:
    """``3 / n``: the approximate upper 95% limit for a risk when 0 of ``n`` people had the event."""
    n = _check_count("n", n)
    if n == 0:
        raise ValueError("n must be at least 1: with no participants nothing can be said about a risk.")
    return 3 / n


def chance_of_at_least_one(risk: float, n: int) -> float:
    """The probability that at least one of ``n`` independent people has an event of probability ``risk``."""
    n = _check_count("n", n)
    if not 0 <= risk <= 1:
        raise ValueError(f"risk must be a probability between 0 and 1, not {risk!r}.")
    return 1 - (1 - risk) ** n


def participants_to_rule_out(risk: float, confidence: float = 0.95) -> int:
    """The smallest number of people in whom seeing no event rules out a risk of ``risk`` or more, at ``confidence``:
    the least ``n`` with ``(1 - risk) ** n <= 1 - confidence`` (about ``3 / risk`` for 95%, the rule of three backwards)."""
    if not 0 < risk < 1:
        raise ValueError(f"risk must be a probability between 0 and 1 (e.g. 0.01 for 1 in 100), not {risk!r}.")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95), not {confidence!r}.")
    return math.ceil(math.log(1 - confidence) / math.log(1 - risk) - 1e-12)


def participants_per_arm(p_control: float, p_treatment: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Participants needed in each of two equal arms to detect a difference between two proportions (for example,
    the share abstinent) with a two-sided test at level ``alpha`` and the given ``power``; normal approximation
    without continuity correction:

    ``n = (z(1-alpha/2) * sqrt(2 * pbar * (1 - pbar)) + z(power) * sqrt(p1 * (1 - p1) + p2 * (1 - p2)))**2 / (p1 - p2)**2``,
    rounded up, where ``pbar`` is the mean of the two proportions. The browser chart of the outlook chapter computes
    the same expression (:func:`book.outlook_charts.power_chart`).
    """
    for name, p in (("p_control", p_control), ("p_treatment", p_treatment)):
        if not 0 < p < 1:
            raise ValueError(f"{name} must be a proportion between 0 and 1 (e.g. 0.25 for 25%), not {p!r}.")
    if p_control == p_treatment:
        raise ValueError("The two proportions are equal: no trial size can detect a difference of zero.")
    if not 0 < alpha < 1 or not 0 < power < 1:
        raise ValueError(f"alpha and power must be between 0 and 1 (e.g. 0.05 and 0.8), not {alpha!r} and {power!r}.")
    z_a, z_b = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    pbar = (p_control + p_treatment) / 2
    top = z_a * math.sqrt(2 * pbar * (1 - pbar)) + z_b * math.sqrt(p_control * (1 - p_control) + p_treatment * (1 - p_treatment))
    return math.ceil(top**2 / (p_control - p_treatment) ** 2 - 1e-9)
