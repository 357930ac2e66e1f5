r"""Scenarios for the hormone simulators of lessons 02 and 03, built from ``data/hormones.csv``.

Pure code (numpy and pandas; no plotting, no widgets, no I/O): it turns the rows of the
``hormones`` table into :class:`~widgets.hormones.models.MarkerParams`, evaluates the closed-form
model of :mod:`widgets.hormones.models` on a time grid, and computes the readouts the lessons
print. Every curve is in **× baseline** (the marker's level divided by its resting level), so
prolactin, oxytocin, heart rate and cortisol share one axis.

:class:`DropoffModel` (lesson 02) and :class:`TimescalesModel` (lesson 03) hold one time grid and
cache each curve's response at intensity 1: the model is linear in the secretion rate, so a slider
move that changes only the intensity rescales arrays instead of recomputing exponentials. Their
``curves`` hand back a :class:`Curves` mapping: a scenario's lines are the rows of one array and its
bands of another, each computed in one step from stacked responses. The functions :func:`simulate`,
:func:`readouts`, :func:`timescales` and :func:`timescale_readouts` wrap them for one-off use.

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
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from widgets import references
from widgets.hormones.models import (
    MarkerParams,
    _excess,
    _rate_constant,
    _time_to_within,
    _validate,
    secretion_rate_for_peak,
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
    "Block",
    "Curve",
    "Curves",
    "DropoffModel",
    "MarkerSpec",
    "Readout",
    "StressParams",
    "TimescalesModel",
    "activity_steps",
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
_CACHE_SIZE = 1024  # unit responses kept per model (600 points: about 5 MB at most)
# Sources are a few numbers each; lesson 02's simulator precomputes about 1,000 of them (every
# position of each slider), so their cache is larger and exploring does not empty it at once.
_SOURCE_CACHE_SIZE = 8192
# A scenario's lines are one block and its bands another (4 and 8 rows × 600 points: 19 and
# 38 kB), kept per model for revisited slider positions (48: a half-life slider's 51 positions up
# and back down mostly find theirs), as are the stacks of unit responses they are scaled from.
# With the figure's rounded copies, a student's exploration of a lesson adds about 8 MB to its
# kernel (bench/bench_hormones.py; the lesson's budget is 180 MB).
_BLOCK_CACHE_SIZE = 48


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
    """The band around baseline for a readout, checked by the models' rule (0 < tolerance < 1)."""
    return _validate(tolerance=tolerance)["tolerance"]


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


