"""The question type on caseworker turns as a recogniser hands them over (lower case, no "?"): the last words'
word order, the name that closes an opening turn, and the unpunctuated copies the model is also fitted on.
Own sentences throughout; the real fitted model and the real spaCy pipeline."""

from __future__ import annotations

import pytest

from assistant.analysis.coaching import classify_question
from assistant.analysis.question_model import question_examples, question_features, unpunctuated
from assistant.analysis.training import LabelledCall


def test_a_written_turn_becomes_a_recogniser_turn():
    text = 'Hej Birgit! Har du fået brevet, "det lange", om de 12.50 kr.?'
    assert unpunctuated(text) == "hej birgit har du fået brevet det lange om de 12.50 kr"


@pytest.mark.parametrize("text", [
    "øh jeg har læst din klage om kørslen og tænker du det samme",
    "okay det med fakturaen kigger jeg på mangler der noget",
])
def test_a_finite_verb_before_its_subject_at_the_end_is_read(parse, text):
    features = question_features(parse(text), "none", opening=False, summary=0.0)
    assert features["tail_inv"] == 1.0
    assert features["u#tail_inv"] == 1.0


def test_a_statement_with_its_subject_first_has_no_verb_before_subject_at_the_end(parse):
    features = question_features(parse("jeg sender brevet til dig i morgen formiddag"), "none", opening=False,
                                 summary=0.0)
    assert "tail_inv" not in features


@pytest.mark.parametrize("text, expected", [
    ("har du haft mulighed for at læse afgørelsen", "closed"),
    ("hvordan oplever du selv den nye ordning", "open"),
    ("jeg sender dig en kopi af afgørelsen i dag", "none"),
    ("jeg skal nok kontakte dig igen i næste uge", "none"),
])
def test_question_types_without_punctuation(parse, text, expected):
    assert classify_question(parse(text)).question == expected


def test_the_word_before_an_opening_turns_closing_name_is_a_feature(parse):
    about = question_features(parse("goddag det er søren fra ældreplejen jeg ringer om klagen over hjælpen til "
                                    "gudrun"), "closed", opening=True, summary=0.0)
    check = question_features(parse("goddag det er søren fra ældreplejen taler jeg med gudrun"), "closed",
                              opening=True, summary=0.0)
    assert about["opening_name_after:til"] == 1.0
    assert check["opening_name_after:med"] == 1.0
    later = question_features(parse("jeg ringer om klagen over hjælpen til gudrun"), "none", opening=False,
                              summary=0.0)
    assert not any(name.startswith("opening_name_after") for name in later)


def test_training_reads_every_written_call_once_more_without_punctuation():
    turns = [{"speaker": "caseworker", "text": "Har du fået svar fra hjemmeplejen?", "question": "closed"},
             {"speaker": "citizen", "text": "Nej, ingen har ringet."},
             {"speaker": "caseworker", "text": "Det er ikke godt nok.", "question": "none"}]
    written = LabelledCall(id="own-001", source="own", turns=turns, labels={})
    noisy = LabelledCall(id="own-001", source="own_noisy", turns=turns, labels={})
    examples = question_examples([written])
    # As decided at the turn's end and as revised by the reply, written and unpunctuated: 3 + 3.
    assert len(examples) == 6
    assert sum(any(name.startswith("u#") for name in e.features) for e in examples) == 3
    assert {e.label for e in examples} == {"closed", "none"}
    # A noisy copy is already a recogniser's text: no second copy of it.
    assert len(question_examples([noisy])) == 3
