"""Helpers shared by the ``ui`` modules (display plumbing only; no science)."""

from __future__ import annotations

from typing import Any

import anywidget
import ipywidgets as ipw
import numpy as np
import plotly.graph_objects as go
from plotly.basedatatypes import Undefined
from traitlets import Instance, Unicode

__all__ = ["FigureNote", "FigureWidget", "widget_bundle"]


def widget_bundle(widget: ipw.Widget, text: str) -> dict[str, Any]:
    """A widget's display bundle with a short, stable plain-text alternative.

    The plain text is what nbval compares and what a screen reader or a text-only front end shows;
    the widget view itself carries a random model id, which nbval never compares.
    """
    return {
        "application/vnd.jupyter.widget-view+json": {
            "version_major": 2,
            "version_minor": 0,
            "model_id": widget.model_id,
        },
        "text/plain": text,
    }


# Numeric 1-D numpy arrays that plotly sends as typed arrays (``plotly.serializers._py_to_js``).
_TYPED_KINDS = frozenset("uif")
_BINARY = ipw.widgets.widget._binary_types  # what ipywidgets sends as binary buffers
_PLAIN = frozenset({str, int, float, bool, type(None)})  # sent as they are
_DTYPE_NAMES: dict[np.dtype, str] = {}  # str(dtype) is slow enough to matter here


