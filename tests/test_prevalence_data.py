"""The loader's guards on data/prevalence.csv: definitions, and percentages that fit a count.

Each test edits a copy of the data folder (a made-up row or a changed cell), so it checks the
rule, not today's rows.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from widgets import data


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, target)
    return target


def _rows(folder: Path) -> list[dict[str, str]]:
    with (folder / "prevalence.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _write(folder: Path, rows: list[dict[str, str]]) -> None:
    with (folder / "prevalence.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _add_row(folder: Path, **cells: str) -> int:
    """Append a made-up, otherwise valid row (a copy of the first row); return its row number."""
    rows = _rows(folder)
    first = rows[0]
    row = {
        **first,
        "row_id": "madeup2099-people-lifetime",
        "n": "200",
        "n_total": "200",
        "percent": "40",
        "percent_decimals": "0",
        "count_note": "",
        **cells,
    }
    rows.append(row)
    _write(folder, rows)
    return len(rows)


def _problems(folder: Path) -> str:
    with pytest.raises(data.DataValidationError) as info:
        data.load("prevalence", data_dir=folder)
    return str(info.value)


def test_a_made_up_valid_row_loads(folder):
    number = _add_row(folder)
    table = data.load("prevalence", data_dir=folder)
    assert len(table) == number and table["row_id"].iloc[-1] == "madeup2099-people-lifetime"


def test_impossible_percent_of_n_names_file_row_and_field(folder):
    # 5.1% of 230: 11 people are 4.78%, 12 are 5.22%; no whole count rounds to 5.1.
    number = _add_row(folder, n="230", n_total="230", percent="5.1", percent_decimals="1")
    message = _problems(folder)
    assert f"prevalence.csv, row {number} (line {number + 1}), field 'percent'" in message
    assert "5.1% of n = 230" in message and "11/230 = 4.78%" in message
    assert "12/230 = 5.22%" in message and "count_note" in message


def test_rounding_to_the_reported_decimals_is_allowed(folder):
    # 32.9% of 222 is 73 people (32.88%); 10% of 222 is 22 or 23 people at 0 decimals.
    _add_row(folder, n="222", n_total="222", percent="32.9", percent_decimals="1")
    assert len(data.load("prevalence", data_dir=folder))
    folder_rows = _rows(folder)
    folder_rows[-1].update(percent="10", percent_decimals="0")
    _write(folder, folder_rows)
    assert len(data.load("prevalence", data_dir=folder))


def test_the_number_of_decimals_matters(folder):
    # 10.0% (one decimal) of 222 fits no whole count, though 10% (none) does.
    number = _add_row(folder, n="222", n_total="222", percent="10", percent_decimals="1")
    message = _problems(folder)
    assert f"row {number} (line {number + 1}), field 'percent'" in message
    assert "reported to 1 decimal(s)" in message


def test_a_count_note_lets_an_explained_figure_load(folder):
    _add_row(
        folder,
        n="230",
        n_total="230",
        percent="5.1",
        percent_decimals="1",
        count_note="The denominator is the people who answered the item, not given.",
    )
    table = data.load("prevalence", data_dir=folder)
    assert table["count_note"].iloc[-1].startswith("The denominator")


def test_a_count_note_where_a_count_fits_is_rejected(folder):
    number = _add_row(folder, count_note="No count fits.")
    message = _problems(folder)
    assert f"row {number} (line {number + 1}), field 'count_note'" in message
    assert "80/200 = 40.0% rounds to 40%" in message


def test_a_count_note_without_a_group_size_is_rejected(folder):
    number = _add_row(folder, n="", n_status="total-only", count_note="No count fits.")
    assert f"row {number} (line {number + 1}), field 'count_note'" in _problems(folder)


@pytest.mark.parametrize(
    ("cells", "field"),
    [
        ({"percent_decimals": ""}, "percent_decimals"),
        ({"percent": "40.25", "percent_decimals": "1"}, "percent"),
        (
            {"percent": "", "percent_low": "3", "percent_high": "4", "percent_decimals": "0"},
            "percent_decimals",
        ),
    ],
)
def test_percent_decimals_must_match_the_percent(folder, cells, field):
    number = _add_row(folder, **cells)
    assert f"row {number} (line {number + 1}), field '{field}'" in _problems(folder)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("recall_window", "past month"),
        ("frequency_threshold", "sometimes"),
        ("sampling", "population-based"),
    ],
)
def test_definition_and_sampling_values_come_from_the_descriptor(folder, field, value):
    number = _add_row(folder, **{field: value})
    message = _problems(folder)
    assert f"row {number} (line {number + 1}), field '{field}'" in message
    assert f"found {value!r}, expected one of" in message


@pytest.mark.parametrize("field", ["recall_window", "frequency_threshold"])
def test_definition_fields_are_required(folder, field):
    number = _add_row(folder, **{field: ""})
    message = _problems(folder)
    assert f"row {number} (line {number + 1}), field '{field}'" in message and "required" in message
