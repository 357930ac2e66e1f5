r"""Simulated prevalence surveys: sampling variability, interval coverage, volunteer bias, recall.

Lesson 05 asks why PCD studies disagree (46% in one, 3.7% in another). These functions simulate
surveys of a population whose true prevalence is known, so that each source of disagreement can be
switched on alone:

* :func:`simulate_surveys` -- many surveys of ``n_people`` from a population with prevalence
  ``prevalence``: how far the estimates spread (:func:`standard_error`, :func:`estimate_histogram`)
  and how often their 95% intervals contain the true value (:func:`theoretical_coverage` gives the
  exact answer from the binomial distribution, against which a simulation can be checked).
* :func:`simulate_volunteer_surveys` -- people who have had the experience answer with a
  different probability from people who have not (:func:`respondent_prevalence`); a larger sample
  narrows the interval around the wrong value.
* :func:`recall_prevalence` and :func:`simulate_recall_survey` -- a per-encounter probability
  and a frequency of sex give a lifetime prevalence and a much lower past-four-weeks prevalence
  from the same people.
* :func:`comparison_table` -- the published figures side by side with who was asked, over what
  recall window, and what counted.

Intervals are never computed here: every one comes from
:func:`widgets.prevalence.models.proportion_interval` (statsmodels' Wilson, Clopper–Pearson and
Wald intervals). Proportions are in 0–1 throughout; the figures and the notebooks show percent.
Randomness is passed in as ``rng``, a :class:`numpy.random.Generator`; nothing is seeded globally,
so the same generator state gives the same surveys on every machine.

The simulation parameters of the volunteer-bias and recall models (response rates, per-encounter
probability, frequency of sex, susceptible share) are **illustrative**: we found no study that
measured them, and the notebooks say so beside every control. Simulated surveys are illustrative
too. Only the published figures are measured, and they come from ``data/prevalence.csv``
(:func:`reported`, :func:`comparison_table`, :func:`recall_study_points`).

Invalid input raises :class:`ValueError` naming the parameter, the value given and what is valid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from widgets.prevalence.models import INTERVAL_METHODS, proportion_interval

__all__ = [
    "COMPARISON_ROWS",
    "INTERVAL_METHODS",
    "MAX_PEOPLE",
    "MAX_SURVEYS",
    "RECALL_WINDOWS",
    "WEEKS_PER_YEAR",
    "EstimateHistogram",
    "RecallSurvey",
    "Reported",
    "SurveyBatch",
    "VolunteerSurveys",
    "comparison_table",
    "estimate_histogram",
    "histogram_peak",
    "interval_coverage",
    "plausible_range",
    "recall_prevalence",
    "recall_study_points",
    "reported",
    "respondent_prevalence",
    "response_rate",
    "simulate_recall_survey",
    "simulate_surveys",
    "simulate_volunteer_surveys",
    "standard_error",
    "theoretical_coverage",
]

MAX_PEOPLE = 1_000_000
"""Largest survey size accepted (people per survey)."""

MAX_SURVEYS = 1_000_000
"""Largest number of simulated surveys accepted in one call."""

WEEKS_PER_YEAR = 52
"""Weeks in a year, for turning years of sexual activity into a recall window (13 × 4 weeks)."""

_MAX_ENCOUNTERS_PER_4_WEEKS = 100
_MAX_YEARS_ACTIVE = 80
# theoretical_coverage sums the binomial over counts within np ± (10 sd + 25). By Bernstein's
# inequality each tail beyond that has probability below e^-37 (about 1e-16), for any n and p.
_COVERAGE_SDS = 10
_COVERAGE_PAD = 25

#: The rows of ``data/prevalence.csv`` that :func:`comparison_table` lines up, in teaching order.
COMPARISON_ROWS: tuple[str, ...] = (
    "schweitzer2015-women-lifetime",
    "schweitzer2015-women-4wk",
    "maczkowiack2019-men-lifetime",
    "maczkowiack2019-men-4wk",
    "burrispector2011-women-recent",
    "burrispector2011-women-persistent",
    "burrihilpert2020-all-lifetime",
    "burrihilpert2020-all-4wk",
)

#: Recall window of each ``measure`` in ``data/prevalence.csv``, in words.
RECALL_WINDOWS: dict[str, str] = {
    "lifetime": "ever (lifetime)",
    "past-4-weeks": "past 4 weeks",
    "always-or-most-of-the-time": "usually (always or most of the time)",
    "regularly": "regularly",
    "recent": "recent (window not given in the abstract)",
    "persistent": "persistent",
    "any-of-21-symptoms-lifetime": "ever since sexually active",
    "any-of-21-symptoms-past-4-weeks": "past 4 weeks",
}


# --------------------------------------------------------------------------------------------------
# Validation


def _show(value: object) -> str:
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
        return str(value)
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _real(name: str, value: object, valid: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"{name} must be a number {valid}; got {_show(value)}")
    out = float(value)
    if not math.isfinite(out):
        raise ValueError(f"{name} must be a finite number {valid}; got {_show(value)}")
    return out


def _fraction(
    name: str, value: object, *, low_open: bool = False, high_open: bool = False
) -> float:
    lo, hi = ("(0" if low_open else "[0"), ("1)" if high_open else "1]")
    valid = f"in {lo}, {hi} (a proportion: 0.46 means 46%)"
    out = _real(name, value, valid)
    if out < 0 or out > 1 or (low_open and out == 0) or (high_open and out == 1):
        raise ValueError(f"{name} must be {valid}; got {_show(value)}")
    return out


def _count(name: str, value: object, low: int, high: int, unit: str) -> int:
    valid = f"a whole number from {low:,} to {high:,} ({unit})"
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        is_whole_float = isinstance(value, float | np.floating) and float(value).is_integer()
        if not is_whole_float:
            raise ValueError(f"{name} must be {valid}; got {_show(value)}")
    out = int(value)  # type: ignore[arg-type]
    if not low <= out <= high:
        raise ValueError(f"{name} must be {valid}; got {_show(value)}")
    return out


def _bounded(name: str, value: object, low: float, high: float, unit: str) -> float:
    valid = f"from {low:g} to {high:g} ({unit})"
    out = _real(name, value, valid)
    if not low <= out <= high:
        raise ValueError(f"{name} must be a number {valid}; got {_show(value)}")
    return out


def _rng(rng: object) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            "rng must be a numpy.random.Generator, e.g. np.random.default_rng(2015); "
            f"got {_show(rng)}"
        )
    return rng


def _alpha(alpha: object) -> float:
    is_real = isinstance(alpha, int | float | np.integer | np.floating) and not isinstance(
        alpha, bool
    )
    if not is_real or not 0 < float(alpha) <= 0.5:  # type: ignore[arg-type]
        raise ValueError(
            f"alpha must be a number in (0, 0.5] (0.05 gives 95% intervals); got {_show(alpha)}"
        )
    return float(alpha)  # type: ignore[arg-type]


def _method(method: object) -> str:
    if not isinstance(method, str) or method not in INTERVAL_METHODS:
        raise ValueError(f"method must be one of {list(INTERVAL_METHODS)}; got {_show(method)}")
    return method


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _simulated(method: str, alpha: float, events: np.ndarray, lower: Any, upper: Any) -> dict:
    """The fields every simulation result shares: method, alpha, and read-only counts and bounds."""
    return {
        "method": method,
        "alpha": float(alpha),
        "events": _frozen(events),
        "lower": _frozen(np.asarray(lower)),
        "upper": _frozen(np.asarray(upper)),
    }


# A survey of n people can only report 0, 1, ..., n, so its interval is one of n + 1 intervals
# that depend on n and the method, not on the true prevalence. For n up to _TABLE_MAX_N they are
# computed once (with proportion_interval) and looked up: a simulator that redraws 100 surveys on
# every slider move then costs an index, not a statsmodels call. The bounds are the same numbers
# either way (proportion_interval works element by element; tests check it for every method). The
# cache holds every size of the survey explorer (13) for all three methods, and the volunteer
# explorer's 7 sizes.
_TABLE_MAX_N = 10_000


@lru_cache(maxsize=64)
def _interval_table(n: int, method: str, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    lower, upper = proportion_interval(np.arange(n + 1, dtype=float), n, method=method, alpha=alpha)
    return _frozen(np.asarray(lower)), _frozen(np.asarray(upper))


def _intervals(events: np.ndarray, n: int, method: str, alpha: float) -> tuple:
    """Interval bounds for whole-number counts out of ``n`` (looked up when ``n`` is small)."""
    whole = events.dtype.kind in "iu" or bool(np.all(events == np.round(events)))
    if n <= _TABLE_MAX_N and whole:
        lower, upper = _interval_table(n, method, _alpha(alpha))
        index = events.astype(np.int64)
        return lower[index], upper[index]
    return proportion_interval(events, n, method=method, alpha=alpha)


def _row_intervals(events: np.ndarray, sizes: np.ndarray, method: str, alpha: float) -> tuple:
    """:func:`_intervals` for a 2-D array of counts, row ``i`` out of ``sizes[i]``."""
    lower, upper = np.empty(events.shape), np.empty(events.shape)
    for row, n in enumerate(sizes.tolist()):
        lower[row], upper[row] = _intervals(events[row], n, method, alpha)
    return lower, upper


# --------------------------------------------------------------------------------------------------
# Sampling variability and interval coverage


@dataclass(frozen=True, eq=False)
class SurveyBatch:
    """Many simulated surveys of one population, each with its confidence interval.

    Returned by :func:`simulate_surveys`. Arrays are read-only and have one entry per survey.

    Attributes
    ----------
    prevalence : float
        True prevalence of the simulated population (proportion).
    n_people : int
        People asked in each survey.
    method : str
        Interval method (``"wilson"``, ``"exact"`` or ``"wald"``).
    alpha : float
        Two-sided error rate of the intervals (0.05 for 95% intervals).
    events : numpy.ndarray of int
        People in each survey who report the experience.
    lower, upper : numpy.ndarray of float
        Interval bounds of each survey (proportions).
    """

    prevalence: float
    n_people: int
    method: str
    alpha: float
    events: np.ndarray
    lower: np.ndarray
    upper: np.ndarray

    @property
    def n_surveys(self) -> int:
        """Number of simulated surveys."""
        return int(self.events.size)

    @property
    def estimate(self) -> np.ndarray:
        """Each survey's estimate, ``events / n_people`` (proportion)."""
        return self.events / self.n_people

    @property
    def covered(self) -> np.ndarray:
        """True where a survey's interval contains the true prevalence (bounds included)."""
        return (self.lower <= self.prevalence) & (self.prevalence <= self.upper)

    @property
    def n_covered(self) -> int:
        """How many intervals contain the true prevalence."""
        return int(self.covered.sum())

    @property
    def coverage(self) -> float:
        """Share of intervals that contain the true prevalence (0–1)."""
        return self.n_covered / self.n_surveys


