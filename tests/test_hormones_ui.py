"""Headless tests for widgets.hormones.ui: controls, traces that change, readouts, display."""

from __future__ import annotations

import csv
import shutil

import ipywidgets as ipw
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from widgets import data
from widgets.hormones import figures, scenarios, ui
from widgets.plot import Plot


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return data.load("hormones")


@pytest.fixture
def sim(table):
    return ui.dropoff_simulator(table)


@pytest.fixture
def explorer(table):
    return ui.timescales_explorer(table)


def snapshot(fig: go.Figure) -> list[np.ndarray]:
    return [np.array(t.y, dtype=float) for t in fig.data]


def changed(before: list[np.ndarray], fig: go.Figure) -> set[str]:
    """Names of the traces whose y values differ from ``before``."""
    names = set()
    for old, trace in zip(before, fig.data, strict=True):
        new = np.array(trace.y, dtype=float)
        if old.shape != new.shape or not np.array_equal(old, new, equal_nan=True):
            meta = trace.meta or {}
            names.add(meta.get("marker") or meta.get("role"))
    return names


def _sent(widget, monkeypatch) -> list[dict]:
    """What ``widget`` sends to the browser from now on (its comm messages' data)."""
    sent: list[dict] = []
    monkeypatch.setattr(
        widget.comm, "send", lambda data=None, metadata=None, buffers=None: sent.append(data)
    )
    return sent


# --- controls -------------------------------------------------------------------------------


def test_controls_are_labelled_and_limited_to_the_data(sim, table):
    rows = table.set_index("marker")
    for marker, slider in sim.half_life.items():
        assert slider.description
        assert (slider.min, slider.value, slider.max) == (
            rows.loc[marker, "half_life_low_min"],
            rows.loc[marker, "half_life_min"],
            rows.loc[marker, "half_life_high_min"],
        )
    assert set(sim.half_life) == set(rows.index[rows.status == "simulated"])  # not flat cortisol
    assert "illustrative" in sim.half_life["heart_rate"].description
    for control in sim.controls.children:
        assert control.description
    assert isinstance(sim.partnered, ipw.ToggleButtons)
    assert isinstance(sim.log_time, ipw.Checkbox)


def test_one_plot_under_the_controls_and_sliders_follow_a_drag(sim):
    assert isinstance(sim.plot, Plot)
    row, below = sim.explorer.widget.children  # controls beside (or above) the figure
    assert row.children == (sim.controls, sim.plot) and below is sim.readout
    assert all(not isinstance(c, Plot) for c in sim.controls.children)
    sliders = [c for c in sim.controls.children if isinstance(c, ipw.FloatSlider)]
    assert sliders and all(s.continuous_update for s in sliders)
    assert 'role="status"' in sim.readout.value and 'aria-live="polite"' in sim.readout.value


def test_a_copy_of_the_data_sets_the_slider_ranges(tmp_path, table):
    target = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, target)
    path = target / "hormones.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if row["marker"] == "prolactin":
            row.update(half_life_low_min="20", half_life_min="30", half_life_high_min="60")
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    copy = data.load("hormones", data_dir=target)
    sim = ui.dropoff_simulator(copy)
    slider = sim.half_life["prolactin"]
    assert (slider.min, slider.value, slider.max) == (20, 30, 60)
    assert sim.readouts()[0].t_half_min == 30
    original = ui.dropoff_simulator(table)
    assert not np.array_equal(
        np.array(sim.figure.data[1].y, dtype=float),
        np.array(original.figure.data[1].y, dtype=float),
    )


# --- a slider moves the right traces -----------------------------------------------------------


def test_prolactin_half_life_moves_only_the_prolactin_line(sim, monkeypatch):
    before = snapshot(sim.figure)
    sent = _sent(sim.plot, monkeypatch)
    sim.half_life["prolactin"].value = 45.0
    # The band is the literature range and the label sits at the peak: neither moves.
    assert changed(before, sim.figure) == {"prolactin"}
    ((message,),) = [sent]  # one message: the traces (the axes stay)
    assert list(message["state"]) == ["data"]


def test_intensity_moves_every_curve_but_the_flat_one(sim, monkeypatch):
    before = snapshot(sim.figure)
    sent = _sent(sim.plot, monkeypatch)
    sim.intensity.value = 1.6
    simulated = {s.marker for s in sim.specs if s.status != "flat"}
    # the labels follow their curves' peaks
    assert changed(before, sim.figure) == {*simulated, "bands", "labels"}
    assert len(sent) == 1


def test_partnered_switch_moves_only_prolactin(sim):
    before = snapshot(sim.figure)
    sim.partnered.value = False
    assert changed(before, sim.figure) == {"prolactin", "bands", "labels"}


