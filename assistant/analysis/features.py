"""Named features of a citizen turn for the fitted models: lexicon cue kinds, structure, context, n-grams.

The same functions run when fitting (``assistant train``) and when analysing a live call, so what was
fitted is what runs. Feature names say what they are (``cue:sarcasm``, ``addr:i``, ``prev:hand=2``,
``ng:aldr``): the strongest of them are the evidence the panel shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.analysis.fitted import Features, char_ngrams
from assistant.analysis.frustration import FrustrationResult
from assistant.analysis.text import TurnText
from assistant.analysis.types import AsrInfo

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
