"""Tests for widgets.prevalence.models: binomial intervals and random-effects pooling.

Every statistical result is checked against at least one computation that does not go through the
code under test: statsmodels called directly, scipy's own binomial intervals, closed-form formulas
written out here, and published numbers (Kacker 2004; R metafor).
"""

from __future__ import annotations

import dataclasses
import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import special
from scipy import stats as sps
from statsmodels.stats.meta_analysis import combine_effects
from statsmodels.stats.proportion import proportion_confint

from widgets.prevalence.models import (
    PooledEstimate,
    PoolingError,
    add_intervals,
    pool_measure,
    pool_proportions,
    pool_rows,
    pool_where_possible,
    pooling_groups,
    proportion_interval,
)

#: A fully stated definition, for tests about the statistics rather than the definition rule.
SAME = {"measure": "lifetime", "recall_window": "lifetime", "frequency_threshold": "at least once"}


def pool(percent, n, **kwargs) -> PooledEstimate:
    """pool_proportions with one stated definition unless the test gives its own."""
    return pool_proportions(percent, n, **{**SAME, **kwargs})


# A heterogeneous set of prevalences (Q > k - 1, so tau² > 0 for both estimators).
HET_PCT = np.array([32.9, 46.0, 41.0, 20.2, 55.0])
HET_N = np.array([222.0, 230.0, 1208.0, 300.0, 90.0])
# A homogeneous set (Q < k - 1): the DerSimonian–Laird moment estimate is negative.
HOM_PCT = np.array([40.0, 41.0, 39.5, 40.5])
HOM_N = np.array([200.0, 150.0, 400.0, 120.0])


def _grid() -> tuple[np.ndarray, np.ndarray]:
    events, sizes = [], []
    for n in (1, 2, 3, 5, 10, 17, 30, 100, 230, 1208):
        ks = np.unique(np.linspace(0, n, num=min(n + 1, 25)).round())
        events.extend(ks)
        sizes.extend([n] * len(ks))
    return np.asarray(events, dtype=float), np.asarray(sizes, dtype=float)


