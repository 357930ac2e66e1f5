r"""Closed-form models of a marker's level after orgasm: constant-rate secretion, first-order loss.

Every marker in the pack (prolactin, oxytocin, heart rate) is drawn with the same one-compartment
model: a baseline level, an extra amount secreted at a constant rate during a window around orgasm,
and first-order elimination with half-life :math:`t_{1/2}` (rate :math:`k = \ln 2 / t_{1/2}`). This
is the textbook constant-rate-infusion model of pharmacokinetics, solved exactly, so no ODE solver
is needed and every function is vectorised over time.

Time is in minutes relative to orgasm (negative = before). Levels are in the marker's own units
(``× baseline`` for hormones, beats/min for heart rate); rates are those units per minute.

The amplitudes used in the pack are illustrative wherever no measurement exists (see the
``peak_fold_basis`` column of ``data/hormones.csv``). A hormone level is not a feeling: these curves
show what the blood may do, not what anyone feels after sex.

Invalid input raises :class:`ValueError` naming the parameter, the value given and its valid range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "MarkerParams",
    "excess_at_end",
    "hormone_excess",
    "hormone_response",
    "secretion_rate_for_peak",
    "time_to_within",
]

_MAX_T_HALF_MIN = 1440
_MAX_INTENSITY = 10
_TIME_AXIS = "minutes relative to orgasm"
_FLOAT_MAX = float(np.finfo(np.float64).max)

# name -> (lower bound, lower inclusive, upper bound, upper inclusive, unit). ``None`` = unbounded
# (but finite). ``secretion_end_min`` takes its lower bound from ``secretion_start_min``.
_RULES: dict[str, tuple[float | None, bool, float | None, bool, str]] = {
    "baseline": (0, False, None, False, "marker units, e.g. × baseline or beats/min"),
    "secretion_rate_per_min": (0, True, None, False, "marker units per minute"),
    "t_half_min": (0, False, _MAX_T_HALF_MIN, True, "minutes"),
    "secretion_start_min": (None, False, None, False, _TIME_AXIS),
    "secretion_end_min": (None, True, None, False, _TIME_AXIS),
    "intensity": (0, True, _MAX_INTENSITY, True, "multiple of the typical response"),
    "tolerance": (0, False, 1, False, "fraction of baseline"),
    "peak_fold": (1, True, None, False, "multiple of baseline"),
    "window_min": (0, True, None, False, "minutes"),
}


def _show(value: object) -> str:
    """Format a user-supplied value for an error message."""
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
        return str(value)
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _range_text(name: str, lower_label: str | None = None) -> str:
    """The valid range of ``name`` in words, e.g. ``'> 0 and <= 1440 (minutes)'``."""
    lower, lower_inclusive, upper, upper_inclusive, unit = _RULES[name]
    parts = []
    if lower_label is not None:
        parts.append(f"{'>=' if lower_inclusive else '>'} {lower_label}")
    elif lower is not None:
        parts.append(f"{'>=' if lower_inclusive else '>'} {lower}")
    if upper is not None:
        parts.append(f"{'<=' if upper_inclusive else '<'} {upper}")
    else:
        parts.append("finite")
    return f"{' and '.join(parts)} ({unit})"


def _validate(**values: object) -> dict[str, float]:
    """Check scalar parameters against ``_RULES`` and return them as floats.

    The one place every public function and :class:`MarkerParams` validates its parameters, so the
    messages are identical everywhere. Parameters are checked in the order given;
    ``secretion_end_min`` must come after ``secretion_start_min``.
    """
    checked: dict[str, float] = {}
    for name, value in values.items():
        lower, lower_inclusive, upper, upper_inclusive, _ = _RULES[name]
        lower_label = None
        if name == "secretion_end_min":
            lower = checked["secretion_start_min"]
            lower_label = f"secretion_start_min ({_show(lower)})"
        if not isinstance(value, int | float | np.integer | np.floating) or isinstance(value, bool):
            raise ValueError(
                f"{name} must be a real number {_range_text(name, lower_label)}; got {_show(value)}"
            )
        x = float(value)
        ok = math.isfinite(x)
        if ok and lower is not None:
            ok = x >= lower if lower_inclusive else x > lower
        if ok and upper is not None:
            ok = x <= upper if upper_inclusive else x < upper
        if not ok:
            raise ValueError(f"{name} must be {_range_text(name, lower_label)}; got {_show(value)}")
        checked[name] = x
    return checked


def _as_time(t_min: object) -> np.ndarray:
    """``t_min`` as a float array, checked to be finite."""
    try:
        raw = np.asarray(t_min)
    except (TypeError, ValueError):  # ragged nested sequences
        raw = np.empty(0, dtype=object)
    if raw.dtype.kind not in "iuf":  # no strings, None, bools, complex or objects
        raise ValueError(
            f"t_min must be a real number or array of real numbers ({_TIME_AXIS}); "
            f"got {_show(t_min)}"
        )
    t = raw.astype(np.float64, copy=False)
    finite = np.isfinite(t)
    if not finite.all():
        bad = t[~finite]
        raise ValueError(
            f"t_min must be finite ({_TIME_AXIS}); got {_show(float(bad[0]))} "
            f"({bad.size} non-finite of {t.size} values)"
        )
    return t


def _rate_constant(t_half_min: float) -> float:
    """First-order elimination rate k = ln 2 / t½ (per minute), capped at the largest float.

    The cap only bites for subnormal half-lives (below about 4e-309 min), where ln 2 / t½ would be
    infinite and ``inf * 0`` would turn the excess before the window into NaN.
    """
    return min(math.log(2) / t_half_min, _FLOAT_MAX)


def _excess(
    t: np.ndarray, *, rate: float, intensity: float, k: float, start: float, end: float
) -> np.ndarray:
    """Excess over baseline at times ``t`` (already validated); never NaN for finite input."""
    with np.errstate(over="ignore"):  # huge |t|: the exponents go to ±inf, which is exact here
        duration = end - start
        rise = -np.expm1(-k * np.clip(t - start, 0.0, duration))  # in [0, 1]
        decay = np.exp(-k * np.maximum(t - end, 0.0))  # in [0, 1]
    # rise * decay / k is finite (<= 1/k), so a finite rate never gives 0 * inf = NaN.
    return rate * (intensity * (rise * decay / k))


def hormone_excess(
    t_min,
    *,
    secretion_rate_per_min: float,
    t_half_min: float,
    secretion_start_min: float,
    secretion_end_min: float,
    intensity: float = 1.0,
) -> np.ndarray:
    r"""Excess of one marker over its baseline, from constant-rate secretion and first-order loss.

    The part of :func:`hormone_response` above baseline, computed without adding the baseline so
    that small excesses keep full relative precision.

    Parameters
    ----------
    t_min : float or array_like of float
        Times in minutes relative to orgasm (negative = before). Any finite values, any shape.
    secretion_rate_per_min : float
        Secretion rate :math:`r_0` at intensity 1, in marker units per minute. Finite, >= 0.
    t_half_min : float
        Elimination half-life :math:`t_{1/2}` in minutes, in (0, 1440].
    secretion_start_min : float
        Start :math:`t_s` of the secretion window, minutes relative to orgasm. Finite.
    secretion_end_min : float
        End :math:`t_e` of the secretion window, minutes relative to orgasm. Finite,
        >= ``secretion_start_min`` (equal means no secretion).
    intensity : float, default 1.0
        Multiplier :math:`c` of the secretion rate (1 = the pack's typical response), in [0, 10].

    Returns
    -------
    numpy.ndarray
        Excess :math:`E(t) \ge 0` in marker units, float64, same shape as ``t_min`` (a 0-d array
        for a scalar).

    Raises
    ------
    ValueError
        If any parameter is outside its valid range or ``t_min`` is not finite.

    Notes
    -----
    With :math:`k = \ln 2 / t_{1/2}`, :math:`r = c\,r_0` and window length :math:`D = t_e - t_s`,

    .. math::

        E(t) = \begin{cases}
            0 & t < t_s \\
            \dfrac{r}{k}\left(1 - e^{-k (t - t_s)}\right) & t_s \le t \le t_e \\
            E_1\, e^{-k (t - t_e)} & t > t_e
        \end{cases}
        \qquad E_1 = \frac{r}{k}\left(1 - e^{-k D}\right),

    the exact solution of :math:`dE/dt = r\,\mathbb{1}[t_s \le t \le t_e] - k E` with
    :math:`E(t_s) = 0`. :math:`1 - e^{-x}` is evaluated as ``-expm1(-x)`` so short windows and early
    times keep full precision.

    References
    ----------
    .. [1] Rowland M, Tozer TN. *Clinical Pharmacokinetics and Pharmacodynamics: Concepts and
       Applications*, 4th ed. Lippincott Williams & Wilkins; 2011 (constant-rate input).
    .. [2] Gibaldi M, Perrier D. *Pharmacokinetics*, 2nd ed. Marcel Dekker; 1982.

    Examples
    --------
    With :math:`t_{1/2} = \ln 2` minutes (so :math:`k = 1`) and :math:`r = 1` per minute for one
    minute, the excess at the window's end is :math:`1 - e^{-1}` and halves every half-life after:

    >>> import math
    >>> from widgets.hormones.models import hormone_excess
    >>> hormone_excess([-1.0, 0.5, 1.0, 1.0 + math.log(2)], secretion_rate_per_min=1.0,
    ...                t_half_min=math.log(2), secretion_start_min=0.0, secretion_end_min=1.0)
    array([0.        , 0.39346934, 0.63212056, 0.31606028])
    """
    t = _as_time(t_min)
    p = _validate(
        secretion_rate_per_min=secretion_rate_per_min,
        t_half_min=t_half_min,
        secretion_start_min=secretion_start_min,
        secretion_end_min=secretion_end_min,
        intensity=intensity,
    )
    return np.asarray(
        _excess(
            t,
            rate=p["secretion_rate_per_min"],
            intensity=p["intensity"],
            k=_rate_constant(p["t_half_min"]),
            start=p["secretion_start_min"],
            end=p["secretion_end_min"],
        )
    )


def hormone_response(
    t_min,
    *,
    baseline: float,
    secretion_rate_per_min: float,
    t_half_min: float,
    secretion_start_min: float,
    secretion_end_min: float,
    intensity: float = 1.0,
) -> np.ndarray:
    r"""Level of one marker over time: baseline plus constant-rate secretion with first-order loss.

    Between ``secretion_start_min`` and ``secretion_end_min`` the marker is secreted at the
    constant rate ``intensity * secretion_rate_per_min`` on top of its baseline; all the time the
    excess is eliminated first-order with half-life ``t_half_min``. The level therefore rises
    during the window, peaks at its end and falls back towards baseline, halving its excess every
    half-life. It never goes below baseline.

    The amplitudes used in the pack are illustrative wherever no measurement exists (the
    ``peak_fold_basis`` column of ``data/hormones.csv`` says which). Hormone levels are not
    feelings: a curve shows what the blood may do, not what a person feels after sex.

    Parameters
    ----------
    t_min : float or array_like of float
        Times in minutes relative to orgasm (negative = before). Any finite values, any shape.
    baseline : float
        Resting level :math:`b` in the marker's units (e.g. 1 for ``× baseline``, 70 beats/min).
        Finite, > 0.
    secretion_rate_per_min : float
        Secretion rate :math:`r_0` at intensity 1, in marker units per minute. Finite, >= 0.
        :func:`secretion_rate_for_peak` turns a peak fold into this rate.
    t_half_min : float
        Elimination half-life :math:`t_{1/2}` in minutes, in (0, 1440].
    secretion_start_min : float
        Start :math:`t_s` of the secretion window, minutes relative to orgasm. Finite.
    secretion_end_min : float
        End :math:`t_e` of the secretion window, minutes relative to orgasm. Finite,
        >= ``secretion_start_min`` (equal means no secretion, a flat line).
    intensity : float, default 1.0
        Multiplier :math:`c` of the secretion rate (1 = the pack's typical response, 0 = none),
        in [0, 10]. The excess scales linearly with it.

    Returns
    -------
    numpy.ndarray
        Level :math:`y(t) \ge b` in marker units, float64, same shape as ``t_min`` (a 0-d array
        for a scalar).

    Raises
    ------
    ValueError
        If any parameter is outside its valid range or ``t_min`` is not finite.

    See Also
    --------
    hormone_excess : The excess :math:`E(t)` alone.
    excess_at_end : The peak excess :math:`E_1`.
    time_to_within : When the level is back near baseline.

    Notes
    -----
    With :math:`k = \ln 2 / t_{1/2}`, :math:`r = c\,r_0` and window length :math:`D = t_e - t_s`,

    .. math::

        y(t) = b + E(t), \qquad
        E(t) = \begin{cases}
            0 & t < t_s \\
            \dfrac{r}{k}\left(1 - e^{-k (t - t_s)}\right) & t_s \le t \le t_e \\
            E_1\, e^{-k (t - t_e)} & t > t_e
        \end{cases}
        \qquad E_1 = \frac{r}{k}\left(1 - e^{-k D}\right).

    This is the exact solution of :math:`dE/dt = r\,\mathbb{1}[t_s \le t \le t_e] - k E` with
    :math:`E(t_s) = 0` (a one-compartment model with constant-rate input [1]_ [2]_). A measured
    hormone curve also reflects pulsatile secretion, binding and assay noise, which the model
    leaves out.

    References
    ----------
    .. [1] Rowland M, Tozer TN. *Clinical Pharmacokinetics and Pharmacodynamics: Concepts and
       Applications*, 4th ed. Lippincott Williams & Wilkins; 2011 (constant-rate input).
    .. [2] Gibaldi M, Perrier D. *Pharmacokinetics*, 2nd ed. Marcel Dekker; 1982.

    Examples
    --------
    Prolactin in ``× baseline``, half-life 37 min, secreted from orgasm to 10 min after at a rate
    that doubles it by the window's end (the doubling is illustrative):

    >>> import numpy as np
    >>> from widgets.hormones.models import hormone_response, secretion_rate_for_peak
    >>> rate = secretion_rate_for_peak(baseline=1.0, peak_fold=2.0, t_half_min=37.0,
    ...                                window_min=10.0)
    >>> hormone_response(np.array([-5.0, 0.0, 10.0, 47.0, 84.0]), baseline=1.0,
    ...                  secretion_rate_per_min=rate, t_half_min=37.0,
    ...                  secretion_start_min=0.0, secretion_end_min=10.0)
    array([1.  , 1.  , 2.  , 1.5 , 1.25])
    """
    p = _validate(baseline=baseline)
    return np.asarray(
        p["baseline"]
        + hormone_excess(
            t_min,
            secretion_rate_per_min=secretion_rate_per_min,
            t_half_min=t_half_min,
            secretion_start_min=secretion_start_min,
            secretion_end_min=secretion_end_min,
            intensity=intensity,
        )
    )


def _excess_at_end(p: dict[str, float]) -> float:
    """E1 from validated parameters."""
    k = _rate_constant(p["t_half_min"])
    duration = p["secretion_end_min"] - p["secretion_start_min"]
    return p["secretion_rate_per_min"] * (p["intensity"] * (-math.expm1(-k * duration) / k))


def excess_at_end(
    *,
    secretion_rate_per_min: float,
    t_half_min: float,
    secretion_start_min: float,
    secretion_end_min: float,
    intensity: float = 1.0,
) -> float:
    r"""Peak excess over baseline, reached at the end of the secretion window.

    The excess never decreases while secretion lasts, so its maximum is at ``secretion_end_min``.

    Parameters
    ----------
    secretion_rate_per_min : float
        Secretion rate :math:`r_0` at intensity 1, in marker units per minute. Finite, >= 0.
    t_half_min : float
        Elimination half-life :math:`t_{1/2}` in minutes, in (0, 1440].
    secretion_start_min : float
        Start :math:`t_s` of the secretion window, minutes relative to orgasm. Finite.
    secretion_end_min : float
        End :math:`t_e` of the secretion window, minutes relative to orgasm. Finite,
        >= ``secretion_start_min``.
    intensity : float, default 1.0
        Multiplier :math:`c` of the secretion rate, in [0, 10].

    Returns
    -------
    float
        :math:`E_1 \ge 0`, in marker units (the same units as the baseline).

    Raises
    ------
    ValueError
        If any parameter is outside its valid range.

    Notes
    -----
    With :math:`k = \ln 2 / t_{1/2}` and :math:`D = t_e - t_s`,

    .. math::

        E_1 = \frac{c\,r_0}{k}\left(1 - e^{-k D}\right).

    For a window much shorter than the half-life :math:`E_1 \approx c\,r_0 D` (little is lost
    during secretion); for a much longer one it approaches the steady state :math:`c\,r_0 / k`.

    References
    ----------
    .. [1] Rowland M, Tozer TN. *Clinical Pharmacokinetics and Pharmacodynamics: Concepts and
       Applications*, 4th ed. Lippincott Williams & Wilkins; 2011 (constant-rate input).

    Examples
    --------
    >>> import math
    >>> from widgets.hormones.models import excess_at_end
    >>> excess_at_end(secretion_rate_per_min=1.0, t_half_min=math.log(2),
    ...               secretion_start_min=0.0, secretion_end_min=1.0)  # 1 - 1/e
    0.6321205588
    >>> excess_at_end(secretion_rate_per_min=1.0, t_half_min=math.log(2),
    ...               secretion_start_min=0.0, secretion_end_min=1.0, intensity=2.0)
    1.2642411177
    """
    return _excess_at_end(
        _validate(
            secretion_rate_per_min=secretion_rate_per_min,
            t_half_min=t_half_min,
            secretion_start_min=secretion_start_min,
            secretion_end_min=secretion_end_min,
            intensity=intensity,
        )
    )


def secretion_rate_for_peak(
    *, baseline: float, peak_fold: float, t_half_min: float, window_min: float
) -> float:
    r"""Secretion rate that takes the level to ``peak_fold × baseline`` by the end of the window.

    The inverse of :func:`excess_at_end` at intensity 1: it turns a peak fold (as listed, often
    illustratively, in ``data/hormones.csv``) into the rate :func:`hormone_response` needs.

    Parameters
    ----------
    baseline : float
        Resting level :math:`b` in marker units. Finite, > 0.
    peak_fold : float
        Peak level as a multiple :math:`f` of baseline. Finite, >= 1 (1 = no rise).
    t_half_min : float
        Elimination half-life :math:`t_{1/2}` in minutes, in (0, 1440].
    window_min : float
        Length :math:`D` of the secretion window in minutes. Finite, >= 0, and > 0 whenever
        ``peak_fold > 1`` (no finite rate raises the level in no time). A zero-length window with
        ``peak_fold = 1`` (a marker shown flat, such as cortisol) gives rate 0.

    Returns
    -------
    float
        Secretion rate :math:`r_0 \ge 0` in marker units per minute.

    Raises
    ------
    ValueError
        If any parameter is outside its valid range, if ``window_min`` is 0 while
        ``peak_fold > 1``, or if the rate would overflow a float (an absurdly short window or
        half-life).

    Notes
    -----
    Solving :math:`(f - 1)\,b = E_1 = \frac{r_0}{k}\left(1 - e^{-k D}\right)` for :math:`r_0`,
    with :math:`k = \ln 2 / t_{1/2}`:

    .. math::

        r_0 = \frac{(f - 1)\, b\, k}{1 - e^{-k D}}.

    References
    ----------
    .. [1] Rowland M, Tozer TN. *Clinical Pharmacokinetics and Pharmacodynamics: Concepts and
       Applications*, 4th ed. Lippincott Williams & Wilkins; 2011 (constant-rate input).

    Examples
    --------
    >>> import math
    >>> from widgets.hormones.models import excess_at_end, secretion_rate_for_peak
    >>> secretion_rate_for_peak(baseline=10.0, peak_fold=1.0 + (1.0 - math.exp(-1.0)) / 10.0,
    ...                         t_half_min=math.log(2), window_min=1.0)
    1.0
    >>> rate = secretion_rate_for_peak(baseline=70.0, peak_fold=1.6, t_half_min=0.25,
    ...                                window_min=10.0)  # heart rate, beats/min per minute
    >>> round(rate, 3)
    116.449
    >>> excess_at_end(secretion_rate_per_min=rate, t_half_min=0.25,
    ...               secretion_start_min=-10.0, secretion_end_min=0.0)  # 0.6 × 70
    42.0
    """
    p = _validate(
        baseline=baseline, peak_fold=peak_fold, t_half_min=t_half_min, window_min=window_min
    )
    fold, window = p["peak_fold"], p["window_min"]
    if fold == 1.0:
        return 0.0
    if window == 0.0:
        raise ValueError(
            f"window_min must be > 0 when peak_fold > 1 (minutes); got {_show(window_min)} "
            f"with peak_fold {_show(peak_fold)}"
        )
    k = _rate_constant(p["t_half_min"])
    rate = (fold - 1.0) * p["baseline"] * (k / -math.expm1(-k * window))
    if not math.isfinite(rate):
        raise ValueError(
            f"window_min must be longer (or t_half_min larger) for peak_fold {_show(peak_fold)} "
            f"× baseline {_show(baseline)} to be reached at a finite rate; got window_min "
            f"{_show(window_min)} and t_half_min {_show(t_half_min)}"
        )
    return rate


def time_to_within(
    *,
    baseline: float,
    secretion_rate_per_min: float,
    t_half_min: float,
    secretion_start_min: float,
    secretion_end_min: float,
    intensity: float = 1.0,
    tolerance: float = 0.10,
) -> float:
    r"""Time at which the level is back within ``tolerance × baseline`` of baseline for good.

    Parameters
    ----------
    baseline : float
        Resting level :math:`b` in marker units. Finite, > 0.
    secretion_rate_per_min : float
        Secretion rate :math:`r_0` at intensity 1, in marker units per minute. Finite, >= 0.
    t_half_min : float
        Elimination half-life :math:`t_{1/2}` in minutes, in (0, 1440].
    secretion_start_min : float
        Start :math:`t_s` of the secretion window, minutes relative to orgasm. Finite.
    secretion_end_min : float
        End :math:`t_e` of the secretion window, minutes relative to orgasm. Finite,
        >= ``secretion_start_min``.
    intensity : float, default 1.0
        Multiplier :math:`c` of the secretion rate, in [0, 10].
    tolerance : float, default 0.10
        Half-width :math:`\varepsilon` of the band around baseline, as a fraction of baseline,
        in (0, 1). 0.10 means "within 10% of baseline".

    Returns
    -------
    float
        Time :math:`T` in minutes relative to orgasm (the same axis as ``t_min``). From :math:`T`
        on, the level is at most :math:`b (1 + \varepsilon)`. If the level never leaves the band
        (:math:`E_1 \le \varepsilon b`), :math:`T` is ``secretion_start_min``: it was within the
        band all along, and returning the start (rather than, say, the end of the window) keeps
        "minutes out of the band" :math:`\max(T - t_s, 0)` equal to zero.

    Raises
    ------
    ValueError
        If any parameter is outside its valid range.

    Notes
    -----
    After the window the excess is :math:`E_1 e^{-k (t - t_e)}`; setting it equal to
    :math:`\varepsilon b` gives

    .. math::

        T = t_e + \frac{1}{k} \ln\frac{E_1}{\varepsilon\, b}
          = t_e + t_{1/2}\, \log_2\frac{E_1}{\varepsilon\, b}
        \quad\text{if } E_1 > \varepsilon b, \qquad T = t_s \text{ otherwise,}

    with :math:`k = \ln 2 / t_{1/2}` and :math:`E_1` from :func:`excess_at_end`. The logarithm is
    taken as :math:`\ln E_1 - \ln \varepsilon - \ln b` so that it cannot overflow.

    References
    ----------
    .. [1] Rowland M, Tozer TN. *Clinical Pharmacokinetics and Pharmacodynamics: Concepts and
       Applications*, 4th ed. Lippincott Williams & Wilkins; 2011 (constant-rate input).

    Examples
    --------
    A doubling that ends 10 min after orgasm, half-life 37 min: back within 10% after
    :math:`\log_2 10` half-lives.

    >>> from widgets.hormones.models import secretion_rate_for_peak, time_to_within
    >>> rate = secretion_rate_for_peak(baseline=1.0, peak_fold=2.0, t_half_min=37.0,
    ...                                window_min=10.0)
    >>> round(time_to_within(baseline=1.0, secretion_rate_per_min=rate, t_half_min=37.0,
    ...                      secretion_start_min=0.0, secretion_end_min=10.0), 2)
    132.91
    >>> time_to_within(baseline=1.0, secretion_rate_per_min=rate, t_half_min=37.0,
    ...                secretion_start_min=0.0, secretion_end_min=10.0, intensity=0.05)
    0.0
    """
    p = _validate(
        baseline=baseline,
        secretion_rate_per_min=secretion_rate_per_min,
        t_half_min=t_half_min,
        secretion_start_min=secretion_start_min,
        secretion_end_min=secretion_end_min,
        intensity=intensity,
        tolerance=tolerance,
    )
    return _time_to_within(p)


def _time_to_within(p: dict[str, float]) -> float:
    """:func:`time_to_within` from validated parameters (for callers that validated them once)."""
    peak = _excess_at_end(p)
    if peak <= p["tolerance"] * p["baseline"]:
        return p["secretion_start_min"]
    log_ratio = math.log(peak) - math.log(p["tolerance"]) - math.log(p["baseline"])
    return p["secretion_end_min"] + log_ratio / _rate_constant(p["t_half_min"])


@dataclass(frozen=True)
class MarkerParams:
    r"""Parameters of one simulated marker, validated once, with its response curve.

    Parameters
    ----------
    name : str
        Marker name, e.g. ``"prolactin"``. Non-empty.
    baseline : float
        Resting level in marker units. Finite, > 0.
    secretion_rate_per_min : float
        Secretion rate at intensity 1, in marker units per minute. Finite, >= 0.
    t_half_min : float
        Elimination half-life in minutes, in (0, 1440].
    secretion_start_min, secretion_end_min : float
        Secretion window in minutes relative to orgasm. Finite, end >= start.

    Raises
    ------
    ValueError
        If a field is outside its valid range (same messages as :func:`hormone_response`).

    Notes
    -----
    Numeric fields are stored as Python floats. :meth:`response` evaluates

    .. math::

        y(t) = b + E(t)

    exactly as :func:`hormone_response` does (it calls it).

    Examples
    --------
    >>> from widgets.hormones.models import MarkerParams
    >>> oxytocin = MarkerParams(name="oxytocin", baseline=1.0, secretion_rate_per_min=0.25,
    ...                         t_half_min=3.5, secretion_start_min=-2.0, secretion_end_min=1.0)
    >>> oxytocin.response([-5.0, 1.0, 4.5])
    array([1.     , 1.56548, 1.28274])
    >>> MarkerParams(name="x", baseline=1.0, secretion_rate_per_min=0.0, t_half_min=-3.0,
    ...              secretion_start_min=0.0, secretion_end_min=1.0)
    Traceback (most recent call last):
    ...
    ValueError: t_half_min must be > 0 and <= 1440 (minutes); got -3.0
    """

    name: str
    baseline: float
    secretion_rate_per_min: float
    t_half_min: float
    secretion_start_min: float
    secretion_end_min: float

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"name must be a non-empty string; got {_show(self.name)}")
        checked = _validate(
            baseline=self.baseline,
            secretion_rate_per_min=self.secretion_rate_per_min,
            t_half_min=self.t_half_min,
            secretion_start_min=self.secretion_start_min,
            secretion_end_min=self.secretion_end_min,
        )
        for field_name, value in checked.items():
            object.__setattr__(self, field_name, value)

    def response(self, t_min, *, intensity: float = 1.0) -> np.ndarray:
        """Level at times ``t_min`` (minutes relative to orgasm); see :func:`hormone_response`.

        Parameters
        ----------
        t_min : float or array_like of float
            Times in minutes relative to orgasm. Finite, any shape.
        intensity : float, default 1.0
            Multiplier of the secretion rate, in [0, 10].

        Returns
        -------
        numpy.ndarray
            Level in marker units, same shape as ``t_min``.

        Examples
        --------
        >>> from widgets.hormones.models import MarkerParams
        >>> flat = MarkerParams(name="cortisol", baseline=1.0, secretion_rate_per_min=0.0,
        ...                     t_half_min=66.0, secretion_start_min=0.0, secretion_end_min=0.0)
        >>> flat.response([[0.0, 30.0], [60.0, 90.0]], intensity=3.0)
        array([[1., 1.],
               [1., 1.]])
        """
        return hormone_response(
            t_min,
            baseline=self.baseline,
            secretion_rate_per_min=self.secretion_rate_per_min,
            t_half_min=self.t_half_min,
            secretion_start_min=self.secretion_start_min,
            secretion_end_min=self.secretion_end_min,
            intensity=intensity,
        )
