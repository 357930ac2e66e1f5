"""The prevalence explorer of lesson 04, and the explorer object every lesson's UI returns.

:func:`prevalence_explorer` lets a student choose which measure and which group of people to show,
the interval method, and whether to pool; the forest plot and a summary table update together.
The statistics come from :mod:`widgets.prevalence.models` and the figure from
:func:`widgets.prevalence.figures.forest_plot` (each selection's values from
:func:`~widgets.prevalence.figures.forest_traces`, written in with
:func:`~widgets.figure_updates.update_figure`); this module only wires them to controls.

:class:`Explorer` is the object a UI factory returns: labelled controls, **one**
``go.FigureWidget`` updated in place inside ``fig.batch_update()``, and a text readout, displayed
as three separate outputs (``display(controls, figure, readout)``) because Voilà renders a
FigureWidget nested in an ipywidgets box empty (voila-dashboards/voila#1533). Each output has a
short plain-text alternative instead of the FigureWidget's long repr. :meth:`Explorer.preview`
drives the callback with given values and returns the rounded readout, then puts the controls back,
so a notebook cell can print what the widget shows (and nbval can check it) without leaving the
live widget changed; :meth:`Explorer.set` changes the controls for good. Nothing is created or
displayed at import time.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import ipywidgets as ipw
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from IPython.display import display

from widgets import data
from widgets._ui import FigureWidget, widget_bundle
from widgets.figure_updates import update_figure
from widgets.prevalence import figures, models

__all__ = ["ALL", "Explorer", "PrevalenceView", "Readout", "prevalence_explorer", "text_to_html"]

ALL = "all"
"""Control value meaning "no filter" for the measure and group controls."""


def _wide() -> ipw.Layout:
    """A fresh layout per control (a Layout is a widget: nothing is created at import time)."""
    return ipw.Layout(width="460px")


_STYLE = {"description_width": "170px"}


# --------------------------------------------------------------------------------------------------
# The explorer object shared by the pack's UI factories


@dataclass(frozen=True)
class Readout:
    """What one update of an explorer produced.

    Attributes
    ----------
    text : str
        Plain-text readout with rounded numbers: printed by notebook cells and checked by nbval.
    html : str
        The same content for the readout widget (may add a table); escaped HTML.
    result : object
        The model result behind the figure, for tests and notebook cells.
    """

    text: str
    html: str
    result: Any = None


def text_to_html(text: str) -> str:
    """One paragraph per line of ``text``, HTML-escaped, inside a polite live region."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line)
    return f'<div role="status" aria-live="polite">{paragraphs}</div>'


