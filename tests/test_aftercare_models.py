"""Tests for widgets.aftercare.models: choices and text in, a short plan out, bad input named."""

from __future__ import annotations

import urllib.parse

import pytest

from widgets.aftercare import models


def test_an_empty_plan_says_what_to_do_and_where_help_is():
    plan = models.build_plan()
    assert plan.startswith("My aftercare plan\n\n(Nothing chosen yet")
    assert models.HELP_TEXT in plan
    assert models.PLAN_CRISIS_TEXT in plan
    assert plan.endswith("Made with the post-sex blues teaching pack.")


def test_choices_appear_in_option_order_once_each():
    plan = models.build_plan(comfort=["space", "water", "water"], include_help=False)
    assert plan.count("a glass of water") == 1
    assert plan.index("a glass of water") < plan.index("a few minutes on my own")


def test_every_part_shows_when_filled_in():
    plan = models.build_plan(
        comfort=list(models.COMFORT),
        from_partner=list(models.FROM_PARTNER),
        words="I'm okay, I need a minute.",
        talk_later="next-day",
        notes="Tea, not coffee.\n\n\n\nAnd the cat.",
    )
    for text in [*models.COMFORT.values(), *models.FROM_PARTNER.values()]:
        assert f"- {text}" in plan
    assert 'Words I can use: "I\'m okay, I need a minute."' in plan
    assert "When to talk it over: the next day." in plan
    assert "Notes:\nTea, not coffee.\n\nAnd the cat." in plan  # runs of blank lines folded
    assert "If it is more than the blues:" in plan


def test_a_plan_without_a_partner_has_no_partner_section():
    plan = models.build_plan(comfort=["rest"])
    assert "partner(s):" not in plan


def test_help_text_signposts_without_country_specific_numbers():
    text = models.HELP_TEXT
    assert "AASECT-certified sex therapist (USA)" in text
    assert "country's equivalent register" in text
    assert "emergency services" in text
    assert not any(ch.isdigit() for ch in text)


def test_every_plan_with_help_has_the_urgent_help_line():
    """Someone in crisis reading their own plan finds the route to urgent help in it."""
    for plan in (models.build_plan(), models.build_plan(comfort=["water"], notes="x")):
        assert models.PLAN_CRISIS_TEXT in plan
    for crisis, harm in ((models.CRISIS_TEXT, "yourself"), (models.PLAN_CRISIS_TEXT, "myself")):
        assert f"harming {harm}" in crisis
        assert "emergency number" in crisis
        assert "crisis line" in crisis
        assert "emergency department" in crisis
        assert not any(ch.isdigit() for ch in crisis)  # no country-specific numbers


def test_free_text_is_cleaned():
    plan = models.build_plan(words="  ok\x00 \t then\n ", notes="line one\r\nline\x07 two")
    assert 'Words I can use: "ok then"' in plan
    assert "Notes:\nline one\nline two" in plan


@pytest.mark.parametrize(
    ("kwargs", "fragments"),
    [
        ({"comfort": ["hug"]}, ["comfort", "'hug'", "valid: water, warmth"]),
        ({"comfort": "water"}, ["comfort must be a list of option ids", "'water'"]),
        ({"from_partner": ["leave"]}, ["from_partner", "'leave'", "valid: stay-calm"]),
        ({"talk_later": "never"}, ["talk_later must be one of", "'next-day'", "'never'"]),
        ({"words": "x" * 121}, ["words is too long: 121 characters; at most 120"]),
        ({"notes": "x" * 401}, ["notes is too long: 401 characters; at most 400"]),
        ({"notes": 3}, ["notes must be text", "3"]),
        ({"include_help": "yes"}, ["include_help must be True or False", "'yes'"]),
    ],
)
def test_bad_input_is_named(kwargs, fragments):
    with pytest.raises(ValueError) as info:
        models.build_plan(**kwargs)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_download_href_round_trips_and_is_attribute_safe():
    plan = models.build_plan(words='He said "stop" & <left>', notes="ünïcode ✔")
    href = models.download_href(plan)
    assert href.startswith("data:text/plain;charset=utf-8,")
    payload = href.split(",", 1)[1]
    assert not set(payload) & set("\"'<> &\n")
    assert urllib.parse.unquote(payload) == plan
    with pytest.raises(ValueError, match="text must be a str"):
        models.download_href(None)
