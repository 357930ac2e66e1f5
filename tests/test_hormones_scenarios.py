"""Tests for widgets.hormones.scenarios: the data drive the curves, readouts equal the model."""

from __future__ import annotations

import csv
import math
import shutil

import numpy as np
import pandas as pd
import pytest

from widgets import data
from widgets.hormones import scenarios
from widgets.hormones.models import hormone_excess, hormone_response, time_to_within

SCENARIOS = [
    {},
    {"intensity": 0.5},
    {"intensity": 2.0, "partnered": False},
    {"duration_min": 2.0, "half_lives": {"prolactin": 25.0, "oxytocin": 6.0}},
    {"duration_min": 60.0, "half_lives": {"heart_rate": 0.6, "prolactin": 50.0}},
    {"intensity": 1.3, "half_lives": {"oxytocin": 1.0, "heart_rate": 0.1}},
]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return data.load("hormones")


@pytest.fixture(scope="module")
def specs(table):
    return {s.marker: s for s in scenarios.marker_specs(table)}


def edited_copy(tmp_path, marker: str, **changes: str):
    """Copy data/ to tmp_path, change cells of one row of hormones.csv, load the copy."""
    target = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, target)
    path = target / "hormones.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    for row in rows:
        if row["marker"] == marker:
            row.update(changes)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return data.load("hormones", data_dir=target)


# --- reading the table -----------------------------------------------------------------------


def test_drawn_markers_and_how_they_are_read(specs, table):
    assert list(specs) == list(table.marker[table.status != "not simulated"])
    assert specs["heart_rate"].tracks == scenarios.ACTIVITY
    assert {specs[m].tracks for m in ("prolactin", "oxytocin", "cortisol")} == {scenarios.ORGASM}
    assert specs["cortisol"].status == "flat"


def test_peak_fold_is_solo_and_partnered_multiplies_the_increment(specs, table):
    prolactin = specs["prolactin"]
    row = table.set_index("marker").loc["prolactin"]
    assert prolactin.fold(partnered=False) == row["peak_fold"]
    increment = row["peak_fold"] - 1
    assert prolactin.fold(partnered=True) == pytest.approx(
        1 + row["partnered_increment_ratio"] * increment
    )
    for marker in ("oxytocin", "heart_rate", "cortisol"):
        assert specs[marker].fold(partnered=True) == specs[marker].fold(partnered=False)


def test_not_drawn_gives_the_measured_reason(table):
    rows = scenarios.not_drawn(table)
    assert set(rows.marker) == set(table.marker[table.status == "not simulated"])
    assert all(text.endswith(".") and text for text in rows.measured)
    assert all(not text.startswith("Not drawn") for text in rows.reason)
    by_marker = table.set_index("marker")
    for row in rows.itertuples(index=False):
        assert by_marker.loc[row.marker, "measured_response"].startswith(row.measured[:-1])


def test_marker_specs_rejects_other_tables():
    with pytest.raises(ValueError, match="hormones table"):
        scenarios.marker_specs(pd.DataFrame({"x": [1]}))


# --- the data drive the curves -----------------------------------------------------------------


def test_a_half_life_changed_in_a_copy_of_the_data_changes_the_curve(tmp_path, table):
    copy = edited_copy(tmp_path, "prolactin", half_life_min="45", half_life_high_min="50")
    t = scenarios.time_grid()
    original = scenarios.simulate(table, t_min=t).query("marker == 'prolactin'")
    edited = scenarios.simulate(copy, t_min=t).query("marker == 'prolactin'")
    after_peak = t > 10
    assert (edited.level.to_numpy()[after_peak] > original.level.to_numpy()[after_peak]).all()
    # The other markers are untouched.
    before, after = scenarios.simulate(table, t_min=t), scenarios.simulate(copy, t_min=t)
    for marker in ("oxytocin", "heart_rate", "cortisol"):
        np.testing.assert_array_equal(
            before[before.marker == marker].level.to_numpy(),
            after[after.marker == marker].level.to_numpy(),
        )
    # And the readout follows: exactly the model's time for the new half-life.
    (prolactin, *_) = scenarios.readouts(copy)
    assert prolactin.t_half_min == 45
    assert prolactin.back_within_min == pytest.approx(10 + 45 * math.log2(25), rel=1e-12)


