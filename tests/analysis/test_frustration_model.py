"""The fitted frustration model as the analyser uses it: levels on sentences of our own, evidence, fallback."""

from __future__ import annotations

import pytest

from assistant.analysis.analyzer import AnalyzerOptions, CallAnalyzer
from assistant.analysis.features import decide_frustration, feature_words
from assistant.analysis.fitted import FittedModel
from assistant.analysis.frustration import FUNCTION_WORDS, score_frustration


def transcript(text: str) -> str:
    """As a recogniser hands it over: lower case, no punctuation."""
    return "".join(ch for ch in text.lower() if ch not in ".,!?;:")


def _level(text: str, options: AnalyzerOptions | None = None):
    analyzer = CallAnalyzer.create(options)
    analyzer.add_turn("caseworker", "Goddag, jeg kontakter dig angående klagen.")
    return analyzer.add_turn("citizen", text).turn


@pytest.mark.parametrize("text", [
    "ja tak, det lyder rigtig fint",
    "okay, så venter jeg bare på brevet",
    "nej, det var egentlig det hele, tak for hjælpen",
])
def test_calm_turns_stay_below_two(text):
    assert _level(text).frustration < 2


@pytest.mark.parametrize("text", [
    "det er fuldstændig uacceptabelt, I har for helvede ikke svaret på en eneste af mine mails",
    "hvor mange gange skal jeg ringe før I gider tage jer af det? det er simpelthen for ringe",
    "I er jo totalt ligeglade med os borgere, det er en skandale",
])
def test_angry_turns_reach_two_with_their_words(text):
    turn = _level(text)
    assert turn.frustration >= 2
    assert turn.evidence


def test_abuse_keeps_at_least_level_two():
    assert _level("du er en inkompetent idiot").frustration >= 2


def test_hand_scorer_alone_still_runs():
    turn = _level("det er fuldstændig uacceptabelt", AnalyzerOptions(fitted_frustration=False))
    assert turn.frustration is not None


def _words_of(text: str) -> set[str]:
    return set("".join(ch if ch.isalnum() or ch == "-" else " " for ch in text.lower()).split())


@pytest.mark.parametrize("text", [
    "jeg har sendt de papirer tre gange nu, og I påstår stadig at de er væk, det er helt til grin",
    "det er på tide at nogen i det her system tager ansvar for det rod I har lavet",
    "I lovede mig et svar inden fredag og så hører jeg ingenting, det er simpelthen for dårligt",
])
def test_evidence_is_words_of_the_turn_not_bare_function_words(text):
    turn = _level(text)
    assert turn.frustration >= 1 and turn.evidence
    said = _words_of(text)
    for item in turn.evidence:
        words = [w for w in item.split() if w != "..."]
        assert all(w in said for w in words), item  # no label texts, only what was said
        assert len(words) > 1 or words[0] not in FUNCTION_WORDS, item


def test_ngram_evidence_is_a_whole_content_word(parse):
    turn = parse("det er på tide at I gør noget ved den sagsbehandling")
    # A gram at a word's start must be at the start: "_på_" is the word "på" (a function word, not shown).
    assert feature_words(["ng:_på_", "ng:_sag", "ng:ndli"], turn) == ["sagsbehandling"]
    assert feature_words(["ng:_det_", "ng:_er_"], turn) == []


@pytest.mark.parametrize("text", [
    "nå, det var da virkelig flot klaret af jer, nu har jeg ventet et halvt år på det svar",
    "hvad laver I egentlig derinde hele dagen, når ingen kan svare på et simpelt spørgsmål",
])
def test_sarcasm_and_rhetorical_questions_at_them_are_frustration(text):
    assert _level(text).frustration >= 2
    assert _level(transcript(text)).frustration >= 1


def test_resignation_is_at_least_irritation_and_shows_its_words():
    turn = _level("jeg har opgivet at få hjælp fra jer, det nytter alligevel ikke noget at skrive")
    assert turn.frustration >= 1
    assert any("opgivet" in item or "nytter" in item for item in turn.evidence)


def _multinomial(weights: dict[str, list[float]]) -> FittedModel:
    names = sorted(weights)
    return FittedModel(name="frustration", classes=[0, 1, 2, 3], features=names,
                       coef=[[weights[n][r] for n in names] for r in range(4)], intercept=[0.0, 0.0, 0.0, 0.0],
                       thresholds={"positive": 0.5})


def test_the_yes_no_model_decides_level_two_and_the_multinomial_the_rest(parse):
    """Two small models written by hand (no fit): the yes/no model says frustrated or not, the multinomial
    model says which of 0/1 below it and which of 2/3 above it; the evidence is the word behind the feature."""
    turn = parse("det er en skandale at jeg skal vente")
    hand = score_frustration(turn)
    features = {"ng:skand": 1.0}
    multi = _multinomial({"ng:skand": [0.0, 2.0, 1.0, 0.0]})  # alone it would say 1
    high = FittedModel(name="frustration_high", classes=[0, 1], features=["ng:skand"], coef=[[3.0]],
                       intercept=[-1.0], thresholds={"positive": 0.6})
    alone = decide_frustration(multi, features, hand, turn)
    both = decide_frustration(multi, features, hand, turn, high)
    assert alone.level == 1
    assert both.level == 2 and both.score > 0.6
    assert "skandale" in both.evidence
    calm_high = FittedModel(name="frustration_high", classes=[0, 1], features=["ng:skand"], coef=[[3.0]],
                            intercept=[-1.0], thresholds={"positive": 0.95})
    assert decide_frustration(multi, features, hand, turn, calm_high).level == 1


@pytest.mark.parametrize("text", [
    "Nå, det var da virkelig flot klaret af jer. Tre måneder og stadig intet svar.",  # sarcasm
    "Tusind tak for ingenting, det har I været rigtig gode til.",  # thanks for nothing
    "Hvordan kan I overhovedet forsvare at lade en familie vente så længe?",  # a rhetorical question at "I"
    "Jeg har opgivet at forstå jer. Det nytter jo ingenting at klage.",  # resignation
    "Med al respekt, men det her er ikke i orden, og det ved du godt.",  # politeness that hides anger
])
def test_sarcasm_resignation_and_polite_anger_are_not_read_as_calm(text):
    """Also as a recogniser hands them over; the evidence is words of the turn, never bare function words."""
    for version in (text, transcript(text)):
        turn = _level(version)
        assert turn.frustration >= 1
        assert turn.evidence
        words = set(transcript(version).split())
        for item in turn.evidence:
            shown = [w for w in item.split() if w != "..."]
            assert all(w in words for w in shown)
            assert not (len(shown) == 1 and shown[0] in FUNCTION_WORDS)


@pytest.mark.parametrize("text", [
    "Fint med mig, så venter jeg gerne til næste uge.",
    "Tak fordi du ringer tilbage, det sætter jeg pris på.",
    "Ja, jeg har fået brevet, og jeg forstår godt begrundelsen.",
])
def test_polite_agreement_is_calm(text):
    for version in (text, transcript(text)):
        assert _level(version).frustration == 0
