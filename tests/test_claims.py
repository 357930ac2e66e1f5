"""The claims table (data/claims.csv): it covers the whole article, every verdict follows from the
written rubric, the claims are in our own words, and the loader rejects a broken row with a clear
message. Nothing here pins today's rows: the loader tests run on a made-up table."""

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

# Every claim the popular article makes, as words that some paraphrase in the table must contain
# (all of them, in one claim). The list is kept by hand from a reading of the article (two readers
# went through it claim by claim); a claim missing from both the list and the table is not caught.
# Adding, splitting or rewording a row keeps this passing as long as each of the article's claims is
# still checked somewhere.
ARTICLE_CLAIMS = [
    ["women", "at least once"],
    ["Journal of Sexual Medicine"],
    ["Men"],
    ["Dopamine", "oxytocin"],
    ["amygdala"],
    ["reset"],
    ["Sub drop", "endorphins"],
    ["vulnerability"],
    ["trauma", "body memories"],
    ["Aftercare"],
    ["menstrual cycle", "progesterone"],
    ["Grounding"],
    ["day"],
    ["regret", "worthlessness", "shame", "fear of a partner"],
    ["name"],
    ["normal"],
    ["intense"],
    ["fight-or-flight"],
    ["sensory overload"],
    ["stress"],
    ["nothing to do with the partner"],
    ["breathing", "water"],
    ["partner", "listening"],
    ["Checking in"],
    ["AASECT"],
    ["adrenaline"],
    ["researcher"],
    ["few minutes"],
    ["you are fine"],
]

RUBRIC_FIELDS = ("evidence_kind", "evidence_direction", "evidence_scope")


@pytest.fixture(scope="module")
def claims():
    return data.load("claims")


def _descriptor_field(name: str) -> dict:
    descriptor = json.loads((data.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "claims")
    return next(f for f in resource["schema"]["fields"] if f["name"] == name)


# --- coverage and content -------------------------------------------------------------------------


@pytest.mark.parametrize("words", ARTICLE_CLAIMS, ids=lambda w: w[0])
def test_every_claim_of_the_article_is_in_the_table(claims, words):
    texts = [c.lower() for c in claims["claim"]]
    assert any(all(w.lower() in t for w in words) for t in texts), f"no claim mentions {words}"


def test_every_verdict_follows_from_its_rubric_fields(claims):
    for row in claims.itertuples():
        rubric = (row.evidence_kind, row.evidence_direction, row.evidence_scope)
        assert row.verdict == models.rubric_verdict(*rubric), row.claim_id


def test_sources_are_empty_exactly_when_no_evidence_was_found(claims):
    keys = data.bibliography_keys()
    for row in claims.itertuples():
        empty = _is_empty(row.sources)
        assert (
            empty == (row.evidence_kind == "none found") == (row.evidence_status == "none found")
        ), row.claim_id
        for key in [] if empty else row.sources.split(";"):
            assert key in keys, (row.claim_id, key)


def test_evidence_is_one_or_two_sentences(claims):
    for row in claims.itertuples():
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9β\"'(])", row.evidence.strip())
        assert 1 <= len(sentences) <= 2, (row.claim_id, sentences)
        assert row.evidence.strip().endswith("."), row.claim_id


# Wording the pack does not use for what no one has found: "never measured" claims more than a
# search can show ("no study was found" is what we know), and evidence never says one thing
# causes a feeling.
OVERREACHING = [
    r"\bnever (been )?(measured|studied|tested)\b",
    r"\bno one has (measured|studied|tested)\b",
    r"\b(causes?|caused|triggers?|leads? to)\b",
]


