"""The Danish cue rules: outcome, agreements (who does what by when), explanations."""

from __future__ import annotations

from assistant.notes.rules import classify_outcome, extract_agreements, extract_explanations


def test_withdrawal_in_the_citizens_words():
    turns = [("caseworker", "Ønsker du at fortsætte med klagen, eller må vi lukke den?"), ("citizen", "luk den bare")]
    assert classify_outcome(turns) == ("lagt_ned", "lagt_ned")


def test_yes_to_a_closing_question_counts_but_an_either_or_question_does_not():
    assert classify_outcome([("caseworker", "Er det okay at jeg lukker klagen?"), ("citizen", "jaja, det er fint")])[0] == "lagt_ned"
    assert classify_outcome([("caseworker", "Må jeg lukke sagen, eller ønsker du et skriftligt svar?"),
                             ("citizen", "ja")])[0] == "uafklaret"


def test_written_answer_and_reconsideration():
    assert classify_outcome([("citizen", "Det svar skal jeg have skriftligt."),
                             ("caseworker", "Det får du. Du får et skriftligt svar.")]) == ("fastholdt", "skriftligt_svar")
    assert classify_outcome([("citizen", "Jeg holder fast i klagen over afgørelsen."),
                             ("caseworker", "Så sørger jeg for at den bliver genvurderet.")]) == ("fastholdt", "genvurdering")


def test_undecided_citizen_wins_over_an_earlier_withdrawal_cue():
    turns = [("citizen", "Måske trækker jeg klagen, men det ved jeg ikke endnu."), ("caseworker", "Så ringer jeg inden fredag.")]
    assert classify_outcome(turns)[0] == "uafklaret"


def test_agreements_name_who_what_and_when():
    turns = [("caseworker", "Jeg ringer om din klage. Jeg sender dig svaret inden fredag. Passer det?"),
             ("citizen", "Ja. Og jeg beder min læge om en ny erklæring."),
             ("caseworker", "Du får besked fra mig inden for fire uger.")]
    agreements = extract_agreements(turns)
    assert [(a.who, a.when) for a in agreements] == [("Sagsbehandleren", "inden fredag"), ("Borgeren", ""),
                                                     ("Sagsbehandleren", "inden for fire uger")]
    assert agreements[0].what == "Jeg sender dig svaret inden fredag."


def test_explanations_skip_summaries_and_questions():
    turns = [("caseworker", "Har jeg forstået dig korrekt, skyldes det hele ventetiden. Hvorfor det?"),
             ("caseworker", "Det skyldes at din sag lå hos en kollega, der er syg. Det beklager jeg.")]
    assert extract_explanations(turns) == ["Det skyldes at din sag lå hos en kollega, der er syg.", "Det beklager jeg."]
