"""Tests for widgets.hormones.models: properties of the closed form, exact values, validation.

Property tests draw every parameter across its valid range. Half-lives are drawn from
[0.01, 1440] min rather than (0, 1440]: with a half-life far below the spacing of floats near the
window edges (about 1e-13 min at |t| ~ 1000) the time differences, not the model, limit precision.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from widgets.hormones.models import (
    MarkerParams,
    excess_at_end,
    hormone_excess,
    hormone_response,
    secretion_rate_for_peak,
    time_to_within,
)

PROPERTY = settings(max_examples=200, deadline=None)
LN2 = math.log(2)


def finite(lo: float, hi: float, **kwargs) -> st.SearchStrategy[float]:
    return st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False, **kwargs)


@st.composite
def markers(draw, *, secreting: bool = False) -> dict[str, float]:
    """Valid keyword arguments for hormone_response; ``secreting`` rules out a zero excess."""
    start = draw(finite(-1000, 1000))
    if secreting:
        duration = draw(finite(1e-6, 1000))
        rate = draw(finite(1e-6, 1e6))
        intensity = draw(finite(1e-3, 10))
    else:
        duration = draw(st.one_of(st.just(0.0), finite(0, 1000)))
        rate = draw(st.one_of(st.just(0.0), finite(0, 1e6)))
        intensity = draw(finite(0, 10))
    return {
        "baseline": draw(finite(1e-6, 1e6)),
        "secretion_rate_per_min": rate,
        "t_half_min": draw(finite(0.01, 1440)),
        "secretion_start_min": start,
        "secretion_end_min": start + duration,  # >= start: float rounding is monotone
        "intensity": intensity,
    }


def without_baseline(p: dict[str, float]) -> dict[str, float]:
    return {name: value for name, value in p.items() if name != "baseline"}


def grid(p: dict[str, float], n: int = 401) -> np.ndarray:
    """Times from well before the window to 20 half-lives after it, including both edges."""
    start, end, t_half = p["secretion_start_min"], p["secretion_end_min"], p["t_half_min"]
    return np.unique(
        np.concatenate(
            [
                np.linspace(start - 5 * t_half, start, n // 4),
                np.linspace(start, end, n // 4),
                np.linspace(end, end + 20 * t_half, n // 2),
            ]
        )
    )


# --- properties -------------------------------------------------------------------------------


@PROPERTY
@given(p=markers(), extra=st.lists(finite(-1e5, 1e5), max_size=20))
def test_never_below_baseline(p, extra):
    t = np.concatenate([grid(p), np.asarray(extra, dtype=float)])
    y = hormone_response(t, **p)
    assert np.all(y >= p["baseline"] * (1 - 1e-12))
    assert np.all(hormone_excess(t, **without_baseline(p)) >= 0)


@PROPERTY
@given(p=markers(secreting=True))
def test_excess_halves_every_half_life_after_the_window(p):
    end, t_half = p["secretion_end_min"], p["t_half_min"]
    m = np.arange(1, 6)
    excess = hormone_excess(np.concatenate([[end], end + m * t_half]), **without_baseline(p))
    assume(excess[0] > 1e-300)
    np.testing.assert_allclose(excess[1:] / excess[0], 0.5**m, rtol=1e-9, atol=0)


@PROPERTY
@given(p=markers())
def test_non_decreasing_during_window_and_non_increasing_after(p):
    start, end, t_half = p["secretion_start_min"], p["secretion_end_min"], p["t_half_min"]
    during = np.linspace(start, end, 501)
    after = np.linspace(end, end + 30 * t_half, 501)
    for f, kwargs in ((hormone_response, p), (hormone_excess, without_baseline(p))):
        assert np.all(np.diff(f(during, **kwargs)) >= 0)
        assert np.all(np.diff(f(after, **kwargs)) <= 0)


@PROPERTY
@given(p=markers())
def test_peak_is_at_the_window_end(p):
    kwargs = without_baseline(p)
    peak = excess_at_end(**kwargs)
    at_end = float(hormone_excess(p["secretion_end_min"], **kwargs))
    assert math.isclose(at_end, peak, rel_tol=1e-12, abs_tol=1e-300)
    assert np.all(hormone_excess(grid(p), **kwargs) <= peak * (1 + 1e-12) + 1e-300)


@PROPERTY
@given(p=markers(), c=finite(0, 10))
def test_peak_scales_linearly_with_intensity(p, c):
    kwargs = without_baseline(p)
    unit = excess_at_end(**{**kwargs, "intensity": 1.0})
    expected = c * unit
    no_excess = (
        p["secretion_rate_per_min"] == 0 or p["secretion_end_min"] == p["secretion_start_min"]
    )
    # Subnormal excesses (a rate of 5e-324, say) have no relative precision left to test.
    assume(no_excess or (unit > 1e-290 and (c == 0 or expected > 1e-290)))
    scaled = excess_at_end(**{**kwargs, "intensity": c})
    assert math.isclose(scaled, expected, rel_tol=1e-12, abs_tol=0)
    at_end = float(hormone_excess(p["secretion_end_min"], **{**kwargs, "intensity": c}))
    assert math.isclose(at_end, expected, rel_tol=1e-12, abs_tol=0)


@PROPERTY
@given(p=markers(), tolerance=finite(1e-9, 1, exclude_max=True))
def test_time_to_within(p, tolerance):
    baseline, start, end = p["baseline"], p["secretion_start_min"], p["secretion_end_min"]
    t_half = p["t_half_min"]
    band_top = baseline * (1 + tolerance)
    t_back = time_to_within(**p, tolerance=tolerance)
    excess_kwargs = without_baseline(p)
    if excess_at_end(**excess_kwargs) <= tolerance * baseline:
        # Never left the band: documented to return the window's start.
        assert t_back == start
        assert np.all(
            hormone_excess(grid(p), **excess_kwargs) <= tolerance * baseline * (1 + 1e-12)
        )
        return
    assert t_back > end
    assert math.isclose(float(hormone_response(t_back, **p)), band_top, rel_tol=1e-9, abs_tol=0)
    assert math.isclose(
        float(hormone_excess(t_back, **excess_kwargs)), tolerance * baseline, rel_tol=1e-9
    )
    # Still outside the band a little earlier (or at the window's end) ...
    earlier = max(t_back - 0.01 * t_half, end)
    assert float(hormone_excess(earlier, **excess_kwargs)) > tolerance * baseline
    # ... and inside it at every later time (strictly later: at t_back itself the rounding of
    # t_back on the time axis, up to k·spacing(t_back) relative, is covered by the 1e-9 above).
    later = t_back + np.concatenate([np.linspace(0.05 * t_half, 20 * t_half, 200), [1e4, 1e6]])
    assert np.all(hormone_response(later, **p) <= band_top)
    assert np.all(hormone_excess(later, **excess_kwargs) <= tolerance * baseline)


@PROPERTY
@given(
    baseline=finite(1e-6, 1e6),
    peak_fold=st.one_of(st.just(1.0), finite(1, 1000)),
    t_half=finite(0.01, 1440),
    window=finite(1e-3, 1000),
    start=finite(-1000, 1000),
)
def test_secretion_rate_for_peak_round_trips(baseline, peak_fold, t_half, window, start):
    rate = secretion_rate_for_peak(
        baseline=baseline, peak_fold=peak_fold, t_half_min=t_half, window_min=window
    )
    assert rate >= 0
    window_kwargs = {
        "secretion_rate_per_min": rate,
        "t_half_min": t_half,
        "secretion_start_min": 0.0,
        "secretion_end_min": window,
    }
    excess = excess_at_end(**window_kwargs)
    assert math.isclose(excess, (peak_fold - 1) * baseline, rel_tol=1e-9, abs_tol=0)
    level = hormone_response(window, baseline=baseline, **window_kwargs)
    assert math.isclose(float(level), peak_fold * baseline, rel_tol=1e-9)
    # The window's position does not matter, only its length.
    shifted = {**window_kwargs, "secretion_start_min": start, "secretion_end_min": start + window}
    assert math.isclose(excess_at_end(**shifted), excess, rel_tol=1e-9, abs_tol=0)
    # And back: the peak fold of a rate gives the rate.
    again = secretion_rate_for_peak(
        baseline=baseline, peak_fold=1 + excess / baseline, t_half_min=t_half, window_min=window
    )
    assert math.isclose(again, rate, rel_tol=1e-9, abs_tol=0)


@PROPERTY
@given(p=markers(), delta_in_half_lives=st.sampled_from([0.0, 1e-12, 1e-9, 1e-6, 1e-3]))
def test_continuous_at_window_edges(p, delta_in_half_lives):
    kwargs = without_baseline(p)
    rate = p["secretion_rate_per_min"] * p["intensity"]
    scale = excess_at_end(**kwargs)
    for edge in (p["secretion_start_min"], p["secretion_end_min"]):
        delta = max(delta_in_half_lives * p["t_half_min"], abs(np.spacing(edge)))
        t = np.array([edge - delta, edge, edge + delta])
        excess = hormone_excess(t, **kwargs)
        steps = np.abs(np.diff(excess))
        # |dE/dt| <= r everywhere, so a jump at an edge would break this Lipschitz bound. The
        # 1e-300 absorbs rounding in subnormal products (e.g. intensity 2e-311).
        bound = rate * np.diff(t) * (1 + 1e-9) + 8 * np.spacing(scale) + 1e-300
        assert np.all(steps <= bound)
    # Nothing before the window, exactly.
    start = p["secretion_start_min"]
    assert float(hormone_excess(start, **kwargs)) == 0.0
    assert float(hormone_excess(np.nextafter(start, -np.inf), **kwargs)) == 0.0


@PROPERTY
@given(
    p=markers(),
    t=hnp.arrays(
        np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=5), elements=finite(-5e3, 5e3)
    ),
)
def test_array_input_matches_scalar_loop(p, t):
    y = hormone_response(t, **p)
    assert isinstance(y, np.ndarray)
    assert y.shape == t.shape
    assert y.dtype == np.float64
    looped = np.array([float(hormone_response(float(x), **p)) for x in t.ravel()]).reshape(t.shape)
    np.testing.assert_allclose(y, looped, rtol=1e-14, atol=0)


def test_shapes_of_scalars_lists_2d_and_empty():
    p = {
        "baseline": 1.0,
        "secretion_rate_per_min": 0.1,
        "t_half_min": 37.0,
        "secretion_start_min": 0.0,
        "secretion_end_min": 10.0,
    }
    assert hormone_response(5.0, **p).shape == ()
    assert hormone_response([1.0, 2.0], **p).shape == (2,)
    t2 = np.linspace(-10, 100, 12).reshape(3, 4)
    y2 = hormone_response(t2, **p)
    assert y2.shape == (3, 4)
    np.testing.assert_array_equal(y2.ravel(), hormone_response(t2.ravel(), **p))
    assert hormone_response(np.empty((0, 3)), **p).shape == (0, 3)
    assert hormone_response(np.arange(-2, 3), **p).dtype == np.float64  # integer times accepted


# --- exact values ------------------------------------------------------------------------------

# baseline 10, rate 1 per min, half-life ln 2 (so k = 1 per min), window 0..1 min.
HAND = {
    "baseline": 10.0,
    "secretion_rate_per_min": 1.0,
    "t_half_min": LN2,
    "secretion_start_min": 0.0,
    "secretion_end_min": 1.0,
}
ONE_MINUS_INV_E = 0.6321205588285577  # 1 - e^-1


def test_hand_computed_example():
    t = np.array([-1.0, 0.0, 0.5, 1.0, 1.0 + LN2, 3.0])
    excess = np.array(
        [
            0.0,
            0.0,
            0.3934693402873666,  # 1 - e^-0.5
            ONE_MINUS_INV_E,
            ONE_MINUS_INV_E / 2,  # one half-life after the end
            0.08554821486874875,  # (1 - e^-1) e^-2
        ]
    )
    np.testing.assert_allclose(hormone_response(t, **HAND), 10.0 + excess, rtol=1e-15, atol=0)
    np.testing.assert_allclose(hormone_excess(t, **without_baseline(HAND)), excess, rtol=1e-14)
    assert hormone_response(-1.0, **HAND) == 10.0  # exactly baseline before the window
    excess_kwargs = without_baseline(HAND)
    assert excess_at_end(**excess_kwargs) == pytest.approx(ONE_MINUS_INV_E, rel=1e-15)
    assert excess_at_end(**excess_kwargs, intensity=2.5) == pytest.approx(
        2.5 * ONE_MINUS_INV_E, rel=1e-15
    )
    # Within 5% (0.5 units): 1 + ln(0.6321205588 / 0.5) = 1 + ln(1.2642411177) = 1.2344720...
    assert time_to_within(**HAND, tolerance=0.05) == pytest.approx(1.234472035172863, rel=1e-14)
    # Within 10% (1 unit): the 0.632 rise never leaves the band, so the window's start.
    assert time_to_within(**HAND, tolerance=0.10) == 0.0
    rate = secretion_rate_for_peak(
        baseline=10.0, peak_fold=1.0 + ONE_MINUS_INV_E / 10.0, t_half_min=LN2, window_min=1.0
    )
    assert rate == pytest.approx(1.0, rel=1e-14)


def test_no_secretion_is_flat():
    t = np.linspace(-60, 600, 50)
    flat = [
        {**HAND, "secretion_rate_per_min": 0.0},
        {**HAND, "intensity": 0.0},
        {**HAND, "secretion_end_min": 0.0},  # zero-length window
    ]
    for p in flat:
        np.testing.assert_array_equal(hormone_response(t, **p), np.full_like(t, 10.0))
        assert time_to_within(**p) == p["secretion_start_min"]
    assert (
        secretion_rate_for_peak(baseline=1.0, peak_fold=1.0, t_half_min=66.0, window_min=0.0) == 0
    )


def test_long_window_approaches_steady_state():
    # r / k = 1 / (ln 2 / 37) = 53.38... after many half-lives of secretion.
    peak = excess_at_end(
        secretion_rate_per_min=1.0, t_half_min=37.0, secretion_start_min=0.0, secretion_end_min=1e4
    )
    assert peak == pytest.approx(37.0 / LN2, rel=1e-15)


# --- MarkerParams --------------------------------------------------------------------------------


def test_marker_params_response_composes_hormone_response():
    params = MarkerParams(name="demo", **HAND)
    t = np.linspace(-5, 20, 26)
    np.testing.assert_array_equal(params.response(t), hormone_response(t, **HAND))
    np.testing.assert_array_equal(
        params.response(t, intensity=3.0), hormone_response(t, **HAND, intensity=3.0)
    )


def test_marker_params_is_frozen_and_stores_floats():
    params = MarkerParams(
        name="prolactin",
        baseline=np.float64(1),
        secretion_rate_per_min=1,
        t_half_min=np.int64(37),
        secretion_start_min=0,
        secretion_end_min=10,
    )
    for field in dataclasses.fields(params):
        if field.name != "name":
            assert type(getattr(params, field.name)) is float
    with pytest.raises(dataclasses.FrozenInstanceError):
        params.baseline = 2.0  # type: ignore[misc]


# --- validation ---------------------------------------------------------------------------------

VALID = {
    "baseline": 10.0,
    "secretion_rate_per_min": 1.0,
    "t_half_min": 37.0,
    "secretion_start_min": 0.0,
    "secretion_end_min": 10.0,
    "intensity": 1.0,
    "tolerance": 0.1,
    "peak_fold": 2.0,
    "window_min": 10.0,
}
RANGES = {
    "baseline": "> 0 and finite (marker units",
    "secretion_rate_per_min": ">= 0 and finite (marker units per minute)",
    "t_half_min": "> 0 and <= 1440 (minutes)",
    "secretion_start_min": "finite (minutes relative to orgasm)",
    "secretion_end_min": ">= secretion_start_min (0.0) and finite (minutes relative to orgasm)",
    "intensity": ">= 0 and <= 10 (multiple of the typical response)",
    "tolerance": "> 0 and < 1 (fraction of baseline)",
    "peak_fold": ">= 1 and finite (multiple of baseline)",
    "window_min": ">= 0 and finite (minutes)",
}
NAN, INF = float("nan"), float("inf")
OUT_OF_RANGE = {
    "baseline": [0.0, -1.0, -5e-324, NAN, INF, -INF],
    "secretion_rate_per_min": [-1.0, -5e-324, NAN, INF],
    "t_half_min": [0.0, -3, NAN, INF, 1441.0, 1440.0000000001],
    "secretion_start_min": [NAN, INF, -INF],
    "secretion_end_min": [-1.0, -1e-9, NAN, INF, -INF],
    "intensity": [-0.1, 10.5, NAN, INF],
    "tolerance": [0.0, 1.0, -0.5, 1.5, NAN],
    "peak_fold": [0.999, 0.0, -2.0, NAN, INF],
    "window_min": [-1.0, NAN, INF],
}
NOT_A_NUMBER = ["10", None, True, [1.0], np.array(1.0), 1 + 0j]
TIMES = np.linspace(-10, 100, 5)
PARAMS_OF = {
    "hormone_response": [
        "baseline",
        "secretion_rate_per_min",
        "t_half_min",
        "secretion_start_min",
        "secretion_end_min",
        "intensity",
    ],
    "hormone_excess": [
        "secretion_rate_per_min",
        "t_half_min",
        "secretion_start_min",
        "secretion_end_min",
        "intensity",
    ],
    "excess_at_end": [
        "secretion_rate_per_min",
        "t_half_min",
        "secretion_start_min",
        "secretion_end_min",
        "intensity",
    ],
    "time_to_within": [
        "baseline",
        "secretion_rate_per_min",
        "t_half_min",
        "secretion_start_min",
        "secretion_end_min",
        "intensity",
        "tolerance",
    ],
    "secretion_rate_for_peak": ["baseline", "peak_fold", "t_half_min", "window_min"],
    "MarkerParams": [
        "baseline",
        "secretion_rate_per_min",
        "t_half_min",
        "secretion_start_min",
        "secretion_end_min",
    ],
    "MarkerParams.response": ["intensity"],
}


def call(function: str, **overrides):
    kwargs = {name: VALID[name] for name in PARAMS_OF[function]} | overrides
    if function == "hormone_response":
        return hormone_response(TIMES, **kwargs)
    if function == "hormone_excess":
        return hormone_excess(TIMES, **kwargs)
    if function == "excess_at_end":
        return excess_at_end(**kwargs)
    if function == "time_to_within":
        return time_to_within(**kwargs)
    if function == "secretion_rate_for_peak":
        return secretion_rate_for_peak(**kwargs)
    if function == "MarkerParams":
        return MarkerParams(name="demo", **kwargs)
    marker = MarkerParams(name="demo", **{name: VALID[name] for name in PARAMS_OF["MarkerParams"]})
    return marker.response(TIMES, **kwargs)


def shown(value) -> str:
    return (
        str(value)
        if isinstance(value, int | float) and not isinstance(value, bool)
        else repr(value)
    )


INVALID_CASES = [
    pytest.param(function, name, value, id=f"{function}-{name}={value!r}")
    for function, names in PARAMS_OF.items()
    for name in names
    for value in OUT_OF_RANGE[name] + NOT_A_NUMBER
]


@pytest.mark.parametrize(("function", "name", "value"), INVALID_CASES)
def test_invalid_parameter_raises_naming_it(function, name, value):
    with pytest.raises(ValueError) as excinfo:
        call(function, **{name: value})
    message = str(excinfo.value)
    assert message.startswith(f"{name} must be ")
    assert RANGES[name] in message
    assert message.endswith(f"got {shown(value)}")


@pytest.mark.parametrize("function", sorted(PARAMS_OF))
def test_valid_defaults_do_not_raise(function):
    # Guards the invalid-parameter cases above: each fails only because of its one bad value.
    result = call(function)
    assert result is not None


@pytest.mark.parametrize(
    "t_min",
    [
        NAN,
        INF,
        -INF,
        [0.0, NAN],
        np.array([[1.0, 2.0], [INF, 3.0]]),
        "abc",
        "1.5",
        ["1.5"],
        None,
        1j,
        True,
        [[1.0, 2.0], [3.0]],
    ],
)
@pytest.mark.parametrize(
    "function", ["hormone_response", "hormone_excess", "MarkerParams.response"]
)
def test_invalid_times_raise_naming_t_min(function, t_min):
    kwargs = {name: VALID[name] for name in PARAMS_OF[function]}
    with pytest.raises(ValueError, match=r"^t_min must be .*\(minutes relative to orgasm\); got "):
        if function == "hormone_response":
            hormone_response(t_min, **kwargs)
        elif function == "hormone_excess":
            hormone_excess(t_min, **kwargs)
        else:
            MarkerParams(name="demo", **{k: VALID[k] for k in PARAMS_OF["MarkerParams"]}).response(
                t_min
            )


def test_non_finite_time_message_counts_bad_values():
    with pytest.raises(ValueError, match=r"t_min must be finite .*; got nan \(2 non-finite of 4"):
        hormone_response([0.0, NAN, 1.0, INF], **HAND)


@pytest.mark.parametrize("name", ["", 3, None])
def test_marker_params_rejects_bad_name(name):
    with pytest.raises(ValueError, match=r"^name must be a non-empty string; got "):
        MarkerParams(name=name, **HAND)


def test_end_is_checked_against_the_given_start():
    with pytest.raises(
        ValueError, match=r"secretion_end_min must be >= secretion_start_min \(-2\.0\) .*got -3"
    ):
        hormone_response(
            0.0,
            baseline=1.0,
            secretion_rate_per_min=1.0,
            t_half_min=3.5,
            secretion_start_min=-2.0,
            secretion_end_min=-3,
        )


def test_zero_window_needs_no_rise():
    with pytest.raises(ValueError, match=r"^window_min must be > 0 when peak_fold > 1 .*got 0"):
        secretion_rate_for_peak(baseline=1.0, peak_fold=1.5, t_half_min=3.5, window_min=0)


def test_rate_overflow_is_reported():
    with pytest.raises(ValueError, match=r"^window_min must be longer .*finite rate"):
        secretion_rate_for_peak(baseline=1e300, peak_fold=1e10, t_half_min=1.0, window_min=1e-10)
