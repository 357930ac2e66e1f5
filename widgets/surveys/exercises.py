"""Self-check exercises for lesson 05: pure functions that say "right" or "not quite, because ...".

Each checker takes the student's answer (``None`` when not yet answered), works out the right
answer with the pack's own models (intervals from
:func:`widgets.prevalence.models.proportion_interval`, figures from ``data/prevalence.csv``), and
returns a :class:`Feedback`. Wrong answers that come
from a common slip (the Wald interval instead of Wilson, a proportion instead of a percentage,
halving the width instead of dividing by the square root of 2) get a message that names the slip.

The worked answers are :class:`Solution` objects: a notebook cell shows one as a collapsed
"Show the answer" block, with every number computed from the data, so the answer changes with
``data/prevalence.csv``. The lesson's "Predict, then check" questions are :class:`Prediction`
objects: the options and the exact value the answer is read from (:func:`wald_prediction`,
:func:`recall_prediction`).

This module is part of the model layer: it imports no plotting or widget library, so a checker
can run anywhere (a notebook cell, a test, a script).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from widgets import data
from widgets.prevalence.models import proportion_interval
from widgets.surveys.models import (
    recall_prevalence,
    reported,
    respondent_prevalence,
    theoretical_coverage,
)

__all__ = [
    "DOUBLING_ROW",
    "INTERVAL_ROW",
    "RECALL_QUESTION",
    "WALD_QUESTION",
    "Feedback",
    "Prediction",
    "Solution",
    "check_doubling",
    "check_interval",
    "check_respondent_prevalence",
    "doubling_answer",
    "doubling_solution",
    "interval_answer",
    "interval_solution",
    "recall_prediction",
    "wald_prediction",
]

INTERVAL_ROW = "bird2011-women-4wk"
"""Exercise 1's figure: Bird et al. 2011, women, past four weeks."""

DOUBLING_ROW = "schweitzer2015-women-lifetime"
"""Exercise 2's figure: Schweitzer et al. 2015, women, lifetime."""

WALD_QUESTION: dict[str, float | int | str] = {
    "prevalence_pct": 5.0,
    "n_people": 20,
    "method": "wald",
}
"""Section 3's question: surveys of 20 people, true prevalence 5%, Wald intervals."""

RECALL_QUESTION: dict[str, float] = {
    "susceptible_pct": 100.0,
    "per_encounter_pct": 2.0,
    "encounters_per_4_weeks": 4.0,
    "years_active": 10,
}
"""Section 5's question: everyone can have it, 2% each time, 4 times per 4 weeks, 10 years."""

#: How far (percentage points) an answer may be from the right one and still count as right.
TOLERANCE_PCT = 0.15


@dataclass(frozen=True)
class Feedback:
    """The checker's verdict.

    Attributes
    ----------
    correct : bool
        Whether the answer is right (within the tolerance).
    message : str
        Starts with "Right", "Not quite, because" or "No answer yet"; says what the right answer
        is when the answer is wrong.
    """

    correct: bool
    message: str

    def __str__(self) -> str:
        return self.message


def _number(name: str, value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"{name} must be a number (percent) or None; got {value!r}")
    out = float(value)
    if not math.isfinite(out):
        raise ValueError(f"{name} must be a finite number; got {value!r}")
    return out


@dataclass(frozen=True, repr=False)
class Solution:
    """A worked answer, shown collapsed: a notebook displays it as a "Show the answer" block.

    Attributes
    ----------
    text : str
        The answer in Markdown.
    """

    text: str

    def _repr_markdown_(self) -> str:
        return f"<details>\n<summary>Show the answer</summary>\n\n{self.text}\n\n</details>"

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Show the answer: {self.text}"


@dataclass(frozen=True)
class Prediction:
    """A "Predict, then check" question: its options and the exact value that decides it.

    Attributes
    ----------
    options : tuple of (str, float)
        Each option's words and the value (percent) it stands for.
    exact : float
        The exact answer (percent), computed by the model, not simulated.
    """

    options: tuple[tuple[str, float], ...]
    exact: float

    @property
    def answer(self) -> str:
        """The option nearest to :attr:`exact`."""
        return min(self.options, key=lambda option: abs(option[1] - self.exact))[0]


