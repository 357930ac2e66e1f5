"""Tests for widgets.aftercare.ui: labelled controls, live preview, reset, nothing kept."""

from __future__ import annotations

import html
import os
import urllib.parse

import ipywidgets as ipw
import pytest

from widgets.aftercare import models, ui


@pytest.fixture
def builder():
    return ui.aftercare_builder()


def test_every_control_is_labelled(builder):
    inputs = [*builder.comfort.values(), *builder.from_partner.values()]
    inputs += [builder.words, builder.talk_later, builder.notes, builder.include_help]
    for control in inputs:
        assert control.description.strip(), control
    assert builder.start_again.description == "Start again"
    assert set(builder.comfort) == set(models.COMFORT)
    assert set(builder.from_partner) == set(models.FROM_PARTNER)


def test_outputs_are_separate_widgets(builder):
    assert isinstance(builder.controls, ipw.VBox)
    assert builder.preview not in builder.controls.children
    assert builder.download not in builder.controls.children


def test_ticking_a_box_updates_preview_and_download(builder):
    builder.comfort["water"].value = True
    assert "- a glass of water" in builder.plan_text
    assert html.escape("- a glass of water") in builder.preview.value
    href = builder.download.value.split('href="', 1)[1].split('"', 1)[0]
    assert urllib.parse.unquote(href.split(",", 1)[1]) == builder.plan_text
    assert 'download="aftercare-plan.txt"' in builder.download.value


def test_typing_updates_the_plan_and_is_escaped_in_html(builder):
    builder.words.value = "<b>fine</b>"
    assert 'Words I can use: "<b>fine</b>"' in builder.plan_text
    assert "<b>fine</b>" not in builder.preview.value
    assert "&lt;b&gt;fine&lt;/b&gt;" in builder.preview.value


def test_choose_matches_the_model(builder):
    kwargs = {
        "comfort": ["warmth", "held"],
        "from_partner": ["ask"],
        "words": "Just sit with me.",
        "talk_later": "same-day",
        "notes": "No questions tonight.",
        "include_help": False,
    }
    assert builder.choose(**kwargs) == models.build_plan(**kwargs)
    assert builder.comfort["held"].value and not builder.comfort["water"].value
    assert builder.talk_later.value == "same-day"


def test_choose_rejects_unknown_ids_before_changing_anything(builder):
    builder.choose(comfort=["water"])
    before = builder.plan_text
    with pytest.raises(ValueError, match="'hug'"):
        builder.choose(comfort=["hug"])
    assert builder.plan_text == before and builder.comfort["water"].value


def test_start_again_clears_everything(builder):
    builder.choose(comfort=["water"], words="hello", include_help=False)
    builder.start_again.click()
    assert builder.plan_text == models.build_plan()
    assert not any(box.value for box in builder.comfort.values())
    assert builder.words.value == "" and builder.include_help.value


def test_too_long_text_shows_a_message_and_keeps_the_last_plan(builder):
    builder.choose(comfort=["snack"])
    good = builder.plan_text
    builder.notes.value = "x" * (models.MAX_NOTES_CHARS + 1)
    assert "Please shorten your text" in builder.preview.value
    assert builder.plan_text == good


def test_nothing_is_written_or_sent(builder, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sent = []
    for widget in [builder.preview, builder.download, *builder.comfort.values()]:
        monkeypatch.setattr(widget, "send", lambda *a, **k: sent.append(a), raising=False)
    builder.choose(comfort=["water"], notes="private")
    builder.reset()
    assert os.listdir(tmp_path) == []
    assert sent == []  # no custom messages: only the standard widget state sync
    assert "http" not in builder.download.value


def test_start_again_leaves_no_trace_of_the_plan_in_any_widget(builder):
    """Lesson 06 promises that *Start again* clears the plan: no widget state still holds it."""
    secret = "words only I should see"
    builder.choose(comfort=["water"], words=secret, notes=secret + " again")
    assert secret in builder.plan_text
    builder.reset()
    assert secret not in builder.plan_text
    widgets = [builder.preview, builder.download, builder.words, builder.notes]
    for widget in widgets:
        state = widget.get_state()
        assert secret not in repr(state), type(widget).__name__


def test_creating_the_builder_displays_nothing(capsys):
    ui.aftercare_builder()
    assert capsys.readouterr() == ("", "")
