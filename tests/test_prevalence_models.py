"""Tests for widgets.prevalence.models: binomial intervals and random-effects pooling.

Every statistical result is checked against at least one computation that does not go through the
code under test: statsmodels called directly, scipy's own binomial intervals, closed-form formulas
written out here, and published numbers (Kacker 2004; R metafor).
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
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
    pool_proportions,
    proportion_interval,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "prevalence.csv"

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


def test_add_intervals_keeps_every_row_of_the_data_file() -> None:
    df = pd.read_csv(DATA)
    before = df.copy()
    out = add_intervals(df)
    assert len(out) == len(df)
    assert list(out.index) == list(df.index)
    assert list(out["row_id"]) == list(df["row_id"])
    pd.testing.assert_frame_equal(df, before)  # input untouched
    for col in ("events", "ci_low_pct", "ci_high_pct", "ci_method"):
        assert col in out.columns
    missing = df["n"].isna() | df["percent"].isna()
    assert missing.any() and (~missing).any()
    assert out.loc[missing, ["ci_low_pct", "ci_high_pct"]].isna().all().all()
    ok = out.loc[~missing]
    assert np.isfinite(ok[["ci_low_pct", "ci_high_pct"]].to_numpy()).all()
    assert (ok["ci_low_pct"] <= ok["percent"]).all() and (ok["percent"] <= ok["ci_high_pct"]).all()
    assert (out["ci_method"] == "wilson").all()
    assert_allclose(ok["events"], ok["percent"] / 100 * ok["n"], rtol=1e-15)


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
    res = pool_proportions(pct, n, measure="lifetime", method=method)
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
    res = pool_proportions(pct, n, measure="m", method="dl", alpha=alpha)
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
    res = pool_proportions(HOM_PCT, HOM_N, measure="m", method=method)
    assert res.tau2 == 0.0 and res.i2 == 0.0
    # tau² = 0: the random-effects estimate is the fixed-effect (inverse-variance) one.
    assert res.estimate_pct == pytest.approx(100 * special.expit(raw.mean_effect_fe), abs=1e-9)
    ci_fe = raw.conf_int(use_t=False)[0]
    assert res.ci_low_pct == pytest.approx(100 * special.expit(ci_fe[0]), abs=1e-9)


def test_identical_studies_pool_without_warnings() -> None:
    # Q = 0 makes statsmodels divide by zero for I²; the module must not warn (warnings are errors).
    res = pool_proportions([30.0, 30.0, 30.0], [100, 100, 100], measure="m")
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
    res = pool_proportions(pct, n, measure="lab mean", method="pm")
    assert round(math.sqrt(res.tau2), 4) == KACKER_TAU_PM
    assert res.tau2 == pytest.approx(METAFOR_PM["tau2"], abs=1e-8)
    assert res.q == pytest.approx(METAFOR_PM["QE"], abs=1e-8)
    assert _logit_pct(res.estimate_pct) == pytest.approx(METAFOR_PM["b"], abs=1e-8)
    assert _logit_pct(res.ci_low_pct) == pytest.approx(METAFOR_PM["ci_lb"], abs=1e-8)
    assert _logit_pct(res.ci_high_pct) == pytest.approx(METAFOR_PM["ci_ub"], abs=1e-8)


def test_published_kacker_2004_dersimonian_laird_vs_metafor() -> None:
    pct, n = _kacker_as_proportions()
    res = pool_proportions(pct, n, measure="lab mean", method="dl")
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
        res = pool_proportions(pct, n, measure="m", method=method)
        assert res.pi_low_pct < res.ci_low_pct < res.estimate_pct
        assert res.estimate_pct < res.ci_high_pct < res.pi_high_pct


def test_prediction_interval_is_nan_for_two_studies() -> None:
    res = pool_proportions([32.9, 46.0], [222, 230], measure="lifetime")
    assert res.k == 2
    assert math.isnan(res.pi_low_pct) and math.isnan(res.pi_high_pct)
    assert math.isfinite(res.ci_low_pct) and math.isfinite(res.ci_high_pct)
    assert "no prediction interval" in res.summary()


def test_mixed_measures_raise_pooling_error_listing_them() -> None:
    with pytest.raises(PoolingError) as err:
        pool_proportions(
            [32.9, 10.0, 46.0], [222, 222, 230], measure=["lifetime", "past-4-weeks", "lifetime"]
        )
    message = str(err.value)
    assert "['lifetime', 'past-4-weeks']" in message
    assert "only studies of one measure can be pooled" in message
    assert isinstance(err.value, ValueError)


def test_too_few_studies_raise_pooling_error() -> None:
    with pytest.raises(PoolingError, match=r"at least 2 studies.*k=1"):
        pool_proportions([32.9], [222], measure="lifetime")


def test_missing_n_raises_pooling_error_naming_rows() -> None:
    with pytest.raises(PoolingError, match=r"n is missing.*\['b'\]"):
        pool_proportions(
            [32.9, 46.0, 41.0], [222, np.nan, 1208], measure="lifetime", row_ids=["a", "b", "c"]
        )
    with pytest.raises(PoolingError, match=r"n is missing.*position 0"):
        pool_proportions(pd.Series([32.9, 46.0]), pd.Series([None, 230]), measure="lifetime")
    with pytest.raises(PoolingError, match=r"percent is missing.*\['c'\]"):
        pool_proportions(
            [32.9, 46.0, np.nan], [222, 230, 1208], measure="lifetime", row_ids=["a", "b", "c"]
        )


@pytest.mark.parametrize("edge", [0.0, 100.0])
def test_zero_or_hundred_percent_raise_pooling_error(edge: float) -> None:
    with pytest.raises(PoolingError, match=r"0 or 100 for \['z'\].*logit.*undefined"):
        pool_proportions([32.9, edge], [222, 50], measure="m", row_ids=["y", "z"])


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
        pool_proportions([32.9, 46.0], [222, 230], **args)


def test_pool_rejects_invalid_values() -> None:
    with pytest.raises(ValueError, match=r"n must be a finite number > 0; got \[-3\.0\]"):
        pool_proportions([32.9, 46.0], [222, -3], measure="m")
    with pytest.raises(ValueError, match=r"percent must be in \[0, 100\]; got \[146\.0\]"):
        pool_proportions([32.9, 146.0], [222, 230], measure="m")
    with pytest.raises(ValueError, match=r"same length"):
        pool_proportions([32.9, 46.0], [222, 230, 10], measure="m")


def test_result_is_frozen_and_keeps_row_ids() -> None:
    ids = ["bird2011-women-lifetime", "schweitzer2015-women-lifetime"]
    res = pool_proportions([32.9, 46.0], [222, 230], measure="lifetime", row_ids=ids)
    assert res.row_ids == tuple(ids)
    assert isinstance(res, PooledEstimate)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.tau2 = 1.0  # type: ignore[misc]
    assert res.label == "pooled, 2 studies (DL)"


def test_summary_is_rounded_plain_text() -> None:
    res = pool_proportions([32.9, 46.0, 41.0], [222, 230, 1208], measure="lifetime")
    assert res.summary() == (
        "lifetime, 3 studies (DL): 40.1% (95% CI 34.2–46.2); prediction interval 3.4–92.6%; "
        "τ² = 0.037, I² = 76%"
    )
    res90 = pool_proportions([32.9, 46.0, 41.0], [222, 230, 1208], measure="lifetime", alpha=0.1)
    assert "(90% CI " in res90.summary()
    assert res90.ci_high_pct - res90.ci_low_pct < res.ci_high_pct - res.ci_low_pct
