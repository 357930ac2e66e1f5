"""The pack's JupyterLab settings do what the README says: each override matches a real setting."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OVERRIDES = json.loads((ROOT / "jupyter" / "overrides.json").read_text(encoding="utf-8"))
SCHEMAS = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas" / "@jupyterlab"


def _schema(plugin: str) -> dict:
    package, name = plugin.removeprefix("@jupyterlab/").split(":")
    return json.loads((SCHEMAS / package / f"{name}.json").read_text(encoding="utf-8"))


def test_every_override_names_a_setting_the_installed_jupyterlab_has():
    for plugin, values in OVERRIDES.items():
        properties = _schema(plugin)["properties"]
        assert set(values) <= set(properties), (plugin, set(values) - set(properties))


def test_closing_a_lesson_shuts_its_kernel_down():
    assert OVERRIDES["@jupyterlab/notebook-extension:tracker"]["kernelShutdown"] is True


def test_each_disabled_shortcut_matches_a_default_one():
    """A disabled shortcut only takes effect if command, keys and selector match the default."""
    defaults = {
        (s["command"], tuple(s["keys"]), s["selector"])
        for s in _schema("@jupyterlab/notebook-extension:tracker")["jupyter.lab.shortcuts"]
    }
    disabled = OVERRIDES["@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"]
    assert disabled
    for shortcut in disabled:
        assert shortcut["disabled"] is True
        key = (shortcut["command"], tuple(shortcut["keys"]), shortcut["selector"])
        assert key in defaults, key
    commands = {s["command"] for s in disabled}
    for command in ("notebook:insert-cell-above", "notebook:delete-cell", "notebook:cut-cell"):
        assert command in commands
