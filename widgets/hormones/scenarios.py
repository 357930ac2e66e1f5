r"""Scenarios for the hormone simulators of lessons 02 and 03, built from ``data/hormones.csv``.

Pure code (numpy and pandas; no plotting, no widgets, no I/O): it turns the rows of the
``hormones`` table into :class:`~widgets.hormones.models.MarkerParams`, evaluates the closed-form
model of :mod:`widgets.hormones.models` on a time grid, and computes the readouts the lessons
print. Every curve is in **× baseline** (the marker's level divided by its resting level), so
prolactin, oxytocin, heart rate and cortisol share one axis.

:func:`dropoff_scenario` (lesson 02) and :func:`timescales_scenario` (lesson 03) compute one
setting of a simulator's controls: every curve on a time grid and its readout, straight from the
closed form (a few exponentials of 600 points per curve: well under a millisecond; nothing is
cached). :func:`simulate`, :func:`readouts`, :func:`timescales` and :func:`timescale_readouts`
give the tidy tables and the readouts alone.

How the table's columns are read
--------------------------------
* ``peak_fold`` is the peak at intensity 1 **in the solo (masturbation) condition**, the condition
  of the laboratory time courses (Krüger et al. 1998; Exton et al. 1999). For prolactin,
  ``partnered_increment_ratio`` (5: Brody & Krüger 2006, "400% greater") multiplies the
  *increment* over baseline, never the level: with a partner the peak is
  :math:`1 + 5\,(f_\text{solo} - 1)`.
* The secretion rate comes from ``peak_fold`` through
  :func:`~widgets.hormones.models.secretion_rate_for_peak`, for the half-life in use. Changing a
  half-life therefore changes how fast a marker falls back, not how high it peaks: the half-life
  is the measured part, the peak the (often illustrative) choice.
* A marker whose secretion window ends at orgasm and starts before it (heart rate) follows the
  **activity**: its window becomes ``[-duration_min, 0]``. Every other marker is released around
  orgasm (prolactin rises after orgasm and not with arousal alone, Krüger et al. 2002), so its
  window stays as in the data, except that it cannot start before the activity does. The rate is
  fixed by the data's own window, so a longer activity raises a marker only if its half-life is
  comparable with the activity.
* ``flat`` markers (cortisol: no change at orgasm in the laboratory studies) are drawn at baseline;
  ``not simulated`` markers (dopamine, β-endorphin) are never drawn: :func:`not_drawn` gives the
  reason from the data.

The stress curve of lesson 03
-----------------------------
:class:`StressParams` describes an **illustrative** cortisol-like response to an intense scene for
the person in the receiving role. Only its *direction* is from studies: cortisol rose in the
receiving role during consensual BDSM scenes (Sagarin et al. 2009; Wuyts et al. 2020). Its
amplitude, delay, reference duration and wind-down are not measured; its half-life range is
cortisol's (66 min at normal levels, about 120 min with large loads), read from the data.

Hormone levels are not feelings: these curves show how fast each system settles, not what anyone
feels after sex.

Examples
--------
>>> from widgets import data
>>> from widgets.hormones import scenarios
>>> table = data.load("hormones")
>>> specs = scenarios.marker_specs(table)
>>> [r.marker for r in scenarios.readouts(table)] == [s.marker for s in specs]
True

(Today's numbers are pinned by the lessons' stored outputs, not here.)
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from widgets import references
from widgets.hormones.models import (
    MarkerParams,
    hormone_excess,
    secretion_rate_for_peak,
    time_to_within,
)

__all__ = [
    "ACTIVITY",
    "DEFAULT_DURATION_MIN",
    "DEFAULT_INTENSITY",
    "DEFAULT_SCENE_MIN",
    "ORGASM",
    "STRESS",
    "STRESS_LABEL",
    "TOLERANCE",
    "Curve",
    "MarkerSpec",
    "Readout",
    "Scenario",
    "StressParams",
    "activity_steps",
    "dropoff_grid",
    "dropoff_scenario",
    "evidence_text",
    "increment_readings",
    "leaves_data",
    "marker_params",
    "marker_specs",
    "not_drawn",
    "parameter_text",
    "readout_table",
    "readouts",
    "short_citation",
    "simulate",
    "stress_figure_note",
    "stress_params",
    "stress_response",
    "stress_text",
    "time_grid",
    "timescale_readouts",
    "timescales",
    "timescales_grid",
    "timescales_scenario",
    "vs_studies_text",
]

ACTIVITY = "activity"
"""``MarkerSpec.tracks`` for a marker that follows the activity itself (heart rate)."""
ORGASM = "orgasm"
"""``MarkerSpec.tracks`` for a marker released around orgasm (prolactin, oxytocin)."""
STRESS = "stress"
"""Key of the illustrative stress curve in :func:`timescales`."""
STRESS_LABEL = "Stress curve (cortisol-like)"
"""Display name of the illustrative stress curve."""
TOLERANCE = 0.10
""""Back to baseline" means within 10% of baseline, for good."""
DEFAULT_INTENSITY = 1.0
"""Intensity 1: the pack's typical response (the data's ``peak_fold``)."""
DEFAULT_DURATION_MIN = 10.0
"""Default length of the activity before orgasm, minutes (the data's heart-rate window)."""
DEFAULT_SCENE_MIN = 30.0
"""Default length of the scene in lesson 03, minutes (the stress curve's reference duration)."""

_MAX_DURATION_MIN = 240.0  # the data's secretion windows are limited to ±240 min
_DRAWN = ("simulated", "flat")


def _real(name: str, value: object, lo: float, hi: float, unit: str) -> float:
    """A real number in [lo, hi], or a ValueError naming the parameter and the range."""
    ok = isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)
    x = float(value) if ok else math.nan
    if not (math.isfinite(x) and lo <= x <= hi):
        raise ValueError(
            f"{name} must be a real number in [{lo:g}, {hi:g}] ({unit}); got {value!r}"
        )
    return x


def _tolerance(tolerance: object) -> float:
    """The band around baseline for a readout: a fraction of baseline, 0 < tolerance < 1."""
    ok = isinstance(tolerance, int | float | np.integer | np.floating)
    x = float(tolerance) if ok and not isinstance(tolerance, bool) else math.nan
    if not 0 < x < 1:  # False for NaN too
        raise ValueError(f"tolerance must be > 0 and < 1 (fraction of baseline); got {tolerance!r}")
    return x


def _duration(duration_min: object) -> float:
    d = _real("duration_min", duration_min, 0.0, _MAX_DURATION_MIN, "minutes of activity")
    if d == 0:
        raise ValueError(f"duration_min must be > 0 (minutes of activity); got {duration_min!r}")
    return d


def _intensity(intensity: object) -> float:
    return _real("intensity", intensity, 0.0, 10.0, "multiple of the typical response")


