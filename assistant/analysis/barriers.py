"""Barriers: the language of a turn, language barrier, health barrier and representative (threat: threat.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.analysis.language import SCANDINAVIAN, ForeignSpan, foreign_spans, main_language, text_leans_to
from assistant.analysis.lexicon import SKIPPED_FILLERS
from assistant.analysis.text import TurnText
from assistant.analysis.types import AsrInfo, Flag

SUBJECT_PRONOUNS = frozenset({"jeg", "du", "han", "hun", "vi", "de", "man"})
#: After these, "pronoun + infinitive" is correct Danish ("kan jeg komme", "skal du have").
AUX_BEFORE = frozenset({"kan", "skal", "vil", "må", "bør", "kunne", "skulle", "ville", "måtte", "lad", "lader", "lod",
                        "tør", "gider", "at", "hjælpe", "hjælper", "får", "fik", "se", "så", "hører", "hørte", "turde"})

#: Before "ikke + infinitive" these make fluent Danish ("hvorfor ikke sende det", "om ikke andet").
_FLUENT_BEFORE_IKKE = frozenset({"hvorfor", "eller", "om", "at", "for", "og", "men", "bare", "jo", "da", "heller",
                                 "så", "ellers", "nu", "endnu", "også", "altså", "vel", "nok", "slet"})


@dataclass
class BarrierOptions:
    """Thresholds of the barrier flags (summed evidence over the call)."""

    language_threshold: float = 3.0
    """Evidence needed for a language barrier."""
    other_language_turn: float = 1.5
    """Evidence from one citizen turn mainly in another language."""
    foreign_clause: float = 1.5
    """Evidence from a Danish turn that holds a clause in another language (a switch mid-turn); one such turn
    stays below the threshold: a phrase to a child or one English sentence is no barrier, several turns are."""
    language_speech_min: float = 1.5
    """Of the language evidence, at least this much must come from how the citizen speaks: interpreters are
    often the topic of a complaint ("tolken kom for sent"), which says nothing about the citizen's Danish."""
    broken_danish: float = 0.6
    """Evidence per "pronoun + infinitive" (e.g. "jeg ikke forstå"), at most three per turn."""
    caseworker_interpreter: float = 1.5
    """The caseworker offers or mentions an interpreter (counts only beside evidence from the citizen's speech)."""
    limited_danish: float = 2.3
    """Evidence per statement of limited Danish ("mit dansk er ikke så godt"), at most two per turn."""
    repeat_request: float = 0.7
    """Evidence per request to repeat, slow down or explain a word, at most two per turn."""
    citizen_interpreter: float = 1.2
    """The citizen asks for or mentions an interpreter (not when declining one)."""
    interpreter_request: float = 1.8
    """The citizen asks for an interpreter for themself ("kan jeg få en tolk"): the citizen's own view of their
    Danish; with the interpreter mention it reaches the threshold alone. Once per turn."""
    health_threshold: float = 2.0
    """Evidence needed for a health barrier (and cues in at least two turns, or one turn and a caseworker who
    adapts the call to it)."""
    accommodation_cap: float = 1.6
    """At most this much health evidence comes from the caseworker adapting the call ("tag dig god tid", "jeg
    ringer igen når du har det bedre"): it confirms what the citizen showed, it is never enough alone."""
    health_repeat: float = 0.5
    """Health evidence per citizen turn that asks to repeat ("kan du sige det igen"), at most two turns, and only
    in a call that already holds the citizen's own health cues and no other sign of limited Danish: then asking
    again is the illness hindering the talk, not the language. Hand-set: 17 health-barrier calls in dev + train
    are too few to fit it."""
    foreign_prob: float = 0.6
    """Transcriber language probability above which a turn counts as that language."""
    asr_support_prob: float = 0.25
    """A lower transcriber probability for another language counts when the text leans that way too."""


