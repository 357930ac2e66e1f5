"""Tests for widgets.data: the package validates, loads typed, and broken files fail clearly."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import frictionless
import pandas as pd
import pytest

from widgets import data

# --- the package as shipped -----------------------------------------------------------------------


def test_datapackage_is_valid_frictionless():
    report = frictionless.Package(str(data.DATA_DIR / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.mark.parametrize("name", data.names())
def test_every_row_is_loaded(name):
    path = data.DATA_DIR / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        n_rows = sum(1 for _ in csv.DictReader(fh))
    df = data.load(name)
    assert len(df) == n_rows
    assert list(df.columns) == [f["name"] for f in _resource(name)["schema"]["fields"]]


def test_types_follow_the_descriptor():
    df = data.load("prevalence")
    assert df["n"].dtype == "Int64"
    assert df["percent"].dtype == "Float64"
    assert df["row_id"].dtype == "string"
    assert df["n"].isna().sum() == (df["n_status"] != "group").sum()


def test_load_does_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    here = len(data.load("hormones"))
    monkeypatch.chdir(tmp_path)
    assert len(data.load("hormones")) == here > 0


# Every prevalence figure in the research fact sheet (shared/research/sources.md, sections A1–A4),
# transcribed by hand: (row_id, n, percent or (low, high), doi). The data file must hold each one,
# as transcribed. (A new row needs no entry here: every row must carry its own quote and locator.)
SOURCES_A1_A4 = [
    ("bird2011-women-lifetime", 222, 32.9, "10.1080/19317611.2010.509689"),
    ("bird2011-women-4wk", 222, 10.0, "10.1080/19317611.2010.509689"),
    ("schweitzer2015-women-lifetime", 230, 46.0, "10.1002/sm2.74"),
    ("schweitzer2015-women-4wk", 230, 5.1, "10.1002/sm2.74"),
    ("schweitzer2015-women-mostly", 230, 2.0, "10.1002/sm2.74"),
    ("maczkowiack2019-men-lifetime", 1208, 41.0, "10.1080/0092623X.2018.1488326"),
    ("maczkowiack2019-men-4wk", 1208, 20.2, "10.1080/0092623X.2018.1488326"),
    ("maczkowiack2019-men-regularly", 1208, (3.0, 4.0), "10.1080/0092623X.2018.1488326"),
    ("burrispector2011-women-recent", 1489, 3.7, "10.1375/twin.14.3.240"),
    ("burrispector2011-women-persistent", 1489, 7.7, "10.1375/twin.14.3.240"),
    ("burrihilpert2020-all-4wk", 299, 91.9, "10.1016/j.jsxm.2019.12.009"),
    ("burrihilpert2020-all-lifetime", 299, 94.3, "10.1016/j.jsxm.2019.12.009"),
    ("burrihilpert2020-all-after-intercourse", None, 73.5, "10.1016/j.jsxm.2019.12.009"),
    ("burrihilpert2020-all-after-general", None, 41.9, "10.1016/j.jsxm.2019.12.009"),
    ("burrihilpert2020-all-after-masturbation", None, 46.6, "10.1016/j.jsxm.2019.12.009"),
    ("burrihilpert2020-all-only-orgasm", 299, 33.9, "10.1016/j.jsxm.2019.12.009"),
    ("raftery2024-men-relationship", 51, 21.6, "10.1080/0092623X.2024.2346165"),
    ("raftery2024-men-casual", 51, 49.0, "10.1080/0092623X.2024.2346165"),
    ("raftery2024-men-masturbation", 51, 72.5, "10.1080/0092623X.2024.2346165"),
    ("raftery2024-women-relationship", 105, 11.4, "10.1080/0092623X.2024.2346165"),
    ("raftery2024-women-casual", 105, 77.1, "10.1080/0092623X.2024.2346165"),
    ("raftery2024-women-masturbation", 105, 51.4, "10.1080/0092623X.2024.2346165"),
    ("toussaint-mam", None, 42.0, None),
    ("toussaint-bisexual-fluid", None, 81.0, None),
]


@pytest.fixture(scope="module")
def prevalence() -> pd.DataFrame:
    return data.load("prevalence")


@pytest.mark.parametrize(("row_id", "n", "percent", "doi"), SOURCES_A1_A4)
def test_every_sourced_figure_is_in_the_data(prevalence, row_id, n, percent, doi):
    df = prevalence.set_index("row_id")
    assert row_id in df.index
    row = df.loc[row_id]
    if n is None:
        assert pd.isna(row["n"]) and row["n_status"] != "group"
    else:
        assert row["n"] == n
    if isinstance(percent, tuple):
        assert pd.isna(row["percent"])
        assert (row["percent_low"], row["percent_high"]) == percent
    else:
        assert row["percent"] == percent
    assert (pd.isna(row["doi"]) and doi is None) or row["doi"] == doi


def test_no_unsourced_prevalence_rows(prevalence):
    for row in prevalence.itertuples():
        assert isinstance(row.quote, str) and row.quote.strip(), (row.row_id, "quote")
        locators = {"abstract", "table", "full text", "press release", "news"}
        assert row.locator in locators, (row.row_id, "locator")
        assert row.evidence in {"primary", "secondary"}, (row.row_id, "evidence")


def test_every_cited_key_is_in_the_bibliography():
    keys = data.bibliography_keys()
    prevalence = data.load("prevalence")
    hormones = data.load("hormones")
    cited = set(prevalence["study_id"])
    for column in ("half_life_source", "response_source"):
        for value in hormones[column].dropna():
            cited.update(value.split(";"))
    assert cited <= keys


def test_hormone_rows_say_what_is_illustrative():
    hormones = data.load("hormones").set_index("marker")
    for marker in hormones.index[hormones.status == "not simulated"]:
        assert "Not drawn" in hormones.loc[marker, "note"], marker  # says why it is not drawn
    for marker in hormones.index[hormones.status == "simulated"]:
        basis = hormones.loc[marker, "peak_fold_basis"]
        assert basis in {"measured", "illustrative", "measured no change"}, marker
    for marker in hormones.index[hormones.status == "simulated"]:
        low, mid, high = hormones.loc[
            marker, ["half_life_low_min", "half_life_min", "half_life_high_min"]
        ]
        assert low <= mid <= high


# --- broken files ---------------------------------------------------------------------------------


def _resource(name: str) -> dict:
    import json

    descriptor = json.loads((data.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    return next(r for r in descriptor["resources"] if r["name"] == name)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, target)
    return target


def _edit(folder: Path, name: str, change: Callable[[list[list[str]]], None]) -> None:
    path = folder / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _set(column: str, value: str, row: int = 3):
    """A change that sets one cell; ``row`` counts data rows from 1."""

    def change(rows):
        rows[row][rows[0].index(column)] = value

    return change


def _drop_column(column: str):
    def change(rows):
        index = rows[0].index(column)
        for r in rows:
            del r[index]

    return change


def _duplicate_id(rows):
    rows[3][0] = rows[2][0]


def _blank_row(rows):
    rows.insert(3, [])


def _short_row(rows):
    rows[3] = rows[3][:5]


def _extra_column(rows):
    for r in rows:
        r.append("x")


# (test id, table, change, expected fragments of the message)
CORRUPTIONS = [
    (
        "missing column",
        "prevalence",
        _drop_column("percent"),
        ["prevalence.csv", "'percent'", "missing column"],
    ),
    (
        "wrong type",
        "prevalence",
        _set("n", "abc"),
        ["row 3 (line 4)", "'n'", "'abc'", "whole number"],
    ),
    (
        "percent above 100",
        "prevalence",
        _set("percent", "120"),
        ["row 3", "'percent'", "'120'", "at most 100"],
    ),
    ("negative percent", "prevalence", _set("percent", "-1"), ["row 3", "'percent'", "at least 0"]),
    ("n is zero", "prevalence", _set("n", "0"), ["row 3", "'n'", "'0'", "at least 1"]),
    ("n is negative", "prevalence", _set("n", "-5"), ["row 3", "'n'", "at least 1"]),
    (
        "unknown measure",
        "prevalence",
        _set("measure", "forever"),
        ["row 3", "'measure'", "'forever'", "one of lifetime"],
    ),
    (
        "malformed DOI",
        "prevalence",
        _set("doi", "doi:xyz"),
        ["row 3", "'doi'", "'doi:xyz'", "pattern"],
    ),
    (
        "duplicate id",
        "prevalence",
        _duplicate_id,
        ["row 3 (line 4)", "duplicate id", "row 2 (line 3)"],
    ),
    ("blank row", "prevalence", _blank_row, ["row 3", "blank row"]),
    ("short row", "prevalence", _short_row, ["row 3", "fewer than the header"]),
    ("extra column", "prevalence", _extra_column, ["'x'", "unknown column"]),
    (
        "required cell empty",
        "prevalence",
        _set("sampling", ""),
        ["row 3", "'sampling'", "required"],
    ),
    (
        "percent and range",
        "prevalence",
        _set("percent_low", "3"),
        ["row 3", "'percent'", "not both"],
    ),
    ("n above total", "prevalence", _set("n", "5000"), ["row 3", "'n'", "exceeds n_total"]),
    (
        "n given with total-only",
        "prevalence",
        _set("n_status", "total-only"),
        ["row 3", "'n'", "n_status"],
    ),
    (
        "unknown reference",
        "prevalence",
        _set("study_id", "nobody2020"),
        ["row 3", "'study_id'", "references.bib"],
    ),
    (
        "half-life outside range",
        "hormones",
        _set("half_life_min", "90", row=1),
        ["hormones.csv", "row 1", "'half_life_min'", "[25.0, 50.0]"],
    ),
    (
        "half-life zero",
        "hormones",
        _set("half_life_min", "0", row=1),
        ["row 1", "'half_life_min'", "greater than 0"],
    ),
    (
        "simulated marker without half-life",
        "hormones",
        _set("half_life_min", "", row=2),
        ["row 2", "'half_life_min'", "required"],
    ),
    (
        "window ends before it starts",
        "hormones",
        _set("secretion_end_min", "-5", row=1),
        ["row 1", "'secretion_end_min'", ">= secretion_start_min"],
    ),
    (
        "unknown status",
        "hormones",
        _set("status", "guessed", row=1),
        ["row 1", "'status'", "one of simulated"],
    ),
]


@pytest.mark.parametrize(
    ("table", "change", "fragments"),
    [c[1:] for c in CORRUPTIONS],
    ids=[c[0] for c in CORRUPTIONS],
)
def test_corruption_raises_a_clear_error(data_copy, table, change, fragments):
    _edit(data_copy, table, change)
    with pytest.raises(data.DataValidationError) as info:
        data.load(table, data_dir=data_copy)
    message = str(info.value)
    assert isinstance(info.value, ValueError)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in:\n{message}"


def test_empty_file(data_copy):
    (data_copy / "prevalence.csv").write_bytes(b"")
    with pytest.raises(data.DataValidationError, match=r"prevalence\.csv: the file is empty"):
        data.load("prevalence", data_dir=data_copy)


def test_missing_file(data_copy):
    (data_copy / "hormones.csv").unlink()
    with pytest.raises(data.DataValidationError, match=r"hormones\.csv: file not found"):
        data.load("hormones", data_dir=data_copy)


def test_undecodable_bytes_name_the_row_and_field(data_copy):
    path = data_copy / "prevalence.csv"
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b"female university", b"f\xffmale university", 1))
    with pytest.raises(data.DataValidationError) as info:
        data.load("prevalence", data_dir=data_copy)
    message = str(info.value)
    assert "row 1 (line 2)" in message
    assert "'population'" in message
    assert "not UTF-8" in message


def test_unknown_table_lists_the_tables():
    with pytest.raises(data.DataValidationError, match="the tables are: prevalence, hormones"):
        data.load("prevalance")


def test_missing_descriptor(tmp_path):
    with pytest.raises(data.DataValidationError, match=r"datapackage\.json: file not found"):
        data.load("prevalence", data_dir=tmp_path)


def test_every_problem_is_reported_not_just_the_first(data_copy):
    def two_problems(rows):
        _set("percent", "120", row=1)(rows)
        _set("n", "0", row=4)(rows)

    _edit(data_copy, "prevalence", two_problems)
    with pytest.raises(data.DataValidationError) as info:
        data.load("prevalence", data_dir=data_copy)
    assert len(info.value.problems) == 2
    assert {(p.row, p.field) for p in info.value.problems} == {(1, "percent"), (4, "n")}


def test_header_only_file_loads_as_an_empty_table(data_copy):
    path = data_copy / "prevalence.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert len(data.load("prevalence", data_dir=data_copy)) == 0