@pytest.mark.parametrize("pattern", OVERREACHING)
def test_evidence_does_not_overreach(claims, pattern):
    found = [r.claim_id for r in claims.itertuples() if re.search(pattern, r.evidence, re.I)]
    assert not found, f"{pattern!r} in the evidence of {found}"


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("topic", models.TOPICS),
        ("verdict", models.VERDICTS),
        ("evidence_kind", models.EVIDENCE_KINDS),
        ("evidence_direction", models.DIRECTIONS),
        ("evidence_scope", models.SCOPES),
    ],
)
def test_vocabularies_match_the_descriptor(field, values):
    assert tuple(_descriptor_field(field)["constraints"]["enum"]) == values


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


# --- the rubric -----------------------------------------------------------------------------------


def test_every_rubric_combination_gives_exactly_one_verdict_or_a_named_error():
    valid = 0
    for kind in models.EVIDENCE_KINDS:
        for direction in models.DIRECTIONS:
            for scope in models.SCOPES:
                problems = models.rubric_problems(kind, direction, scope)
                if problems:
                    assert all(f in RUBRIC_FIELDS for f, _ in problems)
                    with pytest.raises(ValueError, match=problems[0][0]):
                        models.rubric_verdict(kind, direction, scope)
                else:
                    valid += 1
                    verdicts = {models.rubric_verdict(kind, direction, scope) for _ in range(2)}
                    assert len(verdicts) == 1 and verdicts <= set(models.VERDICTS)
    table = models.rubric_combinations()
    assert len(table) == valid
    assert not table.duplicated(list(RUBRIC_FIELDS)).any()
    assert set(table["verdict"]) == set(models.VERDICTS)  # every verdict can be reached


@pytest.mark.parametrize(
    ("rubric", "verdict"),
    [
        (("direct", "agrees", "as claimed"), "supported"),
        (("direct", "agrees", "narrower"), "partly supported"),
        (("direct", "mixed", "as claimed"), "partly supported"),
        (("direct", "contradicts", "narrower"), "not supported"),
        (("association only", "agrees", "not applicable"), "untested"),
        (("indirect only", "contradicts", "not applicable"), "untested"),
        (("none found", "neither", "not applicable"), "untested"),
    ],
)
def test_the_written_rubric(rubric, verdict):
    assert models.rubric_verdict(*rubric) == verdict


def test_only_direct_evidence_can_back_or_contradict_a_claim():
    table = models.rubric_combinations()
    graded = table[table["verdict"] != "untested"]
    assert set(graded["evidence_kind"]) == {"direct"}


@pytest.mark.parametrize(
    ("rubric", "field"),
    [
        (("direct", "neither", "as claimed"), "evidence_direction"),
        (("direct", "agrees", "not applicable"), "evidence_scope"),
        (("association only", "agrees", "narrower"), "evidence_scope"),
        (("none found", "agrees", "not applicable"), "evidence_direction"),
        (("a hunch", "agrees", "as claimed"), "evidence_kind"),
    ],
)
def test_invalid_rubric_values_name_the_field(rubric, field):
    assert field in [f for f, _ in models.rubric_problems(*rubric)]
    with pytest.raises(ValueError, match=field):
        models.rubric_verdict(*rubric)


