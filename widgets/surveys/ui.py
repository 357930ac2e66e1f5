"""Lesson 05's interactive survey simulators: one factory per simulator.

* :func:`survey_explorer` -- sampling variability and interval coverage: true prevalence, people
  per survey and interval method in; 100 surveys' intervals (misses highlighted), the spread of
  their estimates, and the coverage out.
* :func:`volunteer_explorer` -- volunteer bias: who answers depends on the experience; surveys
  of growing size narrow around the wrong value.
* :func:`recall_explorer` -- recall period: a per-encounter probability and a frequency of sex
  give a lifetime and a past-four-weeks prevalence from the same people.

Each returns a :class:`widgets.explorer.Explorer`: labelled, keyboard-usable controls whose
sliders follow a drag, one :class:`widgets.plot.Plot` updated in place with each simulation's
:class:`~widgets.surveys.figures.FigurePatch`, and a readout with the figure's text description,
displayed together. Every simulation is seeded: the
``seed`` control (and its "new surveys" button) makes a fresh ``numpy.random.Generator`` for each
update, so the same control values always show the same surveys. The science is in
:mod:`widgets.surveys.models`, the drawing in :mod:`widgets.surveys.figures`; this module only
wires them together. Nothing is created at import time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import ipywidgets as ipw
import numpy as np

from widgets import data
from widgets.explorer import Explorer, Readout
from widgets.plot import Plot
from widgets.surveys import figures, models

__all__ = [
    "RECALL_STUDY",
    "STUDY_ROWS",
    "SURVEY_SIZES",
    "VOLUNTEER_SIZES",
    "recall_explorer",
    "study_sizes",
    "survey_explorer",
    "volunteer_explorer",
]

SURVEY_SIZES: tuple[int, ...] = (10, 20, 30, 50, 100, 150, 500, 1000, 2000)
"""Teaching choices of people per survey; :func:`study_sizes` adds the sizes of real studies."""

STUDY_ROWS: tuple[str, ...] = (*models.COMPARISON_ROWS, "bird2011-women-4wk")
"""Rows of ``data/prevalence.csv`` whose group sizes the survey explorer also offers."""

VOLUNTEER_SIZES: tuple[int, ...] = (25, 50, 100, 200, 500, 1000, 2000)
"""Respondents per survey drawn by the volunteer-bias simulator."""

RECALL_STUDY = ("maczkowiack2019-men-4wk", "maczkowiack2019-men-lifetime")
"""Rows of ``data/prevalence.csv`` drawn beside the recall model (20.2% and 41% of 1,208 men)."""

_STYLE = {"description_width": "230px"}
_MEASURED_COLUMNS = ("weeks", "percent", "low_pct", "high_pct")


def _wide() -> ipw.Layout:
    """A fresh layout per control (a Layout is a widget: nothing is created at import time)."""
    return ipw.Layout(width="560px")


_METHODS = tuple((name, m) for m, name in figures.METHOD_NAMES.items())
_MAX_SEED = 2**31 - 1


def _slider(kind: type, description: str, value: float, low: float, high: float, step: float):
    return kind(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        style=_STYLE,
        layout=_wide(),
    )


def _seed_controls(seed: int, label: str) -> tuple[ipw.BoundedIntText, ipw.Button]:
    """A labelled seed box and a button that draws new surveys by moving to the next seed."""
    box = ipw.BoundedIntText(
        value=seed, min=0, max=_MAX_SEED, description="random seed", style=_STYLE, layout=_wide()
    )
    button = ipw.Button(
        description=label,
        tooltip="Draw new random surveys (moves the random seed on by one)",
        icon="refresh",
        layout=ipw.Layout(width="260px", margin="4px 0 4px 234px"),
    )

    def next_seed(_: ipw.Button) -> None:
        box.value = box.value + 1 if box.value < _MAX_SEED else 0

    button.on_click(next_seed)
    return box, button


def _note(text: str) -> ipw.HTML:
    return ipw.HTML(f"<small>{text}</small>", layout=ipw.Layout(margin="0 0 0 234px"))


def _method_menu(method: str) -> ipw.Dropdown:
    return ipw.Dropdown(
        options=list(_METHODS),
        value=method,
        description="95% interval method",
        style=_STYLE,
        layout=_wide(),
    )


def _check_sizes(name: str, sizes: Sequence[int]) -> tuple[int, ...]:
    out = tuple(int(s) for s in sizes)
    if not out or any(s < 1 or s > models.MAX_PEOPLE for s in out):
        raise ValueError(
            f"{name} must be whole numbers from 1 to {models.MAX_PEOPLE:,}; got {sizes}"
        )
    return out


def study_sizes(table: Any = None, row_ids: Sequence[str] = STUDY_ROWS) -> tuple[int, ...]:
    """:data:`SURVEY_SIZES` together with the group size ``n`` of each row in ``row_ids``.

    Read from ``data/prevalence.csv`` (or ``table``), so that the slider offers the real studies'
    sizes as the data gives them; rows without a group size add nothing.
    """
    table = data.load("prevalence") if table is None else table
    rows = table[table["row_id"].isin(list(row_ids))]
    real = {int(n) for n in rows["n"].dropna()}
    return tuple(sorted(set(SURVEY_SIZES) | real))


def _draw(patch: figures.FigurePatch) -> dict[str, Any]:
    """A patch as :meth:`widgets.plot.Plot.update`'s arguments."""
    return {"data": patch.traces, "layout": patch.layout}


