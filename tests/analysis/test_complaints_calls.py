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

CARD_NEVER_CAME = [
    ('caseworker',
     'Hej Jørgen, det er Sanne fra Borgerservice. Jeg ringer om den klage du sendte om dit '
     'sygesikringsbevis.'),
    ('citizen',
     'nå ja hej Sanne. jamen det er nu ikke så slemt. jeg har lige været på hospitalet med mit '
     'knæ, så jeg har haft andet at tænke på'),
    ('caseworker', 'Det er jeg ked af at høre. Hvordan går det med knæet?'),
    ('citizen',
     'det går fremad, lægerne har været rigtig søde. men altså kortet, det nye sundhedskort, det'
     ' kom aldrig. jeg bestilte det i september'),
    ('caseworker', 'Så du har bestilt et nyt sundhedskort i september, og det er aldrig kommet frem?'),
    ('citizen',
     'ja præcis. og det er jo ikke jeres skyld at posten er langsom herude, men jeg har altså '
     'brug for det til apoteket'),
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
    # operation are no points, and "det er jo ikke jeres skyld" about the post does not withdraw it.
    call = _run(analyzer, CARD_NEVER_CAME, transcript)
    assert [p.turns[0] for p in call.complaint_points] == [3]
