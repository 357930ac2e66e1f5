"""Figures for lesson 01: the article's claims by topic and verdict, and a text description.

Builders follow plotly express conventions: tidy data plus column names in, a
:class:`plotly.graph_objects.Figure` out, with the pack's ``"pcd"`` template. Nothing here displays
a figure or imports ipywidgets. Counts are whole numbers passed as plain lists, so the stored figure
JSON is identical on any machine.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from widgets import theme
from widgets.claims.models import TOPICS, VERDICTS, label

__all__ = ["VERDICT_STYLE", "describe_verdict_bars", "verdict_bars"]

VERDICT_STYLE: dict[str, dict[str, str]] = {
    "supported": {"color": theme.PALETTE[2], "pattern": ""},
    "partly supported": {"color": theme.PALETTE[4], "pattern": "/"},
    "not supported": {"color": theme.PALETTE[1], "pattern": "x"},
    "untested": {"color": theme.PALETTE[5], "pattern": "."},
}
"""Okabe–Ito colour and fill pattern per verdict: green, orange, vermillion, sky blue; the pattern
and the legend's text mark (✔ ◐ ✘ ?) tell the verdicts apart without colour."""

_ROW_PX = 46
_BASE_PX = 170


def _check_columns(df: pd.DataFrame, **columns: str) -> None:
    missing = [f"{arg}={name!r}" for arg, name in columns.items() if name not in df.columns]
    if missing:
        raise ValueError(
            f"column(s) not in the data: {', '.join(missing)}; the columns are {list(df.columns)}"
        )


def _ordered_topics(values: pd.Series) -> list[str]:
    present = list(dict.fromkeys(values.astype(str)))
    known = [t for t in TOPICS if t in present]
    return known + [t for t in present if t not in known]


def verdict_bars(
    counts: pd.DataFrame,
    *,
    topic: str = "topic",
    verdict: str = "verdict",
    count: str = "claims",
    title: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Horizontal stacked bars: how many claims per topic got each verdict.

    Parameters
    ----------
    counts : pandas.DataFrame
        Tidy counts, one row per (topic, verdict), as from
        :func:`widgets.claims.models.verdict_counts` with ``by="topic"``.
    topic, verdict, count : str
        Column names. Verdicts must be among :data:`widgets.claims.models.VERDICTS`.
    title : str, optional
        Figure title.
    height : int, optional
        Height in pixels; by default it grows with the number of topics.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace per verdict (strongest support first), topics top to bottom in lesson
        order, the count written inside each non-empty bar segment.

    Examples
    --------
    >>> from widgets.claims import models
    >>> claims = models.example_claims()
    >>> fig = verdict_bars(models.verdict_counts(claims, by="topic"))
    >>> [trace.name for trace in fig.data]
    ['✔ supported', '◐ partly supported', '✘ not supported', '? untested']
    >>> sum(sum(trace.x) for trace in fig.data) == len(claims)
    True
    """
    _check_columns(counts, topic=topic, verdict=verdict, count=count)
    unknown = sorted(set(counts[verdict].astype(str)) - set(VERDICTS))
    if unknown:
        raise ValueError(f"unknown verdict(s) {unknown}; valid: {', '.join(VERDICTS)}")
    topics = _ordered_topics(counts[topic])
    table = (
        counts.astype({count: int})
        .pivot_table(index=topic, columns=verdict, values=count, aggfunc="sum", fill_value=0)
        .reindex(index=topics, columns=list(VERDICTS), fill_value=0)
    )
    fig = go.Figure()
    for name in VERDICTS:
        values = [int(v) for v in table[name]]
        style = VERDICT_STYLE[name]
        fig.add_trace(
            go.Bar(
                name=label(name),
                y=topics,
                x=values,
                orientation="h",
                marker={
                    "color": style["color"],
                    "line": {"color": "#1F1F1F", "width": 1},
                    "pattern": {
                        "shape": style["pattern"],
                        "fillmode": "overlay",
                        "fgcolor": "#1F1F1F",
                        "fgopacity": 0.45,
                        "size": 9,
                        "solidity": 0.2,
                    },
                },
                text=[str(v) if v else "" for v in values],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": "#1F1F1F"},
                hovertemplate=f"%{{y}}: %{{x}} claim(s) {label(name)}<extra></extra>",
            )
        )
    longest = int(table.sum(axis=1).max()) if len(table) else 0
    fig.update_layout(
        template=theme.TEMPLATE,
        barmode="stack",
        title=title,
        height=height or _BASE_PX + _ROW_PX * len(topics),
        legend={
            "orientation": "h",
            "traceorder": "normal",
            "x": 0,
            "y": -0.18,
            "xanchor": "left",
            "yanchor": "top",
        },
        margin={"b": 90},
    )
    fig.update_xaxes(title_text="number of claims", dtick=1, range=[0, longest + 0.5])
    fig.update_yaxes(autorange="reversed", title_text=None)
    return fig


def describe_verdict_bars(
    counts: pd.DataFrame,
    *,
    topic: str = "topic",
    verdict: str = "verdict",
    count: str = "claims",
) -> str:
    """A plain-text description of :func:`verdict_bars` for screen readers and for nbval.

    Examples
    --------
    >>> counts = pd.DataFrame({"topic": ["help", "help"], "verdict": ["supported", "untested"],
    ...                        "claims": [1, 2]})
    >>> print(describe_verdict_bars(counts))
    Stacked bar chart of 3 claims in 1 topic, one bar per topic, top to bottom.
    Each bar is split by verdict: ✔ supported, ◐ partly supported, ✘ not supported, ? untested.
    - help: 3 claims: 1 supported, 2 untested.
    Overall: 1 supported, 0 partly supported, 0 not supported, 2 untested.
    """
    _check_columns(counts, topic=topic, verdict=verdict, count=count)
    topics = _ordered_topics(counts[topic])
    total = int(counts[count].sum())
    marks = ", ".join(label(v) for v in VERDICTS)
    lines = [
        f"Stacked bar chart of {total} claims in {len(topics)} topic{'s' * (len(topics) != 1)}, "
        "one bar per topic, top to bottom.",
        f"Each bar is split by verdict: {marks}.",
    ]
    for name in topics:
        rows = counts[counts[topic] == name]
        parts = [
            f"{int(rows.loc[rows[verdict] == v, count].sum())} {v}"
            for v in VERDICTS
            if rows.loc[rows[verdict] == v, count].sum() > 0
        ]
        n = int(rows[count].sum())
        lines.append(f"- {name}: {n} claim{'s' * (n != 1)}: {', '.join(parts)}.")
    overall = ", ".join(
        f"{int(counts.loc[counts[verdict] == v, count].sum())} {v}" for v in VERDICTS
    )
    lines.append(f"Overall: {overall}.")
    return "\n".join(lines)
