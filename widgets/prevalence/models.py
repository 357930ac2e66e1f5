r"""Confidence intervals for reported prevalences and random-effects pooling of proportions.

Two jobs, both thin layers over :mod:`statsmodels`:

* :func:`proportion_interval` and :func:`add_intervals` put a binomial confidence interval around
  each reported percentage (Wilson score, Clopper–Pearson "exact", or the Wald interval that lesson
  05 shows misbehaving), via :func:`statsmodels.stats.proportion.proportion_confint`.
* :func:`pool_proportions` pools several studies of *one* measure (for example lifetime PCD) with a
  random-effects model on the logit scale, via
  :func:`statsmodels.stats.meta_analysis.combine_effects` (DerSimonian–Laird or Paule–Mandel), and
  adds the Higgins–Thompson–Spiegelhalter prediction interval.

Percentages are in percent (0–100) wherever a name ends in ``_pct`` or is called ``percent``;
proportions (0–1) everywhere else. Group sizes ``n`` are numbers of respondents. A missing group
size (NaN) never silently drops a row: the interval functions return NaN bounds for it, and the
pooling function refuses to run and names the rows.

Invalid input raises :class:`ValueError` naming the parameter, the value given and what is valid;
problems that make pooling itself meaningless raise :class:`PoolingError` (a ``ValueError``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats
from statsmodels.stats.meta_analysis import combine_effects
from statsmodels.stats.proportion import proportion_confint

__all__ = [
    "INTERVAL_METHODS",
    "POOLING_METHODS",
    "PooledEstimate",
    "PoolingError",
    "add_intervals",
    "forest_rows",
    "interval_table",
    "pool_measure",
    "pool_proportions",
    "proportion_interval",
    "study_table",
    "with_labels",
]

#: Interval methods accepted by :func:`proportion_interval`, mapped to statsmodels' names.
INTERVAL_METHODS: dict[str, str] = {"wilson": "wilson", "exact": "beta", "wald": "normal"}

#: Between-study variance estimators accepted by :func:`pool_proportions` (statsmodels' names).
POOLING_METHODS: tuple[str, ...] = ("dl", "pm")

# Paule–Mandel stopping rule passed to statsmodels: stop when the generalised Q statistic is within
# 1e-10 of k - 1 (statsmodels' default, 1e-5, agrees with metafor only to about 1e-6).
_PM_ATOL = 1e-10
_PM_MAXITER = 200
_PM_CHECK = 1e-6

_METHOD_LABEL = {"dl": "DL", "pm": "PM"}


class PoolingError(ValueError):
    """The studies cannot be pooled: mixed measures, k < 2, missing n, or a 0 % / 100 % figure."""


def _show(value: object) -> str:
    """Format a user-supplied value for an error message."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _check_alpha(alpha: object) -> float:
    is_real = isinstance(alpha, int | float | np.integer | np.floating) and not isinstance(
        alpha, bool
    )
    value = float(alpha) if is_real else math.nan  # type: ignore[arg-type]
    if not 0 < value <= 0.5:
        raise ValueError(
            f"alpha must be a number in (0, 0.5] (0.05 gives 95% intervals); got {_show(alpha)}"
        )
    return value


