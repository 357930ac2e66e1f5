"""Tests for widgets.theme: the lean "pcd" plotly template, series styles and value rounding."""

import itertools
import json
import math

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from widgets import theme


def _template_json() -> dict:
    return pio.templates[theme.TEMPLATE].to_plotly_json()


def test_template_is_registered_under_its_name_but_not_made_default():
    assert theme.TEMPLATE == "pcd"
    assert "pcd" in pio.templates
    assert isinstance(pio.templates["pcd"], go.layout.Template)
    assert "pcd" not in str(pio.templates.default).split("+")


def test_template_json_is_small_and_has_no_trace_defaults():
    text = json.dumps(_template_json(), separators=(",", ":"))
    assert len(text) < 1500, len(text)
    # Not built on the big "plotly" template: no per-trace defaults at all.
    assert not _template_json().get("data")


def test_template_colourway_is_the_palette_without_yellow():
    layout = _template_json()["layout"]
    assert layout["colorway"] == list(theme.PALETTE)
    assert theme.PALETTE == (
        "#0072B2",
        "#D55E00",
        "#009E73",
        "#CC79A7",
        "#E69F00",
        "#56B4E9",
        "#000000",
    )
    assert "#F0E442" not in [c.upper() for c in theme.PALETTE]


def test_template_layout_settings():
    layout = _template_json()["layout"]
    assert layout["font"]["size"] == 15
    assert layout["font"]["family"].endswith("sans-serif")
    assert "http" not in json.dumps(_template_json())  # no web fonts or other fetched resources
    assert layout["paper_bgcolor"] == "white"
    assert layout["plot_bgcolor"] == "white"
    assert layout["hovermode"] == "closest"
    for axis in ("xaxis", "yaxis"):
        grey = layout[axis]["gridcolor"].lstrip("#")
        assert len(set(grey[i : i + 2] for i in (0, 2, 4))) == 1, "grid should be grey"
        assert int(grey[:2], 16) >= 0xD0, "grid should be light"
    assert all(0 < v <= 80 for v in layout["margin"].values())


def test_figure_using_template_embeds_only_the_lean_template():
    fig = go.Figure(layout={"template": theme.TEMPLATE})
    assert fig.layout.template.to_plotly_json() == _template_json()
    assert len(fig.to_json()) < 1600


def test_style_changes_colour_dash_and_symbol_together():
    styles = [theme.style(i) for i in range(6)]
    for s in styles:
        assert set(s) == {"color", "dash", "symbol"}
        assert s["color"] in theme.PALETTE
        assert s["dash"] in theme.DASHES
        assert s["symbol"] in theme.SYMBOLS
    for a, b in itertools.combinations(styles, 2):
        assert a["color"] != b["color"]
        assert a["dash"] != b["dash"]
        assert a["symbol"] != b["symbol"]
    assert theme.style(0) == {"color": "#0072B2", "dash": "solid", "symbol": "circle"}


def test_style_cycles_and_rejects_negative_index():
    assert theme.style(7)["color"] == theme.PALETTE[0]
    assert theme.style(6)["symbol"] == theme.SYMBOLS[0]
    combos = {tuple(theme.style(i).values()) for i in range(42)}
    assert len(combos) == 42
    with pytest.raises(ValueError):
        theme.style(-1)


def test_dashes_and_symbols_constants():
    assert theme.DASHES == ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
    assert theme.SYMBOLS == ("circle", "square", "diamond", "triangle-up", "x", "cross")


def test_round_values_rounds_and_keeps_nan():
    out = theme.round_values([1.23456789, float("nan"), 2.0, None])
    assert isinstance(out, np.ndarray)
    assert out.dtype == np.float64
    assert out[0] == 1.2346
    assert math.isnan(out[1])
    assert out[2] == 2.0
    assert math.isnan(out[3])
    assert theme.round_values([1.23456], decimals=2).tolist() == [1.23]


def test_round_values_removes_last_bit_noise_and_negative_zero():
    a = theme.round_values([0.1 + 0.2])
    b = theme.round_values([0.3])
    assert a.tobytes() == b.tobytes()
    z = theme.round_values([-0.00001])
    assert not np.signbit(z[0])
    assert json.dumps(z.tolist()) == "[0.0]"


def test_round_values_does_not_modify_input():
    values = np.array([1.23456789])
    theme.round_values(values)
    assert values[0] == 1.23456789


def test_round_values_into_a_given_array():
    values = np.array([1.23456789, -0.00001, np.nan, 2.5])
    out = np.full(4, 7.0)
    assert theme.round_values(values, out=out) is out
    np.testing.assert_array_equal(out, theme.round_values(values))
    assert math.copysign(1.0, out[1]) == 1.0  # no negative zero there either
    assert values[0] == 1.23456789  # the input is not changed