# --- the table, typed ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MarkerSpec:
    """One drawn row of ``data/hormones.csv``, typed, with how the simulators read it.

    Parameters
    ----------
    marker, label : str
        Id and display name.
    status : str
        ``"simulated"`` (drawn as a curve) or ``"flat"`` (drawn at baseline: no change measured).
    baseline : float
        Resting level in the row's unit (> 0). Curves are shown divided by it (× baseline).
    t_half_min, t_half_low_min, t_half_high_min : float
        Central half-life and its literature range, minutes.
    half_life_basis : str
        ``"measured"`` or ``"illustrative"``.
    peak_fold : float
        Peak at intensity 1, × baseline, in the solo condition (>= 1).
    peak_fold_basis : str
        ``"measured"``, ``"illustrative"`` or ``"measured no change"``.
    secretion_start_min, secretion_end_min : float
        The data's secretion window, minutes relative to orgasm.
    partnered_increment_ratio : float
        Increment after penile–vaginal intercourse ÷ increment after masturbation (prolactin 5,
        Brody & Krüger 2006; 1 for every other marker). ``partnered=True`` means intercourse.
    tracks : str
        :data:`ACTIVITY` (the window ends at orgasm and starts before it) or :data:`ORGASM`.
    still_raised_at_min : float
        The latest time after orgasm at which the studies still found the level raised (NaN when
        the data give none). A model curve back within the band before it leaves the data.
    figure_note : str
        The data's sentence for the figure: what was measured, with its sources.
    """

    marker: str
    label: str
    status: str
    baseline: float
    t_half_min: float
    t_half_low_min: float
    t_half_high_min: float
    half_life_basis: str
    peak_fold: float
    peak_fold_basis: str
    secretion_start_min: float
    secretion_end_min: float
    partnered_increment_ratio: float
    tracks: str
    still_raised_at_min: float = math.nan
    figure_note: str = ""

    @property
    def window_min(self) -> float:
        """Length of the data's secretion window, minutes (the reference for the rate)."""
        return self.secretion_end_min - self.secretion_start_min

    def fold(self, *, partnered: bool) -> float:
        """Peak at intensity 1, × baseline; ``partnered`` multiplies the increment by the ratio.

        Examples
        --------
        >>> from widgets import data
        >>> prolactin = {s.marker: s for s in marker_specs(data.load("hormones"))}["prolactin"]
        >>> solo, together = prolactin.fold(partnered=False), prolactin.fold(partnered=True)
        >>> bool(together - 1 == prolactin.partnered_increment_ratio * (solo - 1))
        True
        """
        ratio = self.partnered_increment_ratio if partnered else 1.0
        return 1.0 + (self.peak_fold - 1.0) * ratio

    def window(self, *, duration_min: float) -> tuple[float, float]:
        """Secretion window (start, end), minutes relative to orgasm, for this activity length."""
        if self.tracks == ACTIVITY:
            return -float(duration_min), self.secretion_end_min
        return max(self.secretion_start_min, -float(duration_min)), self.secretion_end_min


def _spec(row: Mapping) -> MarkerSpec:
    start, end = float(row["secretion_start_min"]), float(row["secretion_end_min"])
    ratio = row["partnered_increment_ratio"]
    return MarkerSpec(
        marker=str(row["marker"]),
        label=str(row["label"]),
        status=str(row["status"]),
        baseline=float(row["baseline"]),
        t_half_min=float(row["half_life_min"]),
        t_half_low_min=float(row["half_life_low_min"]),
        t_half_high_min=float(row["half_life_high_min"]),
        half_life_basis=str(row["half_life_basis"]),
        peak_fold=float(row["peak_fold"]),
        peak_fold_basis=str(row["peak_fold_basis"]),
        secretion_start_min=start,
        secretion_end_min=end,
        partnered_increment_ratio=1.0 if pd.isna(ratio) else float(ratio),
        tracks=ACTIVITY if end == 0 and start < 0 else ORGASM,
        still_raised_at_min=_optional_float(row.get("still_raised_at_min", math.nan)),
        figure_note=_optional_text(row.get("figure_note", "")),
    )


def _optional_float(value) -> float:
    return math.nan if pd.isna(value) else float(value)


def _optional_text(value) -> str:
    return "" if pd.isna(value) else str(value)


def marker_specs(table: pd.DataFrame) -> tuple[MarkerSpec, ...]:
    """The drawn markers (status ``simulated`` or ``flat``) of the ``hormones`` table, in order.

    Parameters
    ----------
    table : pandas.DataFrame
        The table from ``widgets.data.load("hormones")`` (validated), or a tuple of specs (returned
        unchanged).

    Returns
    -------
    tuple of MarkerSpec

    Raises
    ------
    ValueError
        If ``table`` is not the hormones table.

    Examples
    --------
    >>> from widgets import data
    >>> specs = marker_specs(data.load("hormones"))
    >>> {s.marker: s.tracks for s in specs}["heart_rate"]
    'activity'
    >>> all(s.status in ("simulated", "flat") for s in specs)
    True
    """
    if isinstance(table, tuple) and table and all(isinstance(s, MarkerSpec) for s in table):
        return table
    needed = {"marker", "status", "half_life_min", "peak_fold", "partnered_increment_ratio"}
    if not isinstance(table, pd.DataFrame) or not needed <= set(table.columns):
        raise ValueError(
            'table must be the hormones table from widgets.data.load("hormones"); '
            f"got {type(table).__name__}"
        )
    drawn = table[table["status"].isin(_DRAWN)]
    return tuple(_spec(row) for row in drawn.to_dict("records"))


def not_drawn(table: pd.DataFrame) -> pd.DataFrame:
    """Markers the simulators never draw, with what was measured and why they are not drawn.

    Parameters
    ----------
    table : pandas.DataFrame
        The ``hormones`` table.

    Returns
    -------
    pandas.DataFrame
        Columns ``marker``, ``label``, ``measured`` (the first sentence of ``measured_response``),
        ``reason`` (the data's ``note`` without its "Not drawn:" prefix) and ``sources``.

    Examples
    --------
    >>> from widgets import data
    >>> rows = not_drawn(data.load("hormones"))
    >>> "dopamine" in rows.marker.tolist()
    True
    >>> all(text.endswith(".") for text in rows.measured)
    True
    """
    rows = table[table["status"] == "not simulated"]
    measured = [str(text).split(". ")[0].rstrip(".") + "." for text in rows["measured_response"]]
    reason = [str(text).removeprefix("Not drawn: ") for text in rows["note"]]
    return pd.DataFrame(
        {
            "marker": rows["marker"].astype(str).tolist(),
            "label": rows["label"].astype(str).tolist(),
            "measured": measured,
            "reason": [r[:1].upper() + r[1:] for r in reason],
            "sources": rows["response_source"].astype(str).tolist(),
        }
    )


