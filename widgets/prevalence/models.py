r"""Confidence intervals for reported prevalences and random-effects pooling of proportions.

Two jobs, both thin layers over :mod:`statsmodels`:

* :func:`proportion_interval` and :func:`add_intervals` put a binomial confidence interval around
  each reported percentage (Wilson score, Clopper–Pearson "exact", or the Wald interval that lesson
  05 shows misbehaving), via :func:`statsmodels.stats.proportion.proportion_confint`.
* :func:`pool_proportions` pools several studies of *one* definition (the same measure, recall
  window and frequency threshold, for example lifetime PCD at least once) with a random-effects
  model on the logit scale, via :func:`statsmodels.stats.meta_analysis.combine_effects`
  (DerSimonian–Laird or Paule–Mandel), and reports the usual confidence interval, the
  Hartung–Knapp–Sidik–Jonkman interval and the Higgins–Thompson–Spiegelhalter prediction interval.
  It refuses, naming the rows, to pool figures whose definitions differ or are not stated;
  :func:`pooling_groups` and :func:`pool_where_possible` apply that rule to a table (lesson 04's
  notebook and its explorer both use them).

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
    "DEFINITION_COLUMNS",
    "INTERVAL_METHODS",
    "POOLING_METHODS",
    "UNDEFINED",
    "PooledEstimate",
    "PoolingError",
    "add_intervals",
    "definition_words",
    "family_ranges",
    "forest_rows",
    "interval_at_sizes",
    "interval_table",
    "measure_words",
    "pool_measure",
    "pool_proportions",
    "pool_rows",
    "pool_where_possible",
    "pooling_groups",
    "proportion_interval",
    "quote_figures",
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
        Number of respondents with the outcome, ``0 <= events <= n``, or, for a figure a paper
        reports only as a percentage, ``percent / 100 * n``: that is :math:`\hat p\,n` with
        :math:`\hat p` the reported proportion, not a count of people (105.8 for "46% of 230"), and
        it is never shown as one (see Notes). NaN marks a missing figure.
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

    What the interval is built around. The papers give percentages, not counts, and a rounded
    percentage often fits more than one whole count ("46% of 230" fits 105 people, 45.65%, and
    106 people, 46.09%) or, when the paper's denominator differs from its group size, none (see
    ``count_note`` in ``data/prevalence.csv``). So this function is given
    :math:`x = \hat p\,n` with :math:`\hat p` the reported proportion itself, not a guessed whole
    count. Both formulas above are continuous in :math:`x` (the beta quantiles accept non-integer
    shape parameters), so :math:`\hat p = x/n` is exactly the reported figure. The result is the
    interval for the reported proportion with sample size :math:`n`; it differs from the
    interval of any whole count that fits by less than the paper's own rounding. :math:`x` is an
    input to a formula, not a number of people.

    The interval is **not** centred on :math:`\hat p`. It always contains :math:`\hat p`, but the
    Wilson interval is centred on :math:`(\hat p + z^2/2n)/(1 + z^2/n)`, pulled towards 50 %, and
    the Clopper–Pearson interval is asymmetric too; only the Wald interval is symmetric about
    :math:`\hat p`. For 5.1 % of 230 the Wilson interval runs from 2.2 points below to 3.7 points
    above the figure.

    References
    ----------
    .. [1] Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
       inference. *Journal of the American Statistical Association*, 22(158), 209–212.
    .. [2] Clopper, C. J., & Pearson, E. S. (1934). The use of confidence or fiducial limits
       illustrated in the case of the binomial. *Biometrika*, 26(4), 404–413. (``clopper1934``)
    .. [3] Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion:
       comparison of seven methods. *Statistics in Medicine*, 17(8), 857–872.
    .. [4] Brown, L. D., Cai, T. T., & DasGupta, A. (2001). Interval estimation for a binomial
       proportion. *Statistical Science*, 16(2), 101–133. (``brown2001``)

    Examples
    --------
    46 % of 230 students (Schweitzer et al. 2015), and a study whose group size is unknown:

    >>> lower, upper = proportion_interval([0.46 * 230, 10.0], [230, float("nan")])
    >>> (100 * lower).round(1), (100 * upper).round(1)
    (array([39.7,  nan]), array([52.5,  nan]))

    Not centred on the figure: 5.1 % of 230 gives an interval from 2.2 points below to 3.7 above.

    >>> lower, upper = proportion_interval(0.051 * 230, 230)
    >>> round(5.1 - 100 * float(lower), 1), round(100 * float(upper) - 5.1, 1)
    (2.2, 3.7)
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
    The bounds are :func:`proportion_interval` applied to ``percent / 100 * n`` and ``n``,
    multiplied by 100: the interval for the reported proportion with sample size ``n`` (see the
    Notes there). ``percent / 100 * n`` is not a count of people and is not added to the table.

    Examples
    --------
    >>> table = pd.DataFrame({"percent": [46.0, 5.1, 40.0], "n": [230, 230, None]})
    >>> add_intervals(table)[["ci_low_pct", "ci_high_pct", "ci_method"]].round(1)
       ci_low_pct  ci_high_pct ci_method
    0        39.7         52.5    wilson
    1         2.9          8.8    wilson
    2         NaN          NaN    wilson
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
    lower, upper = proportion_interval(pct / 100.0 * size, size, method=method, alpha=alpha)
    out = df.copy()
    out["ci_low_pct"] = 100.0 * lower
    out["ci_high_pct"] = 100.0 * upper
    out["ci_method"] = method
    return out


#: Values of ``recall_window`` / ``frequency_threshold`` that do not define a figure well enough to
#: pool it: the source names no period, or uses a word ("recent", "regularly") it does not define.
UNDEFINED: frozenset[str] = frozenset(
    {"not stated", "recent (not defined)", "regularly (not defined)", "persistent (not defined)"}
)

#: The columns whose values together define what a figure counts. Rows are pooled only when all
#: three match and neither recall_window nor frequency_threshold is in :data:`UNDEFINED`.
DEFINITION_COLUMNS: tuple[str, str, str] = ("measure", "recall_window", "frequency_threshold")


def measure_words(measure: str) -> str:
    """A ``measure`` value in words, e.g. ``"past-4-weeks"`` -> ``"past 4 weeks"``."""
    return "P-SES" if measure == "p-ses" else str(measure).replace("-", " ")


def definition_words(measure: str, recall_window: str, frequency_threshold: str) -> str:
    """What a figure counts, in words: the measure, then what the name alone does not say.

    Examples
    --------
    >>> definition_words("past-4-weeks", "past 4 weeks", "a few times")
    'past 4 weeks (a few times)'
    >>> definition_words("lifetime", "lifetime", "at least once")
    'lifetime (at least once)'
    >>> definition_words("regularly", "not stated", "regularly (not defined)")
    'regularly'
    """
    base = measure_words(measure)
    extra = [
        str(x)
        for x in (recall_window, frequency_threshold)
        if not pd.isna(x) and x not in UNDEFINED and str(x) not in base
    ]
    return f"{base} ({', '.join(extra)})" if extra else base


@dataclass(frozen=True)
class PooledEstimate:
    """Result of :func:`pool_proportions`. Percentages are in percent (0–100).

    Attributes
    ----------
    method : str
        ``"dl"`` (DerSimonian–Laird) or ``"pm"`` (Paule–Mandel).
    measure, recall_window, frequency_threshold : str
        The one definition pooled, e.g. ``"lifetime"``, ``"lifetime"``, ``"at least once"``.
    k : int
        Number of studies pooled.
    estimate_pct, ci_low_pct, ci_high_pct : float
        Pooled prevalence and its usual (normal, "z") confidence interval, back-transformed from
        the logit scale.
    hk_low_pct, hk_high_pct : float
        The Hartung–Knapp–Sidik–Jonkman confidence interval (t with k - 1 df, rescaled standard
        error), back-transformed.
    pi_low_pct, pi_high_pct : float
        Prediction interval for the prevalence in a new comparable study (t with k - 2 df); NaN
        when ``k < 3``.
    tau2 : float
        Between-study variance on the logit scale (>= 0).
    i2 : float
        Higgins–Thompson :math:`I^2` as a fraction in [0, 1].
    q : float
        Cochran's Q (inverse-variance weights, logit scale).
    q_df : int
        Degrees of freedom of Q, ``k - 1``.
    logit_mean, logit_se : float
        Pooled logit and its (normal-interval) standard error, before back-transforming.
    row_ids : tuple of str
        Identifiers of the pooled rows, in input order; empty when none were given.
    alpha : float
        Two-sided error rate of all three intervals.
    """

    method: str
    measure: str
    recall_window: str
    frequency_threshold: str
    k: int
    estimate_pct: float
    ci_low_pct: float
    ci_high_pct: float
    hk_low_pct: float
    hk_high_pct: float
    pi_low_pct: float
    pi_high_pct: float
    tau2: float
    i2: float
    q: float
    q_df: int
    logit_mean: float = math.nan
    logit_se: float = math.nan
    row_ids: tuple[str, ...] = ()
    alpha: float = 0.05

    @property
    def definition(self) -> str:
        """What was pooled, in words (see :func:`definition_words`)."""
        return definition_words(self.measure, self.recall_window, self.frequency_threshold)

    @property
    def label(self) -> str:
        """Short label for a forest-plot row, e.g. ``"pooled, 3 studies (DL)"``."""
        return f"pooled, {self.k} studies ({_METHOD_LABEL.get(self.method, self.method)})"

    @property
    def pi_multiplier(self) -> float:
        """The t quantile (k - 2 df) the prediction interval uses; NaN when ``k < 3``."""
        return float(stats.t.ppf(1 - self.alpha / 2, self.k - 2)) if self.k >= 3 else math.nan

    def summary(self) -> str:
        """One plain-text line with rounded numbers (identical on any CPU).

        Examples
        --------
        >>> res = PooledEstimate("dl", "lifetime", "lifetime", "at least once", 3, 40.07, 34.21,
        ...                      46.23, 24.5, 57.9, 3.43, 92.63, 0.0368, 0.758, 8.25, 2)
        >>> print(res.summary())
        lifetime (at least once), 3 studies (DL): 40.1% (95% CI 34.2–46.2; HKSJ 24.5–57.9);
        prediction interval 3.4–92.6%; τ² = 0.037, I² = 76%
        """
        level = f"{100 * (1 - self.alpha):.4g}"
        head = (
            f"{self.definition}, {self.k} studies "
            f"({_METHOD_LABEL.get(self.method, self.method)}): {self.estimate_pct:.1f}% "
            f"({level}% CI {self.ci_low_pct:.1f}–{self.ci_high_pct:.1f}; "
            f"HKSJ {self.hk_low_pct:.1f}–{self.hk_high_pct:.1f})"
        )
        if math.isnan(self.pi_low_pct) or math.isnan(self.pi_high_pct):
            pi = "no prediction interval (needs at least 3 studies)"
        else:
            pi = f"prediction interval {self.pi_low_pct:.1f}–{self.pi_high_pct:.1f}%"
        return f"{head}; {pi}; τ² = {self.tau2:.3f}, I² = {100 * self.i2:.0f}%"

    def report(self) -> str:
        """Several plain-text lines: the estimate, both confidence intervals with the multipliers
        they use, and the prediction interval beside what it would be with a normal multiplier.

        Examples
        --------
        >>> res = pool_proportions([32.9, 46.0, 41.0], [222, 230, 1208], measure="lifetime",
        ...                        recall_window="lifetime", frequency_threshold="at least once")
        >>> print(res.report())
        Pooled lifetime (at least once), 3 studies, τ² by DerSimonian–Laird: 40.1%
        95% confidence interval, normal (multiplier z = 1.96): 34.2% to 46.2%
        95% confidence interval, Hartung–Knapp–Sidik–Jonkman (t with 2 df, multiplier 4.30, spread between the studies rescales the standard error): 25.8% to 56.2%
        95% prediction interval (t with 1 df, multiplier 12.71): 3.4% to 92.6%; with the same τ² and z = 1.96 it would be 29.8% to 51.2%
        τ² = 0.037 (logit scale), I² = 76%
        """  # noqa: E501
        level = f"{100 * (1 - self.alpha):.4g}%"
        z = float(stats.norm.ppf(1 - self.alpha / 2))
        t_ci = float(stats.t.ppf(1 - self.alpha / 2, self.k - 1))
        name = {"dl": "DerSimonian–Laird", "pm": "Paule–Mandel"}.get(self.method, self.method)
        lines = [
            f"Pooled {self.definition}, {self.k} studies, τ² by {name}: {self.estimate_pct:.1f}%",
            f"{level} confidence interval, normal (multiplier z = {z:.2f}): "
            f"{self.ci_low_pct:.1f}% to {self.ci_high_pct:.1f}%",
            f"{level} confidence interval, Hartung–Knapp–Sidik–Jonkman (t with {self.k - 1} df, "
            f"multiplier {t_ci:.2f}, spread between the studies rescales the standard error): "
            f"{self.hk_low_pct:.1f}% to {self.hk_high_pct:.1f}%",
        ]
        if self.k >= 3:
            half_z = z * math.sqrt(self.tau2 + self.logit_se**2)
            low_z = 100 * float(special.expit(self.logit_mean - half_z))
            high_z = 100 * float(special.expit(self.logit_mean + half_z))
            lines.append(
                f"{level} prediction interval (t with {self.k - 2} df, multiplier "
                f"{self.pi_multiplier:.2f}): {self.pi_low_pct:.1f}% to {self.pi_high_pct:.1f}%; "
                f"with the same τ² and z = {z:.2f} it would be {low_z:.1f}% to {high_z:.1f}%"
            )
        else:
            lines.append("No prediction interval: it needs at least 3 studies.")
        lines.append(f"τ² = {self.tau2:.3f} (logit scale), I² = {100 * self.i2:.0f}%")
        return "\n".join(lines)


def _row_names(k: int, row_ids: tuple[str, ...]) -> list[str]:
    return list(row_ids) if row_ids else [f"position {i}" for i in range(k)]


def _labels(name: str, value: Any, k: int) -> list:
    labels = (
        [value] * k if isinstance(value, str) else list(np.ravel(np.asarray(value, dtype=object)))
    )
    if len(labels) != k:
        raise ValueError(f"{name} must have one label per study ({k}); got {len(labels)} labels")
    return labels


def _check_definitions(names: list[str], definitions: dict[str, list]) -> tuple[str, str, str]:
    """Raise PoolingError unless every row has the same, fully stated definition."""
    for column, labels in definitions.items():
        missing = [names[i] for i, lab in enumerate(labels) if lab is None or pd.isna(lab)]
        if missing:
            raise PoolingError(f"{column} is missing for {missing}; cannot tell what is pooled")
    rows = list(zip(*definitions.values(), strict=True))
    groups: dict[tuple, list[str]] = {}
    for name, row in zip(names, rows, strict=True):
        groups.setdefault(tuple(str(x) for x in row), []).append(name)
    if len(groups) > 1:
        listed = "; ".join(
            f"{' / '.join(d)}: {', '.join(members)}" for d, members in groups.items()
        )
        differ = [column for i, column in enumerate(definitions) if len({d[i] for d in groups}) > 1]
        raise PoolingError(
            f"cannot pool rows whose definitions differ ({', '.join(differ)} differ): {listed}. "
            f"Only rows with the same {', '.join(definitions)} can be pooled"
        )
    ((definition, members),) = groups.items()
    vague = [
        f"{column} {value!r}"
        for column, value in zip(definitions, definition, strict=True)
        if value in UNDEFINED
    ]
    if vague:
        raise PoolingError(
            f"cannot pool {members}: the definition is not fully stated ({', '.join(vague)}), so "
            f"it cannot be shown that the studies counted the same thing"
        )
    return definition  # type: ignore[return-value]


def pool_proportions(
    percent: Any,
    n: Any,
    *,
    measure: Any,
    recall_window: Any,
    frequency_threshold: Any,
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
    measure, recall_window, frequency_threshold : array_like of str, or str
        The definition of each study's figure (one label per study, or a single string for all):
        what was asked about, over which period, and how often it had to happen to count (the
        columns of ``data/prevalence.csv``). All three must be equal across studies, and neither
        recall window nor threshold may be one of :data:`UNDEFINED`: "at least once in the past 4
        weeks" and "a few times in the past 4 weeks" are different quantities and are never pooled
        together.
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
        If the definitions differ (the message names the rows of each definition), a recall
        window or threshold is not stated, fewer than 2 studies are given, any ``n`` or
        ``percent`` is missing (the rows are named), or any prevalence is 0 % or 100 % (the logit
        is undefined there).
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

    Paule–Mandel (``paule1982``) instead solves :math:`\sum w_i^*(y_i - \hat\mu^*)^2 = k-1` with
    :math:`w_i^* = 1/(v_i + \tau^2)` (0 if no positive root). The pooled logit is
    :math:`\hat\mu = \sum w_i^* y_i / \sum w_i^*` with :math:`\mathrm{SE}(\hat\mu) =
    (\sum w_i^*)^{-1/2}`. Three intervals follow, all back-transformed with
    :math:`\operatorname{expit}(x) = 1/(1+e^{-x})` (so the pooled value is a median-type, not
    mean, prevalence):

    * the usual confidence interval :math:`\hat\mu \pm z_{1-\alpha/2}\,\mathrm{SE}`, which treats
      :math:`\hat\tau^2` as if it were known;
    * the Hartung–Knapp–Sidik–Jonkman interval (``hartung2001``, ``sidik2002``)
      :math:`\hat\mu \pm t_{k-1,\,1-\alpha/2}\sqrt{q^*}\,\mathrm{SE}` with
      :math:`q^* = \sum w_i^*(y_i - \hat\mu)^2/(k-1)`. It allows for :math:`\hat\tau^2` being an
      estimate from only :math:`k` numbers: the t quantile with :math:`k-1` df (4.30 for
      :math:`k = 3`, against 1.96) and a standard error rescaled by the spread the studies
      actually show. It is usually, but not always, wider: when the studies agree more closely
      than their sampling errors predict, :math:`q^* < 1` can make it narrower (no ad hoc
      truncation of :math:`q^*` at 1 is applied). For Paule–Mandel :math:`q^* = 1` by
      construction. Sidik & Jonkman (2002) report better coverage than the DerSimonian–Laird
      z interval; with few studies of very different precision even HKSJ can fall short of its
      nominal level (Röver, Knapp & Friede 2015, BMC Med Res Methodol 15:99; not in the pack's
      bibliography);
    * the prediction interval (Higgins, Thompson & Spiegelhalter 2009)
      :math:`\hat\mu \pm t_{k-2,\,1-\alpha/2} \sqrt{\hat\tau^2 + \mathrm{SE}(\hat\mu)^2}`, defined
      only for :math:`k \ge 3`. With :math:`k = 3` the t quantile has 1 df and is 12.71, six and a
      half times 1.96: most of the width of a three-study prediction interval comes from having
      only three studies (:meth:`PooledEstimate.report` prints both).

    :math:`I^2 = \max\{0, (Q-(k-1))/Q\}` (``higgins2002``) for both methods, as statsmodels
    computes it; for ``"pm"`` this differs from metafor's :math:`\hat\tau^2`-based :math:`I^2`.

    Everything except the prediction interval comes from
    :func:`statsmodels.stats.meta_analysis.combine_effects` (attributes ``tau2``, ``q``, ``i2``,
    ``mean_effect_re``, ``sd_eff_w_re``, ``conf_int(use_t=False)`` for the usual interval and
    ``conf_int(use_t=True)``, its WLS-scaled random-effects interval, for HKSJ). statsmodels does
    not truncate the DL moment estimate at 0; when it is negative (:math:`Q < k-1`) this function
    reports :math:`\hat\tau^2 = 0`, :math:`I^2 = 0` and uses statsmodels' fixed-effect fields
    (their WLS-scaled interval for HKSJ), which equal the random-effects model at
    :math:`\tau^2 = 0`. Paule–Mandel is iterated until the generalised Q is within 1e-10 of
    :math:`k-1` (statsmodels' ``atol``; at most 200 iterations).

    References
    ----------
    .. [1] DerSimonian, R., & Laird, N. (1986). Meta-analysis in clinical trials. *Controlled
       Clinical Trials*, 7(3), 177–188. (``dersimonian1986``)
    .. [2] Paule, R. C., & Mandel, J. (1982). Consensus values and weighting factors. *Journal of
       Research of the National Bureau of Standards*, 87(5), 377–385. (``paule1982``)
    .. [3] Hartung, J., & Knapp, G. (2001). A refined method for the meta-analysis of controlled
       clinical trials with binary outcome. *Statistics in Medicine*, 20(24), 3875–3889.
       (``hartung2001``)
    .. [4] Sidik, K., & Jonkman, J. N. (2002). A simple confidence interval for meta-analysis.
       *Statistics in Medicine*, 21(21), 3153–3159. (``sidik2002``)
    .. [5] Higgins, J. P. T., & Thompson, S. G. (2002). Quantifying heterogeneity in a
       meta-analysis. *Statistics in Medicine*, 21(11), 1539–1558. (``higgins2002``)
    .. [6] Higgins, J. P. T., Thompson, S. G., & Spiegelhalter, D. J. (2009). A re-evaluation of
       random-effects meta-analysis. *JRSS A*, 172(1), 137–159. (``higgins2009``)
    .. [7] Kacker, R. N. (2004). Combining information from interlaboratory evaluations using a
       random effects model. *Metrologia*, 41(3), 132–136.

    Examples
    --------
    Three lifetime ("at least once") prevalences, as in ``data/prevalence.csv``:

    >>> res = pool_proportions([32.9, 46.0, 41.0], [222, 230, 1208], measure="lifetime",
    ...                        recall_window="lifetime", frequency_threshold="at least once")
    >>> print(res.summary())
    lifetime (at least once), 3 studies (DL): 40.1% (95% CI 34.2–46.2; HKSJ 25.8–56.2);
    prediction interval 3.4–92.6%; τ² = 0.037, I² = 76%
    >>> res.k, res.q_df, round(res.q, 2)
    (3, 2, 8.25)
    >>> pool_proportions([10.0, 5.1], [222, 230], measure="past-4-weeks",
    ...                  recall_window="past 4 weeks",
    ...                  frequency_threshold=["at least once", "a few times"], row_ids=["a", "b"])
    Traceback (most recent call last):
    ...
    widgets.prevalence.models.PoolingError: cannot pool rows whose definitions differ
    (frequency_threshold differ): past-4-weeks / past 4 weeks / at least once: a; past-4-weeks /
    past 4 weeks / a few times: b. Only rows with the same measure, recall_window,
    frequency_threshold can be pooled
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
    definitions = {
        "measure": _labels("measure", measure, k),
        "recall_window": _labels("recall_window", recall_window, k),
        "frequency_threshold": _labels("frequency_threshold", frequency_threshold, k),
    }
    ids: tuple[str, ...] = ()
    if row_ids is not None:
        ids = tuple(str(r) for r in row_ids)
        if len(ids) != k:
            raise ValueError(f"row_ids must have one id per study ({k}); got {len(ids)}")
    names = _row_names(k, ids)

    if k < 2:
        raise PoolingError(f"need at least 2 studies to pool; got k={k}")
    the_measure, the_window, the_threshold = _check_definitions(names, definitions)
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
        ci_fe, ci_re = res.conf_int(alpha=alpha, use_t=False)[:2]
        hk_fe, hk_re = res.conf_int(alpha=alpha, use_t=True)[2:]
    df_q = k - 1
    q = float(res.q)
    tau2 = float(res.tau2)
    if tau2 > 0:
        if method == "pm" and abs(float(res.scale_hksj_re) * df_q - df_q) > _PM_CHECK:
            raise PoolingError(
                f"the Paule–Mandel iteration did not converge in {_PM_MAXITER} steps; "
                f"use method='dl'"
            )
        mu, se, ci, hk = float(res.mean_effect_re), float(res.sd_eff_w_re), ci_re, hk_re
        i2 = max(0.0, float(res.i2))
    else:  # Q <= k - 1: tau² truncated at 0, random effects = fixed effect
        tau2 = 0.0
        mu, se, ci, hk = float(res.mean_effect_fe), float(res.sd_eff_w_fe), ci_fe, hk_fe
        i2 = 0.0
    if k >= 3:
        half = stats.t.ppf(1 - alpha / 2, k - 2) * math.sqrt(tau2 + se**2)
        pi_low, pi_high = 100 * special.expit(mu - half), 100 * special.expit(mu + half)
    else:
        pi_low = pi_high = math.nan
    return PooledEstimate(
        method=method,
        measure=the_measure,
        recall_window=the_window,
        frequency_threshold=the_threshold,
        k=k,
        estimate_pct=float(100 * special.expit(mu)),
        ci_low_pct=float(100 * special.expit(ci[0])),
        ci_high_pct=float(100 * special.expit(ci[1])),
        hk_low_pct=float(100 * special.expit(hk[0])),
        hk_high_pct=float(100 * special.expit(hk[1])),
        pi_low_pct=float(pi_low),
        pi_high_pct=float(pi_high),
        tau2=tau2,
        i2=i2,
        q=q,
        q_df=df_q,
        logit_mean=mu,
        logit_se=se,
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
    >>> table = pd.DataFrame({
    ...     "study_id": ["a", "a", "b"], "study": ["A 2020", "A 2020", "B 2021"],
    ...     "population": ["students", "students", "twins"], "n_total": [200, 200, 900],
    ...     "sampling": ["student", "student", "volunteer register"],
    ...     "instrument": ["items", "items", "items"],
    ...     "measure": ["lifetime", "past-4-weeks", "recent"]})
    >>> study_table(table)[["study", "people", "sampling", "measures"]]
        study  people            sampling                measures
    0  A 2020     200             student  lifetime, past-4-weeks
    1  B 2021     900  volunteer register                  recent
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


def _definitions(df: pd.DataFrame) -> pd.Series:
    """The definition of each row in words (the measure alone where the columns are absent)."""
    if not {"recall_window", "frequency_threshold"} <= set(df.columns):
        return df["measure"].map(measure_words)
    return pd.Series(
        [
            definition_words(m, w, f)
            for m, w, f in zip(
                df["measure"], df["recall_window"], df["frequency_threshold"], strict=True
            )
        ],
        index=df.index,
        dtype=object,
    )


def with_labels(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy with a short ``label`` column for figures: "study · group · definition".

    Examples
    --------
    >>> table = pd.DataFrame({"study": ["Schweitzer et al. 2015"], "group": ["women"],
    ...                       "measure": ["past-4-weeks"], "recall_window": ["past 4 weeks"],
    ...                       "frequency_threshold": ["a few times"]})
    >>> with_labels(table)["label"].item()
    'Schweitzer et al. 2015 · women · past 4 weeks (a few times)'
    """
    out = df.copy()
    out["label"] = out["study"] + " · " + out["group"] + " · " + _definitions(out)
    return out