def survey_explorer(
    *,
    prevalence_pct: float = 46.0,
    n_people: int = 230,
    method: str = "wilson",
    seed: int = 2015,
    n_surveys: int = 100,
    sizes: Sequence[int] | None = None,
) -> Explorer:
    """Simulate many surveys of one population: how the estimates spread and how often the
    intervals contain the true value.

    Parameters
    ----------
    prevalence_pct : float, default 46.0
        True prevalence (%), 0.5 to 99.5.
    n_people : int, default 230
        People per survey; one of ``sizes``.
    method : {"wilson", "exact", "wald"}, default "wilson"
        Interval method drawn in the figure.
    seed : int, default 2015
        Random seed; the same seed and settings always give the same surveys.
    n_surveys : int, default 100
        Surveys simulated per update.
    sizes : sequence of int, optional
        The choices of the "people per survey" slider; default :func:`study_sizes` (the
        teaching sizes and the sizes of the studies in ``data/prevalence.csv`` lesson 05 uses).

    Returns
    -------
    widgets.explorer.Explorer
        Controls ``prevalence_pct``, ``n_people``, ``method`` and ``seed`` (and a button that
        draws new surveys). Its ``result`` is the :class:`widgets.surveys.models.SurveyBatch`;
        its ``text`` the figure's description, the theoretical coverage of the Wilson and Wald
        intervals, and the coverage of the same surveys with the other methods.
    """
    sizes = _check_sizes("sizes", study_sizes() if sizes is None else sizes)
    seed_box, new_button = _seed_controls(seed, f"draw {n_surveys} new surveys")
    controls = {
        "prevalence_pct": _slider(
            ipw.FloatSlider, "true prevalence (%)", prevalence_pct, 0.5, 99.5, 0.1
        ),
        "n_people": ipw.SelectionSlider(
            options=list(sizes),
            value=n_people,
            description="people per survey",
            style=_STYLE,
            layout=_wide(),
        ),
        "method": _method_menu(method),
        "seed": seed_box,
    }

    def simulate(values: dict[str, Any]) -> tuple[models.SurveyBatch, models.EstimateHistogram]:
        batch = models.simulate_surveys(
            prevalence=values["prevalence_pct"] / 100,
            n_people=values["n_people"],
            n_surveys=n_surveys,
            rng=np.random.default_rng(values["seed"]),
            method=values["method"],
        )
        return batch, models.estimate_histogram(batch)

    first = simulate({name: w.value for name, w in controls.items()})
    plot = Plot(
        figures.survey_figure(*first, sizes=sizes),
        description=f"Figure: {n_surveys} simulated surveys (illustrative), their 95% intervals "
        "and the spread of their estimates (interactive; the printed description says what it "
        "shows).",
    )

    def readout(result: tuple[models.SurveyBatch, models.EstimateHistogram]) -> Readout:
        batch, histogram = result
        p, n = batch.prevalence, batch.n_people
        compared = dict.fromkeys((batch.method, "wilson", "wald"))
        theory = {
            m: models.theoretical_coverage(prevalence=p, n_people=n, method=m) for m in compared
        }
        others = {
            m: models.interval_coverage(batch.events, n_people=n, prevalence=p, method=m)
            for m in compared
            if m != batch.method
        }
        text = figures.describe_survey_figure(batch, histogram, theory=theory, same_surveys=others)
        return replace(Readout.from_text(text), result=batch)

    return Explorer(
        controls=controls,
        compute=simulate,
        draw=lambda result: _draw(figures.survey_patch(*result, sizes=sizes)),
        readout=readout,
        plots=[plot],
        extras=[new_button],
    )


