"""Tests for widgets.surveys.models: seeded survey simulations checked against theory.

Each simulation is checked against a computation that does not go through it: the exact binomial
coverage summed over every possible count with scipy and statsmodels called directly, closed-form
formulas written out here, and person-by-person simulations written independently in the tests.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from widgets import data
from widgets.prevalence.models import proportion_interval
from widgets.surveys import models

SM_METHOD = {"wilson": "wilson", "exact": "beta", "wald": "normal"}


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def _brute_force_coverage(p: float, n: int, method: str) -> float:
    """Exact coverage over every count 0..n, with statsmodels and scipy called directly."""
    x = np.arange(n + 1)
    lower, upper = proportion_confint(x, n, alpha=0.05, method=SM_METHOD[method])
    inside = (lower <= p) & (p <= upper)
    return float(stats.binom.pmf(x, n, p)[inside].sum())


# ------------------------------------------------------------------------------ simulate_surveys


def test_same_seed_same_surveys_and_different_seed_different_surveys():
    a = models.simulate_surveys(prevalence=0.46, n_people=230, n_surveys=100, rng=rng(1))
    b = models.simulate_surveys(prevalence=0.46, n_people=230, n_surveys=100, rng=rng(1))
    c = models.simulate_surveys(prevalence=0.46, n_people=230, n_surveys=100, rng=rng(2))
    assert np.array_equal(a.events, b.events)
    assert not np.array_equal(a.events, c.events)


def test_batch_shapes_read_only_arrays_and_intervals_from_statsmodels():
    batch = models.simulate_surveys(
        prevalence=0.2, n_people=50, n_surveys=40, rng=rng(3), method="exact"
    )
    assert batch.events.shape == batch.lower.shape == batch.upper.shape == (40,)
    assert batch.n_surveys == 40 and batch.method == "exact"
    with pytest.raises(ValueError):
        batch.events[0] = 1
    lower, upper = proportion_confint(batch.events, 50, alpha=0.05, method="beta")
    assert_allclose(batch.lower, lower, rtol=0, atol=1e-12)
    assert_allclose(batch.upper, upper, rtol=0, atol=1e-12)
    assert_allclose(batch.estimate, batch.events / 50)
    assert np.all((batch.lower <= batch.estimate) & (batch.estimate <= batch.upper))


def test_covered_means_the_interval_contains_the_true_value():
    batch = models.simulate_surveys(prevalence=0.05, n_people=20, n_surveys=300, rng=rng(4))
    manual = [lo <= 0.05 <= hi for lo, hi in zip(batch.lower, batch.upper, strict=True)]
    assert batch.covered.tolist() == manual
    assert batch.n_covered == sum(manual)
    assert batch.coverage == pytest.approx(sum(manual) / 300)


def test_wilson_covers_93_to_97_percent_of_10000_surveys_and_agrees_with_theory():
    """The issue's check: n = 230, p = 0.46, 10,000 seeded surveys, 95% Wilson intervals."""
    batch = models.simulate_surveys(prevalence=0.46, n_people=230, n_surveys=10_000, rng=rng(2015))
    theory = _brute_force_coverage(0.46, 230, "wilson")
    assert 0.93 <= batch.coverage <= 0.97
    # Within 4 standard errors of the exact coverage (binomial sampling of 10,000 surveys).
    assert abs(batch.coverage - theory) <= 4 * math.sqrt(theory * (1 - theory) / 10_000)
    assert models.theoretical_coverage(prevalence=0.46, n_people=230) == pytest.approx(
        theory, abs=1e-12
    )


@pytest.mark.parametrize("method", ["wilson", "exact", "wald"])
@pytest.mark.parametrize(("p", "n"), [(0.05, 20), (0.1, 30), (0.46, 230), (0.202, 1208)])
def test_simulated_coverage_matches_exact_coverage(method, p, n):
    batch = models.simulate_surveys(
        prevalence=p, n_people=n, n_surveys=10_000, rng=rng(n), method=method
    )
    theory = _brute_force_coverage(p, n, method)
    assert abs(batch.coverage - theory) <= 4.5 * math.sqrt(theory * (1 - theory) / 10_000) + 1e-9


