"""Tests for widgets.surveys.figures: the three simulator figures as objects, and their text."""

from __future__ import annotations

import itertools
import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from widgets import data, theme
from widgets.plot import Plot, decode, encode
from widgets.surveys import figures, models


def _rng(seed: int = 1) -> np.random.Generator:
    return np.random.default_rng(seed)


@pytest.fixture(scope="module")
def batch() -> models.SurveyBatch:
    return models.simulate_surveys(prevalence=0.46, n_people=230, n_surveys=100, rng=_rng(2015))


@pytest.fixture(scope="module")
def volunteer() -> models.VolunteerSurveys:
    return models.simulate_volunteer_surveys(
        prevalence=0.2,
        response_if_yes=0.6,
        response_if_no=0.3,
        n_people=[25, 100, 500, 2000],
        n_surveys=100,
        rng=_rng(3),
    )


@pytest.fixture(scope="module")
def recall():
    survey = models.simulate_recall_survey(
        susceptible=0.41,
        per_encounter_prob=0.17,
        encounters_per_4_weeks=4,
        years_active=10,
        n_people=1208,
        rng=_rng(4),
    )
    weeks = np.geomspace(1, 520, 40)
    curve = models.recall_prevalence(
        weeks=weeks, susceptible=0.41, per_encounter_prob=0.17, encounters_per_4_weeks=4
    )
    measured = models.recall_study_points(data.load("prevalence"), years_active=10)
    return survey, weeks, curve, measured


def _finite(values) -> np.ndarray:
    arr = np.asarray([np.nan if v is None else v for v in values], dtype=float)
    return arr[np.isfinite(arr)]


def _all_numbers(fig: go.Figure) -> np.ndarray:
    parts = []
    for trace in fig.data:
        for name in ("x", "y", "width"):
            values = getattr(trace, name, None)
            if values is not None and not isinstance(values, str):
                parts.append(_finite(values))
    return np.concatenate(parts)


def _legend(fig: go.Figure) -> list[go.Scatter]:
    return [t for t in fig.data if t.showlegend is not False]


# ------------------------------------------------------------------------------- survey figure


def test_survey_figure_draws_every_survey_once_split_by_coverage(batch):
    fig = figures.survey_figure(batch, models.estimate_histogram(batch))
    assert len(fig.data) == 8
    hits, hit_est, misses, miss_est = fig.data[:4]
    assert len(hit_est.x) == batch.n_covered
    assert len(miss_est.x) == batch.n_surveys - batch.n_covered
    assert sorted([*hit_est.x, *miss_est.x]) == list(range(1, batch.n_surveys + 1))
    # Each interval is a vertical segment: (x, lower), (x, upper), gap.
    covered = np.flatnonzero(batch.covered)
    ys = np.asarray(hits.y, dtype=float).reshape(-1, 3)
    assert np.allclose(ys[:, 0], np.round(100 * batch.lower[covered], 4))
    assert np.allclose(ys[:, 1], np.round(100 * batch.upper[covered], 4))
    assert np.isnan(ys[:, 2]).all()
    assert np.allclose(hit_est.y, np.round(100 * batch.estimate[covered], 4))
    assert len(misses.y) == 3 * len(miss_est.x)


def test_survey_figure_histogram_and_theory_match_the_model(batch):
    hist = models.estimate_histogram(batch)
    fig = figures.survey_figure(batch, hist)
    bars, theory = fig.data[5], fig.data[6]
    assert bars.type == "bar" and bars.orientation == "h"
    assert list(bars.x) == hist.observed.tolist()
    assert np.allclose(bars.y, np.round(100 * hist.center, 4))
    # Bars touch: plotly takes their width from the spacing of the centres, one bin wide.
    assert np.allclose(np.diff(bars.y), np.round(100 * hist.width[:-1], 4), atol=2e-4)
    assert bars.width is None and fig.layout.bargap == 0
    assert np.allclose(theory.x, np.round(hist.expected, 2))
    assert bars.xaxis == "x2" and theory.xaxis == "x2" and fig.data[0].xaxis in (None, "x")


def test_survey_figure_true_value_lines_and_axis_range(batch):
    fig = figures.survey_figure(batch, models.estimate_histogram(batch))
    left, right = fig.data[4], fig.data[7]
    assert list(left.y) == list(right.y) == [46.0, 46.0]
    low, high = fig.layout.yaxis.range
    assert low <= 100 * batch.lower.min() and high >= 100 * batch.upper.max()
    assert 0 <= low < 46 < high <= 100


