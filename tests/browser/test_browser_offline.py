"""Offline guarantee, checked from the browser's request log: nothing is loaded from outside.

JupyterLab (stored outputs, then Run All, then every control moved) and Voilà are checked in
test_browser_lab.py and test_browser_voila.py (`test_requests_stay_on_this_machine`). Here: the
handouts, and (under `make test-offline`) that the network namespace really has no way out.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import harness
import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def handouts(tmp_path_factory) -> list:
    """The handouts of every lesson, freshly built by tools/handouts.py (`make handouts`)."""
    tool = harness.ROOT / "tools" / "handouts.py"
    if not tool.exists():
        pytest.skip("tools/handouts.py is not in this checkout: no handouts to check")
    out = tmp_path_factory.mktemp("handouts")
    lessons = [str(p) for p in harness.notebooks()]
    env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    result = subprocess.run(
        [sys.executable, str(tool), "--out", str(out), *lessons],
        cwd=harness.ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert result.returncode == 0, f"building the handouts failed:\n{result.stderr[-3000:]}"
    return sorted(out.glob("*.html"))


def test_handouts_load_nothing_from_outside(handouts, browser_context):
    assert handouts, "tools/handouts.py wrote no HTML"
    bad = {}
    for path in handouts:
        page = browser_context.new_page()
        recorder = harness.Recorder().attach(page)
        key = f"handout-{path.stem}"
        harness.PAGES[key] = (page, recorder, None)
        try:
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_timeout(500)
            if recorder.external():
                bad[path.name] = recorder.external()
            errors = harness.page_errors(recorder, "handout")
            if errors:
                bad[path.name] = errors
        finally:
            harness.PAGES.pop(key, None)
            page.close()
    assert not bad, f"handouts load from outside (or fail): {bad}"


@pytest.mark.skipif(
    os.environ.get("PCD_OFFLINE") != "1", reason="only inside `make test-offline`'s namespace"
)
def test_the_namespace_has_no_way_out():
    """Guards the guarantee itself: inside `unshare -n` only loopback exists."""
    with pytest.raises(OSError):
        socket.create_connection(("1.1.1.1", 443), timeout=3).close()
    with pytest.raises(OSError):
        socket.getaddrinfo("pypi.org", 443)
