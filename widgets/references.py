"""Reference lists for the notebooks, read from the one bibliography, ``data/references.bib``.

Notebooks never type a reference by hand: they call :func:`cite` with citation keys, and the list is
formatted from the bibliography, so a correction there reaches every notebook.

The parser reads the plain BibTeX subset the pack's bibliography uses (``@type{key, field =
{value}, ...}`` with braces nested inside values); :func:`entries` raises a ``ValueError`` naming
the entry if the file strays from it.

Examples
--------
>>> print(cite("schweitzer2015").markdown)
- Schweitzer, R. D., O'Brien, J., & Burri, A. (2015). Postcoital dysphoria: Prevalence and
  psychological correlates. *Sexual Medicine*, 3, 229–237. https://doi.org/10.1002/sm2.74
  (Published in Sexual Medicine, not The Journal of Sexual Medicine. The 2% "always or most of
  the time" figure is from the QUT press release.)
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from widgets.data import DATA_DIR, Problem

__all__ = ["Citation", "citation_problems", "cite", "entries", "format_entry"]

_BIB = DATA_DIR / "references.bib"
_LATEX = {
    r"\&": "&",
    "--": "–",
}
#: LaTeX accent commands, ``{\"u}`` or ``{\'a}``, and the combining mark each one adds.
_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303"}
_ACCENT = re.compile(r"\{\\([\"'`^~])([A-Za-z])\}")


def _strip(value: str) -> str:
    value = _ACCENT.sub(lambda m: unicodedata.normalize("NFC", m[2] + _ACCENTS[m[1]]), value)
    for latex, text in _LATEX.items():
        value = value.replace(latex, text)
    value = value.replace("``", "“").replace("''", "”")
    return re.sub(r"\s+", " ", value.replace("{", "").replace("}", "")).strip()


def _fields(body: str, key: str) -> dict[str, str]:
    fields, i = {}, 0
    while i < len(body):
        match = re.compile(r"\s*,?\s*(\w+)\s*=\s*\{").match(body, i)
        if not match:
            if body[i:].strip(" \n,"):
                raise ValueError(f"references.bib, entry {key!r}: cannot read {body[i:][:40]!r}")
            break
        depth, j = 1, match.end()
        while depth:
            if j >= len(body):
                raise ValueError(f"references.bib, entry {key!r}: unbalanced braces")
            depth += {"{": 1, "}": -1}.get(body[j], 0)
            j += 1
        fields[match.group(1).lower()] = _strip(body[match.end() : j - 1])
        i = j
    return fields


@cache
def _parse(text: str) -> dict[str, dict[str, str]]:
    out = {}
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("%"))
    for match in re.finditer(r"@(\w+)\{([^,\s]+),(.*?)\n\}", text, flags=re.DOTALL):
        kind, key, body = match.groups()
        if key in out:
            raise ValueError(f"references.bib: key {key!r} is defined twice")
        out[key] = {"type": kind.lower(), **_fields(body, key)}
    return out


def entries(path: Path | str | None = None) -> dict[str, dict[str, str]]:
    """All bibliography entries, by key, with LaTeX braces and accents resolved."""
    return _parse(Path(path or _BIB).read_text(encoding="utf-8"))


def _authors(field: str) -> str:
    people = []
    for person in field.split(" and "):
        if person == "others":
            people.append("et al.")
            continue
        if "," not in person:
            people.append(person)
            continue
        last, first = (part.strip() for part in person.split(",", 1))
        initials = " ".join(f"{name[0]}." for name in re.split(r"[\s.]+", first) if name)
        people.append(f"{last}, {initials}")
    if people[-1] == "et al.":
        return ", ".join(people[:-1]) + ", et al."
    if len(people) == 1:
        return people[0]
    return ", ".join(people[:-1]) + ", & " + people[-1]


def format_entry(entry: dict[str, str]) -> str:
    """One entry as an APA-like Markdown string; unverified parts are said in the note."""
    title = entry["title"] if entry["title"][-1] in ".?!" else entry["title"] + "."
    year = f"({entry['year']})." if "year" in entry else "(n.d.)."
    author = (entry.get("author") and _authors(entry["author"])) or entry.get("organization")
    parts = [author, year, title] if author else [title, year]
    venue = entry.get("journal") or entry.get("booktitle") or entry.get("howpublished")
    if venue:
        detail = f"*{venue}*"
        if "edition" in entry:
            detail += f" ({entry['edition']} ed.)"
        if "volume" in entry:
            detail += f", {entry['volume']}"
            if "number" in entry:
                detail += f"({entry['number']})"
        if "pages" in entry:
            detail += f", {entry['pages']}"
        parts.append(detail + ".")
    if "doi" in entry:
        parts.append(f"https://doi.org/{entry['doi']}")
    if entry.get("note", "").strip():
        parts.append(f"({entry['note'].rstrip('.')}.)")
    return " ".join(parts)


@dataclass(frozen=True)
class Citation:
    """A formatted reference list; shows as Markdown in a notebook."""

    keys: tuple[str, ...]
    markdown: str

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __str__(self) -> str:
        return self.markdown

    def __repr__(self) -> str:
        return self.markdown


def cite(*keys: str) -> Citation:
    """Format the entries for ``keys`` as a Markdown bullet list, in the order given.

    Each argument is one key or several separated by spaces, so a lesson can list many keys in a
    few short lines: ``cite("bird2011 schweitzer2015", "aasect")``.

    Raises
    ------
    KeyError
        If a key is not in ``data/references.bib``; the message lists the unknown keys.
    """
    keys = tuple(key for arg in keys for key in arg.split())
    known = entries()
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise KeyError(f"not in data/references.bib: {', '.join(unknown)}")
    lines = [
        textwrap.fill(format_entry(known[k]), width=98, initial_indent="- ", subsequent_indent="  ")
        for k in keys
    ]
    return Citation(tuple(keys), "\n".join(lines))


def _keys(value) -> list[str]:
    """The ``;``-separated keys of one cell; none for an empty cell (``None``, NaN or ``<NA>``)."""
    if not isinstance(value, str):
        return []
    return [key.strip() for key in value.split(";") if key.strip()]


def citation_problems(
    rows: Iterable[Mapping],
    file: str,
    key_fields: Iterable[str],
    bibliography: Mapping[str, Mapping[str, str]],
    *,
    doi_field: str = "doi",
    doi_key_field: str = "study_id",
) -> list[Problem]:
    """Check one table's references against the bibliography; return every problem found.

    Each key in a ``key_fields`` cell (one key, or several separated by ``;``) must be an entry of
    ``bibliography``. Where a row has a ``doi_field``, its DOI must equal the DOI of the entry named
    in its ``doi_key_field`` (compared without regard to case), and a row may leave the DOI empty
    only if that entry has none. Rows are numbered from 1 in the order given, as in
    :class:`widgets.data.Problem`.

    Examples
    --------
    >>> bib = {"smith2020": {"doi": "10.1000/ABC"}, "lee2021": {}}
    >>> rows = [
    ...     {"study_id": "smith2020", "doi": "10.1000/abc"},
    ...     {"study_id": "nobody", "doi": None},
    ...     {"study_id": "lee2021", "doi": "10.1000/xyz"},
    ... ]
    >>> for problem in citation_problems(rows, "table.csv", ["study_id"], bib):
    ...     print(f"row {problem.row}, {problem.field}: {problem.message}")
    row 2, study_id: 'nobody' is not a key in references.bib
    row 3, doi: the row gives DOI '10.1000/xyz', but the references.bib entry 'lee2021' has no DOI
    """
    key_fields = tuple(key_fields)
    problems = []
    for row, rec in enumerate(rows, start=1):
        for field in key_fields:
            for key in _keys(rec.get(field)):
                if key not in bibliography:
                    problems.append(
                        Problem(file, row, field, f"{key!r} is not a key in references.bib")
                    )
        if doi_field not in rec:
            continue
        owners = _keys(rec.get(doi_key_field))
        if len(owners) != 1 or owners[0] not in bibliography:
            continue  # no single known entry to compare with (a missing key is reported above)
        key = owners[0]
        row_doi = rec.get(doi_field) if isinstance(rec.get(doi_field), str) else ""
        bib_doi = bibliography[key].get("doi", "")
        if row_doi.strip().lower() == bib_doi.strip().lower():
            continue
        if not bib_doi:
            message = (
                f"the row gives DOI {row_doi!r}, but the references.bib entry {key!r} has no DOI"
            )
        elif not row_doi:
            message = f"empty, but the references.bib entry {key!r} gives DOI {bib_doi!r}"
        else:
            message = (
                f"{row_doi!r} differs from the DOI of references.bib entry {key!r} ({bib_doi!r})"
            )
        problems.append(Problem(file, row, doi_field, message))
    return problems
