"""What the lessons promise about help, group rules and time, checked against the lessons.

- Every lesson's content note gives the route to urgent help, word for word as the aftercare plan
  does (``widgets.aftercare.models.CRISIS_TEXT``), and lesson 06's help section starts with it.
- Lesson 00's ground rules promise no secrecy, in the facilitator guide's terms.
- Each lesson's time ("**Time:** about N minutes") is the one that lesson 00,
  ``notebooks/README.md`` and the facilitator guide list for it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from widgets.aftercare.models import CRISIS_TEXT

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
GUIDE = ROOT / "docs" / "facilitator-guide.md"
INDEX = ROOT / "notebooks" / "README.md"


def _cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def _plain(markdown: str) -> str:
    """Markdown as a reader sees the words: quote markers, emphasis and line breaks removed."""
    text = re.sub(r"^\s*>\s?", "", markdown, flags=re.MULTILINE)
    text = text.replace("**", "").replace("*", "")
    return " ".join(text.split())


def _content_note(path: Path) -> str:
    notes = [c for c in _cells(path) if c.lstrip().startswith("> **Content note.**")]
    assert notes, f"{path.name}: no content note (a markdown cell starting '> **Content note.**')"
    return _plain(notes[0])


def _lesson_minutes(path: Path) -> int:
    found = re.findall(r"\*\*Time:\*\* about (\d+) minutes", "\n".join(_cells(path)))
    assert len(found) == 1, f"{path.name}: expected one '**Time:** about N minutes', found {found}"
    return int(found[0])


def _table_minutes(text: str, where: str) -> dict[str, int]:
    """Lesson number -> minutes, from a Markdown table whose rows start with | NN | and whose
    first cell ending in ' min' is the lesson's time."""
    minutes = {}
    for line in text.splitlines():
        match = re.match(r"\|\s*(\d{2})\s*\|(.*)", line)
        if not match:
            continue
        cells = [c.strip() for c in match.group(2).split("|")]
        times = [c for c in cells if re.fullmatch(r"\d+ min", c)]
        if times:
            minutes[match.group(1)] = int(times[0].split()[0])
    assert minutes, f"{where}: no lesson table with times found"
    return minutes


def test_the_plain_text_helper_joins_a_wrapped_quote():
    assert _plain("> **In a crisis**, or\n> if you are") == "In a crisis, or if you are"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_content_note_gives_the_route_to_urgent_help(path):
    assert _plain(CRISIS_TEXT) in _content_note(path)


def test_lesson_06_help_section_starts_with_urgent_help():
    lesson = next(p for p in NOTEBOOKS if p.name.startswith("06-"))
    help_section = next(c for c in _cells(lesson) if c.startswith("## 4. Where to find help"))
    first_item = help_section.split("\n- ")[1]
    assert _plain(CRISIS_TEXT) == _plain(first_item)


def test_ground_rules_promise_no_secrecy_the_guide_cannot_keep():
    lesson = next(p for p in NOTEBOOKS if p.name.startswith("00-"))
    rules = _plain(next(c for c in _cells(lesson) if c.startswith("## 4. Ground rules")))
    guide = _plain(GUIDE.read_text(encoding="utf-8"))
    for text in (rules, guide):
        assert "stays in the room" not in text
        assert "stays there" not in text
    assert "cannot promise to keep everything secret" in rules
    assert "do not promise to keep everything secret" in guide


def test_lesson_times_agree_everywhere_they_are_listed():
    lessons = {p.name[:2]: _lesson_minutes(p) for p in NOTEBOOKS}
    start_here = next(p for p in NOTEBOOKS if p.name.startswith("00-"))
    lists = {
        "lesson 00": _table_minutes("\n".join(_cells(start_here)), "lesson 00"),
        "notebooks/README.md": _table_minutes(INDEX.read_text(encoding="utf-8"), "README"),
        "facilitator guide": _table_minutes(GUIDE.read_text(encoding="utf-8"), "guide"),
    }
    for where, listed in lists.items():
        assert listed == lessons, f"{where} lists {listed}; the lessons say {lessons}"


def test_the_time_table_reader_can_find_a_disagreement():
    listed = _table_minutes("| 04 | How common is it? | 20 min | core |", "sample")
    assert listed == {"04": 20}


def test_the_guide_lists_no_lesson_as_unfinished():
    guide = GUIDE.read_text(encoding="utf-8")
    for stale in ("being written", "when ready", "that are ready"):
        assert stale not in guide
