"""The fitted summary detector: its features and its decision on caseworker turns of our own."""

from __future__ import annotations

import pytest

from assistant.analysis.coaching import summary_score
from assistant.analysis.summary_model import is_summary, summary_features

SUMMARIES = [
    "Hvis jeg har forstået det korrekt, venter du stadig på svar om boligstøtten, og ingen har kontaktet dig?",
    "Du mener altså, at brevet om tilbagebetalingen var uklart, og at summen er forkert.",
    "Lad mig lige samle op: hjemmehjælpen kom ikke i fredags, og du kunne ikke komme igennem på telefonen.",
    "så du har søgt om et handicapkørekort i marts og har stadig ikke hørt noget er det rigtigt",
]
NOT_SUMMARIES = [
    "Goddag, det er Pia fra Borgerservice. Har du tid til at tale et par minutter?",
    "Hvad betyder mest for dig, når vi taler om sagen her?",
    "Jeg sender dig et brev i morgen med det, vi har aftalt.",
    "Det forstår jeg godt. Hvornår skete det første gang?",
]


def test_features_carry_the_hand_evidence_and_the_opening_words(parse):
    turn = parse(SUMMARIES[0])
    features = summary_features(turn, summary_score(turn), turn_index=5)
    assert features["hand:score"] > 0
    assert features["start0:hvis"] == 1.0
    assert features["ends:question"] == 1.0
    assert any(name.startswith("ng:") for name in features)


@pytest.mark.parametrize("text", SUMMARIES)
def test_summaries_of_our_own_are_found(parse, text):
    assert is_summary(parse(text), turn_index=6)


@pytest.mark.parametrize("text", NOT_SUMMARIES)
def test_questions_openings_and_plans_are_no_summary(parse, text):
    assert not is_summary(parse(text), turn_index=2)
