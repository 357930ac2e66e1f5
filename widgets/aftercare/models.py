"""The aftercare plan: choices and free text in, a short plain-text plan out (pure Python).

An *aftercare plan* is a short note, agreed beforehand or kept for yourself, of what helps after sex
that was intense or that left you low: water, warmth, closeness or space, what you would like a
partner to do, words you can use, and when to talk it over. Lesson 06 explains why it is offered
as a reasonable, low-cost idea rather than a tested treatment: aftercare has qualitative support
only (one interview study), and no trial of any intervention for postcoital dysphoria was found.

Nothing here stores or sends anything. :func:`build_plan` returns text; :func:`download_href`
encodes that text as a ``data:`` URI, so that a browser can save it as a file on the reader's own
computer without asking any server for it.

Options are fixed, ordered mappings from an id to the words that appear in the plan. Choices are
given as ids; the plan lists them in the option order, whatever order they were ticked in. Invalid
input raises :class:`ValueError` naming the parameter, the value and what is valid.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable, Mapping

__all__ = [
    "COMFORT",
    "CRISIS_TEXT",
    "DOWNLOAD_NAME",
    "FROM_PARTNER",
    "HELP_TEXT",
    "MAX_NOTES_CHARS",
    "MAX_WORDS_CHARS",
    "PLAN_CRISIS_TEXT",
    "TALK_LATER",
    "build_plan",
    "clean_text",
    "download_href",
]

COMFORT: dict[str, str] = {
    "water": "a glass of water",
    "warmth": "a blanket or something warm to wear",
    "snack": "a snack",
    "held": "being held or cuddled",
    "company": "someone nearby, without needing to talk",
    "space": "a few minutes on my own",
    "breathing": "slow breathing, with long out-breaths",
    "grounding": "grounding: naming things I can see, touch and hear",
    "wash": "a shower or a wash",
    "rest": "lying still, lights low",
}
"""What helps me settle: option id -> the words in the plan."""

FROM_PARTNER: dict[str, str] = {
    "stay-calm": "stay calm and stay with me",
    "ask": "ask what I need instead of guessing",
    "okay-to-feel": "tell me it is okay to feel this way",
    "listen": "listen without trying to fix it",
    "give-space": "give me space if I ask for it, and come back in a few minutes",
    "check-in-later": "check in with me later, or the next day",
    "stop-if-unsafe": "stop and take it seriously if I say something felt wrong",
}
"""What I would like from a partner (or partners): option id -> the words in the plan."""

TALK_LATER: dict[str, str] = {
    "": "",
    "same-day": "later the same day, once I feel settled",
    "next-day": "the next day",
    "when-i-ask": "when I bring it up",
}
"""When to talk it over: option id -> the words in the plan ("" leaves the line out)."""

MAX_WORDS_CHARS = 120
"""Longest accepted "words I can use" text, in characters."""

MAX_NOTES_CHARS = 400
"""Longest accepted free-text note, in characters."""

DOWNLOAD_NAME = "aftercare-plan.txt"
"""The file name a browser suggests when the plan is downloaded."""

CRISIS_TEXT = (
    "In a crisis, or if you are thinking of harming yourself, get help now: call your local "
    "emergency number or a crisis line where you live, or go to the nearest emergency department."
)
"""The urgent-help line, word for word in every lesson's content note and lesson 06's help
section. No phone numbers and no country-specific services: they differ by country, and a
facilitator's local help sheet adds them."""

PLAN_CRISIS_TEXT = (
    "In a crisis, or if I am thinking of harming myself, I will get help straight away: my local "
    "emergency number or a crisis line where I live, or the nearest emergency department."
)
"""The same routes in the plan's own voice ("I"), at the end of every plan with the help text."""

HELP_TEXT = (
    "If this happens often, or comes with regret, worthlessness, shame or fear of a partner, "
    "I will talk to someone: a local sexual-health service, a GP or doctor, an AASECT-certified "
    "sex therapist (USA) or my country's equivalent register. If I am in danger, I will contact "
    "emergency services.\n" + PLAN_CRISIS_TEXT
)
"""The help lines added at the end of a plan (no phone numbers: they differ by country)."""

