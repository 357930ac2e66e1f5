"""Changing a plotly figure in place, faster than ``fig.plotly_update`` (for every figure module).

Interactive figures are updated on every move of a control and never rebuilt. plotly's own update
path re-parses every property path and compares values against every trace on every call; on the
2-core development machine that cost more than the simulations behind the figures.
:func:`update_figure` does the same edit with that work done once per property path, and a
``go.FigureWidget`` (or :class:`widgets._ui.FigureWidget`) sends plotly's own single update message.

This relies on plotly internals (the figure's property dicts, its path parser and its message
sender), pinned by ``requirements/lock.txt``; tests check against the
installed plotly that the message and the resulting figure equal ``plotly_update``'s
(``tests/test_prevalence_figures.py``, ``tests/test_surveys_figures.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import plotly.graph_objects as go
from plotly.basedatatypes import BaseFigure, Undefined

__all__ = ["update_figure"]

# Plotly.animate options for an edit drawn at once, without redrawing axes and annotations.
_NO_REDRAW = {"transition": {"duration": 0}, "frame": {"duration": 0, "redraw": False}}


def update_figure(
    fig: go.Figure,
    traces: Mapping[int, Mapping[str, Any]],
    layout: Mapping[str, Any] | None = None,
    *,
    redraw: bool = True,
) -> None:
    """Write new property values into ``fig`` in place: what ``fig.plotly_update`` does, faster.

    An interactive figure is updated on every move of a control. plotly's ``plotly_update``
    re-parses every property path and checks it against every trace on every call (and assigning
    properties one by one also validates every value), which cost more than the statistics. Here
    each path is checked once per class of object, the values are stored where ``plotly_update``
    stores them (so ``fig.data`` and ``fig.layout`` read them back), and a ``go.FigureWidget`` is
    sent the same single update message ``plotly_update`` sends; a plain ``go.Figure`` sends
    nothing. The values are not validated: pass values plotly has produced or would accept, such
    as those of :func:`forest_traces`. If an ``on_change`` callback listens to an object being
    changed, ``fig.plotly_update`` itself is called, so the callback still fires.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
    traces : mapping of int to mapping of str to value
        New values by trace index, then by property path (``"x"``, ``"error_x.array"``). A trace
        may set only some properties; None removes a property, as in plotly.
    layout : mapping of str to value, optional
        New layout values by dotted path (``"yaxis.range"``).
    redraw : bool, default True
        False sends the edit as a zero-length ``Plotly.animate`` without the closing redraw
        (``fig.batch_animate``'s message): the browser moves the changed traces and leaves axes,
        legend and annotations as they are, about half the work of ``Plotly.update`` for the
        pack's figures (30 -> 16 ms in Chromium for lesson 02's). Only for new data values of
        scatter traces on axes whose ranges are fixed, and no layout change.

    Raises
    ------
    ValueError
        If a path is not a property of its trace or of the layout (nothing is changed), or
        ``redraw=False`` comes with a layout change.
    IndexError
        If a trace index is not in the figure.
    """
    data, fig_layout = fig.data, fig.layout  # each access builds a new object
    layout = dict(layout or {})
    indexes = sorted(traces)
    keys = list(dict.fromkeys(k for i in indexes for k in traces[i]))
    _check_paths(fig_layout, layout)
    for i in indexes:
        _check_paths(data[i], traces[i])
    if not redraw and layout:
        raise ValueError("redraw=False moves traces only: it cannot apply a layout change")
    if not indexes and not layout:
        return
    if _listened(fig_layout, layout) or any(_listened(data[i], traces[i]) for i in indexes):
        restyle = {k: [traces[i].get(k, Undefined) for i in indexes] for k in keys}
        fig.plotly_update(
            restyle_data=restyle or None, relayout_data=layout or None, trace_indexes=indexes
        )
        return
    for i in indexes:
        props = fig._data[i]
        for key, value in traces[i].items():
            _set(props, key, value)
    for key, value in layout.items():
        _set(fig._layout, key, value)
    if not redraw:
        fig._send_animate_msg(
            styles_data=[dict(traces[i]) for i in indexes],
            relayout_data={},
            trace_indexes=indexes,
            animation_opts=_NO_REDRAW,
        )
        return
    fig._send_update_msg(
        restyle_data={k: [traces[i].get(k, Undefined) for i in indexes] for k in keys},
        relayout_data=layout,
        trace_indexes=indexes or list(range(len(data))),  # plotly's default: every trace
    )


@lru_cache(maxsize=256)
def _parts(path: str) -> tuple[str | int, ...]:
    """plotly's reading of a property path (``"error_x.array"`` -> ``("error_x", "array")``)."""
    return BaseFigure._str_to_dict_path(path)


def _set(props: dict, path: str, value: Any) -> None:
    """Store ``value`` at ``path`` in a figure's property dict as ``plotly_update`` does.

    A path of names is walked directly, creating missing parents as plotly does; a path with a list
    index, or a None value (which removes a property), goes through plotly's own ``_set_in``.
    """
    parts = _parts(path)
    if value is None or not all(isinstance(p, str) for p in parts):
        BaseFigure._set_in(props, parts, value)
        return
    for part in parts[:-1]:
        props = props.setdefault(part, {})
    props[parts[-1]] = value


_CHECKED: set[tuple[type, str]] = set()


def _check_paths(obj: Any, paths: Iterable[str]) -> None:
    """Raise ValueError unless every path is a property of ``obj`` (plotly's own check, done once
    per class of ``obj`` and path)."""
    for path in paths:
        if (type(obj), path) not in _CHECKED:
            if not BaseFigure._is_key_path_compatible(path, obj):
                raise ValueError(f"{path!r} is not a property of {type(obj).__name__}")
            _CHECKED.add((type(obj), path))


def _listened(obj: Any, paths: Iterable[str]) -> bool:
    """Whether an ``on_change`` callback is registered on ``obj`` or on an object along one of the
    dotted ``paths`` (the objects plotly would notify of the change)."""
    if obj._change_callbacks:
        return True
    for path in paths:
        node = obj
        for part in path.split(".")[:-1]:
            node = node._compound_props.get(part)
            if node is None:
                break
            if node._change_callbacks:
                return True
    return False
