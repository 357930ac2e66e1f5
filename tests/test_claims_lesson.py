"""Lesson 01 takes what it says about the claims from the data, not from its own prose."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from widgets import data
from widgets.claims import models

LESSON = Path(__file__).resolve().parent.parent / "notebooks" / "01-the-claims-checked.ipynb"


def _cells(kind: str) -> list[str]:
    nb = json.loads(LESSON.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == kind]


# Numbers the prose may contain: lesson numbers (two digits), section and list numbers at the start
# of a line, and the lesson's running time. Anything else (a count of claims, a percentage, a sample
# size) belongs in data/ and reaches the page through a cell's output.
ALLOWED = [r"\b0[0-6]\b", r"^(\s*|#+ )\d+\. ", r"\b\d+ minutes\b"]


def test_the_prose_quotes_no_number_from_the_data():
    for text in _cells("markdown"):
        stripped = text
        for pattern in ALLOWED:
            stripped = re.sub(pattern, "", stripped, flags=re.MULTILINE)
        assert not re.search(r"\d", stripped), f"a number in the lesson's prose:\n{text}"


def test_every_claim_id_the_lesson_shows_exists():
    ids = set(data.load("claims")["claim_id"])
    code = "\n".join(_cells("code"))
    lists = re.findall(r"\[([^\]]*)\]", code)  # ids are passed to reveal() and questions() in lists
    quoted = {q for items in lists for q in re.findall(r'"([^"]+)"', items)}
    assert quoted and quoted <= ids, quoted - ids


@pytest.mark.parametrize("verdict", models.VERDICTS)
def test_the_prose_describes_every_verdict(verdict):
    assert any(f"**{verdict}**" in text for text in _cells("markdown"))
