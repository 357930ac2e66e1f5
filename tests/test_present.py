"""tools/present.sh builds the right Voilà command (checked with --dry-run; no server starts)."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "present.sh"


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    unset = ("PRESENT_PORT", "PLOTLY_RENDERER")
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=30,
        env={**environment, **env},
    )


def _command(*args: str, **env: str) -> tuple[dict[str, str], list[str]]:
    """The environment and the argv that present.sh would run, from its --dry-run line."""
    result = _run("--dry-run", *args, **env)
    assert result.returncode == 0, result.stderr
    words = shlex.split(result.stdout)
    assert words[:3] == ["cd", str(ROOT), "&&"]
    words = words[3:]
    n_env = next(i for i, w in enumerate(words) if "=" not in w)
    return dict(w.split("=", 1) for w in words[:n_env]), words[n_env:]


def test_without_a_lesson_it_serves_the_lesson_list_on_localhost_with_code_hidden():
    env, words = _command()
    assert env["PLOTLY_RENDERER"] == "plotly_mimetype"
    assert words[0] == str(ROOT / ".venv" / "bin" / "voila")
    assert words[1] == "notebooks"
    assert "--Voila.ip=127.0.0.1" in words
    assert "--port=8866" in words
    assert "--no-browser" in words
    assert "--strip_sources=True" in words
    assert not any("0.0.0.0" in w for w in words)
    assert "--token" in words, "a token by default"


def test_token_opt_out():
    assert "--token" not in _command("--no-token")[1]
    assert "--token" not in _command(PRESENT_TOKEN="0")[1]


@pytest.mark.parametrize("nb", ["04", "4", "04-how-common-is-it", "04-how-common-is-it.ipynb"])
def test_a_lesson_number_or_name_picks_one_notebook(nb):
    assert _command(nb)[1][1] == "notebooks/04-how-common-is-it.ipynb"


def test_port_from_option_or_environment():
    assert "--port=8870" in _command("--port", "8870", "01")[1]
    assert "--port=8871" in _command("01", PRESENT_PORT="8871")[1]


def test_the_renderer_matches_the_tests_unless_set():
    assert _command()[0]["PLOTLY_RENDERER"] == "plotly_mimetype"
    assert _command(PLOTLY_RENDERER="notebook")[0]["PLOTLY_RENDERER"] == "notebook"


@pytest.mark.skipif(
    not (ROOT / "jupyter" / "voila" / "templates" / "pcd" / "conf.json").is_file(),
    reason="the pack's Voilà template is not in this checkout",
)
def test_the_pack_template_keeps_the_page_offline():
    env, words = _command("01", JUPYTER_PATH="/elsewhere")
    assert "--template=pcd" in words
    assert env["JUPYTER_PATH"] == f"{ROOT / 'jupyter'}:/elsewhere"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["99"], "no single lesson numbered 99"),
        (["nonsense"], "no notebook notebooks/nonsense.ipynb"),
        (["--port", "80"], "port must be a number from 1024 to 65535"),
        (["--bogus"], "unknown option --bogus"),
        (["01", "04"], "give one lesson at most"),
    ],
)
def test_bad_input_is_refused_with_the_lesson_list(args, message):
    result = _run("--dry-run", *args)
    assert result.returncode == 2
    assert message in result.stderr
    if "lesson" in message or "notebook" in message:
        assert "04-how-common-is-it.ipynb" in result.stderr or "one lesson" in message


def test_help_explains_the_token_and_address():
    result = _run("--help")
    assert result.returncode == 0
    assert "127.0.0.1" in result.stdout and "--no-token" in result.stdout