def increment_readings(table: pd.DataFrame, marker: str = "prolactin") -> pd.DataFrame:
    """What "the increase is 400% greater with a partner" does and does not mean, in numbers.

    The data's ``partnered_increment_ratio`` (5: Brody & Krüger 2006) compares two *increases*
    over the resting level: after penile–vaginal intercourse and after masturbation. The table
    sets the simulation's masturbation peak (illustrative) beside the intercourse peak it implies,
    and beside two misreadings that treat the ratio as a level.

    Parameters
    ----------
    table : pandas.DataFrame
        The ``hormones`` table.
    marker : str, default "prolactin"
        A drawn marker with a ``partnered_increment_ratio``.

    Returns
    -------
    pandas.DataFrame
        Columns ``reading``, ``increase_x_resting`` (the rise over resting, in resting levels) and
        ``peak_x_resting``.

    Examples
    --------
    >>> from widgets import data
    >>> rows = increment_readings(data.load("hormones"))
    >>> rows.reading.str.split(":").str[0].tolist()
    ["masturbation (the model's illustrative peak)", 'penile–vaginal intercourse', 'misreading',
     'misreading']
    """
    spec = {s.marker: s for s in marker_specs(table)}.get(marker)
    if spec is None or spec.partnered_increment_ratio == 1.0:
        raise ValueError(f"{marker!r} is not a drawn marker with a partnered_increment_ratio")
    ratio = spec.partnered_increment_ratio
    solo, partnered = spec.fold(partnered=False), spec.fold(partnered=True)
    percent = round(100 * (ratio - 1))
    rows = [
        ("masturbation (the model's illustrative peak)", solo),
        (f"penile–vaginal intercourse: the increase is {ratio:g} times as large", partnered),
        (f"misreading: the level rises by {percent}% (to {ratio:g} × resting)", ratio),
        (f"misreading: the level is {ratio:g} times the masturbation level", ratio * solo),
    ]
    return pd.DataFrame(
        {
            "reading": [r for r, _ in rows],
            "increase_x_resting": [round(p - 1.0, 6) for _, p in rows],
            "peak_x_resting": [round(p, 6) for _, p in rows],
        }
    )


# --- what the data say, as text for the lessons --------------------------------------------------


def short_citation(key: str) -> str:
    """A short in-text citation for a ``references.bib`` key: "Krüger et al. 1998".

    Examples
    --------
    >>> short_citation("sagarin2009").endswith("2009")
    True
    >>> short_citation("nobody")
    Traceback (most recent call last):
    ...
    KeyError: 'not in data/references.bib: nobody'
    """
    entry = references.entries().get(key)
    if entry is None:
        raise KeyError(f"not in data/references.bib: {key}")
    year = entry.get("year", "n.d.")
    author = entry.get("author", "")
    if author:
        people = [p.strip() for p in author.split(" and ")]
        surnames = [references._strip(p.split(",")[0]) for p in people if p != "others"]
        if len(people) == 1:
            who = surnames[0]
        elif len(people) == 2 and len(surnames) == 2:
            who = f"{surnames[0]} & {surnames[1]}"
        else:
            who = f"{surnames[0]} et al."
        return f"{who} {year}"
    title = references._strip(entry.get("booktitle") or entry["title"])
    title = title.split(" (")[0].split(":")[0]
    words = title.split()
    if len(words) > 5:
        title = " ".join(words[:5]) + "…"
    return f"{title} ({year})" if year != "n.d." else title


def _citations(keys) -> str:
    return "; ".join(short_citation(k) for k in str(keys).split(";")) if pd.notna(keys) else ""


def _wrapped(text: str, indent: str = "  ", width: int = 96) -> str:
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent)


def evidence_text(table: pd.DataFrame) -> str:
    """What was measured for each marker of the table, with its sources (lesson 02, section 1).

    One paragraph per row, in table order: the label, then the data's ``measured_response``
    and its ``response_source`` as short citations.

    Examples
    --------
    >>> from widgets import data
    >>> "Sources: " in evidence_text(data.load("hormones"))
    True
    """
    blocks = []
    for row in table.itertuples(index=False):
        blocks.append(
            f"{row.label}\n{_wrapped(str(row.measured_response))}\n"
            f"{_wrapped('Sources: ' + _citations(row.response_source))}"
        )
    return "\n\n".join(blocks)


def _range(low: float, high: float) -> str:
    return f"{low:g}–{high:g}"


def parameter_text(table: pd.DataFrame) -> str:
    """The simulator's numbers for each drawn marker, and which are measured (lesson 02).

    For each drawn marker: its half-life and range with their basis and sources, its peak at
    intensity 1 with its basis (for a marker with a ``partnered_increment_ratio``, both peaks),
    and the data's note. Every number is read from the table.

    Examples
    --------
    >>> from widgets import data
    >>> text = parameter_text(data.load("hormones"))
    >>> "illustrative" in text and "measured" in text
    True
    """
    blocks = []
    rows = {str(r.marker): r for r in table.itertuples(index=False)}
    for spec in marker_specs(table):
        row = rows[spec.marker]
        name = "recovery half-time" if spec.half_life_basis == "illustrative" else "half-life"
        span = _range(spec.t_half_low_min, spec.t_half_high_min)
        half = f"{name} {spec.t_half_min:g} min (range {span} min): {spec.half_life_basis}"
        if spec.half_life_basis == "measured" and pd.notna(row.half_life_source):
            half += f" ({_citations(row.half_life_source)})"
        if spec.status == "flat":
            peak = f"drawn flat: {spec.peak_fold_basis} at orgasm"
        elif spec.partnered_increment_ratio != 1.0:
            peak = (
                f"peak × {spec.fold(partnered=False):g} after masturbation and "
                f"× {spec.fold(partnered=True):g} after penile–vaginal intercourse at intensity 1: "
                f"{spec.peak_fold_basis}"
            )
        else:
            peak = f"peak × {spec.peak_fold:g} at intensity 1: {spec.peak_fold_basis}"
        lines = [spec.label, _wrapped(half), _wrapped(peak)]
        if math.isfinite(spec.still_raised_at_min):
            lines.append(
                _wrapped(f"studies: still raised {spec.still_raised_at_min:g} min after orgasm")
            )
        lines.append(_wrapped("note: " + str(row.note), indent="  "))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def leaves_data(spec: MarkerSpec, readout: Readout, tolerance: float = TOLERANCE) -> bool:
    """Whether a readout has the model back within the band before the studies found it still
    raised: there the model leaves the data.

    ``readout.back_within_min`` is the model's time back within ``tolerance``; the data's
    ``still_raised_at_min`` the latest time a study still found the level raised. A marker with
    no such time never leaves the data in this sense.
    """
    if not math.isfinite(spec.still_raised_at_min):
        return False
    rose = readout.peak_fold > 1.0 + tolerance
    return (not rose) or readout.back_within_min <= spec.still_raised_at_min


def vs_studies_text(spec: MarkerSpec, readout: Readout, tolerance: float = TOLERANCE) -> str:
    """The readout's comparison with the studies for one curve ("" when the data give none).

    Examples
    --------
    >>> from widgets import data
    >>> table = data.load("hormones")
    >>> spec, readout = marker_specs(table)[0], readouts(table)[0]  # prolactin
    >>> vs_studies_text(spec, readout).startswith(("agrees with the studies", "sooner than"))
    True
    """
    if not math.isfinite(spec.still_raised_at_min):
        return ""
    at = f"{spec.still_raised_at_min:g} min"
    if leaves_data(spec, readout, tolerance):
        return f"sooner than the studies (still raised at {at})"
    return f"agrees with the studies (still raised at {at})"


