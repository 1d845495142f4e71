"""A summary restates the citizen: overlap with the citizen's last turns and the citizen's confirmation, on our own
sentences, with and without punctuation."""

from __future__ import annotations

from assistant.analysis.coaching import summary_score
from assistant.analysis.summary_model import content_stems, is_summary, overlap_features, summary_features

CITIZEN = [
    "Jeg har ventet på svar om min boligstøtte siden januar, og ingen har ringet tilbage, selvom jeg har skrevet "
    "tre gange.",
    "Og nu har jeg fået en regning på huslejen, som jeg ikke kan betale.",
]


def stems(parse) -> list[frozenset[str]]:
    return [content_stems(parse(text)) for text in CITIZEN]


def test_content_stems_skip_function_words_and_survive_inflection(parse):
    mine = content_stems(parse("Du har ventet på boligstøtten."))
    assert {"vente", "bolig"} <= mine
    assert not mine & {"du", "har", "på"}
    assert content_stems(parse("jeg venter")) & content_stems(parse("du har ventet"))  # "vente" both times


def test_overlap_is_high_for_a_restatement_and_low_for_a_plan(parse):
    restated = overlap_features(parse("du har ventet på boligstøtten siden januar og kan ikke betale huslejen"),
                                stems(parse))
    plan = overlap_features(parse("jeg sender en mail til min kollega i dag"), stems(parse))
    assert restated["overlap:share"] > 0.5
    assert plan["overlap:share"] < restated["overlap:share"]
    assert overlap_features(parse("goddag"), []) == {"overlap:none": 1.0}


def test_a_restatement_without_marker_or_punctuation_counts_once_it_echoes_the_citizen(parse):
    turn = parse("boligstøtten har stået stille siden januar og nu er regningen på huslejen kommet og kan ikke betales")
    assert not is_summary(turn, turn_index=5)
    assert is_summary(turn, turn_index=5, citizen_stems=stems(parse))
    assert is_summary(turn, turn_index=5, citizen_stems=stems(parse), reply=parse("ja det er rigtigt"))


def test_a_plan_is_no_summary_whatever_the_citizen_said(parse):
    turn = parse("jeg sender en mail til min kollega i dag og så ringer jeg til dig i morgen")
    assert not is_summary(turn, turn_index=5, citizen_stems=stems(parse), reply=parse("okay tak"))


def test_summary_features_carry_overlap_and_reply(parse):
    turn = parse("så boligstøtten er stadig ikke afgjort")
    features = summary_features(turn, summary_score(turn), turn_index=4, citizen_stems=stems(parse),
                                reply=parse("ja præcis"))
    assert features["overlap:share"] > 0
    assert features["reply:first:ja"] == 1.0 and features["reply:first2:ja_præcis"] == 1.0