def guess_language(turn: TurnText, asr: AsrInfo | None = None, options: BarrierOptions | None = None, *,
                   foreign: list[ForeignSpan] | None = None) -> str:
    """The language mainly spoken in a turn (ISO 639-1), from the transcriber's view and the text.

    Args:
        turn: The parsed turn.
        asr: The transcriber's language and probabilities, when known.
        options: Thresholds.
        foreign: The turn's foreign spans (:func:`foreign_spans`), when already found.

    Returns:
        A language code; "da" unless the evidence for another language is clearly stronger: the transcriber is
        confident of another language, or text in one other language holds most of the turn's letters.
    """
    opts = options or BarrierOptions()
    if asr is not None:
        probs = dict(asr.language_probs)
        if asr.language and not probs:
            probs[asr.language] = opts.foreign_prob
        if probs:
            lang, prob = max(probs.items(), key=lambda kv: kv[1])
            if lang not in SCANDINAVIAN and prob >= opts.foreign_prob:
                return lang
    vocabulary = _vocabulary()
    spans = foreign if foreign is not None else foreign_spans(turn, vocabulary)
    lang = main_language(turn, spans, vocabulary)
    if lang == "da" and asr is not None:
        # On telephone audio the transcriber is often unsure of another language and decodes in Danish: its
        # moderate vote counts when the words lean the same way ("okay. thank you. bye").
        heard = {code: p for code, p in asr.language_probs.items() if code not in SCANDINAVIAN}
        if heard:
            other, prob = max(heard.items(), key=lambda kv: kv[1])
            if prob >= opts.asr_support_prob and text_leans_to(turn, other):
                return other
    return lang


def _vocabulary():
    from assistant.analysis.pipeline import lemma_table

    return lemma_table()


def broken_danish_count(turn: TurnText, lemma_table) -> int:
    """How often a subject pronoun is followed by a bare infinitive ("jeg ikke forstå", "jeg få brev"), or "ikke"
    with a bare infinitive and no verb before it ("brev ikke forstå"; "kan ikke forstå" is fluent)."""
    return len(broken_danish_spans(turn, lemma_table))


def broken_danish_spans(turn: TurnText, lemma_table) -> list[str]:
    """The words of each broken construction counted by :func:`broken_danish_count`, as the turn has them."""
    spans: list[str] = []
    n = len(turn.lowers)
    for i, low in enumerate(turn.lowers):
        if low == "ikke" and i + 1 < n and _bare_infinitive(turn.lowers[i + 1], lemma_table):
            before = turn.lowers[i - 1] if i > 0 else ""
            before2 = turn.lowers[i - 2] if i > 1 else ""
            if before not in SUBJECT_PRONOUNS and before not in AUX_BEFORE and before2 not in AUX_BEFORE and (
                    before not in _FLUENT_BEFORE_IKKE) and (before.isalpha() or not before):
                spans.append(" ".join(turn.tokens[max(i - 1, 0):i + 2]))
            elif not before.isalpha() and before:
                spans.append(" ".join(turn.tokens[i:i + 2]))  # ". ikke forstå"
            continue
        if low not in SUBJECT_PRONOUNS:
            continue
        if _word_before(turn.lowers, i) in AUX_BEFORE:
            continue  # "kan du sige", also as "kan øh du sige" or "kan altså du sige" from a recogniser
        j = i + 1
        if j < n and turn.lowers[j] == "ikke":
            j += 1
        if j >= n:
            continue
        if _bare_infinitive(turn.lowers[j], lemma_table):
            spans.append(" ".join(turn.tokens[i:j + 1]))
    return spans


def _word_before(lowers: list[str], index: int) -> str:
    """The word before ``index``, skipping the hesitations a recogniser writes out ("" at the start)."""
    for i in range(index - 1, -1, -1):
        if lowers[i] not in SKIPPED_FILLERS:
            return lowers[i]
    return ""


#: Forms that pass the infinitive test but after a pronoun are fluent Danish: "du så" (saw), "de to" (the two),
#: past tenses of modal verbs ("jeg måtte", "vi kunne").
_NOT_INFINITIVE = frozenset({"så", "to", "måtte", "kunne", "skulle", "ville", "burde", "turde"})


def _bare_infinitive(word: str, lemma_table) -> bool:
    """A verb's infinitive: its present tense is the word + "r" ("forstå" / "forstår")."""
    if word in _NOT_INFINITIVE or len(word) < 2 or not word.isalpha():
        return False
    return lemma_table.get(word + "r") == word and lemma_table.get(word) in (word, None)


