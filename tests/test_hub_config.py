"""The class hub's configuration, its input checks and the Kubernetes values (fast; no hub runs).

The live tests, a real hub with two students, are in tests/test_hub.py (`make test-hub`).
"""

from __future__ import annotations

import copy
import socket
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import hub  # noqa: E402  (tools/hub.py)

CONFIG = ROOT / "jupyter" / "jupyterhub_config.py"
K8S = ROOT / "deploy" / "k8s"


def load_config(monkeypatch, tmp_path, **env):
    """Run jupyter/jupyterhub_config.py as JupyterHub does, with the variables tools/hub.py sets."""
    from traitlets.config import Config

    values = {
        "PCD_HUB_PASSWORD": "a-class-password",
        "PCD_HUB_PREFIX": str(tmp_path),
        "PCD_HUB_VENV": str(tmp_path / "venv"),
        "PCD_HUB_STATE": str(tmp_path / "state"),
        "PCD_HUB_HOMES": str(tmp_path / "home"),
        "PCD_HUB_API_PORT": "18081",
        "PCD_HUB_PROXY_API_PORT": "18001",
        "PCD_HUB_PROXY": "configurable-http-proxy",
        "PCD_HUB_STOP_AFTER": "3600",
        **env,
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    config = Config()
    namespace = {"get_config": lambda: config, "__file__": str(CONFIG)}
    exec(compile(CONFIG.read_text(encoding="utf-8"), str(CONFIG), "exec"), namespace)
    namespace["_timer"].cancel()  # the hard stop's timer
    return config, namespace


# ---- input checks ------------------------------------------------------------------------------


@pytest.mark.parametrize("password", [None, ""])
def test_a_missing_class_password_says_how_to_give_one(password):
    with pytest.raises(hub.HubError, match="no class password: set PCD_HUB_PASSWORD"):
        hub.check_password(password)


def test_a_short_class_password_is_refused_with_its_length():
    with pytest.raises(hub.HubError, match="7 characters long; it must be at least 8"):
        hub.check_password("1234567")
    assert hub.check_password("12345678") == "12345678"


@pytest.mark.parametrize("name", ["Ada", "root!", "1bo", "a" * 21, "ada-b", "ünal", "../x"])
def test_a_name_that_is_not_allowed_is_named_with_the_rule(name):
    with pytest.raises(hub.HubError, match="not allowed") as err:
        hub.check_names(f"bo {name}")
    assert repr(name) in str(err.value)
    assert hub.NAME_RULE in str(err.value)


def test_names_are_split_on_spaces_and_commas_and_duplicates_refused():
    assert hub.check_names(" ada, bo  chen ") == ["ada", "bo", "chen"]
    assert hub.check_names("") == []
    with pytest.raises(hub.HubError, match="given twice: ada"):
        hub.check_names("ada bo ada")


def test_a_port_in_use_is_reported_with_what_to_do():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(hub.HubError, match=f"cannot listen on 127.0.0.1:{port}.*HUB_PORT"):
            hub.check_port("127.0.0.1", port)


def test_serving_a_room_needs_a_certificate_or_an_explicit_choice(tmp_path):
    with pytest.raises(hub.HubError, match="in clear: give a certificate and key"):
        hub.check_tls("192.0.2.10", None, None, insecure_http=False)
    hub.check_tls("192.0.2.10", None, None, insecure_http=True)
    hub.check_tls("127.0.0.1", None, None, insecure_http=False)
    with pytest.raises(hub.HubError, match="both --cert and --key"):
        hub.check_tls("192.0.2.10", str(tmp_path / "c.pem"), None, insecure_http=False)
    with pytest.raises(hub.HubError, match="cannot be read"):
        hub.check_tls("192.0.2.10", str(tmp_path / "c.pem"), str(tmp_path / "k.pem"), False)


def test_run_checks_the_input_before_anything_starts(monkeypatch, capsys):
    monkeypatch.delenv("PCD_HUB_PASSWORD", raising=False)
    assert hub.main(["run", "--check"]) == 2
    assert "no class password" in capsys.readouterr().err
    monkeypatch.setenv("PCD_HUB_PASSWORD", "short")
    assert hub.main(["run", "--check"]) == 2
    assert "at least 8" in capsys.readouterr().err
    monkeypatch.setenv("PCD_HUB_PASSWORD", "long enough")
    assert hub.main(["run", "--check", "--students", "ada Bo"]) == 2
    assert "'Bo'" in capsys.readouterr().err


# ---- the configuration JupyterHub reads --------------------------------------------------------


def test_students_sign_in_with_the_class_password_and_land_on_lesson_00(monkeypatch, tmp_path):
    c, ns = load_config(monkeypatch, tmp_path)
    assert issubclass(c.JupyterHub.authenticator_class, ns["SharedPasswordAuthenticator"])
    assert c.SharedPasswordAuthenticator.user_password == "a-class-password"
    assert "PCD_HUB_PASSWORD" not in __import__("os").environ  # no server or service inherits it
    assert c.Authenticator.allow_all is True
    assert c.Spawner.default_url == "/lab/tree/notebooks/00-start-here.ipynb"
    assert (ROOT / c.Spawner.default_url.removeprefix("/lab/tree/")).exists()
    assert c.JupyterHub.ip == "127.0.0.1"


def test_a_list_of_names_replaces_anyone_with_the_password(monkeypatch, tmp_path):
    c, _ = load_config(monkeypatch, tmp_path, PCD_HUB_STUDENTS="ada bo")
    assert c.Authenticator.allowed_users == {"ada", "bo"}
    assert "allow_all" not in c.Authenticator


def test_each_student_is_a_unix_user_unless_isolation_is_turned_off(monkeypatch, tmp_path):
    c, ns = load_config(monkeypatch, tmp_path)
    assert c.JupyterHub.spawner_class is ns["StudentSpawner"]
    assert issubclass(ns["StudentSpawner"], ns["LocalProcessSpawner"])
    assert not issubclass(ns["StudentSpawner"], ns["SimpleLocalProcessSpawner"])
    c, ns = load_config(monkeypatch, tmp_path, PCD_HUB_ISOLATION="none")
    assert c.JupyterHub.spawner_class is ns["SharedUserSpawner"]


def test_the_idle_culler_is_a_service_with_only_the_scopes_it_needs(monkeypatch, tmp_path):
    c, _ = load_config(monkeypatch, tmp_path, PCD_HUB_CULL_IDLE="600", PCD_HUB_CULL_EVERY="60")
    (service,) = c.JupyterHub.services
    assert service["command"][1:3] == ["-m", "jupyterhub_idle_culler"]
    assert "--timeout=600" in service["command"] and "--cull-every=60" in service["command"]
    (role,) = c.JupyterHub.load_roles
    assert role["services"] == [service["name"]]
    assert sorted(role["scopes"]) == [
        "delete:servers",
        "list:users",
        "read:servers",
        "read:users:activity",
    ]
    assert "--MappingKernelManager.cull_connected=True" in c.Spawner.args


# ---- past one machine: Zero to JupyterHub ------------------------------------------------------


def _merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _k8s():
    schema = yaml.safe_load((K8S / "chart" / "values.schema.yaml").read_text(encoding="utf-8"))
    defaults = yaml.safe_load((K8S / "chart" / "values.yaml").read_text(encoding="utf-8"))
    config = yaml.safe_load((K8S / "config.yaml").read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema), defaults, config


def test_the_kubernetes_config_is_valid_for_the_chart():
    # Helm validates the chart's defaults merged with the given values against values.schema.yaml
    validator, defaults, config = _k8s()
    errors = [
        f"{'.'.join(map(str, e.path))}: {e.message}"
        for e in validator.iter_errors(_merge(defaults, config))
    ]
    assert errors == []


def test_the_schema_check_catches_a_misspelt_setting():
    validator, defaults, config = _k8s()
    wrong = _merge(config, {"singleuser": {"memmory": {"limit": "1G"}}})
    assert any("memmory" in e.message for e in validator.iter_errors(_merge(defaults, wrong)))


def test_the_kubernetes_config_culls_and_lands_like_make_hub(monkeypatch, tmp_path):
    c, _ = load_config(monkeypatch, tmp_path)
    _, _, k8s = _k8s()
    single = k8s["singleuser"]
    assert single["defaultUrl"] == c.Spawner.default_url
    assert single["cmd"][0] == "jupyterhub-singleuser"
    assert single["cmd"][1:] == [a for a in c.Spawner.args if a != "--allow-root"]
    assert k8s["cull"]["enabled"] is True
    assert k8s["cull"]["timeout"] == hub.build_parser().parse_args(["run"]).cull_idle
    assert "user_password" not in str(k8s["hub"])  # never in the repository
    assert k8s["hub"]["config"]["JupyterHub"]["authenticator_class"] == "shared-password"


# ---- the load test's kernel client (tools/hub_load.py) -----------------------------------------


def test_binary_kernel_frames_are_decoded_as_jupyter_server_sends_them():
    # widget messages with buffers travel as binary websocket frames
    import hub_load
    from jupyter_server.services.kernels.connection.base import serialize_binary_message

    msg = {
        "header": {"msg_id": "1", "msg_type": "comm_msg"},
        "parent_header": {},
        "metadata": {},
        "content": {"comm_id": "c", "data": {"method": "update", "buffer_paths": [["x"]]}},
        "channel": "iopub",
        "buffers": [b"\x00\x01\x02", b"plot"],
    }
    decoded = hub_load.decode_frame(serialize_binary_message(msg))
    assert decoded["buffers"] == [b"\x00\x01\x02", b"plot"]
    assert {k: v for k, v in decoded.items() if k != "buffers"} == {
        k: v for k, v in msg.items() if k != "buffers"
    }
    assert hub_load.decode_frame('{"a": 1}') == {"a": 1}


def test_the_load_test_moves_a_control_the_lesson_shows():
    import hub_load

    comms = {
        "out": {"_model_name": "OutputModel"},
        "off": {"_model_name": "DropdownModel", "disabled": True, "index": 0},
        "menu": {"_model_name": "DropdownModel", "index": 2, "_options_labels": ["a", "b", "c"]},
    }
    assert hub_load.pick_control(comms) == ("menu", {"index": 0})
    assert hub_load.pick_control({"s": {"_model_name": "FloatSliderModel", "value": 1.0, "max": 5}})
    assert hub_load.pick_control({"out": {"_model_name": "OutputModel"}}) is None


def test_the_load_test_is_bounded(capsys):
    import hub_load

    assert hub_load.main(["--students", str(hub_load.MAX_STUDENTS + 1)]) == 2
    assert hub_load.main(["--students", "2", "--timeout", "7200"]) == 2
    assert hub_load.main(["--students", "2", "--lesson", "99"]) == 2
    err = capsys.readouterr().err
    assert "at most" in err or "1 to 60" in err
    assert "no lesson numbered '99'" in err