def simulate_surveys(
    *,
    prevalence: float,
    n_people: int,
    n_surveys: int,
    rng: np.random.Generator,
    method: str = "wilson",
    alpha: float = 0.05,
) -> SurveyBatch:
    r"""Simulate ``n_surveys`` surveys of ``n_people`` each, with a confidence interval for each.

    Parameters
    ----------
    prevalence : float
        True prevalence in the population, a proportion in [0, 1].
    n_people : int
        People asked in each survey, 1 to :data:`MAX_PEOPLE`. Everyone asked answers (no
        volunteer bias; see :func:`simulate_volunteer_surveys` for that).
    n_surveys : int
        Number of independent surveys, 1 to :data:`MAX_SURVEYS`.
    rng : numpy.random.Generator
        Source of randomness, e.g. ``np.random.default_rng(2015)``.
    method : {"wilson", "exact", "wald"}, default "wilson"
        Interval method, see :func:`widgets.prevalence.models.proportion_interval`.
    alpha : float, default 0.05
        Two-sided error rate in (0, 0.5]; 0.05 gives 95% intervals.

    Returns
    -------
    SurveyBatch

    Notes
    -----
    Each survey's count of people reporting the experience is binomial,
    :math:`X \sim \mathrm{Binomial}(n, p)`, drawn with ``rng.binomial`` in one vectorised call;
    the estimate is :math:`\hat p = X/n` with standard deviation
    :math:`\sqrt{p(1-p)/n}` (:func:`standard_error`). The intervals come from
    :func:`widgets.prevalence.models.proportion_interval`.

    Examples
    --------
    100 surveys of 230 people from a population in which 46% have had the experience:

    >>> batch = simulate_surveys(prevalence=0.46, n_people=230, n_surveys=100,
    ...                          rng=np.random.default_rng(2015))
    >>> batch.n_surveys, batch.n_covered
    (100, 98)
    >>> round(float(batch.estimate.std()), 3)
    0.032
    >>> round(standard_error(prevalence=0.46, n_people=230), 3)
    0.033
    """
    p = _fraction("prevalence", prevalence)
    n = _count("n_people", n_people, 1, MAX_PEOPLE, "people per survey")
    k = _count("n_surveys", n_surveys, 1, MAX_SURVEYS, "surveys")
    method = _method(method)
    events = _rng(rng).binomial(n, p, size=k)
    lower, upper = _intervals(events, n, method, alpha)
    return SurveyBatch(
        prevalence=p,
        n_people=n,
        **_simulated(method, alpha, events, lower, upper),
    )


