"""Helpers shared by the ``ui`` modules (display plumbing only; no science)."""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw
import plotly.graph_objects as go

__all__ = ["FigureWidget", "widget_bundle"]


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


class FigureWidget(go.FigureWidget):
    """plotly's ``go.FigureWidget`` that sends each edit to the browser as one comm message.

    plotly sends every such edit as four messages (three for a relayout): the layout edit counter,
    the trace edit counter, the edit itself, and the edit property set back to ``None``. Inside a
    kernel each message is serialised, signed and queued for the IOPub thread (0.1-0.3 ms each on
    the 2-core development machine), which made the messages, not the model, most of a slider
    callback's cost (``bench/bench_hormones.py``). Here the counters and the edit are set inside
    ``hold_sync()`` and go out together; the edit property is not set back to ``None``: every edit
    carries a new edit id, so the next one is always a change (the id is the message's first key,
    so traitlets' equality check stops there instead of comparing arrays). The browser side is
    plotly's own, unchanged: it applies the edit on the change event and reports back as before.

    Everything else (construction, ``batch_update()``, ``plotly_restyle``/``plotly_update``,
    reading ``fig.data``) is plotly's. The messages this relies on are checked by
    ``tests/test_figurewidget.py`` against the installed plotly, and the browser suite checks
    that figures redraw in JupyterLab and Voilà.
    """

    def _send_once(self, trait: str, *, traces: bool, **fields: Any) -> None:
        """Set the edit counters and ``trait`` to the message (the counters first, so that
        traitlets' equality check stops at the first key) and send them as one message."""
        message: dict[str, Any] = {}
        if traces:
            message["trace_edit_id"] = self._last_trace_edit_id + 1
        message["layout_edit_id"] = self._last_layout_edit_id + 1
        message.update(fields)
        with self.hold_sync():
            if traces:
                self._last_trace_edit_id = message["trace_edit_id"]
                self._trace_edit_in_process = True
            self._last_layout_edit_id = message["layout_edit_id"]
            self._layout_edit_in_process = True
            setattr(self, trait, message)

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
