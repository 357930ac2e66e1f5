"""Tests for widgets.plot: the figure widget's state, its messages and the shared plotly.js."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from widgets import plot as plot_module
from widgets.plot import CONFIG, Plot, PlotlyLibrary, decode, encode, library


def _figure() -> go.Figure:
    fig = go.Figure(
        [
            go.Scatter(x=np.arange(5), y=np.array([0.5, np.nan, 2.0, 3.5, 1e-3]), name="a"),
            go.Bar(x=["p", "q"], y=np.array([3, 4], dtype=np.int64), name="b"),
        ]
    )
    fig.update_layout(yaxis={"range": [0, 4]}, height=300, title={"text": "T"})
    return fig


def _sent(widget, monkeypatch) -> list[dict]:
    """Every comm message the widget sends from now on (the comm's public ``send``)."""
    sent: list[dict] = []
    monkeypatch.setattr(widget.comm, "send", lambda data=None, **kw: sent.append(data))
    return sent


def test_state_is_plain_json_whose_typed_arrays_decode_to_the_arrays():
    fig = _figure()
    plot = Plot(fig, description="Figure: two traces.")
    state = {"data": plot.data, "layout": plot.plot_layout, "config": plot.config}
    assert json.loads(json.dumps(state, allow_nan=False)) == state  # plain JSON, no NaN
    spec = plot.data[0]["y"]
    assert set(spec) == {"dtype", "bdata"} and spec["dtype"] == "f8"
    np.testing.assert_array_equal(decode(spec), fig.data[0].y)  # NaN kept, as a gap
    np.testing.assert_array_equal(plot.figure.data[1].y, [3, 4])
    assert plot.figure.layout.yaxis.range == (0, 4) and plot.figure.layout.height == 300
    assert plot.config == CONFIG and CONFIG["displaylogo"] is False


@pytest.mark.parametrize(
    "array",
    [
        np.linspace(-1, 1, 7),
        np.array([1, -2, 3], dtype=np.int64),
        np.array([2**40, 1], dtype=np.int64),  # beyond int32: sent as float64
        np.array([7, 8], dtype=np.uint8),
        np.array([], dtype=float),
    ],
)
def test_encode_and_decode_round_trip_numeric_arrays(array):
    spec = encode(array)
    assert spec["dtype"] in {"f8", "i4", "u4"}
    np.testing.assert_array_equal(decode(spec), array)


def test_encode_leaves_no_numpy_and_no_nan():
    out = encode({"a": (np.float64(1.5), float("inf")), "b": np.array(["x", "y"]), "c": [None]})
    assert out == {"a": [1.5, None], "b": ["x", "y"], "c": [None]}


def test_update_sends_one_message_with_what_changed(monkeypatch):
    plot = Plot(_figure(), description="Figure.")
    sent = _sent(plot, monkeypatch)
    plot.update(
        data=[{"y": np.array([1.0, 2.0]), "marker.color": "red"}, None],
        layout={"yaxis.range": [0, 9], "title.text": "U"},
    )
    assert len(sent) == 1
    assert set(sent[0]["state"]) == {"data", "plot_layout"}
    fig = plot.figure
    assert list(fig.data[0].y) == [1.0, 2.0] and fig.data[0].marker.color == "red"
    assert fig.data[0].name == "a" and list(fig.data[1].y) == [3, 4]  # the rest stays
    assert fig.layout.yaxis.range == (0, 9) and fig.layout.title.text == "U"
    assert fig.layout.height == 300


def test_update_with_only_the_layout_sends_only_the_layout(monkeypatch):
    plot = Plot(_figure(), description="Figure.")
    sent = _sent(plot, monkeypatch)
    plot.update(layout={"annotations": [{"text": "a"}]})
    plot.update(layout={"annotations[0].text": "b"})
    assert [set(m["state"]) for m in sent] == [{"plot_layout"}, {"plot_layout"}]
    assert plot.plot_layout["annotations"] == [{"text": "b"}]


def test_an_update_that_changes_nothing_sends_nothing(monkeypatch):
    plot = Plot(_figure(), description="Figure.")
    plot.update(data=[{"y": np.array([1.0])}])
    sent = _sent(plot, monkeypatch)
    plot.update(data=[{"y": np.array([1.0])}])
    assert sent == []


def test_update_does_not_change_the_previous_state():
    plot = Plot(_figure(), description="Figure.")
    before = json.dumps([plot.data, plot.plot_layout])
    data, layout = plot.data, plot.plot_layout
    plot.update(data=[{"line.width": 3}], layout={"yaxis.range": [1, 2]})
    assert json.dumps([data, layout]) == before


def test_update_refuses_more_traces_than_the_figure_has():
    plot = Plot(_figure(), description="Figure.")
    with pytest.raises(ValueError, match="the update has 3 traces but the figure has 2"):
        plot.update(data=[{}, {}, {}])
    with pytest.raises(ValueError, match=r"annotations\[2\]\.text: index 2 is past the end"):
        plot.update(layout={"annotations": [], "annotations[2].text": "x"})


def test_replace_shows_another_figure_in_one_message(monkeypatch):
    plot = Plot(_figure(), description="Figure.")
    sent = _sent(plot, monkeypatch)
    plot.replace(go.Figure(go.Scatter(y=[1, 2, 3])))
    assert len(sent) == 1 and len(plot.figure.data) == 1


def test_display_bundle_has_the_short_description():
    plot = Plot(_figure(), description="Figure: two traces.")
    data, _ = plot._repr_mimebundle_()
    assert data["text/plain"] == "Figure: two traces."
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == plot.model_id


def test_the_library_is_created_once_per_kernel(monkeypatch):
    made = []
    real_init = PlotlyLibrary.__init__

    def counting(self, **kwargs):
        made.append(self)
        real_init(self, **kwargs)

    monkeypatch.setattr(PlotlyLibrary, "__init__", counting)
    monkeypatch.setattr(plot_module, "_LIBRARY", [])
    Plot(_figure(), description="a")
    Plot(_figure(), description="b")
    assert len(made) == 1 and library() is made[0]
    made[0].close()  # closed (e.g. Widget.close_all): the next Plot makes a new one
    Plot(_figure(), description="c")
    assert len(made) == 2


def test_the_library_carries_plotly_js_with_module_loaders_shadowed():
    import plotly.offline

    esm = library()._esm
    assert plotly.offline.get_plotlyjs() in esm
    wrapper = plot_module._LIBRARY_ESM
    for shadow in ("const module = { exports: {} };", "const exports", "const define = undefined"):
        assert shadow in wrapper
    assert "globalThis.pcdPlotly = Plotly" in wrapper and "initialize" in wrapper
    assert "http" not in wrapper  # nothing fetched


def test_the_plot_front_end_is_short_offline_and_coalesces():
    esm = Plot._esm
    assert "http" not in esm and "import " not in esm  # no URL, no import: offline
    assert "requestAnimationFrame" in esm and "Plotly.react" in esm  # one redraw per frame
    assert "globalThis.pcdPlotly" in esm and "could not be drawn" in esm  # a visible failure
    assert len(esm.splitlines()) <= 60