def test_colour_is_never_the_only_cue(batch, volunteer, recall):
    for fig in (
        figures.survey_figure(batch, models.estimate_histogram(batch)),
        figures.volunteer_figure(volunteer),
        figures.recall_figure(*recall, measured_name="measured"),
    ):
        cues = []
        for trace in _legend(fig):
            line = trace.line.dash if trace.type == "scatter" else None
            marker = trace.marker.symbol if trace.type == "scatter" else None
            cues.append((trace.type, trace.mode if trace.type == "scatter" else None, line, marker))
        assert len(set(cues)) == len(cues), cues
        assert fig.layout.template.layout.colorway is not None  # the pcd template is applied
        assert fig.layout.template == pio.templates[theme.TEMPLATE]


def test_plotted_numbers_are_rounded(batch, volunteer, recall):
    for fig in (
        figures.survey_figure(batch, models.estimate_histogram(batch)),
        figures.volunteer_figure(volunteer),
        figures.recall_figure(*recall),
    ):
        numbers = _all_numbers(fig)
        assert np.array_equal(numbers, np.round(numbers, 4))


def test_figure_json_is_deterministic(batch, volunteer, recall):
    hist = models.estimate_histogram(batch)
    for build in (
        lambda: figures.survey_figure(batch, hist),
        lambda: figures.volunteer_figure(volunteer),
        lambda: figures.recall_figure(*recall, title="t"),
    ):
        assert pio.to_json(build()) == pio.to_json(build())


def test_title_and_height(batch):
    fig = figures.survey_figure(batch, models.estimate_histogram(batch), title="T", height=600)
    assert fig.layout.title.text == "T" and fig.layout.height == 600
    plain = figures.survey_figure(batch, models.estimate_histogram(batch))
    assert plain.layout.title.text is None and plain.layout.height == 480


# ----------------------------------------------------------------------------------- patches


def test_patch_turns_one_figure_into_another(batch):
    other = models.simulate_surveys(
        prevalence=0.05, n_people=20, n_surveys=100, rng=_rng(9), method="wald"
    )
    fig = figures.survey_figure(batch, models.estimate_histogram(batch))
    figures.apply_patch(fig, figures.survey_patch(other, models.estimate_histogram(other)))
    fresh = figures.survey_figure(other, models.estimate_histogram(other))
    assert json.loads(pio.to_json(fig)) == json.loads(pio.to_json(fresh))


def _sent(plot: Plot, monkeypatch) -> list:
    sent: list = []
    monkeypatch.setattr(plot.comm, "send", lambda *args, **kwargs: sent.append(args))
    return sent


def _update(plot: Plot, patch: figures.FigurePatch) -> None:
    plot.update(data=patch.traces, layout=patch.layout)


def test_a_move_sends_one_message_and_the_plot_shows_the_new_figure(batch, monkeypatch):
    """What a UI does on a slider move: the new patch to a Plot, as one message; the Plot then
    holds what the builder would draw for the new values."""
    other = models.simulate_surveys(prevalence=0.3, n_people=2000, n_surveys=100, rng=_rng(9))
    plot = Plot(
        figures.survey_figure(batch, models.estimate_histogram(batch)), description="Figure."
    )
    sent = _sent(plot, monkeypatch)
    _update(plot, figures.survey_patch(other, models.estimate_histogram(other)))
    assert len(sent) == 1
    fresh = figures.survey_figure(other, models.estimate_histogram(other))
    assert _values(plot.figure) == _values(fresh)


def _values(fig: go.Figure):
    """The figure's JSON with every array in one encoding (plotly narrows integer arrays to the
    smallest type that holds today's values; a Plot sends 32-bit integers)."""
    return encode(decode(fig.to_plotly_json()))


def test_a_patch_that_changes_nothing_sends_nothing(volunteer, monkeypatch):
    plot = Plot(figures.volunteer_figure(volunteer), description="Figure.")
    _update(plot, figures.volunteer_patch(volunteer))
    sent = _sent(plot, monkeypatch)
    _update(plot, figures.volunteer_patch(volunteer))
    assert sent == []


def test_patch_with_a_wrong_key_changes_nothing(batch):
    fig = figures.survey_figure(batch, models.estimate_histogram(batch))
    patch = figures.survey_patch(batch, models.estimate_histogram(batch))
    before = pio.to_json(fig)
    bad = figures.FigurePatch(tuple({"no_such_property": 1} for _ in patch.traces))
    with pytest.raises(ValueError, match="no_such_property"):
        figures.apply_patch(fig, bad)
    assert pio.to_json(fig) == before


