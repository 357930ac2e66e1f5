"""Tests for widgets.claims.figures: the verdict bars and their text description."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from widgets import data, theme
from widgets.claims import figures, models


@pytest.fixture(scope="module")
def counts():
    return models.verdict_counts(data.load("claims"), by="topic")


def test_one_stacked_trace_per_verdict(counts):
    fig = figures.verdict_bars(counts, title="Claims")
    assert isinstance(fig, go.Figure)
    assert [t.name for t in fig.data] == [models.label(v) for v in models.VERDICTS]
    assert fig.layout.barmode == "stack"
    assert fig.layout.template.layout.font.family == theme.FONT_FAMILY
    assert list(fig.data[0].y) == list(models.TOPICS)
    assert sum(sum(t.x) for t in fig.data) == 25


def test_colour_is_not_the_only_cue(counts):
    fig = figures.verdict_bars(counts)
    patterns = [t.marker.pattern.shape for t in fig.data]
    assert len(set(patterns)) == len(patterns)
    assert all(t.name.split()[0] in models.VERDICT_MARKS.values() for t in fig.data)


def test_plotted_values_are_plain_integers(counts):
    fig = figures.verdict_bars(counts).to_plotly_json()
    for trace in fig["data"]:
        assert all(type(v) is int for v in trace["x"])


def test_empty_segments_have_no_label(counts):
    fig = figures.verdict_bars(counts)
    coping = list(models.TOPICS).index("coping")
    supported = fig.data[0]
    assert supported.x[coping] == 0 and supported.text[coping] == ""


def test_description_matches_the_figure(counts):
    text = figures.describe_verdict_bars(counts)
    assert text.startswith("Stacked bar chart of 25 claims in 8 topics")
    assert "- coping: 6 claims: 6 untested." in text
    assert text.endswith("Overall: 3 supported, 7 partly supported, 2 not supported, 13 untested.")


def test_bad_input_is_named(counts):
    with pytest.raises(ValueError, match="count='n'"):
        figures.verdict_bars(counts, count="n")
    bad = pd.DataFrame({"topic": ["help"], "verdict": ["proven"], "claims": [1]})
    with pytest.raises(ValueError, match="unknown verdict"):
        figures.verdict_bars(bad)
