"""widgets._ui.FigureWidget: plotly's FigureWidget, one comm message per edit instead of four.

The browser side is plotly's own JavaScript, so the one message must carry exactly what plotly's
own messages carry; these tests compare the two against the installed plotly.
"""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from figure_messages import comm_messages
from plotly.basedatatypes import Undefined

from widgets._ui import FigureNote, FigureWidget

EDITS = ("_py2js_restyle", "_py2js_relayout", "_py2js_update", "_py2js_animate")


def _figure(cls):
    fig = cls()
    fig.add_scatter(x=np.arange(5.0), y=np.zeros(5), name="a")
    fig.add_scatter(x=np.arange(5.0), y=np.ones(5), name="b")
    return fig


def _states(sent) -> list[tuple[dict, list]]:
    """(state, buffers) of every message: all of them are state updates."""
    assert all(data["method"] == "update" for data, _ in sent)
    return [(data["state"], buffers) for data, buffers in sent]


def _edits(sent) -> list[tuple[str, dict]]:
    """(trait, message) for every edit message that is not plotly's reset to None."""
    return [
        (key, state[key])
        for state, _ in _states(sent)
        for key in EDITS
        if key in state and state[key] is not None
    ]


def _restyle(fig):
    with fig.batch_update():
        fig.plotly_restyle({"y": [np.full(5, 2.0), np.full(5, 3.0)]}, trace_indexes=[0, 1])


def _relayout(fig):
    fig.plotly_relayout({"title.text": "new title"})


def _update(fig):
    with fig.batch_update():
        fig.data[0].name = "renamed"
        fig.layout.xaxis.type = "log"


def _animate(fig):
    fig._send_animate_msg(  # what update_figure(..., redraw=False) and batch_animate send
        styles_data=[{"y": np.full(5, 4.0)}],
        relayout_data={},
        trace_indexes=[1],
        animation_opts={"transition": {"duration": 0}, "frame": {"duration": 0, "redraw": False}},
    )


@pytest.mark.parametrize(
    ("edit", "plotly_sends"), [(_restyle, 4), (_relayout, 3), (_update, 4), (_animate, 4)]
)
def test_one_message_per_edit_where_plotly_sends_three_or_four(edit, plotly_sends, monkeypatch):
    ours, theirs = _figure(FigureWidget), _figure(go.FigureWidget)
    sent_ours, sent_theirs = comm_messages(ours, monkeypatch), comm_messages(theirs, monkeypatch)
    edit(ours)
    edit(theirs)
    assert len(sent_theirs) == plotly_sends  # edit counter(s), the edit, the edit set to None
    assert len(sent_ours) == 1


@pytest.mark.parametrize("edit", [_restyle, _relayout, _update, _animate])
def test_the_one_message_carries_what_plotly_sends(edit, monkeypatch):
    ours, theirs = _figure(FigureWidget), _figure(go.FigureWidget)
    sent_ours, sent_theirs = comm_messages(ours, monkeypatch), comm_messages(theirs, monkeypatch)
    edit(ours)
    edit(theirs)
    assert _edits(sent_ours) == _edits(sent_theirs)  # same trait, same fields, same values
    (state, _), counters = _states(sent_ours)[0], {}
    for s, _ in _states(sent_theirs):
        counters.update({k: v for k, v in s.items() if k.startswith("_last_")})
    assert {k: v for k, v in state.items() if k.startswith("_last_")} == counters


def test_arrays_go_as_binary_buffers(monkeypatch):
    fig = _figure(FigureWidget)
    sent = comm_messages(fig, monkeypatch)
    _restyle(fig)
    ((_, buffers),) = sent
    assert len(buffers) == 2
    assert np.frombuffer(buffers[1], dtype=np.float64).tolist() == [3.0] * 5


def test_python_side_follows_and_ids_keep_counting(monkeypatch):
    fig = _figure(FigureWidget)
    sent = comm_messages(fig, monkeypatch)
    for k in range(3):
        with fig.batch_update():
            fig.plotly_restyle({"y": [np.full(5, float(k))]}, trace_indexes=[1])
    assert list(fig.data[1].y) == [2.0] * 5
    ids = [state["_py2js_restyle"]["trace_edit_id"] for state, _ in _states(sent)]
    assert ids == sorted(set(ids)) and len(ids) == 3  # every edit is a new change
    assert fig._last_trace_edit_id == ids[-1]


def test_an_unchanged_restyle_sends_nothing(monkeypatch):
    fig = _figure(FigureWidget)
    sent = comm_messages(fig, monkeypatch)
    fig.plotly_restyle({"y": [np.zeros(5)]}, trace_indexes=[0])  # the values it already has
    assert sent == []


