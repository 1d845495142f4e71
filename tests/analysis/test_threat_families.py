"""Phrase families of risk talk: each fires with names, pronouns and fillers between its words; negation,
figurative use and lawful escalation cancel; ordinary complaints raise nothing; the evidence is words of the turn.

Every sentence is written for this test (general Danish), none is taken from a labelled call.
"""

from __future__ import annotations

import pytest

from assistant.analysis.threat import ThreatTracker, threat_cues




def _citizen(threat_after, *texts: str) -> ThreatTracker:
    turns = []
    for text in texts:
        turns += [("caseworker", "Okay, jeg lytter."), ("citizen", text)]
    return threat_after(turns)


#: Family -> sentences in which names, pronouns or fillers stand between the family's words.
FAMILIES = {
    "over soon + burden": [
        "øh det bliver nok ikke et problem for jer så forfærdelig længe, I slipper snart for mig",
        "I skal ikke spilde mere tid på mig, min søn og min kone har det lettere uden mig",
    ],
    "not being here": [
        "det ville være nemmest for familien, hvis jeg en nat sov ind og aldrig vågnede igen",
        "jeg er her nok ikke til jul, altså, det er jeg ikke",
    ],
    "goodbye + affairs in order": [
        "jeg har skrevet et langt brev til min datter Signe, og jeg har ordnet mine papirer",
        "jeg har givet mine ting væk og sagt farvel til børnene",
    ],
    "pills or rope at hand": [
        "jeg har fået samlet sovepillerne sammen, der er nok til det hele nu",
        "der hænger et reb ude i garagen, det har jeg gjort klar",
    ],
    "where someone lives + a consequence": [
        "jeg ved godt hvor hun bor, ham Jensens kone, og hun skal passe rigtig godt på sig selv",
        "man ved aldrig hvem der kommer forbi ude på parkeringspladsen når hun går hjem, vel, Karin",
    ],
    "knowing where someone lives, a name between": [
        "jeg ved skam godt hvor Mette Holm bor",
    ],
    "pills saved up": [
        "jeg har sparet pillerne op, de ligger lige her på bordet",
    ],
    "skal mærke / der sker noget": [
        "så skal hun fandme nok mærke det, den dame",
        "hvis I skærer i min hjælp igen, så kan der altså godt ske noget",
    ],
    "så står jeg": [
        "hvis pengene ikke er der på fredag, så står jeg dernede på jeres kontor, og så skal I se",
    ],
    "violence idioms": [
        "så kan Mikkel fra jobcentret selv samle tænderne op bagefter",
        "hvis han ringer igen, så får han altså en på skallen",
    ],
}


@pytest.mark.parametrize(("family", "text"), [(f, t) for f, texts in FAMILIES.items() for t in texts])
def test_each_family_fires_with_words_of_the_turn(parse, family, text, threat_after):
    tracker = _citizen(threat_after, text)
    assert tracker.threat, f"{family}: {text}"
    flag = tracker.public_flags()[0]
    spoken = " ".join(parse(text).lowers)
    assert flag.evidence and all(e in spoken for e in flag.evidence), flag.evidence


@pytest.mark.parametrize("text", [
    "jeg går til pressen med det her, det kan I godt regne med",
    "jeg klager til Ombudsmanden, og min advokat har allerede fået sagen",
    "jeg kunne slå mig selv, fordi jeg ikke læste brevet før",
    "jeg er så træt af at vente, jeg har ventet i tre måneder på et svar",
    "det er ikke noget problem længere, jeg har fået brevet nu",
    "hvis I bare havde ringet tilbage, så var det løst for længst",
    "det ender med at jeg må låne penge af min mor",
    "min datter bor ude ved stationen, hun kører mig hjem hver fredag",
    "jeg ved ikke hvor sagsbehandleren sidder, jeg har aldrig været derude",
    "jeg skal passe på min mor, hun bor alene og har det skidt",
    "så slipper I for mig at skulle ringe hver uge, hvis I bare svarer på mine mails",
    "brug nu ikke længere tid på mig end I behøver, jeg vil bare have min udbetaling",
    "I ved jo godt hvor jeg bor, I har sendt brevet til min gamle adresse",
    "ved du hvor min søster bor nu, hun er flyttet",
    "jeg har pillerne her, men lægen siger de ikke virker",
])
def test_ordinary_complaints_raise_nothing(parse, text, threat_after):
    assert not _citizen(threat_after, text).threat, text