def wald_prediction() -> Prediction:
    """Section 3: the long-run share of 95% Wald intervals that contain the truth
    (:data:`WALD_QUESTION`), exactly, from the binomial distribution.

    Examples
    --------
    >>> wald_prediction().answer
    'about 65%'
    """
    q = WALD_QUESTION
    exact = theoretical_coverage(
        prevalence=float(q["prevalence_pct"]) / 100,
        n_people=int(q["n_people"]),
        method=str(q["method"]),
    )
    options = (("close to 95%", 95.0), ("about 80%", 80.0), ("about 65%", 65.0))
    return Prediction(options, 100 * exact)


def recall_prediction() -> Prediction:
    """Section 5: the model's lifetime prevalence at :data:`RECALL_QUESTION`.

    Examples
    --------
    >>> recall_prediction().answer
    'nearly everyone'
    """
    q = RECALL_QUESTION
    lifetime = recall_prevalence(
        weeks=52 * q["years_active"],
        susceptible=q["susceptible_pct"] / 100,
        per_encounter_prob=q["per_encounter_pct"] / 100,
        encounters_per_4_weeks=q["encounters_per_4_weeks"],
    )
    options = (("about 20%", 20.0), ("about 40%", 40.0), ("nearly everyone", 100.0))
    return Prediction(options, 100 * float(lifetime))


def _row(row_id: str):
    table = data.load("prevalence")
    rows = table[table["row_id"] == row_id]
    if rows.empty:
        raise ValueError(f"row_id {row_id!r} is not in data/prevalence.csv")
    row = rows.iloc[0]
    if row.isna()["n"] or row.isna()["percent"]:
        raise ValueError(f"row {row_id!r} has no group size or no single percentage: no interval")
    return row


def _interval_pct(percent: float, n: float, method: str) -> tuple[float, float]:
    lower, upper = proportion_interval(percent / 100 * n, n, method=method)
    return 100 * float(lower), 100 * float(upper)


def interval_answer(row_id: str = INTERVAL_ROW, *, method: str = "wilson") -> tuple[float, float]:
    """The 95% interval (percent, 1 decimal) for one row of ``data/prevalence.csv``.

    Examples
    --------
    >>> interval_answer("bird2011-women-4wk")
    (6.7, 14.7)
    """
    row = _row(row_id)
    low, high = _interval_pct(float(row["percent"]), float(row["n"]), method)
    return round(low, 1), round(high, 1)


def check_interval(
    row_id: str, low_pct: float | None, high_pct: float | None, *, method: str = "wilson"
) -> Feedback:
    """Check a student's 95% interval for one reported figure.

    Parameters
    ----------
    row_id : str
        The figure, a ``row_id`` of ``data/prevalence.csv`` (e.g. ``"bird2011-women-4wk"``:
        10% of 222 women, past four weeks).
    low_pct, high_pct : float or None
        The student's lower and upper bounds, in percent.
    method : {"wilson", "exact", "wald"}, default "wilson"
        The interval the exercise asks for.

    Returns
    -------
    Feedback
        Right within 0.15 percentage points on both bounds.

    Examples
    --------
    >>> print(check_interval("bird2011-women-4wk", 6.7, 14.7))
    Right: the 95% Wilson interval for 10% of 222 is 6.7% to 14.7%.
    >>> print(check_interval("bird2011-women-4wk", 6.1, 13.9))
    Not quite, because that is the Wald (textbook ± 1.96 standard errors) interval, 6.1% to
    13.9%. The Wilson interval is 6.7% to 14.7%: it is not symmetric around 10%.
    """
    row = _row(row_id)
    pct, n = float(row["percent"]), float(row["n"])
    low, high = _number("low_pct", low_pct), _number("high_pct", high_pct)
    want = _interval_pct(pct, n, method)
    name = {"wilson": "Wilson", "exact": "exact (Clopper–Pearson)", "wald": "Wald"}[method]
    answer = f"{want[0]:.1f}% to {want[1]:.1f}%"
    about = f"{pct:g}% of {n:,.0f}"
    if low is None or high is None:
        return Feedback(
            False,
            f"No answer yet: put your lower and upper bounds, in percent, for {about}.",
        )

    def near(a: float, b: float) -> bool:
        return abs(a - b) <= TOLERANCE_PCT + 1e-9

    if near(low, want[0]) and near(high, want[1]):
        return Feedback(True, f"Right: the 95% {name} interval for {about} is {answer}.")
    if low > high:
        return Feedback(
            False, f"Not quite, because the lower bound is above the upper bound. It is {answer}."
        )
    if high <= 1 and pct > 1:
        return Feedback(
            False,
            "Not quite, because these look like proportions (0–1); give percentages, e.g. "
            f"{100 * low:.1f} rather than {low:g}. The answer is {answer}.",
        )
    slips = {
        "wald": "the Wald (textbook ± 1.96 standard errors) interval",
        "exact": "the exact (Clopper–Pearson) interval",
        "wilson": "the Wilson interval",
    }
    for other, words in slips.items():
        if other == method:
            continue
        lo, hi = _interval_pct(pct, n, other)
        if near(low, lo) and near(high, hi):
            extra = f": it is not symmetric around {pct:g}%" if method == "wilson" else ""
            return Feedback(
                False,
                f"Not quite, because that is {words}, {lo:.1f}% to {hi:.1f}%. "
                f"The {name} interval is {answer}{extra}.",
            )
    if not low <= pct <= high:
        return Feedback(
            False,
            f"Not quite, because an interval for {pct:g}% must contain {pct:g}%. "
            f"The {name} interval is {answer}.",
        )
    return Feedback(
        False,
        f"Not quite, because the {name} interval for {about} is {answer}. Check that you used "
        f"n = {n:,.0f} and z = 1.96.",
    )


