"""Citizen frustration per turn on short Danish sentences, clean and as a recogniser would hand them over."""

from __future__ import annotations

import pytest

from assistant.analysis.frustration import score_frustration


@pytest.mark.parametrize("text", [
    "okay, det er i orden, tak for opkaldet",
    "det lyder godt, så gør vi det",
    "nej, det er en lille sag, jeg ville bare lige nævne det",
])
def test_calm_turns(parse, text):
    assert score_frustration(parse(text)).level == 0


@pytest.mark.parametrize("text", [
    "Det er simpelthen for dårligt! Jeg har ringet hver eneste gang, og I er fuldstændig ligeglade.",
    "det er for dårligt jeg har ringet hver eneste gang og i er fuldstændig ligeglade",
    "hvordan skal jeg betale huslejen i mellemtiden? det er fuldstændig urimeligt",
    "hvordan skal jeg betale huslejen i mellemtiden det er fuldstændig urimeligt",
])
def test_frustrated_turns_clean_and_asr_like(parse, text):
    result = score_frustration(parse(text))
    assert result.level >= 2
    assert result.evidence


def test_abuse_is_the_top_level(parse):
    result = score_frustration(parse("I er nogle fucking idioter og parasitter allesammen"))
    assert result.level == 3


def test_threat_is_the_top_level(parse):
    assert score_frustration(parse("får jeg ikke mine penge, så ved jeg hvor han bor, og så banker jeg ham")).level == 3


def test_swearing_about_own_back_is_not_anger(parse):
    result = score_frustration(parse("mit knæ driller som bare fanden i dag, men det kan I jo ikke gøre for haha"))
    assert result.level <= 1


def test_evidence_lists_cue_words(parse):
    result = score_frustration(parse("det er jo typisk, der sker aldrig noget"))
    assert any("typisk" in e for e in result.evidence)


def test_previous_anger_carries_over(parse):
    turn = parse("nej det her er simpelthen ikke i orden")
    assert score_frustration(turn, previous_level=2).score > score_frustration(turn).score


@pytest.mark.parametrize(("text", "index"), [
    ("det er ikke godt", 3),
    ("det virker ikke", 1),
    ("jeg er ikke særlig tilfreds", 4),
])
def test_negation_is_found_around_the_word(parse, text, index):
    from assistant.analysis.frustration import negated_near

    assert negated_near(parse(text), index)


def test_negation_does_not_cross_punctuation_or_only(parse):
    from assistant.analysis.frustration import negated_near

    assert not negated_near(parse("Ikke nu. Det er godt"), 4)
    assert not negated_near(parse("det er ikke kun godt"), 4)


def test_negated_positive_word_counts_negative(parse):
    from assistant.analysis.frustration import negation_aware_afinn

    praised = dict(parse("det hjælper").afinn)
    negated = dict(negation_aware_afinn(parse("det hjælper ikke")))
    assert praised[1] > 0 > negated[1]


def test_text_with_a_negated_statement_reads_negative(parse):
    from assistant.analysis.frustration import is_negative

    assert is_negative(parse("Pengene er stadig ikke kommet."))
    assert not is_negative(parse("Mødet ligger på tirsdag klokken ti."))


def test_negation_in_a_conditional_states_no_fact(parse):
    from assistant.analysis.frustration import is_negative

    assert not is_negative(parse("Ring til os, hvis brevet ikke kommer."))


@pytest.mark.parametrize(("text", "cue"), [
    ("jeg bliver bare sendt rundt fra den ene til den anden", "sendt rundt"),
    ("det kan simpelthen ikke passe", "kan simpelthen ikke passe"),
    ("hvor mange gange skal jeg ringe", "hvor mange gange skal"),
])
def test_general_spoken_frustration_cues(parse, text, cue):
    result = score_frustration(parse(text))
    assert result.level >= 1
    assert any(cue in e for e in result.evidence)