def _logit_inputs(pct: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Effect sizes and variances written out independently of the module."""
    p = pct / 100
    return np.log(p / (1 - p)), 1 / (n * p) + 1 / (n * (1 - p))


# --------------------------------------------------------------------------- proportion_interval


@pytest.mark.parametrize("alpha", [0.5, 0.1, 0.05, 0.01, 0.001])
@pytest.mark.parametrize(("method", "sm_method"), [("wilson", "wilson"), ("exact", "beta")])
def test_interval_equals_statsmodels_on_grid(method: str, sm_method: str, alpha: float) -> None:
    events, sizes = _grid()
    lower, upper = proportion_interval(events, sizes, method=method, alpha=alpha)
    ref_lower, ref_upper = proportion_confint(events, sizes, alpha=alpha, method=sm_method)
    assert lower.shape == upper.shape == events.shape
    assert_allclose(lower, ref_lower, rtol=0, atol=1e-12)
    assert_allclose(upper, ref_upper, rtol=0, atol=1e-12)


@pytest.mark.parametrize("alpha", [0.1, 0.05, 0.01])
@pytest.mark.parametrize(("method", "scipy_method"), [("wilson", "wilson"), ("exact", "exact")])
def test_interval_equals_scipy_binomtest(method: str, scipy_method: str, alpha: float) -> None:
    # scipy's BinomTestResult.proportion_ci is an independent implementation (integer counts only).
    events, sizes = _grid()
    lower, upper = proportion_interval(events, sizes, method=method, alpha=alpha)
    for i, (k, n) in enumerate(zip(events.astype(int), sizes.astype(int), strict=True)):
        ci = sps.binomtest(int(k), int(n)).proportion_ci(
            confidence_level=1 - alpha, method=scipy_method
        )
        assert lower[i] == pytest.approx(ci.low, abs=1e-12), (k, n)
        assert upper[i] == pytest.approx(ci.high, abs=1e-12), (k, n)


def _wilson_closed_form(x: float, n: float, alpha: float = 0.05) -> tuple[float, float]:
    """Wilson (1927) score interval; Newcombe (1998), Stat Med 17:857-872, method 3 (eq. for 3)."""
    z = NormalDist().inv_cdf(1 - alpha / 2)
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_wilson_46_percent_of_230_matches_closed_form() -> None:
    # Schweitzer et al. 2015: 46% of 230 women. The count 105.8 is deliberately not rounded.
    x = 0.46 * 230
    lower, upper = proportion_interval(x, 230)
    ref = _wilson_closed_form(x, 230)
    assert float(lower) == pytest.approx(ref[0], abs=1e-12)
    assert float(upper) == pytest.approx(ref[1], abs=1e-12)
    assert (round(100 * float(lower), 1), round(100 * float(upper), 1)) == (39.7, 52.5)
    # Rounding the count to 106 would give a different interval: the unrounded one is used.
    rounded = proportion_interval(106, 230)
    assert abs(float(rounded[0]) - float(lower)) > 1e-4


def test_interval_nan_n_gives_nan_and_keeps_shape() -> None:
    events = np.array([[10.0, 5.0], [np.nan, 3.0]])
    sizes = np.array([[100.0, np.nan], [50.0, 30.0]])
    lower, upper = proportion_interval(events, sizes)
    assert lower.shape == upper.shape == (2, 2)
    assert np.isnan(lower[0, 1]) and np.isnan(upper[0, 1])
    assert np.isnan(lower[1, 0]) and np.isnan(upper[1, 0])
    assert np.isfinite(lower[0, 0]) and np.isfinite(upper[1, 1])
    # Broadcasting a scalar n against a vector of counts.
    lower, upper = proportion_interval([0, 5, 10], 10)
    assert lower.shape == (3,)
    assert lower[0] == 0.0 and upper[2] == 1.0


def test_wald_is_statsmodels_normal_and_degenerate_at_zero() -> None:
    events, sizes = _grid()
    lower, upper = proportion_interval(events, sizes, method="wald")
    ref_lower, ref_upper = proportion_confint(events, sizes, method="normal")
    assert_allclose(lower, ref_lower, rtol=0, atol=1e-12)
    assert_allclose(upper, ref_upper, rtol=0, atol=1e-12)
    # The teaching point of lesson 05: Wald has zero width at 0 events, Wilson does not.
    wald = proportion_interval(0, 20, method="wald")
    wilson = proportion_interval(0, 20, method="wilson")
    assert float(wald[0]) == float(wald[1]) == 0.0
    assert float(wilson[1]) > 0.1


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=5000),
    permille=st.integers(min_value=0, max_value=1000),
    method=st.sampled_from(["wilson", "exact"]),
)
def test_interval_contains_estimate(n: int, permille: int, method: str) -> None:
    # Reported percentages have at most one decimal, so counts are n * permille / 1000.
    frac = permille / 1000
    x = frac * n
    lower, upper = proportion_interval(x, n, method=method)
    assert 0 <= float(lower) <= frac + 1e-12
    assert frac - 1e-12 <= float(upper) <= 1


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"method": "agresti"}, "method"),
        ({"method": "Wilson"}, "method"),
        ({"alpha": 0}, "alpha"),
        ({"alpha": 0.6}, "alpha"),
        ({"alpha": "0.05"}, "alpha"),
        ({"alpha": float("nan")}, "alpha"),
    ],
)
def test_interval_rejects_bad_options(kwargs: dict, name: str) -> None:
    with pytest.raises(ValueError, match=name) as err:
        proportion_interval(5, 10, **kwargs)
    assert repr(next(iter(kwargs.values())))[:6] in str(err.value)


def test_interval_message_lists_valid_methods() -> None:
    with pytest.raises(ValueError, match=r"method must be one of \['wilson', 'exact', 'wald'\]"):
        proportion_interval(5, 10, method="clopper")


@pytest.mark.parametrize(
    ("events", "n", "pattern"),
    [
        (11, 10, r"events must satisfy 0 <= events <= n; got events=11\.0 with n=10\.0"),
        (-1, 10, r"events must satisfy 0 <= events <= n; got events=-1\.0"),
        (1, 0, r"n must be a finite number > 0.*got 0\.0"),
        (1, -5, r"n must be a finite number > 0.*got -5\.0"),
        (1, math.inf, r"n must be a finite number > 0.*got inf"),
    ],
)
def test_interval_rejects_bad_counts(events: float, n: float, pattern: str) -> None:
    with pytest.raises(ValueError, match=pattern):
        proportion_interval(events, n)


# --------------------------------------------------------------------------------- add_intervals


def test_add_intervals_keeps_every_row_and_adds_no_counts() -> None:
    df = pd.DataFrame(
        {
            "row_id": ["a", "b", "c", "d"],
            "percent": [46.0, 5.1, None, 42.0],
            "n": [230, 230, 1208, None],
        }
    )
    before = df.copy()
    out = add_intervals(df)
    assert list(out["row_id"]) == list(df["row_id"]) and list(out.index) == list(df.index)
    pd.testing.assert_frame_equal(df, before)  # input untouched
    assert set(out.columns) - set(df.columns) == {"ci_low_pct", "ci_high_pct", "ci_method"}
    missing = df["n"].isna() | df["percent"].isna()
    assert out.loc[missing, ["ci_low_pct", "ci_high_pct"]].isna().all().all()
    ok = out.loc[~missing]
    assert (ok["ci_low_pct"] <= ok["percent"]).all() and (ok["percent"] <= ok["ci_high_pct"]).all()
    assert (out["ci_method"] == "wilson").all()


def test_wilson_interval_is_not_centred_on_the_reported_figure() -> None:
    # The docstring says so: Wilson is pulled towards 50%, so a small percentage sits nearer its
    # lower bound; only the Wald interval is symmetric about p-hat.
    lower, upper = proportion_interval(0.051 * 230, 230)
    below, above = 0.051 - float(lower), float(upper) - 0.051
    assert above > below > 0
    lo_w, hi_w = proportion_interval(0.051 * 230, 230, method="wald")
    assert float(hi_w) - 0.051 == pytest.approx(0.051 - float(lo_w), abs=1e-15)


@pytest.mark.parametrize("method", ["wilson", "exact", "wald"])
def test_add_intervals_equals_proportion_interval_in_percent(method: str) -> None:
    df = pd.DataFrame(
        {"pct": [46.0, 5.1, 40.0, None, 0.0], "size": [230, 230, None, 50, 12]},
        index=["a", "b", "c", "d", "e"],
    )
    out = add_intervals(df, percent="pct", n="size", method=method, alpha=0.1)
    lower, upper = proportion_interval(
        df["pct"].to_numpy(float) / 100 * df["size"].to_numpy(float),
        df["size"].to_numpy(float),
        method=method,
        alpha=0.1,
    )
    assert list(out.index) == ["a", "b", "c", "d", "e"]
    assert_allclose(out["ci_low_pct"], 100 * lower, rtol=1e-15)
    assert_allclose(out["ci_high_pct"], 100 * upper, rtol=1e-15)
    assert out["ci_low_pct"].isna().tolist() == [False, False, True, True, False]
    assert set(out["ci_method"]) == {method}


def test_add_intervals_accepts_nullable_dtypes() -> None:
    df = pd.DataFrame(
        {"percent": pd.array([46.0, None], dtype="Float64"), "n": pd.array([230, None], "Int64")}
    )
    out = add_intervals(df)
    assert len(out) == 2
    assert math.isnan(out["ci_low_pct"].iloc[1])


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"percent": "prevalence"}, r"percent='prevalence' is not a column"),
        ({"n": "size"}, r"n='size' is not a column"),
        ({"method": "normal"}, r"method must be one of"),
        ({"alpha": 1.0}, r"alpha must be"),
    ],
)
def test_add_intervals_rejects_bad_arguments(kwargs: dict, pattern: str) -> None:
    df = pd.DataFrame({"percent": [46.0], "n": [230]})
    with pytest.raises(ValueError, match=pattern):
        add_intervals(df, **kwargs)


def test_add_intervals_rejects_percent_out_of_range() -> None:
    df = pd.DataFrame({"percent": [46.0, 146.0], "n": [230, 100]})
    with pytest.raises(
        ValueError, match=r"percent column 'percent' must be in \[0, 100\]; got 146"
    ):
        add_intervals(df)


# ------------------------------------------------------------------------------ pool_proportions


@pytest.mark.parametrize("method", ["dl", "pm"])
@pytest.mark.parametrize(("pct", "n"), [(HET_PCT, HET_N), (HET_PCT[:3], HET_N[:3])])
def test_pool_equals_direct_statsmodels_call(method: str, pct: np.ndarray, n: np.ndarray) -> None:
    res = pool(pct, n, measure="lifetime", method=method)
    y, v = _logit_inputs(pct, n)
    kwds = {"atol": 1e-10, "maxiter": 200} if method == "pm" else {}
    ref = combine_effects(y, v, method_re=method, **kwds)
    assert ref.tau2 > 0  # this data set is heterogeneous
    ci = ref.conf_int(alpha=0.05, use_t=False)[1]
    assert res.estimate_pct == pytest.approx(100 * special.expit(ref.mean_effect_re), abs=1e-9)
    assert res.ci_low_pct == pytest.approx(100 * special.expit(ci[0]), abs=1e-9)
    assert res.ci_high_pct == pytest.approx(100 * special.expit(ci[1]), abs=1e-9)
    assert res.tau2 == pytest.approx(ref.tau2, abs=1e-9)
    assert res.i2 == pytest.approx(ref.i2, abs=1e-9)
    assert res.q == pytest.approx(ref.q, abs=1e-9)
    assert (res.k, res.q_df, res.method, res.measure) == (
        len(pct),
        len(pct) - 1,
        method,
        "lifetime",
    )
    # Prediction interval, Higgins, Thompson & Spiegelhalter (2009), eq. (12).
    half = sps.t.ppf(0.975, len(pct) - 2) * math.sqrt(ref.tau2 + ref.sd_eff_w_re**2)
    assert res.pi_low_pct == pytest.approx(100 * special.expit(ref.mean_effect_re - half), abs=1e-9)
    assert res.pi_high_pct == pytest.approx(
        100 * special.expit(ref.mean_effect_re + half), abs=1e-9
    )


def _dl_by_hand(y: np.ndarray, v: np.ndarray, alpha: float = 0.05) -> dict[str, float]:
    """DerSimonian & Laird (1986) re-derived with numpy only."""
    w = 1 / v
    k = len(y)
    ybar = np.sum(w * y) / np.sum(w)
    q = float(np.sum(w * (y - ybar) ** 2))
    c = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    tau2 = max(0.0, (q - (k - 1)) / c)
    ws = 1 / (v + tau2)
    mu = float(np.sum(ws * y) / np.sum(ws))
    se = float(1 / math.sqrt(np.sum(ws)))
    z = NormalDist().inv_cdf(1 - alpha / 2)
    return {
        "q": q,
        "tau2": tau2,
        "i2": max(0.0, (q - (k - 1)) / q),
        "mu": mu,
        "lo": mu - z * se,
        "hi": mu + z * se,
    }


@pytest.mark.parametrize(("pct", "n"), [(HET_PCT, HET_N), (HOM_PCT, HOM_N)], ids=["het", "hom"])
@pytest.mark.parametrize("alpha", [0.05, 0.1])
def test_dl_equals_hand_derivation(pct: np.ndarray, n: np.ndarray, alpha: float) -> None:
    res = pool(pct, n, measure="m", method="dl", alpha=alpha)
    ref = _dl_by_hand(*_logit_inputs(pct, n), alpha=alpha)
    assert res.q == pytest.approx(ref["q"], abs=1e-9)
    assert res.tau2 == pytest.approx(ref["tau2"], abs=1e-9)
    assert res.i2 == pytest.approx(ref["i2"], abs=1e-9)
    assert res.estimate_pct == pytest.approx(100 * special.expit(ref["mu"]), abs=1e-9)
    assert res.ci_low_pct == pytest.approx(100 * special.expit(ref["lo"]), abs=1e-9)
    assert res.ci_high_pct == pytest.approx(100 * special.expit(ref["hi"]), abs=1e-9)


@pytest.mark.parametrize("method", ["dl", "pm"])
def test_homogeneous_studies_truncate_tau2_at_zero(method: str) -> None:
    y, v = _logit_inputs(HOM_PCT, HOM_N)
    raw = combine_effects(y, v, method_re="dl")
    assert raw.tau2 < 0 and raw.i2 < 0  # statsmodels itself does not truncate DL
    res = pool(HOM_PCT, HOM_N, measure="m", method=method)
    assert res.tau2 == 0.0 and res.i2 == 0.0
    # tau² = 0: the random-effects estimate is the fixed-effect (inverse-variance) one.
    assert res.estimate_pct == pytest.approx(100 * special.expit(raw.mean_effect_fe), abs=1e-9)
    ci_fe = raw.conf_int(use_t=False)[0]
    assert res.ci_low_pct == pytest.approx(100 * special.expit(ci_fe[0]), abs=1e-9)


def test_identical_studies_pool_without_warnings() -> None:
    # Q = 0 makes statsmodels divide by zero for I²; the module must not warn (warnings are errors).
    res = pool([30.0, 30.0, 30.0], [100, 100, 100], measure="m")
    assert res.q == pytest.approx(0.0, abs=1e-12) and res.i2 == 0.0 and res.tau2 == 0.0
    assert res.estimate_pct == pytest.approx(30.0, abs=1e-9)


# Published worked example. No meta-analysis of proportions that prints both the study data and
# logit-scale DerSimonian-Laird / Paule-Mandel results could be found with the search tool, so
# (as the brief allows) we use the data set statsmodels itself is validated on:
#   Kacker, R. N. (2004). Combining information from interlaboratory evaluations using a random
#   effects model. Metrologia 41(3), 132-136: nine laboratory means y and variances v, and Table 1
#   (first row, p. 135) gives tau = 0.8399 for Paule-Mandel. The DL value printed there (0.5359)
#   differs from the DL formula in the 4th decimal (statsmodels' test accepts it only to 1e-3), so
#   DL is checked against R metafor instead.
#   R metafor results for the same data, rma(y, v, method="PM"/"DL", control=list(tol=1e-9)),
#   as stored in statsmodels: statsmodels/statsmodels, statsmodels/stats/tests/results/
#   results_meta.py (exk1_metafor, exk1_dl); Kacker's table values in
#   statsmodels/stats/tests/test_meta.py (TestMetaK1.test_tau_kacker).
# The data are not proportions, so each (y_i, v_i) is mapped onto a (percent_i, n_i) pair with
# logit(p_i) = y_i - SHIFT and 1/(n_i p_i (1 - p_i)) = v_i. Q, tau² and I² are invariant under a
# common shift of y, and the pooled logit is shifted by exactly SHIFT.
KACKER_Y = np.array([61.00, 61.40, 62.21, 62.30, 62.34, 62.60, 62.70, 62.84, 65.90])
KACKER_V = np.array([0.2025, 1.2100, 0.0900, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225])
SHIFT = 62.4
METAFOR_PM = {"b": 62.4076199113286, "ci_lb": 61.7450921043947, "ci_ub": 63.0701477182625,
              "tau2": 0.705395309224248, "QE": 24.801897741835}  # fmt: skip
METAFOR_DL = {"b": 62.3901386044504, "ci_lb": 61.9084781058787, "ci_ub": 62.8717991030221,
              "tau2": 0.288049246973751, "QE": 24.801897741835, "I2": 67.744403741711}  # fmt: skip
KACKER_TAU_PM = 0.8399  # Table 1, printed to 4 decimals


def _kacker_as_proportions() -> tuple[np.ndarray, np.ndarray]:
    p = special.expit(KACKER_Y - SHIFT)
    return 100 * p, 1 / (KACKER_V * p * (1 - p))


def _logit_pct(pct: float) -> float:
    return float(special.logit(pct / 100)) + SHIFT


def test_published_kacker_2004_paule_mandel() -> None:
    pct, n = _kacker_as_proportions()
    res = pool(pct, n, measure="lab mean", method="pm")
    assert round(math.sqrt(res.tau2), 4) == KACKER_TAU_PM
    assert res.tau2 == pytest.approx(METAFOR_PM["tau2"], abs=1e-8)
    assert res.q == pytest.approx(METAFOR_PM["QE"], abs=1e-8)
    assert _logit_pct(res.estimate_pct) == pytest.approx(METAFOR_PM["b"], abs=1e-8)
    assert _logit_pct(res.ci_low_pct) == pytest.approx(METAFOR_PM["ci_lb"], abs=1e-8)
    assert _logit_pct(res.ci_high_pct) == pytest.approx(METAFOR_PM["ci_ub"], abs=1e-8)


def test_published_kacker_2004_dersimonian_laird_vs_metafor() -> None:
    pct, n = _kacker_as_proportions()
    res = pool(pct, n, measure="lab mean", method="dl")
    assert res.tau2 == pytest.approx(METAFOR_DL["tau2"], abs=1e-9)
    assert res.q == pytest.approx(METAFOR_DL["QE"], abs=1e-9)
    assert 100 * res.i2 == pytest.approx(METAFOR_DL["I2"], abs=1e-8)
    assert _logit_pct(res.estimate_pct) == pytest.approx(METAFOR_DL["b"], abs=1e-9)
    assert _logit_pct(res.ci_low_pct) == pytest.approx(METAFOR_DL["ci_lb"], abs=1e-9)
    assert _logit_pct(res.ci_high_pct) == pytest.approx(METAFOR_DL["ci_ub"], abs=1e-9)
    # Kacker's printed DL tau (0.5359) agrees only to about 1e-3 (see the comment above).
    assert math.sqrt(res.tau2) == pytest.approx(0.5359, abs=1e-3)


@pytest.mark.parametrize("method", ["dl", "pm"])
def test_prediction_interval_wider_than_ci(method: str) -> None:
    for pct, n in ((HET_PCT, HET_N), (HOM_PCT, HOM_N), (HET_PCT[:3], HET_N[:3])):
        res = pool(pct, n, measure="m", method=method)
        assert res.pi_low_pct < res.ci_low_pct < res.estimate_pct
        assert res.estimate_pct < res.ci_high_pct < res.pi_high_pct


def test_prediction_interval_is_nan_for_two_studies() -> None:
    res = pool([32.9, 46.0], [222, 230], measure="lifetime")
    assert res.k == 2
    assert math.isnan(res.pi_low_pct) and math.isnan(res.pi_high_pct)
    assert math.isfinite(res.ci_low_pct) and math.isfinite(res.ci_high_pct)
    assert "no prediction interval" in res.summary()


def test_mixed_measures_raise_pooling_error_naming_the_rows() -> None:
    with pytest.raises(PoolingError) as err:
        pool(
            [32.9, 10.0, 46.0],
            [222, 222, 230],
            measure=["lifetime", "past-4-weeks", "lifetime"],
            row_ids=["x", "y", "z"],
        )
    message = str(err.value)
    assert "measure differ" in message
    assert "lifetime / lifetime / at least once: x, z" in message
    assert "past-4-weeks / lifetime / at least once: y" in message
    assert isinstance(err.value, ValueError)


def test_different_frequency_thresholds_raise_pooling_error_naming_the_rows() -> None:
    # The case: "a few times in the past 4 weeks" is not "any time in the past 4 weeks".
    with pytest.raises(PoolingError) as err:
        pool_proportions(
            [10.0, 5.1, 20.2],
            [222, 230, 1208],
            measure="past-4-weeks",
            recall_window="past 4 weeks",
            frequency_threshold=["at least once", "a few times", "at least once"],
            row_ids=["bird-4wk", "schweitzer-4wk", "macz-4wk"],
        )
    message = str(err.value)
    assert "frequency_threshold differ" in message and "recall_window differ" not in message
    assert "at least once: bird-4wk, macz-4wk" in message
    assert "a few times: schweitzer-4wk" in message


def test_different_recall_windows_raise_pooling_error_naming_the_rows() -> None:
    with pytest.raises(PoolingError, match=r"recall_window differ.*past 4 weeks.*: b") as err:
        pool(
            [32.9, 20.0],
            [222, 300],
            recall_window=["lifetime", "past 4 weeks"],
            row_ids=["a", "b"],
        )
    assert "lifetime / at least once: a" in str(err.value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("recall_window", "not stated"),
        ("recall_window", "recent (not defined)"),
        ("frequency_threshold", "regularly (not defined)"),
        ("frequency_threshold", "not stated"),
    ],
)
def test_undefined_definitions_are_never_pooled(field: str, value: str) -> None:
    # Two rows that both say "not stated" match as text, but nothing shows they count the same.
    with pytest.raises(PoolingError, match=rf"\['a', 'b'\].*not fully stated.*{field}"):
        pool([3.7, 4.0], [1489, 500], row_ids=["a", "b"], **{field: value})


def test_missing_definition_raises_pooling_error_naming_the_row() -> None:
    with pytest.raises(PoolingError, match=r"frequency_threshold is missing for \['b'\]"):
        pool([32.9, 46.0], [222, 230], frequency_threshold=["at least once", None], row_ids="ab")


def test_too_few_studies_raise_pooling_error() -> None:
    with pytest.raises(PoolingError, match=r"at least 2 studies.*k=1"):
        pool([32.9], [222], measure="lifetime")


def test_missing_n_raises_pooling_error_naming_rows() -> None:
    with pytest.raises(PoolingError, match=r"n is missing.*\['b'\]"):
        pool([32.9, 46.0, 41.0], [222, np.nan, 1208], measure="lifetime", row_ids=["a", "b", "c"])
    with pytest.raises(PoolingError, match=r"n is missing.*position 0"):
        pool(pd.Series([32.9, 46.0]), pd.Series([None, 230]), measure="lifetime")
    with pytest.raises(PoolingError, match=r"percent is missing.*\['c'\]"):
        pool([32.9, 46.0, np.nan], [222, 230, 1208], measure="lifetime", row_ids=["a", "b", "c"])


@pytest.mark.parametrize("edge", [0.0, 100.0])
def test_zero_or_hundred_percent_raise_pooling_error(edge: float) -> None:
    with pytest.raises(PoolingError, match=r"0 or 100 for \['z'\].*logit.*undefined"):
        pool([32.9, edge], [222, 50], measure="m", row_ids=["y", "z"])


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"method": "reml"}, r"method must be one of \['dl', 'pm'\]; got 'reml'"),
        ({"alpha": 0.0}, r"alpha must be a number in \(0, 0\.5\] .*; got 0\.0"),
        ({"row_ids": ["a"]}, r"row_ids must have one id per study \(2\)"),
        ({"measure": ["m"]}, r"measure must have one label per study \(2\)"),
    ],
)
def test_pool_rejects_bad_arguments(kwargs: dict, pattern: str) -> None:
    args = {"measure": "m", **kwargs}
    with pytest.raises(ValueError, match=pattern):
        pool([32.9, 46.0], [222, 230], **args)


def test_pool_rejects_invalid_values() -> None:
    with pytest.raises(ValueError, match=r"n must be a finite number > 0; got \[-3\.0\]"):
        pool([32.9, 46.0], [222, -3], measure="m")
    with pytest.raises(ValueError, match=r"percent must be in \[0, 100\]; got \[146\.0\]"):
        pool([32.9, 146.0], [222, 230], measure="m")
    with pytest.raises(ValueError, match=r"same length"):
        pool([32.9, 46.0], [222, 230, 10], measure="m")


def test_result_is_frozen_and_keeps_row_ids() -> None:
    ids = ["bird2011-women-lifetime", "schweitzer2015-women-lifetime"]
    res = pool([32.9, 46.0], [222, 230], measure="lifetime", row_ids=ids)
    assert res.row_ids == tuple(ids)
    assert isinstance(res, PooledEstimate)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.tau2 = 1.0  # type: ignore[misc]
    assert res.label == "pooled, 2 studies (DL)"


def test_summary_is_rounded_plain_text() -> None:
    res = pool([32.9, 46.0, 41.0], [222, 230, 1208], measure="lifetime")
    assert res.summary() == (
        f"lifetime (at least once), 3 studies (DL): {res.estimate_pct:.1f}% (95% CI "
        f"{res.ci_low_pct:.1f}–{res.ci_high_pct:.1f}; HKSJ {res.hk_low_pct:.1f}–"
        f"{res.hk_high_pct:.1f}); prediction interval {res.pi_low_pct:.1f}–{res.pi_high_pct:.1f}%; "
        f"τ² = {res.tau2:.3f}, I² = {100 * res.i2:.0f}%"
    )
    res90 = pool([32.9, 46.0, 41.0], [222, 230, 1208], measure="lifetime", alpha=0.1)
    assert "(90% CI " in res90.summary()
    assert res90.ci_high_pct - res90.ci_low_pct < res.ci_high_pct - res.ci_low_pct


# ------------------------------------------------------------------- Hartung-Knapp-Sidik-Jonkman


def _hksj_by_hand(pct: np.ndarray, n: np.ndarray, tau2: float) -> tuple[float, float]:
    """Hartung & Knapp (2001), Sidik & Jonkman (2002): mu +- t_{k-1} sqrt(q* / sum w*)."""
    y, v = _logit_inputs(pct, n)
    w = 1 / (v + tau2)
    mu = float(np.sum(w * y) / np.sum(w))
    k = len(y)
    q_star = float(np.sum(w * (y - mu) ** 2) / (k - 1))
    half = sps.t.ppf(0.975, k - 1) * math.sqrt(q_star / np.sum(w))
    return mu - half, mu + half


@pytest.mark.parametrize("method", ["dl", "pm"])
@pytest.mark.parametrize(("pct", "n"), [(HET_PCT, HET_N), (HET_PCT[:3], HET_N[:3])])
def test_hksj_equals_statsmodels_and_the_formula(method: str, pct: np.ndarray, n: np.ndarray):
    res = pool(pct, n, method=method)
    y, v = _logit_inputs(pct, n)
    kwds = {"atol": 1e-10, "maxiter": 200} if method == "pm" else {}
    ref = combine_effects(y, v, method_re=method, use_t=True, **kwds)
    low, high = ref.conf_int(alpha=0.05, use_t=True)[3]  # random effects, WLS scale: HKSJ
    assert special.logit(res.hk_low_pct / 100) == pytest.approx(low, abs=1e-9)
    assert special.logit(res.hk_high_pct / 100) == pytest.approx(high, abs=1e-9)
    by_hand = _hksj_by_hand(pct, n, res.tau2)
    assert special.logit(res.hk_low_pct / 100) == pytest.approx(by_hand[0], abs=1e-9)
    assert special.logit(res.hk_high_pct / 100) == pytest.approx(by_hand[1], abs=1e-9)


@pytest.mark.parametrize("method", ["dl", "pm"])
@pytest.mark.parametrize(
    ("pct", "n"),
    [
        ([30.0, 45.0, 38.0], [200, 250, 1000]),
        ([10.0, 20.0, 15.0], [222, 1208, 400]),
        ([60.0, 62.0, 75.0], [90, 500, 120]),
    ],
)
def test_hksj_is_wider_than_the_z_interval_for_three_heterogeneous_studies(method, pct, n):
    # Made-up studies that disagree (Q > k - 1): with k = 3 the t multiplier (4.30) outweighs
    # any rescaling, so HKSJ is wider than the usual interval.
    res = pool(np.array(pct), np.array(n, dtype=float), method=method)
    assert res.tau2 > 0
    assert res.hk_low_pct < res.ci_low_pct < res.estimate_pct < res.ci_high_pct < res.hk_high_pct


def test_hksj_uses_fixed_effect_fields_when_tau2_is_truncated() -> None:
    res = pool(HOM_PCT, HOM_N)
    y, v = _logit_inputs(HOM_PCT, HOM_N)
    ref = combine_effects(y, v, method_re="dl")
    low, high = ref.conf_int(alpha=0.05, use_t=True)[2]
    assert res.tau2 == 0.0
    assert special.logit(res.hk_low_pct / 100) == pytest.approx(low, abs=1e-9)
    assert special.logit(res.hk_high_pct / 100) == pytest.approx(high, abs=1e-9)


def test_report_shows_that_three_studies_make_the_prediction_interval_wide() -> None:
    res = pool(np.array([30.0, 45.0, 38.0]), np.array([200.0, 250.0, 1000.0]))
    assert res.pi_multiplier == pytest.approx(sps.t.ppf(0.975, 1), abs=1e-12)  # 12.71, 1 df
    text = res.report()
    assert "t with 1 df, multiplier 12.71" in text
    assert "t with 2 df, multiplier 4.30" in text and "z = 1.96" in text
    half_z = 1.959964 * math.sqrt(res.tau2 + res.logit_se**2)
    low_z = 100 * special.expit(res.logit_mean - half_z)
    assert f"it would be {low_z:.1f}%" in text
    assert res.pi_low_pct < low_z  # the t multiplier, not tau², makes most of the width
    two = pool([32.9, 46.0], [222, 230])
    assert "No prediction interval" in two.report() and math.isnan(two.pi_multiplier)


# ------------------------------------------------------------------ pooling rows of a table


def _table(**columns) -> pd.DataFrame:
    base = {
        "row_id": ["a-life", "b-life", "c-life", "a-4wk", "b-4wk", "c-4wk", "c-reg", "d-x", "d-y"],
        "study": ["A", "B", "C", "A", "B", "C", "C", "D", "D"],
        "group": ["women", "women", "men", "women", "women", "men", "men", "men", "women"],
        "measure": ["lifetime"] * 3 + ["past-4-weeks"] * 3 + ["regularly", "ctx", "ctx"],
        "measure_family": ["lifetime"] * 3
        + ["past four weeks"] * 3
        + ["regularly"]
        + ["other"] * 2,
        "recall_window": ["lifetime"] * 3 + ["past 4 weeks"] * 3 + ["not stated"] * 3,
        "frequency_threshold": ["at least once"] * 4
        + ["a few times", "at least once", "regularly (not defined)", "not stated", "not stated"],
        "percent": [32.9, 46.0, 41.0, 10.0, 5.1, 20.2, None, 21.6, 11.4],
        "n": [222, 230, 1208, 222, 230, 1208, 1208, 51, 105],
    }
    return pd.DataFrame({**base, **columns})


def test_pooling_groups_say_what_can_be_pooled_and_why_not() -> None:
    groups = pooling_groups(_table()).set_index("definition")
    assert groups.loc["lifetime (at least once)", "poolable"]
    assert groups.loc["lifetime (at least once)", "row_ids"] == ("a-life", "b-life", "c-life")
    assert groups.loc["past 4 weeks (at least once)", "row_ids"] == ("a-4wk", "c-4wk")
    assert groups.loc["past 4 weeks (a few times)", "why_not"].startswith("no other study")
    assert groups.loc["ctx", "why_not"].startswith("all figures from one study")
    assert not groups.loc["regularly", "poolable"]


def test_undefined_rows_from_two_studies_are_not_poolable() -> None:
    table = _table(study=["A", "B", "C", "A", "B", "C", "C", "D", "E"])
    groups = pooling_groups(table).set_index("definition")
    assert groups.loc["ctx", "why_not"] == "definition not fully stated (not stated, not stated)"


def test_pool_where_possible_pools_only_matching_definitions() -> None:
    table = _table()
    pooled, notes = pool_where_possible(table)
    assert [p.row_ids for p in pooled] == [("a-life", "b-life", "c-life"), ("a-4wk", "c-4wk")]
    for result in pooled:
        rows = table[table.row_id.isin(result.row_ids)]
        assert rows[["measure", "recall_window", "frequency_threshold"]].nunique().max() == 1
        direct = pool_rows(rows)
        assert direct.estimate_pct == result.estimate_pct
    text = "\n".join(notes)
    assert "a few times: B" in text and "at least once: A, C" in text
    assert (
        "Not pooled, no other study with the same definition: past 4 weeks (a few times) (B)"
        in text
    )
    assert "Not pooled, all figures from one study: ctx (D, 2 groups)" in text


def test_pool_measure_refuses_rows_whose_thresholds_differ() -> None:
    with pytest.raises(PoolingError, match=r"a few times: b-4wk"):
        pool_measure(_table(), "past-4-weeks")
    with pytest.raises(PoolingError, match=r"no rows with measure 'monthly'"):
        pool_measure(_table(), "monthly")
    assert pool_measure(_table(), "lifetime").k == 3