def _check_choice(name: str, value: object, valid: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in valid:
        raise ValueError(f"{name} must be one of {list(valid)}; got {_show(value)}")
    return value


def _as_float_array(name: str, values: Any) -> np.ndarray:
    """Convert array-like input (lists, numpy, pandas incl. pd.NA) to a float array."""
    try:
        if isinstance(values, pd.Series | pd.Index):
            return values.to_numpy(dtype=np.float64, na_value=np.nan)
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise ValueError(
            f"{name} must be numeric (NaN allowed for missing); got {_show(values)}"
        ) from err


def _positions(mask: np.ndarray) -> list[int]:
    return [int(i) for i in np.flatnonzero(mask)]


def proportion_interval(
    events: Any,
    n: Any,
    *,
    method: str = "wilson",
    alpha: float = 0.05,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Binomial confidence interval for a proportion, vectorised over studies.

    Parameters
    ----------
    events : float or array_like
        Number of respondents with the outcome, ``0 <= events <= n``. May be non-integer: a count
        reconstructed from a reported percentage as ``percent / 100 * n`` is deliberately *not*
        rounded, so that the interval is centred on the figure the paper reported (see Notes).
        NaN marks a missing figure.
    n : float or array_like
        Group size (respondents), ``> 0``; broadcast against ``events``. NaN marks a group size the
        paper did not report: that element gets NaN bounds, it is never dropped.
    method : {"wilson", "exact", "wald"}, default "wilson"
        ``"wilson"``: Wilson score interval. ``"exact"``: Clopper–Pearson interval from beta
        quantiles. ``"wald"``: the normal-approximation interval
        :math:`\hat p \pm z \sqrt{\hat p (1-\hat p)/n}`, kept only for teaching (lesson 05).
    alpha : float, default 0.05
        Two-sided error rate, in ``(0, 0.5]``; 0.05 gives 95 % intervals.

    Returns
    -------
    lower, upper : numpy.ndarray
        Bounds as proportions (0–1), with the broadcast shape of ``events`` and ``n`` (0-d for
        scalar input). NaN wherever ``events`` or ``n`` is NaN.

    Raises
    ------
    ValueError
        If ``method`` or ``alpha`` is invalid, ``n <= 0``, ``events < 0`` or ``events > n``.

    Notes
    -----
    With :math:`\hat p = x/n` and :math:`z = \Phi^{-1}(1 - \alpha/2)`, the Wilson (1927) score
    interval is

    .. math::

        \frac{\hat p + z^2/(2n) \pm z\sqrt{\hat p(1-\hat p)/n + z^2/(4n^2)}}{1 + z^2/n},

    the Clopper–Pearson (1934) interval is
    :math:`[B^{-1}(\alpha/2;\, x,\, n-x+1),\; B^{-1}(1-\alpha/2;\, x+1,\, n-x)]` with
    :math:`B^{-1}` the beta quantile function (bounds 0 at :math:`x=0` and 1 at :math:`x=n`), and
    the Wald interval is :math:`\hat p \pm z\sqrt{\hat p(1-\hat p)/n}`. All three are computed by
    :func:`statsmodels.stats.proportion.proportion_confint` (``method="wilson"``, ``"beta"`` and
    ``"normal"``) and returned unchanged. Note that statsmodels clips the Wald (and Wilson) bounds
    to [0, 1]; the Wald interval still misbehaves in the ways Brown, Cai & DasGupta (2001)
    describe (zero width at :math:`\hat p = 0` or 1, truncation at the boundary, coverage well below
    nominal for small :math:`n\hat p`), which is why it is kept for lesson 05 and never used as a
    default.

    Non-integer ``events``: a paper that reports "46% of 230" implies 105.8 events, not 106. Both
    formulas above are continuous in :math:`x` (the beta quantiles accept non-integer shape
    parameters), so the unrounded count gives an interval around exactly 46 %, whereas rounding
    would move the centre to 46.09 %.

    References
    ----------
    .. [1] Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
       inference. *Journal of the American Statistical Association*, 22(158), 209–212.
    .. [2] Clopper, C. J., & Pearson, E. S. (1934). The use of confidence or fiducial limits
       illustrated in the case of the binomial. *Biometrika*, 26(4), 404–413.
    .. [3] Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion:
       comparison of seven methods. *Statistics in Medicine*, 17(8), 857–872.
    .. [4] Brown, L. D., Cai, T. T., & DasGupta, A. (2001). Interval estimation for a binomial
       proportion. *Statistical Science*, 16(2), 101–133.

    Examples
    --------
    46 % of 230 students (Schweitzer et al. 2015), and a study whose group size is unknown:

    >>> lower, upper = proportion_interval([0.46 * 230, 10.0], [230, float("nan")])
    >>> (100 * lower).round(1), (100 * upper).round(1)
    (array([39.7,  nan]), array([52.5,  nan]))
    >>> lower, upper = proportion_interval(0, 20, method="wald")
    >>> float(lower), float(upper)
    (0.0, 0.0)
    """
    sm_method = INTERVAL_METHODS[_check_choice("method", method, list(INTERVAL_METHODS))]
    alpha = _check_alpha(alpha)
    x, size = np.broadcast_arrays(_as_float_array("events", events), _as_float_array("n", n))
    known_n = ~np.isnan(size)
    bad_n = known_n & ~(np.isfinite(size) & (size > 0))
    if bad_n.any():
        raise ValueError(
            f"n must be a finite number > 0 (or NaN when the group size is not reported); "
            f"got {float(size[bad_n].ravel()[0])!r} at position(s) {_positions(bad_n.ravel())}"
        )
    valid = known_n & ~np.isnan(x)
    bad_x = valid & ~((x >= 0) & (x <= size))
    if bad_x.any():
        i = int(np.flatnonzero(bad_x.ravel())[0])
        raise ValueError(
            f"events must satisfy 0 <= events <= n; got events={float(x.ravel()[i])!r} with "
            f"n={float(size.ravel()[i])!r} at position(s) {_positions(bad_x.ravel())}"
        )
    lower = np.full(x.shape, np.nan)
    upper = np.full(x.shape, np.nan)
    if valid.any():
        lo, hi = proportion_confint(x[valid], size[valid], alpha=alpha, method=sm_method)
        lower[valid] = lo
        upper[valid] = hi
    return lower, upper


def add_intervals(
    df: pd.DataFrame,
    *,
    percent: str = "percent",
    n: str = "n",
    method: str = "wilson",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Add a binomial confidence interval to every row of a table of reported percentages.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per reported figure, e.g. ``data/prevalence.csv``. Not modified.
    percent : str, default "percent"
        Column with the reported percentage, in ``[0, 100]``; missing values allowed.
    n : str, default "n"
        Column with the group size the percentage refers to, ``> 0``; missing values allowed.
    method : {"wilson", "exact", "wald"}, default "wilson"
        Interval method, see :func:`proportion_interval`.
    alpha : float, default 0.05
        Two-sided error rate in ``(0, 0.5]``.

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` with the same rows in the same order, plus (overwriting any existing
        columns of these names)

        * ``events`` -- ``percent / 100 * n``, not rounded (see :func:`proportion_interval`);
        * ``ci_low_pct``, ``ci_high_pct`` -- interval bounds in percent; NaN where ``percent`` or
          ``n`` is missing;
        * ``ci_method`` -- the method string, e.g. ``"wilson"``.

    Raises
    ------
    ValueError
        If a column is missing, a percentage is outside [0, 100], a group size is not positive, or
        ``method`` / ``alpha`` is invalid.

    Notes
    -----
    The bounds are :func:`proportion_interval` applied to ``events`` and ``n``, multiplied by 100.

    Examples
    --------
    >>> table = pd.DataFrame({"percent": [46.0, 5.1, 40.0], "n": [230, 230, None]})
    >>> add_intervals(table)[["events", "ci_low_pct", "ci_high_pct", "ci_method"]].round(1)
       events  ci_low_pct  ci_high_pct ci_method
    0   105.8        39.7         52.5    wilson
    1    11.7         2.9          8.8    wilson
    2     NaN         NaN          NaN    wilson
    """
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df must be a pandas DataFrame; got {type(df).__name__}")
    for name, column in (("percent", percent), ("n", n)):
        if column not in df.columns:
            raise ValueError(
                f"{name}={column!r} is not a column of df; columns are {list(df.columns)}"
            )
    _check_choice("method", method, list(INTERVAL_METHODS))
    pct = _as_float_array(f"df[{percent!r}]", df[percent])
    size = _as_float_array(f"df[{n!r}]", df[n])
    bad = ~np.isnan(pct) & ~((pct >= 0) & (pct <= 100))
    if bad.any():
        raise ValueError(
            f"percent column {percent!r} must be in [0, 100]; got {float(pct[bad][0])!r} at row "
            f"position(s) {_positions(bad)}"
        )
    events = pct / 100.0 * size
    lower, upper = proportion_interval(events, size, method=method, alpha=alpha)
    out = df.copy()
    out["events"] = events
    out["ci_low_pct"] = 100.0 * lower
    out["ci_high_pct"] = 100.0 * upper
    out["ci_method"] = method
    return out


@dataclass(frozen=True)
class PooledEstimate:
    """Result of :func:`pool_proportions`. Percentages are in percent (0–100).

    Attributes
    ----------
    method : str
        ``"dl"`` (DerSimonian–Laird) or ``"pm"`` (Paule–Mandel).
    measure : str
        The one measure pooled, e.g. ``"lifetime"``.
    k : int
        Number of studies pooled.
    estimate_pct, ci_low_pct, ci_high_pct : float
        Pooled prevalence and its confidence interval, back-transformed from the logit scale.
    pi_low_pct, pi_high_pct : float
        Prediction interval for the prevalence in a new comparable study; NaN when ``k < 3``.
    tau2 : float
        Between-study variance on the logit scale (>= 0).
    i2 : float
        Higgins–Thompson :math:`I^2` as a fraction in [0, 1].
    q : float
        Cochran's Q (inverse-variance weights, logit scale).
    q_df : int
        Degrees of freedom of Q, ``k - 1``.
    row_ids : tuple of str
        Identifiers of the pooled rows, in input order; empty when none were given.
    alpha : float
        Two-sided error rate of both intervals.
    """

    method: str
    measure: str
    k: int
    estimate_pct: float
    ci_low_pct: float
    ci_high_pct: float
    pi_low_pct: float
    pi_high_pct: float
    tau2: float
    i2: float
    q: float
    q_df: int
    row_ids: tuple[str, ...] = ()
    alpha: float = 0.05

    @property
    def label(self) -> str:
        """Short label for a forest-plot row, e.g. ``"pooled, 3 studies (DL)"``."""
        return f"pooled, {self.k} studies ({_METHOD_LABEL.get(self.method, self.method)})"

    def summary(self) -> str:
        """One plain-text line with rounded numbers (identical on any CPU).

        Examples
        --------
        >>> res = PooledEstimate("dl", "lifetime", 3, 40.07, 34.21, 46.23, 3.43, 92.63,
        ...                      0.0368, 0.758, 8.25, 2)
        >>> print(res.summary())
        lifetime, 3 studies (DL): 40.1% (95% CI 34.2–46.2); prediction interval 3.4–92.6%;
        τ² = 0.037, I² = 76%
        """
        level = f"{100 * (1 - self.alpha):.4g}"
        head = (
            f"{self.measure}, {self.k} studies ({_METHOD_LABEL.get(self.method, self.method)}): "
            f"{self.estimate_pct:.1f}% ({level}% CI {self.ci_low_pct:.1f}–{self.ci_high_pct:.1f})"
        )
        if math.isnan(self.pi_low_pct) or math.isnan(self.pi_high_pct):
            pi = "no prediction interval (needs at least 3 studies)"
        else:
            pi = f"prediction interval {self.pi_low_pct:.1f}–{self.pi_high_pct:.1f}%"
        return f"{head}; {pi}; τ² = {self.tau2:.3f}, I² = {100 * self.i2:.0f}%"


def _row_names(k: int, row_ids: tuple[str, ...]) -> list[str]:
    return list(row_ids) if row_ids else [f"position {i}" for i in range(k)]


def pool_proportions(
    percent: Any,
    n: Any,
    *,
    measure: Any,
    method: str = "dl",
    alpha: float = 0.05,
    row_ids: Sequence[str] | None = None,
) -> PooledEstimate:
    r"""Random-effects pooling of prevalences on the logit scale (DerSimonian–Laird, Paule–Mandel).

    Parameters
    ----------
    percent : array_like
        Reported prevalence of each study, in percent, strictly between 0 and 100.
    n : array_like
        Group size of each study (respondents, ``> 0``), same length as ``percent``.
    measure : array_like of str, or str
        The measure of each study (one label per study, e.g. ``"lifetime"``); a single string
        applies to all. All labels must be equal: a lifetime prevalence and a past-4-weeks
        prevalence estimate different quantities and are never pooled together.
    method : {"dl", "pm"}, default "dl"
        Between-study variance estimator: ``"dl"`` DerSimonian–Laird method of moments, ``"pm"``
        Paule–Mandel iteration (statsmodels ``method_re``).
    alpha : float, default 0.05
        Two-sided error rate in ``(0, 0.5]`` for the confidence and prediction intervals.
    row_ids : sequence of str, optional
        Identifiers of the rows (e.g. ``row_id`` of ``data/prevalence.csv``); used in error
        messages and stored on the result.

    Returns
    -------
    PooledEstimate

    Raises
    ------
    PoolingError
        If the measures differ (the message lists them), fewer than 2 studies are given, any
        ``n`` or ``percent`` is missing (the rows are named), or any prevalence is 0 % or 100 %
        (the logit is undefined there).
    ValueError
        If lengths differ, or ``method``, ``alpha``, ``percent`` (outside [0, 100]) or ``n``
        (not positive) is invalid.

    Notes
    -----
    Each study contributes :math:`y_i = \operatorname{logit}(p_i) = \ln\{p_i/(1-p_i)\}` with
    within-study variance :math:`v_i = 1/(n_i p_i) + 1/\{n_i (1-p_i)\}` (delta method). With
    weights :math:`w_i = 1/v_i`, Cochran's statistic is
    :math:`Q = \sum w_i (y_i - \bar y_w)^2` on :math:`k-1` degrees of freedom. The
    DerSimonian–Laird estimate is

    .. math::

        \hat\tau^2 = \max\left(0, \frac{Q - (k-1)}{C}\right), \qquad
        C = \sum w_i - \frac{\sum w_i^2}{\sum w_i};

    Paule–Mandel instead solves :math:`\sum w_i^*(y_i - \hat\mu^*)^2 = k-1` with
    :math:`w_i^* = 1/(v_i + \tau^2)` (0 if no positive root). The pooled logit is
    :math:`\hat\mu = \sum w_i^* y_i / \sum w_i^*` with :math:`\mathrm{SE}(\hat\mu) =
    (\sum w_i^*)^{-1/2}`, the confidence interval :math:`\hat\mu \pm z_{1-\alpha/2}\,
    \mathrm{SE}`, and the prediction interval (Higgins, Thompson & Spiegelhalter 2009)

    .. math::

        \hat\mu \pm t_{k-2,\,1-\alpha/2} \sqrt{\hat\tau^2 + \mathrm{SE}(\hat\mu)^2},

    defined only for :math:`k \ge 3`. All three are back-transformed with
    :math:`\operatorname{expit}(x) = 1/(1+e^{-x})`, so the pooled value is a median-type (not
    mean) prevalence. :math:`I^2 = \max\{0, (Q-(k-1))/Q\}` (Higgins & Thompson 2002) for both
    methods, as statsmodels computes it; for ``"pm"`` this differs from metafor's
    :math:`\hat\tau^2`-based :math:`I^2`.

    Everything except the prediction interval comes from
    :func:`statsmodels.stats.meta_analysis.combine_effects` (attributes ``tau2``, ``q``, ``i2``,
    ``mean_effect_re``, ``sd_eff_w_re``, ``conf_int``). statsmodels does not truncate the DL
    moment estimate at 0; when it is negative (:math:`Q < k-1`) this function reports
    :math:`\hat\tau^2 = 0`, :math:`I^2 = 0` and uses statsmodels' fixed-effect fields, which equal
    the random-effects model at :math:`\tau^2 = 0`. Paule–Mandel is iterated until the generalised
    Q is within 1e-10 of :math:`k-1` (statsmodels' ``atol``; at most 200 iterations).

    References
    ----------
    .. [1] DerSimonian, R., & Laird, N. (1986). Meta-analysis in clinical trials. *Controlled
       Clinical Trials*, 7(3), 177–188.
    .. [2] Paule, R. C., & Mandel, J. (1982). Consensus values and weighting factors. *Journal of
       Research of the National Bureau of Standards*, 87(5), 377–385.
    .. [3] Higgins, J. P. T., & Thompson, S. G. (2002). Quantifying heterogeneity in a
       meta-analysis. *Statistics in Medicine*, 21(11), 1539–1558.
    .. [4] Higgins, J. P. T., Thompson, S. G., & Spiegelhalter, D. J. (2009). A re-evaluation of
       random-effects meta-analysis. *JRSS A*, 172(1), 137–159.
    .. [5] Kacker, R. N. (2004). Combining information from interlaboratory evaluations using a
       random effects model. *Metrologia*, 41(3), 132–136.

    Examples
    --------
    Lifetime PCD in the three samples of ``data/prevalence.csv`` that report it with a group size
    (Bird et al. 2011; Schweitzer et al. 2015; Maczkowiack et al. 2019):

    >>> res = pool_proportions([32.9, 46.0, 41.0], [222, 230, 1208], measure="lifetime")
    >>> print(res.summary())
    lifetime, 3 studies (DL): 40.1% (95% CI 34.2–46.2); prediction interval 3.4–92.6%;
    τ² = 0.037, I² = 76%
    >>> res.k, res.q_df, round(res.q, 2)
    (3, 2, 8.25)
    >>> pool_proportions([32.9, 10.0], [222, 222], measure=["lifetime", "past-4-weeks"])
    Traceback (most recent call last):
    ...
    widgets.prevalence.models.PoolingError: cannot pool different measures: found
    ['lifetime', 'past-4-weeks']; only studies of one measure can be pooled
    """
    method = _check_choice("method", method, POOLING_METHODS)
    alpha = _check_alpha(alpha)
    pct = np.atleast_1d(_as_float_array("percent", percent))
    size = np.atleast_1d(_as_float_array("n", n))
    if pct.ndim != 1 or size.ndim != 1 or pct.shape != size.shape:
        raise ValueError(
            f"percent and n must be 1-D with the same length; got shapes {pct.shape} and "
            f"{size.shape}"
        )
    k = int(pct.size)
    labels = (
        [measure] * k
        if isinstance(measure, str)
        else list(np.ravel(np.asarray(measure, dtype=object)))
    )
    if len(labels) != k:
        raise ValueError(f"measure must have one label per study ({k}); got {len(labels)} labels")
    ids: tuple[str, ...] = ()
    if row_ids is not None:
        ids = tuple(str(r) for r in row_ids)
        if len(ids) != k:
            raise ValueError(f"row_ids must have one id per study ({k}); got {len(ids)}")
    names = _row_names(k, ids)

    if k < 2:
        raise PoolingError(f"need at least 2 studies to pool; got k={k}")
    missing_label = [names[i] for i, lab in enumerate(labels) if lab is None or pd.isna(lab)]
    if missing_label:
        raise PoolingError(f"measure is missing for {missing_label}; cannot tell what is pooled")
    distinct = list(dict.fromkeys(str(lab) for lab in labels))
    if len(distinct) > 1:
        raise PoolingError(
            f"cannot pool different measures: found {distinct}; only studies of one measure "
            f"can be pooled"
        )
    for name, values in (("n", size), ("percent", pct)):
        gone = np.isnan(values)
        if gone.any():
            raise PoolingError(
                f"{name} is missing (NaN) for {[names[i] for i in _positions(gone)]}; drop or "
                f"complete these rows before pooling"
            )
    if not (np.isfinite(size) & (size > 0)).all():
        bad = _positions(~(np.isfinite(size) & (size > 0)))
        raise ValueError(
            f"n must be a finite number > 0; got {size[bad].tolist()} for {[names[i] for i in bad]}"
        )
    if not ((pct >= 0) & (pct <= 100)).all():
        bad = _positions(~((pct >= 0) & (pct <= 100)))
        raise ValueError(
            f"percent must be in [0, 100]; got {pct[bad].tolist()} for {[names[i] for i in bad]}"
        )
    edge = (pct == 0) | (pct == 100)
    if edge.any():
        raise PoolingError(
            f"percent is 0 or 100 for {[names[i] for i in _positions(edge)]}: the logit (and its "
            f"variance) is undefined there, so these studies cannot be pooled on the logit scale"
        )

    p = pct / 100.0
    y = special.logit(p)
    v = 1.0 / (size * p) + 1.0 / (size * (1.0 - p))
    kwds = {"atol": _PM_ATOL, "maxiter": _PM_MAXITER} if method == "pm" else {}
    # statsmodels computes I² = 1 - (k-1)/Q, which divides by zero when all y are equal.
    with np.errstate(divide="ignore", invalid="ignore"):
        res = combine_effects(y, v, method_re=method, row_names=names, **kwds)
    df_q = k - 1
    q = float(res.q)
    tau2 = float(res.tau2)
    ci_fe, ci_re = res.conf_int(alpha=alpha, use_t=False)[:2]
    if tau2 > 0:
        if method == "pm" and abs(float(res.scale_hksj_re) * df_q - df_q) > _PM_CHECK:
            raise PoolingError(
                f"the Paule–Mandel iteration did not converge in {_PM_MAXITER} steps; "
                f"use method='dl'"
            )
        mu, se, ci = float(res.mean_effect_re), float(res.sd_eff_w_re), ci_re
        i2 = max(0.0, float(res.i2))
    else:  # Q <= k - 1: tau² truncated at 0, random effects = fixed effect
        tau2 = 0.0
        mu, se, ci = float(res.mean_effect_fe), float(res.sd_eff_w_fe), ci_fe
        i2 = 0.0
    if k >= 3:
        half = stats.t.ppf(1 - alpha / 2, k - 2) * math.sqrt(tau2 + se**2)
        pi_low, pi_high = 100 * special.expit(mu - half), 100 * special.expit(mu + half)
    else:
        pi_low = pi_high = math.nan
    return PooledEstimate(
        method=method,
        measure=distinct[0],
        k=k,
        estimate_pct=float(100 * special.expit(mu)),
        ci_low_pct=float(100 * special.expit(ci[0])),
        ci_high_pct=float(100 * special.expit(ci[1])),
        pi_low_pct=float(pi_low),
        pi_high_pct=float(pi_high),
        tau2=tau2,
        i2=i2,
        q=q,
        q_df=df_q,
        row_ids=ids,
        alpha=alpha,
    )


# --- tables for the notebooks ---------------------------------------------------------------------
# Pure pandas views of data/prevalence.csv, so that a notebook cell is one call per idea.


def study_table(df: pd.DataFrame) -> pd.DataFrame:
    """One row per study: who was asked, how, and which measures it reports.

    Parameters
    ----------
    df : pandas.DataFrame
        The prevalence table, as returned by ``widgets.data.load("prevalence")``.

    Returns
    -------
    pandas.DataFrame
        Columns ``study``, ``asked`` (population), ``people`` (total n), ``sampling``,
        ``instrument`` and ``measures`` (the distinct measures reported, in file order), one row
        per ``study_id`` in order of first appearance.

    Examples
    --------
    >>> from widgets import data
    >>> table = study_table(data.load("prevalence"))
    >>> table.loc[table.study.str.startswith("Burri & Spector"), ["people", "sampling"]]
       people          sampling
    3    1489  population-based
    """
    rows = []
    for _, study in df.groupby("study_id", sort=False):
        first = study.iloc[0]
        rows.append(
            {
                "study": first["study"],
                "asked": first["population"],
                "people": int(first["n_total"]),
                "sampling": first["sampling"],
                "instrument": first["instrument"],
                "measures": ", ".join(dict.fromkeys(study["measure"])),
            }
        )
    return pd.DataFrame(rows)


def with_labels(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy with a short ``label`` column for figures: "study · group · measure".

    Examples
    --------
    >>> table = pd.DataFrame({"study": ["Bird et al. 2011"], "group": ["women"],
    ...                       "measure": ["past-4-weeks"]})
    >>> with_labels(table)["label"].item()
    'Bird et al. 2011 · women · past 4 weeks'
    """
    out = df.copy()
    measure = out["measure"].str.replace("-", " ", regex=False).replace({"p ses": "P-SES"})
    out["label"] = out["study"] + " · " + out["group"] + " · " + measure
    return out


def forest_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Rows for :func:`widgets.prevalence.figures.forest_plot`: labels, and low/high bars.

    Adds ``label`` (see :func:`with_labels`) and ``low_pct`` / ``high_pct``: the confidence
    interval from :func:`add_intervals` where there is one, otherwise the range the paper reported
    (for example 3–4%), otherwise missing. Every row is kept.

    Examples
    --------
    >>> from widgets import data
    >>> rows = forest_rows(add_intervals(data.load("prevalence")))
    >>> regularly = rows[rows.row_id == "maczkowiack2019-men-regularly"]
    >>> regularly[["percent", "low_pct", "high_pct"]].astype(float).to_numpy().tolist()
    [[nan, 3.0, 4.0]]
    """
    out = with_labels(df)
    out["low_pct"] = out["ci_low_pct"].astype(float).fillna(out["percent_low"].astype(float))
    out["high_pct"] = out["ci_high_pct"].astype(float).fillna(out["percent_high"].astype(float))
    return out


def interval_table(df: pd.DataFrame, *, decimals: int = 1) -> pd.DataFrame:
    """The reported figures with their intervals, rounded for printing.

    Parameters
    ----------
    df : pandas.DataFrame
        The output of :func:`add_intervals` on the prevalence table.
    decimals : int, default 1
        Decimal places for the percentages.

    Returns
    -------
    pandas.DataFrame
        Columns ``study``, ``group``, ``measure``, ``n``, ``reported`` (the percentage as reported,
        or the reported range such as ``"3–4"``), ``ci_low``, ``ci_high`` (percent, rounded) and
        ``no_interval_because`` (empty when there is an interval). Every input row appears.

    Examples
    --------
    >>> from widgets import data
    >>> table = interval_table(add_intervals(data.load("prevalence")))
    >>> table.iloc[2][["study", "reported", "ci_low", "ci_high"]]
    study       Schweitzer et al. 2015
    reported                        46
    ci_low                        39.7
    ci_high                       52.5
    Name: 2, dtype: object
    """
    reasons = {
        "total-only": "group size not reported",
        "denominator-unclear": "denominator not stated",
    }

    def reported(row) -> str:
        if pd.notna(row["percent"]):
            return f"{row['percent']:g}"
        return f"{row['percent_low']:g}–{row['percent_high']:g}"

    def why(row) -> str:
        if pd.notna(row["ci_low_pct"]):
            return ""
        if pd.isna(row["percent"]):
            return "reported as a range"
        return reasons.get(row["n_status"], "no group size")

    return pd.DataFrame(
        {
            "study": df["study"],
            "group": df["group"],
            "measure": df["measure"],
            "n": df["n"],
            "reported": df.apply(reported, axis=1),
            "ci_low": df["ci_low_pct"].astype(float).round(decimals),
            "ci_high": df["ci_high_pct"].astype(float).round(decimals),
            "no_interval_because": df.apply(why, axis=1),
        }
    )


def pool_measure(
    df: pd.DataFrame, measure: str, *, method: str = "dl", alpha: float = 0.05
) -> PooledEstimate:
    """Pool every row of one measure in the prevalence table (see :func:`pool_proportions`).

    Parameters
    ----------
    df : pandas.DataFrame
        The prevalence table (``row_id``, ``measure``, ``percent``, ``n`` columns).
    measure : str
        One value of the ``measure`` column, e.g. ``"lifetime"``.
    method : {"dl", "pm"}, default "dl"
    alpha : float, default 0.05

    Raises
    ------
    PoolingError
        If fewer than two rows have that measure, or any of them lacks a group size or a single
        reported percentage.

    Examples
    --------
    >>> from widgets import data
    >>> pooled = pool_measure(data.load("prevalence"), "past-4-weeks")
    >>> pooled.k, pooled.row_ids[0]
    (3, 'bird2011-women-4wk')
    """
    rows = df[df["measure"] == measure]
    if rows.empty:
        raise PoolingError(
            f"no rows with measure {measure!r}; measures present: "
            f"{', '.join(dict.fromkeys(df['measure']))}"
        )
    return pool_proportions(
        rows["percent"].astype(float),
        rows["n"].astype(float),
        measure=measure,
        method=method,
        alpha=alpha,
        row_ids=tuple(rows["row_id"]),
    )
