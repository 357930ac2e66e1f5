"""The pack's plotly look: one lean template, a colour-blind-safe palette, and value rounding.

Importing this module registers the plotly template ``"pcd"`` in :data:`plotly.io.templates`. It
does not change ``plotly.io.templates.default``: figure builders ask for the template by name
(``template=TEMPLATE``), so importing the package never alters anyone else's figures.

The template is deliberately small, because plotly embeds the whole template in every figure's
JSON and therefore in every stored notebook output. It sets the Okabe–Ito colourway (without the
yellow, which has poor contrast on white), a system font stack (no web fonts, nothing fetched),
a white background with a light grey grid, ``hovermode="closest"`` and modest margins.

Colour is never the only cue: :func:`style` gives series ``i`` a colour, a line dash and a marker
symbol that all change together. :func:`round_values` rounds plotted numbers so that stored figure
JSON is byte-identical on any CPU.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

__all__ = ["DASHES", "FONT_FAMILY", "PALETTE", "SYMBOLS", "TEMPLATE", "round_values", "style"]

TEMPLATE = "pcd"
"""Name of the registered plotly template; pass it as ``template=TEMPLATE``."""

PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
)
"""Okabe–Ito colours in plotting order; yellow (#F0E442) is left out for contrast on white."""

DASHES: tuple[str, ...] = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
"""Plotly line dashes, cycled together with :data:`PALETTE` and :data:`SYMBOLS`."""

SYMBOLS: tuple[str, ...] = ("circle", "square", "diamond", "triangle-up", "x", "cross")
"""Plotly marker symbols, cycled together with :data:`PALETTE` and :data:`DASHES`."""

FONT_FAMILY = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", '
    '"Liberation Sans", sans-serif'
)
"""A system font stack: whatever the reader's machine already has; no web fonts are loaded."""

_TEXT = "#1F1F1F"  # near-black text: 16:1 contrast on white
_GRID = "#E3E3E3"  # light grey grid
_LINE = "#6E6E6E"  # axis lines and ticks


def _axis() -> dict:
    return {
        "gridcolor": _GRID,
        "linecolor": _LINE,
        "tickcolor": _LINE,
        "showline": True,
        "ticks": "outside",
        "zeroline": False,
        "automargin": True,
        "title": {"standoff": 10},
    }


def _build_template() -> go.layout.Template:
    return go.layout.Template(
        layout={
            "colorway": list(PALETTE),
            "font": {"family": FONT_FAMILY, "size": 15, "color": _TEXT},
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "hovermode": "closest",
            "hoverlabel": {"font": {"size": 14}},  # family follows layout.font
            "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
            "title": {"x": 0, "xanchor": "left"},
            "xaxis": _axis(),
            "yaxis": _axis(),
        }
    )


pio.templates[TEMPLATE] = _build_template()


def style(i: int) -> dict[str, str]:
    """Return the colour, line dash and marker symbol for series ``i``.

    All three change together from one series to the next, so series stay distinguishable without
    colour (in greyscale print and for colour-blind readers). Indices cycle: colours repeat every
    7 series, dashes and symbols every 6, so the combination repeats only after 42 series.

    Parameters
    ----------
    i : int
        Zero-based series index (non-negative).

    Returns
    -------
    dict
        ``{"color": hex string, "dash": plotly dash name, "symbol": plotly marker symbol}``.

    Examples
    --------
    >>> style(0)
    {'color': '#0072B2', 'dash': 'solid', 'symbol': 'circle'}
    >>> style(1)
    {'color': '#D55E00', 'dash': 'dash', 'symbol': 'square'}
    """
    i = int(i)
    if i < 0:
        raise ValueError(f"series index must be non-negative, got {i}")
    return {
        "color": PALETTE[i % len(PALETTE)],
        "dash": DASHES[i % len(DASHES)],
        "symbol": SYMBOLS[i % len(SYMBOLS)],
    }


def round_values(
    values: Iterable[float] | float, decimals: int = 4, *, out: np.ndarray | None = None
) -> np.ndarray:
    """Round values for plotting so stored figure JSON is identical on any CPU.

    numpy may take different SIMD code paths on different processors, and results can then differ
    in the last bit; rounding to a few decimals removes that noise before the numbers reach a
    figure. NaN (and ``None``) become NaN, and ``-0.0`` becomes ``0.0``.

    Parameters
    ----------
    values : array-like or scalar
        Numbers to round; ``None`` is read as NaN.
    decimals : int, default 4
        Number of decimals to keep.
    out : numpy.ndarray, optional
        A float64 array of the values' shape to write the result into (no new array).

    Returns
    -------
    numpy.ndarray
        A new float64 array (0-d for a scalar input), or ``out``.

    Examples
    --------
    >>> round_values([1.23456789, float("nan"), -0.00001])
    array([1.2346,    nan, 0.    ])
    >>> round_values([0.1 + 0.2], decimals=2)
    array([0.3])
    """
    rounded = np.round(np.asarray(values, dtype=np.float64), decimals, out=out)
    # Adding 0.0 turns -0.0 into 0.0, so a value rounding to zero prints the same from either side.
    if rounded.ndim == 0:
        return rounded + 0.0
    np.add(rounded, 0.0, out=rounded)  # in place: this runs on every slider move
    return rounded