def forest_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Rows for :func:`widgets.prevalence.figures.forest_plot`: labels, and low/high bars.

    Adds ``label`` (see :func:`with_labels`) and ``low_pct`` / ``high_pct``: the confidence
    interval from :func:`add_intervals` where there is one, otherwise the range the paper reported
    (for example 3–4%), otherwise missing. Every row is kept.

    Examples
    --------
    >>> table = pd.DataFrame({"study": ["A", "B"], "group": ["men", "men"],
    ...                       "measure": ["regularly", "lifetime"], "percent": [None, 41.0],
    ...                       "percent_low": [3.0, None], "percent_high": [4.0, None],
    ...                       "n": [None, 1208]})
    >>> rows = forest_rows(add_intervals(table))
    >>> rows[["percent", "low_pct", "high_pct"]].astype(float).round(1).to_numpy().tolist()
    [[nan, 3.0, 4.0], [41.0, 38.3, 43.8]]
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
        Decimal places for the interval bounds.

    Returns
    -------
    pandas.DataFrame
        Columns ``study``, ``group``, ``measure`` (with its recall window and frequency threshold
        where the name does not say them, see :func:`definition_words`), ``n``, ``reported`` (the
        percentage as reported, or the reported range such as ``"3–4"``), ``ci_low``, ``ci_high``
        (percent, rounded) and ``no_interval_because`` (empty when there is an interval). Every
        input row appears.

    Examples
    --------
    >>> table = pd.DataFrame({"study": ["A", "B"], "group": ["women", "men"],
    ...                       "measure": ["lifetime", "p-ses"], "n": [230, None],
    ...                       "n_status": ["group", "total-only"], "percent": [46.0, 42.0],
    ...                       "percent_low": [None, None], "percent_high": [None, None]})
    >>> interval_table(add_intervals(table))[["measure", "reported", "ci_low", "ci_high",
    ...                                       "no_interval_because"]]
        measure reported  ci_low  ci_high      no_interval_because
    0  lifetime       46    39.7     52.5
    1     P-SES       42     NaN      NaN  group size not reported
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
            "measure": _definitions(df),
            "n": df["n"],
            "reported": df.apply(reported, axis=1),
            "ci_low": df["ci_low_pct"].astype(float).round(decimals),
            "ci_high": df["ci_high_pct"].astype(float).round(decimals),
            "no_interval_because": df.apply(why, axis=1),
        }
    )


