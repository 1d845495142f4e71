"""Citizen frustration per turn (0-3) from spoken-Danish cue lexicons plus AFINN, with the words as evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.analysis.text import TurnText


@dataclass
class FrustrationOptions:
    """Weights and thresholds of the frustration score."""

    label_caps: dict[str, float] = field(default_factory=lambda: {
        "swear": 1.4, "insult": 4.0, "absolute": 1.2, "sarcasm": 2.4, "resignation": 1.6,
        "rhetorical": 2.4, "accusation": 2.4, "unfair": 2.0, "emotion": 1.8,
    })
    """Most a cue label can add in one turn (many mild cues of one kind should not stack without end)."""
    label_weights: dict[str, float] = field(default_factory=lambda: {"swear": 1.25, "absolute": 1.5, "accusation": 0.75})
    """Multiplier per cue label on what it adds (1.0 when absent); fitted coarsely on the dev calls (absolutes
    such as "aldrig" and "hver eneste gang" mark frustration more than single accusing words do)."""
    afinn_factor: float = 0.15
    """Points per AFINN unit of negative valence."""
    afinn_cap: float = 1.5
    """Most the AFINN part can add."""
    calm_factor: float = 0.6
    """How much calming cues (thanks, "det er fint", laughter) subtract per unit of weight."""
    calm_cap: float = 2.0
    """Most the calming cues can subtract."""
    exclamation: float = 0.4
    """Per "!" (only transcripts with punctuation have them), at most two."""
    shouting: float = 0.0
    """A word in capitals ("jeg HAR betalt"); off by default: transcribers never produce it, and the level
    should not depend on how a turn was written down."""
    repetition: float = 0.6
    """A phrase said twice in one turn ("tre gange. tre gange!")."""
    question_mark: float = 0.0
    """A question in an already negative turn is often rhetorical ("hvad skal jeg så leve af?")."""
    complaint_weight: float = 4.0
    """Complaint-cue weight from which a turn counts as a heated account of what went wrong..."""
    complaint_bonus: float = 0.4
    """...and adds this much (only when the turn already has a negative cue)."""
    carry_over: float = 0.6
    """Added after a turn at level 2+ when this turn still has negative cues (anger carries over)."""
    carry_min_score: float = 0.4
    """Score a turn needs for the carry-over to apply."""
    thresholds: tuple[float, float, float] = (1.0, 1.6, 4.2)
    """Score at which level 1, 2 and 3 start."""


@dataclass
class FrustrationResult:
    """Level 0-3 with the raw score and the words that drove it."""

    level: int
    score: float
    evidence: list[str]


_CAPS = re.compile(r"^[A-ZÆØÅ]{3,}$")
_ACRONYMS = {"MITID", "SMS", "CPR", "SFO", "PPR", "NEMID", "HR", "IT", "OK"}


def score_frustration(turn: TurnText, options: FrustrationOptions | None = None, *,
                      previous_level: int = 0) -> FrustrationResult:
    """Score one citizen turn.

    Args:
        turn: The parsed turn.
        options: Weights and thresholds (defaults when None).
        previous_level: The citizen's level in their previous turn: anger carries over while they keep
            complaining, so a still-negative turn after a frustrated one leans frustrated.

    Returns:
        The level (0 calm, 1 irritated, 2 frustrated/angry, 3 furious or abusive), score and evidence.
    """
    opts = options or FrustrationOptions()
    score = 0.0
    evidence: list[str] = []
    by_label: dict[str, float] = {}
    covered: set[int] = set()
    calm = 0.0
    # Longest phrase first over both lexicons: "ikke jeres skyld" (calm) wins over "jeres skyld".
    cues = sorted(turn.cues_of("frustration") + turn.cues_of("calm"), key=lambda c: (-(c.end - c.start), -c.weight))
    for cue in cues:
        span = set(range(cue.start, cue.end))
        if span & covered:
            continue
        covered |= span
        if cue.lexicon == "calm":
            calm += cue.weight
            continue
        if cue.end - cue.start == 1 and cue.label in NEGATABLE and _negated(turn, cue.start):
            continue  # "det er vel ikke urimeligt"
        cap = opts.label_caps.get(cue.label, 1.5)
        added = min(cue.weight, cap - by_label.get(cue.label, 0.0))
        if added <= 0:
            continue
        by_label[cue.label] = by_label.get(cue.label, 0.0) + added
        score += added * opts.label_weights.get(cue.label, 1.0)
        evidence.append(cue.text.lower())
    afinn = negation_aware_afinn(turn, keep_negative=True)
    neg = -sum(s for i, s in afinn if s < 0 and i not in covered)
    if neg:
        score += min(opts.afinn_cap, neg * opts.afinn_factor)
        evidence.extend(turn.lowers[i] for i, s in afinn if s <= -2 and i not in covered)
    score += min(2, turn.text.count("!")) * opts.exclamation
    if any(_CAPS.match(t) and t not in _ACRONYMS for t in turn.tokens):
        score += opts.shouting
    if _has_repetition(turn):
        score += opts.repetition
        evidence.append("gentagelse")
    if score > 0 and "?" in turn.tokens:
        score += opts.question_mark
    complaint_weight = sum(c.weight for c in turn.cues_of("complaint") if c.weight >= 1.0)
    if score > 0 and complaint_weight >= opts.complaint_weight:
        score += opts.complaint_bonus
    if previous_level >= 2 and score > opts.carry_min_score:
        score += opts.carry_over
    score -= min(opts.calm_cap, calm * opts.calm_factor)
    level = sum(1 for t in opts.thresholds if score >= t)
    if by_label.get("insult", 0) > 0:
        level = max(level, 2)
        if by_label["insult"] >= 2 * 2.0 or score >= opts.thresholds[1] + 1.0:
            level = 3  # abuse aimed at staff is the top of the scale
    if turn.cues_of("threat"):
        threat_weight = sum(c.weight for c in turn.cues_of("threat"))
        if threat_weight >= 2.0:
            level = 3
            evidence.extend(c.text.lower() for c in turn.cues_of("threat"))
    return FrustrationResult(level=level, score=round(score, 3), evidence=_dedupe(evidence))


NEGATABLE = frozenset({"unfair", "emotion", "accusation", "absolute"})


#: Words that negate what they modify ("ikke godt", "aldrig hjulpet", "ingen hjælp", "hverken ... eller").
NEGATORS = frozenset({"ikke", "ik", "ikk", "aldrig", "ingen", "intet", "hverken", "næppe", "ej", "not", "never"})
#: Words after which a negator belongs to another clause or negates something else ("ikke kun godt").
_NEGATION_STOP = frozenset({"kun", "blot", "bare", "alene", "mindst", "særlig", "så", "helt"})


def negated_near(turn: TurnText, index: int, before: int = 3, after: int = 2) -> bool:
    """A negator among the few words around a word, within its clause: before it ("det er ikke godt",
    "ikke særlig tilfreds") or, in Danish main-clause order, right after a verb ("det virker ikke",
    "det hjælper ikke noget").

    Args:
        turn: The parsed text.
        index: Token index of the word.
        before: How many words before it to look at.
        after: How many words after it to look at.

    Returns:
        True when the word is negated.
    """
    for j in range(index - 1, max(-1, index - before - 1), -1):
        if turn.is_punct[j]:
            break
        low = turn.lowers[j]
        if low in NEGATORS:
            return not (j + 1 < index and turn.lowers[j + 1] in {"kun", "blot", "bare", "alene"})
    for j in range(index + 1, min(len(turn.lowers), index + after + 1)):
        if turn.is_punct[j]:
            break
        if turn.lowers[j] in NEGATORS:
            return j + 1 >= len(turn.lowers) or turn.lowers[j + 1] not in _NEGATION_STOP
    return False


#: Valence per negator in a text: a statement that something is not so ("er ikke sket", "ikke skarp nok") is
#: more often a complaint than praise.
NEGATION_WEIGHT = 0.5


#: Words opening a conditional or purpose clause: a negation there states no fact ("hvis ikke, ...",
#: "så brugerne ikke skal vente").
_HYPOTHETICAL = frozenset({"hvis", "såfremt", "medmindre", "uanset", "så", "heller"})


def _hypothetical(turn: TurnText, index: int) -> bool:
    for j in range(index - 1, max(-1, index - 4), -1):
        if turn.is_punct[j]:
            return False
        if turn.lowers[j] in _HYPOTHETICAL:
            return True
    return False


def negation_aware_afinn(turn: TurnText, keep_negative: bool = False) -> list[tuple[int, float]]:
    """AFINN scores with the negations the pipeline leaves out: it flips a word after "ikke"/"aldrig" (two words
    before); here also a negator three words before ("ikke særlig meget godt") or right after a verb ("det
    virker ikke", "det hjælper ikke noget"). A negated positive word leans negative (half its score), a negated
    negative word counts as neutral unless ``keep_negative``."""
    out = []
    for i, s in turn.afinn:
        already = any(turn.lowers[j] in NEGATORS for j in range(max(0, i - 2), i))
        if s and not already and negated_near(turn, i) and (s > 0 or not keep_negative):
            s = -s / 2 if s > 0 else 0.0
        out.append((i, s))
    return out


def _negated(turn: TurnText, index: int) -> bool:
    """A negation among the two words before a cue word."""
    return any(turn.lowers[j] in {"ikke", "ik", "ikk", "aldrig", "slet"} for j in range(max(0, index - 2), index))


def _has_repetition(turn: TurnText) -> bool:
    """A content bigram repeated within the turn, e.g. "tre gange ... tre gange"."""
    words = [w for w, p in zip(turn.lowers, turn.is_punct) if not p]
    seen: set[tuple[str, str]] = set()
    for a, b in zip(words, words[1:]):
        if len(a) + len(b) < 7 or a in {"det", "der", "jeg", "og"}:
            continue
        if (a, b) in seen:
            return True
        seen.add((a, b))
    return False


def _dedupe(items: list[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out[:8]


def text_valence(turn: TurnText, options: FrustrationOptions | None = None) -> float:
    """Valence of a text (below 0 = negative): AFINN minus general negative words minus the frustration score.

    Used for general written Danish (the external sentence check); the call analysis uses the level.
    """
    afinn_sum = sum(s for _, s in negation_aware_afinn(turn))
    negative_words = len({c.start for c in turn.cues_of("negative")})
    negations = sum(1 for i, w in enumerate(turn.lowers) if w in NEGATORS and not _hypothetical(turn, i))
    return afinn_sum - negative_words - NEGATION_WEIGHT * negations - score_frustration(turn, options).score


def is_negative(turn: TurnText, options: FrustrationOptions | None = None) -> bool:
    """Text-level negativity: the valence of :func:`text_valence` is below zero."""
    return text_valence(turn, options) < 0
