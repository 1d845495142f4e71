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
    # ASR-like with lost or misheard words
    ("så brevet kom for sent og det gjorde dig bange er rigtigt forstået", "closed"),
    ("du har ventet længe og brevene er svære passe det", "closed"),
    ("det er helt forståeligt hvas ville være en god løsning for dig", "open"),
    ("i afgørelsen står hvilken hjælp du får", "none"),
    ("nej og det burde vi have fortalt dig", "none"),
    ("så det er selve afslaget du er uenig i ikke så meget hvordan sagen er blevet behandlet", "closed"),
    # fronted object or adverbial: statements, not questions; offers with a modal stay questions
    ("tak for det selve afgørelsen kan jeg ikke ændre her i telefonen", "none"),
    ("tak for det fristen for at klage er den første juni", "none"),
    ("tak for det brevet sender jeg i dag skal jeg også sende en kopi til din datter", "closed"),
])
def test_question_type(parse, text, kind):
    assert classify_question(parse(text)).question == kind


@pytest.mark.parametrize(("text", "kind"), [
    ("hej det er lone fra jobcentret jeg ringer om din klage grethe poulsen", "closed"),
    ("hej det er lone fra jobcentret jeg ringer om din klage over boligstøtten", "none"),
])
def test_opening_turn_ending_on_a_name_checks_who_answered(parse, text, kind):
    assert classify_question(parse(text), opening=True).question == kind


def test_name_at_the_end_counts_only_in_the_opening(parse):
    assert classify_question(parse("jeg ringer om din klage grethe poulsen"), opening=False).question == "none"


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


@pytest.mark.parametrize("text", [
    "okay så hvene jeg forstår dig ret så er der to ting",  # "hvis" misheard
    "det lydene som du føler at ingen har forstået din hverdag",  # "lyder som om" misheard/dropped
    "jeg sagde du har ventet på en ny støtteperson passe det",  # closing check misheard
    "jo kan se at du skriver at du har ventet over to måneder",  # subject dropped
])
def test_summary_survives_transcription_errors(parse, text):
    assert summary_score(parse(text)) >= 1.5


@pytest.mark.parametrize("text", [
    "det jeg godt høre hvad er mest presserende for jer lige nu",
    "jeg ringer omkring den klage du har skrevet til os har du tid til at snakke et par minutter",
])
def test_fuzzy_matching_does_not_invent_summaries(parse, text):
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