# --- pooling rows of the prevalence table ---------------------------------------------------------
# One rule, used by the notebook and the explorer alike: rows are pooled only when their
# definitions (DEFINITION_COLUMNS) match and are fully stated, and they come from different studies.


def pool_rows(df: pd.DataFrame, *, method: str = "dl", alpha: float = 0.05) -> PooledEstimate:
    """Pool every row of ``df`` (see :func:`pool_proportions`); refuse if their definitions differ.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows of the prevalence table (``row_id``, ``percent``, ``n`` and the
        :data:`DEFINITION_COLUMNS`).
    method : {"dl", "pm"}, default "dl"
    alpha : float, default 0.05

    Raises
    ------
    PoolingError
        As :func:`pool_proportions`: the message names the rows of each definition when they
        differ.
    """
    return pool_proportions(
        df["percent"].astype(float),
        df["n"].astype(float),
        measure=list(df["measure"]),
        recall_window=list(df["recall_window"]),
        frequency_threshold=list(df["frequency_threshold"]),
        method=method,
        alpha=alpha,
        row_ids=tuple(df["row_id"]),
    )


def pool_measure(
    df: pd.DataFrame, measure: str, *, method: str = "dl", alpha: float = 0.05
) -> PooledEstimate:
    """Pool every row of one ``measure`` in the prevalence table (see :func:`pool_rows`).

    Parameters
    ----------
    df : pandas.DataFrame
        The prevalence table.
    measure : str
        One value of the ``measure`` column, e.g. ``"lifetime"``.
    method : {"dl", "pm"}, default "dl"
    alpha : float, default 0.05

    Raises
    ------
    PoolingError
        If no row has that measure, fewer than two rows have it, their recall windows or
        frequency thresholds differ or are not stated (the message names the rows), or a row
        lacks a group size or a single reported percentage.

    Examples
    --------
    >>> table = pd.DataFrame({
    ...     "row_id": ["a-4wk", "b-4wk", "c-4wk"], "measure": ["past-4-weeks"] * 3,
    ...     "recall_window": ["past 4 weeks"] * 3,
    ...     "frequency_threshold": ["at least once", "a few times", "at least once"],
    ...     "percent": [10.0, 5.1, 20.2], "n": [222, 230, 1208]})
    >>> pool_measure(table, "past-4-weeks")
    Traceback (most recent call last):
    ...
    widgets.prevalence.models.PoolingError: cannot pool rows whose definitions differ
    (frequency_threshold differ): past-4-weeks / past 4 weeks / at least once: a-4wk, c-4wk;
    past-4-weeks / past 4 weeks / a few times: b-4wk. Only rows with the same measure,
    recall_window, frequency_threshold can be pooled
    """
    rows = df[df["measure"] == measure]
    if rows.empty:
        raise PoolingError(
            f"no rows with measure {measure!r}; measures present: "
            f"{', '.join(dict.fromkeys(df['measure']))}"
        )
    return pool_rows(rows, method=method, alpha=alpha)