@dataclass
class BarrierTracker:
    """Accumulates barrier and safety evidence over a call."""

    options: BarrierOptions = field(default_factory=BarrierOptions)
    language_score: float = 0.0
    language_speech_score: float = 0.0
    """The part of ``language_score`` that comes from how the citizen speaks (another language, broken or limited
    Danish, asking to repeat), not from talk about interpreters."""
    health_score: float = 0.0
    health_turns: set[int] = field(default_factory=set)
    health_shown_in_one_turn: bool = False
    """One citizen turn named the citizen's own illness together with how it hinders them ("jeg har en
    hjerneskade og kan ikke huske ting"): enough without a second turn."""
    accommodation_score: float = 0.0
    """Health evidence from the caseworker's words (capped by ``accommodation_cap``)."""
    repeat_turns: set[int] = field(default_factory=set)
    """Citizen turns that ask to repeat without a health cue of their own (see ``health_repeat``)."""
    other_language_evidence: bool = False
    """The citizen showed limited Danish in another way than asking to repeat (another language, broken or
    limited Danish, an interpreter asked for): then asking again is about the language."""
    flags: dict[str, Flag] = field(default_factory=dict)
    representative: bool = False

    def _flag(self, kind: str, evidence: list[str], index: int) -> None:
        flag = self.flags.setdefault(kind, Flag(kind=kind))
        for item in evidence:
            if item not in flag.evidence and len(flag.evidence) < 10:
                flag.evidence.append(item)
        if index not in flag.turns:
            flag.turns.append(index)

    @property
    def language_barrier(self) -> bool:
        opts = self.options
        return self.language_score >= opts.language_threshold and self.language_speech_score >= opts.language_speech_min

    @property
    def health_barrier(self) -> bool:
        opts = self.options
        repeats = 0 if self.other_language_evidence else min(len(self.repeat_turns), 2)
        score = (self.health_score + min(self.accommodation_score, opts.accommodation_cap)
                 + repeats * opts.health_repeat)
        turns = len(self.health_turns) + (1 if self.accommodation_score else 0) + repeats
        if self.health_shown_in_one_turn:
            return True
        return bool(self.health_turns) and turns >= 2 and score >= opts.health_threshold

    def update_citizen(self, index: int, turn: TurnText, lang: str, broken: int, *,
                       foreign: list[ForeignSpan] | tuple = (), broken_words: list[str] | tuple = ()) -> None:
        """Add the evidence of a citizen (or unknown speaker) turn.

        Args:
            index: The turn's index in the call.
            turn: The parsed turn.
            lang: The language mainly spoken in it (:func:`guess_language`).
            broken: How many broken-Danish constructions it holds (:func:`broken_danish_count`).
            foreign: Its clauses in another language (:func:`foreign_spans`): their words are the evidence.
            broken_words: The words of the broken constructions (:func:`broken_danish_spans`), shown as evidence.
        """
        opts = self.options
        ev: list[str] = []
        lang_add = 0.0
        if lang != "da":
            lang_add += opts.other_language_turn
            ev.extend([s.text for s in foreign[:2]] or [_opening_words(turn)])
        elif foreign:
            lang_add += opts.foreign_clause
            ev.extend(s.text for s in foreign[:2])
        for label in ("lang_limited", "lang_repeat", "lang_interpreter", "lang_request"):
            cues = _non_overlapping(turn.cues_of("barrier", label))
            if label in ("lang_interpreter", "lang_request") and cues and _declined(turn):
                cues = []  # "nej tak, jeg har ikke brug for tolk"
            if label == "lang_request":
                cues = cues[:1]
            if cues:
                weight = {"lang_limited": opts.limited_danish, "lang_repeat": opts.repeat_request,
                          "lang_interpreter": opts.citizen_interpreter, "lang_request": opts.interpreter_request}[label]
                lang_add += min(len(cues), 2) * weight
                ev.extend(c.text.lower() for c in cues[:2])
        if broken:
            lang_add += min(broken, 3) * opts.broken_danish
            ev.extend(broken_words[:3])
        interpreter_talk = min(len(_non_overlapping(turn.cues_of("barrier", "lang_interpreter"))), 2) * (
            opts.citizen_interpreter) if not _declined(turn) else 0.0
        self.language_speech_score += lang_add - interpreter_talk
        if lang_add:
            self.language_score += lang_add
            self._flag("language_barrier", ev, index)
        health_cues = _non_overlapping([c for c in turn.cues_of("barrier")
                                        if c.label.startswith("health_") and c.label != "health_accommodation"
                                        and not _fed_up(turn, c) and not _denied_forgetting(turn, c)
                                        and not _about_someone_else(turn, c)])
        self._note_repeat(index, turn, health_cues, lang != "da" or bool(foreign) or bool(broken))
        if health_cues:
            turn_score = min(2.0, sum(c.weight for c in health_cues))
            self.health_score += turn_score
            self.health_turns.add(index)
            if turn_score >= opts.health_threshold and _own_illness_hinders(turn, health_cues):
                self.health_shown_in_one_turn = True
            self._flag("health_barrier", [c.text.lower() for c in health_cues], index)
        rep = turn.cues_of("barrier", "representative")
        if rep:
            self.representative = True
            self._flag("representative", [c.text.lower() for c in rep], index)

    def _note_repeat(self, index: int, turn: TurnText, health_cues, foreign_speech: bool) -> None:
        """Remember a request to repeat (health evidence in a call without other signs of limited Danish)."""
        if foreign_speech or any(turn.cues_of("barrier", label) for label in
                                 ("lang_limited", "lang_interpreter", "lang_request")):
            self.other_language_evidence = True
        repeats = [c for c in turn.cues_of("barrier", "lang_repeat") if _asks_again(c.text)]
        if repeats and not health_cues:
            self.repeat_turns.add(index)
            self._flag("health_barrier", [repeats[0].text.lower()], index)

    def update_caseworker(self, index: int, turn: TurnText) -> None:
        """The caseworker's words count only as weak evidence: an interpreter offered, the call adapted to the
        citizen's health (threat and self-harm questions are the threat tracker's)."""
        interpreter = turn.cues_of("barrier", "lang_interpreter")
        if interpreter:
            self.language_score += self.options.caseworker_interpreter
            self._flag("language_barrier", [interpreter[0].text.lower()], index)
        adapting = _non_overlapping(turn.cues_of("barrier", "health_accommodation"))
        if adapting:
            self.accommodation_score += max(c.weight for c in adapting)
            self._flag("health_barrier", [c.text.lower() for c in adapting], index)

    def public_flags(self) -> list[Flag]:
        """Flags that are raised now (evidence below threshold stays internal)."""
        raised = []
        for kind, flag in self.flags.items():
            if (kind == "language_barrier" and self.language_barrier) or (
                    kind == "health_barrier" and self.health_barrier) or (
                    kind == "representative" and self.representative):
                raised.append(flag)
        return raised


