"""Threat and self-harm: which threat cues of a turn count, and the call-level threat flag with its words.

The cues come from ``data/threat.jsonl`` (phrase families over lemmas with gaps for names and fillers; the
header of that file explains the labels). A cue is cancelled by a negation in its clause, by a figurative or
harmless use it overlaps, and, for unnamed consequences, by lawful escalation in the same turn (press, lawyer,
Ombudsmand). Risk is often said in pieces, so the weights of the last few citizen turns add up. The caseworker's
answer to risk counts too: naming a threat, referring to crisis help, or a self-harm question that is not plainly
denied. A small fitted call model (character n-grams of both speakers, :data:`THREAT_MODEL`) decides how far to
trust weak cues that did not add up. Recall comes first: a possible threat shown with the words that drove it
beats silence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from assistant.analysis.fitted import Features, FittedModel, text_words, word_grams
from assistant.analysis.lexicon import Cue
from assistant.analysis.text import TurnText
from assistant.analysis.types import Flag

#: The fitted call-level model (``models/threat_call.json``): character n-grams of both speakers' words so far.
THREAT_MODEL = "threat_call"


@dataclass
class ThreatOptions:
    """When threat cues raise the threat flag."""

    threshold: float = 2.0
    """Threat-cue weight needed in one citizen turn, or summed over the window."""
    window: int = 3
    """Risk is often said in pieces ("I know where she lives" ... "she should take care"; pills at hand ... "it
    won't be long"): weights of the last this many citizen turns add up against the same threshold. Hand-set:
    the labelled calls hold too few threats (15 in dev + train) to fit it."""
    max_evidence: int = 10
    """At most this many evidence phrases on the flag."""
    fitted: bool = True
    """Also ask the fitted call model (:data:`THREAT_MODEL`); False: the phrase families alone."""
    model_evidence: int = 3
    """When the fitted model raises the flag: this many words of the call that pushed it hardest."""


#: Words that deny what follows them ("jeg vil ikke slå nogen", "jeg ved ikke hvor hun bor").
THREAT_NEGATIONS = frozenset({"ikke", "ik", "ikk", "aldrig", "ingen", "intet", "ingenting", "hverken", "næppe",
                              "not", "never"})
#: Between a negation and a cue these start a new clause, so the negation does not reach the cue
#: ("hvis I ikke betaler så sker der noget", "jeg orker ikke mere jeg vil bare dø").
_CLAUSE_BREAKS = frozenset({"så", "men", "ellers", "hvis", "og", "fordi", "for", "når", "da", "selvom", "eller",
                            "end", "jeg", "du", "i", "han", "hun", "vi", "de", "der", "man", ",", ".", "?", "!", ";", ":"})
_NEGATION_REACH = 4
#: Labels whose cues weigh towards a threat (benign, escalation and question cues only modify).
THREAT_KINDS = frozenset({"violence", "veiled", "consequence", "approach", "selfharm", "abuse", "whereabouts",
                          "menace"})
#: Knowing where someone is counts only beside something menacing (a citizen may just say where she lives).
_ONLY_WITH_MENACE = frozenset({"whereabouts"})
#: A caseworker's question about self-harm: any answer but a denial carries the threat.
_QUESTION_KINDS = frozenset({"selfharm", "selfharm_question"})
#: The caseworker names a threat ("det lyder som en trussel") or refers to crisis help (Livslinien, 112,
#: krisecenter, politiet): she heard risk. Read only in caseworker turns.
_RESPONSE_KINDS = frozenset({"named_threat", "response"})
#: After "nej", these mean the answer is not a plain denial ("nej, men nogle gange ...").
_BUT_YES = frozenset({"men", "ja", "måske", "nogle", "somme", "indimellem", "tit", "ofte", "engang"})
_OPENERS = frozenset({"øh", "øhm", "hm", "hmm", "mm", "altså", "jamen", "nå", "tjo"})


def cue_kind(cue: Cue) -> str:
    """The kind of a threat cue: its label without the ``.neg`` marker ("selfharm.neg" -> "selfharm")."""
    return cue.label.partition(".")[0]


def risk_weight(cues: list[Cue]) -> float:
    """The summed weight of threat cues; whereabouts count only when some other threat cue is among them."""
    kinds = {cue_kind(c) for c in cues}
    if not kinds - _ONLY_WITH_MENACE:
        return 0.0
    return sum(c.weight for c in cues)


#: Words that make what follows a condition ("hvis I skærer igen, så kan der ske noget"; "ellers ...").
_CONDITIONS = frozenset({"hvis", "ellers", "medmindre", "if"})
#: Kinds that a condition before them turns into a conditional threat.
_CONDITIONAL_KINDS = frozenset({"consequence", "menace", "veiled", "approach"})
CONDITIONAL_BONUS = 0.5
"""Added once per turn when a consequence follows a condition: "hvis ... så ..." is how a threat is put."""


def conditional_bonus(turn: TurnText, cues: list[Cue]) -> float:
    """:data:`CONDITIONAL_BONUS` when a counted consequence, menace or approach cue has a condition word before
    it in the turn, else 0."""
    first = min((c.start for c in cues if cue_kind(c) in _CONDITIONAL_KINDS), default=None)
    if first is None:
        return 0.0
    return CONDITIONAL_BONUS if any(w in _CONDITIONS for w in turn.lowers[:first + 1]) else 0.0


def threat_cues(turn: TurnText) -> list[Cue]:
    """The threat cues of a turn that count, without overlaps (heaviest first).

    A cue is dropped when a ``benign`` cue overlaps it or starts right after it ("tager alle mine piller hver
    morgen"), when it is a ``consequence`` and the turn names a lawful channel ("det kommer I til at fortryde,
    jeg går til pressen"), or when a negation denies it (see :func:`negated_cue`), unless its label ends in
    ``.neg``: then the pattern itself holds the negation ("ikke noget at leve for").

    Args:
        turn: The parsed turn.

    Returns:
        The counted cues in text order; their weights add up to the turn's threat score.
    """
    cues = turn.cues_of("threat")
    if not cues:
        return []
    benign = [c for c in cues if c.label == "benign"]
    escalation = any(c.label == "escalation" for c in cues)
    counted = [cue for cue in cues if cue_kind(cue) in THREAT_KINDS and not _cancelled(turn, cue, benign, escalation)]
    chosen, covered = [], set()
    for cue in sorted(counted, key=lambda c: (-c.weight, -(c.end - c.start), c.start)):
        span = set(range(cue.start, cue.end))
        if not span & covered:
            covered |= span
            chosen.append(cue)
    return sorted(chosen, key=lambda c: c.start)


#: Kinds that a routine right after does not make harmless: knowing where someone parks "hver morgen" is the
#: menace itself (a benign cue that follows still cancels self-harm and violence cues, see :func:`_cancelled`).
_ROUTINE_MENACE = frozenset({"menace", "veiled", "whereabouts"})
#: Knowing where *I* or my own live is no threat ("I ved jo godt hvor jeg bor", "hvor min søster bor").
_FIRST_PERSON = frozenset({"jeg", "mig", "min", "mit", "mine", "vi", "os", "vores"})


def _about_myself(turn: TurnText, cue: Cue) -> bool:
    """A "... hvor ... bor" cue about the speaker or the speaker's own people."""
    words = turn.lowers[cue.start:cue.end]
    return "hvor" in words and bool(_FIRST_PERSON & set(words[words.index("hvor"):]))


def _cancelled(turn: TurnText, cue: Cue, benign: list[Cue], escalation: bool) -> bool:
    kind, _, own_negation = cue.label.partition(".")
    if kind in ("veiled", "whereabouts") and _about_myself(turn, cue):
        return True
    if kind != "menace" and any(b.start < cue.end and cue.start < b.end for b in benign):
        return True  # a menace ("han må hellere se sig for") is phrased like care on purpose
    if kind not in _ROUTINE_MENACE and any(cue.end <= b.start <= cue.end + 1 for b in benign):
        return True  # "tager alle mine piller hver morgen": the routine right after makes it harmless
    if kind == "abuse" and turn.lowers[cue.end:cue.end + 1] == ["selv"]:
        return True  # "sparket mig selv": the speaker acting on himself is no abuse suffered (figurative, mostly)
    if escalation and (kind in ("consequence", "menace") or cue.label == "veiled.neg"):
        return True  # "det er ikke en trussel, sagen går til min advokat": lawful escalation
    return not own_negation and negated_cue(turn, cue)


#: Finite forms of the commonest Danish verbs (auxiliaries, modals and everyday verbs; general grammar). Without
#: commas a recogniser gives no clause edges, but Danish puts one finite verb in each clause, and a negation adverb
#: governs the finite verb next to it: the one just before it in a main clause ("jeg vil ikke", "det er ikke") or
#: the one after it in a subordinate clause ("hvis I ikke betaler"). "ved" is left out: it is also a preposition.
FINITE_VERBS = frozenset({
    "er", "var", "har", "havde", "skal", "skulle", "vil", "ville", "kan", "kunne", "må", "måtte", "bør", "burde",
    "tør", "turde", "får", "fik", "bliver", "blev", "gør", "gjorde", "vidste", "går", "gik", "kommer", "kom",
    "siger", "sagde", "tror", "troede", "synes", "syntes", "står", "stod", "ligger", "lå", "sidder", "sad",
    "hedder", "plejer", "gider", "gad", "orker", "nytter", "hjælper", "passer", "sker", "skete", "tager", "tog",
    "finder", "fandt", "mener", "mente", "hører", "hørte", "svarer", "svarede", "ringer", "ringede"})
#: "det er ikke fordi ...", "det var ikke meningen at ...": right after a negation these put the whole next clause
#: under it, subject pronoun and all ("det er ikke fordi jeg vil true nogen").
_DENIAL_FRAMES = (("fordi",), ("sådan", "at"), ("for", "at"), ("meningen", "at"), ("tale", "om"))
#: How far a denial frame reaches into the clause after it.
_FRAME_REACH = 8
#: These end the reach of a denial frame ("det er ikke fordi jeg klager, men hun skal passe på").
_FRAME_ENDS = frozenset({"men", "ellers", "så", ".", "?", "!", ";"})


def negated_cue(turn: TurnText, cue: Cue) -> bool:
    """True when a negation lies inside the cue's span, or shortly before it in the same clause, or frames the
    clause the cue stands in ("det er ikke fordi jeg ...")."""
    lowers = turn.lowers
    if any(lowers[i] in THREAT_NEGATIONS and not _new_clause_between(lowers, i, cue.end - 1)
           for i in range(cue.start, cue.end)):
        return True  # "jeg ved ikke hvor hun bor"; not "hvis I ikke betaler sker der noget" (a gap spans clauses)
    if _framed_by_denial(lowers, cue.start):
        return True
    if lowers[cue.start] in _CLAUSE_BREAKS:
        return False
    for i in range(cue.start - 1, max(-1, cue.start - 1 - _NEGATION_REACH), -1):
        if lowers[i] in THREAT_NEGATIONS:
            return not _new_clause_between(lowers, i, cue.start)
        if lowers[i] in _CLAUSE_BREAKS or (lowers[i] == "bare" and i > 0 and lowers[i - 1] not in THREAT_NEGATIONS):
            return False  # "bare" not right after the negation contrasts: "ikke flytte, bare væk" (not "ikke bare")
    return False


def _new_clause_between(lowers: list[str], negation: int, last: int) -> bool:
    """True when a finite verb that is not the negation's own stands after the negation, up to and including
    token ``last``: a new clause began there ("jeg kan ikke mere det er snart slut med mig"). The negation's own
    verb stands just before it ("jeg vil ikke", "ved jeg ikke") or, in a subordinate clause, right after it
    ("hvis I ikke betaler"): that word is skipped whatever it is."""
    before = lowers[max(0, negation - 2):negation]
    own_before = any(w in FINITE_VERBS or w == "ved" for w in before)
    after = lowers[negation + (1 if own_before else 2):last + 1]
    return any(w in FINITE_VERBS for w in after)


def _framed_by_denial(lowers: list[str], start: int) -> bool:
    """True when "ikke fordi" / "ikke sådan at" / "ikke meningen at" stands shortly before ``start`` with nothing
    in between that ends its reach."""
    for i in range(start - 1, max(-1, start - 1 - _FRAME_REACH), -1):
        if lowers[i] in _FRAME_ENDS:
            return False
        if lowers[i] in THREAT_NEGATIONS and any(tuple(lowers[i + 1:i + 1 + len(f)]) == f for f in _DENIAL_FRAMES):
            return True
    return False


def _words(turn: TurnText) -> list[str]:
    return [w for w, p in zip(turn.lowers, turn.is_punct) if not p]


def denied_answer(turn: TurnText) -> bool:
    """"nej nej, ikke sådan": a denial of a self-harm question is not a threat."""
    words = _words(turn)
    return bool(words) and words[0] == "nej" and "ikke" in words[:8] and "sådan" in words[:10]


def denial(turn: TurnText) -> bool:
    """The answer opens with a plain no ("nej", "nej nej, det har jeg ikke", "overhovedet ikke"), without a
    "men"/"ja"/"nogle gange" after it. "jeg ved det ikke" or "måske" is no denial."""
    words = _words(turn)
    while words and words[0] in _OPENERS:
        words = words[1:]
    if not words:
        return False
    opens_no = words[0] in ("nej", "næ", "nope", "no", "aldrig") or words[:2] in (
        ["overhovedet", "ikke"], ["slet", "ikke"], ["bestemt", "ikke"])
    return opens_no and not _BUT_YES & set(words[1:12])


def _gram_prefix(speaker: str) -> str:
    return "w:" if speaker == "caseworker" else "c:"


def speaker_grams(text: str, speaker: str) -> dict[str, set[str]]:
    """Character 3-5-grams of each word (word edges marked), keyed ``c:`` (citizen) or ``w:`` (caseworker),
    mapped to the words they came from. Grams inside words survive the bent forms a recogniser produces."""
    prefix = _gram_prefix(speaker)
    grams: dict[str, set[str]] = {}
    for word in text_words(text):
        for gram in word_grams(word, (3, 4, 5), prefix):  # cached per word (speed only: same grams, same order)
            grams.setdefault(gram, set()).add(word)
    return grams


def call_features(grams: dict[str, set[str]]) -> Features:
    """Presence of each gram in the call so far, scaled to unit length: the score is then an average push, so a
    short prefix of a call (the greeting) reads on the same scale as a whole call."""
    value = 1.0 / math.sqrt(len(grams)) if grams else 0.0
    return {gram: value for gram in grams}


def threat_examples(calls) -> list:
    """One example per labelled call: the grams of all its turns, the call's ``threat`` label, its writer.

    The schema labels threat per call only, so the model is a call model; live it reads the call so far.
    """
    from assistant.analysis.training import Example

    examples = []
    for call in calls:
        grams: dict[str, set[str]] = {}
        for raw in call.turns:
            for gram, words in speaker_grams(raw.get("text", ""), raw.get("speaker", "citizen")).items():
                grams.setdefault(gram, set()).update(words)
        examples.append(Example(call_features(grams), bool(call.labels.get("threat")), call.writer))
    return examples


#: Weight per gram by loaded model; the entry keeps its model alive, so its id cannot be reused by another.
_WEIGHTS: dict[int, tuple[FittedModel, dict[str, float]]] = {}


def _gram_weights(model: FittedModel) -> dict[str, float]:
    """The binary model's weight per gram (built once per loaded model)."""
    entry = _WEIGHTS.get(id(model))
    if entry is None or entry[0] is not model:
        if len(_WEIGHTS) >= 8:
            _WEIGHTS.clear()
        entry = _WEIGHTS[id(model)] = (model, {name: model.coef[0][i] for i, name in enumerate(model.features)})
    return entry[1]


def model_evidence(model: FittedModel, grams: dict[str, set[str]], k: int) -> list[str]:
    """The ``k`` words of the call whose grams pushed the model hardest towards a threat."""
    push: dict[str, float] = {}
    for gram, weight in model.contributions(call_features(grams), True):
        if weight <= 0:
            break
        for word in grams.get(gram, ()):
            push[word] = push.get(word, 0.0) + weight
    return [w for w, _ in sorted(push.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


@dataclass
class ThreatTracker:
    """Accumulates threat and self-harm evidence over a call; :attr:`flag` holds the words that raised it."""

    options: ThreatOptions = field(default_factory=ThreatOptions)
    threat: bool = False
    flag: Flag | None = None
    recent: list[list[Cue]] = field(default_factory=list)
    """Counted threat cues of the last citizen turns (``window`` of them), oldest first."""
    recent_bonus: list[float] = field(default_factory=list)
    """The same turns' :func:`conditional_bonus`."""
    recent_insults: list[Cue] = field(default_factory=list)
    """Insults (frustration lexicon) in the last citizen turn: abuse that makes a caseworker end the call."""
    selfharm_question: str = ""
    """The words of the caseworker's self-harm question in the turn just before, "" when there was none."""
    models_dir: Path | None = None
    """Where the fitted model is read from (None: the shipped one)."""
    grams: dict[str, set[str]] = field(default_factory=dict)
    """Grams of the call so far with the words they came from (the fitted model's input)."""
    words_seen: set[tuple[str, str]] = field(default_factory=set)
    """(speaker prefix, word) of every word whose grams are in :attr:`grams` (speed only)."""
    probability: float = 0.0
    """The fitted model's latest probability of a threat in this call."""
    push: float = 0.0
    """Sum of the model's weights of the grams in :attr:`grams` (the running part of its score)."""
    weak_cues: list[Cue] = field(default_factory=list)
    """Counted threat cues said so far in the call, also those that did not add up to the threshold. The fitted
    model may raise the flag only beside at least one of them. Chosen on leave-one-writer-out (dev + train, live
    over each call's turns): without this gate the model raised 10 of 133 calm calls (precision 0.60, its
    evidence greetings and names); with it 1-2 (precision 0.88); demanding cues of weight 1 cost recall for
    0.94, and recall comes first while precision keeps a margin above 0.70."""

    def _ask_model(self, index: int, turn: TurnText, speaker: str) -> bool:
        """Add the turn's grams; raise the flag when the fitted model's probability reaches its threshold."""
        if not self.options.fitted:
            return False
        from assistant.analysis.training import load_model

        model = load_model(THREAT_MODEL, self.models_dir)
        weights = _gram_weights(model)
        # The same grams, words and sum as adding speaker_grams(turn.text, speaker) gram by gram, faster: a word
        # said before in the call (same speaker side) has all its grams and itself in self.grams already.
        prefix = _gram_prefix(speaker)
        for word in text_words(turn.text):
            if (prefix, word) in self.words_seen:
                continue
            self.words_seen.add((prefix, word))
            for gram in word_grams(word, (3, 4, 5), prefix):
                words = self.grams.get(gram)
                if words is None:
                    self.push += weights.get(gram, 0.0)
                    self.grams[gram] = {word}
                else:
                    words.add(word)
        # Same as model.predict_proba(call_features(self.grams)), kept as a running sum: each turn costs its own
        # grams, not the whole call's.
        score = model.intercept[0] + (self.push / math.sqrt(len(self.grams)) if self.grams else 0.0)
        self.probability = 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, score))))
        if self.threat or self.probability < model.thresholds.get("positive", 0.5) or risk_weight(self.weak_cues) <= 0:
            return False
        # The model decides how far to trust weak cues that did not add up (Snorkel's shape): it raises the flag
        # only beside at least one of them, and shows them first, then the words that pushed the model most.
        # Once the phrase families raised the flag, the model adds nothing: their words are the evidence.
        evidence = [c.text.lower() for c in self.weak_cues if c.weight > 0]
        return self._raise(index, evidence + model_evidence(model, self.grams, self.options.model_evidence))

    def update_citizen(self, index: int, turn: TurnText) -> bool:
        """Add a citizen (or unknown speaker) turn; returns True when it raised or added to the threat flag."""
        opts = self.options
        counted = [] if denied_answer(turn) else threat_cues(turn)
        self.recent = (self.recent + [counted])[-opts.window:]
        self.recent_insults = turn.cues_of("frustration", "insult")
        self.weak_cues += [c for c in counted if c.weight > 0]
        bonus = conditional_bonus(turn, counted)
        self.recent_bonus = (self.recent_bonus + [bonus])[-opts.window:]
        raised = False
        window = [c for cues in self.recent for c in cues]
        if counted and risk_weight(window) > 0:
            if (risk_weight(counted) + bonus >= opts.threshold
                    or risk_weight(window) + sum(self.recent_bonus) >= opts.threshold):
                raised = self._raise(index, [c.text.lower() for c in window if c.weight > 0])
        if self.selfharm_question and not denial(turn):
            # "Tænker du på at tage dit liv?" - "ja, nogle gange" / "jeg ved det ikke": a caseworker asks this only
            # when she heard risk, and anything but a plain no keeps it open (recall first). The evidence is
            # the question's words and the answer's first words.
            answer = " ".join(_words(turn)[:4])
            raised = self._raise(index, [self.selfharm_question, answer]) or raised
        self.selfharm_question = ""
        return self._ask_model(index, turn, "citizen") or raised

    def update_caseworker(self, index: int, turn: TurnText) -> bool:
        """The caseworker's words alone never raise a threat. A question about self-harm is remembered (the
        answer decides); naming a threat ("det lyder som en trussel") right after a citizen turn with threat
        cues raises it with those cues' words. Returns True when it raised or added to the threat flag."""
        modelled = self._ask_model(index, turn, "caseworker")
        return self._caseworker_cues(index, turn) or modelled

    def _caseworker_cues(self, index: int, turn: TurnText) -> bool:
        cues = turn.cues_of("threat")
        asked = [c for c in cues if cue_kind(c) in _QUESTION_KINDS and not negated_cue(turn, c)]
        self.selfharm_question = asked[0].text.lower() if asked else ""
        lawful = any(c.label == "escalation" for c in cues)  # "du truer med at gå til pressen" is no threat
        responses = [c for c in cues if c.label in _RESPONSE_KINDS and not negated_cue(turn, c)
                     and not (lawful and c.weight < self.options.threshold)]
        if not responses:
            return False
        heard = [c for recent in self.recent for c in recent] + self.recent_insults
        # A referral to crisis help or "det lyder som en trussel" says enough alone; "trussel" or "politiet" said
        # in passing counts only after the citizen's own threat cues. Hand-set: 15 threat calls cannot fit it.
        if max(c.weight for c in responses) < self.options.threshold and risk_weight(heard) <= 0:
            return False
        evidence = [c.text.lower() for c in heard if c.weight > 0] + [c.text.lower() for c in responses]
        return self._raise(index, evidence)

    def public_flags(self) -> list[Flag]:
        """The threat flag when raised (as a list, like the other trackers)."""
        return [self.flag] if self.threat and self.flag is not None else []

    def _raise(self, index: int, evidence: list[str]) -> bool:
        self.threat = True
        flag = self.flag = self.flag or Flag(kind="threat")
        for item in evidence:
            if item and item not in flag.evidence and len(flag.evidence) < self.options.max_evidence:
                flag.evidence.append(item)
        if index not in flag.turns:
            flag.turns.append(index)
        return True
