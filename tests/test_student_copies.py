"""`make lab` works on copies: new lessons copied, unchanged copies refreshed, work kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tools_module

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def tool():
    return tools_module.load("student_copies")


@pytest.fixture
def lessons(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    (folder / "00-start.ipynb").write_text('{"v": 1}', encoding="utf-8")
    (folder / "01-next.ipynb").write_text('{"v": 1}', encoding="utf-8")
    (folder / "README.md").write_text("not a lesson", encoding="utf-8")
    return folder


def test_first_run_copies_every_lesson_and_nothing_else(tool, lessons, tmp_path):
    copies = tmp_path / "my-lessons"
    report = tool.sync(lessons, copies)
    assert sorted(p.name for p in copies.glob("*.ipynb")) == ["00-start.ipynb", "01-next.ipynb"]
    assert not (copies / "README.md").exists()
    assert all(line.startswith("copied") for line in report)
    assert set(json.loads((copies / ".copies.json").read_text())) == {
        "00-start.ipynb",
        "01-next.ipynb",
    }


def test_an_unchanged_copy_follows_a_new_lesson(tool, lessons, tmp_path):
    copies = tmp_path / "my-lessons"
    tool.sync(lessons, copies)
    (lessons / "00-start.ipynb").write_text('{"v": 2}', encoding="utf-8")
    report = tool.sync(lessons, copies)
    assert (copies / "00-start.ipynb").read_text() == '{"v": 2}'
    assert any(line.startswith("updated  00-start") for line in report)


def test_a_students_work_is_never_overwritten(tool, lessons, tmp_path):
    copies = tmp_path / "my-lessons"
    tool.sync(lessons, copies)
    (copies / "00-start.ipynb").write_text('{"v": 1, "mine": true}', encoding="utf-8")
    (lessons / "00-start.ipynb").write_text('{"v": 2}', encoding="utf-8")
    report = tool.sync(lessons, copies)
    assert (copies / "00-start.ipynb").read_text() == '{"v": 1, "mine": true}'
    kept = next(line for line in report if line.startswith("kept"))
    assert "rename or delete" in kept
    assert (lessons / "00-start.ipynb").read_text() == '{"v": 2}'  # the lesson is untouched


def test_an_unreadable_manifest_keeps_every_changed_copy(tool, lessons, tmp_path):
    copies = tmp_path / "my-lessons"
    tool.sync(lessons, copies)
    (copies / "01-next.ipynb").write_text("student work", encoding="utf-8")
    (copies / ".copies.json").write_text("{not json", encoding="utf-8")
    (lessons / "01-next.ipynb").write_text('{"v": 3}', encoding="utf-8")
    tool.sync(lessons, copies)
    assert (copies / "01-next.ipynb").read_text() == "student work"


def test_a_missing_lessons_folder_is_a_clear_error(tool, tmp_path):
    with pytest.raises(SystemExit, match="no lessons folder"):
        tool.sync(tmp_path / "nowhere", tmp_path / "copies")
