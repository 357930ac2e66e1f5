"""Issue 14: what the hormone simulators say about the evidence, at every control setting.

These tests read the evidence from ``data/hormones.csv`` and compare it with the model's own
behaviour (its curves), never with today's numbers: those are pinned by the notebooks' stored
outputs. Adding a marker row must not break them.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from widgets import data
from widgets.hormones import figures, scenarios, ui

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSONS = ("02-the-body-after-orgasm.ipynb", "03-intensity-stress-and-the-drop.ipynb")


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return data.load("hormones")


@pytest.fixture(scope="module")
def sim(table):
    return ui.dropoff_simulator(table)


@pytest.fixture(scope="module")
def explorer(table):
    return ui.timescales_explorer(table)


def _measured_markers(specs):
    return [s for s in specs if math.isfinite(s.still_raised_at_min)]


def _level_at(compute, table, marker, t_min, **scenario) -> float:
    """The model's level of ``marker`` at ``t_min``, from its curves on a one-point grid."""
    return float(compute(table, t_min=[t_min], **scenario).curves[marker].level[0])


# --- item 16: where the model leaves the data ----------------------------------------------------


def test_there_is_a_measured_time_to_compare_with(table):
    assert _measured_markers(scenarios.marker_specs(table)), "no still_raised_at_min in the data"


def _says_what_the_level_means(readouts, label: str, level: float) -> bool | None:
    """Check the readout's comparison with the studies against the model's own level at the time
    the studies found it still raised; return whether it is back by then (None: on the edge)."""
    if abs(level - (1 + scenarios.TOLERANCE)) < 1e-9:
        return None
    back = level <= 1 + scenarios.TOLERANCE
    said = readouts.loc[label, "vs_studies"]
    assert said.startswith("sooner than the studies" if back else "agrees with the studies"), (
        label,
        level,
        said,
    )
    return back


def test_every_control_setting_says_when_the_model_leaves_the_data(table, sim):
    """Walk every intensity step × prolactin after (both) × every half-life position of each marker
    with a measured "still raised" time: the readout says "sooner than measured", and the
    description "the model leaves the data", exactly when the model's own curve is back within
    10% of resting at that time."""
    walked = 0
    for spec in _measured_markers(sim.specs):
        for intensity in ui._positions(sim.intensity):
            for partnered in (True, False):
                for t_half in ui._positions(sim.half_life[spec.marker]):
                    out = sim.set_values(
                        intensity=intensity,
                        partnered=partnered,
                        half_lives={spec.marker: t_half},
                    ).set_index("signal")
                    level = _level_at(
                        scenarios.dropoff_scenario,
                        table,
                        spec.marker,
                        spec.still_raised_at_min,
                        intensity=intensity,
                        partnered=partnered,
                        half_lives={spec.marker: t_half},
                        duration_min=float(sim.duration.value),
                    )
                    back = _says_what_the_level_means(out, spec.label, level)
                    if back is None:
                        continue  # exactly on the band's edge at that time: either reading
                    text = sim.description()
                    line = next(x for x in text.splitlines() if x.startswith(spec.label))
                    assert ("the model leaves the data" in line) == back
                    walked += 1
    sim.reset()
    assert walked >= len(ui._positions(sim.intensity)) * 2


def test_the_summary_of_the_walk_counts_what_the_readouts_say(table, sim):
    text = " ".join(sim.where_model_leaves_data().split())
    for spec in _measured_markers(sim.specs):
        flagged = total = 0
        for intensity in ui._positions(sim.intensity):
            for partnered in (True, False):
                for t_half in ui._positions(sim.half_life[spec.marker]):
                    total += 1
                    out = sim.set_values(
                        intensity=intensity, partnered=partnered, half_lives={spec.marker: t_half}
                    ).set_index("signal")
                    flagged += out.loc[spec.label, "vs_studies"].startswith("sooner")
        sim.reset()
        assert f"of {total:,} settings" in text
        assert f"as the studies found, in {total - flagged:,}" in text
        if flagged:
            assert f"sooner in {flagged:,}" in text
        else:
            assert "(all of them)" in text


def test_lesson_03_says_when_the_model_leaves_the_data(table, explorer):
    for spec in _measured_markers(explorer.specs):
        for intensity in ui._positions(explorer.intensity):
            for duration in ui._positions(explorer.duration)[::3]:
                for abrupt in (True, False):
                    out = explorer.set_values(
                        intensity=intensity, duration_min=duration, abrupt_end=abrupt
                    ).set_index("system")
                    level = _level_at(
                        scenarios.timescales_scenario,
                        table,
                        spec.marker,
                        spec.still_raised_at_min,
                        intensity=intensity,
                        duration_min=duration,
                        abrupt_end=abrupt,
                    )
                    _says_what_the_level_means(out, spec.label, level)
    explorer.reset()


def test_the_data_note_holds_at_the_default_settings(table):
    """The prolactin note says the illustrative peak keeps the level raised at the measured time
    at intensity 1 and the central half-life, in both conditions: check the model does."""
    for spec in _measured_markers(scenarios.marker_specs(table)):
        for partnered in (True, False):
            level = _level_at(
                scenarios.dropoff_scenario,
                table,
                spec.marker,
                spec.still_raised_at_min,
                partnered=partnered,
            )
            assert level > 1 + scenarios.TOLERANCE, (spec.marker, partnered)


def test_leaves_data_needs_a_measured_time(table):
    spec = next(
        s for s in scenarios.marker_specs(table) if not math.isfinite(s.still_raised_at_min)
    )
    readout = next(r for r in scenarios.readouts(table) if r.marker == spec.marker)
    assert not scenarios.leaves_data(spec, readout)
    assert scenarios.vs_studies_text(spec, readout) == ""


