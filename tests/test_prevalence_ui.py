"""Tests for widgets.prevalence.ui: the prevalence explorer, driven as an object (no browser).

The explorer's numbers are checked against statsmodels called directly (to 1e-9), and its figure
against the forest plot built from scratch for the same selection.
"""

from __future__ import annotations

import ast
from pathlib import Path

import ipywidgets as ipw
import numpy as np
import pytest
from scipy import special
from statsmodels.stats.meta_analysis import combine_effects
from statsmodels.stats.proportion import proportion_confint

from widgets import data
from widgets import explorer as explorer_module
from widgets.explorer import Explorer
from widgets.plot import Plot
from widgets.prevalence import figures, models
from widgets.prevalence import ui as ui_module
from widgets.prevalence.ui import ALL, PrevalenceView, prevalence_explorer

SM_METHOD = {"wilson": "wilson", "exact": "beta", "wald": "normal"}


@pytest.fixture(scope="module")
def explorer() -> Explorer:
    return prevalence_explorer()


@pytest.fixture(scope="module")
def table():
    return data.load("prevalence")


def _visible(explorer_or_fig) -> list:
    fig = getattr(explorer_or_fig, "plot", None)
    fig = fig.figure if fig is not None else explorer_or_fig
    return [t for t in fig.data if t.visible is not False]


def _comm_messages(widget, monkeypatch) -> list:
    sent = []
    monkeypatch.setattr(widget.comm, "send", lambda *args, **kwargs: sent.append(args))
    return sent


def _points(traces) -> set[tuple]:
    """Every plotted (x, y) point, with each trace's name and kind, as a comparable set."""
    out = set()
    for t in traces:
        xs = [] if t.x is None else list(t.x)
        ys = [] if t.y is None else list(t.y)
        for x, y in zip(xs, ys, strict=True):
            out.add((t.name, t.mode, t.meta, x, y))
    return out


def test_controls_are_labelled_and_displayed_with_the_figure_in_one_view(explorer, monkeypatch):
    assert isinstance(explorer, Explorer) and isinstance(explorer.plot, Plot)
    assert list(explorer.controls) == ["measure", "group", "method", "pooling", "tau2_method"]
    for control in explorer.controls.values():
        assert isinstance(control, ipw.ValueWidget) and control.description
    shown = []
    monkeypatch.setattr(explorer_module, "display", lambda *objs, **kw: shown.append((objs, kw)))
    explorer._ipython_display_()
    (((bundle,), kwargs),) = shown
    assert kwargs["raw"] is True
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == (
        explorer.widget.model_id
    )
    row, below = explorer.widget.children  # controls beside (or above) the figure
    assert list(row.children) == [explorer.panel, explorer.plot] and below is explorer.readout
    lines = bundle["text/plain"].splitlines()
    assert lines[0].startswith("Controls: measure; group of people;")
    assert [line.split(":")[0] for line in lines] == ["Controls", "Figure", "Readout"]
    assert 'role="status"' in explorer.readout.value


def test_options_come_from_the_data(explorer, table):
    measures = [v for _, v in explorer.controls["measure"].options]
    groups = [v for _, v in explorer.controls["group"].options]
    assert measures == [ALL, *dict.fromkeys(table["measure_family"])]
    assert groups == [ALL, *dict.fromkeys(table["group"])]


def test_initial_view_shows_every_row(explorer, table):
    explorer.set(measure=ALL, group=ALL, method="wilson", pooling=False)
    view = explorer.result
    assert isinstance(view, PrevalenceView)
    assert len(view.selection) == len(table) and view.pooled == ()
    assert len(view.table) == len(table)
    assert explorer.text.startswith(f"Showing {len(table)} of {len(table)} reported figures")


