"""The hormone simulators of lessons 02 and 03: labelled controls, one FigureWidget, a readout.

:func:`dropoff_simulator` (lesson 02) and :func:`timescales_explorer` (lesson 03) build their
controls, **one** :class:`plotly.graph_objects.FigureWidget` from a figure builder of
:mod:`widgets.hormones.figures`, and an HTML readout table; they wire one callback that asks
:mod:`widgets.hormones.scenarios` for new curves and readouts. There is no physiology here.

How the figure is updated, and why:

* A slider move changes the curves' y values only (and the heights of the "illustrative"
  labels, which sit at their curves' peaks). :func:`widgets.hormones.figures.curve_update` gives
  the new values of the traces whose curves changed (a half-life slider moves one line). A
  scenario model computes a scenario's lines as one array and its bands as another (one
  multiplication each of stacked unit responses), the figure rounds each at once and gathers the
  band outlines in one step; each line carries a key of what it depends on, so "changed" is a
  key comparison, and revisited scenarios, their rounded copies and the readout table are
  remembered, not rebuilt. They are written
  in with :func:`widgets.figure_updates.update_figure` inside ``fig.batch_update()``: plotly's
  ``plotly_update`` without its per-call path parsing and array comparisons, one update message.
  The figure is a :class:`widgets._ui.FigureWidget`, which sends that message as one comm message
  where plotly's own sends four. (Assigning ``trace.y = ...`` would also make plotly re-validate
  every array: several milliseconds per move; see ``bench/bench_hormones.py``.)
* The log-time box changes the time axis and the labels' text positions: plain property
  assignments inside ``fig.batch_update()``, again one message.
* The figure is never re-created. Displaying a simulator shows the controls, the figure and the
  readout as three separate outputs, because Voilà renders a FigureWidget nested in an ipywidgets
  box empty (voila-dashboards/voila#1533). Sliders use ``continuous_update=False``: a plotly
  redraw keeps the browser busy for about 120 ms, so a mouse drag updates the figure when it is
  released (keyboard arrows update on every step).

Each simulator has ``set_values(...)``, which sets controls as a reader would and returns the
rounded readouts as a table, so that a notebook cell (checked by nbval) and the tests can drive it.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar

import ipywidgets as ipw
import pandas as pd
import plotly.graph_objects as go
from IPython.display import display
from traitlets import Bool, CFloat, Int

from widgets import data
from widgets._ui import FigureNote, FigureWidget, widget_bundle
from widgets.figure_updates import update_figure
from widgets.hormones import figures, scenarios

__all__ = ["DropoffSimulator", "TimescalesExplorer", "dropoff_simulator", "timescales_explorer"]

_DESCRIPTION_WIDTH = "21em"
_CONTROL_WIDTH = "40em"
_INTENSITY = (0.5, 2.0, 0.1)  # min, max, step: heart-rate rise +30% to +120% (measured: +25-120%)


# ipywidgets 8 sends every change a browser makes to a control straight back to the browser (an
# "echo_update", so that a second browser window on the same kernel moves its copy too), before
# any observer runs. For these simulators that is one of three kernel messages per move, and,
# sent first, its delivery by the kernel's IOPub thread competes with the callback for the
# interpreter: 0.1-0.25 ms of each move (bench/bench_hormones.py). The controls below turn it off
# with ipywidgets' own per-trait switch (as its FileUpload does). Views in one page share one
# model and stay in step; the figure and the readout still go to every window; only the slider
# in a second window on the same kernel stays where it was. Values set from Python (set_values,
# reset) are sent to every window as before.
#
# A browser's move of such a control arrives as ipywidgets' set_state({"value": ...}); the
# simulators' sliders and checkboxes take that one value through a shorter path than ipywidgets'
# general one (which holds and replays trait notifications for any number of traits): the same
# property lock (nothing is sent back), the same validation (a slider clamps to its range), and
# a third less of ipywidgets' own work per move (46 -> 32 µs in a plain process on the 2-core
# development machine; bench/bench_hormones.py makes its moves through set_state too).
class _OneValueMove:
    def set_state(self, sync_data: dict) -> None:
        if len(sync_data) == 1 and "value" in sync_data:
            with self._lock_property(**sync_data):
                self.set_trait("value", sync_data["value"])
            return
        super().set_state(sync_data)


class _Slider(_OneValueMove, ipw.FloatSlider):
    value = CFloat(0.0, help="Float value").tag(sync=True, echo_update=False)


class _Checkbox(_OneValueMove, ipw.Checkbox):
    value = Bool(False, help="Bool value").tag(sync=True, echo_update=False)


class _ToggleButtons(ipw.ToggleButtons):
    index = Int(None, help="Selected index", allow_none=True).tag(sync=True, echo_update=False)


def _slider(description: str, value: float, low: float, high: float, step: float, fmt: str):
    return _Slider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        readout_format=fmt,
        continuous_update=False,
        style={"description_width": _DESCRIPTION_WIDTH},
        layout=ipw.Layout(width=_CONTROL_WIDTH),
    )


def _intensity_slider(value: float) -> ipw.FloatSlider:
    low, high, step = _INTENSITY
    return _slider("Intensity (1 = default, illustrative)", value, low, high, step, ".1f")


def _y_range(y_max: float) -> tuple[float, float]:
    """A fixed y range from just under resting to a little above ``y_max``."""
    return (0.9, round(1 + 1.12 * (y_max - 1), 1))


def _positions(slider: ipw.FloatSlider) -> list[float]:
    """Every value a slider can take (its steps from min to max)."""
    n = round((slider.max - slider.min) / slider.step)
    return [round(slider.min + i * slider.step, 6) for i in range(n + 1)]


def _checkbox(description: str, value: bool) -> ipw.Checkbox:
    return _Checkbox(
        value=value, description=description, indent=False, layout=ipw.Layout(width="auto")
    )


def _check_range(name: str, value: Any, slider: ipw.FloatSlider) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or not slider.min <= value <= slider.max:
        raise ValueError(
            f"{name} must be a number in [{slider.min:g}, {slider.max:g}] "
            f"({slider.description}); got {value!r}"
        )
    return float(value)


def _check_bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False; got {value!r}")
    return value


# One style sheet for the readout tables instead of a style attribute on every cell: the table
# is re-sent on every slider move, so it stays small (about 1 KB).
_TABLE_CLASS = "pcd-readout"
_TABLE_STYLE = (
    f"<style>.{_TABLE_CLASS}{{border-collapse: collapse; font-size: 0.95em}}"
    f".{_TABLE_CLASS} caption{{text-align: left; font-weight: bold}}"
    f".{_TABLE_CLASS} th, .{_TABLE_CLASS} td{{padding: 2px 10px; text-align: left; "
    "vertical-align: top; white-space: nowrap}"
    f".{_TABLE_CLASS} td:last-child{{white-space: normal}}</style>"
)


def _row(cells: list[str], tag: str = "td") -> str:
    return "<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in cells) + "</tr>"


class _ReadoutTable:
    """An HTML readout table, rebuilt on every slider move (the last column holds sentences and
    may wrap): its caption, head and fixed last rows are escaped once, and each readout's row once
    per readout (the scenario models hand back the same Readout for an unchanged curve), so a move
    that changes one line rebuilds one row."""

    def __init__(self, caption: str, head: list[str], fixed_rows: list[list[str]] = ()) -> None:
        self._start = (
            f"{_TABLE_STYLE}<table class='{_TABLE_CLASS}'><caption>{html.escape(caption)}"
            f"</caption><thead>{_row(head, 'th')}</thead><tbody>"
        )
        self._end = "".join(_row(r) for r in fixed_rows) + "</tbody></table>"
        self._rows: dict[Any, str] = {}

    def readout_html(self, readouts, cells) -> str:
        """The table with one row per readout, ``cells(readout)`` (remembered per readout)."""
        return (
            self._start
            + "".join(
                scenarios._cached(self._rows, r, lambda r=r: _row(cells(r))) for r in readouts
            )
            + self._end
        )


class _Simulator:
    """What both simulators share: hold-and-update, the log-time switch, checking and applying
    the intensity and duration of ``set_values``, ``reset``, the readout columns, display."""

    intensity: ipw.FloatSlider
    duration: ipw.FloatSlider
    figure: go.FigureWidget
    readout: FigureNote
    _readout_rows: _ReadoutTable
    controls: ipw.VBox
    log_time: ipw.Checkbox
    _time_titles: ClassVar[tuple[str, str]]
    _figure_text: ClassVar[str]

    def _setup(self, fig: go.Figure, start: dict[str, Any], watched: tuple[Any, ...]) -> None:
        """Wrap the figure, keep the starting values, wire the callbacks, draw once."""
        self.figure = FigureWidget(fig)
        self.readout = FigureNote(self.figure, layout=ipw.Layout(width="auto"))
        self._parts = figures.figure_parts(self.figure)
        self._holding = False
        self._last: tuple[scenarios.Readout, ...] = ()
        self._drawn: scenarios.Curves | None = None  # None: the figure's own data
        self.log_time.observe(self._on_log_time, names="value")
        self._start = start
        for control in watched:
            control.observe(self._on_change, names="value")
        self._update()

    @contextmanager
    def _hold(self) -> Iterator[None]:
        """Set several controls with one update at the end."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False
        self._update()

    def _on_change(self, change: dict | None = None) -> None:
        if not self._holding:
            self._update()

    def _update(self) -> None:
        curves, self._last = self._compute()
        # Only the traces whose curves changed (a half-life slider moves one line), so the
        # message and plotly's bookkeeping stay small; the first update sends every trace.
        restyle, indexes = figures.curve_update(self._parts, curves, self._drawn)
        readout = self._readout_html(self._last)  # rows are remembered per readout
        # Everything is computed before anything is sent: each message wakes the kernel's IOPub
        # thread, which then competes with this callback for the interpreter. The readout table
        # goes out in the figure's own update message (one message per move; see FigureNote).
        self.figure.set_note_with_next_edit(readout)
        if indexes:
            with self.figure.batch_update():
                edits = {i: {"y": y} for i, y in zip(indexes, restyle["y"], strict=True)}
                update_figure(self.figure, edits, redraw=False)  # fixed axes: move the traces
        self.figure.send_staged_note()
        self._drawn = curves

    def _readout_html(self, readouts: tuple[scenarios.Readout, ...]) -> str:
        """The readout table for ``readouts``, one row each (``_readout_cells``)."""
        return self._readout_rows.readout_html(readouts, self._readout_cells)

    def _on_log_time(self, change: dict | None = None) -> None:
        log_time = bool(self.log_time.value)
        linear_title, log_title = self._time_titles
        axis = figures.time_axis(
            self._parts.t_min, log_time=log_time, x_title=linear_title, log_x_title=log_title
        )
        positions = figures.label_positions(self._parts, log_time=log_time)
        with self.figure.batch_update():
            self.figure.layout.xaxis.type = axis["type"]
            self.figure.layout.xaxis.range = axis["range"]
            self.figure.layout.xaxis.title.text = axis["title"]["text"]
            for index, position in positions.items():
                self.figure.data[index].textposition = position

    def _compute(self):
        scenario = self._scenario()
        return self.model.curves(**scenario), self.model.readouts(**scenario)

    def _check_activity(
        self, intensity: float | None, duration_min: float | None
    ) -> list[tuple[ipw.Widget, Any]]:
        """The checked (control, value) pairs for the intensity and duration sliders."""
        checked: list[tuple[ipw.Widget, Any]] = []
        if intensity is not None:
            checked.append((self.intensity, _check_range("intensity", intensity, self.intensity)))
        if duration_min is not None:
            checked.append(
                (self.duration, _check_range("duration_min", duration_min, self.duration))
            )
        return checked

    def _apply(self, checked: list[tuple[ipw.Widget, Any]], log_time: bool | None) -> pd.DataFrame:
        """Set checked controls (one update), then the log-time box; return the readout table."""
        with self._hold():
            for control, value in checked:
                control.value = value
        if log_time is not None:
            self.log_time.value = _check_bool("log_time", log_time)
        return self.readout_table()

    def reset(self) -> pd.DataFrame:
        """Put every control back to its starting value; return the rounded readouts."""
        return self.set_values(**self._start)

    def _back_within_columns(self) -> dict[str, list]:
        """The readout table's last two columns: time back within 10%, in minutes and in words."""
        return {
            "back_within_10pct_min": [round(r.back_within_min, 1) for r in self._last],
            "back_within_10pct": [
                figures.back_within_text(r.peak_fold, r.back_within_min) for r in self._last
            ],
        }

    def readouts(self) -> tuple[scenarios.Readout, ...]:
        """The unrounded readouts of the current settings (one per curve)."""
        return self._last

    def _vs_studies(self, r: scenarios.Readout) -> str:
        spec = self._specs.get(r.marker)
        return "" if spec is None else scenarios.vs_studies_text(spec, r)

    def _still_raised(self) -> dict[str, float]:
        return {m: s.still_raised_at_min for m, s in self._specs.items()}

    def try_settings(self, *settings: Mapping[str, Any]) -> str:
        """Readout tables for several settings, one after another, as printable text.

        Each mapping is passed to ``set_values``; the controls go back to their starting values
        after each (and at the end). An empty mapping prints the starting settings.
        """
        blocks = []
        for one in settings:
            table = self.set_values(**one)
            blocks.append(f"{self._settings_words(one)}\n{table.to_string(index=False)}")
            self.reset()
        return "\n\n".join(blocks)

    def _settings_words(self, settings: Mapping[str, Any]) -> str:
        words = {
            "intensity": lambda v: f"intensity {v:g}",
            "duration_min": lambda v: (
                f"{self.duration.description.split(' (')[0].lower()} {v:g} min"
            ),
            "log_time": lambda v: "log time axis" if v else "linear time axis",
            **self._setting_words,
        }
        if not settings:
            start = {k: v for k, v in self._start.items() if k in words and k != "log_time"}
            return "starting settings: " + ", ".join(
                words[k](v) for k, v in start.items() if k != "half_lives"
            )
        return "; ".join(words[k](v) for k, v in settings.items())

    def _ipython_display_(self) -> None:
        # Three separate outputs (voila-dashboards/voila#1533), each with a short plain-text
        # alternative instead of the FigureWidget's long repr.
        display(
            widget_bundle(self.controls, self._controls_text()),
            widget_bundle(self.figure, self._figure_text),
            widget_bundle(self.readout, "Readout table: see the printed readouts below."),
            raw=True,
        )

    def _controls_text(self) -> str:
        names = [c.description for c in self.controls.children if getattr(c, "description", "")]
        return "Controls: " + "; ".join(names)


