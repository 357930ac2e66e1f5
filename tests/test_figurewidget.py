"""widgets._ui.FigureWidget: plotly's FigureWidget, one comm message per edit instead of four.

The browser side is plotly's own JavaScript, so the one message must carry exactly what plotly's
own messages carry; these tests compare the two against the installed plotly.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from widgets._ui import FigureWidget

EDITS = ("_py2js_restyle", "_py2js_relayout", "_py2js_update")


def _figure(cls):
    fig = cls()
    fig.add_scatter(x=np.arange(5.0), y=np.zeros(5), name="a")
    fig.add_scatter(x=np.arange(5.0), y=np.ones(5), name="b")
    return fig


def _record(fig, monkeypatch) -> list[tuple[dict, list]]:
    """Every comm message the widget sends from now on: (state, buffers)."""
    sent: list[tuple[dict, list]] = []

    def send(data=None, metadata=None, buffers=None):
        assert data["method"] == "update"
        sent.append((data["state"], list(buffers or [])))

    monkeypatch.setattr(fig.comm, "send", send)
    return sent


def _edits(sent) -> list[tuple[str, dict]]:
    """(trait, message) for every edit message that is not plotly's reset to None."""
    return [
        (key, state[key])
        for state, _ in sent
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


@pytest.mark.parametrize(("edit", "plotly_sends"), [(_restyle, 4), (_relayout, 3), (_update, 4)])
def test_one_message_per_edit_where_plotly_sends_three_or_four(edit, plotly_sends, monkeypatch):
    ours, theirs = _figure(FigureWidget), _figure(go.FigureWidget)
    sent_ours, sent_theirs = _record(ours, monkeypatch), _record(theirs, monkeypatch)
    edit(ours)
    edit(theirs)
    assert len(sent_theirs) == plotly_sends  # edit counter(s), the edit, the edit set to None
    assert len(sent_ours) == 1


@pytest.mark.parametrize("edit", [_restyle, _relayout, _update])
def test_the_one_message_carries_what_plotly_sends(edit, monkeypatch):
    ours, theirs = _figure(FigureWidget), _figure(go.FigureWidget)
    sent_ours, sent_theirs = _record(ours, monkeypatch), _record(theirs, monkeypatch)
    edit(ours)
    edit(theirs)
    assert _edits(sent_ours) == _edits(sent_theirs)  # same trait, same fields, same values
    (state, _), counters = sent_ours[0], {}
    for s, _ in sent_theirs:
        counters.update({k: v for k, v in s.items() if k.startswith("_last_")})
    assert {k: v for k, v in state.items() if k.startswith("_last_")} == counters


def test_arrays_go_as_binary_buffers(monkeypatch):
    fig = _figure(FigureWidget)
    sent = _record(fig, monkeypatch)
    _restyle(fig)
    ((_, buffers),) = sent
    assert len(buffers) == 2
    assert np.frombuffer(buffers[1], dtype=np.float64).tolist() == [3.0] * 5


def test_python_side_follows_and_ids_keep_counting(monkeypatch):
    fig = _figure(FigureWidget)
    sent = _record(fig, monkeypatch)
    for k in range(3):
        with fig.batch_update():
            fig.plotly_restyle({"y": [np.full(5, float(k))]}, trace_indexes=[1])
    assert list(fig.data[1].y) == [2.0] * 5
    ids = [state["_py2js_restyle"]["trace_edit_id"] for state, _ in sent]
    assert ids == sorted(set(ids)) and len(ids) == 3  # every edit is a new change
    assert fig._last_trace_edit_id == ids[-1]


def test_an_unchanged_restyle_sends_nothing(monkeypatch):
    fig = _figure(FigureWidget)
    sent = _record(fig, monkeypatch)
    fig.plotly_restyle({"y": [np.zeros(5)]}, trace_indexes=[0])  # the values it already has
    assert sent == []
