"""The library's layers import one way: data -> models -> figures -> ui (STYLE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "widgets"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)

# What each layer may not import (top-level package names).
FORBIDDEN = {
    "models": {"plotly", "ipywidgets", "IPython", "anywidget"},
    "data": {"plotly", "ipywidgets", "IPython", "anywidget"},
    "figures": {"ipywidgets", "IPython", "anywidget"},
    "theme": {"ipywidgets", "IPython", "anywidget"},
    "references": {"plotly", "ipywidgets", "IPython", "anywidget"},
    "scenarios": {"plotly", "ipywidgets", "IPython", "anywidget"},
    "exercises": {"plotly", "ipywidgets", "IPython", "anywidget"},
    "plot": {"ipywidgets", "IPython", "pandas", "scipy"},  # draws plotly JSON; no controls
    "explorer": {"plotly", "anywidget", "pandas", "scipy"},  # wiring only; figures via Plot
}


def _imports(path: Path) -> list[tuple[str, ast.AST]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node))
    return found


def test_there_are_modules_to_check():
    assert {p.stem for p in MODULES} >= {"data", "models", "figures", "theme"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layer_imports_point_one_way(path):
    forbidden = FORBIDDEN.get(path.stem, set())
    bad = sorted({name for name, _ in _imports(path) if name.split(".")[0] in forbidden})
    assert not bad, f"{path.name} may not import {bad}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_ipywidgets_is_always_imported_as_ipw(path):
    for name, node in _imports(path):
        if name.split(".")[0] == "ipywidgets":
            assert isinstance(node, ast.Import), f"{path.name}: use 'import ipywidgets as ipw'"
            alias = next(a for a in node.names if a.name == "ipywidgets")
            assert alias.asname == "ipw", f"{path.name}: use 'import ipywidgets as ipw'"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_shows_a_figure(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "show"
    ]
    assert not calls, f"{path.name} calls .show(); figure builders return go.Figure"


def test_importing_the_package_is_light():
    import subprocess
    import sys

    code = "import sys, widgets; print([m for m in ('plotly', 'ipywidgets') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