def test_rounding_shortcuts_are_numpys_to_the_bit():
    """_round, _pct and _fmt skip numpy for single numbers; they must round exactly as
    theme.round_values does (half to even after scaling), or printed numbers would change."""
    rng = _rng(5)
    values = np.concatenate(
        [
            rng.uniform(-1, 101, 20_000),
            np.arange(-200, 20_001) / 200,  # many ties such as 0.05, 0.15, 2.25
            [0.0, -0.0, -0.04, 1e-12, 99.95, 0.125, 1e6 + 0.05],
        ]
    )
    for decimals in (1, 2, 4):
        expected = theme.round_values(values, decimals)
        got = np.array([figures._round(v, decimals) for v in values.tolist()])
        assert np.array_equal(got, expected)
        assert np.array_equal(np.signbit(got), np.signbit(expected))  # -0.0 rounds to 0.0
    assert [figures._fmt(v) for v in values[:2000]] == [
        f"{float(theme.round_values(v, 1)):.1f}" for v in values[:2000]
    ]
    assert figures._pct(0.1234567) == float(theme.round_values(12.34567, 4))


def test_percentiles_are_numpys():
    rng = _rng(6)
    for size in (1, 2, 3, 40, 100, 101):
        for _ in range(50):
            values = 100 * rng.binomial(230, rng.uniform(0.01, 0.99), size) / 230
            for percents in ((2.5, 97.5), tuple(rng.uniform(0, 100, 3))):
                assert (
                    figures._percentiles(values, percents)
                    == np.percentile(values, percents).tolist()
                )


def test_patch_for_another_figure_is_refused(batch, volunteer):
    fig = figures.volunteer_figure(volunteer)
    with pytest.raises(ValueError, match="the patch has 8 traces but the figure has 4"):
        figures.apply_patch(fig, figures.survey_patch(batch, models.estimate_histogram(batch)))


# --------------------------------------------------------------------------------- axes stay


def test_survey_axes_stay_while_the_size_or_the_method_changes():
    """The axes fit every size of the slider and every method at this prevalence, so a drag of
    the size slider (or a change of method) moves the data, never the axes."""
    sizes = (10, 30, 230, 2000)
    seen = set()
    for n in sizes:
        for method in ("wilson", "exact", "wald"):
            b = models.simulate_surveys(
                prevalence=0.46, n_people=n, n_surveys=100, rng=_rng(n), method=method
            )
            hist = models.estimate_histogram(b)
            patch = figures.survey_patch(b, hist, sizes=sizes)
            low, high = patch.layout["yaxis.range"]
            assert low <= 100 * b.lower.min() and 100 * b.upper.max() <= high
            assert patch.layout["xaxis2.range"][1] >= hist.observed.max()
            seen.add((tuple(patch.layout["yaxis.range"]), tuple(patch.layout["xaxis2.range"])))
    assert len(seen) == 1


def test_survey_axis_follows_the_prevalence_in_steps(batch):
    """Between 10-point lines the prevalence axis stays still, so most steps of a drag of the
    prevalence slider move no axis; across the scale it follows the prevalence."""
    ranges = []
    for p in np.arange(0.005, 0.996, 0.001):
        b = models.simulate_surveys(prevalence=p, n_people=230, n_surveys=100, rng=_rng(1))
        patch = figures.survey_patch(b, models.estimate_histogram(b), sizes=(10, 230, 2000))
        ranges.append(tuple(patch.layout["yaxis.range"]))
        low, high = patch.layout["yaxis.range"]
        assert low % 10 == 0 and high % 10 == 0 and low < 100 * p < high
    changes = sum(a != b for a, b in itertools.pairwise(ranges))
    assert 0 < changes < len(ranges) / 20


def test_volunteer_and_recall_axes_stay_for_every_setting(volunteer, recall):
    moved = models.simulate_volunteer_surveys(
        prevalence=0.9,
        response_if_yes=0.05,
        response_if_no=1.0,
        n_people=[25, 100, 500, 2000],
        n_surveys=100,
        rng=_rng(7),
    )
    assert figures.volunteer_patch(volunteer).layout["yaxis.range"] == [0, 100]
    assert figures.volunteer_patch(moved).layout["yaxis.range"] == [0, 100]
    survey, _, _, measured = recall
    layouts = []
    for years in (1, 10, 60):
        weeks = np.geomspace(1, 52 * years, 40)
        curve = models.recall_prevalence(
            weeks=weeks, susceptible=1.0, per_encounter_prob=0.9, encounters_per_4_weeks=20
        )
        layouts.append(
            figures.recall_patch(survey, weeks, curve, measured, max_weeks=52 * 60).layout
        )
    assert layouts[0] == layouts[1] == layouts[2]
    assert layouts[0]["yaxis.range"] == [0, 100]
    assert 10 ** layouts[0]["xaxis.range"][1] > 52 * 60