def test_update_figure_without_redraw_moves_traces_in_one_animate_message(monkeypatch):
    from widgets.figure_updates import update_figure

    fig, reference = _figure(FigureWidget), _figure(FigureWidget)
    sent = comm_messages(fig, monkeypatch)
    update_figure(fig, {1: {"y": np.full(5, 7.0)}}, redraw=False)
    update_figure(reference, {1: {"y": np.full(5, 7.0)}})
    assert pio.to_json(fig) == pio.to_json(reference)  # the same figure either way
    assert list(fig.data[1].y) == [7.0] * 5
    ((state, buffers),) = _states(sent)
    message = state["_py2js_animate"]
    assert message["style_traces"] == [1]
    assert message["animation_opts"]["frame"] == {"duration": 0, "redraw": False}
    assert np.frombuffer(buffers[0], dtype=np.float64).tolist() == [7.0] * 5
    with pytest.raises(ValueError, match="cannot apply a layout change"):
        update_figure(fig, {1: {"y": np.zeros(5)}}, {"height": 300}, redraw=False)
    assert list(fig.data[1].y) == [7.0] * 5


def _reference_state(value):
    """What plotly's serializer and ipywidgets' buffer separation make of ``value``."""
    from ipywidgets.widgets.widget import _remove_buffers
    from plotly.serializers import _py_to_js

    return _remove_buffers({"edit": _py_to_js(value, None)})


@pytest.mark.parametrize(
    "value",
    [
        {"y": [np.arange(3.0), np.arange(4, dtype=np.float32)], "name": ("a", "b")},
        {"x": np.arange(3, dtype=np.int64), "z": np.arange(3, dtype=np.uint64)},  # as lists
        {"i": np.arange(3, dtype=np.int32), "u": np.arange(2, dtype=np.uint8)},  # typed
        {"m": np.ones((2, 2)), "s": np.array(["a", "b"]), "b": np.array([True, False])},
        {"gone": Undefined, "kept": None, "n": [1, 2.5, "t", None]},
        {"raw": b"\x00\x01", "items": [bytearray(b"x"), {"deep": memoryview(b"yz")}]},
        {"nested": [{"error_y": {"array": np.array([0.5, 1.5])}}, {}], "ids": (1, 2)},
    ],
)
def test_one_walk_serialises_as_plotly_and_ipywidgets_do(value):
    from widgets._ui import _to_js

    paths, buffers = [], []
    ours = {"edit": _to_js(value, ["edit"], paths, buffers)}
    state, ref_paths, ref_buffers = _reference_state(value)
    assert ours == state
    assert paths == ref_paths
    assert [bytes(b) for b in buffers] == [bytes(b) for b in ref_buffers]


def test_the_edit_joins_a_held_state_and_python_keeps_count(monkeypatch):
    fig = _figure(FigureWidget)
    sent = comm_messages(fig, monkeypatch)
    with fig.hold_sync():
        fig.layout.meta = None  # no change: nothing else to send
        _animate(fig)
        assert sent == []  # held until the end of hold_sync
    ((state, buffers),) = _states(sent)
    held_id = state["_py2js_animate"]["trace_edit_id"]
    assert held_id == state["_last_trace_edit_id"] == fig._last_trace_edit_id
    assert np.frombuffer(buffers[0], dtype=np.float64).tolist() == [4.0] * 5
    _animate(fig)  # not held: sent at once, counters stored on the Python side too
    assert len(sent) == 2
    state = sent[1][0]["state"]
    assert state["_last_trace_edit_id"] == fig._last_trace_edit_id == held_id + 1
    assert state["_last_layout_edit_id"] == fig._last_layout_edit_id
    assert fig._trace_edit_in_process and fig._layout_edit_in_process


def test_a_staged_note_travels_in_the_next_edit_message(monkeypatch):
    fig = _figure(FigureWidget)
    note = FigureNote(fig)
    sent = comm_messages(fig, monkeypatch)
    fig.set_note_with_next_edit("<table><tr><td>1</td></tr></table>")
    assert sent == []  # staged, not sent
    _animate(fig)
    fig.send_staged_note()  # nothing left to send
    ((state, buffers),) = _states(sent)
    assert state["_note"] == "<table><tr><td>1</td></tr></table>"
    assert "_py2js_animate" in state and len(buffers) == 1
    assert note.value == fig._note == "<table><tr><td>1</td></tr></table>"
    fig.set_note_with_next_edit(note.value)  # unchanged: nothing is staged
    _animate(fig)
    assert "_note" not in _states(sent)[-1][0]


def test_a_staged_note_without_an_edit_is_sent_alone(monkeypatch):
    fig = _figure(FigureWidget)
    sent = comm_messages(fig, monkeypatch)
    fig.set_note_with_next_edit("<p>new</p>")
    fig.send_staged_note()
    assert _states(sent) == [({"_note": "<p>new</p>"}, [])]
    fig.send_staged_note()  # sent once only
    assert len(sent) == 1


def test_a_staged_note_joins_a_held_state(monkeypatch):
    fig = _figure(FigureWidget)
    sent = comm_messages(fig, monkeypatch)
    with fig.hold_sync():
        fig.set_note_with_next_edit("<p>held</p>")
        _animate(fig)
    ((state, _),) = _states(sent)
    assert state["_note"] == "<p>held</p>" and fig._note == "<p>held</p>"


def test_the_note_view_refers_to_its_figure():
    fig = _figure(FigureWidget)
    note = FigureNote(fig)
    assert note.get_state()["figure"] == f"IPY_MODEL_{fig.model_id}"
    assert "change:_note" in note._esm and "widget_manager.get_model" in note._esm
    assert isinstance(note, ipw.DOMWidget)