def pooling_groups(df: pd.DataFrame) -> pd.DataFrame:
    """Which rows could be pooled together, and why the others cannot.

    Rows are grouped by their definition (:data:`DEFINITION_COLUMNS`), in file order. A group can
    be pooled when it has figures from at least two different studies, its recall window and
    frequency threshold are stated (not in :data:`UNDEFINED`), and each row has a group size and
    a single percentage.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows of the prevalence table.

    Returns
    -------
    pandas.DataFrame
        One row per definition: ``definition`` (in words), ``measure``, ``recall_window``,
        ``frequency_threshold``, ``studies`` (``"; "``-joined), ``row_ids`` (tuple),
        ``poolable`` (bool) and ``why_not`` (empty when poolable).

    Examples
    --------
    >>> table = pd.DataFrame({
    ...     "row_id": ["a-4wk", "b-4wk", "c-4wk", "c-reg"], "study": ["A", "B", "C", "C"],
    ...     "measure": ["past-4-weeks"] * 3 + ["regularly"],
    ...     "recall_window": ["past 4 weeks"] * 3 + ["not stated"],
    ...     "frequency_threshold": ["at least once", "a few times", "at least once",
    ...                             "regularly (not defined)"],
    ...     "percent": [10.0, 5.1, 20.2, None], "n": [222, 230, 1208, 1208]})
    >>> groups = pooling_groups(table)
    >>> groups[["definition", "studies", "poolable"]]
                         definition studies  poolable
    0  past 4 weeks (at least once)    A; C      True
    1    past 4 weeks (a few times)       B     False
    2                     regularly       C     False
    >>> groups.loc[1, "why_not"]
    'no other study with the same definition'
    """
    out = []
    for key, rows in df.groupby(list(DEFINITION_COLUMNS), sort=False, dropna=False):
        measure, window, threshold = key
        studies = list(dict.fromkeys(rows["study"]))
        vague = [x for x in (window, threshold) if pd.isna(x) or x in UNDEFINED]
        incomplete = rows["n"].isna() | rows["percent"].isna()
        if len(studies) < 2 and len(rows) < 2:
            why = "no other study with the same definition"
        elif len(studies) < 2:
            why = "all figures from one study (its groups are not separate studies)"
        elif vague:
            why = "definition not fully stated (" + ", ".join(map(str, vague)) + ")"
        elif incomplete.any():
            why = "no group size or no single percentage for " + ", ".join(
                rows.loc[incomplete, "row_id"]
            )
        else:
            why = ""
        out.append(
            {
                "definition": definition_words(measure, window, threshold),
                "measure": measure,
                "recall_window": window,
                "frequency_threshold": threshold,
                "studies": "; ".join(studies),
                "row_ids": tuple(rows["row_id"]),
                "poolable": why == "",
                "why_not": why,
            }
        )
    return pd.DataFrame(out)