class DropoffSimulator(_Simulator):
    """The hormone drop-off simulator of lesson 02; build it with :func:`dropoff_simulator`.

    Attributes
    ----------
    intensity, duration : ipywidgets.FloatSlider
        Intensity (0.5–2; 1 = the data's peak) and minutes of activity before orgasm (2–60).
    half_life : dict of str to ipywidgets.FloatSlider
        One slider per simulated marker, limited to the data's literature range.
    partnered : ipywidgets.ToggleButtons
        Prolactin after penile–vaginal intercourse (True) or masturbation (False).
    log_time : ipywidgets.Checkbox
        Log time axis (minutes after orgasm).
    figure : plotly.graph_objects.FigureWidget
        The one figure; updated in place.
    readout : widgets._ui.FigureNote
        Table: each marker's half-life, peak and time back within 10% of baseline; the markers
        that are not drawn, with what was measured (HTML in ``readout.value``; it travels in the
        figure's own messages).
    controls : ipywidgets.VBox
        The controls (not the figure).
    model : widgets.hormones.scenarios.DropoffModel
        The simulation behind the figure.
    """

    _time_titles: ClassVar[tuple[str, str]] = figures.DROPOFF_TIME_TITLES
    _figure_text: ClassVar[str] = (
        "Figure: body signals after orgasm, each as a multiple of its resting level "
        "(interactive; the printed description says what it shows)."
    )

    def __init__(
        self,
        table: pd.DataFrame,
        *,
        intensity: float,
        duration_min: float,
        partnered: bool,
        log_time: bool,
    ) -> None:
        self.model = scenarios.DropoffModel(table)
        self._specs = {s.marker: s for s in self.model.specs}
        self._not_drawn = scenarios.not_drawn(table)
        self._not_drawn_rows = [
            [nd.label, "—", "not drawn", "—", "—", nd.measured]
            for nd in self._not_drawn.itertuples(index=False)
        ]
        self._readout_rows = _ReadoutTable(
            "Time back within 10% of the resting level after orgasm, in the model",
            [
                "signal",
                "half-life",
                "peak (× resting)",
                "back within 10% (model)",
                "peak basis",
                "compared with the studies",
            ],
            self._not_drawn_rows,
        )
        simulated = [s for s in self.model.specs if s.status == "simulated"]
        self.intensity = _intensity_slider(intensity)
        self.duration = _slider("Activity before orgasm (min)", duration_min, 2.0, 60.0, 1.0, ".0f")
        self.half_life = {
            s.marker: _slider(
                f"{s.label} half-life (min)"
                if s.half_life_basis == "measured"
                else f"{s.label} half-time (min, illustrative)",
                s.t_half_min,
                s.t_half_low_min,
                s.t_half_high_min,
                round((s.t_half_high_min - s.t_half_low_min) / 50, 6),
                ".2f" if s.t_half_high_min < 1 else ".1f",
            )
            for s in simulated
        }
        ratio = max(s.partnered_increment_ratio for s in self.model.specs)
        self.partnered = _ToggleButtons(
            options=[("penile–vaginal intercourse", True), ("masturbation", False)],
            value=partnered,
            description="Prolactin after",
            tooltips=[
                f"increase {ratio:g} times the increase after masturbation (Brody & Krüger 2006, "
                "laboratory studies)",
                "increase of the model's illustrative size, as in the laboratory masturbation "
                "studies",
            ],
            style={"description_width": _DESCRIPTION_WIDTH, "button_width": "15em"},
        )
        self.log_time = _checkbox("Log time axis (minutes after orgasm)", log_time)
        self.controls = ipw.VBox(
            [
                self.intensity,
                self.duration,
                self.partnered,
                *self.half_life.values(),
                self.log_time,
            ]
        )
        scenario = self._scenario()
        y_max = max(self._extreme_level(end) for end in ("min", "max"))
        fig = figures.dropoff_figure(
            self.model.frame(**scenario),
            not_drawn=self._not_drawn,
            evidence=[s.figure_note for s in self.model.specs if s.figure_note],
            log_time=log_time,
            y_range=_y_range(y_max),
            title="After orgasm: how fast each signal settles",
        )
        # Every slider position's response, computed now (about 300 arrays of 600 points), so
        # that moving any slider only rescales arrays.
        self.model.precompute(
            durations_min=_positions(self.duration),
            half_lives={m: _positions(s) for m, s in self.half_life.items()},
            duration_min=duration_min,
        )
        self._setup(
            fig,
            start={
                "intensity": intensity,
                "duration_min": duration_min,
                "half_lives": {m: s.value for m, s in self.half_life.items()},
                "partnered": partnered,
                "log_time": log_time,
            },
            watched=(self.intensity, self.duration, self.partnered, *self.half_life.values()),
        )

    def _extreme_level(self, end: str) -> float:
        """Highest level the sliders can reach, for a y axis that stays still."""
        curves = self.model.curves(
            intensity=self.intensity.max,
            duration_min=self.duration.max,
            half_lives={m: getattr(s, end) for m, s in self.half_life.items()},
            partnered=True,
        )
        return max(float(max(c.level.max(), c.high.max())) for c in curves.values())

    def _scenario(self) -> dict[str, Any]:
        return {
            "intensity": float(self.intensity.value),
            "duration_min": float(self.duration.value),
            "half_lives": {m: float(s.value) for m, s in self.half_life.items()},
            "partnered": bool(self.partnered.value),
        }

    _setting_words: ClassVar[dict] = {
        "partnered": lambda v: (
            "prolactin after " + ("penile–vaginal intercourse" if v else "masturbation")
        ),
        "half_lives": lambda v: ", ".join(
            f"{m.replace('_', ' ')} half-life {x:g} min" for m, x in v.items()
        ),
    }

    def _readout_cells(self, r: scenarios.Readout) -> list[str]:
        spec = self.model.spec(r.marker)
        return [
            r.label,
            f"{r.t_half_min:.2f} min ({spec.half_life_basis})",
            f"{r.peak_fold:.2f}" + (" (flat)" if spec.status == "flat" else ""),
            figures.back_within_text(r.peak_fold, r.back_within_min),
            spec.peak_fold_basis,
            self._vs_studies(r),
        ]

    def set_values(
        self,
        *,
        intensity: float | None = None,
        duration_min: float | None = None,
        half_lives: Mapping[str, float] | None = None,
        partnered: bool | None = None,
        log_time: bool | None = None,
    ) -> pd.DataFrame:
        """Set controls as a reader would (one update), and return the rounded readouts.

        Parameters
        ----------
        intensity, duration_min : float, optional
            Within the sliders' ranges.
        half_lives : mapping of str to float, optional
            Per simulated marker, within its slider's (literature) range.
        partnered, log_time : bool, optional

        Returns
        -------
        pandas.DataFrame
            See :meth:`readout_table`.

        Raises
        ------
        ValueError
            If a value is outside its control's range or names an unknown marker.
        """
        checked = self._check_activity(intensity, duration_min)
        for marker, value in (half_lives or {}).items():
            if marker not in self.half_life:
                raise ValueError(
                    f"half_lives has an unknown marker {marker!r}; "
                    f"markers with a half-life slider: {', '.join(self.half_life)}"
                )
            slider = self.half_life[marker]
            checked.append((slider, _check_range(f"half_lives[{marker!r}]", value, slider)))
        if partnered is not None:
            checked.append((self.partnered, _check_bool("partnered", partnered)))
        return self._apply(checked, log_time)

    def readout_table(self) -> pd.DataFrame:
        """The current readouts, rounded for printing: one row per drawn marker.

        Columns: ``signal``, ``half_life_min`` (2 decimals), ``peak_x_resting`` (2 decimals),
        ``back_within_10pct_min`` (1 decimal) and ``back_within_10pct`` (in words; "never left" for
        a curve that never rose more than 10% above resting).
        """
        return pd.DataFrame(
            {
                "signal": [r.label for r in self._last],
                "half_life_min": [round(r.t_half_min, 2) for r in self._last],
                "peak_x_resting": [round(r.peak_fold, 2) for r in self._last],
                **self._back_within_columns(),
                "vs_studies": [self._vs_studies(r) for r in self._last],
            }
        )

    def description(self) -> str:
        """The figure's text description for the current settings."""
        scenario = self._scenario()
        return figures.describe_dropoff(
            self.model.frame(**scenario),
            self._last,
            not_drawn=self._not_drawn,
            log_time=bool(self.log_time.value),
            still_raised=self._still_raised(),
        )

    def where_model_leaves_data(self) -> str:
        """Walk every position of the intensity slider, the prolactin switch and the half-life
        slider of each marker with a measured "still raised" time (at the current activity
        length), and say in words where the model is back within 10% before that time."""
        lines = []
        for marker, spec in self._specs.items():
            if not math.isfinite(spec.still_raised_at_min) or marker not in self.half_life:
                continue
            settings = [
                (c, p, h)
                for c in _positions(self.intensity)
                for p in (True, False)
                for h in _positions(self.half_life[marker])
            ]
            left = [
                (c, p, h)
                for c, p, h in settings
                if scenarios.leaves_data(spec, self._readout_for(marker, c, p, h))
            ]
            at = f"{spec.still_raised_at_min:g} min"
            head = (
                f"{spec.label}: of {len(settings):,} settings (intensity × prolactin after × "
                f"{spec.label.lower()} half-life; activity {self.duration.value:g} min), the "
                f"model keeps it raised at {at}, as the studies found, in {len(settings) - len(left):,}"
            )
            if not left:
                lines.append(head + " (all of them).")
                continue
            kinds = sorted({p for _, p, _ in left}, reverse=True)
            after = " or ".join(
                "penile–vaginal intercourse" if p else "masturbation" for p in kinds
            )
            lines.append(
                head + f" and brings it back sooner in {len(left):,}: there the model leaves "
                f"the data. All of those are after {after}, at intensity "
                f"{min(c for c, _, _ in left):g}–{max(c for c, _, _ in left):g} and half-life "
                f"{min(h for *_, h in left):g}–{max(h for *_, h in left):g} min."
            )
        return "\n".join(textwrap.fill(line, width=96) for line in lines)

    def _readout_for(self, marker: str, intensity: float, partnered: bool, t_half: float):
        scenario = self._scenario()
        scenario.update(
            intensity=intensity,
            partnered=partnered,
            half_lives={**scenario["half_lives"], marker: t_half},
        )
        return next(r for r in self.model.readouts(**scenario) if r.marker == marker)


