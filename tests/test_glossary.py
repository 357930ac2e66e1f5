"""The glossary is linked at each technical term's first use in a lesson, with a test per lesson."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import tools_module

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "notebooks" / "glossary.md"
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


@pytest.fixture(scope="module")
def tool():
    return tools_module.load("link_lessons")


def _headings() -> set[str]:
    return set(re.findall(r"(?m)^### (.+)$", GLOSSARY.read_text(encoding="utf-8")))


def _markdown(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def test_every_linked_term_has_an_entry(tool):
    assert set(tool.TERMS) <= _headings(), set(tool.TERMS) - _headings()


def test_the_glossary_leads_back_to_the_lessons():
    assert "(00-start-here.ipynb)" in GLOSSARY.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_term_is_linked_at_its_first_use(tool, path):
    unlinked = [t for t, (*_, linked) in tool.first_uses(_markdown(path)).items() if not linked]
    assert not unlinked, (
        f"first use not linked to the glossary: {unlinked}; run "
        f"`.venv/bin/python tools/link_lessons.py notebooks/{path.name}`"
    )


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_glossary_link_has_a_target(tool, path):
    anchors = {tool.anchor(h) for h in _headings()}
    for text in _markdown(path):
        for found in re.findall(r"\]\(glossary\.md#([^)]+)\)", text):
            assert found in anchors, f"{path.name}: no glossary entry for #{found}"


def test_first_uses_are_linked_once_and_protected_text_is_left_alone(tool):
    cells = [
        "# A heading about PCD\n\nRun `pcd()` or see $PCD$ first.",
        "Menu *Kernel → Shut Down Kernel*. Then PCD, and later PCD again; [PCD](x.md) is a link.",
    ]
    linked = tool.link_cells(cells)
    assert linked[0] == cells[0]  # heading, code and math untouched
    assert linked[1].count("(glossary.md#PCD)") == 1
    assert linked[1].startswith("Menu *Kernel → Shut Down Kernel*. Then [PCD](glossary.md#PCD),")
    assert tool.link_cells(linked) == linked  # running it again changes nothing
    assert all(linked for *_, linked in tool.first_uses(linked).values())


def test_an_unlinked_first_use_is_reported(tool):
    uses = tool.first_uses(["The half-life of prolactin."])
    assert {term: linked for term, (*_, linked) in uses.items()} == {
        "Half-life": False,
        "Prolactin": False,
    }


def test_every_lesson_links_its_neighbours_at_the_top_and_in_the_summary(tool):
    titles = [(p.name, tool.title(_markdown(p)[0])) for p in LESSONS]
    for index, path in enumerate(LESSONS):
        line = tool.nav_line(titles, index)
        cells = _markdown(path)
        summary = next(c for c in cells if c.startswith("## Summary"))
        for where, text in (("title", cells[0]), ("summary", summary)):
            assert text.rstrip().endswith(line), (
                f"{path.name} ({where}): run `.venv/bin/python tools/link_lessons.py "
                f"notebooks/[0-9]*.ipynb`"
            )
