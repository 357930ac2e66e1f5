"""The aftercare plan builder: labelled controls, a live plan preview, and a download link.

:func:`aftercare_builder` assembles ipywidgets controls around
:func:`widgets.aftercare.models.build_plan` and returns an :class:`AftercareBuilder`. Every change
re-builds the plan text, shows it in the preview and refreshes a download link. The link is a
``data:`` URI made from the text, so the browser saves the file on the reader's computer without
asking any server for it, and the kernel writes nothing to disk. Like every widget, the builder's
values live in the lesson's kernel (on the reader's computer, or on a shared server if the class
uses one) while it runs, and survive a page reload; *Start again* clears them, and shutting the
kernel down removes them (lesson 06 says so).

Displaying the builder shows three separate outputs (controls, preview, download link), as every
UI in the pack does (voila-dashboards/voila#1533). A notebook cell or a test can drive it with
:meth:`AftercareBuilder.choose` and read :attr:`AftercareBuilder.plan_text`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import ipywidgets as ipw
from IPython.display import display

from widgets.aftercare import models

__all__ = ["AftercareBuilder", "aftercare_builder"]

_LATER_LABELS = {
    "": "no need to decide now",
    "same-day": "later the same day",
    "next-day": "the next day",
    "when-i-ask": "when I bring it up",
}


def _heading(text: str) -> ipw.HTML:
    return ipw.HTML(f"<h4 style='margin: 0.8em 0 0.2em'>{html.escape(text)}</h4>")


def _checkboxes(options: dict[str, str]) -> dict[str, ipw.Checkbox]:
    return {
        key: ipw.Checkbox(
            value=False,
            description=text[0].upper() + text[1:],
            indent=False,
            layout=ipw.Layout(width="auto"),
        )
        for key, text in options.items()
    }


class AftercareBuilder:
    """The builder's controls and outputs; see :func:`aftercare_builder`.

    Attributes
    ----------
    comfort, from_partner : dict of str to ipywidgets.Checkbox
        One labelled checkbox per option of :data:`~widgets.aftercare.models.COMFORT` and
        :data:`~widgets.aftercare.models.FROM_PARTNER`, keyed by option id.
    words : ipywidgets.Text
        "Words I can use" (one line).
    talk_later : ipywidgets.Dropdown
        When to talk it over.
    notes : ipywidgets.Textarea
        Anything else.
    include_help : ipywidgets.Checkbox
        Whether the plan ends with where to find help.
    start_again : ipywidgets.Button
        Clears every choice (the widget's reset).
    controls, preview, download : ipywidgets widgets
        The three outputs shown when the builder is displayed.
    plan_text : str
        The current plan, as plain text (what the download link holds).
    """

    def __init__(self) -> None:
        self.comfort = _checkboxes(models.COMFORT)
        self.from_partner = _checkboxes(models.FROM_PARTNER)
        self.words = ipw.Text(
            value="",
            description="Words I can use",
            placeholder="for example: I'm fine, I just need a quiet minute.",
            style={"description_width": "initial"},
            layout=ipw.Layout(width="100%", max_width="40em"),
        )
        self.talk_later = ipw.Dropdown(
            options=[(label, key) for key, label in _LATER_LABELS.items()],
            value="",
            description="Talk it over",
            style={"description_width": "initial"},
        )
        self.notes = ipw.Textarea(
            value="",
            description="Notes",
            placeholder=f"Anything else, in your own words (up to {models.MAX_NOTES_CHARS} "
            "characters).",
            rows=3,
            style={"description_width": "initial"},
            layout=ipw.Layout(width="100%", max_width="40em"),
        )
        self.include_help = ipw.Checkbox(
            value=True,
            description="End the plan with where to find help",
            indent=False,
            layout=ipw.Layout(width="auto"),
        )
        self.start_again = ipw.Button(
            description="Start again",
            tooltip="Clear every choice and all text",
            icon="undo",
        )
        self.controls = ipw.VBox(
            [
                _heading("What helps me settle"),
                *self.comfort.values(),
                _heading("What I would like from my partner(s) (leave empty if none)"),
                *self.from_partner.values(),
                _heading("In my own words"),
                self.words,
                self.talk_later,
                self.notes,
                self.include_help,
                self.start_again,
            ]
        )
        self.preview = ipw.HTML()
        self.download = ipw.HTML()
        self.plan_text = ""

        for control in self._inputs():
            control.observe(self.update, names="value")
        self.start_again.on_click(lambda _button: self.reset())
        self.update()

    def _inputs(self) -> list[ipw.ValueWidget]:
        return [
            *self.comfort.values(),
            *self.from_partner.values(),
            self.words,
            self.talk_later,
            self.notes,
            self.include_help,
        ]

    def update(self, change: object = None) -> str:
        """Rebuild the plan from the controls; refresh the preview and the download link."""
        try:
            text = models.build_plan(
                comfort=[k for k, box in self.comfort.items() if box.value],
                from_partner=[k for k, box in self.from_partner.items() if box.value],
                words=self.words.value,
                talk_later=self.talk_later.value,
                notes=self.notes.value,
                include_help=self.include_help.value,
            )
        except ValueError as err:  # text too long: say so, keep the last good plan for download
            self.preview.value = (
                f"<p role='alert'><strong>Please shorten your text:</strong> "
                f"{html.escape(str(err))}.</p>"
            )
            return self.plan_text
        self.plan_text = text
        self.preview.value = (
            "<div aria-live='polite'><p><strong>Your plan</strong> (select the text and copy it, "
            "or use the download link below)</p>"
            "<pre style='white-space: pre-wrap; font-size: 1em; padding: 0.6em; "
            f"border: 1px solid #6E6E6E; max-width: 40em'>{html.escape(text)}</pre></div>"
        )
        self.download.value = (
            f'<a download="{models.DOWNLOAD_NAME}" href="{models.download_href(text)}">'
            f"Download the plan as a text file ({models.DOWNLOAD_NAME})</a>. "
            "Your browser makes the file from the text above; no server is asked for it."
        )
        return text

    def choose(
        self,
        *,
        comfort: Iterable[str] = (),
        from_partner: Iterable[str] = (),
        words: str = "",
        talk_later: str = "",
        notes: str = "",
        include_help: bool = True,
    ) -> str:
        """Set every control at once (as a reader would by clicking) and return the plan.

        Parameters are those of :func:`widgets.aftercare.models.build_plan`; options not listed
        are unticked. Unknown ids raise :class:`ValueError` before any control changes.
        """
        models.build_plan(
            comfort=comfort,
            from_partner=from_partner,
            talk_later=talk_later,
            include_help=include_help,
        )  # validates the ids first
        comfort, from_partner = set(comfort), set(from_partner)
        with self._held():
            for key, box in self.comfort.items():
                box.value = key in comfort
            for key, box in self.from_partner.items():
                box.value = key in from_partner
            self.words.value = words
            self.talk_later.value = talk_later
            self.notes.value = notes
            self.include_help.value = include_help
        return self.update()

    def reset(self) -> str:
        """Clear every choice and all text ("Start again"); return the empty plan."""
        return self.choose()

    @contextmanager
    def _held(self) -> Iterator[None]:
        """Stop observing the controls while several of them change at once."""
        inputs = self._inputs()
        for control in inputs:
            control.unobserve(self.update, names="value")
        try:
            yield
        finally:
            for control in inputs:
                control.observe(self.update, names="value")

    def _ipython_display_(self) -> None:
        display(self.controls, self.preview, self.download)


def aftercare_builder() -> AftercareBuilder:
    """Build the aftercare plan builder (lesson 06).

    Returns
    -------
    AftercareBuilder
        Displays as three outputs: labelled controls (checkboxes, a one-line text box, a dropdown,
        a notes box, a "Start again" button), a live preview of the plan, and a download link made
        in the browser from the plan's text.

    Examples
    --------
    >>> builder = aftercare_builder()
    >>> print(builder.choose(comfort=["water"], include_help=False))
    My aftercare plan
    <BLANKLINE>
    What helps me settle:
    - a glass of water
    <BLANKLINE>
    Made with the post-sex blues teaching pack.
    >>> builder.download.value.startswith('<a download="aftercare-plan.txt" href="data:text/plain')
    True
    """
    return AftercareBuilder()
