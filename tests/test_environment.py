"""The conda environment.yml and the pip lock file describe the same environment."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements" / "lock.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"lock.txt: {line!r} is not pinned with =="
            pins[_norm(name)] = version
    return pins


def _conda() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert "conda-forge" in env["channels"]
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and dep not in {"pip"}:
            name, _, version = dep.partition("=")
            pins[_norm(name)] = version.lstrip("=")
    return pins


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs += extra
    return {_norm(re.split(r"[<>=!~ \[]", r, maxsplit=1)[0]) for r in reqs}


def test_every_conda_pin_matches_the_lock():
    lock, conda = _lock(), _conda()
    conda.pop("python")
    mismatched = {name: (v, lock.get(name)) for name, v in conda.items() if lock.get(name) != v}
    assert not mismatched, f"environment.yml vs lock.txt (yml, lock): {mismatched}"


def test_every_declared_dependency_is_pinned_in_both():
    lock, conda = _lock(), _conda()
    declared = _declared()
    assert declared - set(lock) == set(), "declared in pyproject.toml but not in lock.txt"
    assert declared - set(conda) == set(), "declared in pyproject.toml but not in environment.yml"


def _ranges() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs += extra
    return {_norm(re.split(r"[<>=!~ \[]", r, maxsplit=1)[0]): r for r in reqs}


def test_every_declared_range_has_an_upper_bound_and_admits_the_lock():
    """The locked version is the one the tests proved, so every range must allow it, and stop
    somewhere: an open range lets the next release break the pack for anyone without the lock."""
    from packaging.requirements import Requirement

    lock = _lock()
    for name, text in _ranges().items():
        spec = Requirement(text).specifier
        assert any(s.operator in {"<", "<=", "~=", "=="} for s in spec), f"{text}: no upper bound"
        assert spec.contains(lock[name]), f"{text} excludes the locked {name}=={lock[name]}"


def test_conda_python_is_the_supported_minimum():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == ">=3.11"
    assert _conda()["python"] == "3.11"


def test_environment_installs_the_pack_itself():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section


def test_kernel_messages_are_packed_with_orjson():
    # jupyter_client picks orjson when it can import it; an earlier kernel benchmark measured the
    # JSON packing at about half of a widget message's cost in the kernel without it.
    from jupyter_client.session import Session

    assert Session().packer == "orjson"
