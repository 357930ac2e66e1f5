"""The popular article's claims, checked: verdict tables, filters and reveals (pandas only).

Everything here works on the claims table as returned by ``widgets.data.load("claims")``: one row
per claim, in the pack's own words, with a verdict, the evidence and its sources. Nothing is
computed but the verdict: these functions select, count and format, so a notebook shows the table
and nbval checks every word of it.

The verdict follows from three rubric fields by one rule, :func:`rubric_verdict` (the rubric is
written out in ``data/README.md``): what kind of evidence was found (:data:`EVIDENCE_KINDS`), which
way it points (:data:`DIRECTIONS`) and, for direct evidence, whether it covers the claim as stated
(:data:`SCOPES`). The loader refuses a row whose stated verdict differs.

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
    "DIRECTIONS",
    "EVIDENCE_KINDS",
    "SCOPES",
    "TOPICS",
    "VERDICTS",
    "VERDICT_MARKS",
    "ClaimsTable",
    "example_claims",
    "filter_claims",
    "label",
    "people_in_100",
    "questions",
    "reveal",
    "rubric_combinations",
    "rubric_counts",
    "rubric_problems",
    "rubric_reason",
    "rubric_verdict",
    "short_citation",
    "source_keys",
    "verdict_counts",
    "verdict_summary",
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

EVIDENCE_KINDS: tuple[str, ...] = ("direct", "association only", "indirect only", "none found")
"""The strongest kind of evidence found for a claim (column ``evidence_kind``), strongest first.

- ``direct``: a study measured what the claim asserts (the figure, the fact, the change, the link
  for a claim that two things go together or do not, or the effect of doing something in a trial),
  or, for a fact such as a journal's name, the record itself was seen;
- ``association only``: the claim states a cause, a route or the effect of doing something, and
  studies found only that two of the things it names go together;
- ``indirect only``: studies measured something related (another setting, another outcome, one step
  of a proposed mechanism), not the claim itself;