def dropoff_simulator(
    table: pd.DataFrame | None = None,
    *,
    intensity: float = scenarios.DEFAULT_INTENSITY,
    duration_min: float = scenarios.DEFAULT_DURATION_MIN,
    partnered: bool = True,
    log_time: bool = False,
) -> DropoffSimulator:
    """The hormone drop-off simulator of lesson 02.

    Prolactin, oxytocin and heart rate after orgasm, with cortisol as the flat control, on one
    time axis in × baseline. Sliders: intensity, minutes of activity before orgasm, and each
    simulated marker's half-life within its literature range (heart rate: an illustrative
    recovery half-time); a partnered/solo switch for prolactin; a log-time box. The grey band
    around each curve spans its half-life range. The readout gives the time each marker takes to
    come back within 10% of its resting level; dopamine and β-endorphin are listed as not drawn,
    with what was measured.

    Parameters
    ----------
    table : pandas.DataFrame, optional
        The ``hormones`` table; default ``widgets.data.load("hormones")``. Tests pass a copy.
    intensity, duration_min, partnered, log_time
        Starting values of the controls.

    Returns
    -------
    DropoffSimulator
        Display it (last expression of a cell) to show controls, figure and readout.

    Examples
    --------
    >>> sim = dropoff_simulator()
    >>> table = sim.set_values(partnered=False)
    >>> list(table.columns)
    ['signal', 'half_life_min', 'peak_x_resting', 'back_within_10pct_min', 'back_within_10pct',
     'vs_studies']
    >>> sim.figure.data[1].name
    'Prolactin'
    """
    table = data.load("hormones") if table is None else table
    return DropoffSimulator(
        table,
        intensity=intensity,
        duration_min=duration_min,
        partnered=partnered,
        log_time=log_time,
    )