def pool_where_possible(
    df: pd.DataFrame, *, method: str = "dl", alpha: float = 0.05
) -> tuple[list[PooledEstimate], list[str]]:
    """Pool each group of :func:`pooling_groups` that can be pooled; say why the others are not.

    Returns
    -------
    pooled : list of PooledEstimate
        One per poolable definition, in file order.
    notes : list of str
        Plain-text lines: each pooled result (:meth:`PooledEstimate.summary`, and whether it
        mixes groups of people), a line per measure whose rows have different definitions, and
        the rows left out, grouped by reason.

    Examples
    --------
    >>> table = pd.DataFrame({
    ...     "row_id": ["a", "b", "c"], "study": ["A", "B", "C"], "group": ["women"] * 3,
    ...     "measure": ["past-4-weeks"] * 3, "recall_window": ["past 4 weeks"] * 3,
    ...     "frequency_threshold": ["at least once", "a few times", "at least once"],
    ...     "percent": [10.0, 5.1, 20.2], "n": [222, 230, 1208]})
    >>> pooled, notes = pool_where_possible(table)
    >>> [p.row_ids for p in pooled]
    [('a', 'c')]
    >>> print(notes[1])
    The figures called "past 4 weeks" have different definitions (at least once: A, C; a few times: B), so only those with the same definition are pooled.
    """  # noqa: E501
    groups = pooling_groups(df)
    pooled, notes = [], []
    left_out: dict[str, list[str]] = {}
    for g in groups.itertuples(index=False):
        rows = df[df["row_id"].isin(g.row_ids)]
        if not g.poolable:
            what = f"{g.definition} ({g.studies}"
            what += f", {len(rows)} groups)" if len(rows) > 1 else ")"
            left_out.setdefault(g.why_not.split(" (")[0].split(" for ")[0], []).append(what)
            continue
        try:
            result = pool_rows(rows, method=method, alpha=alpha)
        except PoolingError as err:
            left_out.setdefault("could not be pooled", []).append(f"{g.definition}: {err}")
            continue
        pooled.append(result)
        people = list(dict.fromkeys(rows["group"])) if "group" in rows else []
        mixed = f" It mixes groups of people ({', '.join(people)})." if len(people) > 1 else ""
        notes.append(f"Pooled {result.summary()}.{mixed}")
    for measure, rows in groups.groupby("measure", sort=False):
        if len(rows) > 1:
            parts = "; ".join(
                f"{r.frequency_threshold if r.recall_window in r.definition else r.recall_window}"
                f": {', '.join(r.studies.split('; '))}"
                if r.definition != measure_words(measure)
                else f"{r.definition}: {r.studies}"
                for r in rows.itertuples(index=False)
            )
            notes.append(
                f'The figures called "{measure_words(measure)}" have different definitions '
                f"({parts}), so only those with the same definition are pooled."
            )
    for reason, items in left_out.items():
        notes.append(f"Not pooled, {reason}: " + "; ".join(items) + ".")
    return pooled, notes


