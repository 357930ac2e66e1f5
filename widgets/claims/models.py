"""The popular article's claims, checked: verdict tables, filters and reveals (pandas only).

Everything here works on the claims table as returned by ``widgets.data.load("claims")``: one row
per claim, in the pack's own words, with a verdict, the evidence and its sources. Nothing is
computed: these functions select, count and format, so a notebook shows the table and nbval checks
every word of it.

A verdict is shown with a text mark as well as its name (✔ supported, ◐ partly supported,
✘ not supported, ? untested), so that no figure or table relies on colour alone.

Invalid input raises :class:`ValueError` naming the parameter, the value given and what is valid.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from widgets import references

__all__ = [
    "TOPICS",
    "VERDICTS",
    "VERDICT_MARKS",
    "ClaimsTable",
    "filter_claims",
    "label",
    "people_in_100",
    "reveal",
    "short_citation",
    "source_keys",
    "verdict_counts",
    "verdict_table",
]

VERDICTS: tuple[str, ...] = ("supported", "partly supported", "not supported", "untested")
"""The verdicts, from strongest support to none (the order of tables and figures)."""

VERDICT_MARKS: dict[str, str] = {
    "supported": "✔",
    "partly supported": "◐",
    "not supported": "✘",
    "untested": "?",
}
"""A text mark for each verdict, shown beside its name so that colour is never the only cue."""

TOPICS: tuple[str, ...] = (
    "names and sources",
    "how common",
    "body and brain",
    "intensity and BDSM",
    "feelings and relationships",
    "trauma",
    "coping",
    "help",
)
"""The topics of ``claims.csv``, in the order the article and the lessons take them."""

_WIDTH = 98


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _choices(name: str, value: str | Iterable[str] | None, valid: Sequence[str]) -> list[str]:
    """Normalise ``value`` (one string, several, or None for all) and check each is valid."""
    if value is None:
        return list(valid)
    chosen = [value] if isinstance(value, str) else list(value)
    bad = [v for v in chosen if v not in valid]
    if bad or not chosen:
        raise ValueError(
            f"{name} must be one of {', '.join(repr(v) for v in valid)} (or a list of them); "
            f"got {_show(value)}"
        )
    return chosen


def label(verdict: str) -> str:
    """The verdict with its text mark.

    Examples
    --------
    >>> label("partly supported")
    '◐ partly supported'
    """
    _choices("verdict", verdict, VERDICTS)
    return f"{VERDICT_MARKS[verdict]} {verdict}"


def filter_claims(
    claims: pd.DataFrame,
    *,
    verdict: str | Iterable[str] | None = None,
    topic: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """The claims with the given verdict(s) and topic(s), in file order.

    Parameters
    ----------
    claims : pandas.DataFrame
        The claims table, from ``widgets.data.load("claims")``.
    verdict, topic : str or list of str, optional
        Keep only these verdicts (see :data:`VERDICTS`) and topics (see :data:`TOPICS`); None keeps
        all.

    Returns
    -------
    pandas.DataFrame
        The matching rows with a fresh 0..n-1 index.

    Examples
    --------
    >>> from widgets import data
    >>> claims = data.load("claims")
    >>> filter_claims(claims, verdict="not supported")["claim_id"].tolist()
    ['journal', 'dopamine-oxytocin']
    >>> filter_claims(claims, verdict="proven")
    Traceback (most recent call last):
    ...
    ValueError: verdict must be one of 'supported', 'partly supported', 'not supported', \