def test_duration_moves_heart_rate_before_orgasm(sim):
    before = snapshot(sim.figure)
    sim.duration.value = 30.0
    assert "heart_rate" in changed(before, sim.figure)
    assert "prolactin" not in changed(before, sim.figure)


def test_the_figure_is_never_recreated(sim):
    plot, n_traces = sim.plot, len(sim.plot.data)
    sim.set_values(intensity=2.0, partnered=False, half_lives={"oxytocin": 6.0}, log_time=True)
    sim.set_values(duration_min=45.0, log_time=False)
    assert sim.plot is plot and sim.explorer.plots == (plot,)
    assert len(sim.plot.data) == n_traces


def test_plotted_curves_equal_the_model(sim, table):
    sim.set_values(intensity=1.2, half_lives={"heart_rate": 0.5})
    curves = scenarios.dropoff_scenario(table, intensity=1.2, half_lives={"heart_rate": 0.5}).curves
    prolactin = np.array(sim.figure.data[1].y, dtype=float)
    np.testing.assert_allclose(prolactin, curves["prolactin"].level, atol=5e-5)


# --- readouts -----------------------------------------------------------------------------------


def test_readouts_match_the_model(sim, table):
    table_out = sim.set_values(intensity=1.5, partnered=False, half_lives={"prolactin": 45.0})
    expected = scenarios.readouts(
        table,
        intensity=1.5,
        partnered=False,
        half_lives={"prolactin": 45.0, "oxytocin": 3.5, "heart_rate": 0.25, "cortisol": 66.0},
    )
    assert sim.readouts() == expected
    assert table_out.back_within_10pct_min.tolist() == [
        round(r.back_within_min, 1) for r in expected
    ]
    assert table_out.peak_x_resting.tolist() == [round(r.peak_fold, 2) for r in expected]


def test_readout_html_lists_every_marker(sim):
    text = sim.readout.value
    for label in sim.specs:
        assert label.label in text
    for label in sim._not_drawn.label:
        assert label in text
    assert text.count("not drawn") == len(sim._not_drawn)
    prolactin = next(r for r in sim.readouts() if r.marker == "prolactin")
    assert figures.format_minutes(prolactin.back_within_min) in text


def test_readout_html_after_moves_equals_a_fresh_simulators(sim, explorer, table):
    """Rows are remembered per readout: after moves back and forth the table is still exactly
    what a simulator built at those settings shows."""
    sim.set_values(intensity=1.3, half_lives={"oxytocin": 6.0})
    sim.set_values(intensity=0.7, partnered=False, half_lives={"oxytocin": 3.5})
    sim.set_values(duration_min=30.0)
    fresh = ui.dropoff_simulator(table, intensity=0.7, partnered=False, duration_min=30.0)
    assert sim.readout.value == fresh.readout.value
    # head, the drawn markers, the ones not drawn
    assert sim.readout.value.count("<tr>") == 1 + len(sim.specs) + len(sim._not_drawn)
    explorer.set_values(intensity=1.5, abrupt_end=False)
    explorer.set_values(duration_min=60.0)
    fresh = ui.timescales_explorer(table, intensity=1.5, abrupt_end=False, duration_min=60.0)
    assert explorer.readout.value == fresh.readout.value
    assert explorer.readout.value.count("<tr>") == 2 + len(explorer.specs)  # head, curves, stress


def test_set_values_updates_once(sim, monkeypatch):
    sent = _sent(sim.plot, monkeypatch)
    sim.set_values(intensity=0.5, duration_min=20.0, partnered=False)
    assert len(sent) == 1


def test_reset_restores_the_defaults(sim):
    defaults = sim.readout_table()
    sim.set_values(intensity=2.0, partnered=False, half_lives={"prolactin": 25.0})
    pd.testing.assert_frame_equal(sim.reset(), defaults)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"intensity": 3.0}, r"intensity must be a number in \[0.5, 2\]"),
        ({"half_lives": {"prolactin": 80.0}}, r"half_lives\['prolactin'\].*\[25, 50\]"),
        ({"half_lives": {"cortisol": 70.0}}, "unknown marker 'cortisol'"),
        ({"partnered": "yes"}, "partnered must be True or False"),
    ],
)
def test_set_values_rejects_values_outside_the_controls(sim, kwargs, match):
    with pytest.raises(ValueError, match=match):
        sim.set_values(**kwargs)


# --- log time -----------------------------------------------------------------------------------