def _doubling_figure(row_id: str) -> tuple[float, int]:
    figure = reported(data.load("prevalence"), row_id)
    return figure.percent, figure.n


def doubling_answer(row_id: str = DOUBLING_ROW) -> tuple[float, float]:
    """Width (percentage points, 1 decimal) of the 95% Wilson interval at ``n`` and at ``2n``,
    for the reported figure ``row_id`` of ``data/prevalence.csv``.

    Examples
    --------
    >>> before, after = doubling_answer()
    >>> abs(after - before / 2**0.5) < 0.15
    True
    """
    percent, n_people = _doubling_figure(row_id)
    widths = []
    for n in (n_people, 2 * n_people):
        low, high = _interval_pct(percent, n, "wilson")
        widths.append(round(high - low, 1))
    return widths[0], widths[1]


def check_doubling(width_pct: float | None, row_id: str = DOUBLING_ROW) -> Feedback:
    """Check a prediction of the interval's width when the sample size doubles.

    Parameters
    ----------
    width_pct : float or None
        The predicted width, in percentage points, of the 95% Wilson interval for the same
        percentage of twice as many people.
    row_id : str, default :data:`DOUBLING_ROW`
        The reported figure (percentage and group size) in ``data/prevalence.csv``.

    Returns
    -------
    Feedback
        Right within 0.3 points of the actual width (a prediction from :math:`1/\\sqrt{2}` is
        right; rounding is allowed for).

    Examples
    --------
    >>> before, after = doubling_answer()
    >>> check_doubling(after).correct, check_doubling(before / 2).correct
    (True, False)
    """
    percent, n_people = _doubling_figure(row_id)
    before, after = doubling_answer(row_id)
    width = _number("width_pct", width_pct)
    if width is None:
        return Feedback(
            False,
            f"No answer yet: predict the width, in points, of the interval for {percent:g}% of "
            f"{2 * n_people:,} (it is {before:.1f} points for {n_people:,}).",
        )
    if abs(width - after) <= 0.3:
        return Feedback(
            True,
            f"Right: the width goes from {before:.1f} to {after:.1f} points, about 1/√2 ≈ 0.71 "
            "times as wide. Twice the people give half the variance, and the width follows the "
            "square root of the variance.",
        )
    why = f"doubling n makes it about 0.71 times as wide, {after:.1f} points (from {before:.1f})."
    if abs(width - before / 2) <= 0.3:
        return Feedback(
            False,
            f"Not quite, because the width does not halve: it shrinks with the square root of n, "
            f"so {why}",
        )
    if width >= before:
        return Feedback(
            False,
            f"Not quite, because more people give a narrower interval, not a wider one: {why}",
        )
    return Feedback(False, f"Not quite, because the width shrinks with the square root of n: {why}")