#: Of the repeat cues, those that ask to hear it again or slower (not "hvad betyder", a word explained).
_AGAIN = ("igen", "gentag", "gang til", "langsom", "for hurtigt")


def _asks_again(text: str) -> bool:
    """True when a repeat cue's words ask to hear it again or slower."""
    low = text.lower()
    return any(word in low for word in _AGAIN)


def _opening_words(turn: TurnText, limit: int = 8) -> str:
    """The first words of a turn as the transcript has them (evidence when the transcriber named the language)."""
    return " ".join(turn.tokens[:limit])


#: "træt af", "led af", "møg træt af": being fed up with something, everyday Danish, not fatigue or illness.
_FED_UP_WORDS = frozenset({"træt", "trætte", "led", "lede"})


def _fed_up(turn: TurnText, cue) -> bool:
    """True when a health cue is about being fed up ("jeg er altså så træt af det her"), not about being ill."""
    return any(turn.lowers[i] in _FED_UP_WORDS and i + 1 < len(turn.lowers) and turn.lowers[i + 1] == "af"
               for i in range(cue.start, cue.end))


#: Forgetting words; "jeg glemmer det ikke" / "så jeg ikke glemmer" deny the memory problem.
_FORGET = ("glem",)
_DENIALS = frozenset({"ikke", "aldrig", "ik", "ikk"})


