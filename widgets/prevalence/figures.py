"""Figures for the prevalence notebooks: a forest plot of survey estimates and its text description.

Builders follow plotly express conventions: tidy data plus column names in, a
:class:`plotly.graph_objects.Figure` out, using the pack's ``"pcd"`` template (see
:mod:`widgets.theme`). Nothing here displays a figure or imports ipywidgets.

Every plotted number is rounded with :func:`widgets.theme.round_values` (4 decimals) and passed to
plotly as a plain list, so figure JSON is short, readable and identical on any machine.

An interactive forest plot is changed in place, never rebuilt: every group (measure) has the same
six traces whatever it shows (hidden when empty), so :func:`forest` gives, from one preparation
of the table, the traces and layout values a figure of another selection takes
(:meth:`widgets.plot.Plot.update`), and the text description.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from widgets import theme

__all__ = [
    "NO_INTERVAL",
    "RANGE_AS_REPORTED",
    "SLOTS",
    "Forest",
    "describe_forest_plot",
    "forest",
    "forest_plot",
]

NO_INTERVAL = "no interval: group size or denominator not reported"
"""Hover note for a row with an estimate but no interval."""

RANGE_AS_REPORTED = "range as reported"
"""Hover note for a row with a reported range but no point estimate."""

_BASE_PX = 120
_ROW_PX = 28
_WRAPPED_ROW_PX = 40  # rows when a label takes two lines
_LABEL_CHARS = 56  # longer row labels wrap, so that they leave the plot its width
_DIAMOND_HALF_HEIGHT = 0.32
_MARKER_SIZE = 9
_MUTED = "#6E6E6E"
_EMPTY_PX = 200

SLOTS: tuple[str, ...] = (
    "interval",
    "no interval",
    "range",
    "not reported",
    "prediction interval",
    "pooled",
)
"""The traces of each group, in order: every group has all six, hidden when empty, so a figure
shows another selection by new values alone (each group keeps its colour and symbol)."""


# --------------------------------------------------------------------------------------------------
# Shared preparation: the row layout used by both forest_plot and describe_forest_plot.


@dataclass(frozen=True)
class _Row:
    label: str
    estimate: float
    low: float
    high: float

    @property
    def kind(self) -> str:
        has_est = not math.isnan(self.estimate)
        has_interval = not (math.isnan(self.low) or math.isnan(self.high))
        if has_est:
            return "interval" if has_interval else "no_interval"
        return "range" if has_interval else "missing"


@dataclass(frozen=True)
class _Pooled:
    label: str
    estimate: float
    low: float
    high: float
    pi_low: float
    pi_high: float

    @property
    def has_pi(self) -> bool:
        return not (math.isnan(self.pi_low) or math.isnan(self.pi_high))


@dataclass
class _Group:
    name: str
    index: int  # its colour and symbol: theme.style(index)
    rows: list[_Row] = field(default_factory=list)
    pooled: list[_Pooled] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return bool(self.rows or self.pooled)


def _column(df: pd.DataFrame, name: str) -> np.ndarray:
    return theme.round_values(df[name].to_numpy(dtype=np.float64, na_value=np.nan))


def _text(value: Any, missing: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return missing
    return str(value)


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _number(value: Any) -> float:
    if value is None or value is pd.NA:
        return math.nan
    return float(theme.round_values(float(value)))


def _prepare(
    df: pd.DataFrame,
    estimate: str,
    low: str,
    high: str,
    label: str,
    group: str,
    pooled: Sequence[Any] | None,
    groups: Sequence[str] | None = None,
) -> list[_Group]:
    missing_cols = [c for c in (estimate, low, high, label, group) if c not in df.columns]
    if missing_cols:
        raise KeyError(f"columns not in data_frame: {missing_cols}")
    est, lo, hi = _column(df, estimate), _column(df, low), _column(df, high)
    found: dict[str, _Group] = {str(g): _Group(str(g), i) for i, g in enumerate(groups or ())}
    for i, (lab, grp) in enumerate(zip(df[label].tolist(), df[group].tolist(), strict=True)):
        row = _Row(_text(lab, ""), float(est[i]), float(lo[i]), float(hi[i]))
        name = _text(grp, "(no group)")
        if row.kind == "interval" and not row.low <= row.estimate <= row.high:
            raise ValueError(
                f"row {i} ({row.label!r}): estimate {row.estimate} is outside its interval "
                f"[{row.low}, {row.high}]"
            )
        if row.kind == "range" and row.low > row.high:
            raise ValueError(f"row {i} ({row.label!r}): low {row.low} is above high {row.high}")
        if name not in found:
            if groups is not None:
                raise ValueError(f"row {i} ({row.label!r}): group {name!r} is not in {groups}")
            found[name] = _Group(name, len(found))
        found[name].rows.append(row)
    for p in pooled or ():
        measure = _text(_get(p, "measure"), "(no group)")
        if measure not in found:
            raise ValueError(f"pooled measure {measure!r} is not a group; groups: {list(found)}")
        item = _Pooled(
            label=_text(_get(p, "label"), "pooled"),
            estimate=_number(_get(p, "estimate_pct")),
            low=_number(_get(p, "ci_low_pct")),
            high=_number(_get(p, "ci_high_pct")),
            pi_low=_number(_get(p, "pi_low_pct")),
            pi_high=_number(_get(p, "pi_high_pct")),
        )
        if not item.low <= item.estimate <= item.high:  # also False when any is NaN
            raise ValueError(
                f"pooled {item.label!r}: need estimate_pct within [ci_low_pct, ci_high_pct], got "
                f"{item.estimate} [{item.low}, {item.high}]"
            )
        found[measure].pooled.append(item)
    return list(found.values())


def _html(text: str) -> str:
    """Escape text for plotly's pseudo-HTML labels (a label such as "<30 y" stays literal)."""
    return html.escape(text, quote=False)


