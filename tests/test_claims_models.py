"""Tests for widgets.claims.models: filters, counts, the verdict table and reveals."""

from __future__ import annotations

import pytest

from widgets import data, references
from widgets.claims import models


@pytest.fixture(scope="module")
def claims():
    return data.load("claims")


def test_filter_by_verdict_and_topic(claims):
    coping = models.filter_claims(claims, topic="coping")
    assert len(coping) == 6
    assert set(coping.verdict) == {"untested"}
    both = models.filter_claims(claims, verdict=["supported", "partly supported"], topic="help")
    assert both["claim_id"].tolist() == ["when-to-worry", "aasect"]
    assert list(both.index) == [0, 1]
    assert len(models.filter_claims(claims)) == len(claims)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"verdict": "true"}, "verdict must be one of 'supported'"),
        ({"topic": "gossip"}, "topic must be one of 'names and sources'"),
        ({"verdict": []}, "got []"),
    ],
)
def test_filter_rejects_unknown_values(claims, kwargs, fragment):
    with pytest.raises(ValueError, match="must be one of") as info:
        models.filter_claims(claims, **kwargs)
    assert fragment in str(info.value)


def test_counts_per_topic_are_tidy_and_complete(claims):
    counts = models.verdict_counts(claims, by="topic")
    assert list(counts.columns) == ["topic", "verdict", "claims"]
    assert len(counts) == len(models.TOPICS) * len(models.VERDICTS)
    assert counts["claims"].sum() == len(claims)
    with pytest.raises(ValueError, match="by must be None or 'topic'"):
        models.verdict_counts(claims, by="lesson")


def test_verdict_table_shows_every_claim_once_per_topic(claims):
    table = models.verdict_table(claims)
    markdown = table._repr_markdown_()
    assert len(table) == len(claims)
    assert markdown.count("| claim (our words) | verdict | evidence | sources |") == len(
        models.TOPICS
    )
    for row in claims.itertuples():
        assert row.claim in markdown
    assert "✘\u00a0not\u00a0supported" in markdown and "?\u00a0untested" in markdown
    assert "none found" in markdown  # a claim with no source says so
    assert len(str(table).splitlines()) == len(claims)
    assert all(len(line) <= 98 for line in str(table).splitlines())


def test_markdown_cells_are_escaped():
    import pandas as pd

    row = {
        "claim_id": "x",
        "claim": "a | b",
        "topic": "help",
        "verdict": "untested",
        "evidence": "c",
        "sources": pd.NA,
        "evidence_status": "none found",
        "lesson": "06",
    }
    markdown = models.verdict_table(pd.DataFrame([row]))._repr_markdown_()
    assert "a \\| b" in markdown


def test_every_cited_key_has_a_short_citation(claims):
    for key in models.source_keys(claims):
        text = models.short_citation(key)
        assert text and "{" not in text and "\\" not in text, key
    assert models.short_citation("toussaint") == "Toussaint et al."
    assert models.short_citation("aftercare2024").startswith("“How was that for you")
    with pytest.raises(KeyError, match="nobody2020"):
        models.short_citation("nobody2020")


def test_source_keys_can_be_cited(claims):
    keys = models.source_keys(claims)
    assert len(keys) == len(set(keys))
    assert references.cite(*keys).keys == keys


def test_reveal_wraps_and_names_unknown_ids(claims):
    text = models.reveal(claims, ["men", "grounding", "dopamine-oxytocin"])
    assert "Verdict: ✔ supported" in text and "Sources: none found" in text
    assert all(len(line) <= 98 for line in text.splitlines())
    with pytest.raises(ValueError, match="unknown: nope"):
        models.reveal(claims, ["men", "nope"])


@pytest.mark.parametrize("bad", [-1, 101, "46", True, float("nan")])
def test_people_in_100_rejects_bad_percentages(bad):
    with pytest.raises(ValueError, match="percent must be a number from 0 to 100"):
        models.people_in_100(bad)


@pytest.mark.parametrize(
    ("percent", "text"),
    [
        (0, "0 in 100 people (no one)"),
        (0.5, "0.5 in 100 people (fewer than 1 in 100)"),
        (2, "2 in 100 people (about 1 in 50)"),
        (33, "33 in 100 people (about 1 in 3)"),
        (72.5, "72.5 in 100 people (about 7 in 10)"),
    ],
)
def test_people_in_100(percent, text):
    assert models.people_in_100(percent) == text