@pytest.mark.parametrize("method", ["wilson", "exact", "wald"])
def test_intervals_equal_statsmodels(explorer, method):
    explorer.set(measure=ALL, group=ALL, method=method, pooling=False)
    rows = explorer.result.selection
    has_n = rows["n"].notna() & rows["percent"].notna()
    n = rows.loc[has_n, "n"].astype(float).to_numpy()
    events = rows.loc[has_n, "percent"].astype(float).to_numpy() / 100 * n
    lower, upper = proportion_confint(events, n, alpha=0.05, method=SM_METHOD[method])
    assert np.allclose(rows.loc[has_n, "ci_low_pct"].astype(float), 100 * lower, rtol=0, atol=1e-9)
    assert np.allclose(rows.loc[has_n, "ci_high_pct"].astype(float), 100 * upper, rtol=0, atol=1e-9)


@pytest.mark.parametrize("tau2", ["dl", "pm"])
@pytest.mark.parametrize("group", [ALL, "women"])
def test_pooled_estimates_equal_statsmodels(explorer, table, tau2, group):
    explorer.set(measure="lifetime", group=group, method="wilson", pooling=True, tau2_method=tau2)
    (pooled,) = explorer.result.pooled
    rows = table[(table.measure == "lifetime") & ((table.group == group) if group != ALL else True)]
    p = rows["percent"].astype(float).to_numpy() / 100
    n = rows["n"].astype(float).to_numpy()
    y, v = special.logit(p), 1 / (n * p) + 1 / (n * (1 - p))
    kwds = {"atol": 1e-10, "maxiter": 200} if tau2 == "pm" else {}
    res = combine_effects(y, v, method_re=tau2, **kwds)
    low, high = res.conf_int(alpha=0.05, use_t=False)[1]
    assert pooled.k == len(rows)
    assert pooled.tau2 == pytest.approx(max(0.0, float(res.tau2)), abs=1e-9)
    assert 100 * special.logit(pooled.estimate_pct / 100) == pytest.approx(
        100 * float(res.mean_effect_re), abs=1e-9
    )
    assert special.logit(pooled.ci_low_pct / 100) == pytest.approx(float(low), abs=1e-9)
    assert special.logit(pooled.ci_high_pct / 100) == pytest.approx(float(high), abs=1e-9)
    assert "Pooled lifetime" in explorer.text


def test_pooling_says_why_each_row_left_out_is_not_pooled(explorer):
    explorer.set(measure=ALL, group=ALL, method="wilson", pooling=True, tau2_method="dl")
    view, text = explorer.result, explorer.text
    pooled_ids = {r for p in view.pooled for r in p.row_ids}
    groups = models.pooling_groups(view.selection)
    for g in groups.itertuples(index=False):
        if not set(g.row_ids) & pooled_ids:  # left out: named, with its reason
            assert f"Not pooled, {g.why_not.split(' (')[0]}" in text
            assert f"{g.definition} ({g.studies}" in text
    for p in view.pooled:
        people = view.selection.loc[view.selection.row_id.isin(p.row_ids), "group"].unique()
        assert (f"It mixes groups of people ({', '.join(people)})" in text) == (len(people) > 1)
    assert "read the HKSJ interval, I² and the prediction interval before quoting it" in text


@pytest.mark.parametrize("family", [ALL, "past four weeks"])
def test_explorer_pools_by_the_model_rule(explorer, family):
    """The explorer pools exactly what models.pool_where_possible pools: same definitions only."""
    explorer.set(measure=family, group=ALL, method="wilson", pooling=True, tau2_method="dl")
    view = explorer.result
    expected, notes = models.pool_where_possible(view.selection, method="dl")
    assert [p.row_ids for p in view.pooled] == [p.row_ids for p in expected]
    for line in notes:
        assert line in explorer.text
    for pooled in view.pooled:
        rows = view.selection[view.selection.row_id.isin(pooled.row_ids)]
        definition = rows[["measure", "recall_window", "frequency_threshold"]]
        assert len(definition.drop_duplicates()) == 1 and rows["study"].nunique() == len(rows)
        assert not definition.isin(models.UNDEFINED).any().any()


