"""widgets/ uses other packages through their public, documented APIs only (issue 15).

Every file under widgets/ is parsed (ast) and fails on

(a) importing a private name of another package: ``from plotly.basedatatypes import _x`` or
    ``import ipywidgets.widgets._mod``;
(b) reading a private attribute, ``x._name`` (one leading underscore, not a dunder), of anything
    but ``self``/``cls`` or a widgets module;
(c) in a class that subclasses another package's class: defining a method ``_name`` (overriding a
    private hook, e.g. ipywidgets' ``_lock_property``) or using ``self._name`` that the class
    itself never assigns (reaching into the base class's private state).

Allowed, because the packages document them as their public hooks: anywidget's ``_esm`` and
``_css`` (https://anywidget.dev/en/getting-started/), IPython's display protocol ``_repr_*_``,
``_repr_mimebundle_`` and ``_ipython_display_``
(https://ipython.readthedocs.io/en/stable/config/integrating.html).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "widgets"
FILES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)

PUBLIC_HOOKS = re.compile(r"^(_esm|_css|_repr_\w+_|_repr_mimebundle_|_ipython_display_)$")


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _allowed(name: str) -> bool:
    return not _private(name) or bool(PUBLIC_HOOKS.match(name))


def _own_names(tree: ast.Module) -> set[str]:
    """Names bound to widgets modules in this file (``from widgets import data``, ...)."""
    own = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] == "widgets":
                own |= {a.asname or a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            own |= {a.asname or a.name for a in node.names}
        elif isinstance(node, ast.Import):
            own |= {
                (a.asname or a.name).split(".")[0]
                for a in node.names
                if a.name.split(".")[0] == "widgets"
            }
    return own


def _local_classes(tree: ast.Module) -> set[str]:
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}


def _is_foreign_base(base: ast.expr, own: set[str], local: set[str]) -> bool:
    root = base
    while isinstance(root, ast.Attribute):
        root = root.value
    if isinstance(root, ast.Name):
        if isinstance(base, ast.Name) and base.id in local:
            return False
        return root.id not in own and root.id not in {"object", "Exception", "ValueError"}
    return True


def _assigned_on_self(cls: ast.ClassDef) -> set[str]:
    names = set()
    for node in ast.walk(cls):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        for t in targets:
            for sub in ast.walk(t):
                if (
                    isinstance(sub, ast.Attribute)
                    and isinstance(sub.value, ast.Name)
                    and sub.value.id in {"self", "cls"}
                ):
                    names.add(sub.attr)
                if isinstance(sub, ast.Name):
                    names.add(sub.id)  # class attributes
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
    return names


def violations(source: str) -> list[str]:
    """Every private use of another package's API in ``source`` (one line each)."""
    tree = ast.parse(source)
    own, local = _own_names(tree), _local_classes(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            foreign = node.module.split(".")[0] != "widgets"
            parts = node.module.split(".")
            if foreign and any(_private(p) for p in parts):
                found.append(f"line {node.lineno}: imports private module {node.module}")
            for alias in node.names:
                if foreign and not _allowed(alias.name):
                    found.append(f"line {node.lineno}: imports {node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] != "widgets" and any(_private(p) for p in parts):
                    found.append(f"line {node.lineno}: imports private module {alias.name}")
        elif isinstance(node, ast.Attribute) and not _allowed(node.attr):
            if _own_object(node.value, own | local):
                continue
            found.append(f"line {node.lineno}: uses private attribute {ast.unparse(node)}")
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        if not any(_is_foreign_base(b, own, local) for b in cls.bases):
            continue
        mine = _assigned_on_self(cls)
        for node in ast.walk(cls):
            is_method = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            if is_method and node in cls.body and not _allowed(node.name):
                found.append(f"line {node.lineno}: {cls.name} overrides private hook {node.name}")
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "self"
                and not _allowed(node.attr)
                and node.attr not in mine
            ):
                found.append(
                    f"line {node.lineno}: {cls.name} uses its base class's private self.{node.attr}"
                )
    return found


def _own_object(value: ast.expr, own: set[str]) -> bool:
    """True for ``self``/``cls``, a widgets module or a class of this file, and for a chain of
    private attributes from one of them (``self._engine``: this package's own state)."""
    while isinstance(value, ast.Attribute):
        if not _private(value.attr):
            return False
        value = value.value
    return isinstance(value, ast.Name) and (value.id in {"self", "cls"} or value.id in own)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_widgets_use_only_public_apis_of_other_packages(path):
    bad = violations(path.read_text(encoding="utf-8"))
    assert not bad, f"{_rel(path)} uses private names of other packages:\n- " + "\n- ".join(bad)


OLD_UI_SAMPLE = """
import ipywidgets as ipw
import plotly.graph_objects as go
from plotly.basedatatypes import Undefined
from plotly.serializers import _py_to_js

_BINARY = ipw.widgets.widget._binary_types

class FigureWidget(go.FigureWidget):
    def _send_restyle_msg(self, restyle_data, trace_indexes=None, source_view_id=None):
        self._trait_values.update({})
        self._send({"method": "update"}, buffers=[])

class Slider(ipw.FloatSlider):
    def _lock_property(self, **properties):
        return super()._lock_property(**properties)

def patch(fig):
    return fig._data, fig._layout
"""


def test_the_check_catches_what_the_old_ui_did():
    found = "\n".join(violations(OLD_UI_SAMPLE))
    for expected in (
        "imports plotly.serializers._py_to_js",
        "uses private attribute ipw.widgets.widget._binary_types",
        "FigureWidget overrides private hook _send_restyle_msg",
        "FigureWidget uses its base class's private self._trait_values",
        "FigureWidget uses its base class's private self._send",
        "Slider overrides private hook _lock_property",
        "uses private attribute fig._data",
    ):
        assert expected in found, (expected, found)


def test_the_check_allows_public_hooks_and_own_privates():
    sample = """
import anywidget
from widgets import theme

class Plot(anywidget.AnyWidget):
    _esm = "export default {}"
    _css = ""
    def __init__(self):
        super().__init__()
        self._mine = 1
    def _repr_mimebundle_(self, **kw):
        return self._mine, theme._helper
    def _ipython_display_(self):
        pass

class Local:
    def _private(self):
        return self._other
"""
    assert violations(sample) == []
