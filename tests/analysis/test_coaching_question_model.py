"""The fitted question type on own sentences, written and as a recogniser hands them over (no "?", no
capitals), and the fuzzy phrase families the coaching lexicon is written in."""

from __future__ import annotations

import re

import pytest

from assistant.analysis.coaching import classify_question
from assistant.analysis.fuzzy import find_phrases, parse_phrase
from assistant.analysis.question_model import QUESTION_MODEL, question_features
from assistant.analysis.training import load_model


def transcript(text: str) -> str:
    return re.sub(r"[.,!?;:]", "", text.lower())


@pytest.mark.parametrize("text, expected", [
    ("Hvordan har du oplevet forløbet indtil nu?", "open"),
    ("Fortæl mig lidt om, hvad der skete med ansøgningen.", "open"),
    ("Har du modtaget brevet fra os?", "closed"),
    ("Jeg sender dig en kopi af afgørelsen i dag.", "none"),
])
def test_question_type_with_and_without_punctuation(parse, text, expected):
    assert classify_question(parse(text)).question == expected
    assert classify_question(parse(transcript(text))).question == expected


def test_a_tag_at_the_end_makes_a_statement_a_closed_question(parse):
    assert classify_question(parse("så du har ringet tre gange uden svar ikke")).question == "closed"


def test_features_read_word_order_without_punctuation(parse):
    features = question_features(parse("okay har du fået papirerne"), "closed", opening=False, summary=0.0)
    assert features["inv:opener"] == 1.0
    assert features["u#inv:opener"] == 1.0  # the same feature once more for the unpunctuated regime


def test_the_question_model_ships_and_knows_the_three_types():
    model = load_model(QUESTION_MODEL)
    assert sorted(model.classes) == ["closed", "none", "open"]
    assert model.meta["scores"]["per_writer"]


def test_a_fuzzy_family_matches_each_alternative_and_keeps_required_words():
    phrase = parse_phrase("har jeg !forstået|!opfattet det|dig rigtigt|ret", "tag")
    for text in ("har jeg forstået dig ret", "har jeg opfattet det rigtigt"):
        assert find_phrases(text.split(), (phrase,))
    assert not find_phrases("har jeg hørt det rigtigt".split(), (phrase,))