- ``none found``: no study bearing on the claim was found.
"""

DIRECTIONS: tuple[str, ...] = ("agrees", "mixed", "contradicts", "neither")
"""Which way the evidence found points (column ``evidence_direction``): it ``agrees`` with the
claim, is ``mixed`` (agrees in part, contradicts in part), ``contradicts`` it, or points
``neither`` way (a related finding that does not bear on it either way, or nothing found)."""

SCOPES: tuple[str, ...] = ("as claimed", "narrower", "not applicable")
"""Whether direct evidence covers the claim as stated (column ``evidence_scope``): ``as claimed``
(the people, the measure and every part of the claim), ``narrower`` (only some people, for example
students when the claim is about all women; a different measure or recall period; or only some
parts of the claim), or ``not applicable`` (there is no direct evidence)."""

_RUBRIC_FIELDS = ("evidence_kind", "evidence_direction", "evidence_scope")


def rubric_problems(evidence_kind: str, direction: str, scope: str) -> list[tuple[str, str]]:
    """What is wrong with a combination of rubric values, as (field, message) pairs; [] if valid.

    Examples
    --------
    >>> rubric_problems("direct", "agrees", "narrower")
    []
    >>> rubric_problems("none found", "agrees", "not applicable")
    [('evidence_direction', "must be 'neither' when evidence_kind is 'none found'; got 'agrees'")]
    """
    problems = []
    for field, value, valid in (
        ("evidence_kind", evidence_kind, EVIDENCE_KINDS),
        ("evidence_direction", direction, DIRECTIONS),
        ("evidence_scope", scope, SCOPES),
    ):
        if value not in valid:
            problems.append(
                (field, f"must be one of {', '.join(map(repr, valid))}; got {_show(value)}")
            )
    if problems:
        return problems
    if evidence_kind == "direct":
        if direction == "neither":
            problems.append(
                (
                    "evidence_direction",
                    "must be 'agrees', 'mixed' or 'contradicts' when evidence_kind is 'direct' "
                    "(a direct test finds something); got 'neither'",
                )
            )
        if scope == "not applicable":
            problems.append(
                (
                    "evidence_scope",
                    "must be 'as claimed' or 'narrower' when evidence_kind is 'direct'; "
                    "got 'not applicable'",
                )
            )
    else:
        if scope != "not applicable":
            problems.append(
                (
                    "evidence_scope",
                    "must be 'not applicable' when evidence_kind is not 'direct' (scope describes "
                    f"direct evidence only); got {scope!r}",
                )
            )
        if evidence_kind == "none found" and direction != "neither":
            problems.append(
                (
                    "evidence_direction",
                    f"must be 'neither' when evidence_kind is 'none found'; got {direction!r}",
                )
            )
    return problems


def rubric_verdict(evidence_kind: str, direction: str, scope: str) -> str:
    """The verdict the rubric gives a claim, from its three rubric fields.

    The rule (``data/README.md`` writes it out):

    - direct evidence that contradicts the claim: **not supported**;
    - direct evidence that is mixed, or that agrees but covers only part of the claim (some
      people, some measures, some parts): **partly supported**;
    - direct evidence that agrees and covers the claim as stated: **supported**;
    - anything short of direct evidence (a link only, related findings only, nothing found):
      **untested**. A link found in a survey does not test a cause, and timing is not cause.

    Parameters
    ----------
    evidence_kind : str
        One of :data:`EVIDENCE_KINDS`.
    direction : str
        One of :data:`DIRECTIONS`; ``'neither'`` is not valid with direct evidence, and is the only
        value valid when none was found.
    scope : str
        One of :data:`SCOPES`; ``'not applicable'`` exactly when the evidence is not direct.

    Raises
    ------
    ValueError
        If a value is unknown or the combination is not valid (see :func:`rubric_problems`); the
        message names the field.

    Examples
    --------
    >>> rubric_verdict("direct", "agrees", "narrower")
    'partly supported'
    >>> rubric_verdict("association only", "agrees", "not applicable")
    'untested'
    >>> rubric_verdict("direct", "neither", "as claimed")
    Traceback (most recent call last):
    ...
    ValueError: evidence_direction must be 'agrees', 'mixed' or 'contradicts' when evidence_kind \