def _tick(label: str) -> str:
    """A row label for the y axis: escaped, on lines of at most 56 characters."""
    return "<br>".join(_html(line) for line in textwrap.wrap(label, _LABEL_CHARS) or [""])


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _plain(values: Sequence[float | None]) -> list[float | None]:
    """Plain JSON-friendly list: rounded floats, NaN and None as None (null)."""
    floats = np.array([math.nan if v is None else v for v in values], dtype=np.float64)
    return [None if math.isnan(v) else v for v in theme.round_values(floats).tolist()]


def _joined(parts: list[list[Any]]) -> list[Any]:
    """Several shapes in one trace: their points with a gap (None) between shapes."""
    out: list[Any] = []
    for part in parts:
        out += [*([None] if out else []), *part]
    return out


def _group_traces(grp: _Group, ys: list[int], pooled_ys: list[int]) -> list[dict[str, Any]]:
    """The six traces of :data:`SLOTS` for one group (rows at ``ys``, pooled rows at
    ``pooled_ys``); an empty one is hidden."""
    st = theme.style(grp.index)
    color, symbol = st["color"], st["symbol"]
    by_kind: dict[str, list[tuple[int, _Row]]] = {}
    for y, row in zip(ys, grp.rows, strict=True):
        by_kind.setdefault(row.kind, []).append((y, row))

    rows = by_kind.get("interval", [])
    interval = {
        "mode": "markers",
        "x": _plain([r.estimate for _, r in rows]),
        "y": [y for y, _ in rows],
        "marker": {"color": color, "symbol": symbol, "size": _MARKER_SIZE},
        "error_x": {
            "type": "data",
            "symmetric": False,
            "array": _plain([r.high - r.estimate for _, r in rows]),
            "arrayminus": _plain([r.estimate - r.low for _, r in rows]),
            "color": color,
            "thickness": 1.5,
            "width": 5,
        },
        "hovertext": [
            f"{_html(r.label)}<br>{_fmt(r.estimate)}% (CI {_fmt(r.low)}–{_fmt(r.high)})"
            for _, r in rows
        ],
    }
    rows = by_kind.get("no_interval", [])
    no_interval = {
        "mode": "markers",
        "x": _plain([r.estimate for _, r in rows]),
        "y": [y for y, _ in rows],
        "marker": {
            "color": color,
            "symbol": f"{symbol}-open",
            "size": _MARKER_SIZE,
            "line": {"width": 2},
        },
        "hovertext": [f"{_html(r.label)}<br>{_fmt(r.estimate)}% ({NO_INTERVAL})" for _, r in rows],
    }
    rows = by_kind.get("range", [])
    texts = [
        f"{_html(r.label)}<br>{_fmt(r.low)}–{_fmt(r.high)}% ({RANGE_AS_REPORTED})" for _, r in rows
    ]
    ranges = {
        "mode": "lines",
        "x": _plain(_joined([[r.low, r.high] for _, r in rows])),
        "y": _joined([[y, y] for y, _ in rows]),
        "line": {"color": color, "width": 5},
        "hovertext": _joined([[t, t] for t in texts]),
    }
    rows = by_kind.get("missing", [])
    missing = {
        "mode": "text",
        "x": [0] * len(rows),
        "y": [y for y, _ in rows],
        "text": ["  not reported"] * len(rows),
        "textposition": "middle right",
        "textfont": {"color": _MUTED, "size": 13},
        "hovertext": [f"{_html(r.label)}<br>not reported" for _, r in rows],
    }

    pooled = list(zip(pooled_ys, grp.pooled, strict=True))
    hover = {}
    for y, item in pooled:
        pi_text = (
            f"PI {_fmt(item.pi_low)}–{_fmt(item.pi_high)}"
            if item.has_pi
            else "no prediction interval"
        )
        hover[y] = (
            f"{_html(item.label)} (pooled)<br>{_fmt(item.estimate)}% "
            f"(CI {_fmt(item.low)}–{_fmt(item.high)}; {pi_text})"
        )
    with_pi = [(y, item) for y, item in pooled if item.has_pi]
    prediction = {
        "mode": "lines",
        "x": _plain(_joined([[item.pi_low, item.pi_high] for _, item in with_pi])),
        "y": _joined([[y, y] for y, _ in with_pi]),
        "line": {"color": color, "width": 1.5, "dash": "dash"},
        "hovertext": _joined([[hover[y]] * 2 for y, _ in with_pi]),
        "meta": "prediction interval",
    }
    h = _DIAMOND_HALF_HEIGHT
    diamonds = {
        "mode": "lines",
        "x": _plain(_joined([[i.low, i.estimate, i.high, i.estimate, i.low] for _, i in pooled])),
        "y": _plain(_joined([[y, y - h, y, y + h, y] for y, _ in pooled])),
        "fill": "toself",
        "fillcolor": color,
        "line": {"color": color, "width": 1},
        "hoveron": "points",
        "hovertext": _joined([[hover[y]] * 5 for y, _ in pooled]),
        "meta": "pooled",
    }

    traces = [interval, no_interval, ranges, missing, prediction, diamonds]
    legend = False
    for trace in traces:
        trace.update(name=grp.name, legendgroup=grp.name, hoverinfo="text")
        trace["visible"] = bool(trace["x"])
        trace["showlegend"] = trace["visible"] and not legend  # one legend entry per group
        legend = legend or trace["visible"]
    return traces