def stress_text(table: pd.DataFrame, stress: StressParams | None = None) -> str:
    """Which parts of lesson 03's stress curve come from studies, and which are illustrative.

    Examples
    --------
    >>> from widgets import data
    >>> print(stress_text(data.load("hormones")).splitlines()[0])
    The stress curve is illustrative: a sketch, not a measurement.
    """
    stress = stress_params(table) if stress is None else stress
    row = table.set_index("marker").loc["cortisol"]
    lines = [
        "The stress curve is illustrative: a sketch, not a measurement.",
        f"From studies (cortisol in general, not after sex): half-life {stress.t_half_min:g} min "
        f"at normal levels, about {stress.t_half_high_min:g} min with large loads "
        f"({_citations(row['half_life_source'])}).",
        "From studies, direction only: cortisol rose in the receiving role during consensual "
        f"BDSM scenes ({short_citation('sagarin2009')}; {short_citation('wuyts2020')}); how much "
        "and for how long were not in the sources reviewed.",
        f"Illustrative (our choice): a peak of {stress.peak_fold:g} × resting after a "
        f"{stress.reference_duration_min:g}-minute scene at intensity 1; release running on "
        f"{stress.delay_min:g} min after the scene; a wind-down of the last "
        f"{stress.taper_min:g} min at {stress.taper_level:.0%} intensity.",
    ]
    return "\n".join(textwrap.fill(line, width=96, subsequent_indent="  ") for line in lines)


def stress_figure_note(table: pd.DataFrame) -> str:
    """The stress curve's sentence under lesson 03's figure: what is sourced, what is not."""
    row = table.set_index("marker").loc["cortisol"]
    return (
        "Stress curve: illustrative. Only its direction (cortisol rose in the receiving role: "
        f"{short_citation('sagarin2009')}; {short_citation('wuyts2020')}, abstracts) and "
        f"cortisol's half-life ({_citations(row['half_life_source'])}) are from sources."
    )


def marker_params(
    spec: MarkerSpec,
    *,
    t_half_min: float | None = None,
    duration_min: float = DEFAULT_DURATION_MIN,
    partnered: bool = True,
) -> MarkerParams:
    r"""Model parameters of one marker for a scenario, in the marker's own units.

    Parameters
    ----------
    spec : MarkerSpec
        One drawn row of the table (see :func:`marker_specs`).
    t_half_min : float, optional
        Half-life in minutes, in (0, 1440]; default the data's central value.
    duration_min : float, default 10
        Length of the activity before orgasm, minutes, in (0, 240].
    partnered : bool, default True
        Partnered sex (True) or solo (False); only a marker with a ``partnered_increment_ratio``
        (prolactin) changes.

    Returns
    -------
    MarkerParams
        The window from :meth:`MarkerSpec.window` and the rate from
        :func:`~widgets.hormones.models.secretion_rate_for_peak` for the peak :math:`f`
        (:meth:`MarkerSpec.fold`), the half-life and the data's window length :math:`D_0`:

        .. math:: r_0 = \frac{(f - 1)\, b\, k}{1 - e^{-k D_0}}, \qquad k = \ln 2 / t_{1/2}.

    Examples
    --------
    >>> from widgets import data
    >>> prolactin = {s.marker: s for s in marker_specs(data.load("hormones"))}["prolactin"]
    >>> solo = marker_params(prolactin, partnered=False)
    >>> together = marker_params(prolactin, partnered=True)
    >>> ratio = together.secretion_rate_per_min / solo.secretion_rate_per_min
    >>> bool(abs(ratio - prolactin.partnered_increment_ratio) < 1e-9)
    True
    >>> together.secretion_end_min == prolactin.secretion_end_min
    True
    """
    duration = _duration(duration_min)
    t_half = spec.t_half_min if t_half_min is None else t_half_min
    start, end = spec.window(duration_min=duration)
    rate = secretion_rate_for_peak(
        baseline=spec.baseline,
        peak_fold=spec.fold(partnered=bool(partnered)),
        t_half_min=t_half,
        window_min=spec.window_min,
    )
    return MarkerParams(
        name=spec.marker,
        baseline=spec.baseline,
        secretion_rate_per_min=rate,
        t_half_min=t_half,
        secretion_start_min=start,
        secretion_end_min=end,
    )


def time_grid(
    *,
    before_min: float = 60.0,
    after_min: float = 300.0,
    n_before: int = 100,
    n_after: int = 500,
    first_after_min: float = 0.01,
    snap_to: tuple[float, ...] = (),
) -> np.ndarray:
    """A time grid for the simulators: even steps before orgasm, geometric steps after it.

    Heart rate settles in seconds and prolactin over hours, so the points after orgasm are spaced
    geometrically from ``first_after_min`` to ``after_min`` (smooth on a linear and on a log time
    axis); ``n_before`` even steps run from ``-before_min`` to 0 (included). Each time in
    ``snap_to`` (for example the end of a secretion window, where a curve peaks) replaces the
    nearest point after 0, so a peak is drawn at its true height; the grid keeps its size.

    Returns
    -------
    numpy.ndarray
        ``n_before + n_after`` increasing times in minutes (600 by default).

    Examples
    --------
    >>> t = time_grid()
    >>> (t.size, float(t[0]), float(t[99]), float(t[100]), float(t[-1]))
    (600, -60.0, 0.0, 0.01, 300.0)
    >>> bool(10.0 in time_grid(snap_to=(10.0,))), bool(10.0 in t)
    (True, False)
    """
    if not 0 < first_after_min < after_min:
        raise ValueError(
            "need 0 < first_after_min < after_min (minutes); "
            f"got first_after_min={first_after_min!r}, after_min={after_min!r}"
        )
    if not before_min > 0 or n_before < 2 or n_after < 2:
        raise ValueError(
            "need before_min > 0 (minutes) and n_before, n_after >= 2; "
            f"got {before_min!r}, {n_before!r}, {n_after!r}"
        )
    after = np.geomspace(first_after_min, after_min, n_after)
    for x in snap_to:
        if first_after_min < x < after_min:
            after[int(np.argmin(np.abs(np.log(after) - math.log(x))))] = x
    if np.any(np.diff(after) <= 0):
        raise ValueError(f"snap_to times are too close together for this grid: {snap_to!r}")
    return np.concatenate([np.linspace(-before_min, 0.0, n_before), after])


# --- the illustrative stress curve (lesson 03) ---------------------------------------------------


