"""General framings of a caseworker's summary (writing the points down, checking that all is heard, counting the
things raised) as features of the fitted summary model, with and without punctuation. Own sentences."""

from __future__ import annotations

import pytest

from assistant.analysis.coaching import summary_score
from assistant.analysis.summary_model import framing_features, is_summary, summary_features


@pytest.mark.parametrize("words, frame", [
    ("jeg skriver det hele ned mens vi taler", "noted"),
    ("lad mig lige tjekke at jeg har det hele", "noted"),
    ("let me check that i got it", "noted"),
    ("der er altså tre ting i din klage", "counted"),
    ("så to punkter ventetiden og tonen", "counted"),
])
def test_framings_are_found_in_the_words(words, frame):
    assert framing_features(words.split()) == {f"frame:{frame}": 1.0}


@pytest.mark.parametrize("words", [
    "jeg sender dig brevet i morgen",
    "det tog tre uger før du fik svar",
    "ting tager tid",
])
def test_ordinary_turns_have_no_framing(words):
    assert framing_features(words.split()) == {}


@pytest.mark.parametrize("text", [
    "Jeg skriver lige ned, hvad du har sagt: Bussen kom for sent tre dage i træk, og ingen svarede på dine mails. "
    "Er det rigtigt forstået?",
    "jeg skriver lige ned hvad du har sagt bussen kom for sent tre dage i træk og ingen svarede på dine mails er "
    "det rigtigt forstået",
])
def test_a_framed_summary_carries_its_framing_and_is_a_summary(parse, text):
    turn = parse(text)
    features = summary_features(turn, summary_score(turn), turn_index=6)
    assert features["frame:noted"] == 1.0
    assert is_summary(turn, turn_index=6)


@pytest.mark.parametrize("text", [
    "Jeg noterer mig din adresse og sender brevet i morgen.",
    "jeg sender dig et nyt skema med posten i morgen",
])
def test_a_plan_is_no_summary(parse, text):
    assert not is_summary(parse(text), turn_index=6)
