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


def test_the_call_so_far_reaches_only_the_second_stage_and_is_absent_on_the_first_turn(parse):
    """Written by hand (no fit): a second-stage yes/no model that leans on how frustrated the citizen already
    seemed. The same mild turn is level 2 after an angry start, not as the first turn of a call."""
    from assistant.analysis.features import EARLIER_HIGH_FEATURE, TurnContext, with_call_context

    turn = parse("nå, men det må vi så se på")
    hand = score_frustration(turn)
    features = {"ng:_se_": 1.0}
    multi = _multinomial({"ng:_se_": [1.0, 0.5, 0.2, 0.0]})
    high = FittedModel(name="frustration_high", classes=[0, 1], features=[EARLIER_HIGH_FEATURE, "ng:_se_"],
                       coef=[[4.0, 0.0]], intercept=[-2.0], thresholds={"positive": 0.5})
    assert with_call_context(features, TurnContext()) == features
    first_turn = decide_frustration(multi, features, hand, turn, high, TurnContext())
    after_anger = decide_frustration(multi, features, hand, turn, high, TurnContext(earlier_high_max=0.9))
    assert first_turn.level < 2 <= after_anger.level
    assert after_anger.evidence == [w for w in after_anger.evidence if w in turn.lowers]


def test_a_calm_turn_after_a_very_angry_one_is_read_in_context(parse):
    """A real call through the analyser with the shipped models: the citizen's running first-stage estimate is
    empty before their first turn, high after a very angry turn and kept over a calm one; with it the shipped
    second stage gives the calm turn a higher P(level >= 2) than the same turn opening a call."""
    from assistant.analysis.features import FRUSTRATION_HIGH_MODEL, TurnContext, frustration_features, with_call_context
    from assistant.analysis.training import load_model

    calm = "ja, det kan jeg godt fortælle om"
    analyzer = CallAnalyzer.create()
    analyzer.add_turn("caseworker", "Goddag, det er kommunen, jeg vil gerne tale om din klage.")
    assert analyzer._earlier_high_max is None
    analyzer.add_turn("citizen", "Det er simpelthen en skandale, I er fuldstændig ligeglade med mig og mine børn!")
    after_angry = analyzer._earlier_high_max
    analyzer.add_turn("caseworker", "Det forstår jeg godt. Må jeg spørge, hvad der er sket?")
    analyzer.add_turn("citizen", calm)
    assert after_angry is not None and after_angry > 0.5
    assert analyzer._earlier_high_max == after_angry

    high = load_model(FRUSTRATION_HIGH_MODEL)
    turn = parse(calm)
    features = frustration_features(turn, score_frustration(turn), TurnContext())
    opening_call = high.predict_proba(with_call_context(features, TurnContext())).get(1, 0.0)
    after_anger = high.predict_proba(with_call_context(features, TurnContext(earlier_high_max=after_angry))).get(1, 0.0)
    assert after_anger > opening_call