'untested' (or a list of them); got 'proven'
    """
    verdicts = _choices("verdict", verdict, VERDICTS)
    topics = _choices("topic", topic, TOPICS)
    keep = claims["verdict"].isin(verdicts) & claims["topic"].isin(topics)
    return claims[keep].reset_index(drop=True)


def verdict_counts(claims: pd.DataFrame, *, by: str | None = None) -> pd.DataFrame:
    """How many claims have each verdict, overall or per topic.

    Parameters
    ----------
    claims : pandas.DataFrame
        The claims table.
    by : {None, "topic"}
        None: one row per verdict. ``"topic"``: one row per (topic, verdict), tidy, with zeros, in
        :data:`TOPICS` then :data:`VERDICTS` order (the input of
        :func:`widgets.claims.figures.verdict_bars`).

    Returns
    -------
    pandas.DataFrame
        Columns ``verdict`` and ``claims`` (a count), plus ``topic`` first when ``by="topic"``.

    Examples
    --------
    >>> from widgets import data
    >>> verdict_counts(data.load("claims"))
                verdict  claims
    0         supported       3
    1  partly supported       7
    2     not supported       2
    3          untested      13
    """
    if by not in (None, "topic"):
        raise ValueError(f"by must be None or 'topic'; got {_show(by)}")
    if by is None:
        counts = claims["verdict"].value_counts()
        return pd.DataFrame(
            {"verdict": list(VERDICTS), "claims": [int(counts.get(v, 0)) for v in VERDICTS]}
        )
    counts = claims.groupby(["topic", "verdict"]).size()
    rows = [
        {"topic": t, "verdict": v, "claims": int(counts.get((t, v), 0))}
        for t in TOPICS
        for v in VERDICTS
    ]
    return pd.DataFrame(rows)


def short_citation(key: str, entries: dict[str, dict[str, str]] | None = None) -> str:
    """A short in-text citation for a ``references.bib`` key: "Bird et al. 2011".

    One author: "Surname year"; two: "A & B year"; more: "A et al. year". An organisation is shown
    by the abbreviation in brackets at the end of its name, if any; an entry without authors by the
    start of its title.

    Examples
    --------
    >>> short_citation("brody2006")
    'Brody & Krüger 2006'
    >>> short_citation("bird2011")
    'Bird et al. 2011'
    >>> short_citation("aasect")
    'AASECT'
    """
    known = references.entries() if entries is None else entries
    if key not in known:
        raise KeyError(f"not in data/references.bib: {key}")
    entry = known[key]
    year = f" {entry['year']}" if "year" in entry else ""
    if entry.get("author"):
        people = [p.strip() for p in entry["author"].split(" and ")]
        surnames = [p.split(",")[0].strip() for p in people if p != "others"]
        if len(people) == 1:
            who = surnames[0]
        elif len(people) == 2 and "others" not in people:
            who = f"{surnames[0]} & {surnames[1]}"
        else:
            who = f"{surnames[0]} et al."
        return who + year
    if entry.get("organization"):
        match = re.search(r"\(([^()]+)\)\s*$", entry["organization"])
        return match.group(1) if match else entry["organization"]
    title = entry["title"].split(":")[0].rstrip("?.")
    return f"“{title}”{year}"


def _sources(value: object, entries: dict[str, dict[str, str]]) -> str:
    if pd.isna(value) or not value:
        return "none found"
    return "; ".join(short_citation(k, entries) for k in str(value).split(";"))


def source_keys(claims: pd.DataFrame) -> tuple[str, ...]:
    """Every bibliography key the claims cite, once each, in order of first appearance.

    Examples
    --------
    >>> from widgets import data
    >>> source_keys(data.load("claims"))[:3]
    ('bird2011', 'maczkowiack2019', 'toussaint')
    """
    keys: dict[str, None] = {}
    for value in claims["sources"].dropna():
        keys.update(dict.fromkeys(str(value).split(";")))
    return tuple(keys)


def _truncate(text: str, width: int) -> str:
    """Cut ``text`` at a word boundary so that it fits in ``width`` characters, ending in "…"."""
    if len(text) <= width:
        return text
    return text[: width - 1].rsplit(" ", 1)[0] + "…"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


@dataclass(frozen=True)
class ClaimsTable:
    """Claims for reading: a Markdown table per topic in notebooks, plain text elsewhere.

    ``frame`` holds the rows shown (columns ``claim_id``, ``topic``, ``claim``, ``verdict``,
    ``evidence``, ``sources``), with ``verdict`` already carrying its mark and ``sources`` as short
    citations.
    """

    frame: pd.DataFrame

    def _repr_markdown_(self) -> str:
        parts = []
        for topic, rows in self.frame.groupby("topic", sort=False):
            parts.append(f"**{topic[0].upper() + topic[1:]}**\n")
            parts.append("| claim (our words) | verdict | evidence | sources |")
            parts.append("|---|---|---|---|")
            for r in rows.itertuples(index=False):
                verdict = r.verdict.replace(" ", "\u00a0")  # keep the mark with its verdict
                cells = (r.claim, verdict, r.evidence, r.sources)
                parts.append("| " + " | ".join(_cell(c) for c in cells) + " |")
            parts.append("")
        return "\n".join(parts).rstrip() + "\n"

    def __str__(self) -> str:
        return "\n".join(
            _truncate(f"{r.verdict:<18} {r.claim}", _WIDTH)
            for r in self.frame.itertuples(index=False)
        )

    def __repr__(self) -> str:
        return str(self)

    def __len__(self) -> int:
        return len(self.frame)


def verdict_table(claims: pd.DataFrame) -> ClaimsTable:
    """The claims as a readable table, grouped by topic in :data:`TOPICS` order.

    Parameters
    ----------
    claims : pandas.DataFrame
        The claims table, or any subset of its rows (for example from :func:`filter_claims`).

    Returns
    -------
    ClaimsTable
        Shows as one Markdown table per topic in a notebook; ``str()`` gives one line per claim.

    Examples
    --------
    >>> from widgets import data
    >>> table = verdict_table(filter_claims(data.load("claims"), topic="names and sources"))
    >>> print(table)
    ✔ supported        Feeling tearful or low after sex that went well is a recognised experience…
    ✘ not supported    The 46% figure for women comes from The Journal of Sexual Medicine.
    """
    entries = references.entries()
    order = {t: i for i, t in enumerate(TOPICS)}
    rows = claims.assign(_order=claims["topic"].map(order)).sort_values("_order", kind="stable")
    frame = pd.DataFrame(
        {
            "claim_id": rows["claim_id"].astype(str).to_numpy(),
            "topic": rows["topic"].astype(str).to_numpy(),
            "claim": rows["claim"].astype(str).to_numpy(),
            "verdict": [label(v) for v in rows["verdict"]],
            "evidence": rows["evidence"].astype(str).to_numpy(),
            "sources": [_sources(v, entries) for v in rows["sources"]],
        }
    )
    return ClaimsTable(frame)


def reveal(claims: pd.DataFrame, claim_ids: Sequence[str]) -> str:
    """The verdict, evidence and sources of some claims, as wrapped plain text.

    Used after a "Predict, then check" question: the reader guesses, then this prints the answer.

    Parameters
    ----------
    claims : pandas.DataFrame
        The claims table.
    claim_ids : sequence of str
        Ids from the ``claim_id`` column, in the order to show them.

    Examples
    --------
    >>> from widgets import data
    >>> print(reveal(data.load("claims"), ["journal"]))
    The 46% figure for women comes from The Journal of Sexual Medicine.
      Verdict: ✘ not supported
      Evidence: The 46% study (Schweitzer, O'Brien & Burri 2015) appeared in Sexual Medicine, the
        separate open-access journal of the International Society for Sexual Medicine. News reports
        gave the wrong journal from 2015 on.
      Sources: Schweitzer et al. 2015
    """
    if isinstance(claim_ids, str):
        claim_ids = [claim_ids]
    by_id = claims.set_index("claim_id")
    unknown = [c for c in claim_ids if c not in by_id.index]
    if unknown or not claim_ids:
        raise ValueError(
            f"claim_ids must be ids from the claim_id column; got {_show(list(claim_ids))}; "
            f"unknown: {', '.join(unknown) or '(none given)'}"
        )
    entries = references.entries()
    blocks = []
    for claim_id in claim_ids:
        row = by_id.loc[claim_id]
        evidence = textwrap.fill(
            f"Evidence: {row['evidence']}",
            _WIDTH,
            initial_indent="  ",
            subsequent_indent="    ",
        )
        blocks.append(
            "\n".join(
                [
                    textwrap.fill(row["claim"], _WIDTH, subsequent_indent="  "),
                    f"  Verdict: {label(row['verdict'])}",
                    evidence,
                    textwrap.fill(
                        f"Sources: {_sources(row['sources'], entries)}",
                        _WIDTH,
                        initial_indent="  ",
                        subsequent_indent="    ",
                    ),
                ]
            )
        )
    return "\n\n".join(blocks)


def people_in_100(percent: float) -> str:
    """A percentage read as people: "46 in 100 people (about 1 in 2)".

    Natural frequencies ("how many out of 100 people like those asked") are easier to picture than
    percentages. The rough "about 1 in N" is given for percentages from 1 to 50.

    Parameters
    ----------
    percent : float
        A percentage, 0 to 100.

    Examples
    --------
    >>> people_in_100(46)
    '46 in 100 people (about 1 in 2)'
    >>> people_in_100(5.1)
    '5.1 in 100 people (about 1 in 20)'
    >>> people_in_100(100)
    '100 in 100 people (everyone)'
    """
    is_number = isinstance(percent, int | float) and not isinstance(percent, bool)
    if not is_number or not 0 <= percent <= 100:
        raise ValueError(f"percent must be a number from 0 to 100; got {_show(percent)}")
    value = f"{percent:g}"
    if percent == 0:
        rough = "no one"
    elif percent == 100:
        rough = "everyone"
    elif percent < 1:
        rough = "fewer than 1 in 100"
    elif percent <= 50:
        rough = f"about 1 in {round(100 / percent)}"
    else:
        rough = f"about {round(percent / 10)} in 10"
    return f"{value} in 100 people ({rough})"
