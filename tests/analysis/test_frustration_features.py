"""Context features of a citizen turn for the frustration model: irony, rhetorical questions aimed at "I",
resignation, politeness that frames a complaint, the previous level. Own sentences (none from the labelled
calls), each also as a recogniser hands it over (lower case, no punctuation)."""

from __future__ import annotations

import re

import pytest

from assistant.analysis.features import TurnContext, context_features
from assistant.analysis.frustration import score_frustration


def transcript(text: str) -> str:
    return re.sub(r"[.,!?;:]", "", text.lower())


def features(parse, text: str, **context) -> dict:
    turn = parse(text)
    return context_features(turn, score_frustration(turn), TurnContext(**context))


@pytest.mark.parametrize("text, name", [
    ("Nå, det var da virkelig flot, nu har jeg ventet i otte uger.", "ctx:irony"),
    ("Ja tak, mange tak for ingenting.", "ctx:irony"),
    ("Hvad bruger I egentlig jeres tid på derinde?", "ctx:rhetorical_you"),
    ("Hvorfor har I overhovedet en telefon, når ingen tager den?", "ctx:rhetorical_you"),
    ("Hvornår har kommunen tænkt sig at svare mig?", "ctx:wh_you"),
    ("Det hjælper jo ingenting at skrive til jer.", "ctx:resignation"),
    ("Jeg har efterhånden opgivet at få et svar.", "ctx:resignation"),
    ("Undskyld, men det her er altså ikke godt nok.", "ctx:polite_but"),
    ("Jeg kan forstå, at I har travlt, men I svarer ikke.", "ctx:addressed_negation"),
    ("Jeg fastholder min klage, uanset hvad I skriver.", "ctx:insist"),
    ("Nej, den klage dropper jeg altså ikke.", "ctx:insist"),
    ("Send du bare sagen videre, jeg bliver ved.", "ctx:dare"),
    # a family phrase of three words
    ("Ærligt talt, jeg kan ikke mere med alle de papirer.", "ctx:resignation"),
])
def test_context_families_fire_with_and_without_punctuation(parse, text, name):
    assert name in features(parse, text)
    assert name in features(parse, transcript(text))


@pytest.mark.parametrize("text", [
    "Det var en flot have, I har lavet ved skolen.",
    "Hvad skal jeg tage med til mødet i morgen?",
    "Jeg var i byen i går, og det gik fint.",
    "Tak for hjælpen, det var rart at tale med dig.",
    "Min søn har det godt i skolen nu.",
    "Kan du bare sende mig brevet igen?",
    "Hvis du bare ringer i morgen, er det fint.",
])
def test_plain_praise_questions_and_thanks_raise_no_context_feature(parse, text):
    assert not features(parse, text)
    assert not features(parse, transcript(text))


def test_the_preposition_i_is_not_the_municipality(parse):
    assert "ctx:addressed_negation" not in features(parse, "Det er ikke i orden med mit tag")
    assert "ctx:addressed_negation" in features(parse, "I har ikke ringet tilbage")


def test_the_previous_level_and_another_language_are_context(parse):
    text = "I don't understand why nobody calls me back"
    assert "ctx:other_lang_after_anger" in features(parse, text, previous_hand_level=2, lang="en")
    assert "ctx:other_lang_after_anger" not in features(parse, text, previous_hand_level=0, lang="en")
    assert "ctx:still_negative_after_anger" in features(parse, "Det er ikke rimeligt", previous_hand_level=2)