def _row_px(ticktext: list[str]) -> int:
    return _WRAPPED_ROW_PX if any("<br>" in t for t in ticktext) else _ROW_PX


def _forest_layout(groups: list[_Group]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The forest plot's traces (``go.Scatter`` properties, :data:`SLOTS` per group) and the
    layout values that depend on the rows (dotted paths)."""
    traces: list[dict[str, Any]] = []
    tickvals: list[int] = []
    ticktext: list[str] = []
    y = 0
    for grp in groups:
        ys: list[int] = []
        pooled_ys: list[int] = []
        if grp.shown:
            tickvals.append(y)
            ticktext.append(f"<b>{_html(grp.name)}</b>")
            for label, where in [(r.label, ys) for r in grp.rows] + [
                (p.label, pooled_ys) for p in grp.pooled
            ]:
                y += 1
                tickvals.append(y)
                ticktext.append(_tick(label))
                where.append(y)
            y += 1
        traces += _group_traces(grp, ys, pooled_ys)
    layout = {
        "height": _BASE_PX + _row_px(ticktext) * y if y else _EMPTY_PX,
        "yaxis.tickvals": tickvals,
        "yaxis.ticktext": ticktext,
        "yaxis.range": [y - 0.5, -0.5] if y else [0.5, -0.5],  # reversed: first row at the top
    }
    return traces, layout


# --------------------------------------------------------------------------------------------------
# The figure.


@dataclass(frozen=True)
class Forest:
    """A forest plot's parts for one table, from one preparation of it (:func:`forest`).

    Attributes
    ----------
    traces : list of dict
        ``go.Scatter`` properties, :data:`SLOTS` per group in group order (``go.Scatter(**t)``
        draws one); an empty trace is hidden (``visible`` False) but has every property, so the
        traces of one selection replace those of another property by property.
    layout : dict
        The layout values that depend on the rows, as dotted paths: ``height``,
        ``yaxis.tickvals``, ``yaxis.ticktext`` and ``yaxis.range``.
    description : str
        :func:`describe_forest_plot`'s text.
    """

    traces: list[dict[str, Any]]
    layout: dict[str, Any]
    description: str


def forest(
    data_frame: pd.DataFrame,
    *,
    estimate: str = "percent",
    low: str = "ci_low_pct",
    high: str = "ci_high_pct",
    label: str = "label",
    group: str = "measure_family",
    pooled: Sequence[Any] | None = None,
    groups: Sequence[str] | None = None,
) -> Forest:
    """What :func:`forest_plot` draws and :func:`describe_forest_plot` says, from one pass over
    the table and without building a figure (for a figure that shows one selection after another).

    Parameters
    ----------
    data_frame, estimate, low, high, label, group, pooled, groups
        As for :func:`forest_plot`.

    Returns
    -------
    Forest

    Raises
    ------
    KeyError, ValueError
        As :func:`forest_plot`.

    Examples
    --------
    >>> df = pd.DataFrame({"label": ["A", "B"], "measure_family": ["lifetime", "lifetime"],
    ...                    "percent": [46.2, 41.0], "ci_low_pct": [41.0, 35.0],
    ...                    "ci_high_pct": [51.5, 47.0]})
    >>> parts = forest(df, groups=["past 4 weeks", "lifetime"])
    >>> [(t["name"], t["x"]) for t in parts.traces if t["visible"]]
    [('lifetime', [46.2, 41.0])]
    >>> parts.layout["yaxis.ticktext"], parts.layout["height"]
    (['<b>lifetime</b>', 'A', 'B'], 204)
    """
    prepared = _prepare(data_frame, estimate, low, high, label, group, pooled, groups)
    traces, layout = _forest_layout(prepared)
    return Forest(traces, layout, _describe(prepared))


def forest_plot(
    data_frame: pd.DataFrame,
    *,
    estimate: str = "percent",
    low: str = "ci_low_pct",
    high: str = "ci_high_pct",
    label: str = "label",
    group: str = "measure_family",
    pooled: Sequence[Any] | None = None,
    groups: Sequence[str] | None = None,
    x_title: str = "Prevalence (%)",
    title: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Forest plot: one row per data row, grouped, with intervals, ranges and pooled diamonds.

    Groups appear in order of first appearance in ``data_frame`` (or in the order of ``groups``),
    each under a bold header row; within a group, rows keep data order, top to bottom. Every row
    is drawn, nothing is dropped:

    * estimate and interval present: filled marker with a horizontal error bar;
    * estimate present, interval missing (group size or denominator not reported): open marker,
      no bar, hover note ``"no interval: group size or denominator not reported"``;
    * estimate missing, low and high present (a range reported by the paper, such as "3–4%"): a
      thick bar from low to high with no point marker, hover note ``"range as reported"``;
    * all three missing: the label is kept and the row says "not reported".

    Each group has its own colour *and* marker symbol (:func:`widgets.theme.style`) and one
    legend entry. Pooled results are drawn as a filled diamond spanning the confidence interval,
    on their own row at the end of their group, with a thin dashed bar for the prediction interval
    when it is known. Each group has the six traces of :data:`SLOTS` (empty ones hidden). The
    figure takes the width of its page (``autosize``); the legend runs above the plot, over the
    row labels, clear of the mode bar at the top right.

    Parameters
    ----------
    data_frame : pandas.DataFrame
        Tidy data, one row per estimate.
    estimate, low, high : str
        Columns with the estimate and its interval bounds, in percent (NaN allowed).
    label : str
        Column with the row label shown on the y axis.
    group : str
        Column whose values define the groups.
    pooled : sequence, optional
        Objects or mappings with ``measure`` (a value of ``group``), ``estimate_pct``,
        ``ci_low_pct``, ``ci_high_pct``, ``label`` and optionally ``pi_low_pct`` and
        ``pi_high_pct`` (NaN or missing when there is no prediction interval).
    groups : sequence of str, optional
        Every group the figure may show, in order: a group's colour and symbol follow its place
        here, and a group without rows keeps its (hidden) traces, so that figures of different
        selections of one table match trace for trace. Default: the groups in the data.
    x_title : str, default "Prevalence (%)"
        Title of the x axis, which always runs from 0 to 100.
    title : str, optional
        Figure title.
    height : int, optional
        Figure height in pixels; default 120 + 28 per row (header, data and pooled rows; 40 per
        row when a row label longer than 56 characters wraps onto two lines), or 200 when there
        is no row.

    Returns
    -------
    plotly.graph_objects.Figure

    Raises
    ------
    KeyError
        If a named column is missing.
    ValueError
        If an estimate lies outside its interval, a range has low above high, a row's group is
        not in ``groups``, or a pooled result names an unknown group or lacks its estimate and
        interval.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "label": ["Study A", "Study B", "Study C"],
    ...     "measure_family": ["lifetime", "lifetime", "past 4 weeks"],
    ...     "percent": [46.2, 41.0, float("nan")],
    ...     "ci_low_pct": [41.0, float("nan"), 3.0],
    ...     "ci_high_pct": [51.5, float("nan"), 4.0],
    ... })
    >>> fig = forest_plot(df)
    >>> list(fig.layout.yaxis.ticktext)
    ['<b>lifetime</b>', 'Study A', 'Study B', '<b>past 4 weeks</b>', 'Study C']
    >>> [t.name for t in fig.data if t.showlegend]
    ['lifetime', 'past 4 weeks']
    >>> fig.layout.height
    260
    """
    prepared = _prepare(data_frame, estimate, low, high, label, group, pooled, groups)
    traces, values = _forest_layout(prepared)
    fig = go.Figure(data=[go.Scatter(t) for t in traces])
    fig.update_layout(
        template=theme.TEMPLATE,
        autosize=True,
        height=int(height) if height is not None else values["height"],
        showlegend=True,
        # Above the plot, over the column of row labels (its right edge at the plot's left
        # edge), so it stays clear of the mode bar at the top right and leaves the plot its width.
        legend={"orientation": "h", "x": 0, "xanchor": "right", "y": 1.0, "yanchor": "bottom"},
        margin={"t": 100 if title is not None else 50},
        xaxis={"range": [0, 100], "title": {"text": x_title}},
        yaxis={
            "tickmode": "array",
            "tickvals": values["yaxis.tickvals"],
            "ticktext": values["yaxis.ticktext"],
            "range": values["yaxis.range"],
            "showgrid": False,
            "fixedrange": True,
        },
    )
    if title is not None:  # at the very top, above the legend
        fig.update_layout(
            title={"text": title, "yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 8}}
        )
    return fig


# --------------------------------------------------------------------------------------------------
# The text description.


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def describe_forest_plot(
    data_frame: pd.DataFrame,
    *,
    estimate: str = "percent",
    low: str = "ci_low_pct",
    high: str = "ci_high_pct",
    label: str = "label",
    group: str = "measure_family",
    pooled: Sequence[Any] | None = None,
) -> str:
    """Describe :func:`forest_plot`'s figure in plain text, for screen readers and print.

    Takes the same data and column arguments as :func:`forest_plot` and says what is plotted, how
    many rows each group has, the lowest and highest estimates with their labels, which rows have
    no interval or only a reported range, and the pooled results. Numbers have 1 decimal. The text
    depends only on the data, so it is identical on every run.

    Parameters
    ----------
    data_frame, estimate, low, high, label, group, pooled
        As for :func:`forest_plot`.

    Returns
    -------
    str
        Several sentences, one topic per line.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "label": ["Study A", "Study B", "Study C"],
    ...     "measure_family": ["lifetime", "lifetime", "past 4 weeks"],
    ...     "percent": [46.2, 41.0, float("nan")],
    ...     "ci_low_pct": [41.0, float("nan"), 3.0],
    ...     "ci_high_pct": [51.5, float("nan"), 4.0],
    ... })
    >>> print(describe_forest_plot(df))
    Forest plot of prevalence in percent: 3 rows in 2 groups, drawn top to bottom on an x axis
    from 0 to 100%. A filled marker is an estimate and its horizontal bar the confidence
    interval (CI).
    Groups, top to bottom: lifetime (2 rows); past 4 weeks (1 row).
    Lowest estimate: 41.0% (Study B, lifetime). Highest estimate: 46.2% (Study A, lifetime).
    No interval because the group size or denominator was not reported (open marker): Study B
    (lifetime, 41.0%).
    Range as reported, no point estimate (bar without marker): Study C (past 4 weeks, 3.0 to 4.0%).
    """
    return _describe(_prepare(data_frame, estimate, low, high, label, group, pooled))


def _describe(prepared: list[_Group]) -> str:
    groups = [g for g in prepared if g.shown]
    n_rows = sum(len(g.rows) for g in groups)
    lines = [
        f"Forest plot of prevalence in percent: {_count(n_rows, 'row')} in "
        f"{_count(len(groups), 'group')}, drawn top to bottom on an x axis from 0 to 100%. "
        "A filled marker is an estimate and its horizontal bar the confidence interval (CI)."
    ]
    if not groups:
        return lines[0]
    lines.append(
        "Groups, top to bottom: "
        + "; ".join(f"{g.name} ({_count(len(g.rows), 'row')})" for g in groups)
        + "."
    )

    with_est = [(r, g.name) for g in groups for r in g.rows if not math.isnan(r.estimate)]
    if with_est:
        parts = []
        for word, pick in (("Lowest", min), ("Highest", max)):
            value = pick(r.estimate for r, _ in with_est)
            who = "; ".join(f"{r.label}, {g}" for r, g in with_est if r.estimate == value)
            parts.append(f"{word} estimate: {_fmt(value)}% ({who}).")
        lines.append(" ".join(parts))
    else:
        lines.append("No row has a point estimate.")

    def listing(kind: str, detail) -> str:
        return "; ".join(
            f"{r.label} ({g.name}, {detail(r)})" for g in groups for r in g.rows if r.kind == kind
        )

    no_interval = listing("no_interval", lambda r: f"{_fmt(r.estimate)}%")
    if no_interval:
        lines.append(
            "No interval because the group size or denominator was not reported (open marker): "
            f"{no_interval}."
        )
    ranges = listing("range", lambda r: f"{_fmt(r.low)} to {_fmt(r.high)}%")
    if ranges:
        lines.append(f"Range as reported, no point estimate (bar without marker): {ranges}.")
    missing = "; ".join(
        f"{r.label} ({g.name})" for g in groups for r in g.rows if r.kind == "missing"
    )
    if missing:
        lines.append(
            f"No estimate or interval reported (label only, marked not reported): {missing}."
        )

    pooled_parts = []
    for g in groups:
        for p in g.pooled:
            pi = (
                f"prediction interval {_fmt(p.pi_low)} to {_fmt(p.pi_high)}%"
                if p.has_pi
                else "no prediction interval"
            )
            pooled_parts.append(
                f"{p.label} ({g.name}): {_fmt(p.estimate)}%, CI {_fmt(p.low)} to "
                f"{_fmt(p.high)}%, {pi}"
            )
    if pooled_parts:
        lines.append(
            "Pooled results (diamond spanning the CI, dashed bar for the prediction interval): "
            + "; ".join(pooled_parts)
            + "."
        )
    return "\n".join(lines)