def _to_js(value: Any, path: list, paths: list, buffers: list) -> Any:
    """``value`` as plotly's serializer and ipywidgets' buffer separation together turn it into a
    message state: a numeric 1-D numpy array (but int64/uint64) becomes ``{"dtype", "shape"}``
    with its memory as a binary buffer at ``path + ["buffer"]``, other arrays lists, ``Undefined``
    ``"_undefined_"``, tuples lists; bytes-like values become buffers, dropped from dicts and None
    in lists. One walk instead of two; ``paths`` and ``buffers`` collect the buffers in the order
    ipywidgets would."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(item) in _PLAIN:
                out[key] = item
            elif isinstance(item, _BINARY):
                paths.append([*path, key])
                buffers.append(item)
            else:
                out[key] = _to_js(item, [*path, key], paths, buffers)
        return out
    if kind is list or kind is tuple:
        out_list = []
        for i, item in enumerate(value):
            if type(item) in _PLAIN:
                out_list.append(item)
            elif isinstance(item, _BINARY):
                paths.append([*path, i])
                buffers.append(item)
                out_list.append(None)
            else:
                out_list.append(_to_js(item, [*path, i], paths, buffers))
        return out_list
    if isinstance(value, np.ndarray):
        dtype = value.dtype
        if (
            value.ndim == 1
            and dtype.kind in _TYPED_KINDS
            and not (dtype.kind != "f" and dtype.itemsize == 8)
        ):
            paths.append([*path, "buffer"])
            buffers.append(memoryview(value))
            name = _DTYPE_NAMES.get(dtype)
            if name is None:
                name = _DTYPE_NAMES[dtype] = str(dtype)
            return {"dtype": name, "shape": value.shape}
        return value.tolist()
    if value is Undefined:
        return "_undefined_"
    if isinstance(value, dict | list | tuple):  # subclasses: as plotly's isinstance checks
        return _to_js(dict(value) if isinstance(value, dict) else list(value), path, paths, buffers)
    return value


class FigureWidget(go.FigureWidget):
    """plotly's ``go.FigureWidget`` that sends each edit to the browser as one comm message.

    plotly sends every such edit as four messages (three for a relayout): the layout edit counter,
    the trace edit counter, the edit itself, and the edit property set back to ``None``. Inside a
    kernel each message is serialised, signed and queued for the IOPub thread (0.1-0.3 ms each on
    the 2-core development machine), which made the messages, not the model, most of a slider
    callback's cost (``bench/bench_hormones.py``). Here the counters and the edit go out together
    in one state update, built directly (plotly's serializer and ipywidgets' buffer separation in
    one walk, :func:`_to_js`) instead of through trait assignments, ``hold_sync`` and
    ``get_state``, which cost as much again as sending. The counters are stored on the Python side
    as plotly stores them; the edit property is not (plotly sets it back to ``None`` at once
    anyway, so a new view never replays an old edit either way). The browser side is plotly's
    own, unchanged: it applies the edit on the change event (every edit carries a new edit id, so
    it is always a change) and reports back as before.

    Everything else (construction, ``batch_update()``, ``plotly_restyle``/``plotly_update``,
    reading ``fig.data``) is plotly's. The messages this relies on are checked by
    ``tests/test_figurewidget.py`` against the installed plotly, and the browser suite checks
    that figures redraw in JupyterLab and Voilà.
    """

    # HTML that a FigureNote shows beside this figure. It travels in the figure's own messages:
    # set_note_with_next_edit puts it into the next edit's state update, so a slider move that
    # changes the figure and its readout table sends one kernel message, not two.
    _note = Unicode("").tag(sync=True)
    _staged_note: str | None = None

    def set_note_with_next_edit(self, html: str) -> None:
        """Send ``html`` to this figure's :class:`FigureNote` with the next edit (see
        :meth:`send_staged_note` for when there is none)."""
        self._staged_note = None if html == self._note else html

    def send_staged_note(self) -> None:
        """Send a note staged by :meth:`set_note_with_next_edit` that no edit has carried."""
        note, self._staged_note = self._staged_note, None
        if note is not None:
            self._note = note  # on its own: one message, through ipywidgets

    def _send_once(self, trait: str, *, traces: bool, **fields: Any) -> None:
        """Send the edit counters and ``trait`` (the edit) to the browser as one state update,
        with a staged note."""
        message: dict[str, Any] = {}
        if traces:
            message["trace_edit_id"] = self._last_trace_edit_id + 1
        message["layout_edit_id"] = self._last_layout_edit_id + 1
        message.update(fields)
        counters = {"_last_layout_edit_id": message["layout_edit_id"]}
        self.__dict__["_layout_edit_in_process"] = True  # plain attributes, as plotly sets them
        if traces:
            counters["_last_trace_edit_id"] = message["trace_edit_id"]
            self.__dict__["_trace_edit_in_process"] = True
        note, self._staged_note = self._staged_note, None
        if note is not None:
            counters["_note"] = note
        if self._holding_sync:  # someone holds the state: join it, through the traits
            for name, value in {**counters, trait: message}.items():
                setattr(self, name, value)
            return
        # traitlets' storage: nothing observes the counters or the note on the Python side
        self._trait_values.update(counters)
        paths: list = []
        buffers: list = []
        state = {**counters, trait: _to_js(message, [trait], paths, buffers)}
        self._send({"method": "update", "state": state, "buffer_paths": paths}, buffers=buffers)

    def _send_restyle_msg(self, restyle_data, trace_indexes=None, source_view_id=None):
        self._send_once(
            "_py2js_restyle",
            traces=True,
            restyle_data=restyle_data,
            restyle_traces=self._normalize_trace_indexes(trace_indexes),
            source_view_id=source_view_id,
        )

    def _send_relayout_msg(self, layout_data, source_view_id=None):
        self._send_once(
            "_py2js_relayout",
            traces=False,
            relayout_data=layout_data,
            source_view_id=source_view_id,
        )

    def _send_update_msg(
        self, restyle_data, relayout_data, trace_indexes=None, source_view_id=None
    ):
        self._send_once(
            "_py2js_update",
            traces=True,
            style_data=restyle_data,
            layout_data=relayout_data,
            style_traces=self._normalize_trace_indexes(trace_indexes),
            source_view_id=source_view_id,
        )

    def _send_animate_msg(self, styles_data, relayout_data, trace_indexes, animation_opts):
        self._send_once(
            "_py2js_animate",
            traces=True,
            style_data=styles_data,
            layout_data=relayout_data,
            style_traces=self._normalize_trace_indexes(trace_indexes),
            animation_opts=animation_opts,
            source_view_id=None,
        )


# The note view: the figure's model is looked up through the widget manager (anywidget passes it
# on), its "_note" is drawn, and redrawn on every change of it. No network, no CDN.
_NOTE_ESM = """
export default {
  async render({ model, el }) {
    const ref = model.get("figure") || "";
    const figure = await model.widget_manager.get_model(ref.replace(/^IPY_MODEL_/, ""));
    const draw = () => { el.innerHTML = figure.get("_note") || ""; };
    draw();
    figure.on("change:_note", draw);
    return () => figure.off("change:_note", draw);
  },
};
"""


class FigureNote(anywidget.AnyWidget):
    """HTML beside a :class:`FigureWidget` (a readout table), sent inside the figure's messages.

    A slider callback that changes a figure and the table under it would otherwise send two
    kernel messages per move, one per widget model; here the table is a property of the figure's
    model (``FigureWidget._note``, set with ``set_note_with_next_edit``) and this widget only shows
    it, so each move sends one. Displayed as a separate output, like the figure (Voilà renders a
    FigureWidget nested in an ipywidgets box empty). ``value`` reads the HTML, as an
    ``ipywidgets.HTML`` would.
    """

    _esm = _NOTE_ESM
    figure = Instance(FigureWidget).tag(sync=True, **ipw.widget_serialization)

    def __init__(self, figure: FigureWidget, **kwargs: Any) -> None:
        super().__init__(figure=figure, **kwargs)

    @property
    def value(self) -> str:
        """The HTML shown (the figure's note)."""
        return self.figure._note