def volunteer_explorer(
    *,
    prevalence_pct: float = 20.0,
    response_if_yes_pct: float = 60.0,
    response_if_no_pct: float = 30.0,
    method: str = "wilson",
    seed: int = 2015,
    n_surveys: int = 100,
    sizes: Sequence[int] = VOLUNTEER_SIZES,
) -> Explorer:
    """Simulate volunteer surveys in which having had the experience changes who answers.

    Parameters
    ----------
    prevalence_pct : float, default 20.0
        True prevalence among everyone invited (%), 0.5 to 99.5 (illustrative).
    response_if_yes_pct, response_if_no_pct : float, default 60 and 30
        Chance (%) that someone with, and without, the experience answers, 1 to 100
        (illustrative: we found no PCD study that measured them).
    method : {"wilson", "exact", "wald"}, default "wilson"
    seed : int, default 2015
    n_surveys : int, default 100
        Surveys simulated at each sample size (for the coverage readout).
    sizes : sequence of int, default :data:`VOLUNTEER_SIZES`
        Respondents per survey, one point each on the x axis.

    Returns
    -------
    widgets.explorer.Explorer
        Controls ``prevalence_pct``, ``response_if_yes_pct``, ``response_if_no_pct``, ``method``
        and ``seed``. Its ``result`` is the :class:`widgets.surveys.models.VolunteerSurveys`.
    """
    sizes = _check_sizes("sizes", sizes)
    seed_box, new_button = _seed_controls(seed, "draw new surveys")
    controls = {
        "prevalence_pct": _slider(
            ipw.FloatSlider, "true prevalence (%)", prevalence_pct, 0.5, 99.5, 0.5
        ),
        "response_if_yes_pct": _slider(
            ipw.FloatSlider, "answer rate if had it (%)", response_if_yes_pct, 1, 100, 1
        ),
        "response_if_no_pct": _slider(
            ipw.FloatSlider, "answer rate if never had it (%)", response_if_no_pct, 1, 100, 1
        ),
        "method": _method_menu(method),
        "seed": seed_box,
    }

    def simulate(values: dict[str, Any]) -> models.VolunteerSurveys:
        return models.simulate_volunteer_surveys(
            prevalence=values["prevalence_pct"] / 100,
            response_if_yes=values["response_if_yes_pct"] / 100,
            response_if_no=values["response_if_no_pct"] / 100,
            n_people=sizes,
            n_surveys=n_surveys,
            rng=np.random.default_rng(values["seed"]),
            method=values["method"],
        )

    plot = Plot(
        figures.volunteer_figure(simulate({name: w.value for name, w in controls.items()})),
        description="Figure: simulated volunteer surveys (illustrative) of growing size against "
        "the true prevalence (interactive; the printed description says what it shows).",
    )
    note = _note("The answer rates are illustrative: we found no PCD study that measured them.")
    return Explorer(
        controls=controls,
        compute=simulate,
        draw=lambda res: _draw(figures.volunteer_patch(res)),
        readout=lambda res: Readout.from_text(figures.describe_volunteer_figure(res)),
        plots=[plot],
        extras=[note, new_button],
    )