def _spec(row) -> MarkerSpec:
    start, end = float(row.secretion_start_min), float(row.secretion_end_min)
    ratio = row.partnered_increment_ratio
    return MarkerSpec(
        marker=str(row.marker),
        label=str(row.label),
        status=str(row.status),
        baseline=float(row.baseline),
        t_half_min=float(row.half_life_min),
        t_half_low_min=float(row.half_life_low_min),
        t_half_high_min=float(row.half_life_high_min),
        half_life_basis=str(row.half_life_basis),
        peak_fold=float(row.peak_fold),
        peak_fold_basis=str(row.peak_fold_basis),
        secretion_start_min=start,
        secretion_end_min=end,
        partnered_increment_ratio=1.0 if pd.isna(ratio) else float(ratio),
        tracks=ACTIVITY if end == 0 and start < 0 else ORGASM,
        still_raised_at_min=_optional_float(getattr(row, "still_raised_at_min", math.nan)),
        figure_note=_optional_text(getattr(row, "figure_note", "")),
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
    return tuple(_spec(row) for row in drawn.itertuples(index=False))


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


# --- the engine: linear in intensity, so unit responses are computed once -----------------------


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


def _cached(cache: dict, key, build, size: int = _CACHE_SIZE):
    """``cache[key]``, made by ``build()`` on a miss; a cache holding ``size`` entries first
    forgets its oldest one (so that sweeping a slider up and back down finds its way back)."""
    hit = cache.get(key)
    if hit is None:
        if len(cache) >= size:
            del cache[next(iter(cache))]
        hit = cache[key] = build()
    return hit


@dataclass(frozen=True)
class _Source:
    """One curve's secretion: rate at intensity 1, half-life, steps (start, end, level), baseline.

    Hashable, so it keys the cache of unit responses.
    """

    rate: float
    t_half: float
    steps: tuple[tuple[float, float, float], ...]
    baseline: float
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Sources key every cache on a slider's path: hash the fields once, not on every lookup.
        object.__setattr__(self, "_hash", hash((self.rate, self.t_half, self.steps, self.baseline)))

    def __hash__(self) -> int:
        return self._hash

    def excess(self, t: np.ndarray, intensity: float = 1.0) -> np.ndarray:
        """Excess over baseline in marker units: the closed form summed over the steps.

        ``t`` is a float64 array. The closed form is that of
        :func:`~widgets.hormones.models.hormone_excess`, called without re-checking numbers that
        were checked when the source's parameters were built (this runs on every new slider
        position, and in bisections).
        """
        k = _rate_constant(self.t_half)
        total = None
        for start, end, level in self.steps:
            part = _excess(
                t, rate=self.rate, intensity=intensity * level, k=k, start=start, end=end
            )
            total = part if total is None else total + part
        return total

    def time_to_within(self, intensity: float, tolerance: float) -> float:
        """When the level is back within ``tolerance × baseline`` for good (minutes).

        One step is exactly :func:`~widgets.hormones.models.time_to_within`. With several, the
        excess decays as one exponential after the last step, so the answer is closed-form if it
        is still above the band then; otherwise the last crossing is found by bisection.
        """
        if len(self.steps) == 1:
            ((start, end, level),) = self.steps
            # The source's numbers were validated when its MarkerParams were built, the intensity
            # and tolerance by the scenario functions: the same arithmetic without re-checking.
            return _time_to_within(
                {
                    "baseline": self.baseline,
                    "secretion_rate_per_min": self.rate,
                    "t_half_min": self.t_half,
                    "secretion_start_min": start,
                    "secretion_end_min": end,
                    "intensity": intensity * level,
                    "tolerance": tolerance,
                }
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


@dataclass(frozen=True)
class _Unit:
    """A source's response at intensity 1: on the grid (× baseline) and at its step ends."""

    on_grid: np.ndarray
    ends: np.ndarray
    at_ends: np.ndarray
    peak_min: float  # the step end with the highest response (the maximum is at one)
    peak: float  # the response there, × baseline at intensity 1


class _Engine:
    """Unit responses on one fixed time grid, cached by source; readouts cached by source and
    intensity.

    The model is linear in the secretion rate, so the level at intensity :math:`c` is
    :math:`1 + c\\,u(t)` with :math:`u` the unit excess in × baseline: a slider move that changes
    only the intensity (or prolactin's partnered switch) needs no exponentials, and a scenario's
    curves are one multiplication of their stacked unit responses (:meth:`block`).
    """

    def __init__(self, t_min) -> None:
        t = np.array(t_min, dtype=np.float64).ravel()
        if t.size == 0 or not np.isfinite(t).all():
            raise ValueError("t_min must be a non-empty array of finite times (minutes)")
        t.setflags(write=False)
        self.t_min = t
        self._cache: dict[_Source, _Unit] = {}
        self._stacks: dict[tuple[_Source, ...], np.ndarray] = {}
        self._pinned: dict[tuple[_Source, ...], np.ndarray] = {}  # by precompute, never forgotten
        self._blocks: dict[tuple, Block] = {}
        self._readouts: dict[tuple, Readout] = {}

    def unit(self, source: _Source) -> _Unit:
        return _cached(self._cache, source, lambda: self._unit(source))

    def _unit(self, source: _Source) -> _Unit:
        ends = np.array([end for _, end, _ in source.steps])
        at_ends = source.excess(ends) / source.baseline
        i = int(np.argmax(at_ends))
        return _Unit(
            on_grid=source.excess(self.t_min) / source.baseline,
            ends=ends,
            at_ends=at_ends,
            peak_min=float(ends[i]),
            peak=float(at_ends[i]),
        )

    def block(self, sources: tuple[_Source, ...], intensity: float) -> Block:
        """The levels (× baseline) of ``sources`` at ``intensity`` on the grid, one row each,
        computed in one step from the sources' stacked unit responses (cached: the same sources
        and intensity give the same :class:`Block`)."""
        return _cached(
            self._blocks,
            (intensity, sources),
            lambda: self._block(sources, intensity),
            _BLOCK_CACHE_SIZE,
        )

    def _stack(self, sources: tuple[_Source, ...]) -> np.ndarray:
        return np.concatenate([self.unit(s).on_grid for s in sources]).reshape(
            len(sources), self.t_min.size
        )

    def pin_stack(self, sources: tuple[_Source, ...]) -> None:
        """Keep the stacked unit responses of ``sources`` for the model's life (precompute)."""
        if sources not in self._pinned:
            self._pinned[sources] = self._stack(sources)

    def _block(self, sources: tuple[_Source, ...], intensity: float) -> Block:
        stack = self._pinned.get(sources)
        if stack is None:
            stack = _cached(self._stacks, sources, lambda: self._stack(sources), _BLOCK_CACHE_SIZE)
        values = stack * intensity
        values += 1.0
        values.setflags(write=False)
        return Block(values)

    def time_to_within(self, source: _Source, intensity: float, tolerance: float) -> float:
        """:meth:`_Source.time_to_within`, with the excess at the last step's end from the cache."""
        if len(source.steps) == 1:
            return source.time_to_within(intensity, tolerance)
        at_end = intensity * float(self.unit(source).at_ends[-1]) * source.baseline
        band = tolerance * source.baseline
        if at_end > band:
            end = source.steps[-1][1]
            return end + source.t_half * (math.log(at_end) - math.log(band)) / math.log(2)
        return source.time_to_within(intensity, tolerance)

    def peak(self, source: _Source, intensity: float) -> tuple[float, float]:
        """(time, level × baseline) of the maximum, which is at the end of one of the steps."""
        u = self.unit(source)
        return u.peak_min, 1.0 + intensity * u.peak

    def readout(
        self, marker: str, label: str, source: _Source, intensity: float, tolerance: float
    ) -> Readout:
        """The :class:`Readout` of one curve: its peak and its time back within the band (cached,
        like :meth:`level`)."""
        key = (marker, label, source, intensity, tolerance)
        return _cached(
            self._readouts, key, lambda: self._readout(marker, label, source, intensity, tolerance)
        )

    def _readout(self, marker, label, source, intensity, tolerance) -> Readout:
        peak_min, peak = self.peak(source, intensity)
        back = self.time_to_within(source, intensity, tolerance)
        return Readout(marker, label, source.t_half, peak, peak_min, back)


def _source(params: MarkerParams, steps=None) -> _Source:
    return _Source(
        rate=params.secretion_rate_per_min,
        t_half=params.t_half_min,
        steps=steps
        if steps is not None
        else ((params.secretion_start_min, params.secretion_end_min, 1.0),),
        baseline=params.baseline,
    )


@dataclass(frozen=True)
class Curve:
    """One curve in × baseline on the model's grid: at the chosen half-life and at both ends of the
    literature range (the shaded band). The arrays are read-only views; copy before changing."""

    marker: str
    level: np.ndarray
    low: np.ndarray
    high: np.ndarray


class Block:
    """Levels (× baseline) of several curves on a model's grid, one read-only row each.

    Models hand back the same object for the same sources and intensity, so a figure can keep
    what it derived from a block (its rounded values) for as long as the block exists.
    """

    __slots__ = ("__weakref__", "values")

    def __init__(self, values: np.ndarray) -> None:
        self.values = values


class Curves(Mapping[str, Curve]):
    """Every curve of one scenario, keyed by marker in drawing order: a read-only mapping whose
    arrays are rows of two blocks, one for the lines and one for the bands, so that a figure can
    round and lay out a whole scenario in a few array operations.

    Attributes
    ----------
    lines : Block
        Each marker's ``level``, one row per marker in drawing order.
    bands : Block
        Each marker's ``low`` and ``high`` (the band), two rows per marker in drawing order (a
        flat curve is its own band: its level twice). A half-life slider changes a line, not the
        bands, so scenarios that differ only in a half-life share this block.
    line_keys : dict of str to hashable
        Per marker, everything its line depends on (intensity and source): equal keys, equal
        values, so a figure can tell which lines a slider move changed.
    rows : dict of str to int
        Per marker, its row ``i`` in ``lines`` (its band: rows ``2 i`` and ``2 i + 1`` of
        ``bands``).
    """

    __slots__ = ("_curves", "bands", "line_keys", "lines", "rows")

    def __init__(self, lines: Block, bands: Block, line_keys: Mapping[str, Hashable]) -> None:
        self.lines, self.bands, self.line_keys = lines, bands, dict(line_keys)
        self.rows = {marker: i for i, marker in enumerate(self.line_keys)}
        self._curves: dict[str, Curve] = {}  # made when first asked for (a slider move is not)

    def __getitem__(self, marker: str) -> Curve:
        curve = self._curves.get(marker)
        if curve is None:
            i = self.rows[marker]  # KeyError for a marker not drawn here
            band = self.bands.values
            curve = Curve(marker, self.lines.values[i], band[2 * i], band[2 * i + 1])
            self._curves[marker] = curve
        return curve

    def __contains__(self, marker: object) -> bool:
        return marker in self.rows

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return f"Curves({', '.join(self.rows)})"


def _stacked_sources(entries) -> tuple[tuple[_Source, ...], tuple[_Source, ...]]:
    """The sources of a scenario's lines block and of its bands block (see :class:`Curves`), from
    ``(marker, sources)`` pairs as in :func:`_curve_set`."""
    levels = tuple(trio[0] for _, trio in entries)
    bands = tuple(s for _, trio in entries for s in (trio[1:] if len(trio) == 3 else trio * 2))
    return levels, bands


def _curve_set(engine: _Engine, entries, intensity: float) -> Curves:
    """:class:`Curves` from ``(marker, sources)`` pairs in drawing order, where ``sources`` is
    (level, low end, high end) of a curve and its band, or one source for a flat curve."""
    levels, bands = _stacked_sources(entries)
    return Curves(
        engine.block(levels, intensity),
        engine.block(bands, intensity),
        {marker: (intensity, trio[0]) for marker, trio in entries},
    )


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


class DropoffModel:
    """The drop-off simulation of lesson 02 on one fixed time grid.

    Each drawn marker's curve (× baseline) comes from :func:`marker_params` and the closed form of
    :mod:`widgets.hormones.models`; its band is the same curve at the low and the high end of the
    literature half-life range. Responses at intensity 1 are cached, so a slider callback that
    changes the intensity or the partnered switch only rescales arrays.

    Parameters
    ----------
    table : pandas.DataFrame
        The ``hormones`` table (``widgets.data.load("hormones")``) or a validated copy.
    t_min : array_like of float, optional
        Times in minutes relative to orgasm; default :func:`time_grid` (600 points, -60 to 300)
        with the ends of the secretion windows (where curves peak) on the grid.

    Examples
    --------
    >>> from widgets import data
    >>> table = data.load("hormones")
    >>> spec = {s.marker: s for s in marker_specs(table)}["prolactin"]
    >>> end, t_half = spec.secretion_end_min, spec.t_half_min
    >>> model = DropoffModel(table, t_min=[0.0, end, end + t_half])
    >>> level = model.curves(partnered=True)["prolactin"].level
    >>> bool(level[0] == 1.0), round(float((level[2] - 1) / (level[1] - 1)), 9)  # one half-life
    (True, 0.5)
    """

    def __init__(self, table, t_min=None) -> None:
        self.specs = marker_specs(table)
        self.markers = tuple(s.marker for s in self.specs)
        if t_min is None:
            t_min = time_grid(snap_to=tuple(sorted({s.secretion_end_min for s in self.specs})))
        self._engine = _Engine(t_min)
        self._sources: dict[tuple, _Source] = {}
        self._scenario_sources: dict[tuple, tuple] = {}  # every curve's sources, per scenario
        self._curve_sets: dict[tuple, Curves] = {}  # per whole scenario
        self._scenarios: dict[tuple, tuple[Readout, ...]] = {}  # readouts per whole scenario

    @property
    def t_min(self) -> np.ndarray:
        """The time grid, minutes relative to orgasm (read-only)."""
        return self._engine.t_min

    def spec(self, marker: str) -> MarkerSpec:
        """The :class:`MarkerSpec` of one drawn marker."""
        for s in self.specs:
            if s.marker == marker:
                return s
        raise ValueError(f"unknown marker {marker!r}; drawn markers: {', '.join(self.markers)}")

    def _source(self, spec, t_half, duration_min, partnered) -> _Source:
        # Keyed by the peak rather than the switch: only prolactin's depends on it, so the other
        # markers' sources are shared by intercourse and masturbation.
        key = (spec.marker, t_half, duration_min, spec.fold(partnered=bool(partnered)))
        return _cached(
            self._sources,
            key,
            lambda: _source(
                marker_params(
                    spec, t_half_min=t_half, duration_min=duration_min, partnered=partnered
                )
            ),
            _SOURCE_CACHE_SIZE,
        )

    def curves(
        self,
        *,
        intensity: float = DEFAULT_INTENSITY,
        duration_min: float = DEFAULT_DURATION_MIN,
        half_lives: Mapping[str, float] | None = None,
        partnered: bool = True,
    ) -> Curves:
        """Every drawn marker's :class:`Curve`, keyed by marker in table order (a read-only
        :class:`Curves`; the same object for the same scenario while it is remembered).

        Parameters as in :func:`simulate`.
        """
        c = _intensity(intensity)
        chosen = tuple(_half_lives(self.specs, half_lives).values())
        key = (c, chosen, duration_min, bool(partnered))
        return _cached(
            self._curve_sets,
            key,
            lambda: _curve_set(self._engine, self._entries(chosen, duration_min, partnered), c),
            _BLOCK_CACHE_SIZE,
        )

    def _entries(self, chosen: tuple[float, ...], duration_min, partnered):
        """(marker, sources of its curve and band) per drawn marker, for the half-lives
        ``chosen`` (in marker order); cached, so an intensity move looks them up once."""
        return _cached(
            self._scenario_sources,
            (chosen, duration_min, bool(partnered)),
            lambda: tuple(
                (
                    spec.marker,
                    tuple(
                        self._source(spec, t_half, duration_min, partnered)
                        for t_half in self._curve_half_lives(spec, chosen_t_half)
                    ),
                )
                for spec, chosen_t_half in zip(self.specs, chosen, strict=True)
            ),
        )

    @staticmethod
    def _curve_half_lives(spec, t_half: float) -> tuple[float, ...]:
        """The half-lives of one marker's curve and its band: (chosen, low end, high end), or the
        chosen one alone for a flat curve, which is its own band."""
        if spec.status == "flat":
            return (t_half,)
        return (t_half, spec.t_half_low_min, spec.t_half_high_min)

    def readouts(
        self,
        *,
        intensity: float = DEFAULT_INTENSITY,
        duration_min: float = DEFAULT_DURATION_MIN,
        half_lives: Mapping[str, float] | None = None,
        partnered: bool = True,
        tolerance: float = TOLERANCE,
    ) -> tuple[Readout, ...]:
        """One :class:`Readout` per drawn marker; see :func:`readouts`."""
        c = _intensity(intensity)
        chosen = tuple(_half_lives(self.specs, half_lives).values())
        tolerance = _tolerance(tolerance)
        key = (c, chosen, duration_min, bool(partnered), tolerance)
        return _cached(
            self._scenarios,
            key,
            lambda: tuple(
                self._engine.readout(spec.marker, spec.label, sources[0], c, tolerance)
                for spec, (_, sources) in zip(
                    self.specs, self._entries(chosen, duration_min, partnered), strict=True
                )
            ),
        )

    def frame(self, **scenario) -> pd.DataFrame:
        """:meth:`curves` as a tidy table; see :func:`simulate`."""
        return _tidy(self.specs, self.t_min, self.curves(**scenario))

    def precompute(
        self,
        *,
        durations_min: Iterable[float] = (),
        half_lives: Mapping[str, Iterable[float]] | None = None,
        duration_min: float = DEFAULT_DURATION_MIN,
        partnered: Iterable[bool] = (True, False),
    ) -> int:
        """Compute ahead the responses a simulator's controls can ask for; return how many.

        For each partnered setting: every duration in ``durations_min`` (at the central
        half-lives), and every half-life in ``half_lives[marker]`` (at ``duration_min``). A slider
        move to one of these values then only rescales arrays.
        """
        before = len(self._engine._cache)
        for p in partnered:
            for d in durations_min:
                for spec in self.specs:
                    for t_half in self._curve_half_lives(spec, spec.t_half_min):
                        self._engine.unit(self._source(spec, t_half, float(d), p))
            for marker, values in (half_lives or {}).items():
                spec = self.spec(marker)
                for t_half in values:
                    self._engine.unit(self._source(spec, float(t_half), duration_min, p))
        return len(self._engine._cache) - before


def _tidy(specs, t: np.ndarray, curves: Mapping[str, Curve]) -> pd.DataFrame:
    by_marker = {s.marker: s for s in specs}
    frames = []
    for marker, c in curves.items():
        spec = by_marker.get(marker)
        frames.append(
            pd.DataFrame(
                {
                    "marker": marker,
                    "label": spec.label if spec else STRESS_LABEL,
                    "status": spec.status if spec else "simulated",
                    "t_min": t,
                    "level": c.level,
                    "level_low": c.low,
                    "level_high": c.high,
                    "amplitude_basis": spec.peak_fold_basis if spec else "illustrative",
                    "half_life_basis": spec.half_life_basis if spec else "measured",
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


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
    return DropoffModel(table, t_min).frame(
        intensity=intensity, duration_min=duration_min, half_lives=half_lives, partnered=partnered
    )


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
    return DropoffModel(table, t_min=[0.0]).readouts(
        intensity=intensity,
        duration_min=duration_min,
        half_lives=half_lives,
        partnered=partnered,
        tolerance=tolerance,
    )


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


def _stress_source(stress: StressParams, t_half: float, steps) -> _Source:
    shifted = tuple((s + stress.delay_min, e + stress.delay_min, lv) for s, e, lv in steps)
    return _Source(rate=stress.rate(t_half), t_half=t_half, steps=shifted, baseline=1.0)


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
    source = _stress_source(stress, t_half, steps)
    return 1.0 + source.excess(np.asarray(t_min, dtype=np.float64), _intensity(intensity))


class TimescalesModel:
    """The recovery timescales of lesson 03 on one fixed time grid.

    Time 0 is the end of the activity (and orgasm, if there is one). Heart rate follows the
    activity's :func:`activity_steps` (with a wind-down it comes down during the last minutes);
    prolactin and oxytocin are released around orgasm as in lesson 02; the flat cortisol row is
    left out, its place taken by the illustrative stress curve (key :data:`STRESS`), whose band
    spans cortisol's half-life range. Bands elsewhere span each marker's range, as in lesson 02.

    Parameters
    ----------
    table : pandas.DataFrame
        The ``hormones`` table.
    stress : StressParams, optional
        Default :func:`stress_params` of ``table``.
    t_min : array_like of float, optional
        Minutes relative to the end of the activity; default ``time_grid(before_min=120,
        after_min=720)`` (600 points) with the curves' peak times on the grid.

    Examples
    --------
    >>> from widgets import data
    >>> table = data.load("hormones")
    >>> p = stress_params(table)
    >>> model = TimescalesModel(table, t_min=[p.delay_min, p.delay_min + p.t_half_min])
    >>> model.curves()["stress"].level.round(3).tolist()
    [1.5, 1.25]
    """

    def __init__(self, table, stress: StressParams | None = None, t_min=None) -> None:
        self.specs = tuple(s for s in marker_specs(table) if s.status != "flat")
        self.stress = stress_params(table) if stress is None else stress
        self.markers = (*(s.marker for s in self.specs), STRESS)
        if t_min is None:
            peaks = {s.secretion_end_min for s in self.specs} | {self.stress.delay_min}
            t_min = time_grid(before_min=120.0, after_min=720.0, snap_to=tuple(sorted(peaks)))
        self._engine = _Engine(t_min)
        self._cache: dict[tuple, list] = {}
        self._curve_sets: dict[tuple, Curves] = {}  # per whole scenario
        self._scenarios: dict[tuple, tuple[Readout, ...]] = {}  # readouts per whole scenario

    @property
    def t_min(self) -> np.ndarray:
        """The time grid, minutes relative to the end of the activity (read-only)."""
        return self._engine.t_min

    def _sources(self, duration_min, abrupt_end, partnered):
        """(marker, label, central source, low source, high source) for every curve."""
        key = (duration_min, bool(abrupt_end), bool(partnered))
        return _cached(
            self._cache, key, lambda: self._build_sources(duration_min, abrupt_end, partnered)
        )

    def _build_sources(self, duration_min, abrupt_end, partnered):
        steps = _stress_steps(self.stress, duration_min, abrupt_end)
        out = []
        for spec in self.specs:
            trio = []
            for t_half in (spec.t_half_min, spec.t_half_low_min, spec.t_half_high_min):
                p = marker_params(
                    spec, t_half_min=t_half, duration_min=duration_min, partnered=partnered
                )
                trio.append(_source(p, steps if spec.tracks == ACTIVITY else None))
            out.append((spec.marker, spec.label, *trio))
        s = self.stress
        trio = [
            _stress_source(s, t, steps) for t in (s.t_half_min, s.t_half_low_min, s.t_half_high_min)
        ]
        out.append((STRESS, STRESS_LABEL, *trio))
        return tuple(out)

    def curves(
        self,
        *,
        intensity: float = DEFAULT_INTENSITY,
        duration_min: float = DEFAULT_SCENE_MIN,
        abrupt_end: bool = True,
        partnered: bool = True,
    ) -> Curves:
        """Every curve (× baseline), keyed by marker, then ``"stress"`` (a read-only
        :class:`Curves`); see :func:`timescales`."""
        c = _intensity(intensity)
        key = (c, duration_min, bool(abrupt_end), bool(partnered))
        return _cached(
            self._curve_sets,
            key,
            lambda: _curve_set(self._engine, self._entries(duration_min, abrupt_end, partnered), c),
            _BLOCK_CACHE_SIZE,
        )

    def _entries(self, duration_min, abrupt_end, partnered) -> list[tuple[str, tuple]]:
        """(marker, sources of its curve and band) per curve, as :func:`_curve_set` takes them."""
        return [
            (m, tuple(trio)) for m, _, *trio in self._sources(duration_min, abrupt_end, partnered)
        ]

    def readouts(
        self,
        *,
        intensity: float = DEFAULT_INTENSITY,
        duration_min: float = DEFAULT_SCENE_MIN,
        abrupt_end: bool = True,
        partnered: bool = True,
        tolerance: float = TOLERANCE,
    ) -> tuple[Readout, ...]:
        """One :class:`Readout` per curve; see :func:`timescale_readouts`."""
        c = _intensity(intensity)
        tolerance = _tolerance(tolerance)
        key = (c, duration_min, bool(abrupt_end), bool(partnered), tolerance)
        return _cached(
            self._scenarios,
            key,
            lambda: tuple(
                self._engine.readout(marker, label, central, c, tolerance)
                for marker, label, central, _, _ in self._sources(
                    duration_min, abrupt_end, partnered
                )
            ),
        )

    def frame(self, **scenario) -> pd.DataFrame:
        """:meth:`curves` as a tidy table; see :func:`timescales`."""
        return _tidy(self.specs, self.t_min, self.curves(**scenario))

    def precompute(
        self,
        *,
        durations_min: Iterable[float] = (),
        abrupt_end: Iterable[bool] = (True, False),
        partnered: Iterable[bool] = (True,),
    ) -> int:
        """Compute ahead the responses for every duration and ending; return how many.

        A slider move to one of these settings then only rescales arrays.
        """
        before = len(self._engine._cache)
        for p in partnered:
            for a in abrupt_end:
                for d in durations_min:
                    # Every curve here depends on the duration: the stacks of its lines' and
                    # bands' responses (computing those responses) are kept for the model's life
                    # (a few MB for the slider's positions), so a duration move only rescales.
                    for sources in _stacked_sources(self._entries(float(d), a, p)):
                        self._engine.pin_stack(sources)
        return len(self._engine._cache) - before


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
    return TimescalesModel(table, stress, t_min).frame(
        intensity=intensity, duration_min=duration_min, abrupt_end=abrupt_end, partnered=partnered
    )


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
    return TimescalesModel(table, stress, t_min=[0.0]).readouts(
        intensity=intensity,
        duration_min=duration_min,
        abrupt_end=abrupt_end,
        partnered=partnered,
        tolerance=tolerance,
    )
