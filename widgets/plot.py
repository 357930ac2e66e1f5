"""A live plotly figure for the explorers: a small anywidget that draws with plotly.js.

:class:`Plot` holds a figure as plotly JSON in two synced traits, ``data`` and ``plot_layout``
(not ``layout``: that is every ipywidget's CSS :class:`ipywidgets.Layout`); its
front end draws them with ``Plotly.react`` and draws again, at most once per animation frame,
whenever either changes, so a figure can follow a slider drag. :meth:`Plot.update` writes only
the values that change (by property path, ``"x"``, ``"yaxis.range"``) and sends them as **one**
message. Numeric numpy arrays travel as plotly.js typed-array specs,
``{"dtype": "f8", "bdata": <base64>}``, which plotly.js reads natively (2.28 and later), so
the state is plain JSON.

plotly.js itself (as the installed plotly package ships it, :func:`plotly.offline.get_plotlyjs`,
offline: nothing is fetched) travels once per kernel, in the ESM of one hidden
:class:`PlotlyLibrary` widget (:func:`library`), created (never displayed) with the first Plot.
Its front end runs the bundle with ``define``/``module``/``exports`` shadowed, so the bundle
registers nowhere (not with a page's require.js, and the page's own ``window.Plotly``, if any,
is put back), and publishes the library as ``globalThis.pcdPlotly`` in anywidget's
``initialize`` hook. Each Plot's view waits for it (and says so in the widget if it never comes).

Only public APIs: anywidget's ``_esm`` and ``initialize``/``render`` hooks, ipywidgets'
``hold_sync``, traitlets traits, ``fig.to_plotly_json()`` and ``plotly.utils.PlotlyJSONEncoder``.
Nothing is created at import time.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import anywidget
import numpy as np
import plotly.graph_objects as go
import traitlets

__all__ = ["CONFIG", "Plot", "PlotlyLibrary", "decode", "encode", "library", "with_text"]

CONFIG: dict[str, Any] = {"responsive": True, "displaylogo": False, "showLink": False}
"""plotly.js config of every Plot: resizes with its cell, no logo, no "edit in Chart Studio"
link; the mode bar (zoom, pan, download as PNG) is kept."""

# The hidden library widget's front end. %PLOTLY% is replaced by the plotly.js bundle; the bundle
# is UMD: with a `module` object in scope it assigns `module.exports` and registers nowhere else,
# except that it also sets `window.Plotly`, which is put back as it was.
_LIBRARY_ESM = """\
const Plotly = (() => {
  const had = Object.prototype.hasOwnProperty.call(globalThis, "Plotly");
  const before = globalThis.Plotly;
  const module = { exports: {} };
  const exports = module.exports;
  const define = undefined;
  (function () {
%PLOTLY%
  }).call(globalThis);
  if (had) globalThis.Plotly = before; else delete globalThis.Plotly;
  return module.exports;
})();

export default {
  initialize() { globalThis.pcdPlotly = Plotly; },
};
"""

# A Plot's front end: wait for the library, draw, redraw at most once per frame on change.
_PLOT_ESM = """\
const WAIT_MS = 20000;

function plotly() {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    (function poll() {
      if (globalThis.pcdPlotly) resolve(globalThis.pcdPlotly);
      else if (performance.now() - start > WAIT_MS) reject(new Error("no plotly.js"));
      else setTimeout(poll, 25);
    })();
  });
}

