"""Tests for widgets.hormones.figures: trace layout, labels, rounding, updates, descriptions."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from widgets import data, theme
from widgets.hormones import figures, scenarios


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return data.load("hormones")


@pytest.fixture(scope="module")
def frame(table) -> pd.DataFrame:
    return scenarios.dropoff_scenario(table).frame()


@pytest.fixture(scope="module")
def fig(frame, table):
    return figures.dropoff_figure(frame, not_drawn=scenarios.not_drawn(table), y_range=(0.9, 6))


def _values(trace, name: str) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in getattr(trace, name)], dtype=float)


def test_trace_layout(fig, table):
    drawn = table[table.status != "not simulated"]
    roles = [(t.meta or {}).get("role") for t in fig.data]
    assert roles == ["bands", *["line"] * len(drawn), "labels"]
    assert [t.name for t in fig.data[1 : 1 + len(drawn)]] == [
        label if status != "flat" else f"{label} (no change measured)"
        for label, status in zip(drawn.label, drawn.status, strict=True)
    ]
    assert fig.layout.template.layout.colorway  # the pack's template


def _labels(fig):
    """(line trace, grid row, label text, label x, label y, label colour) of every label."""
    labels = next(t for t in fig.data if (t.meta or {}).get("role") == "labels")
    lines = {t.meta["marker"]: t for t in fig.data if (t.meta or {}).get("role") == "line"}
    return [
        (lines[m], row, text.split("<br>")[0], x, y, colour)
        for m, row, text, x, y, colour in zip(
            labels.meta["markers"],
            labels.meta["rows"],
            labels.text,
            labels.x,
            labels.y,
            labels.textfont.color,
            strict=True,
        )
    ]


def test_lines_differ_by_colour_and_dash(fig):
    lines = fig.data[1:5]
    assert len({t.line.color for t in lines}) == 4
    assert len({t.line.dash for t in lines}) == 4


def test_every_illustrative_amplitude_is_labelled_on_the_figure(fig, table):
    illustrative = table.loc[table.peak_fold_basis == "illustrative", "label"].tolist()
    labels = _labels(fig)
    assert [label[2] for label in labels] == [f"{n}: amplitude illustrative" for n in illustrative]
    # Each label sits at its line's peak, in the line's colour; the second one is raised by two
    # blank lines so that they do not collide. Lines carry no text (see the module docstring).
    # (Labels live after time 0, where the log axis can show them: a peak at orgasm is labelled at
    # the first point after it.)
    for trace, row, _, x, y, colour in labels:
        after = np.flatnonzero(_values(trace, "x") > 0)
        assert row == int(after[0] + np.nanargmax(_values(trace, "y")[after]))
        assert (x, y) == (trace.x[row], trace.y[row])
        assert colour == trace.line.color
    assert [text.count("<br>") for text in fig.data[-1].text] == [2 * i for i in range(len(labels))]
    assert all(t.mode == "lines" and t.text is None for t in fig.data if t.meta["role"] == "line")


def test_markers_not_drawn_are_named_under_the_plot(fig):
    text = " ".join(a.text for a in fig.layout.annotations)
    assert "Not drawn: Dopamine." in text
    assert "Not drawn: β-endorphin." in text


def test_bands_span_the_half_life_range_after_time_zero(fig, frame):
    band = fig.data[0]
    y = _values(band, "y")
    x = _values(band, "x")
    moving = frame.loc[frame.status != "flat", "marker"].nunique()
    assert np.isnan(y).sum() == moving - 1  # one polygon per curve that is not flat
    assert (x[~np.isnan(x)] > 0).all()
    prolactin = frame[frame.marker == "prolactin"]
    positive = prolactin.t_min.to_numpy() > 0
    n = int(positive.sum())
    np.testing.assert_array_equal(
        y[:n], theme.round_values(prolactin.level_high.to_numpy()[positive])
    )
    np.testing.assert_array_equal(
        y[n : 2 * n], theme.round_values(prolactin.level_low.to_numpy()[positive])[::-1]
    )


def test_every_plotted_number_is_rounded(fig):
    for trace in fig.data:
        for name in ("x", "y"):
            values = _values(trace, name)
            finite = values[np.isfinite(values)]
            np.testing.assert_array_equal(finite, np.round(finite, 4))


def test_figure_json_is_the_same_on_every_build(frame, table):
    a = figures.dropoff_figure(frame, not_drawn=scenarios.not_drawn(table)).to_json()
    b = figures.dropoff_figure(frame, not_drawn=scenarios.not_drawn(table)).to_json()
    assert a == b


def test_log_time_axis(frame):
    fig = figures.dropoff_figure(frame, log_time=True)
    assert fig.layout.xaxis.type == "log"
    assert list(fig.layout.xaxis.range) == [-2.0, pytest.approx(math.log10(300), abs=1e-4)]
    assert "log scale" in fig.layout.xaxis.title.text


def test_fixed_y_range_and_ten_percent_line(fig):
    assert list(fig.layout.yaxis.range) == [0.9, 6.0]
    (line,) = fig.layout.shapes
    assert (line.y0, line.y1) == (1.1, 1.1)


def _assert_sends_the_fresh_figure(update, fresh) -> None:
    """Each trace curve_update changes has the values of that trace in a freshly built figure."""
    for i, props in enumerate(update):
        if props is not None:
            np.testing.assert_array_equal(
                np.asarray(props["y"], dtype=float), _values(fresh.data[i], "y")
            )


def test_curve_update_matches_a_fresh_figure(table, frame):
    fig = figures.dropoff_figure(frame)
    parts = figures.figure_parts(fig)
    scenario = {"intensity": 1.7, "partnered": False, "half_lives": {"oxytocin": 5.0}}
    out = scenarios.dropoff_scenario(table, **scenario)
    update = figures.curve_update(parts, out.curves)
    fresh = figures.dropoff_figure(out.frame())
    moving = tuple(table.marker[table.status == "simulated"])
    assert parts.moving == moving  # not the flat cortisol
    assert len(update) == len(fig.data)
    # the lines, the band, the labels at the new peaks; the flat line stays
    changed = {i for i, props in enumerate(update) if props is not None}
    assert changed == {*(parts.line_index[m] for m in moving), 0, parts.label_index}
    assert all(list(update[i]) == ["y"] for i in changed)
    _assert_sends_the_fresh_figure(update, fresh)


def test_curve_update_matches_a_fresh_timescales_figure(table):
    out = scenarios.timescales_scenario(table, intensity=1.7, duration_min=45.0, abrupt_end=False)
    fig = figures.timescales_figure(scenarios.timescales_scenario(table).frame())
    update = figures.curve_update(figures.figure_parts(fig), out.curves)
    assert all(props is not None for props in update)  # every line, the band, the labels
    _assert_sends_the_fresh_figure(update, figures.timescales_figure(out.frame()))


def test_time_update_switches_the_axis_and_the_labels(frame):
    parts = figures.figure_parts(figures.dropoff_figure(frame))
    titles = {"x_title": "linear", "log_x_title": "log"}
    layout, labels = figures.time_update(parts, log_time=True, **titles)
    assert layout == {"xaxis.type": "log", "xaxis.range": [-2.0, 2.4771], "xaxis.title.text": "log"}
    ((index, props),) = labels.items()
    assert props == {"textposition": figures.label_positions(parts, log_time=True)[index]}
    layout, _ = figures.time_update(parts, log_time=False, **titles)
    assert layout["xaxis.type"] == "linear" and layout["xaxis.title.text"] == "linear"


def test_labels_keep_their_point_and_follow_their_curve(table, frame):
    fig = figures.dropoff_figure(frame)
    parts = figures.figure_parts(fig)
    illustrative = table.loc[table.peak_fold_basis == "illustrative", "marker"].tolist()
    assert list(parts.label_markers) == illustrative
    update = figures.curve_update(parts, scenarios.dropoff_scenario(table, partnered=False).curves)
    heights = update[parts.label_index]["y"]
    assert all(h > 1 for h in heights)  # each at its curve (checked row by row below)
    for m, row, height in zip(parts.label_markers, parts.label_rows, heights, strict=True):
        assert update[parts.line_index[m]]["y"][row] == height


def test_label_positions_keep_labels_inside(frame):
    fig = figures.dropoff_figure(frame)
    parts = figures.figure_parts(fig)
    i = parts.label_index
    xs = [float(parts.t_min[row]) for row in parts.label_rows]
    t = parts.t_min
    linear = [(x - t.min()) / (t.max() - t.min()) for x in xs]
    assert figures.label_positions(parts, log_time=False) == {
        i: ["top left" if w > 2 / 3 else "top right" for w in linear]
    }
    # On a log axis a label in the right third (prolactin's peak) goes left of its point.
    lo, hi = np.log10(t[t > 0].min()), np.log10(t.max())
    log = [(np.log10(x) - lo) / (hi - lo) for x in xs]
    positions = figures.label_positions(parts, log_time=True)[i]
    assert positions == ["top left" if w > 2 / 3 else "top right" for w in log]
    assert positions[list(parts.label_markers).index("prolactin")] == "top left"


def test_timescales_figure(table):
    df = scenarios.timescales(table, t_min=scenarios.time_grid(before_min=120, after_min=720))
    fig = figures.timescales_figure(df, title="t")
    assert fig.layout.xaxis.type == "log"
    assert _labels(fig)[-1][2] == "Stress curve: amplitude illustrative"
    assert "stress curve" in " ".join(a.text for a in fig.layout.annotations)


def test_builders_check_their_input(frame):
    with pytest.raises(KeyError, match="columns not in data_frame"):
        figures.dropoff_figure(frame.drop(columns="level_low"))
    with pytest.raises(TypeError, match="unknown column arguments"):
        figures.dropoff_figure(frame, colour="x")
    shifted = frame.copy()
    shifted.loc[shifted.marker == "oxytocin", "t_min"] += 1
    with pytest.raises(ValueError, match="same time grid"):
        figures.dropoff_figure(shifted)
    with pytest.raises(ValueError, match="no rows"):
        figures.dropoff_figure(frame.iloc[:0])


def test_column_names_can_be_renamed(frame):
    renamed = frame.rename(columns={"level": "y"})
    fig = figures.dropoff_figure(renamed, level="y")
    assert fig.data[1].name == "Prolactin"


def test_describe_dropoff_states_the_readouts(table, frame):
    readouts = scenarios.readouts(table)
    text = figures.describe_dropoff(frame, readouts, not_drawn=scenarios.not_drawn(table))
    lines = text.splitlines()
    assert lines[0].startswith(f"Line chart of {len(readouts)} body signals")
    for r in readouts[:3]:
        assert f"{r.label} peaks at {r.peak_fold:.2f}" in text
        assert figures.format_minutes(r.back_within_min) in text
    assert "Cortisol stays flat" in text
    assert "Not drawn: β-endorphin" in text and "Dopamine" in text
    assert "None of these curves is a feeling." in text
    # A readout table works too and gives the same text.
    assert (
        figures.describe_dropoff(
            frame, scenarios.readout_table(table), not_drawn=scenarios.not_drawn(table)
        )
        == text
    )


def test_describe_timescales(table):
    df = scenarios.timescales(table, t_min=scenarios.time_grid(before_min=120, after_min=720))
    text = figures.describe_timescales(df, scenarios.timescale_readouts(table))
    assert "log time axis" in text
    assert "Stress curve (cortisol-like) peaks at 1.50" in text
    assert "illustrative" in text.splitlines()[-1]


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (0.0, "0 s"),
        (0.5, "30 s"),
        (1.0, "1.0 min"),
        (59.94, "59.9 min"),
        (119.4, "119 min"),
        (120.0, "2 h 00 min"),
        (241.6, "4 h 02 min"),
        (math.nan, "not applicable"),
    ],
)
def test_format_minutes(minutes, words):
    assert figures.format_minutes(minutes) == words
