"""Tests for widgets.explorer: the one explorer base (made-up model and figure, no lesson data)."""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np
import plotly.graph_objects as go
import pytest

from widgets import explorer as explorer_module
from widgets.explorer import Explorer, Readout, text_to_html
from widgets.plot import Plot


def _line(calls: list | None = None) -> Explorer:
    """An explorer of y = slope * x, with a menu and a box: each kind of control once."""
    calls = [] if calls is None else calls
    controls = {
        "slope": ipw.FloatSlider(value=1.0, min=0.0, max=2.0, step=0.1, description="slope"),
        "points": ipw.SelectionSlider(options=[3, 5, 9], value=5, description="points"),
        "colour": ipw.Dropdown(options=[("Red", "red"), ("Blue", "blue")], description="colour"),
        "dots": ipw.Checkbox(value=False, description="show dots"),
        "seed": ipw.BoundedIntText(value=1, min=0, max=10, description="seed"),
    }
    plot = Plot(go.Figure(go.Scatter(x=[0, 1], y=[0, 1])), description="Figure: a line.")

    def compute(values):
        calls.append(values)
        x = np.linspace(0, 1, values["points"])
        return {"x": x, "y": values["slope"] * x, **values}

    def draw(r):
        return {"data": [{"x": r["x"], "y": r["y"], "line.color": r["colour"]}]}

    def readout(r):
        return Readout.from_text(f"Slope {r['slope']:.1f}, {r['points']} points.\nDone.")

    return Explorer(controls=controls, compute=compute, draw=draw, readout=readout, plots=[plot])


def test_builds_once_and_shows_the_first_readout():
    calls: list = []
    line = _line(calls)
    assert len(calls) == 1
    assert line.text == "Slope 1.0, 5 points.\nDone."
    assert line.result["points"] == 5  # compute's result when the readout gives none
    assert line.readout.value.startswith('<div role="status" aria-live="polite"><p>Slope')
    assert list(line.plot.figure.data[0].y) == [0, 0.25, 0.5, 0.75, 1.0]


def test_sliders_follow_a_drag_and_text_boxes_do_not():
    line = _line()
    assert line.controls["slope"].continuous_update
    assert line.controls["points"].continuous_update
    assert not line.controls["seed"].continuous_update  # typing digits: on Enter or leaving


def test_set_changes_the_controls_and_redraws_once():
    calls: list = []
    line = _line(calls)
    line.set(slope=2.0, points=3, colour="blue", dots=True)
    assert len(calls) == 2 and line.values()["slope"] == 2.0
    fig = line.plot.figure
    assert list(fig.data[0].y) == [0, 1.0, 2.0] and fig.data[0].line.color == "blue"
    assert line.text.startswith("Slope 2.0, 3 points.")


def test_a_control_moved_in_the_browser_recomputes():
    line = _line()
    line.controls["slope"].set_state({"value": 0.5})  # as a message from the front end
    assert line.text.startswith("Slope 0.5")


def test_a_burst_of_front_end_values_ends_at_the_newest():
    """ipywidgets keeps one change in flight and sends the newest when the kernel is idle; each
    one that arrives is computed at once, so nothing queues and the last one is shown."""
    calls: list = []
    line = _line(calls)
    values = [round(v, 1) for v in np.linspace(0.1, 1.9, 19)]
    for v in values:
        line.controls["slope"].set_state({"value": v})
    assert [c["slope"] for c in calls[1:]] == values
    assert line.result["slope"] == values[-1] and line.text.startswith("Slope 1.9")
    assert line.plot.figure.data[0].y[-1] == pytest.approx(1.9)


def test_preview_returns_the_readout_and_touches_nothing(monkeypatch):
    line = _line()
    before = (line.values(), line.text, line.readout.value, line.plot.data)
    widgets = [line.plot, line.readout, *line.controls.values()]
    sent: list = []
    for w in widgets:
        monkeypatch.setattr(w.comm, "send", lambda *a, **k: sent.append(a))
    shown = line.preview(slope=0.3, points=9)
    assert shown.text.startswith("Slope 0.3, 9 points.") and shown.result["points"] == 9
    assert (line.values(), line.text, line.readout.value, line.plot.data) == before
    assert sent == []


def test_reset_goes_back_to_the_starting_values():
    line = _line()
    start = line.values()
    line.set(slope=0.2, seed=4)
    line.reset()
    assert line.values() == start and line.text.startswith("Slope 1.0")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"gradient": 1}, r"unknown control\(s\) \['gradient'\]; the controls are \['slope'"),
        ({"slope": 3}, r"slope must be a number from 0\.0 to 2\.0; got 3"),
        ({"slope": "1"}, r"slope must be a number from 0\.0 to 2\.0; got '1'"),
        ({"points": 4}, r"points must be one of \[3, 5, 9\]; got 4"),
        ({"colour": "Red"}, r"colour must be one of \['red', 'blue'\]; got 'Red'"),
        ({"dots": 1}, r"dots must be True or False; got 1"),
        ({"seed": 11}, r"seed must be a number from 0 to 10; got 11"),
    ],
)
def test_bad_values_raise_naming_the_control_and_what_is_valid(values, message):
    line = _line()
    before = line.values()
    with pytest.raises(ValueError, match=message):
        line.set(**{"seed": 5, **values})  # the valid value is not applied either
    with pytest.raises(ValueError, match=message):
        line.preview(**values)
    assert line.values() == before


def test_display_is_one_view_with_a_short_text_alternative(monkeypatch):
    line = _line()
    shown = []
    monkeypatch.setattr(explorer_module, "display", lambda *a, **k: shown.append((a, k)))
    line._ipython_display_()
    (((bundle,), kwargs),) = shown
    assert kwargs["raw"] is True
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == line.widget.model_id
    assert bundle["text/plain"] == line.description()
    assert line.description().splitlines() == [
        "Controls: slope; points; colour; show dots; seed.",
        "Figure: a line.",
        "Readout: the figure's description, updated with each change.",
    ]
    row, below = line.widget.children  # controls beside (or above) the figure
    assert list(row.children) == [line.panel, line.plot] and below is line.readout


def test_draw_may_update_several_plots_or_none():
    plots = [Plot(go.Figure(go.Scatter(y=[0])), description=f"Figure {i}.") for i in range(2)]
    box = ipw.IntSlider(value=1, min=0, max=5, description="n")
    explorer = Explorer(
        controls={"n": box},
        compute=lambda v: v["n"],
        draw=lambda n: [None, {"data": [{"y": [n]}]}] if n else None,
        readout=lambda n: Readout.from_text(f"{n}"),
        plots=plots,
    )
    explorer.set(n=3)
    assert list(plots[0].figure.data[0].y) == [0] and list(plots[1].figure.data[0].y) == [3]
    explorer.set(n=0)  # None: nothing redrawn
    assert list(plots[1].figure.data[0].y) == [3] and explorer.text == "0"


def test_text_to_html_escapes_and_makes_paragraphs():
    assert text_to_html("<b>\n\nx & y") == "<p>&lt;b&gt;</p><p>x &amp; y</p>"