def test_figure_matches_a_fresh_forest_plot_of_the_selection(explorer):
    """Whatever path led here, the visible traces draw exactly the freshly built forest plot."""
    sequence = [
        {"measure": "lifetime", "pooling": True},
        {"measure": "other", "group": "men", "method": "wald"},
        {"measure": ALL, "group": "women", "method": "exact", "pooling": False},
        {"measure": "past four weeks", "group": ALL, "pooling": True, "tau2_method": "pm"},
        {"measure": ALL, "group": ALL, "method": "wilson", "pooling": True},
    ]
    for change in sequence:
        explorer.set(**change)
        view = explorer.result
        marks = [
            {
                "measure": view.selection.loc[
                    view.selection.measure == p.measure, "measure_family"
                ].iloc[0],
                "estimate_pct": p.estimate_pct,
                "ci_low_pct": p.ci_low_pct,
                "ci_high_pct": p.ci_high_pct,
                "pi_low_pct": p.pi_low_pct,
                "pi_high_pct": p.pi_high_pct,
                "label": p.label,
            }
            for p in view.pooled
        ]
        families = list(dict.fromkeys(explorer.result.selection.measure_family))
        fresh = figures.forest_plot(
            view.selection, low="low_pct", high="high_pct", pooled=marks, groups=None
        )
        fig = explorer.plot.figure
        assert _points(_visible(fig)) == _points(_visible(fresh))
        assert families == list(dict.fromkeys(t.name for t in _visible(fig)))
        assert list(fig.layout.yaxis.ticktext) == list(fresh.layout.yaxis.ticktext)
        assert list(fig.layout.yaxis.range) == list(fresh.layout.yaxis.range)
        assert fig.layout.height == fresh.layout.height
        errors = {
            (t.name, tuple(t.y)): tuple(t.error_x.array)
            for t in _visible(fig)
            if t.error_x is not None and t.error_x.array is not None
        }
        fresh_errors = {
            (t.name, tuple(t.y)): tuple(t.error_x.array)
            for t in _visible(fresh)
            if t.error_x is not None and t.error_x.array is not None
        }
        assert errors == fresh_errors


def test_each_measure_keeps_its_colour_whatever_the_filter(explorer, table):
    families = list(dict.fromkeys(table["measure_family"]))
    colours = {}
    for family in [ALL, *families]:
        explorer.set(measure=family, group=ALL, pooling=True)
        for trace in _visible(explorer):
            colours.setdefault(trace.name, set()).add(trace.marker.color or trace.line.color)
    assert set(colours) == set(families)
    assert all(len(c) == 1 for c in colours.values())
    assert len({next(iter(c)) for c in colours.values()}) == len(families)


def test_a_change_updates_the_figure_in_place_with_one_message(explorer, monkeypatch):
    explorer.set(measure=ALL, group=ALL, method="wilson", pooling=False)
    plot, traces = explorer.plot, len(explorer.plot.data)
    for name, value in [("measure", "lifetime"), ("pooling", True), ("method", "exact")]:
        sent = _comm_messages(plot, monkeypatch)
        readout = _comm_messages(explorer.readout, monkeypatch)
        explorer.controls[name].value = value
        assert explorer.plot is plot and len(plot.data) == traces
        assert len(sent) == 1 and len(readout) == 1


def test_a_choice_that_changes_nothing_shown_sends_nothing(explorer, monkeypatch):
    explorer.set(measure="lifetime", group=ALL, method="wilson", pooling=False, tau2_method="dl")
    sent = _comm_messages(explorer.plot, monkeypatch)
    readouts = _comm_messages(explorer.readout, monkeypatch)
    explorer.controls["tau2_method"].value = "pm"  # no pooling: the estimator plays no part
    assert sent == [] and readouts == []
    explorer.controls["pooling"].value = True  # now it shows: one figure, one readout message
    assert len(sent) == 1 and len(readouts) == 1


