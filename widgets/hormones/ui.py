"""The hormone simulators of lessons 02 and 03: labelled controls, one live figure, a readout table.

:func:`dropoff_simulator` (lesson 02) and :func:`timescales_explorer` (lesson 03) build their
controls and one :class:`widgets.plot.Plot` from a figure builder of
:mod:`widgets.hormones.figures`, and hand :class:`widgets.explorer.Explorer` three functions:
the model (:mod:`widgets.hormones.scenarios`: every curve and readout of a setting, computed
afresh), the figure update (:func:`widgets.hormones.figures.curve_update` and
:func:`~widgets.hormones.figures.time_update`) and the readout table (HTML, in the explorer's
live region). There is no physiology here.

Sliders follow a drag. The y axis is fixed (it fits every setting of the controls), so a move
redraws the curves without rescaling the axes; only the log-time box changes the time axis.

Each simulator has ``set_values(...)``, which sets controls as a reader would and returns the
rounded readouts as a table, and ``try_settings(...)``, which prints the readouts of several
settings without moving the widget, so that a notebook cell (checked by nbval) and the tests
can drive it.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import ipywidgets as ipw
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from IPython.display import display

from widgets import data
from widgets.explorer import Explorer, Readout
from widgets.hormones import figures, scenarios
from widgets.plot import Plot, with_text

__all__ = ["DropoffSimulator", "TimescalesExplorer", "dropoff_simulator", "timescales_explorer"]

_DESCRIPTION_WIDTH = "21em"
_CONTROL_WIDTH = "40em"
_INTENSITY = (0.5, 2.0, 0.1)  # min, max, step: heart-rate rise +30% to +120% (measured: +25-120%)


def _slider(description: str, value: float, low: float, high: float, step: float, fmt: str):
    return ipw.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        readout_format=fmt,
        style={"description_width": _DESCRIPTION_WIDTH},
        layout=ipw.Layout(width=_CONTROL_WIDTH),
    )


def _intensity_slider(value: float) -> ipw.FloatSlider:
    low, high, step = _INTENSITY
    return _slider("Intensity (1 = default, illustrative)", value, low, high, step, ".1f")


def _y_range(y_max: float) -> tuple[float, float]:
    """A fixed y range from just under resting to a little above ``y_max``."""
    return (0.9, round(1 + 1.12 * (y_max - 1), 1))


def _top(scenario: scenarios.Scenario) -> float:
    """The highest level of any curve or band of a scenario."""
    return max(float(max(c.level.max(), c.high.max())) for c in scenario.curves.values())


def _positions(slider: ipw.FloatSlider) -> list[float]:
    """Every value a slider can take (its steps from min to max)."""
    n = round((slider.max - slider.min) / slider.step)
    return [round(slider.min + i * slider.step, 6) for i in range(n + 1)]


def _checkbox(description: str, value: bool) -> ipw.Checkbox:
    return ipw.Checkbox(
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


def _table(caption: str, head: list[str], rows: list[list[str]]) -> Readout:
    """The readout: an HTML table (the last column holds sentences and may wrap), and the same
    rows as plain text."""
    table = (
        f"{_TABLE_STYLE}<table class='{_TABLE_CLASS}'><caption>{html.escape(caption)}</caption>"
        f"<thead>{_row(head, 'th')}</thead><tbody>{''.join(_row(r) for r in rows)}</tbody></table>"
    )
    text = "\n".join([caption, *(" | ".join(cells) for cells in [head, *rows])])
    return Readout(text, table)


@dataclass(frozen=True)
class _Shown:
    """What the explorer shows for one setting: the model's scenario and the time axis."""

    scenario: scenarios.Scenario
    log_time: bool


