"""The one way to build an explorer: controls -> pure model -> figure update -> readout.

A UI factory builds labelled controls and one or more :class:`widgets.plot.Plot` figures, and
hands :class:`Explorer` three plain functions:

* ``compute(values) -> result``: the science (a call into a ``models`` module), from the control
  values by name;
* ``draw(result) -> {"data": [...], "layout": {...}}`` (or a list of those, one per plot, or
  None): what changes in the figure(s), as :meth:`widgets.plot.Plot.update` takes it;
* ``readout(result) -> Readout``: the rounded plain-text readout and its HTML.

The explorer runs them once when built and again on every change of a control. Sliders follow a
drag (``continuous_update=True``, set here for every slider): ipywidgets 8 keeps one change in
flight per widget and sends the newest value once the kernel has answered, so a fast drag
leaves no backlog of stale values, and each plot's front end redraws at most once per animation
frame. :meth:`Explorer.preview` computes the readout of a setting without touching the widget,
so notebook cells can print (and nbval can check) what the widget would show. Nothing is
created at import time.

Example
-------
>>> import ipywidgets as ipw
>>> import plotly.graph_objects as go
>>> from widgets.plot import Plot
>>> slope = ipw.FloatSlider(value=1.0, min=0, max=2, step=0.5, description="slope")
>>> plot = Plot(go.Figure(go.Scatter(x=[0, 1], y=[0, 1])), description="Figure: a line.")
>>> line = Explorer(
...     controls={"slope": slope},
...     compute=lambda v: v["slope"],
...     draw=lambda s: {"data": [{"y": [0, s]}]},
...     readout=lambda s: Readout.from_text(f"Slope {s:.1f}."),
...     plots=[plot],
... )
>>> line.preview(slope=2.0).text, line.text
('Slope 2.0.', 'Slope 1.0.')
>>> line.set(slope=5)
Traceback (most recent call last):
...
ValueError: slope must be a number from 0.0 to 2.0; got 5
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

import ipywidgets as ipw
from IPython.display import display

from widgets.plot import Plot, with_text

__all__ = ["SLIDERS", "Explorer", "Readout", "text_to_html"]

SLIDERS: tuple[type, ...] = (
    ipw.IntSlider,
    ipw.FloatSlider,
    ipw.FloatLogSlider,
    ipw.SelectionSlider,
    ipw.IntRangeSlider,
    ipw.FloatRangeSlider,
    ipw.SelectionRangeSlider,
)
"""Controls that an :class:`Explorer` makes follow a drag (``continuous_update=True``)."""

_LIVE = '<div role="status" aria-live="polite">{}</div>'


@dataclass(frozen=True)
class Readout:
    """What one update of an explorer shows under its figure(s).

    Attributes
    ----------
    text : str
        Plain-text readout with rounded numbers: printed by notebook cells and checked by nbval.
    html : str
        The same content for the readout widget (may add a table); escaped HTML. The explorer
        puts it inside a polite live region (``role="status"``).
    result : object
        The model result behind it, for tests and notebook cells; if None, the explorer fills
        in what ``compute`` returned.
    """

    text: str
    html: str
    result: Any = None

    @classmethod
    def from_text(cls, text: str) -> Readout:
        """A readout whose HTML is ``text``, one paragraph per line (:func:`text_to_html`)."""
        return cls(text, text_to_html(text))


def text_to_html(text: str) -> str:
    """One paragraph per non-empty line of ``text``, HTML-escaped.

    >>> text_to_html("a < b\\n\\nc")
    '<p>a &lt; b</p><p>c</p>'
    """
    return "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line)


def _choices(widget: ipw.ValueWidget) -> list[Any] | None:
    options = getattr(widget, "options", None)
    if options is None:
        return None
    return [o[1] if isinstance(o, tuple) else o for o in options]


def check(name: str, widget: ipw.ValueWidget, value: Any) -> None:
    """Raise ValueError, naming the control and what is valid, if ``value`` does not fit it."""
    valid = _choices(widget)
    if valid is not None:
        if value not in valid:
            raise ValueError(f"{name} must be one of {valid}; got {value!r}")
        return
    if isinstance(widget, ipw.Checkbox | ipw.ToggleButton):
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be True or False; got {value!r}")
        return
    lo, hi = getattr(widget, "min", None), getattr(widget, "max", None)
    if lo is not None and hi is not None:
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if not is_number or not lo <= value <= hi:
            raise ValueError(f"{name} must be a number from {lo} to {hi}; got {value!r}")


class Explorer:
    """Labelled controls, one or more :class:`~widgets.plot.Plot` figures and a readout.

    Parameters
    ----------
    controls : mapping of str to ipywidgets.ValueWidget
        The controls, by the name used in :meth:`set` and in ``compute``'s argument; shown in
        this order. Each control's ``description`` says what it sets, with units. Sliders get
        ``continuous_update=True``.
    compute : callable
        ``compute(values: dict) -> result``: the model, from the control values by name.
    draw : callable
        ``draw(result)`` -> a mapping ``{"data": ..., "layout": ...}`` for the single plot (the
        arguments of :meth:`widgets.plot.Plot.update`), a sequence of such mappings (or None)
        one per plot, or None (nothing to redraw).
    readout : callable
        ``readout(result) -> Readout``; a Readout without ``result`` gets ``compute``'s.
    plots : sequence of widgets.plot.Plot
        The figures, shown between the controls and the readout; never re-created.
    extras : sequence of ipywidgets.Widget, optional
        Shown under the controls: notes, or buttons that change a control's value themselves.

    Attributes
    ----------
    controls : mapping of str to ipywidgets.ValueWidget
    plots : tuple of widgets.plot.Plot
    panel : ipywidgets.VBox
        The controls and extras.
    readout : ipywidgets.HTML
        The readout widget (its HTML inside a ``role="status"`` live region).
    widget : ipywidgets.VBox
        Everything, in one layout: what displaying the explorer shows. The controls and the
        figures share a row that wraps: side by side where the page is wide enough (a laptop
        with the file browser closed, a projector), the controls directly above the figure where
        it is not, the readout below.
    """

    def __init__(
        self,
        *,
        controls: Mapping[str, ipw.ValueWidget],
        compute: Callable[[dict[str, Any]], Any],
        draw: Callable[[Any], Any],
        readout: Callable[[Any], Readout],
        plots: Sequence[Plot],
        extras: Sequence[ipw.Widget] = (),
    ) -> None:
        self.controls = MappingProxyType(dict(controls))
        self.plots = tuple(plots)
        self._compute, self._draw, self._readout = compute, draw, readout
        for control in self.controls.values():
            if isinstance(control, SLIDERS):
                control.continuous_update = True
        self.panel = ipw.VBox(
            [*self.controls.values(), *extras],
            layout=ipw.Layout(flex="0 1 auto", margin="0 16px 0 0"),
        )
        for plot in self.plots:
            plot.layout.flex = "1 1 520px"  # ipywidgets' own Layout (CSS) of the Plot widget
            plot.layout.min_width = "0"
        row = ipw.Box(
            [self.panel, *self.plots],
            layout=ipw.Layout(display="flex", flex_flow="row wrap", align_items="flex-start"),
        )
        self.readout = ipw.HTML(layout=ipw.Layout(max_width="900px"))
        self.widget = ipw.VBox([row, self.readout])
        self._holding = False
        self._last: Readout | None = None
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.refresh()
        self._start = self.values()

    # -- driving it ------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """The current control values, by control name."""
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values: Any) -> None:
        """Set several controls, then compute, redraw and update the readout once.

        Raises
        ------
        ValueError
            If a name is not a control (the message lists the controls), or a value is not valid
            for its control (the message gives the control's options or range). Nothing changes.
        """
        self._check(values)
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self.refresh()

    def preview(self, **values: Any) -> Readout:
        """The readout for these control values (the others as they are), without showing it.

        Notebook cells use this to print a widget's rounded readout for given settings (nbval
        checks the text). The model runs on the given values, but the controls, the figures and
        the readout are not touched: the student's widget does not jump, and no value is sent
        to the browser only to be taken back. (A slider that follows drags also reports values
        the kernel gives it, so a value set and at once restored could come back late and stay.)

        Raises
        ------
        ValueError
            As :meth:`set`.
        """
        self._check(values)
        return self._show(self._compute({**self.values(), **values}))

    def _check(self, values: Mapping[str, Any]) -> None:
        unknown = [name for name in values if name not in self.controls]
        if unknown:
            raise ValueError(
                f"unknown control(s) {unknown}; the controls are {list(self.controls)}"
            )
        for name, value in values.items():  # check everything before changing anything
            check(name, self.controls[name], value)

    def _show(self, result: Any) -> Readout:
        shown = self._readout(result)
        return shown if shown.result is not None else replace(shown, result=result)

    def reset(self) -> None:
        """Put every control back to the value it had when the explorer was built."""
        self.set(**self._start)

    def refresh(self) -> None:
        """Compute from the current control values; redraw the figures and the readout."""
        result = self._compute(self.values())
        drawn = self._draw(result)
        if isinstance(drawn, Mapping):
            drawn = [drawn]
        for plot, update in zip(self.plots, drawn or (), strict=False):
            if update is not None:
                plot.update(**update)
        shown = self._show(result)
        self._last = shown
        self.readout.value = _LIVE.format(shown.html)

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
        """The model result behind the current figures and readout."""
        return self._last.result if self._last else None

    @property
    def plot(self) -> Plot:
        """The first (often the only) plot."""
        return self.plots[0]

    def description(self) -> str:
        """The plain-text alternative of the whole explorer (what nbval and text-only views get):
        the controls, each plot's description, and what the readout is."""
        names = "; ".join(c.description for c in self.controls.values())
        return "\n".join(
            [
                f"Controls: {names}.",
                *(p.description for p in self.plots),
                "Readout: the figure's description, updated with each change.",
            ]
        )

    def _ipython_display_(self) -> None:
        # IPython's display protocol: one widget view (controls, plots, readout in one layout),
        # with the short plain-text alternative.
        bundle = with_text(self.widget._repr_mimebundle_(), self.description())
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        display(data, metadata=metadata, raw=True)
