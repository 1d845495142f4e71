"""Caseworker question type, leading questions, summaries and the nudge to summarise."""

from __future__ import annotations

import pytest

from assistant.analysis.coaching import CoachingTracker, QuestionResult, classify_question, summary_score


@pytest.mark.parametrize(("text", "kind"), [
    ("Hvordan har du haft det med hele forløbet?", "open"),
    ("Må jeg høre lidt om, hvordan sagen er forløbet?", "open"),
    ("Fortæl mig hvad der skete.", "open"),
    ("Taler jeg med Henrik Holm?", "closed"),
    ("Hvilken dag i sidste uge kom du forbi kontoret?", "closed"),
    ("Jeg kan sige dig at ansøgningen er færdigbehandlet. Ønsker du afgørelsen tilsendt igen?", "closed"),
    ("Jeg sender et brev i morgen.", "none"),
    ("Jeg ville bare høre hvordan det går med dig.", "none"),
    # ASR-like: lower case, no punctuation
    ("hvordan har det påvirket dig", "open"),
    ("nå men har du forsøgt at logge ind på en pc", "closed"),
    ("hej det er lone fra kommunen er det jan jeg taler med", "closed"),
    # ASR-like with lost or misheard words
    ("så brevet kom for sent og det gjorde dig bange er rigtigt forstået", "closed"),
    ("du har ventet længe og brevene er svære passe det", "closed"),
    ("det forstår jeg godt hvat kunne være en god udvej for dig", "open"),
    ("i afgørelsen står hvilken hjælp du får", "none"),
    ("nej det skulle vi selvfølgelig have sagt til dig fra starten", "none"),
    ("så det du ikke er enig i er beslutningen og ikke så meget den måde vi har håndteret sagen på", "closed"),
    # fronted object or adverbial: statements, not questions; offers with a modal stay questions
    ("tak for det svaret på din ansøgning kan jeg ikke give dig i dag", "none"),
    ("tak for det fristen for at klage er den første juni", "none"),
    ("tak for det brevet sender jeg i dag skal jeg også sende en kopi til din datter", "closed"),
])
def test_question_type(parse, text, kind):
    assert classify_question(parse(text)).question == kind


@pytest.mark.parametrize(("text", "kind"), [
    ("hej det er lone fra jobcentret jeg ringer om din klage grethe poulsen", "closed"),
    ("goddag det er lone fra jobcentret og det er angående klagen over din boligstøtte", "none"),
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
    "Hvis jeg har opfattet det rigtigt, så har du nu ventet syv uger på et svar. Passer det?",
    "Okay, så regningen blev betalt inden fristen, men der kom alligevel en påmindelse?",
    "Lad mig lige samle op: brevet var uklart, og ingen ringede tilbage.",
    "så vidt jeg kan høre er der tre ting du klager over",
])
def test_summary_detected(parse, text):
    assert summary_score(parse(text)) >= 1.5


@pytest.mark.parametrize("text", [
    "Så skriver jeg det i din sag, og så ringer jeg på fredag.",
    "Vil du have at jeg finder et møde til dig i næste uge, så du slipper for at gentage det hele?",
    "Så gør vi det.",
])
def test_not_summary(parse, text):
    assert summary_score(parse(text)) < 1.5


@pytest.mark.parametrize("text", [
    "nå men vis jeg har forstået dig rigtigt så drejer det sig om tre ting",  # "hvis" misheard
    "det lydene som du føler at ingen har forstået din hverdag",  # "lyder som om" misheard/dropped
    "så du har haft ventet på en ny kontaktperson siden sommer passe de",  # closing check misheard
    "kan læse at du skriver at ingen har svaret dig i ti uger",  # subject dropped
])
def test_summary_survives_transcription_errors(parse, text):
    assert summary_score(parse(text)) >= 1.5


@pytest.mark.parametrize("text", [
    "det jeg gerne høre hvad der presser jer allermest nu",
    "jeg kontakter dig angående det du skrev til os i sidste uge kan du tale lidt nu",
])
def test_fuzzy_matching_does_not_invent_summaries(parse, text):
    assert summary_score(parse(text)) < 1.5


def test_nudge_after_long_citizen_talk(parse):
    tracker = CoachingTracker()
    long_turn = parse(" ".join(["jeg har ventet og ventet og ingen ringer tilbage"] * 15))
    tracker.add_citizen(long_turn, raised_point=True, open_points=1)
    assert tracker.coaching.nudge
    tracker.add_caseworker(parse("Så du har altså ventet rigtig lang tid på os?"),
                           QuestionResult("closed", False), summary=True)
    assert tracker.coaching.nudge is None
    assert tracker.coaching.summaries == 1
    assert 0.5 < tracker.coaching.citizen_talk_share < 1.0
