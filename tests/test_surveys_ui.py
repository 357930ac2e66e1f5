"""Tests for widgets.surveys.ui: the three simulators, driven as objects (no browser)."""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np
import pytest

from widgets import explorer as explorer_module
from widgets.explorer import Explorer
from widgets.plot import Plot
from widgets.surveys import models, ui


@pytest.fixture(scope="module")
def survey() -> Explorer:
    return ui.survey_explorer()


@pytest.fixture(scope="module")
def volunteer() -> Explorer:
    return ui.volunteer_explorer()


@pytest.fixture(scope="module")
def recall() -> Explorer:
    return ui.recall_explorer()


@pytest.mark.parametrize("name", ["survey", "volunteer", "recall"])
def test_every_control_is_labelled_and_keyboard_usable(name, request):
    explorer = request.getfixturevalue(name)
    assert isinstance(explorer.plot, Plot) and len(explorer.plots) == 1
    for control in explorer.controls.values():
        assert isinstance(control, ipw.ValueWidget)
        assert control.description, control
        assert not control.disabled
        if isinstance(control, ipw.SelectionSlider | ipw.FloatSlider | ipw.IntSlider):
            assert control.continuous_update  # the figure follows a drag
    buttons = [w for w in explorer.panel.children if isinstance(w, ipw.Button)]
    assert len(buttons) == 1 and buttons[0].description


@pytest.mark.parametrize("name", ["survey", "volunteer", "recall"])
def test_display_shows_controls_figure_and_readout_in_one_view(name, request, monkeypatch):
    explorer = request.getfixturevalue(name)
    shown = []
    monkeypatch.setattr(
        explorer_module, "display", lambda *objs, **kwargs: shown.append((objs, kwargs))
    )
    explorer._ipython_display_()
    (((bundle,), kwargs),) = shown
    assert kwargs["raw"] is True
    view = "application/vnd.jupyter.widget-view+json"
    assert bundle[view]["model_id"] == explorer.widget.model_id
    row, below = explorer.widget.children  # controls beside (or above) the figure
    assert list(row.children) == [explorer.panel, explorer.plot] and below is explorer.readout
    lines = bundle["text/plain"].splitlines()
    assert [line.split(":")[0] for line in lines] == ["Controls", "Figure", "Readout"]
    assert all(0 < len(line) < 200 for line in lines)


def test_survey_slider_updates_the_figure_in_place_with_one_message(survey, monkeypatch):
    survey.set(prevalence_pct=46.0, n_people=230, method="wilson", seed=2015)
    plot = survey.plot
    before = list(survey.plot.figure.data[4].y)
    sent = _comm_messages(plot, monkeypatch)
    survey.controls["prevalence_pct"].value = 20.0
    assert survey.plot is plot and len(sent) == 1  # never re-created; one message
    assert before == [46.0, 46.0] and list(plot.figure.data[4].y) == [20.0, 20.0]
    assert survey.result.prevalence == pytest.approx(0.2)
    assert "20.0% have had the experience" in survey.text


def test_survey_is_seeded_and_reproducible(survey):
    survey.set(prevalence_pct=46.0, n_people=230, method="wilson", seed=7)
    first = survey.text
    expected = models.simulate_surveys(
        prevalence=0.46, n_people=230, n_surveys=100, rng=np.random.default_rng(7)
    )
    assert np.array_equal(survey.result.events, expected.events)
    survey.set(seed=8)
    assert survey.text != first
    survey.set(seed=7)
    assert survey.text == first


def _comm_messages(widget, monkeypatch) -> list:
    sent = []
    monkeypatch.setattr(widget.comm, "send", lambda *args, **kwargs: sent.append(args))
    return sent


@pytest.mark.parametrize(
    ("name", "control", "value"),
    [
        ("survey", "seed", 2016),
        ("survey", "prevalence_pct", 30.0),
        ("volunteer", "prevalence_pct", 25.0),
        ("recall", "per_encounter_pct", 20.0),
    ],
)
def test_an_update_sends_one_figure_message_and_one_readout_message(
    name, control, value, request, monkeypatch
):
    """Each comm message costs a fraction of a millisecond in a kernel: one for the figure, one for
    the readout, nothing else (the other controls and notes are not touched)."""
    explorer = request.getfixturevalue(name)
    explorer.reset()
    widgets = [explorer.plot, explorer.readout, *explorer.panel.children]
    sent = {w.model_id: _comm_messages(w, monkeypatch) for w in widgets}
    explorer.set(**{control: value})
    figure, readout = sent[explorer.plot.model_id], sent[explorer.readout.model_id]
    moved = sent[explorer.controls[control].model_id]
    assert len(figure) == 1 and len(readout) == 1 and len(moved) == 1
    assert sum(map(len, sent.values())) == 3
    explorer.reset()


def test_preview_prints_a_setting_and_leaves_the_widget_alone(survey, monkeypatch):
    survey.set(prevalence_pct=46.0, n_people=230, method="wilson", seed=2015)
    text, state_before = survey.text, (survey.plot.data, survey.plot.plot_layout)
    widgets = [survey.plot, survey.readout, *survey.controls.values()]
    sent = [_comm_messages(w, monkeypatch) for w in widgets]
    shown = survey.preview(n_people=2000, method="wald")
    assert "2,000 people each" in shown.text and "Wald (textbook) interval" in shown.text
    assert shown.result.n_people == 2000
    assert survey.values()["n_people"] == 230 and survey.text == text
    assert (survey.plot.data, survey.plot.plot_layout) == state_before
    assert sent == [[]] * len(widgets)  # nothing sent: nothing to take back
    with pytest.raises(ValueError, match="unknown control"):
        survey.preview(people=5)
    assert survey.values()["n_people"] == 230


