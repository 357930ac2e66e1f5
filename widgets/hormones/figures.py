"""Figures for lessons 02 and 03: body signals settling after orgasm, on one time axis.

Builders take the tidy tables of :mod:`widgets.hormones.scenarios` (one row per marker and time)
plus column names, and return a :class:`plotly.graph_objects.Figure` in the pack's ``"pcd"``
template. Nothing here computes physiology or imports ipywidgets.

The y axis is **× baseline** (the level divided by its resting level, so 1 = resting) rather than
"% of peak excess": one axis then shows heart rate, oxytocin, prolactin and cortisol together, the
10%-of-baseline line of the readouts is one horizontal line (1.1), the partnered/solo switch and
the intensity slider visibly change the height of a rise, and a flat marker (cortisol) is a line
at 1 instead of an undefined 0/0.

Trace layout (the same for both figures, so one update function serves both):

* trace 0: the half-life bands of every drawn curve, as grey polygons in one trace (``fill=
  "toself"``, separated by gaps), after time 0 only, so that they also work on a log time axis;
* one line per marker, in the data's order, each with its own colour *and* dash
  (:func:`widgets.theme.style`);
* last, one text trace with a label at the peak of every curve whose amplitude is illustrative
  ("Prolactin: amplitude illustrative", in the line's colour), which moves with the curve; further
  labels are staggered upwards so that they do not collide. (One point per label: a text array
  along each line made plotly.js lay out 600 text nodes per line on every redraw.)

:func:`curve_update` gives the traces' new values for new curves, and :func:`time_update` what
changes when the time axis switches between linear and log, both as
:meth:`widgets.plot.Plot.update` takes them. Every plotted number is rounded with
:func:`widgets.theme.round_values`.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from widgets import theme
from widgets.hormones.scenarios import Curve

__all__ = [
    "BAND_FILL",
    "DROPOFF_TIME_TITLES",
    "TIMESCALES_TIME_TITLES",
    "FigureParts",
    "back_within_text",
    "curve_update",
    "describe_dropoff",
    "describe_timescales",
    "dropoff_figure",
    "figure_parts",
    "format_minutes",
    "illustrative_label",
    "label_positions",
    "time_axis",
    "time_update",
    "timescales_figure",
]

DROPOFF_TIME_TITLES = (
    "minutes relative to orgasm (negative = before)",
    "minutes after orgasm (log scale)",
)
"""Time-axis titles of :func:`dropoff_figure`: linear, log."""
TIMESCALES_TIME_TITLES = (
    "minutes relative to the end of the activity (negative = during it)",
    "minutes after the end of the activity (log scale)",
)
"""Time-axis titles of :func:`timescales_figure`: linear, log."""

BAND_FILL = "rgba(110, 110, 110, 0.18)"
"""Fill of the half-life bands: a light neutral grey, so the coloured lines stay in front."""

_MUTED = "#6E6E6E"
_ROLE_BAND, _ROLE_LINE, _ROLE_LABELS = "bands", "line", "labels"
_COLUMNS = (
    "marker",
    "label",
    "status",
    "t_min",
    "level",
    "level_low",
    "level_high",
    "amplitude_basis",
    "half_life_basis",
)


def format_minutes(minutes: float) -> str:
    """A duration in words: seconds under a minute, minutes under two hours, else hours.

    Examples
    --------
    >>> [format_minutes(m) for m in (0.0, 0.6466, 9.13, 95.9, 181.8)]
    ['0 s', '39 s', '9.1 min', '96 min', '3 h 02 min']
    """
    if not math.isfinite(minutes):
        return "not applicable"
    if minutes < 1:
        return f"{round(minutes * 60):d} s"
    if minutes < 60:
        return f"{minutes:.1f} min"
    if minutes < 120:
        return f"{round(minutes):d} min"
    hours, rest = divmod(round(minutes), 60)
    return f"{hours:d} h {rest:02d} min"


def back_within_text(peak_fold: float, back_within_min: float, tolerance: float = 0.10) -> str:
    """The readout "back within 10%" in words; a curve that never left the band says so.

    Examples
    --------
    >>> back_within_text(3.5, 181.8), back_within_text(1.09, 5.0), back_within_text(1.0, 0.0)
    ('3 h 02 min', 'never left', 'never left')
    """
    if peak_fold <= 1 + tolerance:
        return "never left"
    return format_minutes(back_within_min)


def illustrative_label(label: str, amplitude_basis: str, half_life_basis: str) -> str | None:
    """The on-figure note for a curve with illustrative parts, or None when all is measured.

    Examples
    --------
    >>> illustrative_label("Prolactin", "illustrative", "measured")
    'Prolactin: amplitude illustrative'
    >>> illustrative_label("Stress curve (cortisol-like)", "illustrative", "measured")
    'Stress curve: amplitude illustrative'
    >>> illustrative_label("Heart rate", "measured", "illustrative") is None
    True
    """
    if amplitude_basis == "illustrative":
        return f"{label.split(' (')[0]}: amplitude illustrative"
    return None


def _check(df: pd.DataFrame, columns: Mapping[str, str]) -> None:
    missing = [c for c in columns.values() if c not in df.columns]
    if missing:
        raise KeyError(f"columns not in data_frame: {missing}")


def _plain(values) -> list[float | None]:
    """Rounded plain list for static figure JSON, NaN as None."""
    return [None if math.isnan(v) else v for v in theme.round_values(values).tolist()]


class FigureParts:
    """Where each curve lives in a figure built here, read from its traces' ``meta`` once.

    Attributes
    ----------
    n_traces : int
        Number of traces.
    markers : tuple of str
        Markers with a line, in trace order.
    moving : tuple of str
        Markers whose line a scenario can change: all but the flat ones (cortisol is drawn at
        its resting level whatever the controls say, so its trace is never re-sent).
    line_index : dict of str to int
        Trace index of each marker's line.
    band_markers : tuple of str
        Markers with a band, in the order their polygons appear in the band trace.
    label_markers : tuple of str
        Markers with an "illustrative" label, in the order of the label trace's points.
    label_rows : tuple of int
        Grid index of each label's point (the curve's peak in the figure as built); the label
        follows its curve's level there.
    band_index : int or None
        Trace index of the band trace (None when there is none).
    label_index : int or None
        Trace index of the label trace (None when there is none).
    t_min : numpy.ndarray
        The figure's time grid (as plotted, rounded).
    positive_slice : slice
        The time grid's points after time 0, where bands and labels live (the grid increases, so
        they are its last ones).
    """

    def __init__(self, fig: go.Figure) -> None:
        self.n_traces = len(fig.data)
        self.line_index: dict[str, int] = {}
        self.band_index = self.label_index = None
        self.band_markers: tuple[str, ...] = ()
        labels: list[tuple[str, int]] = []
        for i, trace in enumerate(fig.data):
            meta = trace.meta or {}
            role = meta.get("role")
            if role == _ROLE_LINE:
                self.line_index[meta["marker"]] = i
            elif role == _ROLE_BAND:
                self.band_index, self.band_markers = i, tuple(meta["markers"])
            elif role == _ROLE_LABELS:
                self.label_index = i
                labels = list(zip(meta["markers"], (int(r) for r in meta["rows"]), strict=True))
        self.markers = tuple(self.line_index)
        self.moving = tuple(
            m for m in self.markers if not fig.data[self.line_index[m]].meta.get("flat", False)
        )
        first = fig.data[self.line_index[self.markers[0]]]
        self.t_min = np.asarray(first.x, dtype=np.float64)
        after = np.flatnonzero(self.t_min > 0)
        if after.size and after[-1] - after[0] + 1 != after.size:
            raise ValueError("the figure's time grid must increase (its times after 0 in one run)")
        self.positive_slice = (
            slice(int(after[0]), int(after[-1]) + 1) if after.size else slice(0, 0)
        )
        self.label_markers = tuple(m for m, _ in labels)
        self.label_rows = tuple(row for _, row in labels)


def figure_parts(fig: go.Figure) -> FigureParts:
    """Read a figure's trace roles once (a UI keeps the result for its updates)."""
    return FigureParts(fig)