# --- figures quoted in the lesson's text ----------------------------------------------------------
# Lesson 04 quotes figures only through these, so a change in data/ shows as a changed output.


def quote_figures(df: pd.DataFrame, row_ids: Sequence[str]) -> str:
    """One line per row: the figure as reported, with its group size, definition and sample.

    Examples
    --------
    >>> table = pd.DataFrame({
    ...     "row_id": ["a"], "study": ["Schweitzer et al. 2015"], "group": ["women"],
    ...     "measure": ["lifetime"], "recall_window": ["lifetime"],
    ...     "frequency_threshold": ["at least once"], "percent": [46.0], "percent_low": [None],
    ...     "percent_high": [None], "n": [230], "population": ["female university students"]})
    >>> print(quote_figures(table, ["a"]))
    Schweitzer et al. 2015 · women · lifetime (at least once): 46% of 230 (female university students)
    """  # noqa: E501
    indexed = df.set_index("row_id")
    missing = [r for r in row_ids if r not in indexed.index]
    if missing:
        raise ValueError(f"row_ids not in the table: {missing}")
    lines = []
    for row_id in row_ids:
        r = indexed.loc[row_id]
        what = definition_words(r["measure"], r["recall_window"], r["frequency_threshold"])
        if pd.notna(r["percent"]):
            figure = f"{float(r['percent']):g}%"
        else:
            figure = f"{float(r['percent_low']):g}–{float(r['percent_high']):g}%"
        of = f" of {int(r['n']):,}" if pd.notna(r["n"]) else " (group size not reported)"
        lines.append(f"{r['study']} · {r['group']} · {what}: {figure}{of} ({r['population']})")
    return "\n".join(lines)


