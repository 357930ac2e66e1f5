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

from widgets import theme
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


def _shown(fig: go.Figure) -> list:
    """The visible traces (every group has all of figures.SLOTS; empty ones are hidden)."""
    return [t for t in fig.data if t.visible is not False]


def _traces_at(fig: go.Figure, y: float) -> list:
    return [t for t in _shown(fig) if t.y is not None and y in list(t.y)]


def _plotted_ys(fig: go.Figure) -> set[float]:
    return {v for t in _shown(fig) if t.meta is None for v in t.y if v is not None}


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
    assert all(t.visible for t in legend)
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
    (trace,) = _shown(fig)
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
    diamonds = [t for t in _shown(fig) if t.meta == "pooled"]
    pis = [t for t in _shown(fig) if t.meta == "prediction interval"]
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
    assert not [t for t in _shown(fig) if t.meta is not None]
    assert all(t.fill is None for t in _shown(fig))


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


# ------------------------------------------------------------ one figure, several selections


def test_every_group_has_the_same_slots_and_empty_ones_are_hidden(df):
    fig = forest_plot(df, pooled=POOLED)
    assert len(fig.data) == len(figures.SLOTS) * len(GROUPS)
    for gi, name in enumerate(GROUPS):
        slots = fig.data[gi * len(figures.SLOTS) : (gi + 1) * len(figures.SLOTS)]
        assert {t.name for t in slots} == {name}
        for trace in slots:
            assert trace.visible == bool(trace.x)
            assert not (trace.showlegend and not trace.visible)


def test_several_pooled_results_of_a_group_share_its_diamond_trace(df):
    second = dict(POOLED[1], measure="lifetime", label="Pooled again")
    fig = forest_plot(df, pooled=[POOLED[0], second])
    (diamonds,) = [t for t in _shown(fig) if t.meta == "pooled"]
    assert list(diamonds.x) == [20.0, 30.1235, 40.0, 30.1235, 20.0, None, 4.0, 5.0, 6.0, 5.0, 4.0]
    assert diamonds.hovertext[5] is None and "Pooled again" in diamonds.hovertext[6]


def test_groups_fix_each_groups_colour_and_the_trace_order(df):
    order = ["men", "lifetime", "past 4 weeks", "never shown"]
    part = df[df.measure_family == "past 4 weeks"]
    fig = forest_plot(part, groups=order)
    assert len(fig.data) == len(figures.SLOTS) * len(order)
    (shown,) = [t for t in _shown(fig) if t.mode == "markers"]
    assert shown.name == "past 4 weeks" and shown.marker.color == theme.style(2)["color"]
    assert [t for _, t in _ticks(fig)] == ["<b>past 4 weeks</b>", "Study C", "Study D"]
    with pytest.raises(ValueError, match="group 'lifetime' is not in"):
        forest_plot(df, groups=["men"])


def test_forest_gives_the_forest_plots_traces_layout_and_description(df):
    parts = figures.forest(df, pooled=POOLED, groups=[*GROUPS, "other"])
    fig = forest_plot(df, pooled=POOLED, groups=[*GROUPS, "other"])
    drawn = go.Figure([go.Scatter(**t) for t in parts.traces])
    assert json.loads(pio.to_json(drawn))["data"] == json.loads(pio.to_json(fig))["data"]
    assert parts.layout == {
        "height": fig.layout.height,
        "yaxis.tickvals": list(fig.layout.yaxis.tickvals),
        "yaxis.ticktext": list(fig.layout.yaxis.ticktext),
        "yaxis.range": list(fig.layout.yaxis.range),
    }
    assert parts.description == describe_forest_plot(df, pooled=POOLED)


def test_every_trace_of_a_slot_sets_the_same_properties(df):
    """So one selection's traces replace another's property by property (nothing left over)."""
    full = figures.forest(df, pooled=POOLED)
    empty = figures.forest(df.iloc[:0], groups=GROUPS)
    assert [set(t) for t in full.traces] == [set(t) for t in empty.traces]
    assert not any(t["visible"] for t in empty.traces)
    assert empty.layout == {
        "height": 200,
        "yaxis.tickvals": [],
        "yaxis.ticktext": [],
        "yaxis.range": [0.5, -0.5],
    }


def test_figure_is_as_wide_as_its_page_with_the_legend_clear_of_the_mode_bar(df):
    layout = forest_plot(df, title="t").layout
    assert layout.autosize is True and layout.width is None and layout.height
    # over the row labels, clear of the mode bar (top right); not xref="container", which
    # plotly.js 4.1 cannot lay out with these margins ("Something went wrong with axis scaling")
    assert layout.legend.orientation == "h" and layout.legend.xref is None
    assert (layout.legend.x, layout.legend.xanchor, layout.legend.yanchor) == (0, "right", "bottom")
    assert (layout.title.yref, layout.title.yanchor) == ("container", "top")


def test_long_row_labels_wrap_and_their_rows_get_room():
    long = (
        "Burri & Hilpert 2020 · women and men · any of 21 symptoms lifetime (since sexually active)"
    )
    df = pd.DataFrame(
        {
            "label": ["Short <30 y", long],
            "measure_family": ["g", "g"],
            "percent": [10.0, 20.0],
            "ci_low_pct": [8.0, 15.0],
            "ci_high_pct": [12.0, 25.0],
        }
    )
    fig = forest_plot(df)
    ticks = list(fig.layout.yaxis.ticktext)
    assert ticks[1] == "Short &lt;30 y"
    lines = ticks[2].split("<br>")
    assert len(lines) == 2 and " ".join(lines) == long.replace("&", "&amp;")
    assert all(len(line) <= 60 for line in lines)
    assert fig.layout.height == 120 + 40 * 3  # wrapped labels: 40 px a row instead of 28
    assert forest_plot(df.iloc[:1]).layout.height == 120 + 28 * 2
