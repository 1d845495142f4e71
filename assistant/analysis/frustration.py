"""Citizen frustration per turn (0-3) from spoken-Danish cue lexicons plus AFINN, with the words as evidence.

The lexicon (``data/frustration.jsonl``) sorts cues by kind: signs of anger (swearing, abuse, sarcasm,
rhetorical reproaches, accusations, indignation, anger words, being ignored, threats to escalate) and signs of
weariness or worry (absolutes, resignation, distress). Around the cues the scorer reads negation, hedges,
intensifiers and whose feeling it is; beside them the structure of the turn (repetition, counted failures,
doubled words, why-never questions, long waits, praise turned sarcastic) and the citizen's previous level.
Nothing here relies on punctuation or capitals; "!" only adds where a transcript happens to have it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.analysis.threat import threat_cues
from assistant.analysis.lexicon import Cue
from assistant.analysis.text import TurnText


@dataclass
class FrustrationOptions:
    """Weights and thresholds of the frustration score."""

    label_caps: dict[str, float] = field(default_factory=lambda: {
        "swear": 1.4, "insult": 4.0, "absolute": 1.2, "sarcasm": 2.4, "resignation": 1.6,
        "rhetorical": 2.4, "accusation": 2.4, "unfair": 2.0, "emotion": 1.8, "distress": 1.2, "escalate": 1.6,
        "ignored": 1.6,
    })
    """Most a cue label can add in one turn (many mild cues of one kind should not stack without end)."""
    label_weights: dict[str, float] = field(default_factory=lambda: {"swear": 1.25, "absolute": 1.5})
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
    """A question in an already negative turn is often rhetorical ("og hvordan skal jeg så betale huslejen?")."""
    complaint_weight: float = 4.0
    """Complaint-cue weight from which a turn counts as a heated account of what went wrong..."""
    complaint_bonus: float = 0.4
    """...and adds this much (only when the turn already has a negative cue)."""
    carry_over: float = 0.6
    """Added after a turn at level 2+ when this turn still has negative cues (anger carries over)."""
    carry_min_score: float = 0.4
    """Score a turn needs for the carry-over to apply."""
    other_person_factor: float = 0.4
    """Multiplier on a feeling word said about someone else ("hun græder", "han bliver bange", "naboen er
    sur"): it describes that person, not the citizen on the phone."""
    hedge_factor: float = 0.6
    """Multiplier on a cue softened by a hedge just before it ("lidt surt", "en smule irriteret", "sådan lidt
    nedladende"): a hedged complaint is irritation, not anger."""
    intensifier_factor: float = 1.6
    """Multiplier on a cue strengthened by an intensifier just before it ("helt urimeligt", "fuldstændig
    ligeglade", "simpelthen for dårligt")."""
    failure_count: float = 0.6
    """Counting how often something failed ("tre gange", "for fjerde gang", "flere gange"): citizens count
    their attempts when they are fed up."""
    why_never: float = 1.2
    """A why/how question about something that never or not happens ("hvorfor er der aldrig nogen der ...",
    "hvordan kan det være at ingen ..."): a reproach in question form, found without a question mark."""
    you_reproach: float = 0.9
    """"I" (the municipality) as the subject of a verb with a negation or a negative word close after it ("I
    kan ikke bare ...", "I har aldrig ...", "I gør det bare sværere"): a reproach addressed to them. Questions
    ("har I ikke ...?") put the verb first and do not count."""
    reduplication: float = 0.8
    """A word doubled with "og" ("ringet og ringet", "venter og venter", "værre og værre"): spoken emphasis."""
    long_wait: float = 1.0
    """Waiting counted in weeks, months or years ("jeg har ventet i seks uger", "tre måneder har vi ventet"):
    the plainest form of irritation in a complaint about processing time."""
    echo: float = 0.5
    """A content word said again a few words later ("Griner! ... griner", "Øverst! I fem måneder ... øverst"):
    indignant echoing, in transcripts too (no punctuation needed)."""
    sarcastic_praise: float = 1.4
    """Praise at the end of a negative turn, or right after anger ("... og nu skal jeg vente et halvt år mere. dejligt")."""
    thresholds: tuple[float, float, float] = (1.0, 1.6, 6.0)
    """Score at which level 1, 2 and 3 start. Level 3 (furious or abusive) comes mostly from abuse and threats
    (below); by score alone only when a turn piles up very many signs, since a long account of everything that
    went wrong adds up without being fury."""
    sad_not_angry: bool = True
    """A turn with sadness or worry (crying, "bekymret", "bange") and no sign of anger of its own stays at
    level 1, also when the previous turn was angry: the feeling has changed, the caseworker should see it."""
    fury_anger: float = 3.5
    """Level 3 by score also needs this much of it from signs of anger (swearing, accusations, sarcasm,
    indignation), not from absolutes, counts and waiting."""
    linger_from: int = 2
    """After a turn at this level or higher, the next turn is at least irritated unless it calms down..."""
    linger_min_score: float = 0.0
    """...that is, unless its score (calming words subtract) falls below this."""
    skip_particles: bool = True
    """Also match the cue phrases with the modal particles and fillers of speech left out ("I er *jo*
    fuldstændig ligeglade", "hvad får I *egentlig* løn for"): speakers put them anywhere, and transcribers add
    and drop such short words."""
    strong_labels: frozenset[str] = frozenset({"swear", "insult", "sarcasm", "rhetorical", "accusation", "unfair",
                                               "emotion", "escalate", "swear", "ignored"})
    """Cue kinds that show anger or indignation (rather than weariness, worry or a plain account of what went
    wrong: absolutes, resignation, distress, counts, repetition)."""
    strong_min_weight: float = 0.8
    """Weight (after context) a cue of a strong kind needs to count as a sign of anger."""
    exclamation_is_anger: bool = True
    """An exclamation mark counts as a sign of anger."""
    echo_is_anger: bool = False
    """An echoed word counts as a sign of anger."""
    weary_level2: float = 3.0
    """Without any sign of anger, the score a turn needs for level 2: a long, weary account of everything that
    went wrong ("der sker bare ingenting", "hver gang", "aldrig") is irritation until it piles up."""


@dataclass
class FrustrationResult:
    """Level 0-3 with the raw score and the words that drove it."""

    level: int
    score: float
    evidence: list[str]
    signals: dict[str, float] = field(default_factory=dict)
    """The scorer's parts (cue kinds, anger, calm, structure): the fitted model's lexicon features."""


_CAPS = re.compile(r"^[A-ZÆØÅ]{3,}$")
_ACRONYMS = {"MITID", "SMS", "CPR", "SFO", "PPR", "NEMID", "HR", "IT", "OK"}

#: Words that make a following cue weaker ("lidt surt", "en smule", "sådan lidt", "nok lidt", "a bit").
HEDGES = frozenset({"lidt", "smule", "bit", "noget", "halvt", "nærmest", "egentlig", "måske", "vist"})
#: Words that make a following cue stronger.
INTENSIFIERS = frozenset({
    "helt", "fuldstændig", "fuldstændigt", "totalt", "simpelthen", "virkelig", "utrolig", "utroligt", "vildt",
    "enormt", "mega", "sindssygt", "hamrende", "dybt", "komplet", "aldeles", "ekstremt", "pisse", "skide",
    "really", "so", "very", "absolut", "sgu", "fandme", "fanme", "sateme", "satme", "dælme", "kraftedeme", "fucking",
})
#: Subjects that make a feeling word someone else's ("hun græder", "min mor er ked af det").
_OTHER_PERSON = frozenset({"han", "hun", "de", "den", "ham", "hende", "dem", "sønnen", "datteren", "naboen",
                           "barnet", "drengen", "pigen", "mor", "far", "søn", "datter", "kone", "mand", "he",
                           "she", "they"})
_SELF = frozenset({"jeg", "mig", "man", "vi", "os", "i"})
#: Praise that, at the end of a complaint, is sarcasm ("... fantastisk", "perfekt", "det var da flot").
SARCASTIC_PRAISE = frozenset({
    "fantastisk", "fantastiske", "perfekt", "herligt", "skønt", "glimrende", "fremragende", "strålende",
    "lækkert", "genialt", "vidunderligt", "fabelagtigt", "fornemt", "great", "perfect", "wonderful", "fantastic",
})
#: Count words before "gange" that count failed attempts.
_COUNTS = frozenset({"to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "tolv", "tyve", "flere",
                     "mange", "adskillige", "utallige", "utalige", "hundrede", "2", "3", "4", "5", "6", "7", "8",
                     "9", "10", "two", "three", "four", "five", "many"})
_ORDINALS = frozenset({"anden", "tredje", "fjerde", "femte", "sjette", "syvende", "ottende", "niende", "tiende",
                       "ente", "hundrede"})
#: Words after "N gange" that make it a schedule, not a count of failures ("to gange om ugen").
_SCHEDULE = frozenset({"om", "i", "hver", "dagligt", "ugentligt", "om-ugen", "a", "per", "pr", "daily"})
#: Function words: never shown alone as evidence, never an echo.
FUNCTION_WORDS = frozenset(
    "det der jeg og at en et er i på til af for med har den de som så ikke men han hun vi du man var skal kan "
    "jo da bare også nu her lige sig mig dig os jer min din sin vil være blev bliver have havde fik får når "
    "om hvis eller efter over under ved fra ud op ind hvad hvor hvem hvordan hvorfor ja nej nå okay altså "
    "øh øhm mm hm sådan noget nogen alle alt hele meget mere mest ind end".split()
)


@dataclass
class _Tally:
    """What a turn has added up to while it is scored."""

    score: float = 0.0
    anger: float = 0.0
    """The part of the score from cue kinds that show anger (not weariness, worry or accounts)."""
    angry: bool = False
    """Some sign of anger was seen (a strong cue, "!", sarcastic praise, a reproach, anger carried over)."""
    calm: float = 0.0
    evidence: list[str] = field(default_factory=list)
    by_label: dict[str, float] = field(default_factory=dict)
    covered: set[int] = field(default_factory=set)


def score_frustration(turn: TurnText, options: FrustrationOptions | None = None, *,
                      previous_level: int = 0) -> FrustrationResult:
    """Score one citizen turn.

    The score adds up cue words (by kind, each kind capped), weighted by what surrounds them (a negation
    cancels, a hedge softens, an intensifier strengthens, a feeling word about someone else counts less),
    negative AFINN words, and structural signs: repetition, counted failures, why-never reproaches, sarcastic
    praise, long waits, anger carried over from the citizen's previous turn. Calming words subtract. The level
    then needs a sign of anger for 2 (weariness alone stays 1 until it piles up) and much open anger, abuse or
    a threat for 3.

    Args:
        turn: The parsed turn.
        options: Weights and thresholds (defaults when None).
        previous_level: The citizen's level in their previous turn: anger carries over while they keep
            complaining, so a still-negative turn after a frustrated one leans frustrated.

    Returns:
        The level (0 calm, 1 irritated, 2 frustrated/angry, 3 furious or abusive), score and evidence.
    """
    opts = options or FrustrationOptions()
    tally = _Tally()
    _add_cues(turn, opts, tally)
    _add_valence_and_emphasis(turn, opts, tally)
    _add_structure(turn, opts, tally, previous_level)
    level = _level(turn, opts, tally, previous_level)
    signals = {f"cue:{label}": round(value, 3) for label, value in tally.by_label.items()}
    # The parts, not the hand-set level: its thresholds were tuned on the dev calls, and as a feature it taught
    # the fitted model those writers' scale (leave-one-writer-out is better without it).
    signals.update({"hand:score": round(tally.score, 3), "hand:anger": round(tally.anger, 3),
                    "hand:calm": round(max(0.0, tally.calm), 3), "hand:angry": float(tally.angry)})
    return FrustrationResult(level=level, score=round(tally.score, 3), evidence=_dedupe(tally.evidence),
                             signals=signals)


def _add_cues(turn: TurnText, opts: FrustrationOptions, tally: _Tally) -> None:
    """The lexicon cues (frustration and calm), longest first, each weighed in its context."""
    found = turn.cues_of("frustration") + turn.cues_of("calm")
    if opts.skip_particles:
        found += _cues_across_particles(turn)
    # Longest phrase first over both lexicons: "ikke jeres skyld" (calm) wins over "jeres skyld". Size in words
    # that carry meaning, so a phrase found across particles is not preferred for its span.
    cues = sorted(found, key=lambda c: (-_cue_size(turn, c), -c.weight))
    covered, calm_covered = tally.covered, set()
    for cue in cues:
        span = set(range(cue.start, cue.end))
        # A phrase inside or overlapping a longer one adds nothing; phrases that share just one word both count
        # ("I kan ikke" + "ikke engang").
        if (len(span & covered) > 1 or span <= covered or span & calm_covered
                or (cue.lexicon == "calm" and span & covered)):
            continue
        covered |= span
        if cue.lexicon == "calm":
            calm_covered |= span
            tally.calm += cue.weight
            continue
        if cue.label in NEGATABLE and _cue_negated(turn, cue):
            continue  # "det er vel ikke urimeligt", "at de ikke griner af folk", "jeg er ikke dum"
        weight = cue.weight * _context_factor(turn, cue, opts)
        added = min(weight, opts.label_caps.get(cue.label, 1.5) - tally.by_label.get(cue.label, 0.0))
        if added <= 0:
            continue
        tally.by_label[cue.label] = tally.by_label.get(cue.label, 0.0) + added
        points = added * opts.label_weights.get(cue.label, 1.0)
        tally.score += points
        tally.evidence.append(cue.text.lower())
        if cue.label in opts.strong_labels:
            tally.anger += points
            tally.angry = tally.angry or weight >= opts.strong_min_weight


def _add_valence_and_emphasis(turn: TurnText, opts: FrustrationOptions, tally: _Tally) -> None:
    """Negative AFINN words outside the cues, "!" where the text has it, and repetition."""
    afinn = negation_aware_afinn(turn, keep_negative=True)
    neg = -sum(s for i, s in afinn if s < 0 and i not in tally.covered)
    if neg:
        tally.score += min(opts.afinn_cap, neg * opts.afinn_factor)
        tally.evidence.extend(turn.lowers[i] for i, s in afinn if s <= -2 and i not in tally.covered)
    if "!" in turn.text:
        tally.score += min(2, turn.text.count("!")) * opts.exclamation
        tally.angry = tally.angry or opts.exclamation_is_anger
    if opts.shouting and any(_CAPS.match(t) and t not in _ACRONYMS for t in turn.tokens):
        tally.score += opts.shouting
    repeated = _repetition(turn)
    echoed = None if repeated else _echo(turn)
    if repeated:
        tally.score += opts.repetition
        tally.evidence.append(repeated)  # the repeated words themselves, as said
    elif opts.echo and echoed:
        tally.score += opts.echo
        tally.evidence.append(echoed)
        tally.angry = tally.angry or opts.echo_is_anger


def _add_structure(turn: TurnText, opts: FrustrationOptions, tally: _Tally, previous_level: int) -> None:
    """Signs in how the turn is built: counts, reproaches, doubled words, waits, sarcastic praise, carry-over."""
    counted = _failure_count(turn)
    if counted and opts.failure_count:
        tally.score += opts.failure_count
        tally.evidence.append(counted)
    reproach = _why_never(turn)
    if reproach and opts.why_never and "rhetorical" not in tally.by_label:
        tally.score += opts.why_never
        tally.evidence.append(reproach)
        tally.angry = True
    if opts.you_reproach:
        reproach_you = _you_reproach(turn, framed="accusation" in tally.by_label)
        if reproach_you:
            tally.score += opts.you_reproach
            tally.evidence.append(reproach_you)
            tally.angry = True
    doubled = _reduplication(turn)
    if doubled and opts.reduplication:
        tally.score += opts.reduplication
        tally.evidence.append(doubled)
        tally.angry = True
    waited = _long_wait(turn)
    if waited and opts.long_wait and "resignation" not in tally.by_label:
        tally.score += opts.long_wait
        tally.evidence.append(waited)
    if tally.score > 0 and "?" in turn.tokens:
        tally.score += opts.question_mark
    complaint_weight = sum(c.weight for c in turn.cues_of("complaint") if c.weight >= 1.0)
    if tally.score > 0 and complaint_weight >= opts.complaint_weight:
        tally.score += opts.complaint_bonus
    if opts.sarcastic_praise:
        praise = _sarcastic_praise(turn, negative_before=tally.score > 0.5, previous_level=previous_level)
        if praise is not None:
            tally.angry = True
            tally.score += opts.sarcastic_praise
            tally.evidence.append(praise)
            # The praise word is no calming cue here.
            tally.calm -= sum(c.weight for c in turn.cues_of("calm") if c.start <= _last_word(turn) < c.end)
    if previous_level >= 2 and tally.score > opts.carry_min_score:
        tally.score += opts.carry_over
    tally.score -= min(opts.calm_cap, max(0.0, tally.calm) * opts.calm_factor)
    if previous_level >= 2 and tally.score > opts.carry_min_score:
        tally.angry = True


def _level(turn: TurnText, opts: FrustrationOptions, tally: _Tally, previous_level: int) -> int:
    """The level from the score, the kind of signs seen, abuse and threats."""
    score, by_label = tally.score, tally.by_label
    level = sum(1 for t in opts.thresholds if score >= t)
    if level == 2 and not tally.angry and score < opts.weary_level2:
        level = 1
    if level == 2 and opts.sad_not_angry and "distress" in by_label and tally.anger == 0 and "!" not in turn.text:
        level = 1  # crying or worry without a word of anger: upset, even right after an angry turn
    if level == 3 and tally.anger < opts.fury_anger:
        level = 2  # a long, angry account of everything is frustration; fury needs much open anger
    if level == 0 and previous_level >= opts.linger_from and score >= opts.linger_min_score:
        level = 1  # anger lingers: a short "ja, det er det" right after an angry turn is not calm yet
    if by_label.get("insult", 0) > 0:
        level = max(level, 2)
        if by_label["insult"] >= 2 * 2.0 or score >= opts.thresholds[1] + 1.0:
            level = 3  # abuse aimed at staff is the top of the scale
    # Threats against others are fury; the threat detector's own rules decide what counts (figurative
    # uses, lawful escalation, negation). Self-harm and abuse suffered are distress, flagged as threats
    # elsewhere, not anger.
    threats = [c for c in threat_cues(turn) if c.label.partition(".")[0] in ANGRY_THREAT_KINDS]
    if threats and sum(c.weight for c in threats) >= 2.0:
        level = 3
        tally.evidence.extend(c.text.lower() for c in threats)
    return level


#: Threat kinds (see `threat.THREAT_KINDS`) that make a turn furious.
ANGRY_THREAT_KINDS = frozenset({"violence", "veiled", "consequence"})

#: Modal particles and fillers that speakers insert anywhere inside a set phrase.
PARTICLES = frozenset({
    "jo", "da", "nu", "vel", "bare", "lige", "altså", "egentlig", "også", "så", "simpelthen",
    "overhovedet", "faktisk", "ligesom", "sådan", "øh", "øhm", "øhh", "hm", "mm", "ikk", "ik", "eller", "hva",
    "nemlig", "vist", "dog", "ellers", "godt", "nok",
})


@lru_cache(maxsize=1)
def _frustration_matcher():
    """A matcher over the frustration phrases that particles can interrupt: two words or more, none of them a
    particle (the others are found by the pipeline's own match)."""
    from assistant.analysis.lexicon import CueMatcher, load_lexicon

    entries = [e for e in load_lexicon("frustration")
               if len(e.pattern) >= 2 and not any(alt.lstrip("=") in PARTICLES for tok in e.pattern
                                                  for alt in tok.split("|"))]
    return CueMatcher(entries)


def _cues_across_particles(turn: TurnText) -> list:
    """Frustration cues found when the turn's particles are left out, mapped back to the turn's tokens (only
    the ones the plain match did not find). Only the stretches around particles are matched again."""
    lowers, n = turn.lowers, len(turn.lowers)
    inner = [i for i in range(1, n - 1) if lowers[i] in PARTICLES]
    if not inner:
        return []
    # Words a few places either side of each particle: a phrase found across it lies within that stretch.
    window: set[int] = set()
    for i in inner:
        window.update(range(max(0, i - 5), min(n, i + 6)))
    keep = [i for i in sorted(window) if lowers[i] not in PARTICLES and not turn.is_punct[i]]
    if len(keep) < 2:
        return []
    forms = [(lowers[i], turn.lemmas[i]) for i in keep]
    known = {(c.start, c.end, c.label) for c in turn.cues_of("frustration")}
    out = []
    for cue in _frustration_matcher().match(forms, [turn.tokens[i] for i in keep]):
        start, end = keep[cue.start], keep[cue.end - 1] + 1
        if end - start > cue.end - cue.start + 3 or (start, end, cue.label) in known:
            continue  # words far apart in the turn (a gap between two windows), or found already
        if any(turn.is_punct[j] and turn.tokens[j] in ".?!;:" for j in range(start, end)):
            continue  # a phrase does not run across a sentence end
        out.append(Cue(cue.lexicon, cue.label, cue.weight, start, end, cue.text))
    return out


def _cue_size(turn: TurnText, cue) -> int:
    return sum(1 for j in range(cue.start, cue.end) if turn.lowers[j] not in PARTICLES) or 1


def _words(turn: TurnText) -> list[int]:
    """Token indexes of the words (no punctuation, no hesitations)."""
    return [i for i, (w, p) in enumerate(zip(turn.lowers, turn.is_punct)) if not p and w not in _FILLER_WORDS]


_FILLER_WORDS = frozenset({"øh", "øhm", "øhh", "hm", "hmm", "mm", "mmm", "eh", "ehm"})


def _last_word(turn: TurnText) -> int:
    words = _words(turn)
    return words[-1] if words else -1


def _context_factor(turn: TurnText, cue, opts: FrustrationOptions) -> float:
    """How the words just before a cue change its weight: hedges soften, intensifiers strengthen, and a
    feeling word whose subject is someone else counts less."""
    factor = 1.0
    before = [turn.lowers[j] for j in range(max(0, cue.start - 3), cue.start) if not turn.is_punct[j]]
    near = before[-2:]
    if len(before) == 3 and before[0] == "hvor" and before[1] in ("er", "var", "bliver", "blev"):
        near = near + ["virkelig"]  # an exclamation: "hvor er det dårligt", "hvor var det pinligt"
    if "aldrig" in before and (near[-1:] == ["så"] or turn.lowers[cue.start] == "så"):
        near = near + ["virkelig"]  # "aldrig været så vred": never so angry
    if any(w in HEDGES for w in near) and cue.label not in ("insult", "swear"):
        factor *= opts.hedge_factor
    elif cue.label not in ("insult", "swear") and any(
            w in INTENSIFIERS for w in near + ([turn.lowers[cue.start]] if cue.end - cue.start > 1 else [])):
        # (an intensifier may open the phrase itself: "helt forkert", "fuldstændig ligeglade")
        factor *= opts.intensifier_factor
    if cue.label in ("emotion", "distress") and _about_someone_else(turn, cue.start):
        factor *= opts.other_person_factor
    return factor


def _about_someone_else(turn: TurnText, index: int) -> bool:
    """A third person is the nearest subject before a feeling word in its clause ("hun græder", "han bliver
    bange", "naboen er sur på mig")."""
    for j in range(index - 1, max(-1, index - 4), -1):
        if turn.is_punct[j]:
            return False
        low = turn.lowers[j]
        if low in _SELF:
            return False
        if low in _OTHER_PERSON:
            return True
    return False


def _cue_negated(turn: TurnText, cue) -> bool:
    """A negation just before a cue that holds none itself ("ikke urimeligt", "at de ikke griner af folk",
    "jeg er altså ikke dum"); cues such as "ikke i orden" carry their negation inside."""
    inside = any(turn.lowers[j] in NEGATORS for j in range(cue.start, cue.end))
    if inside:
        return False
    for j in range(cue.start - 1, max(-1, cue.start - 7), -1):
        if turn.is_punct[j] and turn.tokens[j] != ",":
            return False
        low = turn.lowers[j]
        if low in {"ikke", "ik", "ikk", "aldrig", "slet", "ingen", "not", "never"} and (
                cue.start - j <= 3 or (j + 1 < len(turn.lowers) and turn.lowers[j + 1] in _DENIAL)):
            if low == "aldrig" and any(turn.lowers[k] in ("så", "mere") for k in range(j + 1, cue.start + 1)):
                return False  # "jeg har aldrig været så vred": a superlative, not a denial
            return True  # "ikke urimeligt", and the denial "jeg er altså ikke sur"
    return False


#: Words after "ikke" that deny what follows in the clause ("ikke fordi jeg er sur", "ikke sådan at ...").
_DENIAL = frozenset({"fordi", "sådan", "for", "at", "tænkt", "tænker", "planer", "ude"})


def _failure_count(turn: TurnText) -> str | None:
    """A count of repeated attempts or failures: "tre gange", "flere gange", "for fjerde gang", "i træk",
    "two times"; a schedule ("to gange om ugen") is no count."""
    low = turn.lowers
    n = len(low)
    for i, w in enumerate(low):
        if w in ("gange", "times") and i > 0 and low[i - 1] in _COUNTS:
            nxt = next((low[j] for j in range(i + 1, n) if not turn.is_punct[j]), "")
            if nxt not in _SCHEDULE or (nxt == "i" and i + 2 < n and low[i + 2] == "træk"):
                return f"{low[i - 1]} {w}"
        elif w == "gang" and i > 0 and low[i - 1] in _ORDINALS and (low[i - 1] != "anden" or (
                i > 1 and low[i - 2] == "for")):
            return f"{low[i - 1]} gang"  # "for anden gang", "tredje gang jeg ringer"
        elif w == "træk" and i > 0 and low[i - 1] == "i":
            return "i træk"
    return None


_WHY = frozenset({"hvorfor", "hvordan", "hvornår", "why", "how"})
_NEVER = frozenset({"aldrig", "ingen", "ingenting", "intet", "altid", "never", "nobody", "nothing", "always"})


def _why_never(turn: TurnText) -> str | None:
    """"hvorfor/hvordan/hvornår" with "aldrig/ingen/altid/intet" a few words on, in the same sentence."""
    low = turn.lowers
    for i, w in enumerate(low):
        if w not in _WHY:
            continue
        for j in range(i + 1, min(len(low), i + 7)):
            if turn.is_punct[j] and turn.tokens[j] in ".?!;:":
                break
            if low[j] in _NEVER:
                return f"{w} ... {low[j]}"
    return None


#: Finite verbs after which "i" is the pronoun "I" (you, plural), not the preposition.
_FINITE = frozenset(
    "har havde kan kunne er var skal skulle må måtte vil ville gør gjorde sender sendte siger sagde tager tog "
    "lover lovede ved vidste burde får fik lader lod bliver blev giver gav sidder sad glemmer glemte ringer "
    "ringede skriver skrev svarer svarede tror troede forventer forventede behandler behandlede".split())
_BAD_AFTER_YOU = frozenset({"ikke", "aldrig", "ingen", "intet", "ingenting", "bare", "jo", "heller", "hverken"})
_PLAIN_NEGATION = frozenset({"ikke", "ingen", "intet", "heller", "hverken"})


def _you_reproach(turn: TurnText, framed: bool = False) -> str | None:
    """"I" + finite verb + (within four words) a negation, "bare"/"jo", or a negative word. When an accusing
    phrase already counted (``framed``), only "bare"/"jo"/"aldrig" or a negative word add to it ("I kan ikke
    *bare* ...")."""
    low = turn.lowers
    negative = {i for i, s in turn.afinn if s < 0} | {c.start for c in turn.cues_of("negative")}
    for i in range(len(low) - 2):
        if low[i] != "i" or low[i + 1] not in _FINITE:
            continue
        if turn.punctuated and turn.tokens[i] != "I":
            continue  # written text tells the pronoun "I" from the preposition "i"
        for j in range(i + 2, min(len(low), i + 6)):
            if turn.is_punct[j] and turn.tokens[j] != ",":
                break
            if j in negative or (low[j] in _BAD_AFTER_YOU and not (framed and low[j] in _PLAIN_NEGATION)):
                return f"i {low[i + 1]} ... {low[j]}"
    return None


def _reduplication(turn: TurnText) -> str | None:
    """A word of four letters or more doubled with "og": "ringet og ringet", "værre og værre"."""
    low = turn.lowers
    for i in range(len(low) - 2):
        if low[i + 1] == "og" and low[i] == low[i + 2] and len(low[i]) >= 4 and low[i].isalpha():
            return f"{low[i]} og {low[i]}"
    return None


_DURATION_UNITS = ("uge", "måned", "år", "halvår")
_NUMBERS = frozenset({"to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "elleve", "tolv", "femten",
                      "tyve", "flere", "mange", "et", "en", "halvt", "halvandet", "snart",
                      *(str(n) for n in range(1, 60))})


def _long_wait(turn: TurnText) -> str | None:
    """A wait counted in weeks, months or years near a form of "vente" ("ventet i seks uger", "to måneder har
    jeg ventet", "venter stadig efter et halvt år")."""
    low, lem = turn.lowers, turn.lemmas
    waits = [i for i, (w, m) in enumerate(zip(low, lem)) if m == "vente" or w.startswith("vente")]
    if not waits and "uden" not in low:
        return None
    for i, w in enumerate(low):
        if i == 0 or low[i - 1] not in _NUMBERS or not w.startswith(_DURATION_UNITS):
            continue
        if low[i - 1] in ("et", "en") and not w.startswith(("år", "halvår")):
            continue  # "en uge" is no long wait; "et år" is
        if any(abs(i - j) <= 6 for j in waits) or (i + 1 < len(low) and low[i + 1] == "uden"):
            return f"{low[i - 1]} {w}"  # ("tre måneder uden penge" is a wait as well)
    return None


def _echo(turn: TurnText) -> str | None:
    """A content word (5+ letters) said again within a few words: "Griner! ... griner", "en forglemmelse. en
    forglemmelse", "vente, vente". Names ("Aarhus ... 8000 Aarhus") are no echo."""
    idx = _words(turn)
    words = [turn.lowers[i] for i in idx]
    for k, w in enumerate(words):
        if len(w) < 5 or w in FUNCTION_WORDS or not w.isalpha() or _is_name(turn, idx[k]):
            continue
        if w in words[k + 1:k + 5]:
            return w
    return None


def _is_name(turn: TurnText, index: int) -> bool:
    """A capitalised word that does not open a sentence."""
    token = turn.tokens[index]
    return token[:1].isupper() and index > 0 and turn.tokens[index - 1] not in {".", "!", "?", ":", "(", "\"", "'"}


def _sarcastic_praise(turn: TurnText, *, negative_before: bool, previous_level: int) -> str | None:
    """Praise as the last word of a turn (or the last word but a particle) after complaining, or after an
    angry turn: "... og nu skal jeg vente et halvt år mere. dejligt", "det var da flot", "perfekt, så venter jeg bare"."""
    words = _words(turn)
    if len(words) < 2:
        return None
    tail = [turn.lowers[i] for i in words[-2:]]
    word = next((w for w in reversed(tail) if w in SARCASTIC_PRAISE), None)
    if word is None:
        return None
    if any(turn.lowers[j] in NEGATORS for j in words[-4:]):
        return None  # "ikke fantastisk" is plain criticism, counted elsewhere
    if negative_before or previous_level >= 2:
        return word
    return None


NEGATABLE = frozenset({"unfair", "emotion", "accusation", "absolute", "insult", "escalate", "distress", "sarcasm"})


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


def _repetition(turn: TurnText) -> str | None:
    """A content bigram repeated within the turn, e.g. "tre gange ... tre gange"; returns it."""
    words = [w for w, p in zip(turn.lowers, turn.is_punct) if not p]
    seen: set[tuple[str, str]] = set()
    for a, b in zip(words, words[1:]):
        if len(a) + len(b) < 7 or a in {"det", "der", "jeg", "og"}:
            continue
        if (a, b) in seen:
            return f"{a} {b}"
        seen.add((a, b))
    return None


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