@pytest.mark.parametrize("method", ["wilson", "exact", "wald"])
@pytest.mark.parametrize(
    ("p", "n"), [(0.0, 10), (1.0, 10), (0.005, 591), (0.5, 40), (0.3, 1), (0.46, 2000)]
)
def test_theoretical_coverage_equals_brute_force_sum(method, p, n):
    got = models.theoretical_coverage(prevalence=p, n_people=n, method=method)
    assert got == pytest.approx(_brute_force_coverage(p, n, method), abs=1e-12)


def test_wald_undercovers_at_small_n_where_wilson_does_not():
    wald = models.theoretical_coverage(prevalence=0.05, n_people=20, method="wald")
    wilson = models.theoretical_coverage(prevalence=0.05, n_people=20, method="wilson")
    assert wald < 0.7 < 0.9 < wilson
    # The same surveys, two methods: Wald misses whenever nobody in the sample reports it.
    batch = models.simulate_surveys(prevalence=0.05, n_people=20, n_surveys=1000, rng=rng(5))
    wald_sim = models.interval_coverage(batch.events, n_people=20, prevalence=0.05, method="wald")
    share_zero = float(np.mean(batch.events == 0))
    assert wald_sim <= 1 - share_zero + 1e-12
    assert batch.coverage > wald_sim


def test_standard_error_matches_the_spread_of_many_surveys():
    se = models.standard_error(prevalence=0.46, n_people=230)
    assert se == pytest.approx(math.sqrt(0.46 * 0.54 / 230))
    batch = models.simulate_surveys(prevalence=0.46, n_people=230, n_surveys=20_000, rng=rng(6))
    assert float(batch.estimate.std()) == pytest.approx(se, rel=0.03)
    assert float(batch.estimate.mean()) == pytest.approx(0.46, abs=3 * se / math.sqrt(20_000))
    # Quadrupling the sample halves the spread.
    assert models.standard_error(prevalence=0.46, n_people=920) == pytest.approx(se / 2)


@pytest.mark.parametrize(("p", "n"), [(0.46, 230), (0.5, 10), (0.05, 20), (0.0, 30), (0.46, 2000)])
def test_histogram_counts_every_survey_and_expects_the_binomial(p, n):
    batch = models.simulate_surveys(prevalence=p, n_people=n, n_surveys=500, rng=rng(7))
    hist = models.estimate_histogram(batch)
    assert int(hist.observed.sum()) == 500
    assert hist.center.shape == hist.width.shape == hist.observed.shape == hist.expected.shape
    # Bins are whole numbers of people wide, contiguous and non-overlapping.
    counts = hist.width * n
    assert_allclose(counts, np.round(counts))
    edges_low = hist.center - hist.width / 2
    edges_high = hist.center + hist.width / 2
    assert_allclose(edges_low[1:], edges_high[:-1])
    # Each survey sits in the bin whose count range contains its count.
    low_counts = np.round(edges_low * n + 0.5).astype(int)
    for k in batch.events:
        i = np.searchsorted(low_counts, k, side="right") - 1
        assert low_counts[i] <= k <= low_counts[i] + round(counts[i]) - 1
    # Expected counts are 500 x the binomial probability of each bin; the bins hold at least
    # 4 standard deviations either side, so almost all the probability.
    assert 500 * (1 - 1e-3) <= hist.expected.sum() <= 500 + 1e-9
    k0, k1 = low_counts[0], low_counts[0] + round(counts[0]) - 1
    prob = stats.binom.cdf(k1, n, p) - stats.binom.cdf(k0 - 1, n, p)
    assert hist.expected[0] == pytest.approx(500 * prob)


# ------------------------------------------------------------------------------------ volunteers