class TimescalesExplorer(_Simulator):
    """The recovery-timescales explorer of lesson 03; build it with :func:`timescales_explorer`.

    Attributes
    ----------
    intensity, duration : ipywidgets.FloatSlider
        Intensity of the activity (0.5–2) and its length in minutes (10–120).
    abrupt_end : ipywidgets.Checkbox
        Whether the activity stops abruptly (checked) or winds down for its last minutes.
    log_time : ipywidgets.Checkbox
        Log time axis (minutes after the end of the activity).
    figure, readout, controls
        As for :class:`DropoffSimulator`.
    model : widgets.hormones.scenarios.TimescalesModel
        The simulation behind the figure.
    """

    _time_titles: ClassVar[tuple[str, str]] = figures.TIMESCALES_TIME_TITLES
    _figure_text: ClassVar[str] = (
        "Figure: how fast body signals settle after an activity ends, including an illustrative "
        "stress curve (interactive; the printed description says what it shows)."
    )

    def __init__(
        self,
        table: pd.DataFrame,
        *,
        intensity: float,
        duration_min: float,
        abrupt_end: bool,
        log_time: bool,
    ) -> None:
        self.model = scenarios.TimescalesModel(table)
        self._specs = {s.marker: s for s in self.model.specs}
        self._readout_rows = _ReadoutTable(
            "How long each system takes to settle after the end of the activity, in the model",
            [
                "system",
                "half-life",
                "peak (× resting)",
                "back within 10% (model)",
                "compared with the studies",
            ],
        )
        self.intensity = _intensity_slider(intensity)
        self.duration = _slider("Length of the activity (min)", duration_min, 10, 120, 5, ".0f")
        taper = self.model.stress.taper_min
        self.abrupt_end = _checkbox(
            f"Ends abruptly (unchecked: the last {taper:g} minutes wind down)", abrupt_end
        )
        self.log_time = _checkbox("Log time axis (minutes after the end)", log_time)
        self.controls = ipw.VBox([self.intensity, self.duration, self.abrupt_end, self.log_time])
        top = self.model.curves(
            intensity=self.intensity.max, duration_min=self.duration.max, abrupt_end=True
        )
        y_max = max(float(max(c.level.max(), c.high.max())) for c in top.values())
        fig = figures.timescales_figure(
            self.model.frame(**self._scenario()),
            evidence=[
                *(s.figure_note for s in self.model.specs if s.figure_note),
                scenarios.stress_figure_note(table),
            ],
            log_time=log_time,
            y_range=_y_range(y_max),
            title="Several clocks: how fast each system settles",
        )
        self.model.precompute(durations_min=_positions(self.duration))  # every slider position
        self._setup(
            fig,
            start={
                "intensity": intensity,
                "duration_min": duration_min,
                "abrupt_end": abrupt_end,
                "log_time": log_time,
            },
            watched=(self.intensity, self.duration, self.abrupt_end),
        )

    def _scenario(self) -> dict[str, Any]:
        return {
            "intensity": float(self.intensity.value),
            "duration_min": float(self.duration.value),
            "abrupt_end": bool(self.abrupt_end.value),
        }

    _setting_words: ClassVar[dict] = {
        "abrupt_end": lambda v: "ends abruptly" if v else "winds down at the end",
    }

    def _readout_cells(self, r: scenarios.Readout) -> list[str]:
        spec = self._specs.get(r.marker)
        basis = spec.half_life_basis if spec is not None else "measured, for cortisol"
        return [
            r.label,
            f"{figures.format_minutes(r.t_half_min)} ({basis})",
            f"{r.peak_fold:.2f}",
            figures.back_within_text(r.peak_fold, r.back_within_min),
            self._vs_studies(r),
        ]

    def set_values(
        self,
        *,
        intensity: float | None = None,
        duration_min: float | None = None,
        abrupt_end: bool | None = None,
        log_time: bool | None = None,
    ) -> pd.DataFrame:
        """Set controls as a reader would (one update), and return the rounded readouts.

        Raises
        ------
        ValueError
            If a value is outside its control's range.
        """
        checked = self._check_activity(intensity, duration_min)
        if abrupt_end is not None:
            checked.append((self.abrupt_end, _check_bool("abrupt_end", abrupt_end)))
        return self._apply(checked, log_time)

    def readout_table(self) -> pd.DataFrame:
        """The current readouts, rounded for printing: one row per curve.

        Columns: ``system``, ``peak_x_resting`` (2 decimals), ``peak_min`` (1 decimal),
        ``back_within_10pct_min`` (1 decimal) and ``back_within_10pct`` (in words; "never left" for
        a curve that never rose more than 10% above resting). Times are minutes after the end of
        the activity.
        """
        return pd.DataFrame(
            {
                "system": [r.label for r in self._last],
                "peak_x_resting": [round(r.peak_fold, 2) for r in self._last],
                "peak_min": [round(r.peak_min, 1) for r in self._last],
                **self._back_within_columns(),
                "vs_studies": [self._vs_studies(r) for r in self._last],
            }
        )

    def description(self) -> str:
        """The figure's text description for the current settings."""
        return figures.describe_timescales(
            self.model.frame(**self._scenario()),
            self._last,
            log_time=bool(self.log_time.value),
            still_raised=self._still_raised(),
        )