is 'direct' (a direct test finds something); got 'neither'
    """
    problems = rubric_problems(evidence_kind, direction, scope)
    if problems:
        raise ValueError("; ".join(f"{field} {message}" for field, message in problems))
    if evidence_kind != "direct":
        return "untested"
    if direction == "contradicts":
        return "not supported"
    if direction == "mixed" or scope == "narrower":
        return "partly supported"
    return "supported"


def rubric_combinations() -> pd.DataFrame:
    """Every valid combination of the rubric fields with the verdict it gives, one row each.

    Examples
    --------
    >>> table = rubric_combinations()
    >>> list(table.columns)
    ['evidence_kind', 'evidence_direction', 'evidence_scope', 'verdict']
    >>> table.groupby("verdict").size().loc[["supported", "not supported"]].tolist()
    [1, 2]
    """
    rows = [
        {
            "evidence_kind": kind,
            "evidence_direction": direction,
            "evidence_scope": scope,
            "verdict": rubric_verdict(kind, direction, scope),
        }
        for kind in EVIDENCE_KINDS
        for direction in DIRECTIONS
        for scope in SCOPES
        if not rubric_problems(kind, direction, scope)
    ]
    return pd.DataFrame(rows)


def rubric_reason(evidence_kind: str, direction: str, scope: str) -> str:
    """Why the rubric gives its verdict, in a few plain words (shown by :func:`reveal`).

    Examples
    --------
    >>> rubric_reason("association only", "agrees", "not applicable")
    'only a link was found, not a test of the cause or effect the claim states'
    >>> rubric_reason("direct", "agrees", "narrower")
    'direct evidence agrees, but only for some people, measures or parts of the claim'
    """
    rubric_verdict(evidence_kind, direction, scope)  # validates
    if evidence_kind == "none found":
        return "no study bearing on the claim was found"
    if evidence_kind == "association only":
        return "only a link was found, not a test of the cause or effect the claim states"
    if evidence_kind == "indirect only":
        return "only related findings, not a test of the claim itself"
    if direction == "contradicts":
        return "direct evidence contradicts it"
    if direction == "mixed":
        return "direct evidence agrees in part and contradicts in part"
    if scope == "narrower":
        return "direct evidence agrees, but only for some people, measures or parts of the claim"
    return "direct evidence agrees, for the claim as stated"


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


def example_claims() -> pd.DataFrame:
    """A tiny made-up claims table with the columns of ``claims.csv``, for examples and tests.

    Its claims are invented (they are not the article's); its sources are real ``references.bib``
    keys so that citations can be formatted.

    Examples
    --------
    >>> example_claims()[["claim_id", "verdict"]]
      claim_id           verdict
    0    named         supported
    1    cause          untested
    2    count  partly supported
    3  journal     not supported
    4   advice          untested
    """
    rows = [
        (
            "named",
            "A feeling has a name.",
            "names and sources",
            "supported",
            "direct",
            "agrees",
            "as claimed",
            "Researchers name it.",
            "bird2011",
            "primary",
            "01",
        ),
        (
            "cause",
            "A link proves a cause.",
            "feelings and relationships",
            "untested",
            "association only",
            "agrees",
            "not applicable",
            "Surveys found a link, not a cause.",
            "bird2011;maczkowiack2019",
            "primary",
            "01",
        ),
        (
            "count",
            "Half of all people have it.",
            "how common",
            "partly supported",
            "direct",
            "agrees",
            "narrower",
            "Half of the students asked.",
            "schweitzer2015",
            "primary",
            "04",
        ),
        (
            "journal",
            "The study is in journal X.",
            "names and sources",
            "not supported",
            "direct",
            "contradicts",
            "as claimed",
            "It is in journal Y.",
            "schweitzer2015",
            "primary",
            "01",
        ),
        (
            "advice",
            "A glass of water helps.",
            "coping",
            "untested",
            "none found",
            "neither",
            "not applicable",
            "No study was found.",
            pd.NA,
            "none found",
            "06",
        ),
    ]
    columns = [
        "claim_id",
        "claim",
        "topic",
        "verdict",
        *_RUBRIC_FIELDS,
        "evidence",
        "sources",
        "evidence_status",
        "lesson",
    ]
    return pd.DataFrame(rows, columns=columns).astype("string")


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
    >>> claims = example_claims()
    >>> filter_claims(claims, verdict="untested")["claim_id"].tolist()
    ['cause', 'advice']
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
    >>> verdict_counts(example_claims())
                verdict  claims
    0         supported       1
    1  partly supported       1
    2     not supported       1
    3          untested       2
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


def rubric_counts(claims: pd.DataFrame) -> pd.DataFrame:
    """How many claims got each verdict, for each kind of evidence found.

    Returns
    -------
    pandas.DataFrame
        One row per :data:`EVIDENCE_KINDS` (the index, ``evidence_kind``), one column per
        :data:`VERDICTS`, whole numbers, zeros included.

    Examples
    --------
    >>> rubric_counts(example_claims())
                      supported  partly supported  not supported  untested
    evidence_kind
    direct                    1                 1              1         0
    association only          0                 0              0         1
    indirect only             0                 0              0         0
    none found                0                 0              0         1
    """
    pairs = claims.groupby(["evidence_kind", "verdict"]).size()
    table = pd.DataFrame(
        [[int(pairs.get((k, v), 0)) for v in VERDICTS] for k in EVIDENCE_KINDS],
        index=pd.Index(EVIDENCE_KINDS, name="evidence_kind"),
        columns=list(VERDICTS),
    )
    return table


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
    >>> source_keys(example_claims())
    ('bird2011', 'maczkowiack2019', 'schweitzer2015')
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
    >>> table = verdict_table(filter_claims(example_claims(), topic="names and sources"))
    >>> print(table)
    ✔ supported        A feeling has a name.
    ✘ not supported    The study is in journal X.
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


def _by_id(claims: pd.DataFrame, claim_ids: Sequence[str]) -> tuple[pd.DataFrame, list[str]]:
    ids = [claim_ids] if isinstance(claim_ids, str) else list(claim_ids)
    by_id = claims.set_index("claim_id")
    unknown = [c for c in ids if c not in by_id.index]
    if unknown or not ids:
        raise ValueError(
            f"claim_ids must be ids from the claim_id column; got {_show(ids)}; "
            f"unknown: {', '.join(unknown) or '(none given)'}"
        )
    return by_id, ids


def _fill(text: str, *, first: str = "  ", rest: str = "    ") -> str:
    return textwrap.fill(text, _WIDTH, initial_indent=first, subsequent_indent=rest)


def questions(claims: pd.DataFrame, claim_ids: Sequence[str]) -> str:
    """Some claims, numbered, without their verdicts: the "Predict" half of "Predict, then check".

    Examples
    --------
    >>> print(questions(example_claims(), ["journal", "advice"]))
    1. The study is in journal X.
    2. A glass of water helps.
    """
    by_id, ids = _by_id(claims, claim_ids)
    return "\n".join(
        _fill(f"{i}. {by_id.loc[c, 'claim']}", first="", rest="   ") for i, c in enumerate(ids, 1)
    )


def reveal(claims: pd.DataFrame, claim_ids: Sequence[str]) -> str:
    """The verdict, the rubric's reason for it, the evidence and the sources of some claims.

    Used after a "Predict, then check" question: the reader guesses, then this prints the answer as
    wrapped plain text. The reason (from :func:`rubric_reason`) is shown when the table has the
    rubric columns.

    Parameters
    ----------
    claims : pandas.DataFrame
        The claims table.
    claim_ids : sequence of str
        Ids from the ``claim_id`` column, in the order to show them.

    Examples
    --------
    >>> print(reveal(example_claims(), ["cause"]))
    A link proves a cause.
      Verdict: ? untested (only a link was found, not a test of the cause or effect the claim
        states)
      Evidence: Surveys found a link, not a cause.
      Sources: Bird et al. 2011; Maczkowiack & Schweitzer 2019
    """
    by_id, ids = _by_id(claims, claim_ids)
    has_rubric = all(f in by_id.columns for f in _RUBRIC_FIELDS)
    entries = references.entries()
    blocks = []
    for claim_id in ids:
        row = by_id.loc[claim_id]
        verdict = f"Verdict: {label(row['verdict'])}"
        if has_rubric:
            verdict += f" ({rubric_reason(*(row[f] for f in _RUBRIC_FIELDS))})"
        blocks.append(
            "\n".join(
                [
                    _fill(row["claim"], first="", rest="  "),
                    _fill(verdict),
                    _fill(f"Evidence: {row['evidence']}"),
                    _fill(f"Sources: {_sources(row['sources'], entries)}"),
                ]
            )
        )
    return "\n\n".join(blocks)


def verdict_summary(claims: pd.DataFrame) -> str:
    """One sentence counting the claims per verdict, for a lesson's text.

    Examples
    --------
    >>> print(verdict_summary(example_claims()))
    5 claims: 1 supported, 1 partly supported, 1 not supported and 2 untested.
    """
    counts = verdict_counts(claims)
    parts = [f"{n} {v}" for v, n in zip(counts["verdict"], counts["claims"], strict=True)]
    return f"{len(claims)} claims: {', '.join(parts[:-1])} and {parts[-1]}."


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