def test_the_band_follows_the_literature_range_in_the_data(tmp_path, table):
    copy = edited_copy(tmp_path, "oxytocin", half_life_low_min="2", half_life_high_min="5")
    t = scenarios.time_grid()
    a = scenarios.dropoff_scenario(table, t_min=t).curves["oxytocin"]
    b = scenarios.dropoff_scenario(copy, t_min=t).curves["oxytocin"]
    np.testing.assert_array_equal(a.level, b.level)
    assert not np.array_equal(a.low, b.low)
    assert not np.array_equal(a.high, b.high)


def test_a_peak_changed_in_the_data_changes_the_amplitude(tmp_path, table):
    copy = edited_copy(tmp_path, "oxytocin", peak_fold="2")
    (_, oxytocin, *_) = scenarios.readouts(copy)
    assert oxytocin.peak_fold == pytest.approx(2.0)


# --- the model behind the curves ----------------------------------------------------------------


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_curves_equal_the_closed_form(table, specs, scenario):
    t = scenarios.time_grid()
    out = scenarios.dropoff_scenario(table, t_min=t, **scenario).curves
    intensity = scenario.get("intensity", 1.0)
    duration = scenario.get("duration_min", scenarios.DEFAULT_DURATION_MIN)
    partnered = scenario.get("partnered", True)
    for marker, spec in specs.items():
        t_half = scenario.get("half_lives", {}).get(marker, spec.t_half_min)
        p = scenarios.marker_params(
            spec, t_half_min=t_half, duration_min=duration, partnered=partnered
        )
        expected = (
            hormone_response(
                t,
                baseline=p.baseline,
                secretion_rate_per_min=p.secretion_rate_per_min,
                t_half_min=p.t_half_min,
                secretion_start_min=p.secretion_start_min,
                secretion_end_min=p.secretion_end_min,
                intensity=intensity,
            )
            / p.baseline
        )
        np.testing.assert_allclose(out[marker].level, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_readout_equals_time_to_within(table, specs, scenario):
    intensity = scenario.get("intensity", 1.0)
    duration = scenario.get("duration_min", scenarios.DEFAULT_DURATION_MIN)
    partnered = scenario.get("partnered", True)
    for r in scenarios.readouts(table, **scenario):
        spec = specs[r.marker]
        t_half = scenario.get("half_lives", {}).get(r.marker, spec.t_half_min)
        p = scenarios.marker_params(
            spec, t_half_min=t_half, duration_min=duration, partnered=partnered
        )
        expected = time_to_within(
            baseline=p.baseline,
            secretion_rate_per_min=p.secretion_rate_per_min,
            t_half_min=p.t_half_min,
            secretion_start_min=p.secretion_start_min,
            secretion_end_min=p.secretion_end_min,
            intensity=intensity,
            tolerance=0.10,
        )
        assert r.back_within_min == expected
        assert r.t_half_min == t_half


def test_readouts_at_the_defaults(table):
    out = {r.marker: r for r in scenarios.readouts(table)}
    assert out["prolactin"].peak_fold == pytest.approx(3.5)
    assert out["prolactin"].back_within_min == pytest.approx(10 + 37 * math.log2(25))
    assert out["oxytocin"].back_within_min == pytest.approx(1 + 3.5 * math.log2(5))
    assert out["heart_rate"].back_within_min * 60 == pytest.approx(38.8, abs=0.1)  # seconds
    assert out["cortisol"].peak_fold == 1.0
    assert out["cortisol"].back_within_min == 0.0  # never left the band


def test_partnered_scales_the_prolactin_increment_not_the_level(table):
    t = scenarios.time_grid()
    solo, together = (
        scenarios.dropoff_scenario(table, t_min=t, partnered=p).curves for p in (False, True)
    )
    ratio = table.set_index("marker").loc["prolactin", "partnered_increment_ratio"]
    np.testing.assert_allclose(
        together["prolactin"].level - 1, ratio * (solo["prolactin"].level - 1), rtol=1e-12
    )
    before = t < 0  # the resting level itself is the same
    assert (together["prolactin"].level[before] == 1).all()
    assert (solo["prolactin"].level[before] == 1).all()
    for marker in ("oxytocin", "heart_rate", "cortisol"):
        np.testing.assert_array_equal(together[marker].level, solo[marker].level)


def test_a_half_life_changes_the_fall_not_the_peak(table):
    low = {r.marker: r for r in scenarios.readouts(table, half_lives={"prolactin": 25.0})}
    high = {r.marker: r for r in scenarios.readouts(table, half_lives={"prolactin": 50.0})}
    assert low["prolactin"].peak_fold == pytest.approx(high["prolactin"].peak_fold)
    assert high["prolactin"].back_within_min > low["prolactin"].back_within_min


def test_intensity_scales_every_rise(table):
    one, two = (scenarios.dropoff_scenario(table, intensity=c).curves for c in (1.0, 2.0))
    for marker in one:
        np.testing.assert_allclose(two[marker].level - 1, 2 * (one[marker].level - 1), atol=1e-12)


def test_duration_moves_the_heart_rate_window_only(table, specs):
    short = scenarios.marker_params(specs["heart_rate"], duration_min=5.0)
    long = scenarios.marker_params(specs["heart_rate"], duration_min=60.0)
    assert (short.secretion_start_min, long.secretion_start_min) == (-5.0, -60.0)
    for marker in ("prolactin", "cortisol"):
        a = scenarios.marker_params(specs[marker], duration_min=5.0)
        b = scenarios.marker_params(specs[marker], duration_min=60.0)
        assert a == b
    # Oxytocin's window cannot start before the activity does.
    assert scenarios.marker_params(specs["oxytocin"], duration_min=1.0).secretion_start_min == -1
    # Heart rate settles in the same time whatever the duration (its clock is its own).
    a = {r.marker: r for r in scenarios.readouts(table, duration_min=5.0)}
    b = {r.marker: r for r in scenarios.readouts(table, duration_min=60.0)}
    assert a["heart_rate"].back_within_min == pytest.approx(b["heart_rate"].back_within_min)


def test_readout_table_lists_markers_not_drawn(table):
    out = scenarios.readout_table(table)
    not_drawn = table.label[table.status == "not simulated"].tolist()
    n = len(not_drawn)
    assert out.label.tolist()[-n:] == not_drawn
    assert out.amplitude.tolist()[-n:] == ["not drawn"] * n
    assert out.back_within_min.iloc[-n:].isna().all()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"half_lives": {"dopamine": 5.0}}, "unknown marker 'dopamine'"),
        ({"half_lives": {"prolactin": -1.0}}, r"half_lives\['prolactin'\]"),
        ({"intensity": 11.0}, "intensity must be"),
        ({"duration_min": 0.0}, "duration_min must be > 0"),
        ({"duration_min": "long"}, "duration_min must be a real number"),
    ],
)
def test_bad_input_names_the_parameter(table, kwargs, match):
    with pytest.raises(ValueError, match=match):
        scenarios.simulate(table, t_min=[0.0, 1.0], **kwargs)


