"""The prevalence explorer of lesson 04.

:func:`prevalence_explorer` lets a student choose which measure and which group of people to show,
the interval method, and whether to pool; the forest plot and a summary table update together.
It is a :class:`widgets.explorer.Explorer`: the statistics come from
:mod:`widgets.prevalence.models` (intervals, and pooling by the model's rule,
:func:`~widgets.prevalence.models.pool_where_possible`), the figure's values and text from
:func:`widgets.prevalence.figures.forest`, drawn in one :class:`widgets.plot.Plot` updated in
place; this module only wires them to controls. Nothing is created or displayed at import time.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any

import ipywidgets as ipw
import pandas as pd

from widgets import data
from widgets.explorer import Explorer, Readout, check, text_to_html
from widgets.plot import Plot
from widgets.prevalence import figures, models

__all__ = ["ALL", "POOLING_NOTE", "PrevalenceView", "prevalence_explorer"]

ALL = "all"
"""Control value meaning "no filter" for the measure and group controls."""

POOLING_NOTE = (
    "Pooling is done only for figures with the same definition (measure, recall window and "
    "frequency threshold) from different studies. A pooled value summarises fairly only studies "
    "that asked similar people the same question; read the HKSJ interval, I² and the prediction "
    "interval before quoting it."
)
"""The caveat printed under every pooled selection."""

_METHODS = (
    ("Wilson", "wilson"),
    ("exact (Clopper–Pearson)", "exact"),
    ("Wald (textbook ± 1.96 SE)", "wald"),
)
_TAU2 = (("DerSimonian–Laird", "dl"), ("Paule–Mandel", "pm"))
_STYLE = {"description_width": "170px"}
_SUMMARY_COLUMNS = ("study", "group", "measure", "n", "reported", "ci_low", "ci_high")


def _wide() -> ipw.Layout:
    """A fresh layout per control (a Layout is a widget: nothing is created at import time)."""
    return ipw.Layout(width="460px")


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
    lines : tuple of str
        The readout's lines above the figure's description: what is shown, and the pooling
        notes.
    forest : widgets.prevalence.figures.Forest
        The figure's values and its text description.
    """

    selection: pd.DataFrame
    pooled: tuple[models.PooledEstimate, ...]
    table: pd.DataFrame
    lines: tuple[str, ...]
    forest: figures.Forest


def _marks(selection: pd.DataFrame, pooled: list[models.PooledEstimate]) -> list[dict[str, Any]]:
    """The pooled results as the forest plot draws them, each in its rows' measure family."""
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


def _pooled_note(p: models.PooledEstimate) -> str:
    pi = (
        f"prediction interval {p.pi_low_pct:.1f}–{p.pi_high_pct:.1f}%"
        if not math.isnan(p.pi_low_pct)
        else "no prediction interval (fewer than 3 studies)"
    )
    return f"pooled; HKSJ CI {p.hk_low_pct:.1f}–{p.hk_high_pct:.1f}%; {pi}"


def _summary_table(
    rows: pd.DataFrame, pooled: list[models.PooledEstimate], selection: pd.DataFrame
) -> pd.DataFrame:
    """The table under the figure: ``rows`` (``interval_table`` rows) plus one row per pooled
    result."""
    names = {"reported": "reported_pct", "no_interval_because": "note"}
    if rows.empty:
        return pd.DataFrame(columns=[*_SUMMARY_COLUMNS, "no_interval_because"]).rename(
            columns=names
        )
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
            "no_interval_because": _pooled_note(p),
        }
        for p in pooled
    ]
    table = rows.reset_index(drop=True)
    if extra:
        table = pd.concat([table, pd.DataFrame(extra)], ignore_index=True)
    table["n"] = table["n"].astype("Int64")
    return table.rename(columns=names)


def _html_table(table: pd.DataFrame) -> str:
    """A plain HTML table (escaped; missing values as a dash)."""
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


def _readout(view: PrevalenceView) -> Readout:
    """The rows and pooling notes, then the figure's description (text) or the table (HTML)."""
    described = [view.forest.description] if len(view.selection) else []
    return Readout(
        "\n".join([*view.lines, *described]),
        text_to_html("\n".join(view.lines)) + (_html_table(view.table) if described else ""),
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
    widgets.explorer.Explorer
        Controls ``measure``, ``group``, ``method``, ``pooling`` and ``tau2_method``; its
        ``result`` is a :class:`PrevalenceView` (rows shown, pooled results, summary table) and
        its ``text`` the selection, the pooling results and the forest plot's description.

    Raises
    ------
    ValueError
        If a choice is not one of its control's options (the message lists them).

    Notes
    -----
    The table's intervals and their rounded table are computed once per method, when the
    explorer is built. The figure keeps the same traces for every selection (six per measure,
    :data:`widgets.prevalence.figures.SLOTS`; a measure keeps its colour whatever the filter),
    so a change of choice sends only new values, in one message.
    """
    df = data.load("prevalence") if table is None else table
    families = list(dict.fromkeys(df["measure_family"]))
    groups = list(dict.fromkeys(df["group"]))
    with_ci = {m: models.forest_rows(models.add_intervals(df, method=m)) for _, m in _METHODS}
    table_rows = {m: models.interval_table(rows) for m, rows in with_ci.items()}
    method_names = {m: name for name, m in _METHODS}

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
    start = {
        "measure": measure,
        "group": group,
        "method": method,
        "pooling": pooling,
        "tau2_method": tau2_method,
    }
    for name, value in start.items():
        check(name, controls[name], value)
        controls[name].value = value

    def compute(values: dict[str, Any]) -> PrevalenceView:
        rows = with_ci[values["method"]]
        keep = pd.Series(True, index=rows.index)
        if values["measure"] != ALL:
            keep &= rows["measure_family"] == values["measure"]
        if values["group"] != ALL:
            keep &= rows["group"] == values["group"]
        selection = rows[keep]
        lines = [
            f"Showing {len(selection)} of {len(rows)} reported figures: measure "
            f"{values['measure']}, group {values['group']}; "
            f"95% {method_names[values['method']]} intervals."
        ]
        pooled: list[models.PooledEstimate] = []
        if selection.empty:
            lines.append("No study reports this measure for this group.")
        elif values["pooling"]:
            pooled, notes = models.pool_where_possible(selection, method=values["tau2_method"])
            lines += [*notes, POOLING_NOTE]
        parts = figures.forest(
            selection,
            low="low_pct",
            high="high_pct",
            pooled=_marks(selection, pooled),
            groups=families,
        )
        summary = _summary_table(table_rows[values["method"]][keep.to_numpy()], pooled, selection)
        return PrevalenceView(selection, tuple(pooled), summary, tuple(lines), parts)

    first = compute(start)
    plot = Plot(
        figures.forest_plot(
            first.selection,
            low="low_pct",
            high="high_pct",
            pooled=_marks(first.selection, list(first.pooled)),
            groups=families,
            title="Reported prevalence of PCD, with 95% intervals",
        ),
        description="Figure: forest plot of the reported prevalence of PCD (interactive; the "
        "printed description says what it shows).",
    )
    return Explorer(
        controls=controls,
        compute=compute,
        draw=lambda view: {"data": view.forest.traces, "layout": view.forest.layout},
        readout=_readout,
        plots=[plot],
    )
