"""Caseworker question type, leading questions, summaries and the nudge to summarise."""

from __future__ import annotations

import pytest

from assistant.analysis.coaching import CoachingTracker, QuestionResult, classify_question, summary_score


@pytest.mark.parametrize(("text", "kind"), [
    ("Hvordan har det været for dig?", "open"),
    ("Kan du fortælle mig lidt om, hvad der er sket?", "open"),
    ("Fortæl mig hvad der skete.", "open"),
    ("Er det Brian jeg taler med?", "closed"),
    ("Hvornår var det du var nede ved skranken?", "closed"),
    ("Jeg kan fortælle dig at sagen er afgjort. Vil du have et nyt brev?", "closed"),
    ("Jeg sender et brev i morgen.", "none"),
    ("Jeg spurgte bare hvordan du har det.", "none"),
    # ASR-like: lower case, no punctuation
    ("hvordan har det påvirket dig", "open"),
    ("okay og har du prøvet fra en computer", "closed"),
    ("hej det er lone fra kommunen er det jan jeg taler med", "closed"),
])
def test_question_type(parse, text, kind):
    assert classify_question(parse(text)).question == kind


@pytest.mark.parametrize("text", [
    "Det var vel ikke så slemt, vel?",
    "Du er vel enig i at reglerne er rimelige?",
    "Det er Jan, ikke?",
])
def test_leading(parse, text):
    assert classify_question(parse(text)).leading


def test_open_question_is_not_leading(parse):
    assert not classify_question(parse("Hvad tænker du om det?")).leading


@pytest.mark.parametrize("text", [
    "Så hvis jeg forstår dig ret, har du ventet i ni uger. Er det rigtigt?",
    "Okay, så du har betalt til tiden og har alligevel fået en rykker?",
    "Lad mig lige samle op: brevet var uklart, og ingen ringede tilbage.",
    "så hvis jeg forstår dig så er der to ting",
])
def test_summary_detected(parse, text):
    assert summary_score(parse(text)) >= 1.5


@pytest.mark.parametrize("text", [
    "Så skriver jeg det i din sag, og så ringer jeg på fredag.",
    "Skal jeg booke en tid til dig, så du ikke skal igennem det igen?",
    "Så gør vi det.",
])
def test_not_summary(parse, text):
    assert summary_score(parse(text)) < 1.5


def test_nudge_after_long_citizen_talk(parse):
    tracker = CoachingTracker()
    long_turn = parse(" ".join(["jeg har ventet og ventet og ingen ringer tilbage"] * 15))
    tracker.add_citizen(long_turn, raised_point=True, open_points=1)
    assert tracker.coaching.nudge
    tracker.add_caseworker(parse("Så hvis jeg forstår dig ret har du ventet længe?"),
                           QuestionResult("closed", False), summary=True)
    assert tracker.coaching.nudge is None
    assert tracker.coaching.summaries == 1
    assert 0.5 < tracker.coaching.citizen_talk_share < 1.0
