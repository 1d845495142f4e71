"""How many points a call has, on calls of our own: distinct complaints count, repeats merge, insisting counts."""

from __future__ import annotations

import re

import pytest


def _points(turns, transcript=False):
    from assistant.analysis.analyzer import CallAnalyzer

    analyzer = CallAnalyzer.create()
    for speaker, text in turns:
        analyzer.add_turn(speaker, re.sub(r"[.,!?]", "", text).lower() if transcript else text)
    return analyzer.state.call.complaint_points


THREE_THINGS = [
    ("caseworker", "Goddag, det er Henrik fra Socialafdelingen. Vi har modtaget din klage, "
                   "som jeg ringer for at høre nærmere om."),
    ("citizen", "Ja. Jeg har ventet i næsten et halvt år på at få svar på min ansøgning om en trappelift."),
    ("caseworker", "Det forstår jeg godt er frustrerende. Var der mere?"),
    ("citizen", "Ja, jeg har ringet og skrevet flere gange, men min sagsbehandler svarer aldrig tilbage."),
    ("caseworker", "Okay. Og noget andet?"),
    ("citizen", "Da jeg endelig kom igennem i telefonen, var manden meget uhøflig og råbte ad mig."),
]


@pytest.mark.parametrize("transcript", [False, True])
def test_a_call_with_three_distinct_complaints_counts_three(transcript):
    points = _points(THREE_THINGS, transcript)
    assert {p.category for p in points} == {"sagsbehandlingstid", "manglende_kontakt", "adfaerd"}


ONE_THING_THREE_TIMES = [
    ("caseworker", "Hej, det er Camilla fra Borgerservice. Jeg ringer om din klage."),
    ("citizen", "Det handler om, at jeg har ventet i fire måneder på svar om min boligstøtte."),
    ("caseworker", "Fire måneder, det er længe."),
    ("citizen", "Ja, og der er stadig ikke kommet noget svar på min ansøgning om boligstøtte."),
    ("caseworker", "Har du mere på hjertet?"),
    ("citizen", "Nej, det er bare ventetiden på boligstøtten, det drejer sig om."),
]


def test_mentions_of_one_object_across_the_call_are_one_point():
    points = _points(ONE_THING_THREE_TIMES)
    assert [p.category for p in points] == ["sagsbehandlingstid"]
    assert len(points[0].turns) >= 2  # every turn that raised it is on the point


PLAYED_DOWN_THEN_INSISTED = [
    ("caseworker", "Goddag, Line her fra Jobcentret. Jeg ringer angående den klage, du har sendt."),
    ("citizen", "Jeg har ventet i tre måneder på at få svar på min ansøgning om et kursus."),
    ("caseworker", "Det lyder besværligt. Noget mere?"),
    ("citizen", "Nå ja, manden ved skranken var lidt sur, men det er ikke så vigtigt."),
    ("caseworker", "Okay, så vi holder os til ventetiden?"),
    ("citizen", "Nej, nu jeg tænker over det, så var han faktisk meget uforskammet og talte grimt til mig. "
                "Det vil jeg gerne have med i klagen."),
]


def test_a_point_played_down_first_and_then_insisted_on_counts():
    points = _points(PLAYED_DOWN_THEN_INSISTED)
    assert {p.category for p in points} == {"sagsbehandlingstid", "adfaerd"}
