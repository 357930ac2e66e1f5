"""Notebook hygiene, the lesson skeleton, and proof that strict nbval catches a stale number."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MAX_BYTES = 400_000


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _markdown(nb: dict) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_names_sort_and_read(path):
    assert re.fullmatch(r"\d{2}-[a-z0-9]+(-[a-z0-9]+)*\.ipynb", path.name)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_saved_widget_state_or_timing(path):
    nb = _load(path)
    assert "widgets" not in nb["metadata"], "run `make outputs` (it drops saved widget state)"
    for cell in nb["cells"]:
        assert "execution" not in cell.get("metadata", {})
        assert "ExecuteTime" not in cell.get("metadata", {})
    assert path.stat().st_size <= MAX_BYTES


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_kernel_is_python3(path):
    """The stored kernelspec is the installed one's, so JupyterLab opens the lesson unchanged."""
    from jupyter_client.kernelspec import KernelSpecManager

    installed = KernelSpecManager().get_kernel_spec("python3")
    stored = _load(path)["metadata"]["kernelspec"]
    assert stored == {
        "display_name": installed.display_name,
        "language": "python",
        "name": "python3",
    }


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_are_stored_in_run_order_without_errors(path):
    code = [c for c in _load(path)["cells"] if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1)), (
        "stored outputs must come from one top-to-bottom run: `make outputs`"
    )
    for cell in code:
        assert all(o["output_type"] != "error" for o in cell["outputs"])
        assert not "".join(cell["source"]).rstrip().endswith(";"), "nbval ignores trailing ';'"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_lesson_skeleton(path):
    md = _markdown(_load(path))
    assert md[0].startswith("# "), "first cell: one H1 title"
    assert sum(line.startswith("# ") for text in md for line in text.splitlines()) == 1
    assert "Content note" in md[1], "second cell: the content note"
    text = "\n".join(md)
    for heading in ("## Learning objectives", "## Summary", "## References"):
        assert heading in text
    assert "not medical advice" in text
    assert "Predict, then check" in text and "<details>" in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_load_nothing_from_the_internet(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=\\?[\"']https?://", text)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_is_folded_away_for_students(path):
    """JupyterLab opens every lesson with its code cells folded (a bar opens each one)."""
    code = [c for c in _load(path)["cells"] if c["cell_type"] == "code"]
    assert code and all(c["metadata"].get("jupyter", {}).get("source_hidden") for c in code)


MAX_CODE_LINES = 12


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_cells_stay_short(path):
    """Notebooks stay thin: one short call per idea, no loop a student has to read."""
    long = [
        (i, len("".join(c["source"]).splitlines()))
        for i, c in enumerate(_load(path)["cells"])
        if c["cell_type"] == "code" and len("".join(c["source"]).splitlines()) > MAX_CODE_LINES
    ]
    assert not long, f"cells over {MAX_CODE_LINES} lines (index, lines): {long}"


def test_strict_nbval_fails_when_a_stored_number_changes(tmp_path):
    """Change one printed number in a copy of a notebook: nbval must fail on exactly that cell."""
    source = ROOT / "notebooks" / "04-how-common-is-it.ipynb"
    nb = _load(source)
    target = None
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if out.get("name") == "stdout" and "39.7%" in "".join(out["text"]):
                out["text"] = [t.replace("39.7%", "39.8%") for t in out["text"]]
                target = cell
    assert target is not None, "the notebook no longer prints the worked example"
    copy = tmp_path / source.name
    copy.write_text(json.dumps(nb), encoding="utf-8")
    shutil.copy(ROOT / "tests" / "nbval_sanitize.cfg", tmp_path / "nbval_sanitize.cfg")
    env = {**os.environ, "PLOTLY_RENDERER": "plotly_mimetype"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "-q",
            "-o",
            "addopts=",
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            str(tmp_path / "nbval_sanitize.cfg"),
            str(copy),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout[-2000:]
    assert "1 failed" in result.stdout
    assert "39.8%" in result.stdout and "39.7%" in result.stdout


def test_regenerate_merges_stream_chunks():
    """`make outputs` stores one stream output per print run, however the kernel chunked it."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from regenerate_outputs import merge_streams
    finally:
        sys.path.pop(0)
    chunks = [
        {"output_type": "stream", "name": "stdout", "text": "a\n"},
        {"output_type": "stream", "name": "stdout", "text": ["b", "\n"]},
        {"output_type": "stream", "name": "stderr", "text": "c\n"},
        {"output_type": "display_data", "data": {}, "metadata": {}},
        {"output_type": "stream", "name": "stdout", "text": "d\n"},
    ]
    merged = merge_streams(chunks)
    assert [o.get("name") for o in merged] == ["stdout", "stderr", None, "stdout"]
    assert merged[0]["text"] == "a\nb\n"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_split_stream_outputs_are_stored(path):
    for cell in _load(path)["cells"]:
        outs = cell.get("outputs", [])
        for a, b in itertools.pairwise(outs):
            same_stream = a["output_type"] == b["output_type"] == "stream"
            assert not (same_stream and a["name"] == b["name"]), "run `make outputs`"