def test_time_grid():
    t = scenarios.time_grid()
    assert t.size == 600 and (np.diff(t) > 0).all()
    assert (t > 0).sum() == 500
    with pytest.raises(ValueError, match="first_after_min"):
        scenarios.time_grid(first_after_min=0.0)


def test_increment_readings_compare_increments(table):
    out = scenarios.increment_readings(table).set_index("reading")
    assert out.increase_x_resting.iloc[1] == pytest.approx(5 * out.increase_x_resting.iloc[0])
    with pytest.raises(ValueError, match="partnered_increment_ratio"):
        scenarios.increment_readings(table, "oxytocin")


# --- lesson 03: the stress curve and the timescales -------------------------------------------


@pytest.fixture(scope="module")
def stress(table):
    return scenarios.stress_params(table)


def test_the_stress_curve_takes_cortisols_half_lives_from_the_data(tmp_path, table):
    copy = edited_copy(tmp_path, "cortisol", half_life_min="90", half_life_high_min="120")
    assert scenarios.stress_params(copy).t_half_min == 90
    t = [60.0, 120.0]
    a = scenarios.stress_response(scenarios.stress_params(table), t)
    b = scenarios.stress_response(scenarios.stress_params(copy), t)
    assert (b > a).all()


def test_stress_curve_reference_peak_and_linearity(stress):
    t = np.array([-30.0, 0.0, stress.delay_min, 60.0])
    one = scenarios.stress_response(stress, t)
    assert one[0] == 1.0
    assert one[2] == pytest.approx(stress.peak_fold)
    two = scenarios.stress_response(stress, t, intensity=2.0)
    np.testing.assert_allclose(two - 1, 2 * (one - 1), rtol=1e-12)


