"""Tests for widgets.surveys.exercises: the self-check functions of lesson 05."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from statsmodels.stats.proportion import proportion_confint

from widgets import data
from widgets.surveys import exercises, models
from widgets.surveys.exercises import Feedback

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "05-surveys-and-uncertainty.ipynb"
ROW = "bird2011-women-4wk"


def _figure(row_id: str = ROW) -> models.Reported:
    return models.reported(data.load("prevalence"), row_id)


def _pct(method: str, row_id: str = ROW) -> tuple[float, float]:
    fig = _figure(row_id)
    low, high = proportion_confint(fig.percent / 100 * fig.n, fig.n, alpha=0.05, method=method)
    return round(100 * low, 1), round(100 * high, 1)


def test_interval_answer_is_the_wilson_interval_from_statsmodels():
    assert exercises.interval_answer(ROW) == _pct("wilson")


def test_right_interval_is_right_within_tolerance():
    low, high = exercises.interval_answer("bird2011-women-4wk")
    for dl, dh in [(0, 0), (0.1, -0.1), (-0.1, 0.1)]:
        fb = exercises.check_interval("bird2011-women-4wk", low + dl, high + dh)
        assert fb.correct, fb.message
        assert fb.message.startswith("Right")
    assert not exercises.check_interval("bird2011-women-4wk", low + 0.3, high).correct


@pytest.mark.parametrize("case", ["none", "wald", "reversed", "proportions", "excludes", "other"])
def test_wrong_intervals_say_why(case):
    fig = _figure()
    low, high = _pct("wilson")
    answer, phrase = {
        "none": ((None, None), "No answer yet"),
        "wald": (_pct("normal"), "that is the Wald (textbook ± 1.96 standard errors) interval"),
        "reversed": ((high, low), "the lower bound is above the upper bound"),
        "proportions": ((low / 100, high / 100), "these look like proportions"),
        "excludes": ((fig.percent + 1, high + 1), f"must contain {fig.percent:g}%"),
        "other": ((low + 0.8, high - 1.7), f"Check that you used n = {fig.n:,} and z = 1.96"),
    }[case]
    fb = exercises.check_interval(ROW, *answer)
    assert not fb.correct
    assert phrase in fb.message
    assert fb.message.startswith(("Not quite, because", "No answer yet"))
    assert str(fb) == fb.message


def test_exact_interval_is_recognised_as_a_slip():
    fb = exercises.check_interval(ROW, *_pct("beta"))
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
    fig = _figure(exercises.DOUBLING_ROW)
    for n, width in ((fig.n, before), (2 * fig.n, after)):
        low, high = proportion_confint(fig.percent / 100 * n, n, alpha=0.05, method="wilson")
        assert width == round(100 * (high - low), 1)
    assert after == pytest.approx(before / 2**0.5, abs=0.1)
    assert exercises.check_doubling(after).correct
    assert exercises.check_doubling(round(before / 2**0.5, 1)).correct
    halved = exercises.check_doubling(before / 2)
    assert not halved.correct and "does not halve" in halved.message
    wider = exercises.check_doubling(before + 2)
    assert not wider.correct and "narrower interval, not a wider one" in wider.message
    assert not exercises.check_doubling(before / 4).correct
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


def test_solutions_show_collapsed_and_hold_the_checkers_answers():
    low, high = exercises.interval_answer(ROW)
    wald_low, wald_high = _pct("normal")
    solution = exercises.interval_solution(ROW)
    assert f"{low}% to {high}%" in solution.text
    assert f"{wald_low}% to {wald_high}%" in solution.text
    shown = solution._repr_markdown_()
    assert shown.startswith("<details>") and "<summary>Show the answer</summary>" in shown
    assert solution.text in shown and str(solution) == solution.text
    before, after = exercises.doubling_answer()
    assert f"from {before} to {after} points" in exercises.doubling_solution().text


def test_the_answers_revealed_in_lesson_05_are_the_checkers_answers():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    shown = "\n".join(
        "".join(out["data"]["text/markdown"])
        for c in cells
        if c["cell_type"] == "code"
        for out in c["outputs"]
        if "text/markdown" in out.get("data", {})
    )
    assert exercises.interval_solution(ROW)._repr_markdown_() in shown
    assert exercises.doubling_solution()._repr_markdown_() in shown
    answer = exercises.check_respondent_prevalence(None, prevalence_pct=20)
    assert answer.message.startswith("No answer yet")
    want = 100 * float(
        models.respondent_prevalence(prevalence=0.2, response_if_yes=0.6, response_if_no=0.3)
    )
    assert f"{want:.1f}%" in markdown