def test_preview_leaves_the_explorer_as_it_was_and_sends_nothing(explorer, monkeypatch):
    explorer.set(measure=ALL, group=ALL, method="wilson", pooling=False)
    before = (explorer.text, explorer.values(), explorer.plot.data)
    widgets = [explorer.plot, explorer.readout, *explorer.controls.values()]
    sent = [_comm_messages(w, monkeypatch) for w in widgets]
    shown = explorer.preview(measure="lifetime", pooling=True)
    assert shown.text.startswith(f"Showing {len(shown.result.selection)} of ")
    assert len(shown.result.pooled) == 1
    assert (explorer.text, explorer.values(), explorer.plot.data) == before
    assert sent == [[]] * len(widgets)


def test_revisiting_a_combination_gives_the_same_figure_and_text(explorer):
    explorer.set(measure="regularly", group=ALL, method="wilson", pooling=False)
    first_text, first_points = explorer.text, _points(_visible(explorer))
    explorer.set(measure="other", method="wald")
    explorer.set(measure="regularly", method="wilson")
    assert explorer.text == first_text
    assert _points(_visible(explorer)) == first_points


def test_empty_selection_hides_everything_and_says_so(explorer):
    explorer.set(measure="lifetime", group="bisexual or fluid", pooling=False)
    assert _visible(explorer) == []
    assert "No study reports this measure for this group." in explorer.text
    assert explorer.result.table.empty
    explorer.set(measure=ALL, group=ALL)
    assert _visible(explorer)


def test_summary_table_is_rounded_and_has_pooled_rows(explorer):
    explorer.set(
        measure="past four weeks", group=ALL, method="wilson", pooling=True, tau2_method="dl"
    )
    table = explorer.result.table
    assert list(table.columns) == [
        "study",
        "group",
        "measure",
        "n",
        "reported_pct",
        "ci_low",
        "ci_high",
        "note",
    ]
    (pooled,) = explorer.result.pooled
    assert table.iloc[-1]["study"] == pooled.label
    assert table.iloc[-1]["note"].startswith(
        f"pooled; HKSJ CI {pooled.hk_low_pct:.1f}–{pooled.hk_high_pct:.1f}%"
    )
    numbers = table[["ci_low", "ci_high"]].astype(float).to_numpy()
    assert np.array_equal(numbers, np.round(numbers, 1))
    assert "<table" in explorer.readout.value


def test_set_validates(explorer):
    with pytest.raises(ValueError, match=r"unknown control\(s\) \['colour'\]"):
        explorer.set(colour="blue")
    with pytest.raises(ValueError, match="measure must be one of"):
        explorer.set(measure="monthly")
    with pytest.raises(ValueError, match=r"tau2_method must be one of \['dl', 'pm'\]"):
        prevalence_explorer(tau2_method="reml")


def test_explorer_from_a_table_argument(table):
    small = table[table.study_id.isin(["bird2011", "schweitzer2015"])].reset_index(drop=True)
    ex = prevalence_explorer(table=small, measure="lifetime", pooling=True)
    assert ex.result.pooled[0].k == 2
    assert np.isnan(ex.result.pooled[0].pi_low_pct)
    assert models.pool_measure(small, "lifetime").estimate_pct == pytest.approx(
        ex.result.pooled[0].estimate_pct, abs=1e-12
    )


def test_summary_table_of_an_empty_selection_has_the_columns(explorer):
    explorer.set(measure="lifetime", group="bisexual or fluid", pooling=True)
    assert list(explorer.result.table.columns)[-2:] == ["ci_high", "note"]
    assert "<table" not in explorer.readout.value
    explorer.set(measure=ALL, group=ALL, pooling=False)


def test_importing_ui_creates_nothing():
    """No module-level statement calls ipywidgets, plotly or display (nothing at import time)."""
    tree = ast.parse(Path(ui_module.__file__).read_text(encoding="utf-8"))
    top_level = [
        node
        for node in tree.body
        if not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Import | ast.ImportFrom)
    ]
    calls = [ast.unparse(c.func) for n in top_level for c in ast.walk(n) if isinstance(c, ast.Call)]
    assert not [c for c in calls if c.split(".")[0] in {"ipw", "go", "display", "ipywidgets"}]
