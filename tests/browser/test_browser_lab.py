"""Every notebook in a real JupyterLab: Run All renders everything, and every control responds."""

from __future__ import annotations

import time
from dataclasses import dataclass

import harness
import pytest

pytestmark = pytest.mark.browser

SCOPE = harness.LAB_SCOPE


@dataclass
class Run:
    name: str
    page: object
    recorder: harness.Recorder
    stored: dict  # the page before Run All: stored outputs only
    state: dict  # after Run All
    want: harness.Expected
    model_errors: list[str]
    progress: dict  # code cells run / in the notebook
    seconds: float


@pytest.fixture(scope="module", params=harness.notebooks(), ids=lambda p: p.stem)
def lab_run(request, browser_context, lab_server):
    """One notebook opened in JupyterLab (fresh page, fresh kernel) after Run All."""
    path = request.param
    page = browser_context.new_page()
    recorder = harness.Recorder().attach(page)
    key = f"lab-{path.stem}"
    harness.PAGES[key] = (page, recorder, lab_server)
    try:
        start = time.monotonic()
        want = harness.expected(path)
        harness.lab_open(page, lab_server, path.name)
        stored = harness.wait_rendered(page, SCOPE, want, ran=False, timeout_s=60)
        progress = harness.lab_run_all(page)
        state = harness.wait_rendered(page, SCOPE, want, ran=True)
        run = Run(
            path.name,
            page,
            recorder,
            stored,
            state,
            want,
            harness.lab_model_errors(page),
            progress,
            time.monotonic() - start,
        )
        yield run
    finally:
        harness.PAGES.pop(key, None)
        page.close()
        lab_server.shutdown_kernels()


def test_stored_outputs_render_before_running(lab_run):
    """Opened, not yet run: stored tables, text and static figures show (widgets need a kernel)."""
    problems = harness.render_problems(lab_run.stored, lab_run.want, ran=False)
    assert not problems, f"stored outputs of {lab_run.name}:\n- " + "\n- ".join(problems)


def test_run_all_renders_everything(lab_run):
    problems = harness.render_problems(lab_run.state, lab_run.want, ran=True)
    if lab_run.progress["done"] < lab_run.progress["cells"]:
        problems.append(
            f"Run All stopped: {lab_run.progress['done']} of {lab_run.progress['cells']} ran"
        )
    problems += [f"error output in the notebook model: {e}" for e in lab_run.model_errors]
    problems += [f"JavaScript error: {e}" for e in harness.page_errors(lab_run.recorder, "lab")]
    assert not problems, f"{lab_run.name} in JupyterLab:\n- " + "\n- ".join(problems)


def test_every_control_responds_to_the_keyboard(lab_run):
    found, dead = harness.unresponsive_controls(lab_run.page, SCOPE)
    if not found:
        pytest.skip(f"{lab_run.name} has no sliders, toggles, checkboxes or dropdowns")
    assert not dead, f"{lab_run.name} in JupyterLab:\n- " + "\n- ".join(dead)
    # still healthy after every control moved
    state = harness.page_state(lab_run.page, SCOPE)
    assert not harness.render_problems(state, None, ran=True)


def test_readout_tables_show_and_follow_the_sliders(lab_run):
    """The hormone simulators' tables are drawn from their figure's messages (FigureNote)."""
    if lab_run.name not in harness.READOUT_TABLES:
        pytest.skip(f"{lab_run.name} has no readout table of a hormone simulator")
    problems = harness.readout_problems(lab_run.page, SCOPE, lab_run.name)
    assert not problems, f"{lab_run.name} in JupyterLab:\n- " + "\n- ".join(problems)


def test_requests_stay_on_this_machine(lab_run):
    """Stored outputs, Run All and every control moved: all of it loaded from 127.0.0.1 only."""
    assert lab_run.recorder.requests, "the request log is empty: recording is broken"
    assert lab_run.recorder.external() == [], "JupyterLab loaded something from outside"