_TITLE = "My aftercare plan"
_EMPTY = "(Nothing chosen yet: tick what helps you, or write your own words.)"
_FOOTER = "Made with the post-sex blues teaching pack."
# Control characters other than tab and newline; they have no place in a plan.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _chosen(name: str, value: Iterable[str], options: Mapping[str, str]) -> list[str]:
    """Check ids against ``options`` and return them in option order, once each."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError(
            f"{name} must be a list of option ids (for example [{next(iter(options))!r}]); "
            f"got {_show(value)}"
        )
    ids = list(value)
    unknown = [v for v in ids if v not in options]
    if unknown:
        raise ValueError(
            f"{name}: unknown option(s) {', '.join(_show(u) for u in unknown)}; "
            f"valid: {', '.join(options)}"
        )
    return [key for key in options if key in ids]


def clean_text(name: str, value: object, *, max_chars: int, multiline: bool = False) -> str:
    """Free text made safe for a plan: stripped, control characters removed, length checked.

    Parameters
    ----------
    name : str
        The parameter's name, for the error message.
    value : str
        The text as typed.
    max_chars : int
        Longest accepted text, in characters, after stripping.
    multiline : bool, default False
        Keep line breaks (notes) or fold them into spaces (one-line fields).

    Examples
    --------
    >>> clean_text("words", "  I'm okay,\\n just give me a minute ", max_chars=120)
    "I'm okay, just give me a minute"
    >>> clean_text("words", "x" * 121, max_chars=120)
    Traceback (most recent call last):
    ...
    ValueError: words is too long: 121 characters; at most 120
    """
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text (a str); got {_show(value)}")
    text = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if multiline:
        lines = [" ".join(line.split()) for line in text.split("\n")]
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    else:
        text = " ".join(text.split())
    if len(text) > max_chars:
        raise ValueError(f"{name} is too long: {len(text)} characters; at most {max_chars}")
    return text


def build_plan(
    *,
    comfort: Iterable[str] = (),
    from_partner: Iterable[str] = (),
    words: str = "",
    talk_later: str = "",
    notes: str = "",
    include_help: bool = True,
) -> str:
    """Turn choices and free text into a short plan, as plain text.

    Parameters
    ----------
    comfort : list of str
        Ids from :data:`COMFORT`: what helps me settle.
    from_partner : list of str
        Ids from :data:`FROM_PARTNER`: what I would like from a partner. Leave empty for a plan
        for yourself (for example after solo sex).
    words : str
        Words I can use to say how I am (one line, at most :data:`MAX_WORDS_CHARS` characters).
    talk_later : str
        An id from :data:`TALK_LATER`: when to talk it over ("" for no such line).
    notes : str
        Anything else, in my own words (at most :data:`MAX_NOTES_CHARS` characters).
    include_help : bool, default True
        End with where to find help (:data:`HELP_TEXT`).

    Returns
    -------
    str
        The plan: a title, one section per part that was filled in, and a closing line. Sections
        that are empty are left out.

    Examples
    --------
    >>> print(build_plan(comfort=["warmth", "water"], from_partner=["listen"],
    ...                  words="Give me a minute; I'm okay.", include_help=False))
    My aftercare plan
    <BLANKLINE>
    What helps me settle:
    - a glass of water
    - a blanket or something warm to wear
    <BLANKLINE>
    What I would like from my partner(s):
    - listen without trying to fix it
    <BLANKLINE>
    Words I can use: "Give me a minute; I'm okay."
    <BLANKLINE>
    Made with the post-sex blues teaching pack.
    >>> build_plan(comfort=["hug"])
    Traceback (most recent call last):
    ...
    ValueError: comfort: unknown option(s) 'hug'; valid: water, warmth, snack, held, company, \
space, breathing, grounding, wash, rest
    """
    comfort_ids = _chosen("comfort", comfort, COMFORT)
    partner_ids = _chosen("from_partner", from_partner, FROM_PARTNER)
    if talk_later not in TALK_LATER:
        valid = ", ".join(repr(k) for k in TALK_LATER)
        raise ValueError(f"talk_later must be one of {valid}; got {_show(talk_later)}")
    if not isinstance(include_help, bool):
        raise ValueError(f"include_help must be True or False; got {_show(include_help)}")
    words_text = clean_text("words", words, max_chars=MAX_WORDS_CHARS)
    notes_text = clean_text("notes", notes, max_chars=MAX_NOTES_CHARS, multiline=True)

    sections = []
    if comfort_ids:
        sections.append(
            "\n".join(["What helps me settle:", *(f"- {COMFORT[k]}" for k in comfort_ids)])
        )
    if partner_ids:
        sections.append(
            "\n".join(
                [
                    "What I would like from my partner(s):",
                    *(f"- {FROM_PARTNER[k]}" for k in partner_ids),
                ]
            )
        )
    if words_text:
        sections.append(f'Words I can use: "{words_text}"')
    if talk_later:
        sections.append(f"When to talk it over: {TALK_LATER[talk_later]}.")
    if notes_text:
        sections.append("Notes:\n" + notes_text)
    if not sections:
        sections.append(_EMPTY)
    if include_help:
        sections.append("If it is more than the blues:\n" + HELP_TEXT)
    return "\n\n".join([_TITLE, *sections, _FOOTER])


def download_href(text: str) -> str:
    """The plan as a ``data:`` URI, for a link that the browser saves as a file.

    Everything that is not a letter, a digit or one of ``-_.~`` is percent-encoded (UTF-8), so the
    URI is safe inside an HTML attribute. No server and no file on the kernel's side are involved.

    Examples
    --------
    >>> download_href('My plan: "water"')
    'data:text/plain;charset=utf-8,My%20plan%3A%20%22water%22'
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str; got {_show(text)}")
    return "data:text/plain;charset=utf-8," + urllib.parse.quote(text, safe="")
