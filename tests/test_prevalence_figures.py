"""Tests for widgets.prevalence.figures: the forest plot, as a figure object, and its text."""

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from figure_messages import comm_messages

from widgets import theme
from widgets.figure_updates import update_figure
from widgets.prevalence import figures
from widgets.prevalence.figures import describe_forest_plot, forest_plot

NAN = float("nan")
GROUPS = ["lifetime", "past 4 weeks", "men"]


@pytest.fixture
def df() -> pd.DataFrame:
    # Three groups, one interleaved row ("Study E" returns to "lifetime"), a duplicate label,
    # a row with no interval (B), and a row with only a reported range (C).
    return pd.DataFrame(
        {
            "label": ["Study A", "Study B", "Study C", "Study D", "Study A", "Study E"],
            "measure_family": [
                "lifetime",
                "lifetime",
                "past 4 weeks",
                "past 4 weeks",
                "men",
                "lifetime",
            ],
            "percent": [46.2, 12.345678, NAN, 5.123456789, 33.333333, 20.0],
            "ci_low_pct": [41.0, NAN, 3.0, 4.0, 30.1, 15.55555],
            "ci_high_pct": [51.5, NAN, 4.0, 6.333333333, 36.6, 25.0],
        }
    )


@dataclass
class Pooled:
    measure: str
    estimate_pct: float
    ci_low_pct: float
    ci_high_pct: float
    pi_low_pct: float
    pi_high_pct: float
    label: str


POOLED = [
    Pooled("lifetime", 30.123456, 20.0, 40.0, 5.0, 70.0, "Pooled lifetime"),
    # A mapping works too; this one has no prediction interval.
    {
        "measure": "past 4 weeks",
        "estimate_pct": 5.0,
        "ci_low_pct": 4.0,
        "ci_high_pct": 6.0,
        "pi_low_pct": NAN,
        "pi_high_pct": NAN,
        "label": "Pooled 4 weeks",
    },
]


def _ticks(fig: go.Figure) -> list[tuple[float, str]]:
    return list(zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext, strict=True))


def _data_ticks(fig: go.Figure) -> list[tuple[float, str]]:
    return [(y, t) for y, t in _ticks(fig) if not t.startswith("<b>")]


def _y_of(fig: go.Figure, label: str) -> list[float]:
    return [y for y, t in _ticks(fig) if t == label]


def _traces_at(fig: go.Figure, y: float) -> list:
    return [t for t in fig.data if t.y is not None and y in list(t.y)]


def _plotted_ys(fig: go.Figure) -> set[float]:
    return {v for t in fig.data if t.meta is None for v in t.y if v is not None}


def test_every_row_gets_a_unique_y_position(df):
    fig = forest_plot(df)
    data_ticks = _data_ticks(fig)
    assert len(data_ticks) == len(df)
    tickvals = list(fig.layout.yaxis.tickvals)
    assert len(tickvals) == len(set(tickvals)) == len(df) + len(GROUPS)
    # Duplicate label "Study A" gets two rows.
    assert len(_y_of(fig, "Study A")) == 2
    # Every data row has something drawn at its y position.
    assert {y for y, _ in data_ticks} <= _plotted_ys(fig)


def test_rows_grouped_in_order_of_first_appearance_with_bold_headers(df):
    fig = forest_plot(df)
    assert [t for _, t in _ticks(fig)] == [
        "<b>lifetime</b>",
        "Study A",
        "Study B",
        "Study E",
        "<b>past 4 weeks</b>",
        "Study C",
        "Study D",
        "<b>men</b>",
        "Study A",
    ]
    # First row at the top: the y range is reversed.
    lo, hi = fig.layout.yaxis.range
    assert lo > hi
    assert hi < min(fig.layout.yaxis.tickvals) and lo > max(fig.layout.yaxis.tickvals)


def test_one_legend_entry_per_group_with_distinct_colour_and_symbol(df):
    fig = forest_plot(df)
    legend = [t for t in fig.data if t.showlegend]
    assert [t.name for t in legend] == GROUPS
    assert len({t.marker.color for t in legend}) == 3
    assert len({t.marker.symbol for t in legend}) == 3
    for i, t in enumerate(legend):
        assert t.marker.color == theme.style(i)["color"]
        assert t.marker.symbol == theme.style(i)["symbol"]
    # Every trace belongs to the legend group of its group name.
    assert {t.legendgroup for t in fig.data} == set(GROUPS)
    assert all(t.legendgroup == t.name for t in fig.data)


