"""Complaint points over whole calls (own dialogues): new points, repeats, summary echoes, complaint kind."""

from __future__ import annotations

import re

import pytest

MEALS_AND_PHONE = [
    ('caseworker',
     'Goddag, Birgitte her fra Ældreområdet i kommunen. Jeg ringer angående din klage.'
     ' Passer det dig lige nu?'),
    ('citizen', 'ja det har jeg'),
    ('caseworker', 'Må jeg høre, hvordan det hele er foregået?'),
    ('citizen',
     'jamen altså min far får jo madudbringning, og i sidste uge var maden kold to dage i træk. '
     'og så en anden ting, der er ingen der tager telefonen når jeg ringer til visitationen, jeg'
     ' har prøvet hele formiddagen'),
    ('caseworker', 'Det lyder frustrerende. Hvordan har det været for din far?'),
    ('citizen',
     'han spiser den jo ikke når den er kold. han er 91. og jeg kan jo ikke komme igennem til '
     'nogen, det er det værste'),
    ('caseworker',
     'Hvis jeg skal samle op, så er maden kommet kold frem, og visitationen tager ikke telefonen, '
     'når du ringer. Passer det?'),
    ('citizen', 'ja præcis'),
    ('caseworker',
     'Tak. Jeg taler med leverandøren i dag, og jeg sørger for at visitatoren ringer dig op i '
     'morgen. Kan du acceptere det?'),
    ('citizen', 'ja det er fint, så trækker jeg klagen'),
]

DECISION_ONLY = [
    ('caseworker',
     'Hej, Morten her fra Jobcenteret. Du har klaget over beslutningen om dit '
     'ressourceforløb. Er det et godt tidspunkt?'),
    ('citizen', 'ja det passer fint'),
    ('caseworker', 'Hvad fylder mest for dig i sagen?'),
    ('citizen',
     'jeg er bare uenig i at jeg skal stoppe i ressourceforløbet nu. min læge siger jeg slet '
     'ikke er klar, og det står også i hans erklæring'),
    ('caseworker', 'Hvordan har det påvirket dig?'),
    ('citizen',
     'jeg sover dårligt og jeg er bange for hvad der så sker med min økonomi. altså jeg synes '
     'bare ikke afgørelsen er fair, de har ikke læst hvad lægen skriver'),
    ('caseworker',
     'Du er altså ikke enig i afgørelsen, fordi du mener, at der er set bort fra det, din læge '
     'har skrevet. Har jeg forstået det rigtigt?'),
    ('citizen', 'ja, helt sikkert. og det er ikke dig jeg bebrejder, du var jo ikke med til at beslutte det'),
    ('caseworker',
     'Beslutningen er ikke noget jeg kan omgøre over telefonen, men sagen bliver set på igen, og du har en '
     'frist på seks uger. Ønsker du, at klagen skal køre videre?'),
    ('citizen', 'ja det vil jeg'),
]

CARD_NEVER_CAME = [
    ('caseworker',
     'Hej Jørgen, det er Sanne fra Borgerservice. Du har klaget til os over dit sygesikringsbevis, '
     'så nu ringer jeg.'),
    ('citizen',
     'nå ja hej Sanne. jamen det er nu ikke så slemt. jeg har lige været på hospitalet med mit '
     'knæ, så jeg har haft andet at tænke på'),
    ('caseworker', 'Øv, det lyder hårdt. Hvordan har knæet det nu?'),
    ('citizen',
     'det går fremad, lægerne har været rigtig søde. men altså kortet, det nye sundhedskort, det'
     ' kom aldrig. jeg bestilte det i september'),
    ('caseworker', 'Så du har bestilt et nyt sundhedskort i september, og det er aldrig kommet frem?'),
    ('citizen',
     'ja netop. og jeg ved godt at I ikke har skylden for at postvæsenet er så sløvt her på landet, '
     'men jeg skal altså bruge det når jeg henter medicin'),
    ('caseworker',
     'Jeg kan se at det er sendt til en gammel adresse. Jeg bestiller et nyt til dig nu, og så '
     "får du et midlertidigt kort i app'en. Er det i orden?"),
    ('citizen', 'ja det er fint. tak skal du have, I er nu søde herinde'),
]


def _run(analyzer, turns, transcript: bool):
    for speaker, text in turns:
        # As a recogniser hands it over: no punctuation, no capitals.
        analyzer.add_turn(speaker, re.sub(r"[.,!?]", "", text).lower() if transcript else text)
    return analyzer.state.call


@pytest.mark.parametrize("transcript", [False, True])
def test_a_new_point_repeat_and_summary_echo_give_two_points(analyzer, transcript):
    call = _run(analyzer, MEALS_AND_PHONE, transcript)
    # Both raised in turn 3 and both repeated in turn 5 (the cold food, the phone): two points, not four.
    assert sorted(p.category for p in call.complaint_points) == ["manglende_kontakt", "service"]
    assert all(p.turns[0] == 3 for p in call.complaint_points)
    assert any(5 in p.turns for p in call.complaint_points)
    assert call.complaint_kind == "formalitet"
    assert call.method_suitable


@pytest.mark.parametrize("transcript", [False, True])
def test_a_decision_complaint_elaborated_and_summarised_stays_one_point(analyzer, transcript):
    call = _run(analyzer, DECISION_ONLY, transcript)
    assert [p.category for p in call.complaint_points] == ["afgoerelse"]
    assert call.complaint_kind == "afgoerelse"


@pytest.mark.parametrize("transcript", [False, True])
def test_a_summary_naming_the_object_puts_a_weak_point_on_record(analyzer, transcript):
    # The citizen's "det kom aldrig" is weak evidence on its own; the caseworker's summary names the same
    # object (the health card) in other words: one point, from the citizen's turn. Praise and the knee
    # operation are no points, and "I ikke har skylden" about the post does not withdraw it.
    call = _run(analyzer, CARD_NEVER_CAME, transcript)
    assert [p.turns[0] for p in call.complaint_points] == [3]