class Explorer:
    """Labelled controls, one FigureWidget and a readout, wired to one callback.

    A UI factory builds the controls and the figure, and passes ``update``: a function that takes
    the control values (a dict keyed by control name), updates ``figure`` in place (inside
    ``figure.batch_update()``) and returns a :class:`Readout`. The explorer calls it once at
    creation and again whenever a control changes.

    Parameters
    ----------
    controls : mapping of str to ipywidgets.ValueWidget
        The controls, by the name used in :meth:`set` and in ``update``'s argument; shown in this
        order.
    figure : plotly.graph_objects.FigureWidget
        The one figure; never re-created.
    update : callable
        ``update(values) -> Readout``.
    extras : sequence of ipywidgets.Widget, optional
        Shown under the controls: notes, or buttons that change a control's value themselves.
    figure_text : str, optional
        Short plain-text alternative for the figure's output (what a text-only view shows).

    Attributes
    ----------
    controls : mapping of str to ipywidgets.ValueWidget
    figure : plotly.graph_objects.FigureWidget
    panel : ipywidgets.VBox
        The controls (and extras): the first of the three outputs.
    readout : ipywidgets.HTML
        The readout widget: the third output.
    """

    def __init__(
        self,
        *,
        controls: Mapping[str, ipw.ValueWidget],
        figure: go.FigureWidget,
        update: Callable[[dict[str, Any]], Readout],
        extras: Sequence[ipw.Widget] = (),
        figure_text: str = "Figure (interactive; the printed description says what it shows).",
    ) -> None:
        self.controls = MappingProxyType(dict(controls))
        self.figure = figure
        self.panel = ipw.VBox([*self.controls.values(), *extras])
        self.readout = ipw.HTML(layout=ipw.Layout(max_width="900px"))
        self._update = update
        self._figure_text = figure_text
        self._holding = False
        self._last: Readout | None = None
        for widget in self.controls.values():
            widget.observe(self._on_change, names="value")
        self.refresh()
        self._start = self.values()

    # -- driving it ------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """The current control values, by control name."""
        return {name: widget.value for name, widget in self.controls.items()}

    def set(self, **values: Any) -> None:
        """Set several controls, then update the figure and the readout once.

        Raises
        ------
        ValueError
            If a name is not a control (the message lists the controls), or a value is not valid
            for its control (the message gives the control's options or range).
        """
        unknown = [name for name in values if name not in self.controls]
        if unknown:
            raise ValueError(
                f"unknown control(s) {unknown}; the controls are {list(self.controls)}"
            )
        for name, value in values.items():  # check everything before changing anything
            self._check(name, self.controls[name], value)
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self.refresh()

    def preview(self, **values: Any) -> Readout:
        """Show these control values once: update, return the readout, then put the controls back.

        Notebook cells use this to print a widget's rounded readout for given settings. The
        controls, the figure and the readout end as they were, which matters beyond tidiness:
        Voilà draws a FigureWidget as it was when displayed, so a figure left changed by later
        cells would be out of step with the kernel, and a student's widget should not jump.

        Returns
        -------
        Readout
            ``text`` (print it), ``html`` and ``result`` for those values.

        Raises
        ------
        ValueError
            As :meth:`set`.
        """
        before = self.values()
        self.set(**values)
        shown = self._last
        self.set(**before)
        assert shown is not None
        return shown

    def reset(self) -> None:
        """Put every control back to the value it had when the explorer was built."""
        self.set(**self._start)

    @staticmethod
    def _check(name: str, widget: ipw.ValueWidget, value: Any) -> None:
        """Raise ValueError, naming the control and what is valid, if ``value`` does not fit."""
        options = getattr(widget, "options", None)
        if options is not None:
            valid = [o[1] if isinstance(o, tuple) else o for o in options]
            if value not in valid:
                raise ValueError(f"{name} must be one of {valid}; got {value!r}")
        lo, hi = getattr(widget, "min", None), getattr(widget, "max", None)
        if lo is not None and hi is not None:
            is_number = isinstance(value, int | float) and not isinstance(value, bool)
            if not is_number or not lo <= value <= hi:
                raise ValueError(f"{name} must be a number from {lo} to {hi}; got {value!r}")
        if isinstance(widget, ipw.Checkbox) and not isinstance(value, bool):
            raise ValueError(f"{name} must be True or False; got {value!r}")

    @classmethod
    def _assign(cls, name: str, widget: ipw.ValueWidget, value: Any) -> None:
        cls._check(name, widget, value)
        widget.value = value

    def refresh(self) -> None:
        """Recompute from the current control values and update the figure and the readout."""
        self._last = self._update(self.values())
        self.readout.value = self._last.html

    def _on_change(self, change: dict) -> None:
        if not self._holding:
            self.refresh()

    # -- reading it ------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The current readout as plain text, numbers rounded (print it for nbval)."""
        return self._last.text if self._last else ""

    @property
    def result(self) -> Any:
        """The model result behind the current figure."""
        return self._last.result if self._last else None

    def _ipython_display_(self) -> None:
        # Three separate outputs (voila-dashboards/voila#1533), each with a short plain-text
        # alternative. The figure's bundle comes from plotly, which also syncs the widget's
        # initial state to the current figure.
        names = "; ".join(w.description for w in self.controls.values())
        display(
            widget_bundle(self.panel, f"Controls: {names}."),
            {**self.figure._repr_mimebundle_(), "text/plain": self._figure_text},
            widget_bundle(
                self.readout, "Readout: the figure's description, updated with each change."
            ),
            raw=True,
        )


# --------------------------------------------------------------------------------------------------
# The prevalence explorer


_METHODS = (
    ("Wilson", "wilson"),
    ("exact (Clopper–Pearson)", "exact"),
    ("Wald (textbook ± 1.96 SE)", "wald"),
)
_TAU2 = (("DerSimonian–Laird", "dl"), ("Paule–Mandel", "pm"))
_HIDDEN = {"visible": False}


