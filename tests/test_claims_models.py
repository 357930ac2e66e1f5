"""Tests for widgets.claims.models: filters, counts, the verdict table and reveals."""

from __future__ import annotations

import re

import pytest

from widgets import data, references
from widgets.claims import models


@pytest.fixture(scope="module")
def claims():
    return data.load("claims")


@pytest.fixture(scope="module")
def example():
    return models.example_claims()


def test_filter_by_verdict_and_topic(example, claims):
    names = models.filter_claims(example, topic="names and sources")
    assert names["claim_id"].tolist() == ["named", "journal"]
    both = models.filter_claims(
        example, verdict=["supported", "untested"], topic=["coping", "help"]
    )
    assert both["claim_id"].tolist() == ["advice"]
    assert list(both.index) == [0]
    assert len(models.filter_claims(claims)) == len(claims)
    kept = models.filter_claims(claims, verdict="untested")
    assert (kept["verdict"] == "untested").all()
    assert len(kept) == (claims["verdict"] == "untested").sum()


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


def test_reveal_wraps_and_names_unknown_ids(example, claims):
    text = models.reveal(example, ["named", "advice", "count"])
    assert "Verdict: ✔ supported (direct evidence agrees, for the claim as stated)" in text
    assert "Sources: none found" in text
    assert text.index("A feeling has a name.") < text.index("A glass of water helps.")
    every = models.reveal(claims, claims["claim_id"].tolist())
    assert all(len(line) <= 98 for line in (text + "\n" + every).splitlines())
    with pytest.raises(ValueError, match="unknown: nope"):
        models.reveal(example, ["named", "nope"])


def test_reveal_gives_the_rubric_reason_for_every_claim(claims):
    for row in claims.itertuples():
        reason = models.rubric_reason(row.evidence_kind, row.evidence_direction, row.evidence_scope)
        flat = " ".join(models.reveal(claims, [row.claim_id]).split())
        assert f"({reason})" in flat, row.claim_id


def test_reveal_works_without_rubric_columns(example):
    bare = example.drop(columns=["evidence_kind", "evidence_direction", "evidence_scope"])
    assert "Verdict: ✔ supported\n" in models.reveal(bare, ["named"])


def test_questions_number_the_claims_without_verdicts(example):
    text = models.questions(example, ["journal", "named"])
    assert text.splitlines() == ["1. The study is in journal X.", "2. A feeling has a name."]
    assert "supported" not in text
    with pytest.raises(ValueError, match="unknown: nope"):
        models.questions(example, ["nope"])


def test_verdict_summary_counts_every_claim(example, claims):
    assert models.verdict_summary(example) == (
        "5 claims: 1 supported, 1 partly supported, 1 not supported and 2 untested."
    )
    text = models.verdict_summary(claims)
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    assert numbers[0] == len(claims) == sum(numbers[1:])


def test_every_reason_is_distinct():
    table = models.rubric_combinations()
    reasons = {
        models.rubric_reason(r.evidence_kind, r.evidence_direction, r.evidence_scope): r.verdict
        for r in table.itertuples()
    }
    assert set(reasons.values()) == set(models.VERDICTS)


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


def test_rubric_counts_cover_every_claim_and_only_direct_evidence_grades(example, claims):
    for table, source in (
        (models.rubric_counts(example), example),
        (models.rubric_counts(claims), claims),
    ):
        assert list(table.index) == list(models.EVIDENCE_KINDS)
        assert list(table.columns) == list(models.VERDICTS)
        assert int(table.to_numpy().sum()) == len(source)
        graded = table.drop(index="direct").drop(columns="untested")
        assert int(graded.to_numpy().sum()) == 0