def test_respondent_prevalence_formula_and_limits():
    got = models.respondent_prevalence(prevalence=0.2, response_if_yes=0.6, response_if_no=0.3)
    assert float(got) == pytest.approx(0.12 / 0.36)
    same = models.respondent_prevalence(prevalence=0.2, response_if_yes=0.4, response_if_no=0.4)
    assert float(same) == pytest.approx(0.2)
    shy = models.respondent_prevalence(prevalence=0.2, response_if_yes=0.2, response_if_no=0.4)
    assert float(shy) < 0.2
    grid = models.respondent_prevalence(
        prevalence=np.array([0.1, 0.5]), response_if_yes=0.6, response_if_no=0.3
    )
    assert grid.shape == (2,)
    rate = models.response_rate(prevalence=0.2, response_if_yes=0.6, response_if_no=0.3)
    assert float(rate) == pytest.approx(0.36)


def test_respondent_prevalence_matches_inviting_people_one_by_one():
    """Independent person-level simulation: invite 400,000 people, keep those who answer."""
    g = rng(8)
    has_it = g.random(400_000) < 0.2
    answers = g.random(400_000) < np.where(has_it, 0.6, 0.3)
    observed = has_it[answers].mean()
    expected = float(
        models.respondent_prevalence(prevalence=0.2, response_if_yes=0.6, response_if_no=0.3)
    )
    assert observed == pytest.approx(expected, abs=0.004)
    assert answers.mean() == pytest.approx(0.36, abs=0.003)


def test_volunteer_surveys_narrow_around_the_wrong_value():
    sizes = [25, 100, 500, 2000]
    res = models.simulate_volunteer_surveys(
        prevalence=0.2,
        response_if_yes=0.6,
        response_if_no=0.3,
        n_people=sizes,
        n_surveys=400,
        rng=rng(9),
    )
    assert res.events.shape == res.lower.shape == (4, 400)
    assert res.n_people.tolist() == sizes
    width = (res.upper - res.lower).mean(axis=1)
    assert np.all(np.diff(width) < 0)  # bigger samples, narrower intervals
    assert np.all(np.diff(res.coverage) <= 0.02)  # ... and worse coverage of the truth
    assert res.coverage[-1] == 0.0
    assert res.estimate.mean(axis=1)[-1] == pytest.approx(res.respondent_prevalence, abs=0.005)
    assert res.bias == pytest.approx(0.12 / 0.36 - 0.2)
    assert_allclose(res.n_invited, np.array(sizes) / 0.36)


@pytest.mark.parametrize("method", ["wilson", "exact", "wald"])
def test_looked_up_intervals_are_exactly_proportion_interval(method):
    """The simulators look intervals up in a table per survey size; the bounds must be the very
    numbers proportion_interval gives for the counts (the stored notebook outputs rely on it)."""
    sizes = [25, 50, 100, 200, 500, 1000, 2000, 20_000]  # the last is too big for a table
    res = models.simulate_volunteer_surveys(
        prevalence=0.2,
        response_if_yes=0.6,
        response_if_no=0.3,
        n_people=sizes,
        n_surveys=300,
        rng=rng(13),
        method=method,
    )
    lower, upper = proportion_interval(res.events, np.array(sizes)[:, None], method=method)
    assert np.array_equal(res.lower, lower) and np.array_equal(res.upper, upper)
    survey = models.simulate_recall_survey(
        susceptible=0.41,
        per_encounter_prob=0.17,
        encounters_per_4_weeks=4,
        years_active=10,
        n_people=1208,
        rng=rng(14),
        method=method,
    )
    lower, upper = proportion_interval(survey.events, 1208, method=method)
    assert np.array_equal(survey.lower, lower) and np.array_equal(survey.upper, upper)
    batch = models.simulate_surveys(
        prevalence=0.3, n_people=2000, n_surveys=500, rng=rng(15), method=method
    )
    lower, upper = proportion_interval(batch.events, 2000, method=method)
    assert np.array_equal(batch.lower, lower) and np.array_equal(batch.upper, upper)


