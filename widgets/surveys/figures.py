"""Figures for lesson 05's survey simulators, each with a plain-text description.

Three builders, one per interactive figure, each paired with

* a ``*_patch`` function returning a :class:`FigurePatch`: the trace values (and the few layout
  values) that change when the simulator's inputs change. The builder draws the patch onto a fixed
  set of styled traces (:func:`apply_patch`, with plotly's public ``update`` methods), and a UI
  sends a new patch to its :class:`widgets.plot.Plot` (``plot.update(data=patch.traces,
  layout=patch.layout)``), so the figure is never re-created;
* a ``describe_*`` function returning the figure's text description, for screen readers, print
  and nbval.

Every plotted number is in percent and rounded with :func:`widgets.theme.round_values`, so figure
JSON is identical on any CPU. Patches carry numpy arrays (gaps as NaN) and hover labels are
templates fixed when the figure is built, so an update sends numbers only. Axis ranges come from
the models' own bounds for every setting of a figure's sliders, not from the data drawn, so they
stay still while a slider is dragged (plotly.js redraws a figure about twice as fast when no axis
range changes) and a change shows as a change of the data, on the same scale. Colour is never
the only cue: each series also has its own line dash and marker symbol
(:func:`widgets.theme.style`), and the descriptions name series by their line and marker, not
their colour.

Nothing here displays a figure or imports ipywidgets.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from widgets import theme
from widgets.surveys.models import (
    EstimateHistogram,
    RecallSurvey,
    SurveyBatch,
    VolunteerSurveys,
    histogram_peak,
    plausible_range,
    standard_error,
)

__all__ = [
    "METHOD_NAMES",
    "FigurePatch",
    "apply_patch",
    "describe_recall_figure",
    "describe_survey_figure",
    "describe_volunteer_figure",
    "recall_figure",
    "recall_patch",
    "survey_figure",
    "survey_patch",
    "volunteer_figure",
    "volunteer_patch",
]

#: Interval methods in words, as the figures and descriptions name them.
METHOD_NAMES: dict[str, str] = {
    "wilson": "Wilson",
    "exact": "exact (Clopper–Pearson)",
    "wald": "Wald (textbook)",
}

_TRUTH = {"color": "#000000", "dash": "dot", "width": 2}
_MUTED = "#6E6E6E"
_BAR = "#BDBDBD"
_BAR_LINE = "#6E6E6E"
_DEFAULT_HEIGHT = 480
_WEEK_TICKS = (
    (1, "1 week"),
    (4, "4 weeks"),
    (13, "3 months"),
    (52, "1 year"),
    (260, "5 years"),
    (520, "10 years"),
    (1040, "20 years"),
    (2080, "40 years"),
    (4160, "80 years"),
)


@dataclass(frozen=True)
class FigurePatch:
    """New values for a figure built by one of this module's builders.

    Attributes
    ----------
    traces : tuple of dict
        One dict per trace, in trace order, every dict with the same keys: the plotly properties
        that change with the data (here always ``x`` and ``y``).
    layout : dict
        Layout properties that change with the data, as dotted paths (``"yaxis.range"``).
    """

    traces: tuple[dict[str, Any], ...]
    layout: dict[str, Any] = field(default_factory=dict)


def apply_patch(fig: go.Figure, patch: FigurePatch) -> None:
    """Write ``patch`` into ``fig``, a figure made by this patch's builder, in place.

    Each trace gets its values with ``trace.update(...)`` and the layout with
    ``fig.update_layout(...)`` (plotly's public update methods; dotted layout paths become
    nested dicts, which ``update_layout`` merges into what is there).

    Raises
    ------
    ValueError
        If the patch has a different number of traces from the figure, or its traces do not all
        set the same properties; plotly's own ValueError if a key is not a property.
    """
    data = fig.data
    if len(patch.traces) != len(data):
        raise ValueError(
            f"the patch has {len(patch.traces)} traces but the figure has {len(data)}; "
            "apply a patch only to the figure its builder made"
        )
    keys = list(patch.traces[0]) if patch.traces else []
    if any(list(t) != keys for t in patch.traces):
        raise ValueError(f"every trace of a patch must set the same keys, {keys}")
    for trace, values in zip(data, patch.traces, strict=True):
        trace.update(values)
    fig.update_layout(_nested(patch.layout))


def _nested(paths: Mapping[str, Any]) -> dict[str, Any]:
    """``{"yaxis.range": r}`` -> ``{"yaxis": {"range": r}}``."""
    out: dict[str, Any] = {}
    for path, value in paths.items():
        *parents, last = path.split(".")
        node = out
        for name in parents:
            node = node.setdefault(name, {})
        node[last] = value
    return out


# --------------------------------------------------------------------------------------------------
# Small helpers


def _r(values: Any, decimals: int = 4) -> np.ndarray:
    """Rounded float array for plotting (NaN stays NaN: a gap in a line)."""
    return theme.round_values(values, decimals)


def _hover(text: str) -> str:
    return text + "<extra></extra>"


def _scatter(
    name: str,
    hover: str,
    style: Mapping[str, str] | None = None,
    *,
    width: float | None = None,
    size: int | None = None,
    **kwargs: Any,
) -> go.Scatter:
    """A scatter trace in series ``style`` (from :func:`widgets.theme.style`).

    ``width`` gives lines in the style's colour and dash, ``size`` markers in its colour and
    symbol; a ``line`` or ``marker`` keyword may be passed instead. The mode follows: lines,
    markers or both. ``hover`` is the hover template without the secondary box; other keywords go
    to ``go.Scatter``.
    """
    if width is not None:
        kwargs["line"] = {"color": style["color"], "dash": style["dash"], "width": width}
    if size is not None:
        kwargs["marker"] = {"color": style["color"], "symbol": style["symbol"], "size": size}
    mode = "+".join(m for m, key in (("lines", "line"), ("markers", "marker")) if key in kwargs)
    return go.Scatter(mode=mode, name=name, hovertemplate=_hover(hover), **kwargs)


def _round(value: float, decimals: int) -> float:
    """``float(theme.round_values(value, decimals))`` for one number, without numpy's per-call cost.

    numpy rounds by multiplying by 10**decimals, rounding half to even and dividing back; Python's
    ``round`` of a float with no digits rounds half to even too, so this gives the same number,
    bit for bit (``tests/test_surveys_figures.py`` checks it). A description formats dozens of
    numbers on every simulator update, and numpy's overhead on each was a tenth of the update.
    """
    x = float(value)
    if not math.isfinite(x):
        return float(theme.round_values(x, decimals))
    scale = 10.0**decimals
    return round(x * scale) / scale


def _pct(value: float) -> float:
    return _round(100 * value, 4)


def _fmt(value_pct: float) -> str:
    """A percentage with one decimal, e.g. ``46.0``."""
    return f"{_round(value_pct, 1):.1f}"


def _percentiles(values: np.ndarray, percents: Sequence[float]) -> list[float]:
    """``np.percentile(values, percents)`` of a 1-D array, by numpy's own arithmetic.

    numpy's default ("linear") method sorts, takes the two neighbours of position
    ``(size - 1) * percent / 100`` and interpolates between them, from the lower neighbour below
    the midpoint and back from the upper one above it; this does the same operations in the same
    order, so the numbers are identical (``tests/test_surveys_figures.py`` checks it), without the
    general machinery that made ``np.percentile`` a third of a description's cost.
    """
    ordered = np.sort(values)
    last = ordered.size - 1
    out = []
    for percent in percents:
        position = last * (percent / 100)
        below = math.floor(position)
        if position >= last:  # numpy takes the largest value
            out.append(float(ordered[last]))
            continue
        a, b = float(ordered[below]), float(ordered[below + 1])
        gap, weight = b - a, position - below
        out.append(b - gap * (1 - weight) if weight >= 0.5 else a + gap * weight)
    return out


def _segments(x: Any, low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vertical segments at ``x`` from ``low`` to ``high``, separated by gaps (one trace)."""
    xs = np.repeat(np.asarray(x, dtype=float), 3)
    ys = np.column_stack([low, high, np.full(len(low), np.nan)]).ravel()
    xs[2::3] = np.nan
    return _r(xs), _r(ys)


