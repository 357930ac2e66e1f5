"""Every notebook presented in Voilà (`make present`'s set-up, code hidden): renders, responds."""

from __future__ import annotations

import time
from dataclasses import dataclass

import harness
import pytest

pytestmark = pytest.mark.browser

SCOPE = harness.VOILA_SCOPE


@dataclass
class Shown:
    name: str
    page: object
    recorder: harness.Recorder
    state: dict
    want: harness.Expected
    seconds: float


@pytest.fixture(scope="module", params=harness.notebooks(), ids=lambda p: p.stem)
def voila_page(request, browser_context, voila_server):
    path = request.param
    page = browser_context.new_page()
    recorder = harness.Recorder().attach(page)
    key = f"voila-{path.stem}"
    harness.PAGES[key] = (page, recorder, voila_server)
    try:
        start = time.monotonic()
        harness.voila_open(page, voila_server, path.name)
        want = harness.expected(path)
        state = harness.wait_rendered(page, SCOPE, want, ran=True)
        yield Shown(path.name, page, recorder, state, want, time.monotonic() - start)
    finally:
        harness.PAGES.pop(key, None)
        page.close()
        voila_server.shutdown_kernels()


def test_renders_everything_with_code_hidden(voila_page):
    problems = harness.render_problems(voila_page.state, voila_page.want, ran=True)
    problems += [
        f"JavaScript error: {e}" for e in harness.page_errors(voila_page.recorder, "voila")
    ]
    code = voila_page.page.locator(f"{SCOPE} .jp-InputArea .jp-Editor, {SCOPE} .jp-InputArea pre")
    if code.count():
        problems.append(f"{code.count()} code inputs are shown; Voilà should hide code")
    assert not problems, f"{voila_page.name} in Voilà:\n- " + "\n- ".join(problems)


def test_every_control_responds_to_the_keyboard(voila_page):
    found, dead = harness.unresponsive_controls(voila_page.page, SCOPE)
    if not found:
        pytest.skip(f"{voila_page.name} has no sliders, toggles, checkboxes or dropdowns")
    assert not dead, f"{voila_page.name} in Voilà:\n- " + "\n- ".join(dead)


def test_readout_tables_show_and_follow_the_sliders(voila_page):
    """The hormone simulators' tables are drawn from their figure's messages (FigureNote)."""
    if voila_page.name not in harness.READOUT_TABLES:
        pytest.skip(f"{voila_page.name} has no readout table of a hormone simulator")
    problems = harness.readout_problems(voila_page.page, SCOPE, voila_page.name)
    assert not problems, f"{voila_page.name} in Voilà:\n- " + "\n- ".join(problems)


def test_requests_stay_on_this_machine(voila_page):
    assert voila_page.recorder.requests, "the request log is empty: recording is broken"
    assert voila_page.recorder.external() == [], "the Voilà page loaded something from outside"