def _denied_forgetting(turn: TurnText, cue) -> bool:
    """True when a forgetting cue is negated inside it or right after it ("så jeg ikke glemmer det"), also when a
    recogniser bent the negation ("ikte", "ikken")."""
    words = turn.lowers[cue.start:min(cue.end + 2, len(turn.lowers))]
    return any(w.startswith(_FORGET) for w in words) and any(_is_denial(w) for w in words)


def _is_denial(word: str) -> bool:
    """"ikke", "aldrig", or a short near-miss of "ikke" as a recogniser writes it (no Danish word of 3-5 letters
    but "ikon" starts with "ik")."""
    return word in _DENIALS or (word.startswith("ik") and 3 <= len(word) <= 5 and word != "ikon")


#: Words that make an illness someone else's ("min mor har demens", "han er dement").
_OTHER_PERSON = frozenset({"han", "hun", "hans", "hendes", "de", "deres", "mor", "far", "søn", "datter", "mand",
                           "kone", "barn", "børn", "bror", "søster", "svigermor", "svigerfar", "datteren", "sønnen"})
_OWN = frozenset({"jeg", "min", "mit", "mine", "mig"})
#: Cue families that tell how an illness hinders the talk (a diagnosis alone does not).
_HINDRANCE = frozenset({"health_memory", "health_confusion", "health_thread", "health_speech", "health_hearing",
                        "health_distress", "health_energy"})


_SUBJECT_REACH = 5
#: Someone else as the subject of a health cue. Not "de"/"deres": lower-cased by a recogniser, the polite "De"
#: (the citizen herself) reads the same.
_SOMEONE_ELSE = _OTHER_PERSON - {"de", "deres"}
#: Without punctuation (recogniser text) these end the clause the subject is looked for in.
_CLAUSE_START = frozenset({"og", "men", "så", "fordi", "for", "når", "hvis", "da", "ja", "nej", "undskyld"})


def _about_someone_else(turn: TurnText, cue) -> bool:
    """True when the nearest person before a health cue in its clause is someone else ("min søn har ADHD", "hun
    kan ikke huske at tage sin medicin"): a relative's illness does not hinder this call. A first-person word
    inside the cue or nearer to it keeps the cue ("min mor siger at jeg glemmer alt")."""
    if any(w in _OWN for w in turn.lowers[cue.start:cue.end]):
        return False
    for i in range(cue.start - 1, max(-1, cue.start - 1 - _SUBJECT_REACH), -1):
        word = turn.lowers[i]
        if turn.is_punct[i] or word in _OWN or word in _CLAUSE_START:
            return False
        if word in _SOMEONE_ELSE:
            return True
    return False


def _own_illness_hinders(turn: TurnText, cues) -> bool:
    """True when a turn names the speaker's own illness ("jeg har ... hjerneskade", "min sklerose") and also a
    way it hinders them (memory, confusion, losing the thread, ...)."""
    if not any(c.label in _HINDRANCE for c in cues):
        return False
    for cue in cues:
        if cue.label != "health_condition":
            continue
        before = turn.lowers[max(0, cue.start - 4):cue.start]
        if any(w in _OWN for w in before) and not any(w in _OTHER_PERSON for w in before):
            return True
    return False


def _non_overlapping(cues):
    out, covered = [], set()
    for cue in sorted(cues, key=lambda c: (-(c.end - c.start), -c.weight)):
        span = set(range(cue.start, cue.end))
        if not span & covered:
            covered |= span
            out.append(cue)
    return sorted(out, key=lambda c: c.start)


def _declined(turn: TurnText) -> bool:
    """"nej tak", "ikke brug for", "behøver ikke": the citizen declines what was offered."""
    words = [w for w, p in zip(turn.lowers, turn.is_punct) if not p]
    text = " ".join(words)
    return "ikke brug for" in text or "behøver" in text and "ikke" in words or text.startswith("nej tak")