# --- items 5, 8, 12: labels, readouts, figure -----------------------------------------------------


def _all_text(sim) -> str:
    parts = [sim.readout.value, sim.description(), sim._controls_text()]
    parts += [str(o) for o in sim.partnered.options] + list(sim.partnered.tooltips)
    parts += [a.text for a in sim.figure.layout.annotations]
    parts += [t.hovertemplate or "" for t in sim.figure.data]
    parts += [str(t.name) for t in sim.figure.data]
    return " ".join(parts)


def test_the_prolactin_switch_names_what_was_compared(sim):
    labels = [label for label, _ in sim.partnered.options]
    assert labels == ["penile–vaginal intercourse", "masturbation"]
    assert "Brody & Krüger 2006" in sim.partnered.tooltips[0]
    for text in (_all_text(sim), scenarios.increment_readings(sim.specs).to_string()):
        assert "partnered sex" not in text and "solo sex" not in text


def test_every_curve_says_model_and_what_is_illustrative(table, sim, explorer):
    for simulator in (sim, explorer):
        for trace in simulator.figure.data:
            meta = trace.meta or {}
            if meta.get("role") != "line":
                continue
            hover = trace.hovertemplate
            if meta.get("flat"):
                assert "no change measured" in hover
            else:
                assert "(model" in hover
        labelled = {m for m, s in simulator._specs.items() if s.peak_fold_basis == "illustrative"}
        parts = figures.figure_parts(simulator.figure)
        assert labelled <= set(parts.label_markers)
        assert "Model curves, not measurements." in simulator.figure.layout.annotations[-1].text
        assert "(model)" in simulator.readout.value


def test_heart_rate_peak_is_labelled_illustrative(table, sim):
    """Item 8: the heart-rate peak is a chosen value inside the measured range."""
    row = table.set_index("marker").loc["heart_rate"]
    assert row["peak_fold_basis"] == "illustrative"
    line = next(x for x in sim.description().splitlines() if x.startswith(row["label"]))
    assert "(amplitude illustrative)" in line
    assert f"{row['label']}: amplitude illustrative" in " ".join(sim.figure.data[-1].text)


def test_every_drawn_markers_evidence_is_under_its_figure(table, sim, explorer):
    """Item 12 and the locators: each drawn marker's figure_note (e.g. oxytocin's return to
    baseline, timed in men only) is printed under the figure."""
    for simulator in (sim, explorer):
        footnote = " ".join(simulator.figure.layout.annotations[-1].text.split("<br>"))
        for spec in simulator.specs:
            assert spec.figure_note
            assert " ".join(spec.figure_note.split()) in " ".join(footnote.split())
    oxytocin = table.set_index("marker").loc["oxytocin", "figure_note"]
    assert "men" in oxytocin and "no return time found for women" in oxytocin


def test_the_evidence_text_prints_the_data(table):
    text = " ".join(scenarios.evidence_text(table).split())
    for row in table.itertuples(index=False):
        assert " ".join(str(row.measured_response).split()) in text
    params = " ".join(scenarios.parameter_text(table).split())
    for spec in scenarios.marker_specs(table):
        assert f"{spec.t_half_min:g} min" in params
        assert spec.half_life_basis in params and spec.peak_fold_basis in params


def test_the_stress_text_takes_cortisol_from_the_data(table):
    cortisol = table.set_index("marker").loc["cortisol"]
    text = scenarios.stress_text(table)
    assert f"half-life {cortisol['half_life_min']:g} min" in text
    assert text.splitlines()[0].startswith("The stress curve is illustrative")


# --- the lessons' markdown: data guard and wording -----------------------------------------------


def _markdown(name: str) -> str:
    nb = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def _data_numbers(table) -> set[str]:
    """Numbers of the hormones table written the way a sentence would quote them."""
    quoted = set()
    for spec in scenarios.marker_specs(table):
        quoted.add(f"{spec.t_half_min:g} min")
        quoted.add(f"{spec.t_half_low_min:g}–{spec.t_half_high_min:g}")
        if spec.status != "flat":
            for fold in {spec.fold(partnered=True), spec.fold(partnered=False)}:
                quoted |= {f"× {fold:g}", f"×{fold:g}", f"{fold:g} ×"}
        if math.isfinite(spec.still_raised_at_min):
            quoted.add(f"{spec.still_raised_at_min:g} min")
    for text in table.measured_response.dropna():
        quoted |= set(re.findall(r"\d+(?:\.\d+)?–\d+(?:\.\d+)?", str(text)))
    return quoted


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_markdown_takes_data_numbers_from_the_data(table, name):
    text = _markdown(name)
    found = sorted(
        q for q in _data_numbers(table) if re.search(rf"(?<![\d.]){re.escape(q)}(?!\w|\.\d)", text)
    )
    assert not found, f"{name} quotes numbers from data/hormones.csv in markdown: {found}"


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_markdown_says_no_study_found_and_timing_not_cause(name):
    text = " ".join(_markdown(name).split()).lower()
    for phrase in (
        "never been measured",
        "never measured",
        "has not been measured",
        "because the body settles",
        "in the measured evidence",
        "partnered sex",
        "solo sex",
    ):
        assert phrase not in text, phrase


def test_the_walk_is_printed_in_lesson_02():
    nb = json.loads((NOTEBOOKS / LESSONS[0]).read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert any("where_model_leaves_data()" in s for s in sources)


def test_try_settings_resets_the_controls(sim):
    before = sim.readout_table()
    text = sim.try_settings({}, {"partnered": False})
    assert text.splitlines()[0].startswith("starting settings")
    assert "prolactin after masturbation" in text
    pd.testing.assert_frame_equal(sim.readout_table(), before)
    assert np.isfinite(before.back_within_10pct_min).all()