def test_no_bias_when_everyone_answers_alike():
    res = models.simulate_volunteer_surveys(
        prevalence=0.3,
        response_if_yes=0.5,
        response_if_no=0.5,
        n_people=[2000],
        n_surveys=2000,
        rng=rng(10),
    )
    assert res.bias == pytest.approx(0)
    assert 0.93 <= res.coverage[0] <= 0.97


# ---------------------------------------------------------------------------------------- recall


def test_recall_prevalence_closed_form_equals_sum_over_poisson_counts():
    """prevalence(w) = s * sum_k Poisson(k; r w / 4) * (1 - (1 - q)^k), written out here."""
    s, q, r = 0.41, 0.17, 4.0
    weeks = np.array([0.0, 1.0, 4.0, 52.0, 520.0])
    got = models.recall_prevalence(
        weeks=weeks, susceptible=s, per_encounter_prob=q, encounters_per_4_weeks=r
    )
    k = np.arange(0, 4000)
    for w, value in zip(weeks, got, strict=True):
        lam = r * w / 4
        direct = s * np.sum(stats.poisson.pmf(k, lam) * (1 - (1 - q) ** k))
        assert value == pytest.approx(direct, abs=1e-12)


def test_recall_rises_to_the_susceptible_share_and_not_beyond():
    weeks = np.geomspace(0.5, 5000, 50)
    prev = models.recall_prevalence(
        weeks=weeks, susceptible=0.41, per_encounter_prob=0.17, encounters_per_4_weeks=4
    )
    assert np.all(np.diff(prev) >= 0) and np.all(np.diff(prev[:20]) > 0)
    assert prev[-1] == pytest.approx(0.41)
    assert np.all(prev <= 0.41)
    # One small chance for everyone: lifetime prevalence heads for 100%.
    everyone = models.recall_prevalence(
        weeks=[4, 520], susceptible=1.0, per_encounter_prob=0.05, encounters_per_4_weeks=4
    )
    assert everyone[0] < 0.2 and everyone[1] > 0.99


def test_default_recall_parameters_give_the_measured_41_and_20_percent():
    table = data.load("prevalence")
    row = table.set_index("row_id")
    lifetime = float(row.loc["maczkowiack2019-men-lifetime", "percent"])
    recent = float(row.loc["maczkowiack2019-men-4wk", "percent"])
    model = 100 * models.recall_prevalence(
        weeks=[4, 520], susceptible=0.41, per_encounter_prob=0.17, encounters_per_4_weeks=4
    )
    assert model[0] == pytest.approx(recent, abs=0.1)
    assert model[1] == pytest.approx(lifetime, abs=0.1)


def test_recall_survey_is_unbiased_nested_and_reproducible():
    kwargs = {
        "susceptible": 0.41,
        "per_encounter_prob": 0.17,
        "encounters_per_4_weeks": 4,
        "years_active": 10,
        "n_people": 1208,
    }
    one = models.simulate_recall_survey(**kwargs, rng=rng(11))
    two = models.simulate_recall_survey(**kwargs, rng=rng(11))
    assert np.array_equal(one.events, two.events)
    assert one.events[0] <= one.events[1]  # the past four weeks are part of a lifetime
    assert_allclose(one.weeks, [4, 520])
    lower, upper = proportion_confint(one.events, 1208, alpha=0.05, method="wilson")
    assert_allclose(one.lower, lower, atol=1e-12)
    assert_allclose(one.upper, upper, atol=1e-12)
    g = rng(12)
    many = np.array([models.simulate_recall_survey(**kwargs, rng=g).estimate for _ in range(300)])
    se = np.sqrt(one.expected * (1 - one.expected) / 1208 / 300)
    assert np.all(np.abs(many.mean(axis=0) - one.expected) < 4 * se)


def _recall_events_written_out(s, q, r, years, n, gen):
    """The recall survey's draws, person by person, in the simulator's order."""
    can_have_it = gen.random(n) < s
    recent_times = gen.poisson(r, size=n)
    earlier_times = gen.poisson(r * (13 * years - 1), size=n)
    recent = can_have_it & (gen.binomial(recent_times, q) > 0)
    earlier = can_have_it & (gen.binomial(earlier_times, q) > 0)
    return np.array([recent.sum(), (recent | earlier).sum()])


