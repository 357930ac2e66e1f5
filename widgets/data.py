"""Load the pack's data files, validated against ``data/datapackage.json``.

Every table the notebooks use goes through :func:`load`. It finds the file relative to this package
(never the working directory), validates it with Frictionless against the descriptor (types,
units, constraints, unique keys), applies the cross-field rules a table schema cannot express, and
returns a typed :class:`pandas.DataFrame` with exactly one row per data row of the file. A broken
file raises :class:`DataValidationError` (a :class:`ValueError`) whose message names the file, the
row and the field, and says what was expected. No row is ever dropped or repaired.

Examples
--------
>>> from widgets import data
>>> data.names()
('prevalence', 'hormones', 'claims')
>>> prevalence = data.load("prevalence")
>>> prevalence.loc[prevalence.row_id == "schweitzer2015-women-lifetime", ["n", "percent"]]
     n  percent
2  230     46.0
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

__all__ = [
    "DATA_DIR",
    "DataValidationError",
    "Problem",
    "bibliography_keys",
    "load",
    "names",
]

#: The folder that holds ``datapackage.json`` and the CSV files, located from this file.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"

_DESCRIPTOR = "datapackage.json"
_BIBLIOGRAPHY = "references.bib"
#: How many problems an error message lists before it says "... and N more".
_MAX_LISTED = 12


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file.

    ``row`` counts data rows from 1 (the header is not a data row); ``line`` is the line of the
    file (the header is line 1). Both are ``None`` for problems with the file as a whole.
    """

    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row} (line {self.row + 1})")
        if self.field is not None:
            where.append(f"field '{self.field}'")
        return f"{', '.join(where)}: {self.message}"