def test_longer_scenes_raise_the_stress_curve_and_lengthen_its_fall(table, stress):
    short = scenarios.timescale_readouts(table, stress, duration_min=20.0)[-1]
    long = scenarios.timescale_readouts(table, stress, duration_min=90.0)[-1]
    assert long.peak_fold > short.peak_fold
    assert long.back_within_min > short.back_within_min


def test_a_wind_down_lowers_the_fast_and_slow_curves_at_the_end(table, stress):
    abrupt = {r.marker: r for r in scenarios.timescale_readouts(table, stress, abrupt_end=True)}
    taper = {r.marker: r for r in scenarios.timescale_readouts(table, stress, abrupt_end=False)}
    assert taper["stress"].peak_fold < abrupt["stress"].peak_fold
    assert taper["stress"].back_within_min < abrupt["stress"].back_within_min
    assert taper["heart_rate"].back_within_min < abrupt["heart_rate"].back_within_min
    # Released around orgasm: not affected by how the activity ends.
    for marker in ("prolactin", "oxytocin"):
        assert taper[marker] == abrupt[marker]


def test_one_step_timescale_readouts_equal_time_to_within(table, stress):
    curve = scenarios.timescale_readouts(table, stress, intensity=1.4)[-1]
    expected = time_to_within(
        baseline=1.0,
        secretion_rate_per_min=stress.rate(stress.t_half_min),
        t_half_min=stress.t_half_min,
        secretion_start_min=-30.0 + stress.delay_min,
        secretion_end_min=stress.delay_min,
        intensity=1.4,
    )
    assert curve.back_within_min == expected


def _crossing_on_grid(level: np.ndarray, t: np.ndarray, band: float) -> float:
    above = np.flatnonzero(level > 1 + band)
    return float(t[above[-1] + 1])


@pytest.mark.parametrize(
    "illustrative",
    [
        {},  # the last step ends above the band: closed form
        {"taper_min": 60.0, "taper_level": 0.0},  # it ends inside the band: bisection
    ],
)
def test_stepped_readouts_match_a_dense_grid(table, illustrative):
    stress = scenarios.stress_params(table, **illustrative)
    t = np.linspace(-90, 900, 400_001)
    out = scenarios.timescales_scenario(table, stress, t_min=t, duration_min=90.0, abrupt_end=False)
    curve, readout = out.curves["stress"], out.readouts[-1]
    step = t[1] - t[0]
    assert readout.back_within_min == pytest.approx(
        _crossing_on_grid(curve.level, t, 0.10), abs=step
    )
    assert readout.peak_fold == pytest.approx(curve.level.max(), abs=1e-4)
    assert readout.peak_fold >= curve.level.max()


