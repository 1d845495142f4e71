"""Health barrier on recogniser text and on whose illness it is (own sentences, not from labelled calls)."""

from __future__ import annotations

from tests.analysis.threat_health_probes import flags_of

OPENING = ("caseworker", "Hej, Mikkel her, jeg har din klage over hjemmehjælpen foran mig.")


def _health(*turns: tuple[str, str]) -> bool:
    return flags_of([OPENING, *turns])["health"]


def test_asking_again_after_own_health_cues_is_a_health_barrier(nlp):
    assert _health(("citizen", "mit hoved er helt tomt i dag jeg kan ikke tænke"),
                   ("citizen", "kan øh du sige det igen"))


def test_asking_again_alone_is_no_health_barrier(nlp):
    assert not _health(("citizen", "kan du sige det igen, der larmer en lastbil udenfor"),
                       ("citizen", "undskyld, kan du gentage datoen"))


def test_asking_again_in_broken_danish_is_about_the_language_not_health(nlp):
    assert not _health(("citizen", "jeg ikke forstå brev. kan du sige det igen"),
                       ("citizen", "hvad var det, du sagde? jeg ikke kende ordet"))


def test_a_relatives_illness_said_about_him_is_no_barrier(nlp):
    assert not _health(("citizen", "min far har demens og han kan ikke huske at spise"),
                       ("citizen", "han har svært ved at finde rundt i sin egen lejlighed"))


def test_the_polite_de_without_punctuation_is_the_citizen_herself(nlp):
    assert _health(("citizen", "det må de undskylde hvem sagde du"),
                   ("caseworker", "Mikkel fra hjemmeplejen, tag dig god tid"),
                   ("citizen", "nå ja nu har jeg glemt hvad du spurgte om"))


def test_a_bent_negation_still_denies_forgetting(nlp):
    assert not _health(("citizen", "jeg har skrevet det ned så jeg ikte glemmer noget"),
                       ("citizen", "og så har jeg svært ved at forstå jeres afgørelse"))


def test_split_compound_panic_attack_and_a_pause_offered(nlp):
    assert _health(("citizen", "jeg får et panik anfald nu jeg kan ikke få luft"),
                   ("caseworker", "skal vi holde en lille pause"))
