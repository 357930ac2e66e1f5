"""Tests for widgets.claims.figures: the verdict bars and their text description."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from widgets import data, theme
from widgets.claims import figures, models


@pytest.fixture(scope="module")
def claims():
    return data.load("claims")


@pytest.fixture(scope="module")
def counts(claims):
    return models.verdict_counts(claims, by="topic")


def test_one_stacked_trace_per_verdict(counts, claims):
    fig = figures.verdict_bars(counts, title="Claims")
    assert isinstance(fig, go.Figure)
    assert [t.name for t in fig.data] == [models.label(v) for v in models.VERDICTS]
    assert fig.layout.barmode == "stack"
    assert fig.layout.template.layout.font.family == theme.FONT_FAMILY
    assert list(fig.data[0].y) == list(models.TOPICS)
    assert sum(sum(t.x) for t in fig.data) == len(claims)


def test_colour_is_not_the_only_cue(counts):
    fig = figures.verdict_bars(counts)
    patterns = [t.marker.pattern.shape for t in fig.data]
    assert len(set(patterns)) == len(patterns)
    assert all(t.name.split()[0] in models.VERDICT_MARKS.values() for t in fig.data)


def test_plotted_values_are_plain_integers(counts):
    fig = figures.verdict_bars(counts).to_plotly_json()
    for trace in fig["data"]:
        assert all(type(v) is int for v in trace["x"])


@pytest.fixture(scope="module")
def example_counts():
    return models.verdict_counts(models.example_claims(), by="topic")


def test_empty_segments_have_no_label(example_counts):
    fig = figures.verdict_bars(example_counts)
    coping = list(models.TOPICS).index("coping")
    supported = fig.data[0]
    assert supported.x[coping] == 0 and supported.text[coping] == ""
    assert fig.data[-1].text[coping] == "1"


def test_description_matches_the_figure(example_counts):
    text = figures.describe_verdict_bars(example_counts)
    assert text.startswith(f"Stacked bar chart of 5 claims in {len(models.TOPICS)} topics")
    assert "- coping: 1 claim: 1 untested." in text
    assert "- names and sources: 2 claims: 1 supported, 1 not supported." in text
    assert text.endswith("Overall: 1 supported, 1 partly supported, 1 not supported, 2 untested.")


def test_description_counts_every_claim(counts, claims):
    last = figures.describe_verdict_bars(counts).splitlines()[-1]
    assert sum(int(n) for n in re.findall(r"\d+", last)) == len(claims)


def test_bad_input_is_named(counts):
    with pytest.raises(ValueError, match="count='n'"):
        figures.verdict_bars(counts, count="n")
    bad = pd.DataFrame({"topic": ["help"], "verdict": ["proven"], "claims": [1]})
    with pytest.raises(ValueError, match="unknown verdict"):
        figures.verdict_bars(bad)
