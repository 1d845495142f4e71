"""How threat cues are weighed: negation, figurative uses, lawful escalation, an answer to a self-harm question."""

from __future__ import annotations

import pytest

from assistant.analysis.threat import threat_cues




@pytest.mark.parametrize("text", [
    "står der ikke noget på kontoen torsdag, tager jeg ind til jer og banker ham",
    "hun skal nok komme til at mærke det, jeg ved hvor damen bor",
    "jeg orker ikke mere, jeg har tænkt på at tage mit eget liv",
])
def test_one_turn_raises_a_threat(parse, text, threat_after):
    assert threat_after([("citizen", text)]).threat


def test_denied_self_harm_question_is_no_threat(parse, threat_after):
    assert not threat_after([("citizen", "nej, slet ikke på den måde. det hele vokser mig bare over hovedet lige nu")]).threat


def test_negation_right_before_cancels_a_cue(parse):
    assert not threat_cues(parse("jeg vil ikke slå nogen"))
    assert threat_cues(parse("jeg vil slå ham"))


def test_negation_in_an_earlier_clause_does_not_cancel(parse):
    assert sum(c.weight for c in threat_cues(parse("hvis I ikke betaler så sker der noget"))) >= 2
    assert sum(c.weight for c in threat_cues(parse("jeg orker ikke mere jeg vil bare dø"))) >= 2


def test_pattern_with_its_own_negation_counts(parse):
    assert sum(c.weight for c in threat_cues(parse("jeg har ikke noget at leve for"))) >= 2


def test_figurative_use_cancels_the_cue_it_overlaps(parse):
    assert not threat_cues(parse("det slår mig at ingen har ringet"))
    assert not threat_cues(parse("jeg tager alle mine piller hver morgen"))
    assert threat_cues(parse("jeg tager alle mine piller i aften"))


def test_lawful_escalation_cancels_an_unnamed_consequence_only(parse):
    assert not threat_cues(parse("det kommer I til at fortryde, for jeg går til pressen"))
    assert threat_cues(parse("det kommer I til at fortryde"))
    # naming a lawyer does not soften a veiled threat that has no lawful reading
    assert threat_cues(parse("min advokat får det hele, og jeg ved hvor du bor"))


def test_weak_cues_add_up(parse, threat_after):
    assert not threat_after([("citizen", "så kommer jeg derned i morgen")]).threat
    assert threat_after([("citizen", "i morgen står jeg på jeres kontor, og så skal I se løjer")]).threat


def test_yes_to_a_self_harm_question_is_a_threat(parse, threat_after):
    question = "Jeg spørger dig ligeud, fordi det er vigtigt: er der tanker om at gøre dig selv noget?"
    tracker = threat_after([("caseworker", question), ("citizen", "ja. nogle gange om aftenen")])
    assert tracker.threat
    # the evidence is words said in the call: the question's and the answer's, no label text
    evidence = tracker.public_flags()[0].evidence
    assert any("gøre dig" in e and e in question.lower() for e in evidence)
    assert any(e.startswith("ja") for e in evidence)


def test_no_to_a_self_harm_question_is_no_threat(parse, threat_after):
    tracker = threat_after([
        ("caseworker", "Har du tanker om at skade dig selv?"),
        ("citizen", "nej, nej, det har jeg ikke. jeg er bare træt af jer"),
    ])
    assert not tracker.threat


def test_yes_to_another_question_is_no_threat(parse, threat_after):
    tracker = threat_after([
        ("caseworker", "Har du fået brevet fra os?"),
        ("citizen", "ja det har jeg"),
    ])
    assert not tracker.threat


def test_caseworker_words_never_count_as_a_threat(parse, threat_after):
    tracker = threat_after([("caseworker", "Hvis du truer mig, så afslutter jeg samtalen.")])
    assert not tracker.threat


def test_evidence_holds_the_counted_cues(parse, threat_after):
    tracker = threat_after([("citizen", "så kommer jeg ned og smadrer jeres kontor")])
    flag = next(f for f in tracker.public_flags() if f.kind == "threat")
    assert any("smadrer" in e for e in flag.evidence)


def test_figurative_use_nets_out_in_the_plain_sum(parse):
    """frustration.py sums a turn's raw threat weights for level 3; a figurative use must not reach it."""
    for text in ("det slår mig at I aldrig svarer", "jeg har banket på jeres dør tre gange",
                 "jeg ville dø af skam hvis naboerne vidste det"):
        assert sum(c.weight for c in parse(text).cues_of("threat")) < 2, text


@pytest.mark.parametrize("text", [
    # recogniser text: no commas, so a finite verb after the negation's own verb marks the new clause
    "jeg kan ikke mere det er snart slut med mig",
    "han svarer aldrig på noget han kommer til at fortryde det",
    # the negation of a conditional clause does not reach the inverted main clause after it
    "hvis i ikke betaler sker der noget",
    "hvis hun ikke skifter mening skal hun få problemer",
])
def test_negation_stays_in_its_own_clause_without_punctuation(parse, text, threat_after):
    assert threat_after([("citizen", text)]).threat, text


@pytest.mark.parametrize("text", [
    "jeg vil ikke slå nogen",
    "jeg ved ikke hvor hun bor",
    "hvis jeg ikke vil slå nogen",
    "nu er det ikke fordi min plan er at slå ham ihjel",
    "det var ikke meningen at jeg ville gøre hende noget",
])
def test_negation_still_denies_the_verb_phrase_it_stands_in(parse, text):
    assert not threat_cues(parse(text)), text


def test_contrast_after_a_negated_verb_is_not_denied(parse):
    assert sum(c.weight for c in threat_cues(parse("jeg skal ikke rejse bare væk for altid"))) >= 2


def test_a_violence_verb_on_oneself_is_no_abuse_suffered(parse):
    # as a recogniser hands it over: the figurative "kunne ... mig selv" lost its first word's ending
    assert not threat_cues(parse("jeg kun have tævet mig selv for den fejl"))


def test_goodbye_to_a_place_or_a_job_is_leaving(parse, threat_after):
    assert not threat_after([("citizen", "vi har sagt farvel til huset i byen og bor nu hos min kæreste")]).threat
    assert threat_after([("citizen", "jeg sagde farvel til min søster i går og nu har jeg tænkt længe på at "
                                      "tage pillerne")]).threat