def test_error_arrays_are_the_rounded_differences(df):
    fig = forest_plot(df)
    interval = df[df.percent.notna() & df.ci_low_pct.notna()]
    est = theme.round_values(interval.percent)
    low = theme.round_values(interval.ci_low_pct)
    high = theme.round_values(interval.ci_high_pct)
    got_plus, got_minus, got_x = {}, {}, {}
    for t in fig.data:
        if t.error_x is not None and t.error_x.array is not None:
            assert t.error_x.type == "data"
            assert t.error_x.symmetric is False
            for y, x, p, m in zip(t.y, t.x, t.error_x.array, t.error_x.arrayminus, strict=True):
                got_x[y], got_plus[y], got_minus[y] = x, p, m
    assert len(got_x) == len(interval) == 4
    ys = sorted(got_x)  # top to bottom: A, E (lifetime), D (past 4 weeks), A (men)
    order = [0, 3, 1, 2]  # positions of those rows in `interval`
    assert [got_x[y] for y in ys] == [est.tolist()[i] for i in order]
    assert [got_plus[y] for y in ys] == [theme.round_values(high - est).tolist()[i] for i in order]
    assert [got_minus[y] for y in ys] == [theme.round_values(est - low).tolist()[i] for i in order]
    # From the rounded values (6.3333 - 5.1235), not the raw ones (1.20987... -> 1.2099).
    assert got_plus[ys[2]] == 1.2098


def test_row_without_interval_is_an_open_marker_without_bar(df):
    fig = forest_plot(df)
    (y,) = _y_of(fig, "Study B")
    (trace,) = _traces_at(fig, y)
    assert "markers" in trace.mode
    assert trace.marker.symbol.endswith("-open")
    assert trace.error_x.array is None
    assert list(trace.x) == [12.3457]
    assert figures.NO_INTERVAL in trace.hovertext[0]


def test_range_row_is_a_bar_without_point_marker(df):
    fig = forest_plot(df)
    (y,) = _y_of(fig, "Study C")
    (trace,) = _traces_at(fig, y)
    assert trace.mode == "lines"  # no markers
    assert list(trace.x) == [3.0, 4.0]
    assert list(trace.y) == [y, y]
    assert all("range as reported" in h for h in trace.hovertext)
    assert trace.line.color == theme.style(1)["color"]


def test_several_range_rows_share_one_trace_with_gaps():
    df = pd.DataFrame(
        {
            "label": ["R1", "R2"],
            "measure_family": ["g", "g"],
            "percent": [NAN, NAN],
            "ci_low_pct": [3.0, 10.0],
            "ci_high_pct": [4.0, 12.5],
        }
    )
    fig = forest_plot(df)
    (trace,) = fig.data
    assert list(trace.x) == [3.0, 4.0, None, 10.0, 12.5]
    assert list(trace.y) == [1, 1, None, 2, 2]


def test_row_with_nothing_reported_is_kept():
    df = pd.DataFrame(
        {
            "label": ["Known", "Unknown"],
            "measure_family": ["g", "g"],
            "percent": [10.0, NAN],
            "ci_low_pct": [8.0, NAN],
            "ci_high_pct": [12.0, NAN],
        }
    )
    fig = forest_plot(df)
    assert [t for _, t in _data_ticks(fig)] == ["Known", "Unknown"]
    (y,) = _y_of(fig, "Unknown")
    (trace,) = _traces_at(fig, y)
    assert trace.mode == "text"
    assert "not reported" in trace.text[0]
    assert "No estimate or interval reported" in describe_forest_plot(df)
    assert "Unknown (g)" in describe_forest_plot(df)


def test_layout_template_axes_and_height(df):
    fig = forest_plot(df)
    assert fig.layout.template.to_plotly_json() == pio.templates["pcd"].to_plotly_json()
    assert tuple(fig.layout.xaxis.range) == (0, 100)
    assert fig.layout.xaxis.title.text == "Prevalence (%)"
    assert fig.layout.yaxis.tickmode == "array"
    assert fig.layout.height == 120 + 28 * (len(df) + len(GROUPS))
    assert fig.layout.title.text is None

    fig = forest_plot(df, x_title="Share (%)", title="PCD prevalence", height=500)
    assert fig.layout.xaxis.title.text == "Share (%)"
    assert fig.layout.title.text == "PCD prevalence"
    assert fig.layout.height == 500


def _walk_arrays(node, out):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"x", "y", "array", "arrayminus"}:
                out.append(value)
            else:
                _walk_arrays(value, out)
    elif isinstance(node, list):
        for value in node:
            _walk_arrays(value, out)


