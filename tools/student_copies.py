"""Give a student their own copies of the lessons, so that saving never rewrites the pack's lessons.

Usage: python tools/student_copies.py [LESSONS_DIR] [COPIES_DIR]   (what `make lab` runs first;
defaults: notebooks/ and my-lessons/)

- A lesson with no copy yet is copied.
- A copy the student has not changed since it was made is brought up to date when the lesson
  changes (a new release of the pack), so students see corrections.
- A copy the student has changed (run, answered, saved) is never overwritten; the tool says that a
  newer lesson exists and how to get it (delete or rename the copy, then run `make lab` again).

What "unchanged" means is recorded in ``COPIES_DIR/.copies.json``: the SHA-256 of each copy as this
tool wrote it. Nothing else is written, and nothing is sent anywhere.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

MANIFEST = ".copies.json"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sync(lessons: Path, copies: Path) -> list[str]:
    """Make or refresh the copies; return one line per lesson saying what happened."""
    if not lessons.is_dir():
        raise SystemExit(f"error: no lessons folder at {lessons}")
    copies.mkdir(parents=True, exist_ok=True)
    manifest_path = copies / MANIFEST
    try:
        written = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        written = {}
    except (json.JSONDecodeError, UnicodeDecodeError):
        print(f"warning: {manifest_path} is unreadable; treating every copy as changed")
        written = {"unreadable": True}
    report = []
    for lesson in sorted(lessons.glob("[0-9][0-9]-*.ipynb")):
        copy = copies / lesson.name
        if not copy.exists():
            shutil.copyfile(lesson, copy)
            written[lesson.name] = _digest(copy)
            report.append(f"copied   {lesson.name}")
        elif _digest(copy) == _digest(lesson):
            written[lesson.name] = _digest(copy)
            report.append(f"current  {lesson.name}")
        elif written.get(lesson.name) == _digest(copy):
            shutil.copyfile(lesson, copy)
            written[lesson.name] = _digest(copy)
            report.append(f"updated  {lesson.name} (you had not changed your copy)")
        else:
            report.append(
                f"kept     {lesson.name}: yours has your work in it; a newer lesson exists. To get "
                f"it, rename or delete {copy} and run `make lab` again."
            )
    written.pop("unreadable", None)
    manifest_path.write_text(json.dumps(written, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return report


def main(argv: list[str]) -> int:
    lessons = Path(argv[1]) if len(argv) > 1 else Path("notebooks")
    copies = Path(argv[2]) if len(argv) > 2 else Path("my-lessons")
    for line in sync(lessons, copies):
        if not line.startswith("current"):
            print(line)
    print(f"Your lessons are in {copies}/ (the pack's own lessons in {lessons}/ stay unchanged).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