def family_ranges(df: pd.DataFrame) -> pd.DataFrame:
    """Lowest and highest reported figure of each ``measure_family``, in file order.

    Ranges reported as such (3–4%) count with both ends.

    Examples
    --------
    >>> table = pd.DataFrame({"measure_family": ["lifetime", "lifetime", "regularly"],
    ...                       "percent": [32.9, 46.0, None], "percent_low": [None, None, 3.0],
    ...                       "percent_high": [None, None, 4.0], "study": ["A", "B", "C"]})
    >>> family_ranges(table)
      measure_family  figures  lowest_pct  highest_pct  studies
    0       lifetime        2        32.9         46.0        2
    1      regularly        1         3.0          4.0        1
    """
    rows = []
    for family, part in df.groupby("measure_family", sort=False):
        values = pd.concat([part["percent"], part["percent_low"], part["percent_high"]]).dropna()
        rows.append(
            {
                "measure_family": family,
                "figures": len(part),
                "lowest_pct": float(values.min()),
                "highest_pct": float(values.max()),
                "studies": part["study"].nunique(),
            }
        )
    return pd.DataFrame(rows)


def interval_at_sizes(percent: float, sizes: Sequence[float], *, method: str = "wilson") -> str:
    """The 95% interval of one percentage at several sample sizes, one line each.

    Examples
    --------
    >>> print(interval_at_sizes(46.0, [230, 2300]))
    46% of   230 people: 95% interval 39.7% to 52.5% (width 12.8 points)
    46% of 2,300 people: 95% interval 44.0% to 48.0% (width 4.1 points)
    """
    lines = []
    for size in sizes:
        low, high = proportion_interval(float(percent) / 100 * float(size), size, method=method)
        low, high = 100 * float(low), 100 * float(high)
        lines.append(
            f"{float(percent):g}% of {int(size):>5,} people: 95% interval {low:.1f}% to "
            f"{high:.1f}% (width {high - low:.1f} points)"
        )
    return "\n".join(lines)