def test_plotted_arrays_have_at_most_four_decimals(df):
    fig = forest_plot(df, pooled=POOLED)
    text = fig.to_json()
    data = json.loads(text)["data"]
    arrays: list = []
    _walk_arrays(data, arrays)
    assert len(arrays) >= 2 * len(fig.data)
    for arr in arrays:
        assert isinstance(arr, list), f"expected a plain JSON list, got {arr!r}"  # not base64
        for v in arr:
            assert v is None or isinstance(v, int | float)
    numbers = re.findall(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", json.dumps(arrays))
    assert numbers
    for num in numbers:
        assert "e" not in num.lower(), num
        assert len(num.partition(".")[2]) <= 4, num


def test_pooled_diamond_and_prediction_interval(df):
    fig = forest_plot(df, pooled=POOLED)
    diamonds = [t for t in fig.data if t.meta == "pooled"]
    pis = [t for t in fig.data if t.meta == "prediction interval"]
    assert len(diamonds) == 2
    assert len(pis) == 1  # only the first pooled result has a prediction interval

    (y_life,) = _y_of(fig, "Pooled lifetime")
    assert len(_y_of(fig, "Pooled 4 weeks")) == 1
    # Each pooled row sits at the end of its group.
    labels = [t for _, t in _ticks(fig)]
    assert labels.index("Pooled lifetime") == labels.index("<b>past 4 weeks</b>") - 1
    assert labels.index("Pooled 4 weeks") == labels.index("<b>men</b>") - 1

    life, four = diamonds
    assert life.fill == "toself"
    assert list(life.x) == [20.0, 30.1235, 40.0, 30.1235, 20.0]
    assert life.y[0] == life.y[-1] == y_life
    assert min(life.y) < y_life < max(life.y)
    assert life.fillcolor == theme.style(0)["color"]
    assert list(four.x) == [4.0, 5.0, 6.0, 5.0, 4.0]
    assert four.fillcolor == theme.style(1)["color"]

    (pi,) = pis
    assert list(pi.x) == [5.0, 70.0]
    assert list(pi.y) == [y_life, y_life]
    assert pi.line.dash == "dash"
    assert fig.layout.height == 120 + 28 * (len(df) + len(GROUPS) + 2)


def test_no_pooled_traces_without_pooled(df):
    fig = forest_plot(df)
    assert not [t for t in fig.data if t.meta is not None]
    assert all(t.fill is None for t in fig.data)


def test_pooled_with_unknown_group_or_missing_interval_raises(df):
    bad = dict(POOLED[1], measure="no such group")
    with pytest.raises(ValueError, match="no such group"):
        forest_plot(df, pooled=[bad])
    with pytest.raises(ValueError):
        forest_plot(df, pooled=[dict(POOLED[1], ci_low_pct=NAN)])


def test_invalid_data_raises(df):
    with pytest.raises(KeyError):
        forest_plot(df, estimate="no_such_column")
    bad = df.copy()
    bad.loc[0, "percent"] = 60.0  # outside [41.0, 51.5]
    with pytest.raises(ValueError, match="outside"):
        forest_plot(bad)


def test_labels_are_escaped_for_plotly_html():
    df = pd.DataFrame(
        {
            "label": ["<30 y & older"],
            "measure_family": ["a<b>"],
            "percent": [10.0],
            "ci_low_pct": [8.0],
            "ci_high_pct": [12.0],
        }
    )
    fig = forest_plot(df)
    assert [t for _, t in _ticks(fig)] == ["<b>a&lt;b&gt;</b>", "&lt;30 y &amp; older"]


def test_figure_json_is_deterministic(df):
    a = forest_plot(df, pooled=POOLED, title="t").to_json()
    b = forest_plot(df.copy(), pooled=list(POOLED), title="t").to_json()
    assert a == b


def test_figures_module_imports_no_ui_and_never_shows():
    code = (
        "import sys, widgets.prevalence.figures, widgets.theme\n"
        "bad = {'ipywidgets', 'IPython', 'anywidget'} & set(sys.modules)\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    source = Path(figures.__file__).read_text(encoding="utf-8")
    assert ".show(" not in source


def test_description_mentions_groups_and_special_rows(df):
    text = describe_forest_plot(df)
    for g in GROUPS:
        assert g in text
    assert "lifetime (3 rows); past 4 weeks (2 rows); men (1 row)" in text
    assert "6 rows in 3 groups" in text
    assert "Study B (lifetime, 12.3%)" in text
    assert "group size or denominator was not reported" in text
    assert "Study C (past 4 weeks, 3.0 to 4.0%)" in text
    assert "Range as reported" in text
    assert "Lowest estimate: 5.1% (Study D, past 4 weeks)" in text
    assert "Highest estimate: 46.2% (Study A, lifetime)" in text
    assert "Pooled" not in text


def test_description_includes_pooled_and_is_deterministic(df):
    text = describe_forest_plot(df, pooled=POOLED)
    assert "Pooled lifetime (lifetime): 30.1%, CI 20.0 to 40.0%" in text
    assert "prediction interval 5.0 to 70.0%" in text
    assert "Pooled 4 weeks (past 4 weeks): 5.0%, CI 4.0 to 6.0%, no prediction interval" in text
    assert text == describe_forest_plot(df.copy(), pooled=list(POOLED))


def test_description_without_estimates():
    df = pd.DataFrame(
        {
            "label": ["R"],
            "measure_family": ["g"],
            "percent": [NAN],
            "ci_low_pct": [3.0],
            "ci_high_pct": [np.float64(4.0)],
        }
    )
    text = describe_forest_plot(df)
    assert "No row has a point estimate." in text
    assert "R (g, 3.0 to 4.0%)" in text


# ----------------------------------------------------------------------- changing figures in place


def test_forest_traces_are_the_forest_plots_traces_and_layout(df):
    traces, layout = figures.forest_traces(df, pooled=POOLED)
    fig = forest_plot(df, pooled=POOLED)
    drawn = go.Figure([go.Scatter(**t) for t in traces])
    assert json.loads(pio.to_json(drawn))["data"] == json.loads(pio.to_json(fig))["data"]
    assert layout == {
        "height": fig.layout.height,
        "yaxis.tickvals": list(fig.layout.yaxis.tickvals),
        "yaxis.ticktext": list(fig.layout.yaxis.ticktext),
        "yaxis.range": list(fig.layout.yaxis.range),
    }


def test_update_figure_sends_what_plotly_sends_and_the_figure_follows(df, monkeypatch):
    """Traces setting different properties, an unset property left alone, a nested path, a
    removed property and a layout path: the same message as plotly's batch_update, the same
    figure afterwards."""
    edits = {
        0: {"x": [1.0, 2.0], "error_x.array": [0.5, 0.5], "error_x.arrayminus": None},
        2: {"visible": False},
        3: {"hovertext": "new"},
    }
    layout = {"height": 333, "yaxis.range": [9.5, -0.5]}
    ours = go.FigureWidget(forest_plot(df, pooled=POOLED))
    plotlys = go.FigureWidget(forest_plot(df, pooled=POOLED))
    sent_ours, sent_plotlys = comm_messages(ours, monkeypatch), comm_messages(plotlys, monkeypatch)
    update_figure(ours, edits, layout)
    with plotlys.batch_update():
        for i, values in edits.items():
            for path, value in values.items():
                plotlys.data[i][path] = value
        for path, value in layout.items():
            plotlys.layout[path] = value
    assert len(sent_ours) == len(sent_plotlys) == 4  # plotly's FigureWidget: 4 per update
    (mine, _), (theirs, _) = sent_ours[2], sent_plotlys[2]
    mine, theirs = mine["state"]["_py2js_update"], theirs["state"]["_py2js_update"]
    assert mine["layout_data"] == theirs["layout_data"]

    def per_trace(message):  # plotly sorts keys and marks unset ones; compare trace by trace
        out = {}
        for key, values in message["style_data"].items():
            for i, v in zip(message["style_traces"], values, strict=True):
                if v != "_undefined_":
                    out.setdefault(i, {})[key] = v
        return out

    assert per_trace(mine) == per_trace(theirs) == edits
    assert json.loads(pio.to_json(ours)) == json.loads(pio.to_json(plotlys))
    assert list(ours.data[0].x) == [1.0, 2.0] and ours.data[2].visible is False
    assert ours.data[0].error_x.arrayminus is None and ours.layout.height == 333


def test_update_figure_checks_paths_before_changing_anything(df):
    fig = forest_plot(df)
    before = pio.to_json(fig)
    with pytest.raises(ValueError, match="no_such"):
        update_figure(fig, {0: {"x": [1.0]}, 1: {"no_such": 1}})
    with pytest.raises(ValueError, match=r"yaxis\.no_such"):
        update_figure(fig, {0: {"x": [1.0]}}, {"yaxis.no_such": 1})
    assert pio.to_json(fig) == before


def test_update_figure_still_notifies_listeners(df):
    fig = go.FigureWidget(forest_plot(df))
    heard = []
    fig.layout.yaxis.on_change(lambda *args: heard.append(args), "range")
    fig.data[1].on_change(lambda *args: heard.append(args), "x")
    update_figure(fig, {0: {"x": [1.0]}}, {"height": 300})
    assert heard == []
    update_figure(fig, {1: {"x": [2.0]}})
    update_figure(fig, {}, {"yaxis.range": [3.5, -0.5]})
    assert len(heard) == 2
    assert list(fig.data[1].x) == [2.0] and list(fig.layout.yaxis.range) == [3.5, -0.5]