def test_log_time_switches_the_axis_in_one_message(sim, monkeypatch):
    before = snapshot(sim.figure)
    sent = _sent(sim.plot, monkeypatch)
    sim.log_time.value = True
    assert sim.figure.layout.xaxis.type == "log"
    assert sim.figure.layout.xaxis.range[0] == -2.0
    parts = figures.figure_parts(sim.figure)
    (log_positions,) = figures.label_positions(parts, log_time=True).values()
    assert list(sim.figure.data[-1].textposition) == log_positions
    ((message,),) = [sent]  # one message: layout and labels together
    assert set(message["state"]) == {"data", "plot_layout"}
    assert changed(before, sim.figure) == set()
    sim.log_time.value = False
    assert sim.figure.layout.xaxis.type == "linear"
    (linear_positions,) = figures.label_positions(parts, log_time=False).values()
    assert list(sim.figure.data[-1].textposition) == linear_positions


# --- display ------------------------------------------------------------------------------------


def test_display_shows_one_widget_with_a_text_alternative(sim, monkeypatch):
    shown = []
    monkeypatch.setattr(ui, "display", lambda *objs, **kw: shown.append((objs, kw)))
    sim._ipython_display_()
    (((bundle,), kwargs),) = shown
    assert kwargs["raw"] is True
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == (
        sim.explorer.widget.model_id
    )
    controls, figure, readout = bundle["text/plain"].splitlines()
    assert controls.startswith("Controls: Intensity")
    assert figure == sim.plot.description
    assert readout.startswith("Readout table")


def test_description_matches_the_readouts(sim):
    sim.set_values(partnered=False)
    text = sim.description()
    assert "Prolactin peaks at 1.50 × resting" in text
    assert "1 h 36 min" not in text  # solo prolactin is back in under two hours: "96 min"
    assert "96 min" in text


# --- lesson 03 ----------------------------------------------------------------------------------


def test_timescales_controls(explorer):
    assert [c.description.split(" (")[0] for c in explorer.controls.children] == [
        "Intensity",
        "Length of the activity",
        "Ends abruptly",
        "Log time axis",
    ]
    assert explorer.figure.layout.xaxis.type == "log"
    assert explorer.figure not in explorer.controls.children


def test_abrupt_end_moves_the_activity_curves_only(explorer, monkeypatch):
    before = snapshot(explorer.figure)
    sent = _sent(explorer.plot, monkeypatch)
    explorer.abrupt_end.value = False
    assert changed(before, explorer.figure) == {"heart_rate", "stress", "bands", "labels"}
    assert len(sent) == 1


def test_timescales_readouts_match_the_model(explorer, table):
    out = explorer.set_values(intensity=1.8, duration_min=90.0, abrupt_end=False)
    expected = scenarios.timescale_readouts(
        table, intensity=1.8, duration_min=90.0, abrupt_end=False
    )
    assert explorer.readouts() == expected
    assert out.system.tolist()[-1] == scenarios.STRESS_LABEL
    assert out.back_within_10pct_min.tolist() == [round(r.back_within_min, 1) for r in expected]
    assert "Stress curve" in explorer.readout.value


def test_timescales_reset_and_validation(explorer):
    defaults = explorer.readout_table()
    explorer.set_values(duration_min=120.0)
    pd.testing.assert_frame_equal(explorer.reset(), defaults)
    with pytest.raises(ValueError, match="duration_min must be a number in"):
        explorer.set_values(duration_min=5.0)


@pytest.mark.parametrize("make", [ui.dropoff_simulator, ui.timescales_explorer])
def test_a_browser_move_updates_the_figure_and_the_table(make, monkeypatch):
    widget = make()
    before_figure, before_table = snapshot(widget.figure), widget.readout.value
    widget.intensity.set_state({"value": 1.5})  # what ipywidgets does with a browser's move
    assert changed(before_figure, widget.figure) and widget.readout.value != before_table
    assert widget.readout_table().equals(widget.set_values(intensity=1.5))
    widget.intensity.set_state({"value": 99.0})  # out of range: clamped, as ipywidgets does
    assert widget.intensity.value == widget.intensity.max
    assert widget.readouts()[0].peak_fold > 1


@pytest.mark.parametrize("make", [ui.dropoff_simulator, ui.timescales_explorer])
def test_try_settings_does_not_move_the_widget(make, monkeypatch):
    widget = make()
    widget.set_values(intensity=1.7)
    values, table = widget.explorer.values(), widget.readout_table()
    sent = [_sent(c, monkeypatch) for c in (widget.plot, widget.readout, widget.intensity)]
    text = widget.try_settings({}, {"intensity": 0.5})
    assert text.startswith("starting settings: intensity 1,")
    assert widget.explorer.values() == values and widget.readout_table().equals(table)
    assert sent == [[], [], []]
