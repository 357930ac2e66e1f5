"""Tests for widgets.references: the bibliography parses and formats every cited source."""

import pytest

from widgets import data, references


def test_every_entry_parses_with_a_title():
    entries = references.entries()
    assert set(entries) == data.bibliography_keys()
    assert all(entry.get("title") for entry in entries.values())


def test_every_entry_formats_without_latex_left_over():
    for key, entry in references.entries().items():
        text = references.format_entry(entry)
        assert "{" not in text and "\\" not in text, key
        assert entry["title"].rstrip(".") in text


def test_cite_keeps_the_order_given_and_shows_as_markdown():
    citation = references.cite("maczkowiack2019", "bird2011")
    assert citation.markdown.index("Maczkowiack") < citation.markdown.index("Bird")
    assert citation._repr_markdown_() == citation.markdown
    assert "https://doi.org/10.1080/19317611.2010.509689" in citation.markdown.replace("\n  ", " ")


def test_a_note_is_shown_and_an_empty_note_is_not():
    entry = {"type": "misc", "title": "A made-up source", "year": "2020"}
    with_note = references.format_entry({**entry, "note": "Pages not seen."})
    assert with_note.endswith("(Pages not seen.)")
    without = references.format_entry(entry)
    assert without == "A made-up source. (2020)."
    for empty in ("", "  "):
        assert references.format_entry({**entry, "note": empty}) == without


def test_latex_accents_become_letters(tmp_path):
    bib = tmp_path / "references.bib"
    bib.write_text(
        "@article{x,\n  author = {Vargas-C{\\'a}ceres, S. and M{\\\"u}ller, A.},\n"
        "  title = {T}\n}\n",
        encoding="utf-8",
    )
    assert references.entries(bib)["x"]["author"] == "Vargas-Cáceres, S. and Müller, A."


def test_accents_and_authors():
    text = references.format_entry(references.entries()["brody2006"])
    assert text.startswith("Brody, S., & Krüger, T. H. C. (2006).")


def test_unknown_key_is_named():
    with pytest.raises(KeyError, match="nobody2020"):
        references.cite("bird2011", "nobody2020")


def test_malformed_entry_is_named(tmp_path):
    bib = tmp_path / "references.bib"
    bib.write_text("@article{broken,\n  title = {Unclosed,\n  year = 2020\n}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="broken"):
        references.entries(bib)


def test_one_argument_may_hold_several_keys():
    """Lessons list many keys in a few short lines: spaces separate keys within one argument."""
    joined = references.cite("maczkowiack2019 bird2011", "aasect")
    assert joined.keys == ("maczkowiack2019", "bird2011", "aasect")
    assert joined == references.cite("maczkowiack2019", "bird2011", "aasect")