def test_reset_returns_to_the_starting_values():
    explorer = ui.volunteer_explorer(prevalence_pct=30.0)
    start = explorer.values()
    explorer.set(prevalence_pct=10.0, seed=3)
    explorer.reset()
    assert explorer.values() == start


def test_new_surveys_button_moves_the_seed_on(survey):
    survey.set(seed=100)
    before = survey.result.events.copy()
    button = next(w for w in survey.panel.children if isinstance(w, ipw.Button))
    button.click()
    assert survey.controls["seed"].value == 101
    assert not np.array_equal(survey.result.events, before)


def test_survey_readout_compares_wilson_and_wald_at_small_n(survey):
    survey.set(prevalence_pct=5.0, n_people=20, method="wilson", seed=3)
    text = survey.text
    assert "Wilson 92.5%; Wald (textbook) 63.9%" in text
    assert "The same surveys with other intervals" in text
    wald = models.interval_coverage(
        survey.result.events, n_people=20, prevalence=0.05, method="wald"
    )
    assert f"Wald (textbook) {round(wald * 100)} of 100" in text
    survey.set(method="wald")
    assert "95% Wald (textbook) interval" in survey.text
    assert survey.readout.value.startswith('<div role="status"')


def test_set_rejects_unknown_controls_and_invalid_values(survey):
    with pytest.raises(ValueError, match=r"unknown control\(s\) \['n'\]"):
        survey.set(n=5)
    with pytest.raises(ValueError, match="n_people must be one of"):
        survey.set(n_people=231)
    with pytest.raises(ValueError, match=r"prevalence_pct must be a number from 0\.5 to 99\.5"):
        survey.set(prevalence_pct=120)
    with pytest.raises(ValueError, match="method must be one of"):
        survey.set(method="agresti")
    before = survey.values()
    with pytest.raises(ValueError, match="seed must be a number"):
        survey.set(prevalence_pct=30.0, seed="two")  # the first value is not applied either
    assert survey.values() == before


def test_volunteer_explorer_bias_and_coverage(volunteer, monkeypatch):
    volunteer.set(prevalence_pct=20.0, response_if_yes_pct=60.0, response_if_no_pct=30.0, seed=1)
    res = volunteer.result
    assert res.respondent_prevalence == pytest.approx(1 / 3)
    assert res.n_people.tolist() == list(ui.VOLUNTEER_SIZES)
    assert res.coverage[-1] == 0.0
    assert "13.3 points too high" in volunteer.text
    sent = _comm_messages(volunteer.plot, monkeypatch)
    volunteer.controls["response_if_no_pct"].value = 60.0  # everyone answers alike
    assert len(sent) == 1
    assert "aims at the true value" in volunteer.text
    assert list(volunteer.plot.figure.data[1].y) == [20.0, 20.0]
    notes = [w for w in volunteer.panel.children if isinstance(w, ipw.HTML)]
    assert "illustrative" in notes[0].value


def test_recall_explorer_defaults_reproduce_the_measured_figures(recall):
    recall.set(
        susceptible_pct=41.0,
        per_encounter_pct=17.0,
        encounters_per_4_weeks=4.0,
        years_active=10,
        seed=2015,
    )
    assert (100 * recall.result.expected).round(1).tolist() == [20.2, 41.0]
    assert "Measured: Maczkowiack & Schweitzer 2019, men" in recall.text
    recall.set(susceptible_pct=100.0, per_encounter_pct=2.0)
    assert recall.result.expected[1] > 0.99  # same chance for everyone: nearly all, ever
    axis = recall.plot.figure.layout.xaxis.to_plotly_json()
    recall.set(years_active=20)
    figure = recall.plot.figure
    assert max(figure.data[0].x) == pytest.approx(1040)  # the curve reaches 20 years
    assert figure.data[5].x[1] > 1040  # the measured lifetime point moved with the window
    # The x axis already reached the slider's longest lifetime: it stays still.
    assert figure.layout.xaxis.to_plotly_json() == axis
    assert 10 ** figure.layout.xaxis.range[1] > 52 * recall.controls["years_active"].max


def test_a_burst_of_drag_values_computes_the_newest(survey):
    """A fast drag: the front end sends values one after another (ipywidgets keeps one in flight
    and sends the newest when the kernel is idle); every one that arrives is computed at once, so
    the figure and the readout end at the newest value, with nothing queued."""
    slider = survey.controls["prevalence_pct"]
    for value in np.arange(10.0, 30.0, 0.7).round(1):
        slider.set_state({"value": float(value)})  # as a message from the browser
    assert survey.result.prevalence == pytest.approx(float(value) / 100)
    assert list(survey.plot.figure.data[4].y) == [float(value)] * 2
    assert f"{value:.1f}% have had the experience" in survey.text
    survey.reset()


def test_factories_check_their_arguments():
    with pytest.raises(ValueError, match="sizes must be whole numbers"):
        ui.survey_explorer(sizes=[0, 10])


@pytest.mark.parametrize("module", [ui, explorer_module], ids=lambda m: m.__name__)
def test_importing_ui_creates_nothing(module):
    """No module-level statement calls ipywidgets, plotly or display (nothing at import time)."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    top_level = [
        node
        for node in tree.body
        if not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Import | ast.ImportFrom)
    ]
    calls = [
        ast.unparse(call.func)
        for node in top_level
        for call in ast.walk(node)
        if isinstance(call, ast.Call)
    ]
    assert not [c for c in calls if c.split(".")[0] in {"ipw", "go", "display", "ipywidgets"}]
