"""Tests for widgets.hormones.figures: trace layout, labels, rounding, updates, descriptions."""

from __future__ import annotations

import gc
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
    return scenarios.DropoffModel(table).frame()


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


def _assert_sends_the_fresh_figure(restyle, indexes, fresh) -> None:
    """Each trace curve_update sends has the values of that trace in a freshly built figure."""
    for i, y in zip(indexes, restyle["y"], strict=True):
        np.testing.assert_array_equal(np.asarray(y, dtype=float), _values(fresh.data[i], "y"))


def test_curve_update_matches_a_fresh_figure(table, frame):
    model = scenarios.DropoffModel(table)
    fig = figures.dropoff_figure(frame)
    parts = figures.figure_parts(fig)
    scenario = {"intensity": 1.7, "partnered": False, "half_lives": {"oxytocin": 5.0}}
    restyle, indexes = figures.curve_update(parts, model.curves(**scenario))
    fresh = figures.dropoff_figure(model.frame(**scenario))
    moving = tuple(table.marker[table.status == "simulated"])
    assert parts.moving == moving  # not the flat cortisol
    # the lines, the band, the labels at the new peaks
    assert indexes == [*(parts.line_index[m] for m in moving), 0, parts.label_index]
    assert list(restyle) == ["y"]
    _assert_sends_the_fresh_figure(restyle, indexes, fresh)


def test_curve_update_leaves_out_what_did_not_change(table, frame):
    model = scenarios.DropoffModel(table)
    parts = figures.figure_parts(figures.dropoff_figure(frame))
    before = model.curves(intensity=1.2)
    assert figures.curve_update(parts, model.curves(intensity=1.2), before) == ({"y": []}, [])
    _, indexes = figures.curve_update(
        parts, model.curves(intensity=1.2, half_lives={"oxytocin": 5.0}), before
    )

    # The band spans the range: it stays; a labelled line's label follows it.
    def expected(marker):
        label = [parts.label_index] if marker in parts.label_markers else []
        return [parts.line_index[marker], *label]

    assert indexes == expected("oxytocin")
    _, indexes = figures.curve_update(
        parts, model.curves(intensity=1.2, half_lives={"heart_rate": 0.5}), before
    )
    assert indexes == expected("heart_rate")
    _, indexes = figures.curve_update(parts, model.curves(intensity=1.3), before)
    # every moving line, the band, the labels
    assert indexes == [*(parts.line_index[m] for m in parts.moving), 0, parts.label_index]
    # What is sent equals what a full update sends, including from the remembered copies.
    full, _ = figures.curve_update(parts, model.curves(intensity=1.3))
    again, _ = figures.curve_update(parts, model.curves(intensity=1.3), before)
    fresh = figures.dropoff_figure(model.frame(intensity=1.3))
    for i, a, b in zip(indexes, full["y"], again["y"], strict=True):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, _values(fresh.data[i], "y"))
        assert not a.flags.writeable


def test_curve_update_matches_a_fresh_timescales_figure(table):
    model = scenarios.TimescalesModel(table)
    scenario = {"intensity": 1.7, "duration_min": 45.0, "abrupt_end": False}
    fig = figures.timescales_figure(model.frame())
    parts = figures.figure_parts(fig)
    restyle, indexes = figures.curve_update(parts, model.curves(**scenario), model.curves())
    fresh = figures.timescales_figure(model.frame(**scenario))
    assert sorted(indexes) == list(range(len(fig.data)))  # every line, the band, the labels
    _assert_sends_the_fresh_figure(restyle, indexes, fresh)


def test_rounded_copies_live_as_long_as_the_model_keeps_the_curves(table, frame):
    model = scenarios.DropoffModel(table)
    parts = figures.figure_parts(figures.dropoff_figure(frame))
    curves = model.curves(intensity=1.1)
    first = figures.curve_update(parts, curves)[0]["y"]
    again = figures.curve_update(parts, model.curves(intensity=1.1))[0]["y"]
    # Remembered, not rebuilt: the same rounded memory.
    assert all(np.shares_memory(a, b) for a, b in zip(first, again, strict=True))
    for step in range(120):  # more than twice the scenarios the model keeps
        figures.curve_update(parts, model.curves(intensity=0.5 + step / 120))
    del curves, first, again
    gc.collect()
    kept = len(parts._plotted)
    assert 0 < kept <= 4 * scenarios._BLOCK_CACHE_SIZE  # lines and bands of the kept scenarios


def test_models_hand_back_the_same_read_only_curves(table):
    """curve_update relies on this: the same scenario gives the same Curves object, whose lines
    and bands are read-only rows of two blocks (the figure remembers its rounded copies by
    block); a line's key changes exactly when its values do; a half-life keeps the bands block."""
    model = scenarios.DropoffModel(table)
    first, second = model.curves(intensity=1.4), model.curves(intensity=1.4)
    assert first is second
    for curve in first.values():
        assert not curve.level.flags.writeable and not curve.high.flags.writeable
        assert curve.level.base is first.lines.values and curve.low.base is first.bands.values
    with pytest.raises(TypeError):
        first["prolactin"] = first["oxytocin"]  # type: ignore[index]
    assert not hasattr(first, "pop")
    assert list(first) == list(table.marker[table.status != "not simulated"])
    assert "dopamine" not in first and first.get("dopamine") is None  # a plain Mapping
    with pytest.raises(KeyError):
        first["dopamine"]
    assert first["oxytocin"] is first["oxytocin"]
    assert model.readouts(intensity=1.4)[0] is model.readouts(intensity=1.4)[0]
    other = model.curves(intensity=1.5)
    assert other["prolactin"].level is not first["prolactin"].level
    assert all(other.line_keys[m] != first.line_keys[m] for m in first)
    assert other.bands is not first.bands
    moved = model.curves(intensity=1.4, half_lives={"oxytocin": 5.0})
    assert [m for m in first if moved.line_keys[m] != first.line_keys[m]] == ["oxytocin"]
    assert moved.bands is first.bands  # the band spans the range: it stays
    for m in first:  # equal keys, equal values
        if m != "oxytocin":
            np.testing.assert_array_equal(moved[m].level, first[m].level)
    explorer = scenarios.TimescalesModel(table)
    assert explorer.curves() is explorer.curves()


def test_labels_keep_their_point_and_follow_their_curve(table, frame):
    fig = figures.dropoff_figure(frame)
    parts = figures.figure_parts(fig)
    illustrative = table.loc[table.peak_fold_basis == "illustrative", "marker"].tolist()
    assert list(parts.label_markers) == illustrative
    curves = scenarios.DropoffModel(table).curves(partnered=False)
    restyle, indexes = figures.curve_update(parts, curves)
    heights = restyle["y"][indexes.index(parts.label_index)].tolist()
    assert all(h > 1 for h in heights)  # each at its curve (checked row by row below)
    for m, row, height in zip(parts.label_markers, parts.label_rows, heights, strict=True):
        assert restyle["y"][indexes.index(parts.line_index[m])][row] == height


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