export default {
  async render({ model, el }) {
    let Plotly;
    try {
      Plotly = await plotly();
    } catch (error) {
      el.textContent = "The figure could not be drawn: its plotting library did not load. " +
        "Run the cell again, or restart the kernel and run all cells.";
      return;
    }
    let frame = 0;
    let alive = true;
    const draw = () => {
      frame = 0;
      if (!alive) return;
      const layout = structuredClone(model.get("plot_layout"));
      el.style.height = (layout.height || 450) + "px";  // responsive plots fill their element
      Plotly.react(el, structuredClone(model.get("data")), layout, model.get("config"));
    };
    const schedule = () => { if (!frame) frame = requestAnimationFrame(draw); };
    let width = 0;
    const resized = new ResizeObserver(() => {
      if (el.clientWidth && el.clientWidth !== width && el.data) Plotly.Plots.resize(el);
      width = el.clientWidth;
    });
    resized.observe(el);
    draw();
    model.on("change:data", schedule);
    model.on("change:plot_layout", schedule);
    return () => {
      alive = false;
      if (frame) cancelAnimationFrame(frame);
      resized.disconnect();
      model.off("change:data", schedule);
      model.off("change:plot_layout", schedule);
      Plotly.purge(el);
    };
  },
};
"""


class PlotlyLibrary(anywidget.AnyWidget):
    """plotly.js for every :class:`Plot` of a kernel; never displayed. Use :func:`library`."""

    def __init__(self, **kwargs: Any) -> None:
        import plotly.offline

        esm = _LIBRARY_ESM.replace("%PLOTLY%", plotly.offline.get_plotlyjs())
        super().__init__(_esm=esm, **kwargs)


_LIBRARY: list[PlotlyLibrary] = []


def library() -> PlotlyLibrary:
    """The kernel's one :class:`PlotlyLibrary`, created the first time it is asked for (or again
    if it was closed)."""
    if not _LIBRARY or _LIBRARY[0].comm is None:
        _LIBRARY[:] = [PlotlyLibrary()]
    return _LIBRARY[0]


# ----------------------------------------------------------------------------------------------
# plotly JSON with typed arrays

_DTYPES = {"f": "f8", "i": "i4", "u": "u4"}
_INT32 = np.iinfo(np.int32)
_UINT32 = np.iinfo(np.uint32)


def encode(value: Any) -> Any:
    """``value`` (plotly JSON, e.g. from ``fig.to_plotly_json()``) as plain JSON for a Plot.

    A 1-D numeric numpy array becomes a typed-array spec (``f8``; integers ``i4``/``u4`` where
    they fit, else ``f8``); other arrays and tuples become lists; numpy scalars Python numbers;
    non-finite floats outside arrays ``None`` (a gap, as plotly.js reads null). Other objects go
    through ``plotly.utils.PlotlyJSONEncoder``.

    Examples
    --------
    >>> encode({"x": np.array([0.0, 1.0]), "name": "a"})
    {'x': {'dtype': 'f8', 'bdata': 'AAAAAAAAAAAAAAAAAADwPw=='}, 'name': 'a'}
    >>> encode([1, float("nan"), np.float64(2.5)])
    [1, None, 2.5]
    """
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, np.ndarray):
        return _encode_array(value)
    if isinstance(value, np.generic):
        return encode(value.item())
    from plotly.utils import PlotlyJSONEncoder

    return json.loads(json.dumps(value, cls=PlotlyJSONEncoder))


def _encode_array(array: np.ndarray) -> Any:
    kind = array.dtype.kind
    if array.ndim != 1 or kind not in _DTYPES:
        return encode(array.tolist())
    if kind == "i" and array.size and (array.min() < _INT32.min or array.max() > _INT32.max):
        kind = "f"
    if kind == "u" and array.size and array.max() > _UINT32.max:
        kind = "f"
    code = _DTYPES[kind]
    raw = np.ascontiguousarray(array, dtype="<" + code).tobytes()
    return {"dtype": code, "bdata": base64.b64encode(raw).decode("ascii")}


def decode(value: Any) -> Any:
    """The inverse of :func:`encode` for typed arrays: every ``{"dtype", "bdata"}`` spec in
    ``value`` becomes a numpy array.

    Examples
    --------
    >>> decode({"x": {"dtype": "f8", "bdata": "AAAAAAAAAAAAAAAAAADwPw=="}})
    {'x': array([0., 1.])}
    """
    if isinstance(value, dict):
        if {"dtype", "bdata"} <= set(value) <= {"dtype", "bdata", "shape"}:
            raw = base64.b64decode(value["bdata"])
            array = np.frombuffer(raw, dtype="<" + value["dtype"])
            shape = value.get("shape")
            if isinstance(shape, str):
                shape = [int(s) for s in shape.split(",")]
            return array.reshape(shape) if shape else array
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _path(path: str) -> list[str | int]:
    """``"annotations[0].text"`` -> ``["annotations", 0, "text"]``."""
    steps: list[str | int] = []
    for name, index in _STEP.findall(path):
        steps.append(int(index) if index else name)
    if not steps:
        raise ValueError(f"empty property path {path!r}")
    return steps


def _with(node: Any, steps: Sequence[str | int], value: Any, path: str) -> Any:
    """A copy of ``node`` with ``value`` at ``steps`` (the parts on the way copied, the rest
    shared), so that the trait sees a new value and the old one is left as it was."""
    step, rest = steps[0], steps[1:]
    if isinstance(step, int):
        items = list(node) if isinstance(node, list) else []
        if step >= len(items):
            raise ValueError(f"{path}: index {step} is past the end (there are {len(items)})")
        items[step] = _with(items[step], rest, value, path) if rest else value
        return items
    out = dict(node) if isinstance(node, dict) else {}
    out[step] = _with(out.get(step), rest, value, path) if rest else value
    return out


# ----------------------------------------------------------------------------------------------
# The figure widget


class Plot(anywidget.AnyWidget):
    """A plotly figure, drawn in the browser by plotly.js and updated in place.

    Parameters
    ----------
    figure : plotly.graph_objects.Figure
        The figure as its builder made it (traces styled, layout complete).
    description : str
        Short plain-text alternative: what a text-only view, a screen reader's summary and nbval
        get instead of the figure (the printed description says the rest).

    Attributes
    ----------
    data : list of dict
        The traces, plotly JSON with typed arrays (synced).
    plot_layout : dict
        The figure's layout, plotly JSON (synced). (``layout`` stays the widget's own CSS
        :class:`ipywidgets.Layout`, as on every ipywidget.)
    config : dict
        plotly.js config, :data:`CONFIG` (synced).
    description : str

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> plot = Plot(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])), description="Figure: a line.")
    >>> plot.update(data=[{"y": np.array([5.0, 6.0])}], layout={"yaxis.range": [0, 7]})
    >>> plot.figure.data[0].y.tolist(), plot.plot_layout["yaxis"]
    ([5.0, 6.0], {'range': [0, 7]})
    """

    _esm = _PLOT_ESM
    data = traitlets.List().tag(sync=True)
    plot_layout = traitlets.Dict().tag(sync=True)
    config = traitlets.Dict().tag(sync=True)

    def __init__(self, figure: go.Figure, *, description: str, **kwargs: Any) -> None:
        library()
        spec = encode(figure.to_plotly_json())
        super().__init__(
            data=spec["data"], plot_layout=spec["layout"], config=dict(CONFIG), **kwargs
        )
        self.description = description

    def update(
        self,
        data: Sequence[Mapping[str, Any] | None] | None = None,
        layout: Mapping[str, Any] | None = None,
    ) -> None:
        """Write new values into the figure and send what changed as one message.

        Parameters
        ----------
        data : sequence of (mapping or None), optional
            One entry per trace, in trace order: the properties that change, by path (``"x"``,
            ``"error_x.array"``, ``"marker.color"``), or None for a trace that stays. Values as
            for ``go.Scatter`` (numpy arrays welcome). Shorter than the traces: the rest stay.
        layout : mapping, optional
            Layout values by path (``"yaxis.range"``, ``"annotations[0].text"``).

        Raises
        ------
        ValueError
            If ``data`` has more entries than the figure has traces, or a path's index is out
            of range. (Values are not validated: pass what plotly would accept.)
        """
        new_data = self.data
        if data is not None:
            if len(data) > len(self.data):
                raise ValueError(
                    f"the update has {len(data)} traces but the figure has {len(self.data)}; "
                    "use replace() to change the number of traces"
                )
            new_data = list(self.data)
            for i, props in enumerate(data):
                for path, value in (props or {}).items():
                    new_data[i] = _with(new_data[i], _path(path), encode(value), path)
        new_layout = self.plot_layout
        for path, value in (layout or {}).items():
            new_layout = _with(new_layout, _path(path), encode(value), path)
        with self.hold_sync():
            self.data = new_data
            self.plot_layout = new_layout

    def replace(self, figure: go.Figure) -> None:
        """Show another figure (any number of traces) in this widget, as one message."""
        spec = encode(figure.to_plotly_json())
        with self.hold_sync():
            self.data = spec["data"]
            self.plot_layout = spec["layout"]

    @property
    def figure(self) -> go.Figure:
        """What the widget shows, as a new ``go.Figure`` (arrays decoded), for tests and print."""
        return go.Figure({"data": decode(self.data), "layout": decode(self.plot_layout)})

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        # IPython's display protocol: the widget view, with the short description as plain text.
        return with_text(super()._repr_mimebundle_(**kwargs), self.description)


def with_text(bundle: Any, text: str) -> Any:
    """A widget's ``_repr_mimebundle_`` result (a dict, or a ``(data, metadata)`` pair, as
    anywidget and ipywidgets return) with ``text`` as its ``text/plain``: what nbval compares
    and a text-only front end shows (the widget view itself carries a random model id)."""
    if isinstance(bundle, tuple):
        data, metadata = bundle
        return {**data, "text/plain": text}, metadata
    return {**bundle, "text/plain": text}
