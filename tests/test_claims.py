"""The claims table (data/claims.csv): it covers the whole article, every verdict is sourced, the
claims are in our own words, and the loader rejects a broken row with a clear message."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from widgets import data
from widgets.claims import models

ROOT = Path(__file__).resolve().parent.parent
# The popular article lives in the shared research folder beside the checkout (and beside CI's
# clone); it is not part of the repository.
ARTICLE = ROOT.parent / "shared" / "seed" / "popular-article.txt"

# Every claim the popular article makes, by id, with words the paraphrase must contain so that an id
# cannot drift to another claim. The first fourteen are the ones the issue lists by name.
ARTICLE_CLAIMS = {
    "prevalence": ["women", "at least once"],
    "journal": ["Journal of Sexual Medicine"],
    "men": ["Men"],
    "dopamine-oxytocin": ["Dopamine", "oxytocin"],
    "amygdala": ["amygdala"],
    "physiological-reset": ["reset"],
    "sub-drop": ["Sub drop", "endorphins"],
    "vulnerability": ["vulnerability"],
    "trauma": ["trauma", "body memories"],
    "aftercare": ["Aftercare"],
    "menstrual-cycle": ["menstrual cycle", "progesterone"],
    "grounding": ["Grounding"],
    "24-hour-rule": ["day"],
    "when-to-worry": ["regret", "worthlessness", "shame", "fear of a partner"],
    # ... and the rest of what the article asserts:
    "name": ["name"],
    "normal": ["normal"],
    "intensity": ["intense"],
    "fight-or-flight": ["fight-or-flight"],
    "sensory-overload": ["sensory overload"],
    "stress-release": ["stress"],
    "not-about-partner": ["partner"],
    "coping-steps": ["breathing", "water"],
    "partner-response": ["partner"],
    "check-in": ["Checking in"],
    "aasect": ["AASECT"],
}


@pytest.fixture(scope="module")
def claims():
    return data.load("claims")


def _descriptor_field(name: str) -> dict:
    descriptor = json.loads((data.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "claims")
    return next(f for f in resource["schema"]["fields"] if f["name"] == name)


# --- coverage and content -------------------------------------------------------------------------


def test_the_table_covers_every_claim_of_the_article(claims):
    assert set(claims["claim_id"]) == set(ARTICLE_CLAIMS)


@pytest.mark.parametrize(("claim_id", "words"), ARTICLE_CLAIMS.items())
def test_each_id_holds_the_claim_it_names(claims, claim_id, words):
    text = claims.set_index("claim_id").loc[claim_id, "claim"]
    for word in words:
        assert word.lower() in text.lower(), f"{claim_id}: {word!r} not in {text!r}"


def test_each_verdict_has_a_source_unless_none_was_found(claims):
    keys = data.bibliography_keys()
    for row in claims.itertuples():
        if row.evidence_status != "none found":
            assert not _is_empty(row.sources), row.claim_id
        for key in [] if _is_empty(row.sources) else row.sources.split(";"):
            assert key in keys, (row.claim_id, key)


def test_backed_verdicts_rest_on_evidence_that_was_found(claims):
    backed = claims[claims.verdict.isin(["supported", "partly supported"])]
    assert (backed.evidence_status != "none found").all()


def test_verdicts_as_summarised_in_the_lesson(claims):
    counts = models.verdict_counts(claims).set_index("verdict")["claims"].to_dict()
    assert counts == {"supported": 3, "partly supported": 7, "not supported": 2, "untested": 13}


@pytest.mark.parametrize(
    ("claim_id", "verdict"),
    [
        ("journal", "not supported"),  # Sexual Medicine, not The Journal of Sexual Medicine (A2)
        ("men", "supported"),  # 41% lifetime, 20.2% past four weeks (A3)
        ("dopamine-oxytocin", "not supported"),  # no dopamine measurement; oxytocin back (B6)
        ("sub-drop", "untested"),  # no study of sub drop (B4)
        ("aftercare", "untested"),  # qualitative only, no trial (C)
    ],
)
def test_key_verdicts_follow_the_fact_sheet(claims, claim_id, verdict):
    assert claims.set_index("claim_id").loc[claim_id, "verdict"] == verdict


def test_evidence_is_one_or_two_sentences(claims):
    for row in claims.itertuples():
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9β\"'(])", row.evidence.strip())
        assert 1 <= len(sentences) <= 2, (row.claim_id, sentences)
        assert row.evidence.strip().endswith("."), row.claim_id


def test_lessons_and_topics_match_the_descriptor():
    assert tuple(_descriptor_field("topic")["constraints"]["enum"]) == models.TOPICS
    assert tuple(_descriptor_field("verdict")["constraints"]["enum"]) == models.VERDICTS


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9%']+", text.lower().replace("’", "'"))


@pytest.mark.skipif(not ARTICLE.is_file(), reason="the shared research folder is not beside us")
def test_claims_are_in_our_own_words(claims):
    """No claim or evidence repeats six or more consecutive words of the article."""
    words = _words(ARTICLE.read_text(encoding="utf-8"))
    article = {tuple(words[i : i + 6]) for i in range(len(words) - 5)}
    copied = []
    for row in claims.itertuples():
        for field in ("claim", "evidence"):
            ours = _words(getattr(row, field))
            runs = {tuple(ours[i : i + 6]) for i in range(len(ours) - 5)}
            copied += [f"{row.claim_id}.{field}: {' '.join(run)}" for run in runs & article]
    assert not copied, "copied from the article:\n" + "\n".join(copied)


def _is_empty(value) -> bool:
    return bool(pd.isna(value)) or value == ""


# --- the loader rejects broken rows ---------------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, target)
    return target


def _set(folder: Path, claim_id: str, column: str, value: str) -> int:
    """Set one cell of claims.csv in ``folder``; return the data row number (from 1)."""
    path = folder / "claims.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    row = next(i for i, r in enumerate(rows) if r[0] == claim_id)
    rows[row][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return row


def test_a_bad_verdict_is_rejected_with_a_clear_message(data_copy):
    row = _set(data_copy, "journal", "verdict", "false")
    with pytest.raises(data.DataValidationError) as info:
        data.load("claims", data_dir=data_copy)
    message = str(info.value)
    for fragment in (
        "claims.csv",
        f"row {row} (line {row + 1})",
        "field 'verdict'",
        "'false'",
        "one of supported, partly supported, not supported, untested",
    ):
        assert fragment in message, f"{fragment!r} not in:\n{message}"


CORRUPTIONS = [
    ("unknown source", "men", "sources", "nobody2020", ["'sources'", "'nobody2020'", "not a key"]),
    ("source listed twice", "men", "sources", "bird2011;bird2011", ["'sources'", "twice"]),
    (
        "no source for found evidence",
        "men",
        "sources",
        "",
        ["'sources'", "at least one", "'primary'"],
    ),
    (
        "supported without evidence",
        "men",
        "evidence_status",
        "none found",
        ["'verdict'", "'supported' needs evidence"],
    ),
    ("unknown status", "men", "evidence_status", "vibes", ["'evidence_status'", "one of primary"]),
    ("unknown topic", "men", "topic", "gossip", ["'topic'", "'gossip'", "one of names and"]),
    ("lesson out of range", "men", "lesson", "7", ["'lesson'", "'7'", "one of 00, 01"]),
    ("empty claim", "men", "claim", "", ["'claim'", "required"]),
    ("claim too long", "men", "claim", "x" * 161, ["'claim'", "at most 160 characters"]),
    ("bad id", "men", "claim_id", "Men Too", ["'claim_id'", "pattern"]),
    ("duplicate id", "men", "claim_id", "journal", ["duplicate id 'journal'"]),
]


@pytest.mark.parametrize(
    ("claim_id", "column", "value", "fragments"),
    [c[1:] for c in CORRUPTIONS],
    ids=[c[0] for c in CORRUPTIONS],
)
def test_corruption_raises_a_clear_error(data_copy, claim_id, column, value, fragments):
    row = _set(data_copy, claim_id, column, value)
    with pytest.raises(data.DataValidationError) as info:
        data.load("claims", data_dir=data_copy)
    message = str(info.value)
    assert f"claims.csv, row {row}" in message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in:\n{message}"


def test_none_found_may_have_no_source(data_copy):
    _set(data_copy, "amygdala", "sources", "")
    loaded = data.load("claims", data_dir=data_copy).set_index("claim_id")
    assert _is_empty(loaded.loc["amygdala", "sources"])