def check_respondent_prevalence(
    answer_pct: float | None,
    *,
    prevalence_pct: float = 20.0,
    response_if_yes_pct: float = 60.0,
    response_if_no_pct: float = 30.0,
) -> Feedback:
    """Check a computed prevalence among volunteers who answer (percent).

    Parameters
    ----------
    answer_pct : float or None
        The student's answer, in percent.
    prevalence_pct, response_if_yes_pct, response_if_no_pct : float
        True prevalence and the two answer rates, in percent (illustrative values).

    Examples
    --------
    >>> print(check_respondent_prevalence(33.3))
    Right: 20% × 60% = 12 out of every 100 invited answer and have had it; 80% × 30% = 24 answer
    and have not. So 12 of 36 who answer have had it: 33.3%.
    >>> print(check_respondent_prevalence(20))
    Not quite, because 20% is the prevalence among everyone invited; the people who answer
    over-represent those who have had it. The answer is 33.3%.
    """
    p, a, b = prevalence_pct, response_if_yes_pct, response_if_no_pct
    want = 100 * float(
        respondent_prevalence(prevalence=p / 100, response_if_yes=a / 100, response_if_no=b / 100)
    )
    yes, no = p * a / 100, (100 - p) * b / 100
    working = (
        f"{p:g}% × {a:g}% = {yes:g} out of every 100 invited answer and have had it; "
        f"{100 - p:g}% × {b:g}% = {no:g} answer and have not. So {yes:g} of {yes + no:g} who "
        f"answer have had it: {want:.1f}%."
    )
    answer = _number("answer_pct", answer_pct)
    if answer is None:
        return Feedback(False, "No answer yet: give the prevalence among those who answer, in %.")
    if abs(answer - want) <= 0.2:
        return Feedback(True, f"Right: {working}")
    if abs(answer - p) <= 0.2:
        return Feedback(
            False,
            f"Not quite, because {p:g}% is the prevalence among everyone invited; the people who "
            f"answer {'over' if want > p else 'under'}-represent those who have had it. "
            f"The answer is {want:.1f}%.",
        )
    if answer <= 1 < want:
        return Feedback(
            False, f"Not quite, because that looks like a proportion; give percent. {working}"
        )
    return Feedback(False, f"Not quite, because {working}")


def interval_solution(row_id: str = INTERVAL_ROW) -> Solution:
    """Exercise 1's worked answer: the Wilson interval for ``row_id``, and the Wald slip.

    Examples
    --------
    >>> low, high = interval_answer()
    >>> f"{low}% to {high}%" in interval_solution().text
    True
    """
    row = _row(row_id)
    pct, n = float(row["percent"]), float(row["n"])
    low, high = interval_answer(row_id)
    wald_low, wald_high = (round(v, 1) for v in _interval_pct(pct, n, "wald"))
    half = round((wald_high - wald_low) / 2, 1)
    return Solution(
        f"{low}% to {high}%. With $\\hat p = {pct / 100:g}$, $n = {n:,.0f}$ and $z = 1.96$, the "
        f"Wilson formula gives a lower bound of {low / 100:.3f} and an upper bound of "
        f"{high / 100:.3f}. The interval is not symmetric around {pct:g}%: it leans away from 0%. "
        f"The textbook Wald interval, {pct:g}% ± {half} points, is {wald_low}% to {wald_high}%; "
        "the checker recognises it and says so."
    )


def doubling_solution(row_id: str = DOUBLING_ROW) -> Solution:
    """Exercise 2's worked answer, from the reported figure ``row_id``.

    Examples
    --------
    >>> before, after = doubling_answer()
    >>> f"from {before} to {after} points" in doubling_solution().text
    True
    """
    before, after = doubling_answer(row_id)
    return Solution(
        f"About {after:.0f} points: the width goes from {before} to {after} points. Twice the "
        "people halve the variance, and the width follows the square root of the variance, so it "
        "shrinks by $\\sqrt{2} \\approx 1.41$, to about 71% of what it was. Halving the width "
        "would take four times the people."
    )