@dataclass(frozen=True)
class StressParams:
    """An **illustrative** cortisol-like stress curve for an intense scene (receiving role).

    Only the half-lives are measured (cortisol: 66 min at normal levels, about 120 min with large
    loads; :func:`stress_params` reads them from the data). Every other field is an illustrative
    choice, not a finding: no study reviewed reports the size or the timing of a cortisol rise
    after a scene. Sagarin et al. (2009) and Wuyts et al. (2020) support only its direction:
    cortisol rose for the person in the receiving role.

    Parameters
    ----------
    t_half_min, t_half_low_min, t_half_high_min : float
        Cortisol half-life and its range, minutes, in (0, 1440] (measured).
    peak_fold : float, default 1.5
        Peak, × baseline, after a scene of ``reference_duration_min`` at intensity 1 that ends
        abruptly (illustrative). In [1, 20].
    reference_duration_min : float, default 30
        The scene length that peak refers to, minutes (illustrative). In (0, 240].
    delay_min : float, default 15
        How long secretion runs on after the scene, minutes: stress hormones lag the stressor
        (illustrative). In [0, 240].
    taper_min : float, default 10
        Length of the wind-down at the end of a scene that does not end abruptly, minutes
        (illustrative). Part of the scene's duration, not added to it. In [0, 240].
    taper_level : float, default 0.5
        Intensity during the wind-down as a fraction of the scene's (illustrative). In [0, 1].

    Raises
    ------
    ValueError
        If a field is outside its range.
    """

    t_half_min: float
    t_half_low_min: float
    t_half_high_min: float
    peak_fold: float = 1.5
    reference_duration_min: float = 30.0
    delay_min: float = 15.0
    taper_min: float = 10.0
    taper_level: float = 0.5

    def __post_init__(self) -> None:
        for name in ("t_half_min", "t_half_low_min", "t_half_high_min"):
            _real(name, getattr(self, name), 1e-9, 1440.0, "minutes")
        _real("peak_fold", self.peak_fold, 1.0, 20.0, "× baseline")
        _real("reference_duration_min", self.reference_duration_min, 1e-9, 240.0, "minutes")
        _real("delay_min", self.delay_min, 0.0, 240.0, "minutes")
        _real("taper_min", self.taper_min, 0.0, 240.0, "minutes")
        _real("taper_level", self.taper_level, 0.0, 1.0, "fraction of the scene's intensity")

    def rate(self, t_half_min: float) -> float:
        """Secretion rate (× baseline per minute) giving ``peak_fold`` for the reference scene."""
        return secretion_rate_for_peak(
            baseline=1.0,
            peak_fold=self.peak_fold,
            t_half_min=t_half_min,
            window_min=self.reference_duration_min,
        )


def stress_params(table: pd.DataFrame, **illustrative) -> StressParams:
    """:class:`StressParams` with cortisol's half-lives from the table.

    Parameters
    ----------
    table : pandas.DataFrame
        The ``hormones`` table; its ``cortisol`` row gives the half-life and its range.
    **illustrative
        Overrides for the illustrative fields (``peak_fold``, ``delay_min``, ...).

    Examples
    --------
    >>> from widgets import data
    >>> table = data.load("hormones")
    >>> p = stress_params(table)
    >>> bool(p.t_half_min == table.set_index("marker").loc["cortisol", "half_life_min"])
    True
    >>> stress_params(table, peak_fold=2.0).peak_fold
    2.0
    """
    by_marker = {s.marker: s for s in marker_specs(table)}
    if "cortisol" not in by_marker:
        raise ValueError("the hormones table has no drawn 'cortisol' row to take half-lives from")
    c = by_marker["cortisol"]
    return replace(StressParams(c.t_half_min, c.t_half_low_min, c.t_half_high_min), **illustrative)


def activity_steps(
    *, duration_min: float, abrupt_end: bool, taper_min: float = 10.0, taper_level: float = 0.5
) -> tuple[tuple[float, float, float], ...]:
    """The activity as constant-intensity steps ``(start, end, level)`` ending at time 0.

    An abrupt end is one step at full level from ``-duration_min`` to 0. Otherwise the last
    ``min(taper_min, duration_min)`` minutes run at ``taper_level`` (a wind-down within the same
    duration).

    Examples
    --------
    >>> activity_steps(duration_min=30, abrupt_end=True)
    ((-30.0, 0.0, 1.0),)
    >>> activity_steps(duration_min=30, abrupt_end=False, taper_min=10, taper_level=0.5)
    ((-30.0, -10.0, 1.0), (-10.0, 0.0, 0.5))
    """
    d = _duration(duration_min)
    taper = min(_real("taper_min", taper_min, 0.0, 240.0, "minutes"), d)
    level = _real("taper_level", taper_level, 0.0, 1.0, "fraction of the intensity")
    if abrupt_end or taper == 0:
        return ((-d, 0.0, 1.0),)
    if taper == d:
        return ((-d, 0.0, level),)
    return ((-d, -taper, 1.0), (-taper, 0.0, level))


# --- the curves: each computed from the closed form of widgets.hormones.models -----------------


def _bisect(above, lo: float, hi: float, *, tol_min: float = 1e-9) -> float:
    """The time in [lo, hi] where ``above`` turns from True (at lo) to False (at hi).

    Plain bisection (scipy is not imported: it would add about 35 MB to a lesson's kernel).
    """
    lo, hi = float(lo), float(hi)
    while hi - lo > tol_min * max(1.0, abs(lo)):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if above(mid):
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


@dataclass(frozen=True)
class _Release:
    """One curve's secretion: rate at intensity 1 (marker units per minute), half-life (minutes),
    steps ``(start, end, level)`` of constant secretion, and the resting level."""

    rate: float
    t_half: float
    steps: tuple[tuple[float, float, float], ...]
    baseline: float

    def excess(self, t, intensity: float) -> np.ndarray:
        """Excess over resting in marker units: :func:`hormone_excess` summed over the steps."""
        total = 0.0
        for start, end, level in self.steps:
            total = total + hormone_excess(
                t,
                secretion_rate_per_min=self.rate,
                t_half_min=self.t_half,
                secretion_start_min=start,
                secretion_end_min=end,
                intensity=intensity * level,
            )
        return np.asarray(total)

    def level(self, t, intensity: float) -> np.ndarray:
        """The level in × baseline (1 = resting)."""
        return 1.0 + self.excess(t, intensity) / self.baseline

    def peak(self, intensity: float) -> tuple[float, float]:
        """(time, level × baseline) of the maximum, which is at the end of one of the steps."""
        ends = np.array([end for _, end, _ in self.steps])
        at_ends = self.excess(ends, intensity) / self.baseline
        i = int(np.argmax(at_ends))
        return float(ends[i]), 1.0 + float(at_ends[i])

    def back_within(self, intensity: float, tolerance: float) -> float:
        """When the level is back within ``tolerance × baseline`` for good (minutes).

        One step is exactly :func:`~widgets.hormones.models.time_to_within`. With several, the
        excess decays as one exponential after the last step, so the answer is closed-form if it
        is still above the band then; otherwise the last crossing is found by bisection.
        """
        if len(self.steps) == 1:
            ((start, end, level),) = self.steps
            return time_to_within(
                baseline=self.baseline,
                secretion_rate_per_min=self.rate,
                t_half_min=self.t_half,
                secretion_start_min=start,
                secretion_end_min=end,
                intensity=intensity * level,
                tolerance=tolerance,
            )
        band = tolerance * self.baseline
        start, end = self.steps[0][0], self.steps[-1][1]
        at_end = float(self.excess(np.array([end]), intensity)[0])
        if at_end > band:
            return end + self.t_half * (math.log(at_end) - math.log(band)) / math.log(2)
        grid = np.linspace(start, end, 2001)
        above = np.flatnonzero(self.excess(grid, intensity) > band)
        if above.size == 0:
            return start
        i = int(above[-1])
        return _bisect(
            lambda x: float(self.excess(np.array([x]), intensity)[0]) > band, grid[i], grid[i + 1]
        )


