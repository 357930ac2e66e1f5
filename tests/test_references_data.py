"""Every reference in the data tables resolves to references.bib, and DOIs agree with it.

The guard walks whatever tables and rows exist: a column counts as holding references.bib keys when
its description in ``datapackage.json`` says so, and a row's ``doi`` is compared with the DOI of
the entry named in its ``study_id``. Nothing here pins today's rows or keys.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from widgets import data, references


def _resources() -> dict[str, dict]:
    descriptor = json.loads((data.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    return {r["name"]: r for r in descriptor["resources"]}


def _key_fields(resource: dict) -> list[str]:
    """Columns documented as holding references.bib keys."""
    return [
        f["name"]
        for f in resource["schema"]["fields"]
        if "references.bib" in f.get("description", "") and f["name"] != "doi"
    ]


def test_some_table_cites_the_bibliography():
    # Guards the guard: if no column were found, the check below would pass vacuously.
    assert any(_key_fields(r) for r in _resources().values())


@pytest.mark.parametrize("name", data.names())
def test_every_reference_in_a_table_resolves(name):
    resource = _resources()[name]
    fields = {f["name"] for f in resource["schema"]["fields"]}
    if "doi" in fields:
        assert "study_id" in fields, f"{resource['path']}: a doi column needs a study_id column"
    rows = data.load(name).to_dict("records")
    problems = references.citation_problems(
        rows, resource["path"], _key_fields(resource), references.entries()
    )
    assert not problems, "\n".join(str(p) for p in problems)


# --- the checking function, on made-up data ------------------------------------------------------

BIB = {
    "smith2020": {"type": "article", "title": "A", "doi": "10.1000/Smith.2020"},
    "lee2021": {"type": "article", "title": "B"},
}


def _check(rows, key_fields=("study_id",)):
    return references.citation_problems(rows, "made-up.csv", key_fields, BIB)


def test_matching_rows_pass_and_doi_case_is_ignored():
    rows = [
        {"study_id": "smith2020", "doi": "10.1000/smith.2020"},
        {"study_id": "lee2021", "doi": pd.NA},
        {"study_id": "lee2021", "doi": None},
    ]
    assert _check(rows) == []


def test_unknown_key_names_file_row_and_field():
    rows = [{"sources": "smith2020"}, {"sources": "smith2020;ghost1999"}]
    (problem,) = _check(rows, key_fields=("sources",))
    assert (problem.file, problem.row, problem.field) == ("made-up.csv", 2, "sources")
    assert "'ghost1999'" in problem.message
    assert str(problem).startswith("made-up.csv, row 2 (line 3), field 'sources'")


def test_every_key_column_is_checked_and_empty_cells_are_skipped():
    rows = [{"half_life_source": pd.NA, "response_source": "lee2021;nobody"}]
    (problem,) = _check(rows, key_fields=("half_life_source", "response_source"))
    assert problem.field == "response_source"


def test_a_doi_that_differs_from_the_bibliography_fails():
    (problem,) = _check([{"study_id": "smith2020", "doi": "10.1000/other"}])
    assert (problem.row, problem.field) == (1, "doi")
    assert "10.1000/other" in problem.message and "10.1000/Smith.2020" in problem.message


def test_a_doi_the_bibliography_lacks_fails():
    (problem,) = _check([{"study_id": "lee2021", "doi": "10.1000/lee"}])
    assert problem.field == "doi" and "has no DOI" in problem.message


def test_an_empty_doi_where_the_bibliography_has_one_fails():
    (problem,) = _check([{"study_id": "smith2020", "doi": pd.NA}])
    assert problem.field == "doi" and "10.1000/Smith.2020" in problem.message


def test_an_unknown_study_is_reported_once_not_also_as_a_doi_mismatch():
    problems = _check([{"study_id": "ghost1999", "doi": "10.1000/x"}])
    assert [p.field for p in problems] == ["study_id"]


def test_every_problem_is_reported_with_its_row():
    rows = [
        {"study_id": "ghost1999", "doi": pd.NA},
        {"study_id": "smith2020", "doi": "10.1000/smith.2020"},
        {"study_id": "smith2020", "doi": "10.9999/wrong"},
    ]
    assert [(p.row, p.field) for p in _check(rows)] == [(1, "study_id"), (3, "doi")]