class DataValidationError(ValueError):
    """A data file does not match its descriptor. ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        lines = [str(p) for p in self.problems[:_MAX_LISTED]]
        if len(self.problems) > _MAX_LISTED:
            lines.append(f"... and {len(self.problems) - _MAX_LISTED} more")
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the pack's data:"
        super().__init__("\n  ".join([head, *lines]))


def _descriptor(data_dir: Path) -> dict:
    path = data_dir / _DESCRIPTOR
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataValidationError(
            [Problem(str(path), None, None, "file not found (the data package descriptor)")]
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataValidationError(
            [Problem(str(path), None, None, f"not valid UTF-8 JSON ({exc})")]
        ) from None


def names(data_dir: Path | str | None = None) -> tuple[str, ...]:
    """Names of the tables described in ``datapackage.json``, in descriptor order."""
    data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
    return tuple(r["name"] for r in _descriptor(data_dir)["resources"])


@cache
def _bibliography_keys(path: Path, mtime_ns: int) -> frozenset[str]:
    text = path.read_text(encoding="utf-8")
    return frozenset(re.findall(r"^@\w+\{([^,\s]+),", text, flags=re.MULTILINE))


def bibliography_keys(data_dir: Path | str | None = None) -> frozenset[str]:
    """The citation keys defined in ``references.bib``."""
    path = (Path(data_dir) if data_dir is not None else DATA_DIR) / _BIBLIOGRAPHY
    if not path.is_file():
        raise DataValidationError([Problem(str(path), None, None, "file not found")])
    return _bibliography_keys(path, path.stat().st_mtime_ns)


# --- validation with Frictionless ----------------------------------------------------------------


def _frictionless_problems(descriptor: dict, resource: dict, data_dir: Path) -> list[Problem]:
    """Validate one table against its schema with Frictionless; translate its errors."""
    import frictionless  # imported here: it is only needed while loading

    file = resource["path"]
    names_ = [f["name"] for f in resource["schema"]["fields"]]
    key_index = names_.index(resource["schema"]["primaryKey"][0])
    package = frictionless.Package(descriptor, basepath=str(data_dir))
    report = package.get_resource(resource["name"]).validate(
        checklist=frictionless.Checklist(skip_errors=["byte-count", "hash-count"])
    )
    problems = []
    for task in report.tasks:
        blank_rows = {e.row_number for e in task.errors if e.type == "blank-row"}
        short_rows = {}
        for e in task.errors:
            if e.type == "missing-cell":
                short_rows.setdefault(e.row_number, []).append(e.field_name)
        for row_number, missing in short_rows.items():
            problems.append(
                Problem(
                    file,
                    row_number - 1,
                    missing[0],
                    f"the row has {len(missing)} cell(s) fewer than the header; "
                    f"missing: {', '.join(missing)}",
                )
            )
        for err in task.errors:
            row_number = getattr(err, "row_number", None)
            if err.type == "unique-error" or row_number in short_rows:
                continue  # reported once above, or by the primary-key error
            if err.type == "primary-key" and row_number in blank_rows:
                continue  # a blank row has no id; the blank-row error says it
            field = getattr(err, "field_name", None) or getattr(err, "label", None) or None
            row = row_number - 1 if row_number is not None else None
            problems.append(Problem(file, row, field, _explain(err, key_index)))
    return problems


_TYPE_WORDS = {
    "integer": "a whole number",
    "number": "a number",
    "string": "text",
    "boolean": "true or false",
}
_CONSTRAINT_WORDS = {
    "minimum": "at least {}",
    "maximum": "at most {}",
    "exclusiveMinimum": "greater than {}",
    "exclusiveMaximum": "less than {}",
    "enum": "one of {}",
    "maxLength": "at most {} characters",
    "pattern": "text matching the pattern {}",
    "required": "a value (the cell must not be empty)",
}


def _explain(err, key_index: int = 0) -> str:
    """Say what was found and what the descriptor expects, in words."""
    kind = err.type
    cell = getattr(err, "cell", None)
    if kind == "primary-key":
        cells = getattr(err, "cells", None) or []
        cell = cells[key_index] if key_index < len(cells) else None
    found = "an empty cell" if cell in (None, "") else f"{cell!r}"
    note = err.note or ""
    if kind == "constraint-error" and '"required"' in note:
        return "found an empty cell, expected a value (this field is required)"
    if kind == "type-error":
        match = re.search(r'type is "(\w+)', note)
        expected = _TYPE_WORDS.get(match.group(1), match.group(1)) if match else "another type"
        return f"found {found}, expected {expected}"
    if kind == "constraint-error":
        match = re.search(r'constraint "(\w+)" is "(.*)"$', note)
        if match:
            name, value = match.groups()
            if name == "enum":
                value = ", ".join(re.findall(r"'([^']*)'", value))
            expected = _CONSTRAINT_WORDS.get(name, name + " {}").format(value)
            return f"found {found}, expected {expected}"
        return f"found {found}: {note}"
    if kind == "primary-key":
        match = re.search(r"position (\d+)", note)
        if match:
            first = int(match.group(1)) - 1
            return f"duplicate id {found}: the same id as row {first} (line {first + 1})"
        return f"duplicate id: {note}"
    if kind == "blank-row":
        return "blank row: every cell is empty"
    if kind == "extra-cell":
        return f"extra cell {found}: the row has more cells than the header"
    return f"{err.title.lower()}: {note or err.description}"


def _file_problems(resource: dict, data_dir: Path) -> list[Problem]:
    """Problems with the file as a whole: missing, empty, not UTF-8, wrong header."""
    file = resource["path"]
    path = data_dir / file
    if not path.is_file():
        return [Problem(file, None, None, f"file not found at {path}")]
    raw = path.read_bytes()
    if not raw.strip():
        return [Problem(file, None, None, "the file is empty: expected a header row")]
    header = next(csv.reader([raw.splitlines()[0].decode("utf-8", errors="replace")]))
    for line_no, line in enumerate(raw.splitlines(), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            cells = next(csv.reader([line.decode("utf-8", errors="replace")]), [])
            bad = [i for i, c in enumerate(cells) if "\ufffd" in c]
            field = header[bad[0]] if bad and bad[0] < len(header) else None
            return [
                Problem(
                    file,
                    line_no - 1 if line_no > 1 else None,
                    field,
                    f"bytes that are not UTF-8 ({exc.reason} at byte {exc.start} of the line); "
                    "save the file as UTF-8",
                )
            ]
    expected = [f["name"] for f in resource["schema"]["fields"]]
    problems = [
        Problem(file, None, name, "missing column: the header has no column of this name")
        for name in expected
        if name not in header
    ]
    problems += [
        Problem(file, None, name, f"unknown column: expected only {', '.join(expected)}")
        for name in header
        if name not in expected
    ]
    if not problems and header != expected:
        problems.append(
            Problem(file, None, None, f"columns out of order: expected {', '.join(expected)}")
        )
    return problems


# --- rules a table schema cannot express ---------------------------------------------------------


def _cross_field_problems(name: str, df: pd.DataFrame, file: str, keys: frozenset[str]) -> list:
    rules = _RULES.get(name)
    return rules(df, file, keys) if rules else []


def _whole_counts(percent: float, n: int, decimals: int) -> tuple[int, int]:
    """The whole counts k (0 <= k <= n) with 100 k / n within half a unit of the last reported
    decimal of ``percent``, as (first, last); first > last when none fits. Exact arithmetic:
    "32.9% of 222" fits k = 73 (32.88%); "5.1% of 230" fits none (11 is 4.78%, 12 is 5.22%).
    Both half-way cases count as fitting, since papers round either way."""
    import math
    from fractions import Fraction

    p = Fraction(str(float(percent)))
    half = Fraction(1, 2 * 10**decimals)
    first = max(0, math.ceil((p - half) * n / 100))
    last = min(n, math.floor((p + half) * n / 100))
    return first, last


def _count_problems(rec, file: str, row: int) -> list[Problem]:
    """percent_decimals matches percent, and a percent of n people is some whole count of them."""
    has_point, decimals, note = pd.notna(rec.percent), rec.percent_decimals, rec.count_note
    if has_point != pd.notna(decimals):
        return [
            Problem(
                file,
                row,
                "percent_decimals",
                "give percent_decimals (the decimal places the source reports) exactly when "
                f"percent is given (percent is {_show(rec.percent)}, percent_decimals is "
                f"{_show(decimals)})",
            )
        ]
    problems = []
    scaled = float(rec.percent) * 10 ** int(decimals) if has_point else 0.0
    if abs(scaled - round(scaled)) > 1e-6:
        problems.append(
            Problem(
                file,
                row,
                "percent",
                f"{rec.percent:g} has more decimals than percent_decimals ({decimals})",
            )
        )
    checkable = has_point and pd.notna(rec.n) and rec.n >= 1
    if pd.notna(note) and not checkable:
        problems.append(
            Problem(
                file,
                row,
                "count_note",
                "count_note explains a percent that no whole count of n gives; this row has no "
                "percent with a group size n, so leave it empty",
            )
        )
    if not checkable or problems:
        return problems
    n = int(rec.n)
    first, last = _whole_counts(float(rec.percent), n, int(decimals))
    if first > last and pd.isna(note):
        below = int(float(rec.percent) * n // 100)
        above = min(n, below + 1)
        problems.append(
            Problem(
                file,
                row,
                "percent",
                f"{rec.percent:g}% of n = {n} (reported to {decimals} decimal(s)) is no whole "
                f"number of people: {below}/{n} = {100 * below / n:.{decimals + 1}f}% and "
                f"{above}/{n} = {100 * above / n:.{decimals + 1}f}%; correct percent, n or "
                "percent_decimals, or say in count_note why no whole count fits",
            )
        )
    elif first <= last and pd.notna(note):
        fits = min(max(round(float(rec.percent) * n / 100), first), last)
        problems.append(
            Problem(
                file,
                row,
                "count_note",
                f"count_note says no whole count fits, but {fits}/{n} = "
                f"{100 * fits / n:.{decimals + 1}f}% rounds to {rec.percent:g}%; remove the note",
            )
        )
    return problems


def _prevalence_rules(df: pd.DataFrame, file: str, keys: frozenset[str]) -> list[Problem]:
    problems = []
    for row, rec in zip(range(1, len(df) + 1), df.itertuples(index=False), strict=True):
        has_point = pd.notna(rec.percent)
        has_range = pd.notna(rec.percent_low) or pd.notna(rec.percent_high)
        if has_point == has_range:
            problems.append(
                Problem(
                    file,
                    row,
                    "percent",
                    "give either percent, or percent_low and percent_high for a range, not both "
                    "and not neither",
                )
            )
        elif has_range and not (
            pd.notna(rec.percent_low)
            and pd.notna(rec.percent_high)
            and rec.percent_low <= rec.percent_high
        ):
            problems.append(
                Problem(file, row, "percent_low", "a range needs percent_low <= percent_high")
            )
        if (rec.n_status == "group") != pd.notna(rec.n):
            problems.append(
                Problem(
                    file,
                    row,
                    "n",
                    "n must be given exactly when n_status is 'group' "
                    f"(n_status is {rec.n_status!r}, n is {_show(rec.n)})",
                )
            )
        if pd.notna(rec.n) and rec.n > rec.n_total:
            problems.append(Problem(file, row, "n", f"n ({rec.n}) exceeds n_total ({rec.n_total})"))
        problems += _count_problems(rec, file, row)
        if (rec.doi_status == "not found") != pd.isna(rec.doi):
            problems.append(
                Problem(
                    file, row, "doi", "doi must be empty exactly when doi_status is 'not found'"
                )
            )
        if rec.study_id not in keys:
            problems.append(
                Problem(file, row, "study_id", f"{rec.study_id!r} is not a key in {_BIBLIOGRAPHY}")
            )
    return problems


_MODEL_FIELDS = (
    "baseline",
    "half_life_min",
    "half_life_low_min",
    "half_life_high_min",
    "half_life_basis",
    "half_life_source",
    "peak_fold",
    "peak_fold_basis",
    "secretion_start_min",
    "secretion_end_min",
    "window_basis",
)


def _hormone_rules(df: pd.DataFrame, file: str, keys: frozenset[str]) -> list[Problem]:
    problems = []
    for row, rec in zip(range(1, len(df) + 1), df.itertuples(index=False), strict=True):
        drawn = rec.status != "not simulated"
        for field in _MODEL_FIELDS:
            value = getattr(rec, field)
            if drawn and pd.isna(value):
                problems.append(
                    Problem(file, row, field, f"required for a marker with status {rec.status!r}")
                )
            if not drawn and pd.notna(value):
                problems.append(
                    Problem(file, row, field, "must be empty for a marker that is not simulated")
                )
        if (
            drawn
            and all(
                pd.notna(getattr(rec, f))
                for f in ("half_life_low_min", "half_life_min", "half_life_high_min")
            )
            and not rec.half_life_low_min <= rec.half_life_min <= rec.half_life_high_min
        ):
            problems.append(
                Problem(
                    file,
                    row,
                    "half_life_min",
                    "must lie in [half_life_low_min, half_life_high_min] "
                    f"= [{rec.half_life_low_min}, {rec.half_life_high_min}]; "
                    f"got {rec.half_life_min}",
                )
            )
        window = (rec.secretion_start_min, rec.secretion_end_min)
        if drawn and not any(pd.isna(w) for w in window) and window[1] < window[0]:
            problems.append(
                Problem(file, row, "secretion_end_min", "must be >= secretion_start_min")
            )
        if rec.status == "flat" and rec.peak_fold != 1:
            problems.append(Problem(file, row, "peak_fold", "must be 1 for a flat marker"))
        if drawn and pd.isna(rec.figure_note):
            problems.append(
                Problem(
                    file, row, "figure_note", f"required for a marker with status {rec.status!r}"
                )
            )
        if not drawn and pd.notna(rec.still_raised_at_min):
            problems.append(
                Problem(
                    file,
                    row,
                    "still_raised_at_min",
                    "must be empty for a marker that is not simulated",
                )
            )
        for field in ("half_life_source", "response_source"):
            value = getattr(rec, field)
            for key in [] if pd.isna(value) else value.split(";"):
                if key not in keys:
                    problems.append(
                        Problem(file, row, field, f"{key!r} is not a key in {_BIBLIOGRAPHY}")
                    )
    return problems


def _claims_rules(df: pd.DataFrame, file: str, keys: frozenset[str]) -> list[Problem]:
    """Sources, evidence status and the rubric: the stated verdict must be the rubric's."""
    from widgets.claims import models  # the rubric lives with the claims' other pure functions

    problems = []
    for row, rec in zip(range(1, len(df) + 1), df.itertuples(index=False), strict=True):
        claim = f"claim {rec.claim_id!r}: "
        sources = [] if pd.isna(rec.sources) else rec.sources.split(";")
        if not sources and rec.evidence_kind != "none found":
            problems.append(
                Problem(
                    file,
                    row,
                    "sources",
                    claim + "give at least one references.bib key; only a claim whose "
                    f"evidence_kind is 'none found' has no source (it is {rec.evidence_kind!r})",
                )
            )
        if sources and rec.evidence_kind == "none found":
            problems.append(
                Problem(
                    file,
                    row,
                    "evidence_kind",
                    claim + "is 'none found', but sources cites evidence; use 'indirect only' or "
                    "stronger, or empty sources",
                )
            )
        if (not sources) != (rec.evidence_status == "none found"):
            problems.append(
                Problem(
                    file,
                    row,
                    "evidence_status",
                    claim + "must be 'none found' exactly when sources is empty (sources is "
                    f"{_show(rec.sources)}, evidence_status is {rec.evidence_status!r})",
                )
            )
        for key in sources:
            if key not in keys:
                problems.append(
                    Problem(file, row, "sources", f"{key!r} is not a key in {_BIBLIOGRAPHY}")
                )
        if len(set(sources)) != len(sources):
            problems.append(Problem(file, row, "sources", "a key is listed twice"))
        rubric = (rec.evidence_kind, rec.evidence_direction, rec.evidence_scope)
        invalid = models.rubric_problems(*rubric)
        problems += [Problem(file, row, field, claim + message) for field, message in invalid]
        if not invalid and rec.verdict != (expected := models.rubric_verdict(*rubric)):
            problems.append(
                Problem(
                    file,
                    row,
                    "verdict",
                    claim + f"the rubric gives {expected!r} for evidence_kind {rubric[0]!r}, "
                    f"evidence_direction {rubric[1]!r}, evidence_scope {rubric[2]!r}, but the "
                    f"row says {rec.verdict!r}; correct the verdict or the rubric fields "
                    "(data/README.md)",
                )
            )
    return problems