# ---------------------------------------------------------------------------- other figures


def test_volunteer_figure_lines_and_one_interval_per_size(volunteer):
    fig = figures.volunteer_figure(volunteer)
    truth, respondents, segments, estimates = fig.data
    assert list(truth.y) == [20.0, 20.0]
    assert list(respondents.y) == [33.3333, 33.3333]
    assert list(estimates.x) == [25, 100, 500, 2000]
    assert np.allclose(estimates.y, np.round(100 * volunteer.estimate[:, 0], 4))
    ys = np.asarray(segments.y, dtype=float).reshape(-1, 3)
    assert np.allclose(ys[:, 0], np.round(100 * volunteer.lower[:, 0], 4))
    assert fig.layout.xaxis.type == "log"
    assert list(fig.layout.xaxis.tickvals) == [25, 100, 500, 2000]


def test_recall_figure_curve_ceiling_survey_and_measured(recall):
    survey, weeks, curve, measured = recall
    fig = figures.recall_figure(survey, weeks, curve, measured, measured_name="men")
    assert len(fig.data) == 6
    assert np.allclose(fig.data[0].y, np.round(100 * curve, 4))
    assert list(fig.data[1].y) == [41.0, 41.0]
    assert np.allclose(fig.data[3].y, np.round(100 * survey.estimate, 4))
    assert np.allclose(fig.data[5].y, measured["percent"])
    assert fig.data[5].name == "men"
    assert fig.layout.xaxis.type == "log"
    assert list(fig.layout.xaxis.ticktext)[-1] == "10 years"
    # Without measurements: four traces.
    assert len(figures.recall_figure(survey, weeks, curve).data) == 4


def test_figures_module_imports_no_widgets_and_never_shows():
    import ast
    from pathlib import Path

    source = Path(figures.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not imported & {"ipywidgets", "IPython", "anywidget"}
    assert ".show(" not in source


# ------------------------------------------------------------------------------ descriptions


def test_survey_description_names_misses_spread_and_theory(batch):
    hist = models.estimate_histogram(batch)
    text = figures.describe_survey_figure(
        batch, hist, theory={"wilson": 0.9531, "wald": 0.9449}, same_surveys={"wald": 0.97}
    )
    missed = (np.flatnonzero(~batch.covered) + 1).tolist()
    assert f"{batch.n_covered} of 100 intervals" in text
    assert "surveys " + ", ".join(map(str, missed)) in text
    assert "(dashed lines, squares)" in text and "(solid lines, circles)" in text
    assert "Wilson 95.3%; Wald (textbook) 94.5%" in text
    assert "Wald (textbook) 97 of 100" in text
    assert "theory: 3.3" in text
    assert "colour" not in text.lower() and "blue" not in text.lower()
    assert text == figures.describe_survey_figure(
        batch, hist, theory={"wilson": 0.9531, "wald": 0.9449}, same_surveys={"wald": 0.97}
    )


def test_survey_description_when_nothing_misses():
    batch = models.simulate_surveys(prevalence=0.5, n_people=100, n_surveys=3, rng=_rng(1))
    assert batch.n_covered == 3
    assert "none misses it" in figures.describe_survey_figure(
        batch, models.estimate_histogram(batch)
    )


def test_volunteer_description_states_bias_and_coverage(volunteer):
    text = figures.describe_volunteer_figure(volunteer)
    assert "33.3% of the people who answer" in text
    assert "13.3 points too high" in text
    assert "2,000 people: 0%" in text
    unbiased = models.simulate_volunteer_surveys(
        prevalence=0.2,
        response_if_yes=0.5,
        response_if_no=0.5,
        n_people=[100],
        n_surveys=10,
        rng=_rng(1),
    )
    assert "aims at the true value" in figures.describe_volunteer_figure(unbiased)


def test_recall_description_says_illustrative_and_gives_both_windows(recall):
    survey, _, _, measured = recall
    text = figures.describe_recall_figure(survey, measured, measured_name="measured: men")
    assert "illustrative parameters" in text
    model = 100 * survey.expected
    assert (
        f"{model[0]:.1f}% within the past four weeks; {model[1]:.1f}% within a lifetime of 10 years"
        in text
    )
    pct, low, high = (float(measured[c].iloc[0]) for c in ("percent", "low_pct", "high_pct"))
    assert (
        f"measured: men (diamonds on dotted lines): past four weeks {pct:.1f}% "
        f"({low:.1f}–{high:.1f})" in text
    )
