"""Named features of a citizen turn for the fitted models: lexicon cue kinds, structure, context, n-grams.

The same functions run when fitting (``assistant train``) and when analysing a live call, so what was
fitted is what runs. Feature names say what they are (``cue:sarcasm``, ``addr:i``, ``prev:hand=2``,
``ng:aldr``): the strongest of them are the evidence the panel shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.analysis.fitted import Features, FittedModel, char_ngrams
from assistant.analysis.frustration import FrustrationResult
from assistant.analysis.text import TurnText
from assistant.analysis.types import AsrInfo

#: The artefact name of the frustration model (``models/frustration.json``).
FRUSTRATION_MODEL = "frustration"
#: Words that address the municipality or the caseworker ("I", "jer", "du"): anger is usually aimed.
ADDRESSEE = {"i": "i", "jer": "i", "jeres": "i", "du": "du", "dig": "du", "din": "du", "dit": "du", "dine": "du",
             "kommunen": "kommunen", "systemet": "kommunen", "sagsbehandleren": "kommunen"}
NEGATION_WORDS = frozenset({"ikke", "ik", "aldrig", "ingen", "intet", "ingenting", "hverken", "not", "never"})
FIRST_PERSON = frozenset({"jeg", "mig", "min", "mit", "mine"})
QUESTION_WORDS = frozenset({"hvorfor", "hvordan", "hvad", "hvem", "hvornår", "hvor"})


@dataclass(frozen=True)
class TurnContext:
    """What came before a citizen turn and what the transcriber knew about it."""

    previous_hand_level: int = 0
    """The hand scorer's level on the citizen's previous turn."""
    lang: str = "da"
    """The language the turn was identified as."""
    asr: AsrInfo | None = None
    low_confidence_logprob: float = -1.2


def frustration_features(turn: TurnText, hand: FrustrationResult, context: TurnContext) -> Features:
    """Features of one citizen turn for the frustration model.

    Args:
        turn: The parsed turn.
        hand: The hand-written scorer's result on it (its cue kinds and parts become features).
        context: The previous turn's level, the language, the transcriber's confidence.

    Returns:
        Named features (values are counts or scores, mostly small).
    """
    features: Features = dict(hand.signals)
    features.update(structure_features(turn))
    features[f"prev:hand={min(context.previous_hand_level, 3)}"] = 1.0
    if context.lang != "da":
        features["lang:other"] = 1.0
    asr = context.asr
    if asr is not None and asr.avg_logprob is not None and asr.avg_logprob < context.low_confidence_logprob:
        features["asr:low_confidence"] = 1.0
    features.update(char_ngrams(turn.text))
    features["bias:turn"] = 1.0
    return features


def structure_features(turn: TurnText) -> Features:
    """How the turn is built: length, who is addressed, negations, questions, "!", first person."""
    words = [w for w, p in zip(turn.lowers, turn.is_punct) if not p]
    n = len(words)
    features: Features = {}
    features["len:" + ("1-3" if n <= 3 else "4-10" if n <= 10 else "11-25" if n <= 25 else "26+")] = 1.0
    for word in words:
        who = ADDRESSEE.get(word)
        if who:
            features[f"addr:{who}"] = min(3.0, features.get(f"addr:{who}", 0.0) + 1.0)
    negations = sum(1 for w in words if w in NEGATION_WORDS)
    if negations:
        features["neg:count"] = min(4.0, float(negations))
    if any(w in FIRST_PERSON for w in words):
        features["self:first_person"] = 1.0
    if words and words[0] in QUESTION_WORDS or "?" in turn.tokens:
        features["q:question"] = 1.0
    if "!" in turn.text:
        features["punct:exclamation"] = min(2.0, float(turn.text.count("!")))
    return features


def decide_frustration(model: FittedModel, features: Features, hand: FrustrationResult,
                       turn: TurnText) -> FrustrationResult:
    """The fitted model's level for a turn, with the words that drove it as evidence.

    Level 2 or more when P(level >= 2) reaches the model's threshold (chosen out-of-writer when fitting); then 3
    when 3 is likelier than 2. Below it, 1 when irritation is likelier than calm. Abuse and threats against
    others (the hand scorer's level 3) keep at least level 2: that is general knowledge, not a fitted guess.

    Returns:
        The level, the probability of level 2+ as score, and the evidence: the cue words that fired, then the
        words holding the features that pushed hardest towards anger.
    """
    probs = model.predict_proba(features)
    high = probs.get(2, 0.0) + probs.get(3, 0.0)
    if high >= model.thresholds.get("positive", 0.5):
        level = 3 if probs.get(3, 0.0) > probs.get(2, 0.0) else 2
    else:
        level = 1 if probs.get(1, 0.0) > probs.get(0, 0.0) else 0
    if hand.level == 3:
        level = max(level, 2)
    evidence = list(hand.evidence)
    if level >= 1:
        for word in feature_words(model.top_features(features, k=8, cls=3 if level == 3 else 2), turn):
            if word not in evidence and len(evidence) < 8:
                evidence.append(word)
    return FrustrationResult(level=level, score=round(high, 3), evidence=evidence, signals=hand.signals)


def feature_words(names: list[str], turn: TurnText, *, limit: int = 3) -> list[str]:
    """Readable words for the strongest features: an n-gram is shown as the word of the turn that holds it."""
    words: list[str] = []
    text_words = [w for w, p in zip(turn.lowers, turn.is_punct) if not p]
    for name in names:
        if not name.startswith("ng:"):
            continue
        gram = name[3:].strip("_")
        hit = next((w for w in text_words if gram and gram in w), None)
        if hit and hit not in words:
            words.append(hit)
        if len(words) >= limit:
            break
    return words