@pytest.mark.parametrize(("threat", "cancelled"), [
    ("jeg smadrer hans kontor", "jeg smadrer ikke hans kontor, det ville jeg aldrig"),
    ("så skal hun nok mærke det", "så skal hun nok mærke det, for jeg går til pressen"),
    ("jeg slår ham ihjel", "jeg kunne slå mig selv ihjel over den fejl"),
])
def test_negation_figurative_use_and_lawful_escalation_cancel(parse, threat, cancelled, threat_after):
    assert _citizen(threat_after, threat).threat
    assert not _citizen(threat_after, cancelled).threat


def test_risk_in_pieces_over_turns_adds_up(parse, threat_after):
    tracker = _citizen(threat_after, "hun bor ude i Hvidovre, den sagsbehandler",
                       "og hun kører hjem ad motorvejen hver dag ved fire-tiden",
                       "så hun skal bare passe godt på, den kvinde")
    assert tracker.threat


def test_the_caseworker_naming_a_threat_raises_it_with_the_citizens_words(parse, threat_after):
    tracker = threat_after([
        ("citizen", "hils din kollega og sig, hun må hellere passe godt på"),
        ("caseworker", "Jeg opfatter det, du lige sagde, som en trussel, og det tager jeg alvorligt."),
    ])
    assert tracker.threat
    evidence = tracker.public_flags()[0].evidence
    assert any("passe" in e for e in evidence) and any("trussel" in e for e in evidence)


def test_a_referral_to_crisis_help_raises_it(parse, threat_after):
    tracker = threat_after([
        ("citizen", "jeg orker det ikke mere"),
        ("caseworker", "Jeg vil gerne give dig nummeret til Livslinien, du kan ringe hele døgnet."),
    ])
    assert tracker.threat


def test_the_caseworker_alone_raises_nothing_in_passing(parse, threat_after):
    tracker = threat_after([
        ("citizen", "jeg har ventet på svar i to måneder"),
        ("caseworker", "Du truer med at gå til pressen, det er din ret, og jeg forstår det godt."),
        ("citizen", "ja, det gør jeg"),
        ("caseworker", "Hvis du mister noget, kan du melde det til politiet, det er en anden sag."),
    ])
    assert not tracker.threat


@pytest.mark.parametrize(("answer", "threat"), [
    ("jeg ved det ikke. måske", True),
    ("ja, nogle gange om natten", True),
    ("nej, nej, det har jeg ikke", False),
    ("nej da, jeg er bare sur på jer", False),
])
def test_an_answer_to_a_self_harm_question_counts_unless_a_plain_no(parse, answer, threat, threat_after):
    tracker = threat_after([
        ("caseworker", "Må jeg spørge dig helt ærligt: har du tanker om at tage dit liv?"),
        ("citizen", answer),
    ])
    assert tracker.threat is threat


def test_families_survive_a_transcript_without_punctuation(parse, threat_after):
    for texts in FAMILIES.values():
        for text in texts:
            bare = "".join(ch for ch in text.lower() if ch.isalnum() or ch.isspace())
            assert _citizen(threat_after, bare).threat, bare


def test_cue_evidence_is_a_span_of_the_turn(parse):
    turn = parse("så skal hun fandme nok mærke det")
    for cue in threat_cues(turn):
        assert cue.text.lower() == " ".join(turn.lowers[cue.start:cue.end])