_RULES = {"prevalence": _prevalence_rules, "hormones": _hormone_rules, "claims": _claims_rules}


def _show(value) -> str:
    return "empty" if pd.isna(value) else repr(value)


# --- typed reading -------------------------------------------------------------------------------

_DTYPES = {
    "string": "string",
    "integer": "Int64",
    "number": "Float64",
    "boolean": "boolean",
}


def _typed_frame(resource: dict, data_dir: Path) -> pd.DataFrame:
    fields = resource["schema"]["fields"]
    dtypes = {f["name"]: _DTYPES.get(f["type"], "string") for f in fields}
    df = pd.read_csv(
        data_dir / resource["path"],
        dtype=dtypes,
        keep_default_na=False,
        na_values=[""],
        encoding="utf-8",
        skip_blank_lines=False,
    )
    return df[[f["name"] for f in fields]]


def load(name: str, *, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load one table of the data package, validated, as a typed DataFrame.

    Parameters
    ----------
    name : str
        A resource name in ``datapackage.json``: ``"prevalence"``, ``"hormones"`` or ``"claims"``.
    data_dir : path, optional
        The folder holding ``datapackage.json``. Defaults to the pack's ``data/`` folder, found
        relative to this module (the working directory does not matter). Tests pass a copy.

    Returns
    -------
    pandas.DataFrame
        One row per data row of the file, in file order, with the descriptor's column order.
        Integers are ``Int64``, numbers ``Float64`` and text ``string`` (all nullable); an empty
        cell is ``<NA>``.

    Raises
    ------
    DataValidationError
        If the name is unknown, the file is missing, empty or not UTF-8, or any row breaks the
        schema or a cross-field rule. The message lists each problem with its file, row and field.

    Examples
    --------
    >>> hormones = load("hormones")
    >>> prolactin = hormones[hormones.marker == "prolactin"]
    >>> prolactin[["half_life_min", "half_life_low_min", "half_life_high_min"]].to_numpy().tolist()
    [[37.0, 25.0, 50.0]]
    >>> load("nonsense")
    Traceback (most recent call last):
    ...
    widgets.data.DataValidationError: 1 problem in the pack's data:
      datapackage.json: no table named 'nonsense'; the tables are: prevalence, hormones, claims
    """
    data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
    descriptor = _descriptor(data_dir)
    resources = {r["name"]: r for r in descriptor["resources"]}
    if name not in resources:
        valid = ", ".join(resources)
        raise DataValidationError(
            [Problem(_DESCRIPTOR, None, None, f"no table named {name!r}; the tables are: {valid}")]
        )
    resource = resources[name]
    problems = _file_problems(resource, data_dir) or _frictionless_problems(
        descriptor, resource, data_dir
    )
    if problems:
        raise DataValidationError(problems)
    df = _typed_frame(resource, data_dir)
    problems = _cross_field_problems(name, df, resource["path"], bibliography_keys(data_dir))
    if problems:
        raise DataValidationError(problems)
    return df