def test_recall_reuses_draws_that_the_moved_slider_does_not_change():
    """Moving the susceptible share or the per-encounter chance reuses the earlier draws of the
    same seed: the surveys, and the generator afterwards, are exactly those of drawing again."""
    models._recall_draws.clear()
    settings = [(0.41, 0.17), (0.41, 0.3), (0.2, 0.3), (0.41, 0.17)]
    for s, q in settings:
        mine, theirs = rng(21), rng(21)
        survey = models.simulate_recall_survey(
            susceptible=s,
            per_encounter_prob=q,
            encounters_per_4_weeks=4,
            years_active=10,
            n_people=1208,
            rng=mine,
        )
        assert np.array_equal(survey.events, _recall_events_written_out(s, q, 4, 10, 1208, theirs))
        assert mine.bit_generator.state == theirs.bit_generator.state
        assert mine.random() == theirs.random()
    assert len(models._recall_draws) == 1  # drawn once, reused three times
    other_seed = models.simulate_recall_survey(
        susceptible=0.41,
        per_encounter_prob=0.17,
        encounters_per_4_weeks=4,
        years_active=10,
        n_people=1208,
        rng=rng(22),
    )
    assert len(models._recall_draws) == 2
    assert np.array_equal(
        other_seed.events, _recall_events_written_out(0.41, 0.17, 4, 10, 1208, rng(22))
    )


def test_binomial_probabilities_are_scipys():
    for p in (0.0, 0.005, 0.05, 0.3, 0.46, 0.5, 0.995, 1.0):
        for n in (1, 10, 230, 1208, 2000, 100_000):
            x, pmf = models._outcomes(p, n)
            assert np.array_equal(pmf, stats.binom.pmf(x, n, p)), (p, n)


# -------------------------------------------------------------------------------------- tables


def test_comparison_table_lines_up_the_published_figures():
    studies = data.load("prevalence")
    table = models.comparison_table(studies)
    assert list(table.columns) == [
        "study",
        "who_was_asked",
        "n",
        "sample",
        "window",
        "threshold",
        "what_counted",
        "percent",
    ]
    assert len(table) == len(models.COMPARISON_ROWS)
    rows = studies.set_index("row_id").loc[list(models.COMPARISON_ROWS)]
    assert table["study"].tolist() == rows["study"].tolist()
    assert table["who_was_asked"].tolist() == rows["population"].tolist()
    assert table["sample"].tolist() == rows["sampling"].tolist()
    assert table["what_counted"].tolist() == rows["instrument"].tolist()
    assert table["percent"].tolist() == rows["percent"].astype(float).tolist()
    with pytest.raises(ValueError, match="not in the prevalence table"):
        models.comparison_table(studies, ("nope",))


def test_comparison_table_reads_window_and_threshold_columns_when_present():
    studies = data.load("prevalence")
    row_ids = models.COMPARISON_ROWS[:2]
    bare = studies.drop(columns=["recall_window", "frequency_threshold"], errors="ignore")
    fallback = models.comparison_table(bare, row_ids)
    measures = bare.set_index("row_id").loc[list(row_ids), "measure"]
    assert fallback["window"].tolist() == [models.RECALL_WINDOWS[m] for m in measures]
    assert fallback["threshold"].tolist() == ["not recorded", "not recorded"]
    given = bare.assign(recall_window="window X", frequency_threshold="threshold Y")
    given.loc[given["row_id"] == row_ids[1], "recall_window"] = ""
    table = models.comparison_table(given, row_ids)
    assert table["window"].tolist() == ["window X", models.RECALL_WINDOWS[measures.iloc[1]]]
    assert table["threshold"].tolist() == ["threshold Y", "threshold Y"]