def recall_explorer(
    *,
    susceptible_pct: float = 41.0,
    per_encounter_pct: float = 17.0,
    encounters_per_4_weeks: float = 4.0,
    years_active: int = 10,
    method: str = "wilson",
    seed: int = 2015,
    n_people: int | None = None,
    curve_points: int = 60,
) -> Explorer:
    """A recall model: the same people give a high lifetime and a lower past-four-weeks figure.

    Parameters
    ----------
    susceptible_pct : float, default 41
        Share of people who can have the experience at all (%), 1 to 100 (illustrative).
    per_encounter_pct : float, default 17
        For them, the chance (%) that any one time they have sex is followed by it, 0.5 to 100
        (illustrative).
    encounters_per_4_weeks : float, default 4
        Times people have sex per 4 weeks, on average, 0.5 to 20 (illustrative).
    years_active : int, default 10
        Years of sexual activity behind "lifetime", 1 to 60 (illustrative).
    method : {"wilson", "exact", "wald"}, default "wilson"
    seed : int, default 2015
    n_people : int, optional
        People in the simulated survey; default the group size of the measured study
        (:data:`RECALL_STUDY`, lifetime row) in ``data/prevalence.csv``.
    curve_points : int, default 60
        Points on the model curve.

    Returns
    -------
    widgets.explorer.Explorer
        Controls ``susceptible_pct``, ``per_encounter_pct``, ``encounters_per_4_weeks``,
        ``years_active``, ``method`` and ``seed``. Its ``result`` is the
        :class:`widgets.surveys.models.RecallSurvey`; the figure also shows the measured figures
        for men (:data:`RECALL_STUDY`) with their intervals.

    Notes
    -----
    The defaults are illustrative values chosen so that the model gives the measured lifetime and
    four-week figures for men; we found no study that measured them.
    """
    table = data.load("prevalence")
    if n_people is None:
        n_people = models.reported(table, RECALL_STUDY[1]).n
    seed_box, new_button = _seed_controls(seed, "draw a new survey")
    controls = {
        "susceptible_pct": _slider(
            ipw.FloatSlider, "can ever have it (%)", susceptible_pct, 1, 100, 1
        ),
        "per_encounter_pct": _slider(
            ipw.FloatSlider, "chance each time, for them (%)", per_encounter_pct, 0.5, 100, 0.5
        ),
        "encounters_per_4_weeks": _slider(
            ipw.FloatSlider, "times having sex per 4 weeks", encounters_per_4_weeks, 0.5, 20, 0.5
        ),
        "years_active": _slider(ipw.IntSlider, "years sexually active", years_active, 1, 60, 1),
        "method": _method_menu(method),
        "seed": seed_box,
    }
    # What depends only on the years (the measured points, the model curve's windows) is kept
    # per value of the years slider; the measured points as numpy arrays, which the figure reads
    # faster than DataFrame columns.
    by_years: dict[int, tuple[np.ndarray, dict[str, np.ndarray]]] = {}
    study_name = "Measured: Maczkowiack & Schweitzer 2019, men"

    def simulate(values: dict[str, Any]) -> tuple:
        params = {
            "susceptible": values["susceptible_pct"] / 100,
            "per_encounter_prob": values["per_encounter_pct"] / 100,
            "encounters_per_4_weeks": values["encounters_per_4_weeks"],
        }
        years = values["years_active"]
        survey = models.simulate_recall_survey(
            **params,
            years_active=years,
            n_people=n_people,
            rng=np.random.default_rng(values["seed"]),
            method=values["method"],
        )
        if years not in by_years:
            points = models.recall_study_points(table, years_active=years, row_ids=RECALL_STUDY)
            weeks = np.geomspace(1, models.WEEKS_PER_YEAR * years, curve_points)
            weeks.flags.writeable = False  # shared by every update at these years
            by_years[years] = (
                weeks,
                {c: points[c].to_numpy(dtype=float) for c in _MEASURED_COLUMNS},
            )
        weeks, measured = by_years[years]
        curve = models.recall_prevalence(weeks=weeks, **params)
        return survey, weeks, curve, measured

    # The x axis reaches the longest lifetime the years slider offers, so it stays still.
    max_weeks = models.WEEKS_PER_YEAR * controls["years_active"].max
    first = simulate({name: w.value for name, w in controls.items()})
    plot = Plot(
        figures.recall_figure(*first, measured_name=study_name, max_weeks=max_weeks),
        description="Figure: prevalence against the length of the recall window: model and "
        "simulated survey (both illustrative) and measured figures (interactive; the printed "
        "description says what it shows).",
    )

    def readout(result: tuple) -> Readout:
        survey, _, _, measured = result
        text = figures.describe_recall_figure(survey, measured, measured_name=study_name)
        return replace(Readout.from_text(text), result=survey)

    note = _note("All four parameters are illustrative: we found no study that measured them.")
    return Explorer(
        controls=controls,
        compute=simulate,
        draw=lambda result: _draw(figures.recall_patch(*result, max_weeks=max_weeks)),
        readout=readout,
        plots=[plot],
        extras=[note, new_button],
    )