def _role(trace: Mapping[str, Any]) -> tuple:
    """What a forest-plot trace (from ``figures.forest_traces``) draws: (group, mode, meta, open
    marker?)."""
    symbol = (trace.get("marker") or {}).get("symbol")
    return (trace["name"], trace["mode"], trace.get("meta"), str(symbol or "").endswith("-open"))


def _values(trace: Mapping[str, Any]) -> dict[str, Any]:
    """The values of a forest-plot trace that change with the selection (what a slot shows)."""
    error = trace.get("error_x") or {}
    return {
        "visible": True,
        "x": trace.get("x"),
        "y": trace.get("y"),
        "hovertext": trace.get("hovertext"),
        "showlegend": trace.get("showlegend") is not False,
        "error_x.array": error.get("array"),
        "error_x.arrayminus": error.get("arrayminus"),
    }


@dataclass(frozen=True, eq=False)
class PrevalenceView:
    """What the prevalence explorer shows for one combination of choices (its ``result``).

    Attributes
    ----------
    selection : pandas.DataFrame
        The rows shown, with their intervals (``ci_low_pct``, ``ci_high_pct``) and forest-plot
        columns, unrounded.
    pooled : tuple of widgets.prevalence.models.PooledEstimate
        The pooled results shown (empty when pooling is off or nothing can be pooled).
    table : pandas.DataFrame
        The summary table under the figure, rounded for reading.
    """

    selection: pd.DataFrame
    pooled: tuple[models.PooledEstimate, ...]
    table: pd.DataFrame


@dataclass(frozen=True)
class _State:
    """Everything one combination of control values shows (cached per combination)."""

    slots: dict[tuple, dict[str, Any]]
    layout: dict[str, Any]
    readout: Readout


def _pool_selection(
    selection: pd.DataFrame, tau2: str
) -> tuple[list[models.PooledEstimate], list[str]]:
    """Pool what the model's rule allows (:func:`widgets.prevalence.models.pool_where_possible`):
    the same definition, from different studies; the notes say why the other rows are not."""
    return models.pool_where_possible(selection, method=tau2)


_SUMMARY_COLUMNS = ("study", "group", "measure", "n", "reported", "ci_low", "ci_high")


def _summary_table(
    rows: pd.DataFrame, pooled: list[models.PooledEstimate], selection: pd.DataFrame
) -> pd.DataFrame:
    """The table under the figure: ``rows`` (``interval_table`` rows) plus one row per pooled
    result."""
    if rows.empty:
        empty = pd.DataFrame(columns=[*_SUMMARY_COLUMNS, "no_interval_because"])
        return empty.rename(columns={"reported": "reported_pct", "no_interval_because": "note"})
    table = rows.reset_index(drop=True)
    table["n"] = table["n"].astype("Int64")
    extra = [
        {
            "study": p.label,
            "group": ", ".join(
                dict.fromkeys(selection.loc[selection.row_id.isin(p.row_ids), "group"])
            ),
            "measure": p.definition,
            "n": pd.NA,
            "reported": f"{p.estimate_pct:.1f}",
            "ci_low": round(p.ci_low_pct, 1),
            "ci_high": round(p.ci_high_pct, 1),
            "no_interval_because": (
                f"pooled; HKSJ CI {p.hk_low_pct:.1f}–{p.hk_high_pct:.1f}%; "
                + (
                    f"prediction interval {p.pi_low_pct:.1f}–{p.pi_high_pct:.1f}%"
                    if not math.isnan(p.pi_low_pct)
                    else "no prediction interval (fewer than 3 studies)"
                )
            ),
        }
        for p in pooled
    ]
    if extra:
        table = pd.concat([table, pd.DataFrame(extra)], ignore_index=True)
    table["n"] = table["n"].astype("Int64")
    return table.rename(columns={"reported": "reported_pct", "no_interval_because": "note"})


