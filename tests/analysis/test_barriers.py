"""Language of a turn, language and health barriers, representative (threats: test_threat_*.py)."""

from __future__ import annotations

import pytest

from assistant.analysis.barriers import BarrierTracker, broken_danish_count, guess_language
from assistant.analysis.types import AsrInfo


@pytest.mark.parametrize(("text", "lang"), [
    ("okay, jeg har ventet en del uger på et svar", "da"),
    ("excuse me, I do not speak much Danish, could we use English instead", "en"),
    ("أنا أرسلت كل شيء السنة الماضية", "ar"),
    ("я не розумію, чому мені ніхто нічого не сказав", "uk"),
    ("niestety nie rozumiem tego pisma z urzędu", "pl"),
    ("seriøst, det er jo ikke rocket science, det burde bare fungere", "da"),
])
def test_guess_language(parse, text, lang):
    assert guess_language(parse(text)) == lang


def test_transcriber_language_wins_when_confident(parse):
    asr = AsrInfo(language_probs={"da": 0.1, "pl": 0.85})
    assert guess_language(parse("tak tak"), asr) == "pl"


def test_broken_danish(parse, nlp):
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    assert broken_danish_count(parse("jeg ikke forstå brev, jeg få brev"), table) == 2
    assert broken_danish_count(parse("kan jeg komme ind på torsdag"), table) == 0


def _feed(tracker: BarrierTracker, parse, turns: list[tuple[str, str, str]]) -> None:
    for i, (speaker, text, lang) in enumerate(turns):
        if speaker == "citizen":
            tracker.update_citizen(i, parse(text), lang, 0)
        else:
            tracker.update_caseworker(i, parse(text))


def test_language_barrier_from_switching_and_interpreter(parse):
    tracker = BarrierTracker()
    _feed(tracker, parse, [
        ("citizen", "undskyld, du tale langsom? en gang mere tak", "da"),
        ("citizen", "my Danish is not good, can we speak English", "en"),
        ("caseworker", "Vi ringer igen med en tolk.", ""),
    ])
    assert tracker.language_barrier
    assert any(f.kind == "language_barrier" for f in tracker.public_flags())


def test_one_foreign_sentence_to_a_child_is_no_barrier(parse):
    tracker = BarrierTracker()
    _feed(tracker, parse, [("citizen", "bir dakika canım, sessiz ol lütfen", "tr"),
                           ("citizen", "undskyld, det var min søn. ja det er fint", "da")])
    assert not tracker.language_barrier


def test_health_barrier_from_memory_and_confusion(parse):
    tracker = BarrierTracker()
    _feed(tracker, parse, [
        ("citizen", "hvem er det jeg snakker med nu?", "da"),
        ("citizen", "undskyld, jeg husker det ikke, jeg er blevet så glemsom efterhånden", "da"),
        ("citizen", "og hvad ringede du om igen?", "da"),
    ])
    assert tracker.health_barrier


def test_illness_as_subject_is_no_health_barrier(parse):
    tracker = BarrierTracker()
    _feed(tracker, parse, [("citizen", "jeg er sygemeldt med en dårlig ryg, og jeg venter på svar", "da")])
    assert not tracker.health_barrier


def test_representative(parse):
    tracker = BarrierTracker()
    tracker.update_citizen(1, parse("min advokat har skrevet til jer"), "da", 0)
    assert tracker.representative
