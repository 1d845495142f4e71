"""Complaint points over whole calls (own dialogues): new points, repeats, summary echoes, complaint kind."""

from __future__ import annotations

import re

import pytest

MEALS_AND_PHONE = [
    ('caseworker',
     'Goddag, det er Birgitte fra Ældreområdet i kommunen. Jeg ringer om den klage du har sendt.'
     ' Har du tid et øjeblik?'),
    ('citizen', 'ja det har jeg'),
    ('caseworker', 'Vil du fortælle mig hvad der er sket?'),
    ('citizen',
     'jamen altså min far får jo madudbringning, og i sidste uge var maden kold to dage i træk. '
     'og så en anden ting, der er ingen der tager telefonen når jeg ringer til visitationen, jeg'
     ' har prøvet hele formiddagen'),
    ('caseworker', 'Det lyder frustrerende. Hvordan har det været for din far?'),
    ('citizen',
     'han spiser den jo ikke når den er kold. han er 91. og jeg kan jo ikke komme igennem til '
     'nogen, det er det værste'),
    ('caseworker',
     'Så hvis jeg forstår dig ret, har maden været kold, og du har ikke kunnet komme igennem på '
     'telefonen til visitationen. Er det rigtigt?'),
    ('citizen', 'ja præcis'),
    ('caseworker',
     'Tak. Jeg taler med leverandøren i dag, og jeg sørger for at visitatoren ringer dig op i '
     'morgen. Kan du acceptere det?'),
    ('citizen', 'ja det er fint, så trækker jeg klagen'),
]

DECISION_ONLY = [
    ('caseworker',
     'Hej, det er Morten fra Jobcenteret. Jeg ringer om din klage over afgørelsen om dit '
     'ressourceforløb. Passer det at vi snakker nu?'),
    ('citizen', 'ja det passer fint'),
    ('caseworker', 'Hvad er det vigtigste for dig i den sag?'),
    ('citizen',
     'jeg er bare uenig i at jeg skal stoppe i ressourceforløbet nu. min læge siger jeg slet '
     'ikke er klar, og det står også i hans erklæring'),
    ('caseworker', 'Hvordan har det påvirket dig?'),
    ('citizen',
     'jeg sover dårligt og jeg er bange for hvad der så sker med min økonomi. altså jeg synes '
     'bare ikke afgørelsen er fair, de har ikke læst hvad lægen skriver'),
    ('caseworker',
     'Så det du siger er, at du er uenig i afgørelsen, fordi du mener lægens erklæring ikke er '
     'blevet taget med. Er det rigtigt?'),
    ('citizen', 'ja, det er lige præcis det. og det er ikke din skyld, du har jo ikke truffet den'),
    ('caseworker',
     'Jeg kan ikke ændre afgørelsen i telefonen, men den bliver genvurderet, og du har fire '
     'ugers klagefrist. Vil du fastholde klagen?'),
    ('citizen', 'ja det vil jeg'),
]


def _run(analyzer, turns, transcript: bool):
    for speaker, text in turns:
        # As a recogniser hands it over: no punctuation, no capitals.
        analyzer.add_turn(speaker, re.sub(r"[.,!?]", "", text).lower() if transcript else text)
    return analyzer.state.call


@pytest.mark.parametrize("transcript", [False, True])
def test_a_new_point_repeat_and_summary_echo_give_two_points(analyzer, transcript):
    call = _run(analyzer, MEALS_AND_PHONE, transcript)
    assert [(p.category, p.turns) for p in call.complaint_points] == [
        ("service", [3]), ("manglende_kontakt", [3, 5])]
    assert call.complaint_kind == "formalitet"
    assert call.method_suitable


@pytest.mark.parametrize("transcript", [False, True])
def test_a_decision_complaint_elaborated_and_summarised_stays_one_point(analyzer, transcript):
    call = _run(analyzer, DECISION_ONLY, transcript)
    assert [p.category for p in call.complaint_points] == ["afgoerelse"]
    assert call.complaint_kind == "afgoerelse"