def _html_table(table: pd.DataFrame) -> str:
    """A plain HTML table (escaped; missing values as a dash). Much faster than DataFrame.to_html,
    which matters the first time a combination of choices is shown."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in table.columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{'–' if pd.isna(v) else html.escape(str(v))}</td>" for v in row)
        + "</tr>"
        for row in table.itertuples(index=False)
    )
    return (
        '<table class="pcd-summary" style="border-collapse: collapse">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def prevalence_explorer(
    *,
    measure: str = ALL,
    group: str = ALL,
    method: str = "wilson",
    pooling: bool = False,
    tau2_method: str = "dl",
    table: pd.DataFrame | None = None,
) -> Explorer:
    """Build the prevalence explorer: a forest plot and a summary table driven by four choices.

    Parameters
    ----------
    measure : str, default "all"
        A ``measure_family`` of the prevalence table ("lifetime", "past four weeks",
        "regularly", "other") or ``"all"``.
    group : str, default "all"
        A ``group`` of the prevalence table ("women", "men", ...) or ``"all"``.
    method : {"wilson", "exact", "wald"}, default "wilson"
        Interval method for every row.
    pooling : bool, default False
        Pool each definition (measure, recall window, frequency threshold) that two or more
        studies report (random effects on the logit scale, by the model's own rule,
        :func:`widgets.prevalence.models.pool_where_possible`); never across definitions.
    tau2_method : {"dl", "pm"}, default "dl"
        Between-study variance estimator used when pooling.
    table : pandas.DataFrame, optional
        The prevalence table; default ``widgets.data.load("prevalence")``.

    Returns
    -------
    Explorer
        Controls ``measure``, ``group``, ``method``, ``pooling`` and ``tau2_method``; its
        ``result`` is a :class:`PrevalenceView` (rows shown, pooled results, summary table) and
        its ``text`` the selection, the pooling results and the forest plot's description.

    Notes
    -----
    Each combination of choices is computed once and cached (there are a few hundred), so going
    back to a combination only re-sends the values that differ from what the figure shows, in one
    message. The first visit computes the trace values without building a figure
    (:func:`widgets.prevalence.figures.forest_traces`). The figure keeps one trace per kind of
    row and measure (the colour of a measure does not change with the filter); rows a selection
    does not contain are hidden, not deleted.
    """
    df = data.load("prevalence") if table is None else table
    families = list(dict.fromkeys(df["measure_family"]))
    groups = list(dict.fromkeys(df["group"]))
    with_ci = {m: models.forest_rows(models.add_intervals(df, method=m)) for _, m in _METHODS}
    table_rows = {m: models.interval_table(with_ci[m]) for _, m in _METHODS}

    controls = {
        "measure": ipw.Dropdown(
            options=[("all measures", ALL), *[(f, f) for f in families]],
            description="measure",
            style=_STYLE,
            layout=_wide(),
        ),
        "group": ipw.Dropdown(
            options=[("all groups of people", ALL), *[(g, g) for g in groups]],
            description="group of people",
            style=_STYLE,
            layout=_wide(),
        ),
        "method": ipw.Dropdown(
            options=list(_METHODS), description="95% interval method", style=_STYLE, layout=_wide()
        ),
        "pooling": ipw.Checkbox(
            description="pool studies with the same definition", indent=False, layout=_wide()
        ),
        "tau2_method": ipw.Dropdown(
            options=list(_TAU2), description="pooling: τ² estimator", style=_STYLE, layout=_wide()
        ),
    }
    initial = {
        "measure": measure,
        "group": group,
        "method": method,
        "pooling": pooling,
        "tau2_method": tau2_method,
    }
    for name, value in initial.items():
        Explorer._assign(name, controls[name], value)

    def pooled_marks(selection: pd.DataFrame, pooled: list) -> list[dict[str, Any]]:
        family = dict(zip(selection["row_id"], selection["measure_family"], strict=True))
        return [
            {
                "measure": family[p.row_ids[0]],
                "estimate_pct": p.estimate_pct,
                "ci_low_pct": p.ci_low_pct,
                "ci_high_pct": p.ci_high_pct,
                "pi_low_pct": p.pi_low_pct,
                "pi_high_pct": p.pi_high_pct,
                "label": p.label,
            }
            for p in pooled
        ]

    # The figure: every row and every possible pooled result, one trace per kind of row.
    everything = with_ci["wilson"]
    all_pooled, _ = _pool_selection(everything, "dl")
    marks = pooled_marks(everything, all_pooled)
    master = figures.forest_plot(
        everything,
        low="low_pct",
        high="high_pct",
        pooled=marks,
        title="Reported prevalence of PCD, with 95% intervals",
    )
    fig = FigureWidget(master)
    master_traces, _ = figures.forest_traces(
        everything, low="low_pct", high="high_pct", pooled=marks
    )
    roles: list[tuple] = []
    for trace in master_traces:  # the same traces as fig.data, in the same order
        role = _role(trace)
        while role in roles:
            role = (*role, "again")
        roles.append(role)
    shown: list[dict[str, Any]] = [_values(t) for t in master_traces]
    shown_layout: dict[str, Any] = {}
    cache: dict[tuple, _State] = {}

    def compute(key: tuple) -> _State:
        measure_, group_, method_, pooling_, tau2_ = key
        rows = with_ci[method_]
        keep = np.ones(len(rows), dtype=bool)
        if measure_ != ALL:
            keep &= (rows["measure_family"] == measure_).to_numpy()
        if group_ != ALL:
            keep &= (rows["group"] == group_).to_numpy()
        selection = rows[keep]
        method_name = dict((m, n) for n, m in _METHODS)[method_]
        chosen = (
            f"Showing {len(selection)} of {len(rows)} reported figures: measure "
            f"{'all' if measure_ == ALL else measure_}, group "
            f"{'all' if group_ == ALL else group_}; 95% {method_name} intervals."
        )
        if selection.empty:
            text = chosen + "\nNo study reports this measure for this group."
            layout = {
                "height": 200,
                "yaxis.tickvals": [],
                "yaxis.ticktext": [],
                "yaxis.range": [0.5, -0.5],
            }
            view = PrevalenceView(
                selection, (), _summary_table(table_rows[method_][keep], [], selection)
            )
            return _State({}, layout, Readout(text, text_to_html(text), view))
        pooled, notes = _pool_selection(selection, tau2_) if pooling_ else ([], [])
        marks = pooled_marks(selection, pooled)
        # Only the traces' values: a whole forest-plot figure per selection is not needed.
        traces, layout = figures.forest_traces(
            selection, low="low_pct", high="high_pct", pooled=marks
        )
        slots: dict[tuple, dict[str, Any]] = {}
        for trace in traces:
            role = _role(trace)
            while role in slots:  # a second trace of the same kind in one group
                role = (*role, "again")
            slots[role] = _values(trace)
        description = figures.describe_forest_plot(
            selection, low="low_pct", high="high_pct", pooled=marks
        )
        if pooling_:
            notes.append(
                "Pooling is done only for figures with the same definition (measure, recall window "
                "and frequency threshold) from different studies. A pooled value summarises fairly "
                "only studies that asked similar people the same question; read the HKSJ interval, "
                "I² and the prediction interval before quoting it."
            )
        text = "\n".join([chosen, *notes, description])
        summary = _summary_table(table_rows[method_][keep], pooled, selection)
        table_html = _html_table(summary)
        html_text = text_to_html("\n".join([chosen, *notes])) + table_html
        view = PrevalenceView(selection, tuple(pooled), summary)
        return _State(slots, layout, Readout(text, html_text, view))

    def update(values: dict[str, Any]) -> Readout:
        key = tuple(values[k] for k in initial)
        state = cache.get(key)
        if state is None:
            state = cache[key] = compute(key)
        for role in state.slots:
            if role not in roles:  # a kind of row the full table does not have: add a trace
                fig.add_trace(go.Scatter(name=role[0], mode=role[1], meta=role[2]))
                roles.append(role)
                shown.append({"visible": False})
        # Only the values that differ from what the figure shows are written, and sent as one
        # update message (update_figure: plotly_update without most of its bookkeeping).
        edits: dict[int, dict[str, Any]] = {}
        for i, role in enumerate(roles):
            for key_, value in state.slots.get(role, _HIDDEN).items():
                if shown[i].get(key_) != value:
                    edits.setdefault(i, {})[key_] = value
                    shown[i][key_] = value
        relayout = {k: v for k, v in state.layout.items() if shown_layout.get(k) != v}
        shown_layout.update(relayout)
        with fig.batch_update():
            update_figure(fig, edits, relayout)
        return state.readout

    return Explorer(
        controls=controls,
        figure=fig,
        update=update,
        figure_text="Figure: forest plot of the reported prevalence of PCD (interactive; the "
        "printed description says what it shows).",
    )