def test_reported_reads_one_row_and_refuses_rows_without_an_interval():
    studies = data.load("prevalence")
    with_n = studies.dropna(subset=["n", "percent"]).iloc[0]
    figure = models.reported(studies, with_n["row_id"])
    assert (figure.study, figure.percent, figure.n) == (
        with_n["study"],
        float(with_n["percent"]),
        int(with_n["n"]),
    )
    assert str(figure) == figure.sentence
    assert figure.sentence.startswith(f"{figure.study}: {figure.percent:g}% of {figure.n:,} ")
    assert with_n["wording"] in figure.sentence and with_n["sampling"] in figure.sentence
    without_n = studies[studies["n"].isna()].iloc[0]["row_id"]
    with pytest.raises(ValueError, match="no group size"):
        models.reported(studies, without_n)
    with pytest.raises(ValueError, match="not in the prevalence table"):
        models.reported(studies, "nope")


@pytest.mark.parametrize(("p", "target", "n"), [(1 / 3, 0.2, 50), (0.2, 0.25, 100), (0.4, 0.4, 30)])
def test_coverage_of_another_target_is_the_binomial_sum(p, target, n):
    x = np.arange(n + 1)
    lower, upper = proportion_confint(x, n, alpha=0.05, method="wilson")
    want = stats.binom.pmf(x, n, p)[(lower <= target) & (target <= upper)].sum()
    got = models.theoretical_coverage(prevalence=p, n_people=n, target=target)
    assert got == pytest.approx(want, abs=1e-12)
    if target == p:
        assert got == models.theoretical_coverage(prevalence=p, n_people=n)
    with pytest.raises(ValueError, match="target must be"):
        models.theoretical_coverage(prevalence=p, n_people=n, target=1.5)


def test_volunteer_exact_coverage_is_what_the_simulation_estimates():
    res = models.simulate_volunteer_surveys(
        prevalence=0.2,
        response_if_yes=0.6,
        response_if_no=0.3,
        n_people=[25, 100, 400],
        n_surveys=4000,
        rng=rng(11),
    )
    want = [
        models.theoretical_coverage(prevalence=res.respondent_prevalence, n_people=n, target=0.2)
        for n in (25, 100, 400)
    ]
    assert_allclose(res.exact_coverage, want)
    se = np.sqrt(np.array(want) * (1 - np.array(want)) / 4000)
    assert np.all(np.abs(res.coverage - want) <= 4 * se + 1e-9)
    assert np.all(np.diff(res.exact_coverage) < 0)  # bigger samples miss the truth more often


def test_recall_study_points_use_wilson_intervals_of_the_data():
    points = models.recall_study_points(data.load("prevalence"), years_active=20)
    assert points["weeks"].tolist() == [4.0, 1040.0]
    n = points["n"].to_numpy()
    lower, upper = proportion_confint(points["percent"] / 100 * n, n, method="wilson")
    assert_allclose(points["low_pct"], 100 * lower, atol=1e-9)
    assert_allclose(points["high_pct"], 100 * upper, atol=1e-9)
    assert isinstance(points, pd.DataFrame)


# ---------------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"prevalence": 1.2}, r"prevalence must be in \[0, 1\].*got 1.2"),
        ({"prevalence": float("nan")}, "prevalence must be a finite number"),
        ({"prevalence": "half"}, "prevalence must be a number"),
        ({"n_people": 0}, "n_people must be a whole number from 1 to 1,000,000"),
        ({"n_people": 2.5}, "n_people must be a whole number"),
        ({"n_surveys": -1}, "n_surveys must be a whole number"),
        ({"rng": 42}, "rng must be a numpy.random.Generator"),
        ({"method": "agresti"}, r"method must be one of \['wilson', 'exact', 'wald'\]"),
    ],
)
def test_simulate_surveys_rejects_bad_input(kwargs, pattern):
    args = {"prevalence": 0.4, "n_people": 100, "n_surveys": 10, "rng": rng()} | kwargs
    with pytest.raises(ValueError, match=pattern):
        models.simulate_surveys(**args)