def interval_coverage(
    events: Any,
    *,
    n_people: int,
    prevalence: float,
    method: str = "wilson",
    alpha: float = 0.05,
) -> float:
    """Share of surveys whose interval, by ``method``, contains ``prevalence``.

    Use it to compare interval methods on the *same* simulated surveys, e.g. the Wilson and Wald
    intervals of one :class:`SurveyBatch`.

    Parameters
    ----------
    events : array_like of int
        Count of people reporting the experience in each survey, ``0 <= events <= n_people``.
    n_people : int
        People per survey.
    prevalence : float
        The true prevalence (proportion).
    method : {"wilson", "exact", "wald"}, default "wilson"
    alpha : float, default 0.05

    Returns
    -------
    float
        Fraction in [0, 1].

    Examples
    --------
    >>> batch = simulate_surveys(prevalence=0.05, n_people=20, n_surveys=100,
    ...                          rng=np.random.default_rng(7))
    >>> batch.coverage, interval_coverage(batch.events, n_people=20, prevalence=0.05, method="wald")
    (0.94, 0.64)
    """
    p = _fraction("prevalence", prevalence)
    n = _count("n_people", n_people, 1, MAX_PEOPLE, "people per survey")
    counts = np.asarray(events, dtype=float)
    if not np.all((counts >= 0) & (counts <= n)):
        raise ValueError(f"events must be counts from 0 to n_people={n}; got {_show(events)}")
    lower, upper = _intervals(counts, n, _method(method), alpha)
    inside = (lower <= p) & (p <= upper)
    return float(np.mean(inside))


def standard_error(*, prevalence: float, n_people: int) -> float:
    r"""Standard deviation of a survey estimate around the true prevalence, :math:`\sqrt{p(1-p)/n}`.

    Examples
    --------
    Quadrupling the sample halves the spread:

    >>> round(standard_error(prevalence=0.46, n_people=230), 4)
    0.0329
    >>> round(standard_error(prevalence=0.46, n_people=920), 4)
    0.0164
    """
    p = _fraction("prevalence", prevalence)
    n = _count("n_people", n_people, 1, MAX_PEOPLE, "people per survey")
    return math.sqrt(p * (1 - p) / n)


