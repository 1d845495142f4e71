"""Named features of a citizen turn for the fitted models: lexicon cue kinds, structure, context, n-grams.

The same functions run when fitting (``assistant train``) and when analysing a live call, so what was
fitted is what runs. Feature names say what they are (``cue:sarcasm``, ``addr:i``, ``prev:hand=2``,
``ng:aldr``): the strongest of them are the evidence the panel shows.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from assistant.analysis.fitted import Features, FittedModel, char_ngrams
from assistant.analysis.frustration import FUNCTION_WORDS, NEGATORS, PARTICLES, FrustrationResult
from assistant.analysis.lexicon import DATA_DIR
from assistant.analysis.text import TurnText
from assistant.analysis.types import AsrInfo

#: The artefact name of the frustration model (``models/frustration.json``): level 0-3, multinomial.
FRUSTRATION_MODEL = "frustration"
#: The artefact of the yes/no model "level 2 or more" (``models/frustration_high.json``): it decides whether a
#: turn is frustrated; the multinomial model then tells 0 from 1 and 2 from 3. Fitted for the one decision that
#: matters most, it ranks unseen writers' turns better than the sum of the multinomial's top classes.
FRUSTRATION_HIGH_MODEL = "frustration_high"
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
    features.update(context_features(turn, hand, context))
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


@lru_cache(maxsize=1)
def context_families() -> dict[str, tuple[frozenset[str], tuple[str, ...]]]:
    """The word families of ``data/context.jsonl`` by label (praise, wh, addressee, particles, ...): the exact
    words and the prefixes (``frustrer*``)."""
    families: dict[str, set[str]] = {}
    for line in (DATA_DIR / "context.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("{"):
            row = json.loads(line)
            families.setdefault(row["label"], set()).update(row["pattern"].split("|"))
    return {label: (frozenset(w for w in words if not w.endswith("*")),
                    tuple(sorted(w[:-1] for w in words if w.endswith("*"))))
            for label, words in families.items()}


class _Words:
    """The words of a turn (no punctuation) with their lemmas, and family tests on them."""

    def __init__(self, turn: TurnText) -> None:
        pairs = [(w, m) for w, m, p in zip(turn.lowers, turn.lemmas, turn.is_punct) if not p]
        self.words = [w for w, _ in pairs]
        self.lemmas = [m for _, m in pairs]
        self.families = context_families()

    def is_(self, i: int, label: str) -> bool:
        """Word i (or the phrase of two or three words starting there) belongs to the family."""
        exact, prefixes = self.families[label]
        word = self.words[i]
        if word in exact or self.lemmas[i] in exact or (prefixes and word.startswith(prefixes)):
            return True
        # the families hold a few phrases ("står fast", "kan ikke mere"): test the two and three words from here
        return any(" ".join(self.words[i:i + n]) in exact for n in (2, 3) if i + n <= len(self.words))

    def any_of(self, label: str) -> bool:
        return any(self.is_(i, label) for i in range(len(self.words)))

    def __len__(self) -> int:
        return len(self.words)

    def near(self, i: int, label: str, before: int, after: int) -> bool:
        return any(self.is_(j, label) for j in range(max(0, i - before), min(len(self.words), i + after + 1))
                   if j != i)


def context_features(turn: TurnText, hand: FrustrationResult, context: TurnContext) -> Features:
    """Frustration in context, from word families and their order (no punctuation needed).

    - ``ctx:irony``: praise with an ironic particle before it in a turn that complains or follows anger ("nå,
      det var jo flot", "sgu da fint"), or thanks for nothing ("tak for ingenting").
    - ``ctx:rhetorical_you``: a wh-word aimed at the municipality ("I" after a finite verb, "jer", "kommunen")
      with a particle that makes it a reproach ("hvad laver I egentlig", "hvordan kan I dog ..."); without the
      particle ``ctx:wh_you``.
    - ``ctx:resignation``: a verb of use negated ("det nytter ikke", "det hjælper jo ingenting") or giving up.
    - ``ctx:polite_but``: politeness then a contrast in a negative turn ("med al respekt, men ...").
    - ``ctx:insist``: insisting that the complaint stands ("jeg fastholder klagen"), or refusing to withdraw it
      (a withdrawing verb negated: "den dropper jeg ikke").
    - ``ctx:dare``: a verb then "du/I bare" ("ring du bare", "gør I bare det"): a dare, defiance after a warning.
    - ``ctx:other_lang_after_anger``, ``ctx:still_negative_after_anger``, ``ctx:addressed_negation``: the
      previous level and who is addressed, crossed with this turn's negativity.
    """
    words = _Words(turn)
    n = len(words)
    negations = sum(1 for w in words.words if w in NEGATORS)
    negative = hand.score >= 0.5 or negations > 0
    after_anger = context.previous_hand_level >= 2
    features: Features = {}
    for i in range(n):
        if words.is_(i, "praise") and words.near(i, "ironic_marker", 2, 0) and (negative or after_anger) and not (
                words.near(i, "nothing", 0, 0) or any(words.words[j] in NEGATORS for j in range(max(0, i - 2), i))):
            features["ctx:irony"] = 1.0
        if words.words[i] == "tak" and i + 2 < n and words.words[i + 1] == "for" and words.is_(i + 2, "nothing"):
            features["ctx:irony"] = 1.0
        if words.is_(i, "wh") and _aimed_at_you(words, i):
            key = "ctx:rhetorical_you" if words.near(i, "rhetorical_particle", 0, 5) else "ctx:wh_you"
            features[key] = 1.0
        if words.is_(i, "use_verb") and any(w in NEGATORS | {"ingenting"} for w in words.words[i + 1:i + 4]):
            features["ctx:resignation"] = 1.0
        if words.is_(i, "resignation"):
            features["ctx:resignation"] = 1.0
        if words.is_(i, "insist") or (words.is_(i, "withdraw") and any(
                w in NEGATORS for w in words.words[max(0, i - 3):i + 4])):
            features["ctx:insist"] = 1.0
        if _dare_at(words, i):
            features["ctx:dare"] = 1.0
        if words.is_(i, "politeness") and negative and any(words.is_(j, "contrast") for j in range(i + 1, min(n, i + 8))):
            features["ctx:polite_but"] = 1.0
    if context.lang != "da" and after_anger:
        features["ctx:other_lang_after_anger"] = 1.0
    if after_anger and negative:
        features["ctx:still_negative_after_anger"] = 1.0
    if negations and any(_you_at(words, j) for j in range(n)):
        features["ctx:addressed_negation"] = 1.0
    return features


def _dare_at(words: _Words, i: int) -> bool:
    """Word i opens "du/I bare" after a verb that is no modal ("skriv du bare", "gør I bare det"), not at the
    start of the turn and not a request ("kan du bare ...") or a clause ("hvis du bare ...")."""
    return (0 < i < len(words) - 1 and words.words[i] in ("du", "i") and words.words[i + 1] == "bare"
            and not words.is_(i - 1, "modal_or_subordinator") and words.words[i - 1] not in FUNCTION_WORDS)


def _aimed_at_you(words: _Words, index: int, window: int = 5) -> bool:
    """Within a few words after a wh-word: "I" right after a finite verb ("hvad laver I"), or "jer"/"kommunen"."""
    return any(_you_at(words, j) for j in range(index + 1, min(len(words), index + window + 1)))


def _you_at(words: _Words, j: int) -> bool:
    """Word j names the municipality: "jer", "kommunen", or "I" as a subject (after or before a finite verb), not
    the preposition "i" ("i orden", "i går")."""
    if words.is_(j, "addressee"):
        return True
    if words.words[j] != "i":
        return False
    if j > 0 and words.is_(j - 1, "finite_verb"):
        return True  # "hvad laver I", "har I"
    if (j and words.words[j - 1] not in CLAUSE_OPENERS) or (j + 1 < len(words) and words.words[j + 1] in TIME_AFTER_I):
        return False  # "i går", "i morgen" are times
    # "I har ...", "at I ikke svarer": the subject of a finite verb, an adverb may stand between.
    k = j + 2 if j + 2 < len(words) and words.words[j + 1] in SENTENCE_ADVERBS else j + 1
    return k < len(words) and words.is_(k, "finite_verb")


#: Words that make "i" + word a time ("i går", "i morgen", "i dag").
TIME_AFTER_I = frozenset({"går", "morgen", "dag", "aften", "nat", "morges", "forgårs", "overmorgen", "år"})
#: Words after which "I" opens a clause as its subject.
CLAUSE_OPENERS = frozenset({"og", "men", "at", "som", "fordi", "når", "hvis", "så", "da", "nu", "jo"})
#: Adverbs that may stand between a subject and its verb in a subordinate clause ("at I ikke svarer").
SENTENCE_ADVERBS = frozenset({"ikke", "aldrig", "bare", "jo", "da", "også", "stadig", "altid", "heller", "slet"})


def decide_frustration(model: FittedModel, features: Features, hand: FrustrationResult,
                       turn: TurnText, high_model: FittedModel | None = None) -> FrustrationResult:
    """The fitted models' level for a turn, with the words that drove it as evidence.

    Level 2 or more when P(level >= 2) reaches its threshold (chosen out-of-writer when fitting): from the
    yes/no model ``high_model`` when given, else from the multinomial model's classes 2 and 3. Then 3 when the
    multinomial model finds 3 likelier than 2; below the threshold, 1 when it finds irritation likelier than
    calm. Abuse and threats against others (the hand scorer's level 3) keep at least level 2: that is general
    knowledge, not a fitted guess.

    Returns:
        The level, the probability of level 2+ as score, and the evidence: the cue words that fired, then the
        words holding the features that pushed hardest towards anger.
    """
    probs = model.predict_proba(features)
    if high_model is not None:
        high = high_model.predict_proba(features).get(1, 0.0)
        threshold = high_model.thresholds.get("positive", 0.5)
    else:
        high = probs.get(2, 0.0) + probs.get(3, 0.0)
        threshold = model.thresholds.get("positive", 0.5)
    if high >= threshold:
        level = 3 if probs.get(3, 0.0) > probs.get(2, 0.0) else 2
    else:
        level = 1 if probs.get(1, 0.0) > probs.get(0, 0.0) else 0
    if hand.level == 3:
        level = max(level, 2)
    evidence = turn_evidence(hand.evidence, turn)
    if level >= 1:
        if high_model is not None and level < 3:
            strongest = high_model.top_features(features, k=8, cls=1)
        else:
            strongest = model.top_features(features, k=8, cls=3 if level == 3 else 2)
        for word in feature_words(strongest, turn):
            if word not in evidence and len(evidence) < 8:
                evidence.append(word)
    return FrustrationResult(level=level, score=round(high, 3), evidence=evidence, signals=hand.signals)


def turn_evidence(items: list[str], turn: TurnText) -> list[str]:
    """The hand scorer's evidence that the panel may show: words and phrases of the turn itself (a gap between
    words written "..."). A single word must be a content word; a phrase needs a content word, a negation or
    three words ("kan ikke mere"), so "nå så" or "i er jo" alone are not shown."""
    present = set(turn.lowers)
    out = []
    for item in items:
        words = [w for w in item.split() if w != "..."]
        if not words or not all(w in present for w in words):
            continue
        if (is_content_word(words[0]) if len(words) == 1 else
                len(words) >= 3 or any(w in NEGATORS or _not_function(w) for w in words)):
            out.append(item)
    return out


def is_content_word(word: str) -> bool:
    """A word worth showing alone: letters (hyphens allowed: "lorte-arm") of some length, not a function word
    or a particle."""
    return len(word) >= 3 and _not_function(word) and word.replace("-", "").isalpha() or _is_script_word(word)


def _not_function(word: str) -> bool:
    return word not in FUNCTION_WORDS and word not in PARTICLES


def _is_script_word(word: str) -> bool:
    """A word of another script with its vowel marks ("دائماً"): ``isalpha`` fails on the marks."""
    return len(word) >= 3 and any(ch.isalpha() for ch in word) and all(
        ch.isalpha() or unicodedata.category(ch).startswith("M") for ch in word) and not word.isascii()


def feature_words(names: list[str], turn: TurnText, *, limit: int = 3) -> list[str]:
    """Readable words for the strongest features: an n-gram is shown as the whole word of the turn that holds it
    (a gram marked with a word edge, ``_al``, must sit at that edge), and only content words: a gram inside
    "på" or "det" explains nothing to the caseworker."""
    words: list[str] = []
    text_words = [w for w, p in zip(turn.lowers, turn.is_punct) if not p and is_content_word(w)]
    for name in names:
        if not name.startswith("ng:"):
            continue
        hit = next((w for w in text_words if _holds_gram(w, name[3:])), None)
        if hit and hit not in words:
            words.append(hit)
        if len(words) >= limit:
            break
    return words


def _holds_gram(word: str, gram: str) -> bool:
    """The word holds the character n-gram, its edge marks ("_") included."""
    return bool(gram.strip("_")) and gram in f"_{word}_"