# --- the loader rejects broken rows (on a made-up table) ------------------------------------------


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A copy of data/ whose claims.csv holds the made-up rows of models.example_claims()."""
    target = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, target)
    _write(target, models.example_claims().to_dict("records"))
    return target


def _write(folder: Path, rows: list[dict]) -> None:
    header = [f["name"] for f in _claims_resource(folder)["schema"]["fields"]]
    with (folder / "claims.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([["" if pd.isna(r.get(c)) else r[c] for c in header] for r in rows])


def _claims_resource(folder: Path) -> dict:
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    return next(r for r in descriptor["resources"] if r["name"] == "claims")


def _set(folder: Path, row: int, **cells: str) -> str:
    """Change cells of data row ``row`` (from 1) of claims.csv in ``folder``; return its id."""
    rows = models.example_claims().to_dict("records")
    rows[row - 1].update(cells)
    _write(folder, rows)
    return rows[row - 1]["claim_id"]


def _error(folder: Path) -> str:
    with pytest.raises(data.DataValidationError) as info:
        data.load("claims", data_dir=folder)
    return str(info.value)


def test_the_made_up_table_loads(data_copy):
    loaded = data.load("claims", data_dir=data_copy)
    assert len(loaded) == len(models.example_claims())


MISSTATED = [
    (row, stated)
    for row, given in enumerate(models.example_claims()["verdict"], start=1)
    for stated in models.VERDICTS
    if stated != given
]


@pytest.mark.parametrize(("row", "stated"), MISSTATED)
def test_a_verdict_the_rubric_does_not_give_is_refused(data_copy, row, stated):
    example = models.example_claims().iloc[row - 1]
    claim_id = _set(data_copy, row, verdict=stated)
    message = _error(data_copy)
    for fragment in (
        f"claims.csv, row {row} (line {row + 1}), field 'verdict'",
        f"claim {claim_id!r}",
        f"the rubric gives {example['verdict']!r}",
        f"the row says {stated!r}",
    ):
        assert fragment in message, f"{fragment!r} not in:\n{message}"


def test_a_bad_verdict_is_rejected_with_a_clear_message(data_copy):
    _set(data_copy, 2, verdict="false")
    message = _error(data_copy)
    for fragment in (
        "claims.csv",
        "row 2 (line 3)",
        "field 'verdict'",
        "'false'",
        "one of supported, partly supported, not supported, untested",
    ):
        assert fragment in message, f"{fragment!r} not in:\n{message}"


CORRUPTIONS = [
    ("unknown source", 1, {"sources": "nobody2020"}, ["'sources'", "'nobody2020'", "not a key"]),
    ("source listed twice", 1, {"sources": "bird2011;bird2011"}, ["'sources'", "twice"]),
    ("no source for found evidence", 1, {"sources": ""}, ["'sources'", "at least one"]),
    (
        "a source for evidence none found",
        5,
        {"sources": "bird2011", "evidence_status": "primary"},
        ["'evidence_kind'", "'none found', but sources cites evidence"],
    ),
    (
        "status none found with a source",
        1,
        {"evidence_status": "none found"},
        ["'evidence_status'", "exactly when sources is empty"],
    ),
    (
        "direct evidence pointing neither way",
        1,
        {"evidence_direction": "neither"},
        ["'evidence_direction'", "when evidence_kind is 'direct'"],
    ),
    (
        "scope given for a link only",
        2,
        {"evidence_scope": "narrower"},
        ["'evidence_scope'", "must be 'not applicable'"],
    ),
    ("unknown kind", 1, {"evidence_kind": "hunch"}, ["'evidence_kind'", "one of direct"]),
    ("unknown status", 1, {"evidence_status": "vibes"}, ["'evidence_status'", "one of primary"]),
    ("unknown topic", 1, {"topic": "gossip"}, ["'topic'", "'gossip'", "one of names and"]),
    ("lesson out of range", 1, {"lesson": "7"}, ["'lesson'", "'7'", "one of 00, 01"]),
    ("empty claim", 1, {"claim": ""}, ["'claim'", "required"]),
    ("claim too long", 1, {"claim": "x" * 161}, ["'claim'", "at most 160 characters"]),
    ("bad id", 1, {"claim_id": "Men Too"}, ["'claim_id'", "pattern"]),
    ("duplicate id", 2, {"claim_id": "named"}, ["duplicate id 'named'"]),
]


@pytest.mark.parametrize(
    ("row", "cells", "fragments"), [c[1:] for c in CORRUPTIONS], ids=[c[0] for c in CORRUPTIONS]
)
def test_corruption_raises_a_clear_error(data_copy, row, cells, fragments):
    _set(data_copy, row, **cells)
    message = _error(data_copy)
    assert f"claims.csv, row {row}" in message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in:\n{message}"


def test_the_rubric_problems_name_the_claim(data_copy):
    _set(data_copy, 1, evidence_scope="not applicable")
    assert "claim 'named': must be 'as claimed' or 'narrower'" in _error(data_copy)