@lru_cache(maxsize=64)
def _outcomes(p: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The counts that matter for Binomial(n, p) and their probabilities (shared by methods)."""
    sd = math.sqrt(n * p * (1 - p))
    lo = max(0, math.floor(n * p - _COVERAGE_SDS * sd - _COVERAGE_PAD))
    hi = min(n, math.ceil(n * p + _COVERAGE_SDS * sd + _COVERAGE_PAD))
    x = np.arange(lo, hi + 1, dtype=float)
    # Cached: one call (some 30-90 microseconds) per new prevalence and survey size.
    return x, stats.binom.pmf(x, n, p)


@lru_cache(maxsize=512)
def _coverage(p: float, n: int, method: str, alpha: float, target: float) -> float:
    x, pmf = _outcomes(p, n)
    lower, upper = _intervals(x, n, method, alpha)
    inside = (lower <= target) & (target <= upper)
    return float(pmf[inside].sum())


def theoretical_coverage(
    *,
    prevalence: float,
    n_people: int,
    method: str = "wilson",
    alpha: float = 0.05,
    target: float | None = None,
) -> float:
    r"""Exact coverage probability of an interval method, from the binomial distribution.

    The probability that a survey of ``n_people`` from a population with prevalence ``p`` gives an
    interval containing ``p`` (or ``target``). No simulation: it is the sum over every possible
    count.

    Parameters
    ----------
    prevalence : float
        True prevalence, a proportion in [0, 1].
    n_people : int
        People per survey, 1 to :data:`MAX_PEOPLE`.
    method : {"wilson", "exact", "wald"}, default "wilson"
    alpha : float, default 0.05
    target : float, optional
        The value the interval should contain, a proportion in [0, 1]; default ``prevalence``.
        A volunteer survey samples respondents with prevalence ``p_resp``
        (:func:`respondent_prevalence`): ``theoretical_coverage(prevalence=p_resp, ...,
        target=p)`` is the long-run share of its intervals that contain the true ``p``.

    Returns
    -------
    float
        Coverage probability in [0, 1]; a well-behaved 95% interval gives about 0.95.

    Notes
    -----
    .. math::

        C(p, n) = \sum_{x=0}^{n} \binom{n}{x} p^x (1-p)^{n-x}\,
        \mathbf{1}\{L(x) \le p \le U(x)\}

    (Brown, Cai & DasGupta 2001). Counts further than :math:`10\sqrt{np(1-p)} + 25` from
    :math:`np` are skipped: by Bernstein's inequality each such tail has probability below
    :math:`e^{-37} \approx 10^{-16}`. Results are cached, so
    drawing new surveys with the same ``p`` and ``n`` does not recompute it.

    References
    ----------
    .. [1] Brown, L. D., Cai, T. T., & DasGupta, A. (2001). Interval estimation for a binomial
       proportion. *Statistical Science*, 16(2), 101–133.

    Examples
    --------
    When few people in the sample have the experience, the Wald interval falls far short of 95%;
    the Wilson interval comes much closer:

    >>> round(theoretical_coverage(prevalence=0.05, n_people=20, method="wald"), 3)
    0.639
    >>> round(theoretical_coverage(prevalence=0.05, n_people=20, method="wilson"), 3)
    0.925
    >>> round(theoretical_coverage(prevalence=0.46, n_people=230), 3)
    0.953

    Surveys that aim at 1/3 while the truth is 20%:

    >>> round(theoretical_coverage(prevalence=1 / 3, n_people=50, target=0.2), 3)
    0.369
    """
    p = _fraction("prevalence", prevalence)
    n = _count("n_people", n_people, 1, MAX_PEOPLE, "people per survey")
    goal = p if target is None else _fraction("target", target)
    return _coverage(p, n, _method(method), _alpha(alpha), goal)


@dataclass(frozen=True, eq=False)
class EstimateHistogram:
    """Counts of survey estimates in bins, beside the counts the binomial distribution expects.

    Returned by :func:`estimate_histogram`. Arrays have one entry per bin, lowest first.

    Attributes
    ----------
    center, width : numpy.ndarray of float
        Bin centre and width (proportions).
    observed : numpy.ndarray of int
        Simulated surveys whose estimate falls in the bin.
    expected : numpy.ndarray of float
        Surveys expected in the bin: ``n_surveys`` times the binomial probability of the bin.
    """

    center: np.ndarray
    width: np.ndarray
    observed: np.ndarray
    expected: np.ndarray

    @property
    def n_bins(self) -> int:
        """Number of bins."""
        return int(self.center.size)


def estimate_histogram(batch: SurveyBatch) -> EstimateHistogram:
    r"""Bin a batch's estimates and give the counts expected from the binomial distribution.

    Bins are whole numbers of people, ``w`` counts wide with
    :math:`w = \max(1, \operatorname{round}(\sqrt{np(1-p)}/2))` (about half a standard
    deviation), so every bin holds the same number of possible outcomes and small surveys show
    each possible estimate as its own bar. Bins cover every simulated estimate and at least 4
    standard deviations either side of the true value.

    Parameters
    ----------
    batch : SurveyBatch
        From :func:`simulate_surveys`.

    Returns
    -------
    EstimateHistogram

    Examples
    --------
    >>> batch = simulate_surveys(prevalence=0.5, n_people=10, n_surveys=100,
    ...                          rng=np.random.default_rng(1))
    >>> hist = estimate_histogram(batch)
    >>> hist.center[:3].round(2).tolist(), int(hist.observed.sum())
    ([0.0, 0.1, 0.2], 100)
    >>> round(float(hist.expected[5]), 1)  # 100 × P(X = 5) for X ~ Binomial(10, 0.5)
    24.6
    """
    if not isinstance(batch, SurveyBatch):
        raise ValueError(f"batch must be a SurveyBatch from simulate_surveys; got {_show(batch)}")
    n, p = batch.n_people, batch.prevalence
    sd = math.sqrt(n * p * (1 - p))
    w = _bin_width(n, p)
    lo = min(int(batch.events.min()), math.floor(n * p - 4 * sd))
    hi = max(int(batch.events.max()), math.ceil(n * p + 4 * sd))
    first, last = max(0, lo) // w, min(n, hi) // w
    starts = np.arange(first, last + 1) * w  # lowest count in each bin
    ends = np.minimum(starts + w - 1, n)  # highest count in each bin
    observed = np.bincount((batch.events // w) - first, minlength=starts.size)
    # Bin probabilities from the cached binomial probabilities (shared with theoretical_coverage;
    # counts outside that window have negligible probability).
    x, pmf = _outcomes(p, n)
    index = (x // w).astype(np.int64) - first
    inside = (index >= 0) & (index < starts.size)
    probability = np.bincount(index[inside], weights=pmf[inside], minlength=starts.size)
    return EstimateHistogram(
        center=_frozen((starts + ends) / 2 / n),
        width=_frozen((ends - starts + 1) / n),
        observed=_frozen(observed),
        expected=_frozen(batch.n_surveys * probability),
    )


def _bin_width(n: int, p: float) -> int:
    """Counts per bin of :func:`estimate_histogram`: about half a standard deviation."""
    return max(1, round(math.sqrt(n * p * (1 - p)) / 2))


def plausible_range(
    *,
    prevalence: float,
    sizes: Any,
    methods: Any = INTERVAL_METHODS,
    alpha: float = 0.05,
    tail: float = 1e-4,
) -> tuple[float, float]:
    """The lowest and highest interval bound a survey of any of ``sizes`` people is likely to give.

    For each size ``n`` and method, the intervals of the counts at the ``tail`` and
    ``1 - tail`` quantiles of Binomial(n, p): a survey's interval reaches beyond the range with
    probability below ``2 * tail``. A figure that takes its axis from this range keeps the axis
    still while the survey size or the interval method changes.

    Parameters
    ----------
    prevalence : float
        True prevalence, 0 to 1.
    sizes : sequence of int
        People per survey, 1 to :data:`MAX_PEOPLE`.
    methods : sequence of str, default every method in ``INTERVAL_METHODS``
    alpha : float, default 0.05
    tail : float, default 1e-4
        Probability in each tail, 0 to 0.5.

    Returns
    -------
    (float, float)
        Lower and upper bound (proportions).

    Examples
    --------
    >>> low, high = plausible_range(prevalence=0.46, sizes=[1000, 2000])
    >>> round(low, 3), round(high, 3)
    (0.371, 0.55)
    """
    p = _fraction("prevalence", prevalence)
    if not isinstance(tail, int | float) or not 0 < tail < 0.5:
        raise ValueError(f"tail must be a probability between 0 and 0.5; got {_show(tail)}")
    try:
        ns = [int(n) for n in sizes]
    except (TypeError, ValueError):
        raise ValueError(f"sizes must be whole numbers of people; got {_show(sizes)}") from None
    if not ns:
        raise ValueError("sizes must name at least one survey size; got none")
    ns = [_count("sizes", n, 1, MAX_PEOPLE, "people per survey") for n in ns]
    return _plausible_range(p, tuple(ns), tuple(_method(m) for m in methods), _alpha(alpha), tail)


@lru_cache(maxsize=256)
def _plausible_range(
    p: float, sizes: tuple[int, ...], methods: tuple[str, ...], alpha: float, tail: float
) -> tuple[float, float]:
    n = np.array(sizes)
    low_k = stats.binom.ppf(tail, n, p)
    high_k = stats.binom.isf(tail, n, p)
    low, high = 1.0, 0.0
    for method in methods:
        for size, a, b in zip(sizes, low_k.tolist(), high_k.tolist(), strict=True):
            lower, upper = _intervals(np.array([a, b]), size, method, alpha)
            low, high = min(low, float(lower[0])), max(high, float(upper[1]))
    return max(0.0, low), min(1.0, high)


def histogram_peak(*, prevalence: float, sizes: Any, n_surveys: int) -> float:
    """The most surveys :func:`estimate_histogram` expects in one bin, over surveys of ``sizes``.

    A figure can scale its histogram axis from this (with room for chance), so that the axis
    stays still while the survey size changes.

    Examples
    --------
    >>> round(histogram_peak(prevalence=0.5, sizes=[10], n_surveys=100), 1)  # 100 × P(X = 5)
    24.6
    """
    p = _fraction("prevalence", prevalence)
    k = _count("n_surveys", n_surveys, 1, MAX_SURVEYS, "surveys")
    try:
        ns = tuple(_count("sizes", int(n), 1, MAX_PEOPLE, "people per survey") for n in sizes)
    except (TypeError, ValueError) as error:
        raise ValueError(f"sizes must be whole numbers of people; got {_show(sizes)}") from error
    if not ns:
        raise ValueError("sizes must name at least one survey size; got none")
    return k * max(_bin_peak(p, n) for n in ns)


@lru_cache(maxsize=1024)
def _bin_peak(p: float, n: int) -> float:
    x, pmf = _outcomes(p, n)
    index = (x // _bin_width(n, p)).astype(np.int64)
    return float(np.bincount(index - index.min(), weights=pmf).max())


# --------------------------------------------------------------------------------------------------
# Volunteer bias


def response_rate(*, prevalence: Any, response_if_yes: Any, response_if_no: Any) -> np.ndarray:
    r"""Share of the people invited who answer: :math:`p\,a + (1-p)\,b`.

    Parameters are as for :func:`respondent_prevalence`.

    Examples
    --------
    >>> float(response_rate(prevalence=0.2, response_if_yes=0.6, response_if_no=0.3))
    0.36
    """
    p, a, b = _volunteer_args(prevalence, response_if_yes, response_if_no)
    return p * a + (1 - p) * b


def _volunteer_args(prevalence: Any, response_if_yes: Any, response_if_no: Any) -> tuple:
    arrays = []
    for name, value in (
        ("prevalence", prevalence),
        ("response_if_yes", response_if_yes),
        ("response_if_no", response_if_no),
    ):
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be a proportion in [0, 1]; got {_show(value)}") from None
        if not np.all((arr >= 0) & (arr <= 1)):  # also rejects NaN
            raise ValueError(f"{name} must be a proportion in [0, 1]; got {_show(value)}")
        arrays.append(arr)
    p, a, b = arrays
    if np.any(p * a + (1 - p) * b <= 0):
        raise ValueError(
            "nobody answers: response_if_yes and response_if_no are both 0 for the people present "
            f"(prevalence={_show(prevalence)}, response_if_yes={_show(response_if_yes)}, "
            f"response_if_no={_show(response_if_no)}); at least one response rate must be > 0"
        )
    return p, a, b


def respondent_prevalence(*, prevalence: Any, response_if_yes: Any, response_if_no: Any) -> Any:
    r"""Prevalence among the people who answer, when answering depends on having the experience.

    Parameters
    ----------
    prevalence : float or array_like
        True prevalence in the population invited, a proportion in [0, 1].
    response_if_yes : float or array_like
        Probability that someone *with* the experience answers, in [0, 1].
    response_if_no : float or array_like
        Probability that someone *without* it answers, in [0, 1].

    Returns
    -------
    numpy.ndarray or float
        The prevalence the survey measures on average (proportion); broadcast shape of the inputs.

    Raises
    ------
    ValueError
        If a value is outside [0, 1], or nobody would answer.

    Notes
    -----
    By Bayes' rule the prevalence among respondents is

    .. math::

        p_{\text{resp}} = \frac{p\,a}{p\,a + (1-p)\,b}.

    It equals :math:`p` only when :math:`a = b`; no sample size changes it, which is why a large
    volunteer survey can be precisely wrong.

    Examples
    --------
    True prevalence 20%; people with the experience answer twice as often (60% vs 30%):

    >>> round(float(respondent_prevalence(prevalence=0.2, response_if_yes=0.6,
    ...                                   response_if_no=0.3)), 4)
    0.3333
    """
    p, a, b = _volunteer_args(prevalence, response_if_yes, response_if_no)
    return p * a / (p * a + (1 - p) * b)


@dataclass(frozen=True, eq=False)
class VolunteerSurveys:
    """Simulated volunteer surveys at several sample sizes. Returned by
    :func:`simulate_volunteer_surveys`; 2-D arrays have one row per sample size and one column per
    survey.

    Attributes
    ----------
    prevalence, response_if_yes, response_if_no : float
        The inputs (proportions).
    method : str
    alpha : float
    n_people : numpy.ndarray of int
        Respondents per survey, one entry per row.
    events : numpy.ndarray of int
        Respondents reporting the experience.
    lower, upper : numpy.ndarray of float
        Interval bounds (proportions).
    """

    prevalence: float
    response_if_yes: float
    response_if_no: float
    method: str
    alpha: float
    n_people: np.ndarray
    events: np.ndarray
    lower: np.ndarray
    upper: np.ndarray

    @property
    def n_surveys(self) -> int:
        """Surveys simulated at each sample size."""
        return int(self.events.shape[1])

    @cached_property
    def respondent_prevalence(self) -> float:
        """The prevalence among respondents, which every survey estimates (proportion).

        Computed once per result: the figure, its axis range and its description all read it.
        """
        return float(
            respondent_prevalence(
                prevalence=self.prevalence,
                response_if_yes=self.response_if_yes,
                response_if_no=self.response_if_no,
            )
        )

    @cached_property
    def response_rate(self) -> float:
        """Share of the people invited who answer (computed once per result)."""
        return float(
            response_rate(
                prevalence=self.prevalence,
                response_if_yes=self.response_if_yes,
                response_if_no=self.response_if_no,
            )
        )

    @property
    def bias(self) -> float:
        """Respondent prevalence minus true prevalence (proportion; positive = overestimate)."""
        return self.respondent_prevalence - self.prevalence

    @property
    def estimate(self) -> np.ndarray:
        """Each survey's estimate (proportion), shape (sample sizes, surveys)."""
        return self.events / self.n_people[:, None]

    @property
    def covers_truth(self) -> np.ndarray:
        """True where an interval contains the *true* prevalence."""
        return (self.lower <= self.prevalence) & (self.prevalence <= self.upper)

    @property
    def coverage(self) -> np.ndarray:
        """Per sample size, the share of intervals that contain the true prevalence."""
        return self.covers_truth.mean(axis=1)

    @cached_property
    def exact_coverage(self) -> np.ndarray:
        """Per sample size, the exact long-run share of intervals that contain the *true*
        prevalence (:func:`theoretical_coverage` of the respondents' prevalence, with the true
        prevalence as ``target``); the simulated :attr:`coverage` estimates it."""
        return _frozen(
            np.array(
                [
                    theoretical_coverage(
                        prevalence=self.respondent_prevalence,
                        n_people=int(n),
                        method=self.method,
                        alpha=self.alpha,
                        target=self.prevalence,
                    )
                    for n in self.n_people
                ]
            )
        )

    @property
    def n_invited(self) -> np.ndarray:
        """People who must be invited, on average, to get each number of respondents."""
        return self.n_people / self.response_rate


def simulate_volunteer_surveys(
    *,
    prevalence: float,
    response_if_yes: float,
    response_if_no: float,
    n_people: Any,
    n_surveys: int,
    rng: np.random.Generator,
    method: str = "wilson",
    alpha: float = 0.05,
) -> VolunteerSurveys:
    r"""Simulate volunteer surveys: the experience changes who answers.

    Parameters
    ----------
    prevalence : float
        True prevalence in the population invited, in [0, 1].
    response_if_yes, response_if_no : float
        Probability of answering for people with and without the experience, in [0, 1]
        (illustrative values: we found no PCD study that measured them).
    n_people : int or sequence of int
        Respondents per survey (the *n* a paper reports), each 1 to :data:`MAX_PEOPLE`.
    n_surveys : int
        Surveys simulated at each sample size.
    rng : numpy.random.Generator
    method : {"wilson", "exact", "wald"}, default "wilson"
    alpha : float, default 0.05

    Returns
    -------
    VolunteerSurveys

    Notes
    -----
    Given that someone answered, they have the experience with probability
    :math:`p_{\text{resp}}` (:func:`respondent_prevalence`), independently of everyone else, so
    the count among :math:`n` respondents is :math:`\mathrm{Binomial}(n, p_{\text{resp}})`.
    Drawing it directly is exactly equivalent to inviting people one by one until :math:`n` have
    answered, and is vectorised over sample sizes and surveys.

    Examples
    --------
    >>> res = simulate_volunteer_surveys(prevalence=0.2, response_if_yes=0.6, response_if_no=0.3,
    ...                                  n_people=[50, 2000], n_surveys=100,
    ...                                  rng=np.random.default_rng(3))
    >>> round(res.respondent_prevalence, 3), res.coverage.tolist()
    (0.333, [0.34, 0.0])
    """
    p = _fraction("prevalence", prevalence)
    a = _fraction("response_if_yes", response_if_yes)
    b = _fraction("response_if_no", response_if_no)
    p_resp = float(respondent_prevalence(prevalence=p, response_if_yes=a, response_if_no=b))
    sizes = np.atleast_1d(np.asarray(n_people))
    if sizes.ndim != 1 or sizes.size == 0:
        raise ValueError(f"n_people must be one or more whole numbers; got {_show(n_people)}")
    sizes = np.array(
        [_count("n_people", s, 1, MAX_PEOPLE, "respondents per survey") for s in sizes.tolist()]
    )
    k = _count("n_surveys", n_surveys, 1, MAX_SURVEYS, "surveys per sample size")
    method = _method(method)
    events = _rng(rng).binomial(sizes[:, None], p_resp, size=(sizes.size, k))
    lower, upper = _row_intervals(events, sizes, method, _alpha(alpha))
    return VolunteerSurveys(
        prevalence=p,
        response_if_yes=a,
        response_if_no=b,
        n_people=_frozen(sizes),
        **_simulated(method, alpha, events, lower, upper),
    )


# --------------------------------------------------------------------------------------------------
# Recall period


def _recall_args(
    susceptible: object, per_encounter_prob: object, encounters_per_4_weeks: object
) -> tuple[float, float, float]:
    return (
        _fraction("susceptible", susceptible),
        _fraction("per_encounter_prob", per_encounter_prob),
        _bounded(
            "encounters_per_4_weeks",
            encounters_per_4_weeks,
            0,
            _MAX_ENCOUNTERS_PER_4_WEEKS,
            "times a person has sex in 4 weeks, on average",
        ),
    )


def recall_prevalence(
    *,
    weeks: Any,
    susceptible: float,
    per_encounter_prob: float,
    encounters_per_4_weeks: float,
) -> np.ndarray:
    r"""Share of people who had the experience at least once within a recall window.

    Parameters
    ----------
    weeks : float or array_like
        Length of the recall window in weeks, ``>= 0`` (4 for "the past four weeks", 52 × years of
        sexual activity for "ever").
    susceptible : float
        Share of people who can have the experience at all, in [0, 1] (illustrative).
    per_encounter_prob : float
        For those people, the probability of the experience after any one time they have sex, in
        [0, 1] (illustrative).
    encounters_per_4_weeks : float
        How often people have sex, on average, per 4 weeks, 0 to 100 (illustrative).

    Returns
    -------
    numpy.ndarray
        Prevalence (proportion) for each window; same shape as ``weeks``.

    Notes
    -----
    Each person has sex a Poisson number of times in a window, with mean
    :math:`\lambda = r\,w/4` for :math:`r` times per 4 weeks and a window of :math:`w` weeks. For
    a susceptible person each time is independently followed by the experience with probability
    :math:`q`, so the number of times with the experience is Poisson with mean :math:`q\lambda`
    (thinning) and

    .. math::

        \text{prevalence}(w) = s\,\bigl(1 - e^{-q r w / 4}\bigr).

    As the window grows, prevalence rises towards the susceptible share :math:`s`, never above it.
    With one :math:`q` for everyone (:math:`s = 1`), lifetime prevalence would approach 100%:
    the measured gap between lifetime and four-week figures needs people to differ.

    Examples
    --------
    Illustrative values that reproduce the figures for men (41% lifetime, 20.2% in the past four
    weeks; Maczkowiack & Schweitzer 2019):

    >>> recall_prevalence(weeks=[4, 520], susceptible=0.41, per_encounter_prob=0.17,
    ...                   encounters_per_4_weeks=4).round(3)
    array([0.202, 0.41 ])
    """
    s, q, r = _recall_args(susceptible, per_encounter_prob, encounters_per_4_weeks)
    try:
        w = np.asarray(weeks, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"weeks must be numbers >= 0 (weeks); got {_show(weeks)}") from None
    if not np.all(np.isfinite(w) & (w >= 0)):
        raise ValueError(f"weeks must be finite numbers >= 0 (weeks); got {_show(weeks)}")
    return s * -np.expm1(-q * r * w / 4)


# The recall simulator draws, in this order: a uniform number per person (who can have the
# experience), then the times each person had sex recently and earlier, then which of those times
# brought it. The first three draws depend only on the generator's state, n, the frequency of sex
# and the years, not on the susceptible share or the per-encounter chance. Moving either of those
# sliders (the usual case) would redraw them from the same seed, identically; they are kept here
# instead, with the generator's state after them, which is put back into the generator so that
# the draws that follow (and the generator afterwards) are exactly as if they had been redrawn.
_RECALL_CACHE_MAX_N = 10_000
_recall_draws: dict[tuple, tuple[np.ndarray, np.ndarray, np.ndarray, dict]] = {}


def _recall_people(
    gen: np.random.Generator, n: int, r: float, years: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each person's uniform draw and numbers of times having sex recently and earlier."""
    bits = gen.bit_generator
    key = None
    if type(bits) is np.random.PCG64 and n <= _RECALL_CACHE_MAX_N:
        state = bits.state
        inner = state["state"]
        key = (inner["state"], inner["inc"], state["has_uint32"], state["uinteger"], n, r, years)
        if key in _recall_draws:
            uniform, recent, earlier, after = _recall_draws[key]
            bits.state = after
            return uniform, recent, earlier
    uniform = _frozen(gen.random(n))
    recent = _frozen(gen.poisson(r, size=n))
    earlier = _frozen(gen.poisson(r * (WEEKS_PER_YEAR / 4 * years - 1), size=n))
    if key is not None:
        if len(_recall_draws) >= 8:
            del _recall_draws[next(iter(_recall_draws))]
        _recall_draws[key] = (uniform, recent, earlier, bits.state)
    return uniform, recent, earlier


@dataclass(frozen=True, eq=False)
class RecallSurvey:
    """One simulated survey asking the same people about two recall windows.

    Returned by :func:`simulate_recall_survey`. Arrays have two entries: the past four weeks, then
    lifetime (:attr:`WINDOWS`).

    Attributes
    ----------
    susceptible, per_encounter_prob, encounters_per_4_weeks, years_active : float
        The inputs.
    n_people : int
    method : str
    alpha : float
    events : numpy.ndarray of int
        People reporting the experience in each window.
    lower, upper : numpy.ndarray of float
        Interval bounds (proportions).
    expected : numpy.ndarray of float
        The model's prevalence for each window (:func:`recall_prevalence`).
    """

    WINDOWS = ("past four weeks", "lifetime")

    susceptible: float
    per_encounter_prob: float
    encounters_per_4_weeks: float
    years_active: float
    n_people: int
    method: str
    alpha: float
    events: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    expected: np.ndarray

    @property
    def weeks(self) -> np.ndarray:
        """Length of each window in weeks: 4, and 52 × years of sexual activity."""
        return np.array([4.0, WEEKS_PER_YEAR * self.years_active])

    @property
    def estimate(self) -> np.ndarray:
        """The survey's estimate for each window (proportion)."""
        return self.events / self.n_people


def simulate_recall_survey(
    *,
    susceptible: float,
    per_encounter_prob: float,
    encounters_per_4_weeks: float,
    years_active: float,
    n_people: int,
    rng: np.random.Generator,
    method: str = "wilson",
    alpha: float = 0.05,
) -> RecallSurvey:
    r"""Simulate one survey that asks the same people "ever?" and "in the past four weeks?".

    Parameters
    ----------
    susceptible, per_encounter_prob, encounters_per_4_weeks : float
        As for :func:`recall_prevalence` (all illustrative).
    years_active : float
        Years of sexual activity before the survey, 1 to 80 (illustrative); sets the lifetime
        window, :math:`52 \times` years weeks.
    n_people : int
        People asked, 1 to :data:`MAX_PEOPLE`.
    rng : numpy.random.Generator
    method : {"wilson", "exact", "wald"}, default "wilson"
    alpha : float, default 0.05

    Returns
    -------
    RecallSurvey

    Notes
    -----
    Person by person (vectorised): susceptible with probability :math:`s`; a Poisson number of
    times having sex in the past 4 weeks (mean :math:`r`) and before that (mean
    :math:`r(13Y - 1)` for :math:`Y` years); for a susceptible person each time is followed by the
    experience with probability :math:`q` (binomial). "Past four weeks" counts people with at
    least one such time in the last 4 weeks; "lifetime" counts people with at least one at any
    time, so everyone counted for the past four weeks is also counted for lifetime, as in a real
    survey of the same people. The expected values are :func:`recall_prevalence`.

    Examples
    --------
    >>> survey = simulate_recall_survey(susceptible=0.41, per_encounter_prob=0.17,
    ...                                 encounters_per_4_weeks=4, years_active=10, n_people=1208,
    ...                                 rng=np.random.default_rng(2016))
    >>> (100 * survey.estimate).round(1), (100 * survey.expected).round(1)
    (array([20.5, 40.9]), array([20.2, 41. ]))
    """
    s, q, r = _recall_args(susceptible, per_encounter_prob, encounters_per_4_weeks)
    years = _bounded("years_active", years_active, 1, _MAX_YEARS_ACTIVE, "years of sexual activity")
    n = _count("n_people", n_people, 1, MAX_PEOPLE, "people asked")
    method = _method(method)
    gen = _rng(rng)
    uniform, recent_times, earlier_times = _recall_people(gen, n, r, years)
    can_have_it = uniform < s
    recent = can_have_it & (gen.binomial(recent_times, q) > 0)
    earlier = can_have_it & (gen.binomial(earlier_times, q) > 0)
    events = np.array([recent.sum(), (recent | earlier).sum()])
    lower, upper = _intervals(events, n, method, alpha)
    expected = recall_prevalence(
        weeks=[4.0, WEEKS_PER_YEAR * years],
        susceptible=s,
        per_encounter_prob=q,
        encounters_per_4_weeks=r,
    )
    return RecallSurvey(
        susceptible=s,
        per_encounter_prob=q,
        encounters_per_4_weeks=r,
        years_active=years,
        n_people=n,
        expected=_frozen(expected),
        **_simulated(method, alpha, events, lower, upper),
    )


# --------------------------------------------------------------------------------------------------
# Tables of the published figures


def _rows(df: pd.DataFrame, row_ids: tuple[str, ...]) -> pd.DataFrame:
    missing = [r for r in row_ids if r not in set(df["row_id"])]
    if missing:
        raise ValueError(f"row_ids not in the prevalence table: {missing}")
    return df.set_index("row_id").loc[list(row_ids)].reset_index()


def _text(row: pd.Series, column: str) -> str | None:
    """A text field of a row, or None when the column is absent or the cell is empty."""
    if column not in row.index or pd.isna(row[column]) or not str(row[column]).strip():
        return None
    return str(row[column])


@dataclass(frozen=True)
class Reported:
    """One published figure, as ``data/prevalence.csv`` reports it. Returned by :func:`reported`.

    Attributes
    ----------
    row_id, study, population, wording, sampling, measure : str
        The row's fields (``population`` is who was asked; ``wording`` what the figure counts).
    percent : float
        The percentage as reported.
    n : int
        The number of people the percentage is of.
    """

    row_id: str
    study: str
    percent: float
    n: int
    population: str
    wording: str
    sampling: str
    measure: str

    @property
    def sentence(self) -> str:
        """The figure in one line: study, percentage, who was asked and what was counted."""
        return (
            f"{self.study}: {self.percent:g}% of {self.n:,} {self.population}; "
            f"sample: {self.sampling}; counted: {self.wording}."
        )

    def __str__(self) -> str:
        return self.sentence


def reported(df: pd.DataFrame, row_id: str) -> Reported:
    """One published figure with its group size, read from the prevalence table.

    Lesson 05 takes every published number it shows from here, so that a corrected row in
    ``data/prevalence.csv`` changes the lesson's printed outputs.

    Parameters
    ----------
    df : pandas.DataFrame
        The prevalence table, ``widgets.data.load("prevalence")``.
    row_id : str
        A ``row_id`` whose row has a single ``percent`` and a group size ``n``.

    Raises
    ------
    ValueError
        If the row is missing, or has no single percentage or no group size.

    Examples
    --------
    >>> from widgets import data
    >>> figure = reported(data.load("prevalence"), "bird2011-women-4wk")
    >>> figure.sentence.startswith(f"{figure.study}: {figure.percent:g}% of {figure.n:,} ")
    True
    """
    row = _rows(df, (row_id,)).iloc[0]
    if pd.isna(row["n"]) or pd.isna(row["percent"]):
        raise ValueError(
            f"row {row_id!r} of the prevalence table has no group size (n) or no single percent"
        )
    return Reported(
        row_id=row_id,
        study=str(row["study"]),
        percent=float(row["percent"]),
        n=int(row["n"]),
        population=str(row["population"]),
        wording=str(row["wording"]),
        sampling=str(row["sampling"]),
        measure=str(row["measure"]),
    )


def comparison_table(df: pd.DataFrame, row_ids: tuple[str, ...] = COMPARISON_ROWS) -> pd.DataFrame:
    """Published figures side by side: who was asked, over what window, and what counted.

    Parameters
    ----------
    df : pandas.DataFrame
        The prevalence table, ``widgets.data.load("prevalence")``.
    row_ids : tuple of str, default :data:`COMPARISON_ROWS`
        The rows to show, in this order.

    Returns
    -------
    pandas.DataFrame
        Columns ``study``, ``who_was_asked`` (the row's ``population``), ``n``, ``sample`` (how
        people were recruited, the row's ``sampling``), ``window`` (recall window), ``threshold``
        (how often it had to happen to count), ``what_counted`` (the instrument) and ``percent``
        (as reported). The window is the row's ``recall_window`` where the table has that column
        and the cell is filled, and otherwise :data:`RECALL_WINDOWS` of its ``measure``; the
        threshold is the row's ``frequency_threshold``, or "not recorded" where the table has no
        such value.

    Examples
    --------
    >>> from widgets import data
    >>> table = comparison_table(data.load("prevalence"))
    >>> list(table.columns)
    ['study', 'who_was_asked', 'n', 'sample', 'window', 'threshold', 'what_counted', 'percent']
    """
    rows = _rows(df, row_ids)
    windows = [
        _text(row, "recall_window") or RECALL_WINDOWS.get(row["measure"], row["measure"])
        for _, row in rows.iterrows()
    ]
    thresholds = [_text(row, "frequency_threshold") or "not recorded" for _, row in rows.iterrows()]
    return pd.DataFrame(
        {
            "study": rows["study"],
            "who_was_asked": rows["population"],
            "n": rows["n"],
            "sample": rows["sampling"],
            "window": windows,
            "threshold": thresholds,
            "what_counted": rows["instrument"],
            "percent": rows["percent"].astype(float),
        }
    )


def recall_study_points(
    df: pd.DataFrame,
    *,
    years_active: float,
    row_ids: tuple[str, str] = ("maczkowiack2019-men-4wk", "maczkowiack2019-men-lifetime"),
    method: str = "wilson",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Measured four-week and lifetime figures placed on the recall-window axis of the model.

    Parameters
    ----------
    df : pandas.DataFrame
        The prevalence table, ``widgets.data.load("prevalence")``.
    years_active : float
        Years of sexual activity that "lifetime" stands for (the model's lifetime window).
    row_ids : (str, str)
        The past-four-weeks row and the lifetime row of one study, in that order. Default: men,
        Maczkowiack & Schweitzer 2019 (20.2% and 41% of 1,208).
    method, alpha
        Interval method and error rate, see :func:`widgets.prevalence.models.proportion_interval`.

    Returns
    -------
    pandas.DataFrame
        Columns ``label``, ``weeks`` (4, and 52 × ``years_active``), ``percent``, ``low_pct``,
        ``high_pct`` and ``n``; one row per window.

    Examples
    --------
    >>> from widgets import data
    >>> points = recall_study_points(data.load("prevalence"), years_active=10)
    >>> points[["weeks", "percent", "low_pct", "high_pct"]].round(1)
       weeks  percent  low_pct  high_pct
    0    4.0     20.2     18.0      22.6
    1  520.0     41.0     38.3      43.8
    """
    years = _bounded("years_active", years_active, 1, _MAX_YEARS_ACTIVE, "years of sexual activity")
    rows = _rows(df, tuple(row_ids))
    n = rows["n"].astype(float).to_numpy()
    pct = rows["percent"].astype(float).to_numpy()
    lower, upper = proportion_interval(pct / 100 * n, n, method=_method(method), alpha=alpha)
    return pd.DataFrame(
        {
            "label": rows["study"] + " · " + rows["group"],
            "weeks": [4.0, WEEKS_PER_YEAR * years],
            "percent": pct,
            "low_pct": 100 * lower,
            "high_pct": 100 * upper,
            "n": n,
        }
    )