def _finish(fig: go.Figure, title: str | None, height: int | None) -> go.Figure:
    """Shared tail: template, height, a legend above the plot, and a title above the legend."""
    fig.update_layout(
        template=theme.TEMPLATE,
        height=int(height) if height is not None else _DEFAULT_HEIGHT,
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
        margin={"t": 130 if title is not None else 90},
    )
    if title is not None:
        fig.update_layout(title={"text": title, "yref": "container", "y": 0.98, "yanchor": "top"})
    return fig


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def _list_numbers(values: Sequence[int], limit: int = 12) -> str:
    shown = ", ".join(str(v) for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


# --------------------------------------------------------------------------------------------------
# 1. Sampling variability and interval coverage: 100 surveys, 100 intervals, one histogram.

_SURVEY_TRACES = (
    "covered intervals",
    "covered estimates",
    "missed intervals",
    "missed estimates",
    "true value (left)",
    "histogram",
    "theory",
    "true value (right)",
)


def _outward(low: float, high: float, step: float = 10.0) -> list[float]:
    """``[low, high]`` (percent) widened to multiples of ``step`` within 0-100."""
    return [
        max(0.0, step * math.floor(low / step + 1e-9)),
        min(100.0, step * math.ceil(high / step - 1e-9)),
    ]


def _survey_ranges(
    batch: SurveyBatch, histogram: EstimateHistogram, sizes: Sequence[int] | None
) -> tuple[list[float], float]:
    """The prevalence axis and the top of the histogram axis: what fits surveys of every size in
    ``sizes`` (and the batch's own size) at this prevalence, with any interval method, so neither
    moves while the survey size or the method changes; rounded, so the prevalence axis moves
    only now and then as the prevalence does."""
    every = sorted({batch.n_people, *(sizes or ())})
    low, high = plausible_range(prevalence=batch.prevalence, sizes=every, alpha=batch.alpha)
    low = min(100 * low, 100 * float(batch.lower.min()))
    high = max(100 * high, 100 * float(batch.upper.max()))
    peak = histogram_peak(prevalence=batch.prevalence, sizes=every, n_surveys=batch.n_surveys)
    # Room for chance: a bin's count is about Poisson around its expectation.
    top = max(peak + 4 * math.sqrt(peak) + 1, float(histogram.observed.max()) * 1.05)
    return _outward(low, high), 10.0 * math.ceil(top / 10)


def survey_patch(
    batch: SurveyBatch, histogram: EstimateHistogram, *, sizes: Sequence[int] | None = None
) -> FigurePatch:
    """The values of :func:`survey_figure`'s traces for one batch of surveys (see module doc).

    ``sizes``: every survey size the figure will show (a slider's choices); the axes fit them
    all, so that they stay still while the size changes.
    """
    number = np.arange(1, batch.n_surveys + 1)
    est, low, high = _r(100 * batch.estimate), 100 * batch.lower, 100 * batch.upper
    covered = batch.covered
    traces: list[dict[str, Any]] = []
    for keep in (covered, ~covered):
        x, y = _segments(number[keep], low[keep], high[keep])
        traces.append({"x": x, "y": y})
        traces.append({"x": number[keep], "y": est[keep]})
    p = _pct(batch.prevalence)
    traces.append({"x": [0.5, batch.n_surveys + 0.5], "y": [p, p]})
    centers = _r(100 * histogram.center)
    # No bar widths: plotly draws touching bars from the (equal) spacing of the centres.
    traces.append({"x": histogram.observed, "y": centers})
    traces.append({"x": _r(histogram.expected, 2), "y": centers})
    y_range, top = _survey_ranges(batch, histogram, sizes)
    traces.append({"x": [0, top], "y": [p, p]})
    return FigurePatch(tuple(traces), {"yaxis.range": y_range, "xaxis2.range": [0, top]})


def survey_figure(
    batch: SurveyBatch,
    histogram: EstimateHistogram,
    *,
    sizes: Sequence[int] | None = None,
    title: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Many simulated surveys: each one's interval (left) and how the estimates spread (right).

    Left panel: one vertical line per survey from its lower to its upper interval bound, with a
    marker at its estimate; intervals that contain the true prevalence are solid lines with circle
    markers, intervals that miss it dashed lines with square markers. A dotted horizontal line is
    the true prevalence. Right panel, sharing the prevalence axis: a histogram of the estimates
    (grey bars) beside the counts the binomial distribution expects (dotted line with diamonds).

    Parameters
    ----------
    batch : widgets.surveys.models.SurveyBatch
    histogram : widgets.surveys.models.EstimateHistogram
        ``estimate_histogram(batch)``.
    sizes : sequence of int, optional
        Every survey size the figure will show (as for :func:`survey_patch`): the axes fit them
        all.
    title : str, optional
    height : int, optional
        Pixels; default 480.

    Returns
    -------
    plotly.graph_objects.Figure
        Eight traces, in the order of :func:`survey_patch`.

    Examples
    --------
    >>> from widgets.surveys import models
    >>> batch = models.simulate_surveys(prevalence=0.46, n_people=230, n_surveys=100,
    ...                                 rng=np.random.default_rng(1))
    >>> fig = survey_figure(batch, models.estimate_histogram(batch))
    >>> [t.name for t in fig.data if t.showlegend is not False]
    ['interval contains the true value', 'interval misses the true value', 'true prevalence', \
'estimates per bin', 'expected from theory']
    """
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        column_widths=[0.74, 0.26],
        horizontal_spacing=0.03,
    )
    hit, miss, theory = theme.style(0), theme.style(1), theme.style(2)
    estimate_hover = "survey %{x}: estimate %{y:.1f}%"
    truth_hover = "true prevalence %{y:.1f}%"
    left = [
        _scatter(
            "interval contains the true value",
            "survey %{x}: interval bound %{y:.1f}%",
            hit,
            width=1.5,
            legendgroup="hit",
        ),
        _scatter(
            "estimate (interval contains the true value)",
            estimate_hover,
            hit,
            size=5,
            legendgroup="hit",
            showlegend=False,
        ),
        _scatter(
            "interval misses the true value",
            "survey %{x}: interval bound %{y:.1f}% (misses)",
            miss,
            width=3,
            legendgroup="miss",
        ),
        _scatter(
            "estimate (interval misses the true value)",
            estimate_hover,
            miss,
            size=8,
            legendgroup="miss",
            showlegend=False,
        ),
        _scatter("true prevalence", truth_hover, legendgroup="truth", line=_TRUTH),
    ]
    right = [
        go.Bar(
            orientation="h",
            name="estimates per bin",
            marker={"color": _BAR, "line": {"color": _BAR_LINE, "width": 1}},
            hovertemplate=_hover("%{x} surveys with an estimate near %{y:.1f}%"),
        ),
        _scatter(
            "expected from theory",
            "expected from theory: %{x:.1f} surveys near %{y:.1f}%",
            theory,
            width=2,
            size=6,
        ),
        _scatter(
            "true prevalence", truth_hover, legendgroup="truth", showlegend=False, line=_TRUTH
        ),
    ]
    for col, traces in ((1, left), (2, right)):
        for trace in traces:
            fig.add_trace(trace, row=1, col=col)
    apply_patch(fig, survey_patch(batch, histogram, sizes=sizes))
    fig.update_xaxes(
        title_text="survey number (one vertical line per survey: its 95% interval)",
        range=[0, batch.n_surveys + 1],
        showgrid=False,
        row=1,
        col=1,
    )
    fig.update_xaxes(title_text="surveys per bin", row=1, col=2)
    fig.update_yaxes(title_text="prevalence (%)", row=1, col=1)
    fig.update_layout(bargap=0)
    return _finish(fig, title, height)


def describe_survey_figure(
    batch: SurveyBatch,
    histogram: EstimateHistogram,
    *,
    theory: Mapping[str, float] | None = None,
    same_surveys: Mapping[str, float] | None = None,
) -> str:
    """Describe :func:`survey_figure` in plain text, with its rounded numbers.

    Parameters
    ----------
    batch, histogram
        As for :func:`survey_figure`.
    theory : mapping of str to float, optional
        Exact coverage probability by interval method (``{"wilson": 0.953, "wald": 0.945}``), from
        :func:`widgets.surveys.models.theoretical_coverage`; added as a line.
    same_surveys : mapping of str to float, optional
        Coverage of the *same* simulated surveys with other interval methods, from
        :func:`widgets.surveys.models.interval_coverage`; added as a line.

    Returns
    -------
    str
        Several lines; numbers rounded to one decimal, so the text is the same on every machine.

    Examples
    --------
    >>> from widgets.surveys import models
    >>> batch = models.simulate_surveys(prevalence=0.46, n_people=230, n_surveys=100,
    ...                                 rng=np.random.default_rng(1))
    >>> print(describe_survey_figure(batch, models.estimate_histogram(batch)))
    100 simulated surveys (illustrative) of 230 people each, from a population in which 46.0%
    have had the experience (dotted line). Left: one vertical line per survey, from the lower to
    the upper bound of its 95% Wilson interval, with a marker at the survey's estimate.
    Coverage: 95 of 100 intervals (95%) contain the true value (solid lines, circles); 5 miss it
    (dashed lines, squares): surveys 10, 47, 53, 65, 86.
    Spread (right, histogram of the estimates): from 40.9% to 54.3%; standard deviation 3.2 points
    (theory: 3.3); the middle 95% of estimates lie between 40.9% and 53.0%.
    """
    n, k = batch.n_people, batch.n_surveys
    est = 100 * batch.estimate
    missed = (np.flatnonzero(~batch.covered) + 1).tolist()
    level = f"{100 * (1 - batch.alpha):.4g}%"
    lines = [
        f"{_count(k, 'simulated survey')} (illustrative) of {n:,} people each, from a population "
        "in which "
        f"{_fmt(100 * batch.prevalence)}% have had the experience (dotted line). Left: one "
        f"vertical line per survey, from the lower to the upper bound of its {level} "
        f"{METHOD_NAMES[batch.method]} interval, with a marker at the survey's estimate.",
        f"Coverage: {batch.n_covered} of {k} intervals ({100 * batch.coverage:.0f}%) contain the "
        "true value (solid lines, circles); "
        + (
            f"{len(missed)} miss it (dashed lines, squares): surveys {_list_numbers(missed)}."
            if missed
            else "none misses it."
        ),
    ]
    se = 100 * standard_error(prevalence=batch.prevalence, n_people=n)
    mid_low, mid_high = _percentiles(est, (2.5, 97.5))
    lines.append(
        f"Spread (right, histogram of the estimates): from {_fmt(est.min())}% to "
        f"{_fmt(est.max())}%; standard deviation {_fmt(est.std())} points (theory: {_fmt(se)}); "
        f"the middle 95% of estimates lie between {_fmt(mid_low)}% and {_fmt(mid_high)}%."
    )
    if theory:
        parts = [f"{METHOD_NAMES[m]} {100 * c:.1f}%" for m, c in theory.items()]
        lines.append(
            f"In theory, at this prevalence and n = {n:,}, the share of all possible surveys whose "
            f"{level} interval contains the true value is: " + "; ".join(parts) + "."
        )
    if same_surveys:
        parts = [f"{METHOD_NAMES[m]} {round(c * k)} of {k}" for m, c in same_surveys.items()]
        lines.append(
            "The same surveys with other intervals, how many contain the true value: "
            + "; ".join(parts)
            + "."
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# 2. Volunteer bias: bigger samples, narrower intervals, same wrong value.


def _x_span(sizes: np.ndarray) -> list[float]:
    return _r([float(sizes.min()) / 1.4, float(sizes.max()) * 1.4], 2).tolist()


def volunteer_patch(res: VolunteerSurveys) -> FigurePatch:
    """The values of :func:`volunteer_figure`'s traces (see module doc)."""
    sizes = res.n_people
    span = _x_span(sizes)
    p, p_resp = _pct(res.prevalence), _pct(res.respondent_prevalence)
    est, low, high = 100 * res.estimate[:, 0], 100 * res.lower[:, 0], 100 * res.upper[:, 0]
    seg_x, seg_y = _segments(sizes, low, high)
    return FigurePatch(
        (
            {"x": span, "y": [p, p]},
            {"x": span, "y": [p_resp, p_resp]},
            {"x": seg_x, "y": seg_y},
            {"x": sizes, "y": _r(est)},
        ),
        # Every setting of the sliders fits on the whole prevalence scale, so the axis stays.
        {"yaxis.range": [0, 100], "xaxis.tickvals": sizes},
    )


def volunteer_figure(
    res: VolunteerSurveys, *, title: str | None = None, height: int | None = None
) -> go.Figure:
    """Volunteer surveys of growing size: the interval narrows around the wrong value.

    The x axis is the number of respondents per survey (log scale). A dotted line is the true
    prevalence among everyone invited; a dashed line is the prevalence among the people who
    answer, which every survey estimates. Circles on solid vertical lines are one simulated survey
    at each size: its estimate and its 95% interval.

    Parameters
    ----------
    res : widgets.surveys.models.VolunteerSurveys
    title : str, optional
    height : int, optional

    Returns
    -------
    plotly.graph_objects.Figure
        Four traces, in the order of :func:`volunteer_patch`.

    Examples
    --------
    >>> from widgets.surveys import models
    >>> res = models.simulate_volunteer_surveys(
    ...     prevalence=0.2, response_if_yes=0.6, response_if_no=0.3, n_people=[50, 500, 2000],
    ...     n_surveys=100, rng=np.random.default_rng(1))
    >>> fig = volunteer_figure(res)
    >>> fig.layout.xaxis.type, list(fig.data[1].y)
    ('log', [33.3333, 33.3333])
    """
    hit, wrong = theme.style(0), theme.style(1)
    fig = go.Figure(
        [
            _scatter(
                "true prevalence (everyone invited)", "true prevalence %{y:.1f}%", line=_TRUTH
            ),
            _scatter(
                "prevalence among people who answer",
                "prevalence among people who answer %{y:.1f}%",
                wrong,
                width=2,
            ),
            _scatter(
                "95% interval",
                "%{x:,} respondents: interval bound %{y:.1f}%",
                hit,
                width=2,
                legendgroup="survey",
                showlegend=False,
            ),
            _scatter(
                "one survey at each size, with its 95% interval",
                "%{x:,} respondents: estimate %{y:.1f}%",
                hit,
                size=9,
                legendgroup="survey",
            ),
        ]
    )
    apply_patch(fig, volunteer_patch(res))
    fig.update_layout(
        xaxis={"type": "log", "title": {"text": "people who answered (log scale)"}},
        yaxis={"title": {"text": "prevalence (%)"}},
    )
    return _finish(fig, title, height)


def describe_volunteer_figure(res: VolunteerSurveys) -> str:
    """Describe :func:`volunteer_figure` in plain text, with the coverage at each sample size.

    Examples
    --------
    >>> from widgets.surveys import models
    >>> res = models.simulate_volunteer_surveys(
    ...     prevalence=0.2, response_if_yes=0.6, response_if_no=0.3, n_people=[50, 2000],
    ...     n_surveys=100, rng=np.random.default_rng(1))
    >>> print(describe_volunteer_figure(res))
    Simulated volunteer surveys (illustrative): 20.0% of the people invited have had the
    experience (dotted line). People who have had it answer with probability 60%, the others with
    probability 30%, so 36.0% of those invited answer and 33.3% of the people who answer have had
    it (dashed line): every survey aims at a value 13.3 points too high.
    One simulated survey at each size (circles on vertical lines, 95% Wilson intervals): 50 people:
    34.0% (22.4–47.8);
    2,000 people: 34.4% (32.3–36.5).
    Of 100 simulated surveys at each size, the share whose interval contains the true 20.0% (in
    brackets: the exact long-run share, from the binomial distribution): 50 people: 34% (36.9%);
    2,000 people: 0% (0.0%). A bigger sample narrows the interval but does not move it towards the
    truth.
    """
    p, p_resp = 100 * res.prevalence, 100 * res.respondent_prevalence
    bias = p_resp - p
    if abs(bias) < 0.05:
        aim = "every survey aims at the true value: answering does not depend on the experience."
    else:
        aim = (
            f"every survey aims at a value {_fmt(abs(bias))} points too "
            f"{'high' if bias > 0 else 'low'}."
        )
    level = f"{100 * (1 - res.alpha):.4g}%"
    est, low, high = 100 * res.estimate[:, 0], 100 * res.lower[:, 0], 100 * res.upper[:, 0]
    one = "; ".join(
        f"{s:,} people: {_fmt(e)}% ({_fmt(lo)}–{_fmt(hi)})"
        for s, e, lo, hi in zip(res.n_people, est, low, high, strict=True)
    )
    cover = "; ".join(
        f"{s:,} people: {100 * c:.0f}% ({100 * e:.1f}%)"
        for s, c, e in zip(res.n_people, res.coverage, res.exact_coverage, strict=True)
    )
    return "\n".join(
        [
            f"Simulated volunteer surveys (illustrative): {_fmt(p)}% of the people invited have "
            f"had the experience (dotted line). People who have had it answer with probability "
            f"{100 * res.response_if_yes:.0f}%, the others with probability "
            f"{100 * res.response_if_no:.0f}%, so "
            f"{_fmt(100 * res.response_rate)}% of those invited answer and {_fmt(p_resp)}% of the "
            f"people who answer have had it (dashed line): {aim}",
            f"One simulated survey at each size (circles on vertical lines, {level} "
            f"{METHOD_NAMES[res.method]} intervals): {one}.",
            f"Of {res.n_surveys} simulated surveys at each size, the share whose interval contains "
            f"the true {_fmt(p)}% (in brackets: the exact long-run share, from the binomial "
            f"distribution): {cover}. A bigger sample narrows the interval but does not move it "
            "towards the truth.",
        ]
    )


# --------------------------------------------------------------------------------------------------
# 3. Recall period: the same people, a short and a long window.


def _week_ticks(max_weeks: float) -> tuple[list[int], list[str]]:
    ticks = [(w, t) for w, t in _WEEK_TICKS if w <= max_weeks * 1.05]
    return [w for w, _ in ticks], [t for _, t in ticks]


# Survey and measured points sit at the same windows; nudge them apart on the log axis.
_DODGE = 10**0.025


def recall_patch(
    survey: RecallSurvey,
    curve_weeks: Any,
    curve_prevalence: Any,
    measured: pd.DataFrame | Mapping[str, Any] | None = None,
    *,
    max_weeks: float | None = None,
) -> FigurePatch:
    """The values of :func:`recall_figure`'s traces (see module doc and :func:`recall_figure`).

    ``max_weeks``: the longest recall window the figure will show (a slider's longest
    lifetime); the x axis reaches it whatever the window drawn, so it stays still while the
    years change. The prevalence axis is the whole 0-100% scale, which every setting fits.
    """
    weeks = np.asarray(curve_weeks, dtype=float)
    prev = 100 * np.asarray(curve_prevalence, dtype=float)
    s = _pct(survey.susceptible)
    est, low, high = 100 * survey.estimate, 100 * survey.lower, 100 * survey.upper
    span = [1.0, float(weeks.max())]
    at = survey.weeks / (_DODGE if measured is not None else 1)
    seg_x, seg_y = _segments(at, low, high)
    traces: list[dict[str, Any]] = [
        {"x": _r(weeks, 3), "y": _r(prev)},
        {"x": span, "y": [s, s]},
        {"x": seg_x, "y": seg_y},
        {"x": _r(at, 3), "y": _r(est)},
    ]
    if measured is not None:
        m_est = np.asarray(measured["percent"], dtype=float)
        m_low = np.asarray(measured["low_pct"], dtype=float)
        m_high = np.asarray(measured["high_pct"], dtype=float)
        m_at = np.asarray(measured["weeks"], dtype=float) * _DODGE
        seg_x, seg_y = _segments(m_at, m_low, m_high)
        traces += [{"x": seg_x, "y": seg_y}, {"x": _r(m_at, 3), "y": _r(m_est)}]
    reach = max(span[1], float(max_weeks or 0))
    tickvals, ticktext = _week_ticks(reach)
    return FigurePatch(
        tuple(traces),
        {
            "xaxis.range": _r([0, math.log10(reach * 1.3)], 4).tolist(),
            "xaxis.tickvals": tickvals,
            "xaxis.ticktext": ticktext,
            "yaxis.range": [0, 100],
        },
    )


def _interval_traces(name: str, style: dict[str, str], size: int, hover: str) -> list[go.Scatter]:
    """A vertical-line trace for intervals and a marker trace for estimates, one legend entry."""
    return [
        _scatter(
            f"{name}: 95% interval",
            f"{html.escape(name)}: interval bound %{{y:.1f}}%",
            style,
            width=2,
            legendgroup=name,
            showlegend=False,
        ),
        _scatter(
            name,
            hover,
            style,
            size=size,
            legendgroup=name,
            text=list(RecallSurvey.WINDOWS),
        ),
    ]


def recall_figure(
    survey: RecallSurvey,
    curve_weeks: Any,
    curve_prevalence: Any,
    measured: pd.DataFrame | Mapping[str, Any] | None = None,
    *,
    measured_name: str = "measured",
    max_weeks: float | None = None,
    title: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Prevalence against the length of the recall window: model, simulated survey, measurement.

    The x axis is the recall window (log scale, 1 week to the lifetime window). A solid line is the
    model's share of people who have had the experience at least once within the window; a dotted
    grey line the share who can have it at all (the ceiling). Squares on dashed vertical lines are
    a simulated survey's past-four-weeks and lifetime estimates with their 95% intervals;
    diamonds on dotted vertical lines, if given, are the measured figures (drawn just right of the
    simulated ones).

    Parameters
    ----------
    survey : widgets.surveys.models.RecallSurvey
    curve_weeks, curve_prevalence : array_like
        The model curve: windows in weeks and prevalence (proportions), from
        :func:`widgets.surveys.models.recall_prevalence`.
    measured : pandas.DataFrame or mapping of str to array, optional
        Columns ``weeks``, ``percent``, ``low_pct`` and ``high_pct``, e.g. from
        :func:`widgets.surveys.models.recall_study_points`. A mapping of those names to numpy
        arrays gives the same figure; a UI that redraws on every slider move passes one, because
        reading a DataFrame's columns costs more than the rest of the patch.
    measured_name : str, default "measured"
        Legend name of the measured points.
    max_weeks : float, optional
        The longest recall window the figure will show (as for :func:`recall_patch`).
    title : str, optional
    height : int, optional

    Returns
    -------
    plotly.graph_objects.Figure
        Four traces (six with ``measured``), in the order of :func:`recall_patch`.

    Examples
    --------
    >>> from widgets.surveys import models
    >>> survey = models.simulate_recall_survey(
    ...     susceptible=0.41, per_encounter_prob=0.17, encounters_per_4_weeks=4, years_active=10,
    ...     n_people=1208, rng=np.random.default_rng(1))
    >>> weeks = np.geomspace(1, 520, 5)
    >>> prev = models.recall_prevalence(weeks=weeks, susceptible=0.41, per_encounter_prob=0.17,
    ...                                 encounters_per_4_weeks=4)
    >>> fig = recall_figure(survey, weeks, prev)
    >>> list(fig.layout.xaxis.ticktext)
    ['1 week', '4 weeks', '3 months', '1 year', '5 years', '10 years']
    """
    model, sim, meas = theme.style(0), theme.style(1), theme.style(2)
    traces = [
        _scatter(
            "model: had it at least once within the window",
            "within %{x:,.0f} weeks: %{y:.1f}%",
            model,
            width=2.5,
        ),
        _scatter(
            "share who can have it at all",
            "share who can have it at all: %{y:.1f}%",
            line={"color": _MUTED, "dash": "dot", "width": 1.5},
        ),
        *_interval_traces(
            f"simulated survey of {survey.n_people:,} people",
            sim,
            9,
            "simulated survey, %{text}: %{y:.1f}%",
        ),
    ]
    if measured is not None:
        traces += _interval_traces(
            measured_name, meas, 11, f"{html.escape(measured_name)}, %{{text}}: %{{y:.1f}}%"
        )
    fig = go.Figure(traces)
    apply_patch(
        fig, recall_patch(survey, curve_weeks, curve_prevalence, measured, max_weeks=max_weeks)
    )
    fig.update_layout(
        xaxis={"type": "log", "title": {"text": "recall window: had it within the last ..."}},
        yaxis={"title": {"text": "prevalence (%)"}},
    )
    return _finish(fig, title, height)


def describe_recall_figure(
    survey: RecallSurvey,
    measured: pd.DataFrame | Mapping[str, Any] | None = None,
    *,
    measured_name: str = "measured",
) -> str:
    """Describe :func:`recall_figure` in plain text, with the parameters and rounded numbers.

    ``measured`` is as for :func:`recall_figure` (a DataFrame or a mapping of column to array).

    Examples
    --------
    >>> from widgets.surveys import models
    >>> survey = models.simulate_recall_survey(
    ...     susceptible=0.41, per_encounter_prob=0.17, encounters_per_4_weeks=4, years_active=10,
    ...     n_people=1208, rng=np.random.default_rng(1))
    >>> print(describe_recall_figure(survey))
    Recall model (illustrative parameters): 41.0% of people can have the experience; for them,
    each time they have sex is followed by it with probability 17.0%; people have sex 4 times per
    4 weeks on average, over 10 years.
    Model (solid line, rising towards the 41.0% ceiling, dotted): 20.2% within the past four
    weeks; 41.0% within a lifetime of 10 years.
    Simulated survey (illustrative) of 1,208 people (squares on dashed lines, 95% Wilson
    intervals): past four weeks 20.6% (18.4–23.0); lifetime 40.9% (38.2–43.7).
    """
    s, q = 100 * survey.susceptible, 100 * survey.per_encounter_prob
    est, low, high = 100 * survey.estimate, 100 * survey.lower, 100 * survey.upper
    expected = 100 * survey.expected
    years = f"{survey.years_active:g} year{'s' if survey.years_active != 1 else ''}"
    level = f"{100 * (1 - survey.alpha):.4g}%"
    windows = RecallSurvey.WINDOWS
    lines = [
        f"Recall model (illustrative parameters): {_fmt(s)}% of people can have the experience; "
        f"for them, each time they have sex is followed by it with probability {_fmt(q)}%; people "
        f"have sex {survey.encounters_per_4_weeks:g} times per 4 weeks on average, over {years}.",
        f"Model (solid line, rising towards the {_fmt(s)}% ceiling, dotted): "
        f"{_fmt(expected[0])}% within the past four weeks; {_fmt(expected[1])}% within a lifetime "
        f"of {years}.",
        f"Simulated survey (illustrative) of {survey.n_people:,} people (squares on dashed lines, "
        f"{level} "
        f"{METHOD_NAMES[survey.method]} intervals): "
        + "; ".join(
            f"{w} {_fmt(e)}% ({_fmt(lo)}–{_fmt(hi)})"
            for w, e, lo, hi in zip(windows, est, low, high, strict=True)
        )
        + ".",
    ]
    if measured is not None:
        lines.append(
            f"{measured_name} (diamonds on dotted lines): "
            + "; ".join(
                f"{w} {_fmt(e)}% ({_fmt(lo)}–{_fmt(hi)})"
                for w, e, lo, hi in zip(
                    windows,
                    measured["percent"],
                    measured["low_pct"],
                    measured["high_pct"],
                    strict=True,
                )
            )
            + "."
        )
    return "\n".join(lines)