def _rings(edges: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Closed outlines of bands, one after another, NaN between them: for each (low, high), the
    upper edge forward and the lower edge back."""
    if not edges:
        return np.array([])
    n = len(edges[0][0])
    out = np.empty(len(edges) * (2 * n + 1) - 1)
    at = 0
    for low, high in edges:
        if at:
            out[at] = math.nan
            at += 1
        out[at : at + n] = high
        out[at + n : at + 2 * n] = low[::-1]
        at += 2 * n
    return out


def _band_polygons(t_pos: np.ndarray, bands: Sequence[tuple[np.ndarray, np.ndarray]]):
    """x and y of the band trace: the (low, high) bands over ``t_pos`` as :func:`_rings`."""
    return _rings([(t_pos, t_pos)] * len(bands)), _rings(bands)


def curve_update(parts: FigureParts, curves: Mapping[str, Curve]) -> list[dict | None]:
    """What changes in the traces for new curves, one entry per trace in trace order, as
    :meth:`widgets.plot.Plot.update` takes it: ``{"y": ...}`` for every line that can move (not
    the flat ones: None), the band trace and the label trace (each labelled line's level at its
    label's point). Values rounded with :func:`widgets.theme.round_values`.

    Parameters
    ----------
    parts : FigureParts
        From :func:`figure_parts` for the figure being updated.
    curves : mapping of str to widgets.hormones.scenarios.Curve
        Every curve of the new scenario (``Scenario.curves``).
    """
    update: list[dict | None] = [None] * parts.n_traces
    rounded = {m: theme.round_values(curves[m].level) for m in parts.moving}
    for m in parts.moving:
        update[parts.line_index[m]] = {"y": rounded[m]}
    if parts.band_index is not None:
        after = parts.positive_slice
        edges = [
            (theme.round_values(curves[m].low[after]), theme.round_values(curves[m].high[after]))
            for m in parts.band_markers
        ]
        update[parts.band_index] = {"y": _rings(edges)}
    if parts.label_index is not None:
        at = zip(parts.label_markers, parts.label_rows, strict=True)
        heights = [float(theme.round_values(curves[m].level[row])) for m, row in at]
        update[parts.label_index] = {"y": heights}
    return update


def time_update(
    parts: FigureParts, *, log_time: bool, x_title: str, log_x_title: str
) -> tuple[dict, dict[int, dict]]:
    """What changes when the time axis switches between linear and log: the layout values by
    path, and ``{label trace index: {"textposition": [...]}}`` (:func:`label_positions`), as
    :meth:`widgets.plot.Plot.update` takes them."""
    axis = time_axis(parts.t_min, log_time=log_time, x_title=x_title, log_x_title=log_x_title)
    layout = {
        "xaxis.type": axis["type"],
        "xaxis.range": axis["range"],
        "xaxis.title.text": axis["title"]["text"],
    }
    labels = {i: {"textposition": p} for i, p in label_positions(parts, log_time=log_time).items()}
    return layout, labels


def label_positions(parts: FigureParts, *, log_time: bool) -> dict[int, list[str]]:
    """Text position of each label for a linear or a log time axis: ``{label trace index: [one
    position per label]}`` (empty when the figure has no labels).

    A label in the right third of the axis is drawn to the left of its point, so that it stays
    inside the figure. A UI applies them, with :func:`time_axis`, when the log-time box changes.
    """
    if parts.label_index is None:
        return {}
    xs = [float(parts.t_min[row]) for row in parts.label_rows]
    return {parts.label_index: _text_positions(xs, parts.t_min, log_time)}


def _text_positions(xs: Sequence[float], t: np.ndarray, log_time: bool) -> list[str]:
    if log_time:
        lo, hi = math.log10(float(t[t > 0].min())), math.log10(float(t.max()))
        where = [(math.log10(x) - lo) / (hi - lo) for x in xs]
    else:
        lo, hi = float(t.min()), float(t.max())
        where = [(x - lo) / (hi - lo) for x in xs]
    return ["top left" if w > 2 / 3 else "top right" for w in where]


def _recovery_figure(
    df: pd.DataFrame,
    columns: dict[str, str],
    *,
    time_titles: tuple[str, str],
    log_time: bool,
    x_range: Sequence[float] | None,
    y_range: Sequence[float] | None,
    tolerance: float,
    not_drawn: pd.DataFrame | None,
    title: str | None,
    note: str | None,
    height: int | None,
    evidence: Sequence[str] | None = None,
) -> go.Figure:
    """Both figure builders: ``columns`` are their ``**columns`` overrides of :data:`_COLUMNS`."""
    cols = {c: columns.pop(c, c) for c in _COLUMNS}
    if columns:
        raise TypeError(f"unknown column arguments: {sorted(columns)}")
    x_title, log_x_title = time_titles
    _check(df, cols)
    markers = list(dict.fromkeys(df[cols["marker"]].tolist()))
    if not markers:
        raise ValueError("data_frame has no rows to draw")
    groups = {m: g for m, g in df.groupby(cols["marker"], sort=False)}
    t = groups[markers[0]][cols["t_min"]].to_numpy(dtype=np.float64)
    for m in markers:
        if not np.array_equal(groups[m][cols["t_min"]].to_numpy(dtype=np.float64), t):
            raise ValueError(f"every marker needs the same time grid; {m!r} differs")
    positive = t > 0
    if not positive.any():
        raise ValueError("the time grid needs points after time 0")

    lines, bands, band_markers, labels = [], [], [], []
    made_up_halves = []
    for i, m in enumerate(markers):
        g = groups[m]
        first = g.iloc[0]
        label, status = str(first[cols["label"]]), str(first[cols["status"]])
        level = g[cols["level"]].to_numpy(dtype=np.float64)
        st = theme.style(i)
        name = label if status != "flat" else f"{label} (no change measured)"
        label_text = illustrative_label(
            label, str(first[cols["amplitude_basis"]]), str(first[cols["half_life_basis"]])
        )
        if str(first[cols["half_life_basis"]]) == "illustrative":
            made_up_halves.append(label.split(" (")[0].lower())
        if status == "flat":
            hover = f"{label}: no change measured at orgasm (drawn flat)"
        elif label_text is not None:
            hover = f"{label} (model; amplitude illustrative)"
        else:
            hover = f"{label} (model)"
        if label_text is not None:
            row = int(np.flatnonzero(positive)[0] + np.argmax(level[positive]))
            # Staggered: each further label sits two (blank) lines higher above its point.
            labels.append((m, row, label_text + "<br> " * (2 * len(labels)), st["color"]))
        lines.append(
            go.Scatter(
                x=_plain(t),
                y=_plain(level),
                mode="lines",
                name=name,
                legendgroup=m,
                line={"color": st["color"], "dash": st["dash"], "width": 2.5},
                meta={"role": _ROLE_LINE, "marker": m, "flat": status == "flat"},
                hovertemplate=f"{hover}<br>%{{y:.2f}} × resting at %{{x:.2f}} min<extra></extra>",
            )
        )
        if status != "flat":
            low = g[cols["level_low"]].to_numpy(dtype=np.float64)
            high = g[cols["level_high"]].to_numpy(dtype=np.float64)
            bands.append((low[positive], high[positive]))
            band_markers.append(m)

    traces: list[go.Scatter] = []
    if bands:
        bx, by = _band_polygons(t[positive], bands)
        traces.append(
            go.Scatter(
                x=_plain(bx),
                y=_plain(by),
                mode="lines",
                fill="toself",
                fillcolor=BAND_FILL,
                line={"width": 0, "color": BAND_FILL},
                name="half-life range (shaded)",
                hoverinfo="skip",
                meta={"role": _ROLE_BAND, "markers": band_markers},
            )
        )
    traces += lines
    if labels:
        # One text trace for every label (a point per label at its curve's peak), not a text
        # array along each line: plotly.js lays out a text node per point of a text trace on
        # every redraw, which made each slider move about 35 ms slower in the browser.
        rows = [row for _, row, _, _ in labels]
        traces.append(
            go.Scatter(
                x=_plain(t[rows]),
                y=_plain(np.array([groups[m][cols["level"]].iloc[r] for m, r, _, _ in labels])),
                mode="text",
                name="labels",
                text=[text for _, _, text, _ in labels],
                textposition=_text_positions([float(t[r]) for r in rows], t, log_time),
                textfont={"color": [colour for *_, colour in labels], "size": 13},
                cliponaxis=False,
                showlegend=False,
                hoverinfo="skip",
                meta={"role": _ROLE_LABELS, "markers": [m for m, *_ in labels], "rows": rows},
            )
        )

    fig = go.Figure(data=traces)
    annotations = [
        {
            "xref": "paper",
            "x": 0.0,
            "xanchor": "left",
            "yref": "y",
            "y": 1 + tolerance,
            "yanchor": "bottom",
            "text": f"within {tolerance:.0%} of resting level",
            "showarrow": False,
            "font": {"size": 12, "color": _MUTED},
        }
    ]
    if note and made_up_halves:
        note += f"; so is the {' and '.join(made_up_halves)} half-time"
    notes = [note + "."] if note else []
    notes += list(evidence or ())
    if not_drawn is not None:
        notes += [
            f"<b>Not drawn: {r.label}.</b> {r.measured}" for r in not_drawn.itertuples(index=False)
        ]
    footnote = [line for text in notes for line in _wrap(text)]
    if footnote:
        annotations.append(
            {
                "xref": "paper",
                "x": 0,
                "xanchor": "left",
                "yref": "paper",
                "y": 0,
                "yanchor": "top",
                "yshift": -62,  # pixels: below the time axis and its title
                "align": "left",
                "text": "<br>".join(footnote),
                "showarrow": False,
                "font": {"size": 12, "color": _MUTED},
            }
        )
    margin_b = 70 + 17 * len(footnote)
    fig.update_layout(
        template=theme.TEMPLATE,
        height=int(height) if height is not None else 440 + margin_b,
        margin={"t": 140 if title is not None else 90, "b": margin_b},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
        yaxis={
            "title": {"text": "Level, × resting level (1 = resting)"},
            "range": _plain(y_range) if y_range is not None else None,
        },
        shapes=[
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": 1 + tolerance,
                "y1": 1 + tolerance,
                "line": {"color": _MUTED, "width": 1, "dash": "dot"},
            }
        ],
        annotations=annotations,
    )
    fig.update_layout(
        xaxis=time_axis(
            t, log_time=log_time, x_range=x_range, x_title=x_title, log_x_title=log_x_title
        )
    )
    if title is not None:
        fig.update_layout(title={"text": title})
    return fig


def _wrap(text: str, width: int = 88) -> list[str]:
    """Lines of at most ``width`` characters (plotly does not wrap annotation text)."""
    return textwrap.wrap(text, width=width, break_long_words=False) or [""]


def time_axis(
    t_min,
    *,
    log_time: bool,
    x_range: Sequence[float] | None = None,
    x_title: str = "minutes after orgasm",
    log_x_title: str = "minutes after orgasm (log scale)",
) -> dict:
    """Layout of the time axis, linear or log; a UI applies it when the log-time box changes.

    On a log axis plotly takes the range in log10 units and only shows times after 0.

    Examples
    --------
    >>> time_axis([-60.0, 0.0, 0.01, 300.0], log_time=True)["range"]
    [-2.0, 2.4771]
    >>> time_axis([-60.0, 0.0, 0.01, 300.0], log_time=False)["range"]
    [-60.0, 300.0]
    """
    t = np.asarray(t_min, dtype=np.float64)
    if log_time:
        lo, hi = x_range if x_range is not None else (float(t[t > 0].min()), float(t.max()))
        lo = max(float(lo), float(t[t > 0].min()))
        return {
            "type": "log",
            "range": _plain([math.log10(lo), math.log10(float(hi))]),
            "title": {"text": log_x_title},
        }
    lo, hi = x_range if x_range is not None else (float(t.min()), float(t.max()))
    return {"type": "linear", "range": _plain([lo, hi]), "title": {"text": x_title}}


def dropoff_figure(
    data_frame: pd.DataFrame,
    *,
    not_drawn: pd.DataFrame | None = None,
    evidence: Sequence[str] | None = None,
    log_time: bool = False,
    x_range: Sequence[float] | None = None,
    y_range: Sequence[float] | None = None,
    tolerance: float = 0.10,
    title: str | None = None,
    height: int | None = None,
    **columns: str,
) -> go.Figure:
    """The hormone drop-off figure of lesson 02: each marker's level after orgasm.

    Parameters
    ----------
    data_frame : pandas.DataFrame
        Tidy rows as from :func:`widgets.hormones.scenarios.simulate` (one per marker and time;
        every marker on the same time grid, with points after 0).
    not_drawn : pandas.DataFrame, optional
        Markers not drawn, with ``label`` and ``measured`` columns (from
        :func:`widgets.hormones.scenarios.not_drawn`); they are listed under the plot.
    evidence : sequence of str, optional
        Sentences printed under the plot, one per drawn curve: what was measured, with its
        sources (the data's ``figure_note``).
    log_time : bool, default False
        Log time axis (shows only times after orgasm).
    x_range, y_range : (float, float), optional
        Axis ranges in data units (minutes; × baseline). A fixed ``y_range`` keeps the scale still
        while sliders move the curves.
    tolerance : float, default 0.10
        Where the dotted "back to baseline" line is drawn (1 + tolerance).
    title : str, optional
        Figure title. A note under the plot says what is illustrative.
    height : int, optional
        Figure height in pixels.
    **columns : str
        Column names, if they differ from the defaults: ``marker``, ``label``, ``status``,
        ``t_min``, ``level``, ``level_low``, ``level_high``, ``amplitude_basis``,
        ``half_life_basis``.

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> from widgets import data
    >>> from widgets.hormones import scenarios
    >>> table = data.load("hormones")
    >>> df = scenarios.simulate(table, t_min=scenarios.time_grid())
    >>> fig = dropoff_figure(df, not_drawn=scenarios.not_drawn(table))
    >>> [t.name for t in fig.data][:2], fig.data[-1].name
    (['half-life range (shaded)', 'Prolactin'], 'labels')
    >>> fig.data[-1].text[0].split("<br>")[0]
    'Prolactin: amplitude illustrative'
    >>> "Cortisol (no change measured)" in [t.name for t in fig.data]
    True
    """
    return _recovery_figure(
        data_frame,
        columns,
        time_titles=DROPOFF_TIME_TITLES,
        log_time=log_time,
        x_range=x_range,
        y_range=y_range,
        tolerance=tolerance,
        not_drawn=not_drawn,
        title=title,
        note="Model curves, not measurements. The hormone half-lives are from studies; the "
        "peaks marked 'illustrative' and all secretion windows are our choices",
        height=height,
        evidence=evidence,
    )


def timescales_figure(
    data_frame: pd.DataFrame,
    *,
    evidence: Sequence[str] | None = None,
    log_time: bool = True,
    x_range: Sequence[float] | None = None,
    y_range: Sequence[float] | None = None,
    tolerance: float = 0.10,
    title: str | None = None,
    height: int | None = None,
    **columns: str,
) -> go.Figure:
    """The recovery-timescales figure of lesson 03: fast and slow systems after an activity.

    Parameters as in :func:`dropoff_figure`; the data come from
    :func:`widgets.hormones.scenarios.timescales` (time 0 = the end of the activity) and the
    time axis is logarithmic by default, because the curves settle between seconds and hours.

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> from widgets import data
    >>> from widgets.hormones import scenarios
    >>> df = scenarios.timescales(data.load("hormones"), t_min=scenarios.time_grid())
    >>> fig = timescales_figure(df)
    >>> [t.name for t in fig.data][-2:]
    ['Stress curve (cortisol-like)', 'labels']
    >>> fig.layout.xaxis.type
    'log'
    """
    return _recovery_figure(
        data_frame,
        columns,
        time_titles=TIMESCALES_TIME_TITLES,
        log_time=log_time,
        x_range=x_range,
        y_range=y_range,
        tolerance=tolerance,
        not_drawn=None,
        title=title,
        note="Model curves, not measurements. The hormone half-lives are from studies; the "
        "peaks marked 'illustrative', the secretion windows and the whole stress curve (but "
        "for cortisol's half-life) are our choices",
        height=height,
        evidence=evidence,
    )


# --- text descriptions ---------------------------------------------------------------------------


def _readout_rows(readouts) -> list[dict]:
    if isinstance(readouts, pd.DataFrame):
        return readouts.to_dict("records")
    return [
        {k: getattr(r, k) for k in ("marker", "label", "peak_fold", "peak_min", "back_within_min")}
        for r in readouts
    ]


def _describe(
    df: pd.DataFrame,
    readouts,
    *,
    what: str,
    zero: str,
    log_time: bool,
    tolerance: float,
    not_drawn: pd.DataFrame | None,
    notice: str,
    still_raised: Mapping[str, float] | None = None,
) -> str:
    t = df["t_min"].to_numpy(dtype=np.float64)
    basis = {
        m: (str(g["amplitude_basis"].iloc[0]), str(g["status"].iloc[0]))
        for m, g in df.groupby("marker", sort=False)
    }
    axis = (
        f"a log time axis of minutes after {zero}, from {float(t[t > 0].min()):g} to "
        f"{float(t.max()):g}"
        if log_time
        else f"a time axis of minutes relative to {zero}, from {float(t.min()):g} to "
        f"{float(t.max()):g}"
    )
    rows = [r for r in _readout_rows(readouts) if r["marker"] in basis]
    lines = [
        f"Line chart of {len(rows)} {what} on {axis}. Each is shown as a multiple of its resting "
        "level (1 = resting); a dotted line marks 10% above resting."
    ]
    for r in rows:
        amplitude, status = basis[r["marker"]]
        if status == "flat":
            lines.append(f"{r['label']} stays flat at 1 × resting (no change measured at orgasm).")
            continue
        note = " (amplitude illustrative)" if amplitude == "illustrative" else ""
        peak = float(r["peak_fold"])
        back = float(r["back_within_min"])
        rose = peak > 1 + tolerance
        if rose:
            text = (
                f"{r['label']} peaks at {peak:.2f} × resting{note} and, in the model, is back "
                f"within {tolerance:.0%} of resting {format_minutes(back)} after {zero}."
            )
        else:
            text = (
                f"{r['label']} peaks at {peak:.2f} × resting{note}: in the model it never rises "
                f"more than {tolerance:.0%} above resting."
            )
        measured = (still_raised or {}).get(r["marker"], math.nan)
        if math.isfinite(measured):
            # As scenarios.leaves_data: back within the band by the time it was measured raised.
            text += (
                f" Here the model leaves the data: the studies found it still raised "
                f"{measured:g} min after orgasm."
                if not rose or back <= measured
                else f" The studies found it still raised {measured:g} min after orgasm, the "
                "last time measured; later times are the model's, not measurements."
            )
        lines.append(text)
    lines.append(
        "Grey shading: each curve at the low and the high end of its half-life range "
        "(after time 0)."
    )
    if not_drawn is not None and len(not_drawn):
        lines.append(
            "Not drawn: "
            + "; ".join(f"{r.label} ({r.measured})" for r in not_drawn.itertuples(index=False))
        )
    lines.append(notice)
    return "\n".join(lines)


def describe_dropoff(
    data_frame: pd.DataFrame,
    readouts,
    *,
    not_drawn: pd.DataFrame | None = None,
    log_time: bool = False,
    tolerance: float = 0.10,
    still_raised: Mapping[str, float] | None = None,
) -> str:
    """Describe :func:`dropoff_figure` in plain text, for screen readers and for print.

    Parameters
    ----------
    data_frame : pandas.DataFrame
        The figure's tidy data (default column names).
    readouts : pandas.DataFrame or sequence
        From :func:`widgets.hormones.scenarios.readout_table` or ``readouts``: the peak and the
        time back within 10% of baseline of each marker, which the text states.
    not_drawn : pandas.DataFrame, optional
        As for :func:`dropoff_figure`.
    log_time : bool, default False
        Whether the figure's time axis is logarithmic.
    tolerance : float, default 0.10
        The band of the readouts.
    still_raised : mapping of str to float, optional
        Per marker, the latest time (minutes after orgasm) at which the studies still found it
        raised (the data's ``still_raised_at_min``): the text says whether the model agrees.

    Returns
    -------
    str
        One sentence per line: the axes, each marker, the shading, what is not drawn, and
        what to notice.

    Examples
    --------
    >>> from widgets import data
    >>> from widgets.hormones import scenarios
    >>> table = data.load("hormones")
    >>> df = scenarios.simulate(table, t_min=scenarios.time_grid())
    >>> text = describe_dropoff(df, scenarios.readouts(table), still_raised={"prolactin": 60.0})
    >>> text.splitlines()[1].startswith("Prolactin peaks at")
    True
    >>> "in the model" in text.splitlines()[1]
    True
    """
    return _describe(
        data_frame,
        readouts,
        what="body signals",
        zero="orgasm",
        log_time=log_time,
        tolerance=tolerance,
        not_drawn=not_drawn,
        notice="What to notice: in the model the signals settle on very different clocks, from "
        "under a minute (heart rate) to hours (prolactin). None of these curves is a feeling.",
        still_raised=still_raised,
    )


def describe_timescales(
    data_frame: pd.DataFrame,
    readouts,
    *,
    log_time: bool = True,
    tolerance: float = 0.10,
    still_raised: Mapping[str, float] | None = None,
) -> str:
    """Describe :func:`timescales_figure` in plain text, for screen readers and for print.

    Parameters as in :func:`describe_dropoff`; ``readouts`` from
    :func:`widgets.hormones.scenarios.timescale_readouts`.

    Examples
    --------
    >>> from widgets import data
    >>> from widgets.hormones import scenarios
    >>> table = data.load("hormones")
    >>> df = scenarios.timescales(table, t_min=scenarios.time_grid())
    >>> lines = describe_timescales(df, scenarios.timescale_readouts(table)).splitlines()
    >>> [line for line in lines if line.startswith("Stress curve")][0][:60]
    'Stress curve (cortisol-like) peaks at 1.50 × resting (amplit'
    >>> "illustrative" in lines[-1]
    True
    """
    return _describe(
        data_frame,
        readouts,
        what="body signals",
        zero="the end of the activity",
        log_time=log_time,
        tolerance=tolerance,
        not_drawn=None,
        notice="What to notice: in the model, when the activity stops the fast systems settle "
        "within minutes while the slow curves take hours. The whole stress curve is "
        "illustrative: only its direction and cortisol's half-life come from studies.",
        still_raised=still_raised,
    )