def _release(params: MarkerParams, steps=None) -> _Release:
    window = ((params.secretion_start_min, params.secretion_end_min, 1.0),)
    return _Release(
        rate=params.secretion_rate_per_min,
        t_half=params.t_half_min,
        steps=window if steps is None else steps,
        baseline=params.baseline,
    )


@dataclass(frozen=True)
class Curve:
    """One curve in × baseline on a time grid: at the chosen half-life (``level``) and at both
    ends of the literature range (``low``, ``high``: the shaded band; a flat curve is its own
    band)."""

    marker: str
    level: np.ndarray
    low: np.ndarray
    high: np.ndarray


@dataclass(frozen=True)
class Readout:
    """What a simulator prints for one curve: unrounded, × baseline and minutes.

    ``peak_fold`` is the highest level and ``peak_min`` when it is reached; ``back_within_min`` is
    the time (relative to orgasm, or to the end of the activity) from which the level stays within
    ``tolerance × baseline`` of baseline. A curve that never leaves that band reads its first
    secretion time (0 for cortisol: "never left").
    """

    marker: str
    label: str
    t_half_min: float
    peak_fold: float
    peak_min: float
    back_within_min: float


@dataclass(frozen=True)
class Scenario:
    """One setting of a simulator's controls, computed: its curves and their readouts.

    Attributes
    ----------
    specs : tuple of MarkerSpec
        The drawn markers of the table (for labels and bases).
    t_min : numpy.ndarray
        The time grid, minutes relative to orgasm (lesson 02) or to the end of the activity
        (lesson 03).
    curves : dict of str to Curve
        Every curve, keyed by marker in drawing order (lesson 03: then ``"stress"``).
    readouts : tuple of Readout
        One per curve, in the same order.
    """

    specs: tuple[MarkerSpec, ...]
    t_min: np.ndarray
    curves: dict[str, Curve]
    readouts: tuple[Readout, ...]

    def frame(self) -> pd.DataFrame:
        """The curves as a tidy table (one row per curve and time; see :func:`simulate`)."""
        by_marker = {s.marker: s for s in self.specs}
        frames = []
        for marker, c in self.curves.items():
            spec = by_marker.get(marker)
            frames.append(
                pd.DataFrame(
                    {
                        "marker": marker,
                        "label": spec.label if spec else STRESS_LABEL,
                        "status": spec.status if spec else "simulated",
                        "t_min": self.t_min,
                        "level": c.level,
                        "level_low": c.low,
                        "level_high": c.high,
                        "amplitude_basis": spec.peak_fold_basis if spec else "illustrative",
                        "half_life_basis": spec.half_life_basis if spec else "measured",
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)


def _scenario(specs, t_min, entries, intensity: float, tolerance: float) -> Scenario:
    """A :class:`Scenario` from ``(marker, label, releases)`` per curve, where ``releases`` is
    (chosen, low end, high end) of a curve and its band, or the chosen one alone (flat)."""
    t = np.asarray(t_min, dtype=np.float64).ravel()
    if t.size == 0 or not np.isfinite(t).all():
        raise ValueError("t_min must be a non-empty array of finite times (minutes)")
    curves, readouts = {}, []
    for marker, label, releases in entries:
        level = releases[0].level(t, intensity)
        low, high = (
            (level, level) if len(releases) == 1 else (r.level(t, intensity) for r in releases[1:])
        )
        curves[marker] = Curve(marker, level, low, high)
        peak_min, peak = releases[0].peak(intensity)
        back = releases[0].back_within(intensity, tolerance)
        readouts.append(Readout(marker, label, releases[0].t_half, peak, peak_min, back))
    return Scenario(tuple(specs), t, curves, tuple(readouts))


def _half_lives(specs, half_lives: Mapping[str, float] | None) -> dict[str, float]:
    """Central half-lives, overridden by ``half_lives``; an unknown marker is an error."""
    chosen = {s.marker: s.t_half_min for s in specs}
    for marker, value in (half_lives or {}).items():
        if marker not in chosen:
            raise ValueError(
                f"half_lives has an unknown marker {marker!r}; drawn markers: {', '.join(chosen)}"
            )
        chosen[marker] = _real(f"half_lives[{marker!r}]", value, 1e-9, 1440.0, "minutes")
    return chosen


# --- lesson 02: the drop-off simulator -----------------------------------------------------------


def dropoff_grid(table) -> np.ndarray:
    """Lesson 02's time grid: :func:`time_grid` (600 points, -60 to 300 min) with the ends of the
    secretion windows (where curves peak) on the grid."""
    return time_grid(snap_to=tuple(sorted({s.secretion_end_min for s in marker_specs(table)})))


def dropoff_scenario(
    table,
    *,
    t_min=None,
    intensity: float = DEFAULT_INTENSITY,
    duration_min: float = DEFAULT_DURATION_MIN,
    half_lives: Mapping[str, float] | None = None,
    partnered: bool = True,
    tolerance: float = TOLERANCE,
) -> Scenario:
    """The drop-off simulation of lesson 02 for one setting: every drawn marker's curve and
    readout, computed from the closed form of :mod:`widgets.hormones.models`.

    Each curve (× baseline) comes from :func:`marker_params`; its band is the same curve at the
    low and the high end of the literature half-life range. Parameters as in :func:`simulate`
    (``table`` may also be the tuple of :func:`marker_specs`; ``t_min`` defaults to
    :func:`dropoff_grid`) and :func:`readouts`.

    Examples
    --------
    >>> from widgets import data
    >>> table = data.load("hormones")
    >>> spec = {s.marker: s for s in marker_specs(table)}["prolactin"]
    >>> end, t_half = spec.secretion_end_min, spec.t_half_min
    >>> level = dropoff_scenario(table, t_min=[0.0, end, end + t_half]).curves["prolactin"].level
    >>> bool(level[0] == 1.0), round(float((level[2] - 1) / (level[1] - 1)), 9)  # one half-life
    (True, 0.5)
    """
    specs = marker_specs(table)
    c, tolerance = _intensity(intensity), _tolerance(tolerance)
    chosen = _half_lives(specs, half_lives)
    entries = []
    for spec in specs:
        halves = [chosen[spec.marker]]
        if spec.status != "flat":
            halves += [spec.t_half_low_min, spec.t_half_high_min]
        releases = [
            _release(
                marker_params(spec, t_half_min=h, duration_min=duration_min, partnered=partnered)
            )
            for h in halves
        ]
        entries.append((spec.marker, spec.label, releases))
    return _scenario(specs, dropoff_grid(specs) if t_min is None else t_min, entries, c, tolerance)


def simulate(
    table,
    *,
    t_min,
    intensity: float = DEFAULT_INTENSITY,
    duration_min: float = DEFAULT_DURATION_MIN,
    half_lives: Mapping[str, float] | None = None,
    partnered: bool = True,
) -> pd.DataFrame:
    """The drop-off simulation of lesson 02 as a tidy table: one row per drawn marker and time.

    Parameters
    ----------
    table : pandas.DataFrame
        The ``hormones`` table (``widgets.data.load("hormones")``) or a validated copy.
    t_min : array_like of float
        Times in minutes relative to orgasm (negative = before); see :func:`time_grid`.
    intensity : float, default 1
        Multiplier of every secretion rate, in [0, 10] (1 = the data's peak). The lessons use
        0.5–2, which takes the heart-rate rise over +30% to +120%, about the measured range.
    duration_min : float, default 10
        Minutes of activity before orgasm, in (0, 240]. Moves the start of activity-linked
        windows (heart rate) and keeps other windows from starting before the activity.
    half_lives : mapping of str to float, optional
        Half-life in minutes per drawn marker, overriding the data's central value.
    partnered : bool, default True
        Partnered (True) or solo (False): the prolactin increment is multiplied by the data's
        ``partnered_increment_ratio`` with a partner.

    Returns
    -------
    pandas.DataFrame
        Columns ``marker``, ``label``, ``status``, ``t_min``, ``level`` (× baseline),
        ``level_low`` and ``level_high`` (× baseline, at the ends of the half-life range),
        ``amplitude_basis`` (the data's ``peak_fold_basis``) and ``half_life_basis``.

    Raises
    ------
    ValueError
        If a parameter is outside its range or ``half_lives`` names an unknown marker.

    Examples
    --------
    >>> from widgets import data
    >>> df = simulate(data.load("hormones"), t_min=[-5.0, 10.0], partnered=False)
    >>> list(df.columns)[:5]
    ['marker', 'label', 'status', 't_min', 'level']
    >>> bool((df.level >= 1).all())  # never below resting
    True
    """
    return dropoff_scenario(
        table,
        t_min=t_min,
        intensity=intensity,
        duration_min=duration_min,
        half_lives=half_lives,
        partnered=partnered,
    ).frame()


def readouts(
    table,
    *,
    intensity: float = DEFAULT_INTENSITY,
    duration_min: float = DEFAULT_DURATION_MIN,
    half_lives: Mapping[str, float] | None = None,
    partnered: bool = True,
    tolerance: float = TOLERANCE,
) -> tuple[Readout, ...]:
    r"""Peak and time back within ``tolerance`` of baseline for every drawn marker (lesson 02).

    ``back_within_min`` is exactly :func:`~widgets.hormones.models.time_to_within` for the
    marker's :func:`marker_params`: the minutes after orgasm from which the level stays within
    ``tolerance × baseline`` of baseline,

    .. math:: T = t_e + t_{1/2} \log_2 \frac{E_1}{\varepsilon\, b}.

    A marker that never leaves the band (cortisol) reads its window start, 0. ``peak_fold`` is
    the level at the end of the window (its maximum), × baseline. Parameters as in
    :func:`simulate`; ``tolerance`` in (0, 1), default 0.10.

    Returns
    -------
    tuple of Readout

    Examples
    --------
    >>> from widgets import data
    >>> table = data.load("hormones")
    >>> short, long = (
    ...     {r.marker: r for r in readouts(table, half_lives={"prolactin": h})}["prolactin"]
    ...     for h in (25.0, 50.0)
    ... )
    >>> short.peak_fold == long.peak_fold, short.back_within_min < long.back_within_min
    (True, True)
    """
    return dropoff_scenario(
        table,
        t_min=[0.0],
        intensity=intensity,
        duration_min=duration_min,
        half_lives=half_lives,
        partnered=partnered,
        tolerance=tolerance,
    ).readouts


def readout_table(
    table: pd.DataFrame,
    *,
    intensity: float = DEFAULT_INTENSITY,
    duration_min: float = DEFAULT_DURATION_MIN,
    half_lives: Mapping[str, float] | None = None,
    partnered: bool = True,
    tolerance: float = TOLERANCE,
) -> pd.DataFrame:
    """:func:`readouts` plus the markers that are not drawn, as one table.

    Returns
    -------
    pandas.DataFrame
        Columns ``marker``, ``label``, ``t_half_min``, ``peak_fold``, ``back_within_min`` (NaN
        for markers not drawn), ``amplitude`` (the data's ``peak_fold_basis``, or
        ``"not drawn"``) and ``note`` (for a marker not drawn, what was measured).

    Examples
    --------
    >>> from widgets import data
    >>> rows = readout_table(data.load("hormones")).set_index("marker")
    >>> rows.loc["dopamine", "amplitude"], bool(rows.loc["prolactin", "back_within_min"] > 0)
    ('not drawn', True)
    """
    basis = {s.marker: s.peak_fold_basis for s in marker_specs(table)}
    rows = [
        {
            "marker": r.marker,
            "label": r.label,
            "t_half_min": r.t_half_min,
            "peak_fold": r.peak_fold,
            "back_within_min": r.back_within_min,
            "amplitude": basis[r.marker],
            "note": "",
        }
        for r in readouts(
            table,
            intensity=intensity,
            duration_min=duration_min,
            half_lives=half_lives,
            partnered=partnered,
            tolerance=tolerance,
        )
    ]
    for nd in not_drawn(table).itertuples(index=False):
        rows.append(
            {
                "marker": nd.marker,
                "label": nd.label,
                "t_half_min": math.nan,
                "peak_fold": math.nan,
                "back_within_min": math.nan,
                "amplitude": "not drawn",
                "note": nd.measured,
            }
        )
    return pd.DataFrame(rows)


# --- lesson 03: recovery timescales and the stress curve ----------------------------------------


def _stress_steps(stress: StressParams, duration_min, abrupt_end):
    """The scene's :func:`activity_steps`, with the stress curve's wind-down."""
    return activity_steps(
        duration_min=duration_min,
        abrupt_end=abrupt_end,
        taper_min=stress.taper_min,
        taper_level=stress.taper_level,
    )


def _stress_release(stress: StressParams, t_half: float, steps) -> _Release:
    shifted = tuple((s + stress.delay_min, e + stress.delay_min, lv) for s, e, lv in steps)
    return _Release(rate=stress.rate(t_half), t_half=t_half, steps=shifted, baseline=1.0)


def stress_response(
    stress: StressParams,
    t_min,
    *,
    intensity: float = DEFAULT_INTENSITY,
    duration_min: float = DEFAULT_SCENE_MIN,
    abrupt_end: bool = True,
    t_half_min: float | None = None,
) -> np.ndarray:
    r"""The illustrative stress curve, × baseline, at times ``t_min`` after the end of a scene.

    Secretion follows the scene's :func:`activity_steps`, delayed by ``stress.delay_min``, at the
    rate :meth:`StressParams.rate` that gives ``stress.peak_fold`` for an abrupt scene of
    ``stress.reference_duration_min`` at intensity 1 (recomputed for each half-life, so the
    half-life changes the fall, not that reference peak). Each step adds the closed form of
    :func:`~widgets.hormones.models.hormone_excess`; the model is linear, so the rise scales with
    ``intensity`` and grows with ``duration_min``.

    Parameters
    ----------
    stress : StressParams
        From :func:`stress_params`.
    t_min : array_like of float
        Minutes relative to the end of the scene.
    intensity : float, default 1
        Multiplier of the secretion, in [0, 10].
    duration_min : float, default 30
        Scene length, minutes, in (0, 240].
    abrupt_end : bool, default True
        False: the last ``stress.taper_min`` minutes run at ``stress.taper_level``.
    t_half_min : float, optional
        Half-life in minutes; default ``stress.t_half_min``.

    Returns
    -------
    numpy.ndarray
        Level in × baseline (>= 1), the shape of ``t_min``.

    Examples
    --------
    >>> from widgets import data
    >>> p = stress_params(data.load("hormones"))
    >>> stress_response(p, [-30.0, p.delay_min, p.delay_min + p.t_half_min]).round(3).tolist()
    [1.0, 1.5, 1.25]
    """
    steps = _stress_steps(stress, duration_min, abrupt_end)
    t_half = stress.t_half_min if t_half_min is None else t_half_min
    return _stress_release(stress, t_half, steps).level(t_min, _intensity(intensity))


def timescales_grid(table, stress: StressParams | None = None) -> np.ndarray:
    """Lesson 03's time grid: ``time_grid(before_min=120, after_min=720)`` (600 points) with the
    curves' peak times on the grid."""
    specs = marker_specs(table)
    stress = stress_params(specs) if stress is None else stress
    peaks = {s.secretion_end_min for s in specs if s.status != "flat"} | {stress.delay_min}
    return time_grid(before_min=120.0, after_min=720.0, snap_to=tuple(sorted(peaks)))


def timescales_scenario(
    table,
    stress: StressParams | None = None,
    *,
    t_min=None,
    intensity: float = DEFAULT_INTENSITY,
    duration_min: float = DEFAULT_SCENE_MIN,
    abrupt_end: bool = True,
    partnered: bool = True,
    tolerance: float = TOLERANCE,
) -> Scenario:
    """The recovery timescales of lesson 03 for one setting: every curve and its readout.

    Time 0 is the end of the activity (and orgasm, if there is one). Heart rate follows the
    activity's :func:`activity_steps` (with a wind-down it comes down during the last minutes);
    prolactin and oxytocin are released around orgasm as in lesson 02; the flat cortisol row is
    left out, its place taken by the illustrative stress curve (key :data:`STRESS`), whose band
    spans cortisol's half-life range. Bands elsewhere span each marker's range, as in lesson 02.
    Parameters as in :func:`timescales` (``t_min`` defaults to :func:`timescales_grid`) and
    :func:`timescale_readouts`.

    Examples
    --------
    >>> from widgets import data
    >>> table = data.load("hormones")
    >>> p = stress_params(table)
    >>> out = timescales_scenario(table, t_min=[p.delay_min, p.delay_min + p.t_half_min])
    >>> out.curves["stress"].level.round(3).tolist()
    [1.5, 1.25]
    """
    specs = marker_specs(table)
    stress = stress_params(specs) if stress is None else stress
    c, tolerance = _intensity(intensity), _tolerance(tolerance)
    steps = _stress_steps(stress, duration_min, abrupt_end)
    entries = []
    for spec in (s for s in specs if s.status != "flat"):
        own = steps if spec.tracks == ACTIVITY else None
        releases = [
            _release(
                marker_params(spec, t_half_min=h, duration_min=duration_min, partnered=partnered),
                own,
            )
            for h in (spec.t_half_min, spec.t_half_low_min, spec.t_half_high_min)
        ]
        entries.append((spec.marker, spec.label, releases))
    halves = (stress.t_half_min, stress.t_half_low_min, stress.t_half_high_min)
    entries.append((STRESS, STRESS_LABEL, [_stress_release(stress, h, steps) for h in halves]))
    grid = timescales_grid(specs, stress) if t_min is None else t_min
    return _scenario(specs, grid, entries, c, tolerance)


def timescales(
    table: pd.DataFrame,
    stress: StressParams | None = None,
    *,
    t_min,
    intensity: float = DEFAULT_INTENSITY,
    duration_min: float = DEFAULT_SCENE_MIN,
    abrupt_end: bool = True,
    partnered: bool = True,
) -> pd.DataFrame:
    """The recovery timescales of lesson 03 as a tidy table: one row per curve and time.

    Parameters
    ----------
    table : pandas.DataFrame
        The ``hormones`` table.
    stress : StressParams, optional
        The illustrative stress curve; default :func:`stress_params` of ``table``.
    t_min : array_like of float
        Minutes relative to the end of the activity (negative = during it).
    intensity : float, default 1
        Multiplier of every secretion rate, in [0, 10].
    duration_min : float, default 30
        Length of the activity (scene), minutes, in (0, 240].
    abrupt_end : bool, default True
        False: the activity winds down for its last ``stress.taper_min`` minutes.
    partnered : bool, default True
        Prolactin's partnered or solo increment (as in :func:`simulate`).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`simulate`. The stress curve has marker ``"stress"``, status
        ``"simulated"``, amplitude basis ``"illustrative"`` and half-life basis ``"measured"``.

    Examples
    --------
    >>> from widgets import data
    >>> df = timescales(data.load("hormones"), t_min=[15.0])
    >>> df.marker.tolist()[-1], "cortisol" in df.marker.tolist()  # stress curve, no flat row
    ('stress', False)
    """
    return timescales_scenario(
        table,
        stress,
        t_min=t_min,
        intensity=intensity,
        duration_min=duration_min,
        abrupt_end=abrupt_end,
        partnered=partnered,
    ).frame()


def timescale_readouts(
    table,
    stress: StressParams | None = None,
    *,
    intensity: float = DEFAULT_INTENSITY,
    duration_min: float = DEFAULT_SCENE_MIN,
    abrupt_end: bool = True,
    partnered: bool = True,
    tolerance: float = TOLERANCE,
) -> tuple[Readout, ...]:
    """Peak and time back within ``tolerance`` of baseline for each curve of :func:`timescales`.

    Times are minutes after the end of the activity. For one secretion step ``back_within_min``
    is exactly :func:`~widgets.hormones.models.time_to_within`; with a wind-down the steps are
    summed and the time comes from the same closed form after the last step. ``peak_fold``
    (× baseline) and ``peak_min`` are each curve's maximum and when it is reached. Parameters
    as in :func:`timescales`.

    Returns
    -------
    tuple of Readout
        Drawn markers except flat ones, in table order, then the stress curve.

    Examples
    --------
    >>> from widgets import data
    >>> table = data.load("hormones")
    >>> r = timescale_readouts(table)
    >>> r[-1].marker, round(r[-1].peak_fold, 2)  # the stress curve, at its reference scene
    ('stress', 1.5)
    """
    return timescales_scenario(
        table,
        stress,
        t_min=[0.0],
        intensity=intensity,
        duration_min=duration_min,
        abrupt_end=abrupt_end,
        partnered=partnered,
        tolerance=tolerance,
    ).readouts