def test_other_functions_reject_bad_input():
    with pytest.raises(ValueError, match="nobody answers"):
        models.respondent_prevalence(prevalence=0.2, response_if_yes=0, response_if_no=0)
    with pytest.raises(ValueError, match="response_if_yes must be a proportion"):
        models.respondent_prevalence(prevalence=0.2, response_if_yes=1.5, response_if_no=0.3)
    with pytest.raises(ValueError, match="weeks must be finite numbers >= 0"):
        models.recall_prevalence(
            weeks=[-1], susceptible=0.4, per_encounter_prob=0.1, encounters_per_4_weeks=4
        )
    with pytest.raises(ValueError, match="encounters_per_4_weeks must be a number from 0 to 100"):
        models.recall_prevalence(
            weeks=4, susceptible=0.4, per_encounter_prob=0.1, encounters_per_4_weeks=500
        )
    with pytest.raises(ValueError, match="years_active must be a number from 1 to 80"):
        models.simulate_recall_survey(
            susceptible=0.4,
            per_encounter_prob=0.1,
            encounters_per_4_weeks=4,
            years_active=0,
            n_people=10,
            rng=rng(),
        )
    with pytest.raises(ValueError, match="n_people must be one or more whole numbers"):
        models.simulate_volunteer_surveys(
            prevalence=0.2,
            response_if_yes=0.6,
            response_if_no=0.3,
            n_people=[],
            n_surveys=10,
            rng=rng(),
        )
    with pytest.raises(ValueError, match="batch must be a SurveyBatch"):
        models.estimate_histogram("not a batch")
    with pytest.raises(ValueError, match="alpha"):
        models.theoretical_coverage(prevalence=0.5, n_people=10, alpha=0.9)
    with pytest.raises(ValueError, match="method must be one of"):
        models.theoretical_coverage(prevalence=0.5, n_people=10, method="jeffreys")
    with pytest.raises(ValueError, match="events must be counts from 0 to n_people=10"):
        models.interval_coverage([11], n_people=10, prevalence=0.5)


def test_models_module_imports_no_plotting_or_widgets():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(models.__file__).read_text(encoding="utf-8"))
    names = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not names & {"plotly", "ipywidgets", "IPython", "anywidget"}


def test_plausible_range_holds_the_intervals_of_simulated_surveys():
    sizes = (10, 230, 2000)
    low, high = models.plausible_range(prevalence=0.3, sizes=sizes)
    for n in sizes:
        for method in ("wilson", "exact", "wald"):
            batch = models.simulate_surveys(
                prevalence=0.3, n_people=n, n_surveys=1000, rng=rng(n), method=method
            )
            assert low <= batch.lower.min() and batch.upper.max() <= high
    wide, narrow = (models.plausible_range(prevalence=0.3, sizes=[n]) for n in (10, 2000))
    assert wide[0] < narrow[0] < 0.3 < narrow[1] < wide[1]


def test_histogram_peak_is_the_fullest_expected_bin():
    for p, n in ((0.5, 10), (0.46, 230), (0.02, 2000)):
        batch = models.simulate_surveys(prevalence=p, n_people=n, n_surveys=100, rng=rng(1))
        expected = models.estimate_histogram(batch).expected.max()
        assert models.histogram_peak(prevalence=p, sizes=[n], n_surveys=100) == pytest.approx(
            expected
        )
    assert models.histogram_peak(prevalence=0.5, sizes=[10, 2000], n_surveys=100) >= (
        models.histogram_peak(prevalence=0.5, sizes=[2000], n_surveys=100)
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"prevalence": 1.5, "sizes": [10]}, "prevalence"),
        ({"prevalence": 0.5, "sizes": []}, "at least one survey size"),
        ({"prevalence": 0.5, "sizes": [0]}, "sizes"),
        ({"prevalence": 0.5, "sizes": ["ten"]}, "whole numbers"),
        ({"prevalence": 0.5, "sizes": [10], "tail": 0.7}, "tail"),
    ],
)
def test_plausible_range_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        models.plausible_range(**kwargs)
