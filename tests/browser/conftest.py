"""Real-browser tests: JupyterLab and Voilà in the system Chromium, driven by Playwright.

Off by default, so `make test` stays fast and needs no browser. Turn them on with
`make test-browser` (or PCD_BROWSER_TESTS=1, or `pytest tests/browser --browser`).
Without Chromium they skip with a message, unless PCD_REQUIRE_BROWSER=1 or CI=true (then they fail).
Failures leave a screenshot and the page's logs in test-results/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def _enabled(config) -> bool:
    return os.environ.get("PCD_BROWSER_TESTS") == "1" or bool(config.getoption("--browser", False))


def _required() -> bool:
    return os.environ.get("PCD_REQUIRE_BROWSER") == "1" or os.environ.get("CI") == "true"


def pytest_addoption(parser):
    parser.addoption(
        "--browser", action="store_true", default=False, help="run the real-browser tests"
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "browser: real-browser test (Chromium + Playwright); runs with make test-browser "
        "or PCD_BROWSER_TESTS=1",
    )


def pytest_ignore_collect(collection_path, config):
    """Unless enabled, do not even import the browser modules (nor Playwright)."""
    path = Path(collection_path)
    if _enabled(config) or path.name == "conftest.py":
        return None
    if path.suffix == ".py" and path.parent == HERE:
        return True
    return None


def pytest_collection_modifyitems(config, items):
    if _enabled(config):
        return
    keep = [i for i in items if i.get_closest_marker("browser") is None]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    return rep


# ---------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def harness():
    import harness as h  # tests/browser is on sys.path (pytest's rootdir-relative imports)

    return h


@pytest.fixture(scope="session")
def chromium(harness):
    if not harness.chromium_available():
        message = harness.HOW_TO_ENABLE.format(path=harness.CHROMIUM)
        if _required():
            pytest.fail(f"Chromium not found and PCD_REQUIRE_BROWSER=1/CI=true. {message}")
        pytest.skip(message)
    return harness.CHROMIUM


@pytest.fixture(scope="session")
def browser_tmp(tmp_path_factory):
    path = tmp_path_factory.mktemp("browser")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def browser_context(chromium, harness, browser_tmp):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        ctx = harness.launch_context(p, browser_tmp / "chromium-profile")
        try:
            yield ctx
        finally:
            ctx.close()


@pytest.fixture(scope="session")
def lab_server(chromium, harness, browser_tmp):
    server = harness.start_lab(browser_tmp / "lab")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def voila_server(chromium, harness, browser_tmp):
    server = harness.start_voila(browser_tmp / "voila")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def _artifacts_on_failure(request, harness):
    """A failing test leaves test-results/<test>.png (full page) and <test>.log."""
    yield
    failed = any(
        getattr(request.node, f"rep_{when}", None) is not None
        and getattr(request.node, f"rep_{when}").failed
        for when in ("setup", "call")
    )
    if failed:
        for name, (page, recorder, server) in list(harness.PAGES.items()):
            if not page.is_closed():
                shot = harness.save_artifacts(
                    f"{request.node.name}--{name}", page, recorder, server
                )
                request.node.user_properties.append(("screenshot", str(shot)))