def test_timescale_curves_keep_heart_rate_on_the_activity_steps(table, stress, specs):
    t = np.array([-25.0, -5.0, 0.0])
    curves = scenarios.timescales_scenario(table, stress, t_min=t, abrupt_end=False).curves
    p = scenarios.marker_params(specs["heart_rate"], duration_min=30.0)
    expected = (
        1
        + (
            hormone_excess(
                t,
                secretion_rate_per_min=p.secretion_rate_per_min,
                t_half_min=p.t_half_min,
                secretion_start_min=-30.0,
                secretion_end_min=-10.0,
            )
            + hormone_excess(
                t,
                secretion_rate_per_min=p.secretion_rate_per_min,
                t_half_min=p.t_half_min,
                secretion_start_min=-10.0,
                secretion_end_min=0.0,
                intensity=stress.taper_level,
            )
        )
        / p.baseline
    )
    np.testing.assert_allclose(curves["heart_rate"].level, expected, rtol=1e-12)


def test_timescales_table_marks_the_stress_curve_illustrative(table):
    df = scenarios.timescales(table, t_min=[0.0, 30.0])
    stress_rows = df[df.marker == scenarios.STRESS]
    assert set(stress_rows.amplitude_basis) == {"illustrative"}
    assert "cortisol" not in set(df.marker)  # the flat row gives way to the stress curve


@pytest.mark.parametrize(
    ("field", "value"),
    [("peak_fold", 0.5), ("taper_level", 2.0), ("delay_min", -1.0), ("t_half_min", 0.0)],
)
def test_stress_params_are_validated(stress, field, value):
    with pytest.raises(ValueError, match=field):
        scenarios.StressParams(**{**stress.__dict__, field: value})


@pytest.mark.parametrize("bad", [0, 1, -0.1, 1.5, float("nan"), "0.1", True])
def test_readouts_check_the_tolerance(table, bad):
    for readouts in (scenarios.readouts, scenarios.timescale_readouts):
        with pytest.raises(ValueError, match=r"tolerance must be .*fraction of baseline"):
            readouts(table, tolerance=bad)


def test_readouts_equal_the_closed_form_exactly(table):
    """The readouts are time_to_within's answers, bit for bit."""
    specs = {s.marker: s for s in scenarios.marker_specs(table)}
    for intensity in (0.5, 1.0, 1.7):
        for r in scenarios.readouts(table, intensity=intensity, partnered=False):
            p = scenarios.marker_params(specs[r.marker], partnered=False)
            assert r.back_within_min == time_to_within(
                baseline=p.baseline,
                secretion_rate_per_min=p.secretion_rate_per_min,
                t_half_min=p.t_half_min,
                secretion_start_min=p.secretion_start_min,
                secretion_end_min=p.secretion_end_min,
                intensity=intensity,
                tolerance=scenarios.TOLERANCE,
            )


def test_a_scenario_is_its_curves_and_readouts(table):
    """One setting gives every curve with its band and the readouts the lesson prints."""
    out = scenarios.dropoff_scenario(table, intensity=1.3, partnered=False)
    assert list(out.curves) == [s.marker for s in scenarios.marker_specs(table)]
    assert out.readouts == scenarios.readouts(table, intensity=1.3, partnered=False)
    assert out.t_min.size == next(iter(out.curves.values())).level.size
    for spec in scenarios.marker_specs(table):
        c = out.curves[spec.marker]
        if spec.status == "flat":
            assert (c.level == 1).all() and c.low is c.level and c.high is c.level
        else:  # the band: the same curve at both ends of the half-life range
            assert c.low.shape == c.high.shape == c.level.shape
            assert not np.array_equal(c.low, c.high)
    frame = out.frame()
    assert set(frame.marker) == set(out.curves)
    lesson_03 = scenarios.timescales_scenario(table, duration_min=45.0, abrupt_end=False)
    assert list(lesson_03.curves)[-1] == scenarios.STRESS
    assert lesson_03.readouts == scenarios.timescale_readouts(
        table, duration_min=45.0, abrupt_end=False
    )


@pytest.mark.parametrize("t_min", [[], [float("nan")]])
def test_a_scenario_needs_finite_times(table, t_min):
    with pytest.raises(ValueError, match="t_min must be a non-empty array of finite times"):
        scenarios.dropoff_scenario(table, t_min=t_min)