def timescales_explorer(
    table: pd.DataFrame | None = None,
    *,
    intensity: float = scenarios.DEFAULT_INTENSITY,
    duration_min: float = scenarios.DEFAULT_SCENE_MIN,
    abrupt_end: bool = True,
    log_time: bool = True,
) -> TimescalesExplorer:
    """The recovery-timescales explorer of lesson 03.

    Heart rate, oxytocin and prolactin (as in lesson 02, partnered) and an illustrative
    cortisol-like stress curve after an activity, on a log time axis by default. Sliders:
    intensity and length of the activity; a box for an abrupt end (unchecked: the activity winds
    down for its last minutes); a log-time box. The readout gives each system's time back within
    10% of its resting level.

    Parameters
    ----------
    table : pandas.DataFrame, optional
        The ``hormones`` table; default ``widgets.data.load("hormones")``.
    intensity, duration_min, abrupt_end, log_time
        Starting values of the controls.

    Returns
    -------
    TimescalesExplorer
        Display it (last expression of a cell) to show controls, figure and readout.

    Examples
    --------
    >>> explorer = timescales_explorer()
    >>> explorer.set_values(duration_min=90.0, intensity=2.0).system.tolist()[-1]
    'Stress curve (cortisol-like)'
    """
    table = data.load("hormones") if table is None else table
    return TimescalesExplorer(
        table,
        intensity=intensity,
        duration_min=duration_min,
        abrupt_end=abrupt_end,
        log_time=log_time,
    )