class _Simulator:
    """What both simulators share: the explorer, the figure update, checking and applying the
    intensity and duration of ``set_values``, ``reset``, ``try_settings``, display."""

    intensity: ipw.FloatSlider
    duration: ipw.FloatSlider
    log_time: ipw.Checkbox
    specs: tuple[scenarios.MarkerSpec, ...]
    _time_titles: ClassVar[tuple[str, str]]
    _figure_text: ClassVar[str]
    _caption: ClassVar[str]
    _head: ClassVar[list[str]]
    _setting_words: ClassVar[dict]

    def _setup(self, fig: go.Figure, controls: dict[str, ipw.ValueWidget], start: dict) -> None:
        """Build the explorer around the figure; keep the starting values of ``set_values``."""
        spec = fig.to_plotly_json()
        for trace in spec["data"]:  # numeric arrays travel as typed arrays, not lists of numbers
            for axis in ("x", "y"):
                trace[axis] = np.array(trace[axis], dtype=np.float64)  # None: NaN, a gap
        self.plot = Plot(go.Figure(spec), description=self._figure_text)
        self._parts = figures.figure_parts(fig)
        self._start = start
        self.explorer = Explorer(
            controls=controls,
            compute=self._compute,
            draw=self._draw,
            readout=self._readout,
            plots=[self.plot],
        )
        self.controls = self.explorer.panel
        self.readout = self.explorer.readout

    def _compute(self, values: dict[str, Any]) -> _Shown:
        return _Shown(self._scenario(values), bool(values["log_time"]))

    def _draw(self, shown: _Shown) -> dict:
        data = figures.curve_update(self._parts, shown.scenario.curves)
        linear_title, log_title = self._time_titles
        layout, labels = figures.time_update(
            self._parts, log_time=shown.log_time, x_title=linear_title, log_x_title=log_title
        )
        for index, props in labels.items():
            data[index] = {**(data[index] or {}), **props}
        return {"data": data, "layout": layout}

    def _readout(self, shown: _Shown) -> Readout:
        rows = [self._readout_cells(r) for r in shown.scenario.readouts]
        return _table(self._caption, self._head, rows + self._fixed_rows())

    def _fixed_rows(self) -> list[list[str]]:
        return []

    @property
    def figure(self) -> go.Figure:
        """What the figure shows now, as a new ``go.Figure`` (for tests and print)."""
        return self.plot.figure

    def _shown(self) -> _Shown:
        return self.explorer.result

    def _check_activity(self, intensity: float | None, duration_min: float | None) -> dict:
        """The checked control values for the intensity and duration sliders."""
        checked: dict[str, Any] = {}
        if intensity is not None:
            checked["intensity"] = _check_range("intensity", intensity, self.intensity)
        if duration_min is not None:
            checked["duration_min"] = _check_range("duration_min", duration_min, self.duration)
        return checked

    def _check_log_time(self, checked: dict, log_time: bool | None) -> dict:
        if log_time is not None:
            checked["log_time"] = _check_bool("log_time", log_time)
        return checked

    def _apply(self, checked: dict) -> pd.DataFrame:
        """Set checked controls (one update); return the readout table."""
        self.explorer.set(**checked)
        return self.readout_table()

    def reset(self) -> pd.DataFrame:
        """Put every control back to its starting value; return the rounded readouts."""
        return self.set_values(**self._start)

    def readouts(self) -> tuple[scenarios.Readout, ...]:
        """The unrounded readouts of the current settings (one per curve)."""
        return self._shown().scenario.readouts

    def readout_table(self) -> pd.DataFrame:
        """The current readouts, rounded for printing (see the subclass)."""
        return self._table(self._shown().scenario.readouts)

    def _back_within_columns(self, readouts) -> dict[str, list]:
        """The readout table's last two columns: time back within 10%, in minutes and in words."""
        return {
            "back_within_10pct_min": [round(r.back_within_min, 1) for r in readouts],
            "back_within_10pct": [
                figures.back_within_text(r.peak_fold, r.back_within_min) for r in readouts
            ],
        }

    def _vs_studies(self, r: scenarios.Readout) -> str:
        spec = self._specs.get(r.marker)
        return "" if spec is None else scenarios.vs_studies_text(spec, r)

    def _still_raised(self) -> dict[str, float]:
        return {m: s.still_raised_at_min for m, s in self._specs.items()}

    def try_settings(self, *settings: Mapping[str, Any]) -> str:
        """Readout tables for several settings, one after another, as printable text.

        Each mapping takes the arguments of ``set_values``, applied to the starting values (an
        empty mapping prints the starting settings). The widget itself is not moved: the model is
        run on those values and its readouts are printed.
        """
        blocks = []
        for one in settings:
            values = {**self._control_values(self._start), **self._control_values(one)}
            shown = self.explorer.preview(**values).result
            table = self._table(shown.scenario.readouts)
            blocks.append(f"{self._settings_words(one)}\n{table.to_string(index=False)}")
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

    def _controls_text(self) -> str:
        names = [c.description for c in self.controls.children if getattr(c, "description", "")]
        return "Controls: " + "; ".join(names)

    def _ipython_display_(self) -> None:
        # IPython's display protocol: the explorer's one widget view (controls, figure, readout
        # table), with a short plain-text alternative for nbval and text-only front ends.
        text = "\n".join(
            [
                self._controls_text(),
                self._figure_text,
                "Readout table: see the printed readouts below.",
            ]
        )
        bundle = with_text(self.explorer.widget._repr_mimebundle_(), text)
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        display(data, metadata=metadata, raw=True)


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
    explorer : widgets.explorer.Explorer
        Controls, figure and readout; ``explorer.result.scenario`` is the model's output.
    plot : widgets.plot.Plot
        The one figure; updated in place (``figure``: what it shows, as a ``go.Figure``).
    readout : ipywidgets.HTML
        Table: each marker's half-life, peak and time back within 10% of baseline; the markers
        that are not drawn, with what was measured.
    controls : ipywidgets.VBox
        The controls (not the figure).
    specs : tuple of widgets.hormones.scenarios.MarkerSpec
        The drawn markers of the table.
    """

    _time_titles: ClassVar[tuple[str, str]] = figures.DROPOFF_TIME_TITLES
    _figure_text: ClassVar[str] = (
        "Figure: body signals after orgasm, each as a multiple of its resting level "
        "(interactive; the printed description says what it shows)."
    )
    _caption: ClassVar[str] = "Time back within 10% of the resting level after orgasm, in the model"
    _head: ClassVar[list[str]] = [
        "signal",
        "half-life",
        "peak (× resting)",
        "back within 10% (model)",
        "peak basis",
        "compared with the studies",
    ]

    def __init__(
        self,
        table: pd.DataFrame,
        *,
        intensity: float,
        duration_min: float,
        partnered: bool,
        log_time: bool,
    ) -> None:
        self.specs = scenarios.marker_specs(table)
        self._specs = {s.marker: s for s in self.specs}
        self._t_min = scenarios.dropoff_grid(self.specs)
        self._not_drawn = scenarios.not_drawn(table)
        self._not_drawn_rows = [
            [nd.label, "—", "not drawn", "—", "—", nd.measured]
            for nd in self._not_drawn.itertuples(index=False)
        ]
        simulated = [s for s in self.specs if s.status == "simulated"]
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
        ratio = max(s.partnered_increment_ratio for s in self.specs)
        self.partnered = ipw.ToggleButtons(
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
        controls = {
            "intensity": self.intensity,
            "duration_min": self.duration,
            "partnered": self.partnered,
            **{self._half_life_name(m): s for m, s in self.half_life.items()},
            "log_time": self.log_time,
        }
        values = {name: control.value for name, control in controls.items()}
        # The highest level the sliders can reach, for a y axis that stays still.
        top = {
            "intensity": self.intensity.max,
            "duration_min": self.duration.max,
            "partnered": True,
        }
        y_max = max(
            _top(
                self._scenario(
                    {
                        **values,
                        **top,
                        **{
                            self._half_life_name(m): getattr(s, end)
                            for m, s in self.half_life.items()
                        },
                    }
                )
            )
            for end in ("min", "max")
        )
        fig = figures.dropoff_figure(
            self._scenario(values).frame(),
            not_drawn=self._not_drawn,
            evidence=[s.figure_note for s in self.specs if s.figure_note],
            log_time=log_time,
            y_range=_y_range(y_max),
            title="After orgasm: how fast each signal settles",
        )
        start = {
            "intensity": intensity,
            "duration_min": duration_min,
            "half_lives": {m: s.value for m, s in self.half_life.items()},
            "partnered": partnered,
            "log_time": log_time,
        }
        self._setup(fig, controls, start)

    @staticmethod
    def _half_life_name(marker: str) -> str:
        return f"{marker}_half_life"

    def _control_values(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        """``set_values`` arguments as the explorer's control values."""
        out = {k: v for k, v in settings.items() if k != "half_lives"}
        for marker, value in (settings.get("half_lives") or {}).items():
            out[self._half_life_name(marker)] = value
        return out

    def _scenario(self, values: Mapping[str, Any]) -> scenarios.Scenario:
        return scenarios.dropoff_scenario(
            self.specs,
            t_min=self._t_min,
            intensity=float(values["intensity"]),
            duration_min=float(values["duration_min"]),
            half_lives={m: float(values[self._half_life_name(m)]) for m in self.half_life},
            partnered=bool(values["partnered"]),
        )

    _setting_words: ClassVar[dict] = {
        "partnered": lambda v: (
            "prolactin after " + ("penile–vaginal intercourse" if v else "masturbation")
        ),
        "half_lives": lambda v: ", ".join(
            f"{m.replace('_', ' ')} half-life {x:g} min" for m, x in v.items()
        ),
    }

    def _readout_cells(self, r: scenarios.Readout) -> list[str]:
        spec = self._specs[r.marker]
        return [
            r.label,
            f"{r.t_half_min:.2f} min ({spec.half_life_basis})",
            f"{r.peak_fold:.2f}" + (" (flat)" if spec.status == "flat" else ""),
            figures.back_within_text(r.peak_fold, r.back_within_min),
            spec.peak_fold_basis,
            self._vs_studies(r),
        ]

    def _fixed_rows(self) -> list[list[str]]:
        return self._not_drawn_rows

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
            checked[self._half_life_name(marker)] = _check_range(
                f"half_lives[{marker!r}]", value, slider
            )
        if partnered is not None:
            checked["partnered"] = _check_bool("partnered", partnered)
        return self._apply(self._check_log_time(checked, log_time))

    def _table(self, readouts) -> pd.DataFrame:
        """Rounded readouts: one row per drawn marker (see :meth:`readout_table`)."""
        return pd.DataFrame(
            {
                "signal": [r.label for r in readouts],
                "half_life_min": [round(r.t_half_min, 2) for r in readouts],
                "peak_x_resting": [round(r.peak_fold, 2) for r in readouts],
                **self._back_within_columns(readouts),
                "vs_studies": [self._vs_studies(r) for r in readouts],
            }
        )

    def readout_table(self) -> pd.DataFrame:
        """The current readouts, rounded for printing: one row per drawn marker.

        Columns: ``signal``, ``half_life_min`` (2 decimals), ``peak_x_resting`` (2 decimals),
        ``back_within_10pct_min`` (1 decimal), ``back_within_10pct`` (in words; "never left" for
        a curve that never rose more than 10% above resting) and ``vs_studies``.
        """
        return super().readout_table()

    def description(self) -> str:
        """The figure's text description for the current settings."""
        shown = self._shown()
        return figures.describe_dropoff(
            shown.scenario.frame(),
            shown.scenario.readouts,
            not_drawn=self._not_drawn,
            log_time=shown.log_time,
            still_raised=self._still_raised(),
        )

    def where_model_leaves_data(self) -> str:
        """Walk every position of the intensity slider, the prolactin switch and the half-life
        slider of each marker with a measured "still raised" time (at the current activity
        length), and say in words where the model is back within 10% before that time."""
        lines = []
        chosen = {m: float(s.value) for m, s in self.half_life.items()}
        for marker, spec in self._specs.items():
            if not math.isfinite(spec.still_raised_at_min) or marker not in self.half_life:
                continue
            settings = [
                (c, p, h)
                for c in _positions(self.intensity)
                for p in (True, False)
                for h in _positions(self.half_life[marker])
            ]
            left = []
            for c, p, h in settings:
                readouts = scenarios.dropoff_scenario(
                    self.specs,
                    t_min=[0.0],
                    intensity=c,
                    duration_min=float(self.duration.value),
                    half_lives={**chosen, marker: h},
                    partnered=p,
                ).readouts
                readout = next(r for r in readouts if r.marker == marker)
                if scenarios.leaves_data(spec, readout):
                    left.append((c, p, h))
            at, kept = f"{spec.still_raised_at_min:g} min", len(settings) - len(left)
            head = (
                f"{spec.label}: of {len(settings):,} settings (intensity × prolactin after × "
                f"{spec.label.lower()} half-life; activity {self.duration.value:g} min), the "
                f"model keeps it raised at {at}, as the studies found, in {kept:,}"
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
    explorer, plot, figure, readout, controls
        As for :class:`DropoffSimulator`.
    specs : tuple of widgets.hormones.scenarios.MarkerSpec
        The drawn markers but the flat one (cortisol), whose place the stress curve takes.
    stress : widgets.hormones.scenarios.StressParams
        The illustrative stress curve.
    """

    _time_titles: ClassVar[tuple[str, str]] = figures.TIMESCALES_TIME_TITLES
    _figure_text: ClassVar[str] = (
        "Figure: how fast body signals settle after an activity ends, including an illustrative "
        "stress curve (interactive; the printed description says what it shows)."
    )
    _caption: ClassVar[str] = (
        "How long each system takes to settle after the end of the activity, in the model"
    )
    _head: ClassVar[list[str]] = [
        "system",
        "half-life",
        "peak (× resting)",
        "back within 10% (model)",
        "compared with the studies",
    ]

    def __init__(
        self,
        table: pd.DataFrame,
        *,
        intensity: float,
        duration_min: float,
        abrupt_end: bool,
        log_time: bool,
    ) -> None:
        self.stress = scenarios.stress_params(table)
        self.specs = tuple(s for s in scenarios.marker_specs(table) if s.status != "flat")
        self._specs = {s.marker: s for s in self.specs}
        self._t_min = scenarios.timescales_grid(self.specs, self.stress)
        self.intensity = _intensity_slider(intensity)
        self.duration = _slider("Length of the activity (min)", duration_min, 10, 120, 5, ".0f")
        self.abrupt_end = _checkbox(
            f"Ends abruptly (unchecked: the last {self.stress.taper_min:g} minutes wind down)",
            abrupt_end,
        )
        self.log_time = _checkbox("Log time axis (minutes after the end)", log_time)
        controls = {
            "intensity": self.intensity,
            "duration_min": self.duration,
            "abrupt_end": self.abrupt_end,
            "log_time": self.log_time,
        }
        values = {name: control.value for name, control in controls.items()}
        top = {"intensity": self.intensity.max, "duration_min": self.duration.max}
        y_max = _top(self._scenario({**values, **top, "abrupt_end": True}))
        fig = figures.timescales_figure(
            self._scenario(values).frame(),
            evidence=[
                *(s.figure_note for s in self.specs if s.figure_note),
                scenarios.stress_figure_note(table),
            ],
            log_time=log_time,
            y_range=_y_range(y_max),
            title="Several clocks: how fast each system settles",
        )
        start = {
            "intensity": intensity,
            "duration_min": duration_min,
            "abrupt_end": abrupt_end,
            "log_time": log_time,
        }
        self._setup(fig, controls, start)

    @staticmethod
    def _control_values(settings: Mapping[str, Any]) -> dict[str, Any]:
        return dict(settings)

    def _scenario(self, values: Mapping[str, Any]) -> scenarios.Scenario:
        return scenarios.timescales_scenario(
            self.specs,
            self.stress,
            t_min=self._t_min,
            intensity=float(values["intensity"]),
            duration_min=float(values["duration_min"]),
            abrupt_end=bool(values["abrupt_end"]),
        )

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
            checked["abrupt_end"] = _check_bool("abrupt_end", abrupt_end)
        return self._apply(self._check_log_time(checked, log_time))

    def _table(self, readouts) -> pd.DataFrame:
        """Rounded readouts: one row per curve (see :meth:`readout_table`)."""
        return pd.DataFrame(
            {
                "system": [r.label for r in readouts],
                "peak_x_resting": [round(r.peak_fold, 2) for r in readouts],
                "peak_min": [round(r.peak_min, 1) for r in readouts],
                **self._back_within_columns(readouts),
                "vs_studies": [self._vs_studies(r) for r in readouts],
            }
        )

    def readout_table(self) -> pd.DataFrame:
        """The current readouts, rounded for printing: one row per curve.

        Columns: ``system``, ``peak_x_resting`` (2 decimals), ``peak_min`` (1 decimal),
        ``back_within_10pct_min`` (1 decimal), ``back_within_10pct`` (in words; "never left" for
        a curve that never rose more than 10% above resting) and ``vs_studies``. Times are
        minutes after the end of the activity.
        """
        return super().readout_table()

    def description(self) -> str:
        """The figure's text description for the current settings."""
        shown = self._shown()
        return figures.describe_timescales(
            shown.scenario.frame(),
            shown.scenario.readouts,
            log_time=shown.log_time,
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
