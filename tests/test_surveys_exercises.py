"""Tests for widgets.surveys.exercises: the self-check functions of lesson 05."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from statsmodels.stats.proportion import proportion_confint

from widgets.surveys import exercises
from widgets.surveys.exercises import Feedback

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "05-surveys-and-uncertainty.ipynb"


def test_interval_answer_is_the_wilson_interval_from_statsmodels():
    low, high = proportion_confint(0.10 * 222, 222, alpha=0.05, method="wilson")
    assert exercises.interval_answer("bird2011-women-4wk") == (
        round(100 * low, 1),
        round(100 * high, 1),
    )


def test_right_interval_is_right_within_tolerance():
    low, high = exercises.interval_answer("bird2011-women-4wk")
    for dl, dh in [(0, 0), (0.1, -0.1), (-0.1, 0.1)]:
        fb = exercises.check_interval("bird2011-women-4wk", low + dl, high + dh)
        assert fb.correct, fb.message
        assert fb.message.startswith("Right")
    assert not exercises.check_interval("bird2011-women-4wk", low + 0.3, high).correct


@pytest.mark.parametrize(
    ("answer", "phrase"),
    [
        ((None, None), "No answer yet"),
        ((6.1, 13.9), "that is the Wald (textbook ± 1.96 standard errors) interval"),
        ((14.7, 6.7), "the lower bound is above the upper bound"),
        ((0.067, 0.147), "these look like proportions"),
        ((11.0, 15.0), "must contain 10%"),
        ((7.5, 13.0), "Check that you used n = 222 and z = 1.96"),
    ],
)
def test_wrong_intervals_say_why(answer, phrase):
    fb = exercises.check_interval("bird2011-women-4wk", *answer)
    assert not fb.correct
    assert phrase in fb.message
    assert fb.message.startswith(("Not quite, because", "No answer yet"))
    assert str(fb) == fb.message


def test_exact_interval_is_recognised_as_a_slip():
    low, high = proportion_confint(0.10 * 222, 222, alpha=0.05, method="beta")
    fb = exercises.check_interval("bird2011-women-4wk", round(100 * low, 1), round(100 * high, 1))
    assert not fb.correct and "exact (Clopper–Pearson)" in fb.message


def test_interval_checker_rejects_rows_without_an_interval_and_bad_types():
    with pytest.raises(ValueError, match=r"not in data/prevalence\.csv"):
        exercises.check_interval("nope", 1, 2)
    with pytest.raises(ValueError, match="no interval"):
        exercises.check_interval("toussaint-mam", 1, 2)
    with pytest.raises(ValueError, match="low_pct must be a number"):
        exercises.check_interval("bird2011-women-4wk", "6.7", 14.6)


def test_doubling_check():
    before, after = exercises.doubling_answer()
    assert before == 12.8 and after == 9.1
    assert after == pytest.approx(before / 2**0.5, abs=0.1)
    assert exercises.check_doubling(9.1).correct
    assert exercises.check_doubling(round(12.8 / 2**0.5, 1)).correct
    halved = exercises.check_doubling(6.4)
    assert not halved.correct and "does not halve" in halved.message
    wider = exercises.check_doubling(15)
    assert not wider.correct and "narrower interval, not a wider one" in wider.message
    assert not exercises.check_doubling(3.0).correct
    assert exercises.check_doubling(None).message.startswith("No answer yet")


def test_respondent_prevalence_check():
    assert exercises.check_respondent_prevalence(33.3).correct
    assert exercises.check_respondent_prevalence(100 / 3).correct
    truth = exercises.check_respondent_prevalence(20)
    assert not truth.correct and "over-represent" in truth.message
    assert "looks like a proportion" in exercises.check_respondent_prevalence(0.333).message
    assert not exercises.check_respondent_prevalence(40).correct
    shy = exercises.check_respondent_prevalence(
        20, prevalence_pct=20, response_if_yes_pct=20, response_if_no_pct=40
    )
    assert "under-represent" in shy.message


def test_feedback_is_a_frozen_value():
    fb = Feedback(True, "Right: yes.")
    with pytest.raises(AttributeError):
        fb.correct = False  # type: ignore[misc]


def test_exercises_import_no_plotting_or_widgets():
    tree = ast.parse(Path(exercises.__file__).read_text(encoding="utf-8"))
    names = {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    } | {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not names & {"plotly", "ipywidgets", "IPython", "anywidget"}


def test_the_answers_revealed_in_lesson_05_are_the_checkers_answers():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    low, high = exercises.interval_answer("bird2011-women-4wk")
    assert f"{low}% to {high}%" in markdown
    before, after = exercises.doubling_answer()
    assert f"{before} to {after} points" in markdown
    assert "33.3%" in markdown
