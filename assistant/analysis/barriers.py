"""Barriers: the language of a turn, language barrier, health barrier and representative (threat: threat.py)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.analysis.lexicon import DATA_DIR
from assistant.analysis.text import TurnText
from assistant.analysis.types import AsrInfo, Flag

_ARABIC = re.compile(r"[\u0600-\u06FF]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_POLISH = re.compile(r"[ąćęłńśźżĄĆĘŁŃŚŹŻ]")
_TURKISH = re.compile(r"[ıİşŞğĞ]")
_DANISH = re.compile(r"[æøåÆØÅ]")
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
    broken_danish: float = 0.6
    """Evidence per "pronoun + infinitive" (e.g. "jeg ikke forstå"), at most three per turn."""
    caseworker_interpreter: float = 1.0
    """The caseworker offers an interpreter."""
    limited_danish: float = 2.3
    """Evidence per statement of limited Danish ("mit dansk er ikke så godt"), at most two per turn."""
    repeat_request: float = 0.7
    """Evidence per request to repeat, slow down or explain a word, at most two per turn."""
    citizen_interpreter: float = 1.2
    """The citizen asks for or mentions an interpreter (not when declining one)."""
    health_threshold: float = 2.2
    """Evidence needed for a health barrier (and cues in at least two turns)."""
    foreign_prob: float = 0.6
    """Transcriber language probability above which a turn counts as that language."""


@lru_cache(maxsize=1)
def _language_words() -> dict[str, frozenset[str]]:
    raw = json.loads((DATA_DIR / "languages.json").read_text(encoding="utf-8"))
    return {lang: frozenset(words) for lang, words in raw.items() if not lang.startswith("_")}


def guess_language(turn: TurnText, asr: AsrInfo | None = None, options: BarrierOptions | None = None) -> str:
    """The language mainly spoken in a turn (ISO 639-1), from the transcriber's view and the text.

    Args:
        turn: The parsed turn.
        asr: The transcriber's language and probabilities, when known.
        options: Thresholds.

    Returns:
        A language code; "da" unless the evidence for another language is clearly stronger.
    """
    opts = options or BarrierOptions()
    if asr is not None:
        probs = dict(asr.language_probs)
        if asr.language and not probs:
            probs[asr.language] = opts.foreign_prob
        if probs:
            lang, prob = max(probs.items(), key=lambda kv: kv[1])
            if lang != "da" and prob >= opts.foreign_prob:
                return lang
    text = turn.text
    letters = sum(ch.isalpha() for ch in text) or 1
    arabic = len(_ARABIC.findall(text))
    cyrillic = len(_CYRILLIC.findall(text))
    if arabic / letters > 0.4:
        return "ar"
    if cyrillic / letters > 0.4:
        return "uk" if _UKRAINIAN.search(text) else "ru"
    words = [w for w, p in zip(turn.lowers, turn.is_punct) if not p and w.isalpha()]
    counts: dict[str, float] = {}
    for lang, vocab in _language_words().items():
        counts[lang] = float(sum(1 for w in words if w in vocab))
    counts["da"] = counts.get("da", 0.0) + 0.5 * len(_DANISH.findall(text))
    counts["pl"] = counts.get("pl", 0.0) + 1.0 * len(_POLISH.findall(text))
    counts["tr"] = counts.get("tr", 0.0) + 1.0 * len(_TURKISH.findall(text))
    script_share = (arabic + cyrillic) / letters
    if script_share > 0.15:
        counts["ar" if arabic > cyrillic else ("uk" if _UKRAINIAN.search(text) else "ru")] = len(words) * script_share * 2
    best = max(counts, key=counts.get)
    if best != "da" and counts[best] > counts.get("da", 0.0) and counts[best] >= 2:
        return best
    return "da"


def broken_danish_count(turn: TurnText, lemma_table) -> int:
    """How often a subject pronoun is followed by a bare infinitive ("jeg ikke forstå", "jeg få brev"), or "ikke"
    with a bare infinitive and no verb before it ("brev ikke forstå"; "kan ikke forstå" is fluent)."""
    count = 0
    n = len(turn.lowers)
    for i, low in enumerate(turn.lowers):
        if low == "ikke" and i + 1 < n and _bare_infinitive(turn.lowers[i + 1], lemma_table):
            before = turn.lowers[i - 1] if i > 0 else ""
            before2 = turn.lowers[i - 2] if i > 1 else ""
            if before not in SUBJECT_PRONOUNS and before not in AUX_BEFORE and before2 not in AUX_BEFORE and (
                    before not in _FLUENT_BEFORE_IKKE) and (before.isalpha() or not before):
                count += 1
            elif not before.isalpha() and before:
                count += 1  # ". ikke forstå"
            continue
        if low not in SUBJECT_PRONOUNS:
            continue
        if i > 0 and turn.lowers[i - 1] in AUX_BEFORE:
            continue
        j = i + 1
        if j < n and turn.lowers[j] == "ikke":
            j += 1
        if j >= n:
            continue
        if _bare_infinitive(turn.lowers[j], lemma_table):
            count += 1
    return count


def _bare_infinitive(word: str, lemma_table) -> bool:
    """A verb's infinitive: its present tense is the word + "r" ("forstå" / "forstår")."""
    return len(word) > 1 and word.isalpha() and lemma_table.get(word + "r") == word and lemma_table.get(word) in (
        word, None)


@dataclass
class BarrierTracker:
    """Accumulates barrier and safety evidence over a call."""

    options: BarrierOptions = field(default_factory=BarrierOptions)
    language_score: float = 0.0
    health_score: float = 0.0
    health_turns: set[int] = field(default_factory=set)
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
        return self.language_score >= self.options.language_threshold

    @property
    def health_barrier(self) -> bool:
        return self.health_score >= self.options.health_threshold and len(self.health_turns) >= 2

    def update_citizen(self, index: int, turn: TurnText, lang: str, broken: int) -> None:
        """Add the evidence of a citizen (or unknown speaker) turn."""
        opts = self.options
        ev: list[str] = []
        lang_add = 0.0
        if lang != "da":
            lang_add += opts.other_language_turn
            ev.append(f"tur på {lang}")
        for label in ("lang_limited", "lang_repeat", "lang_interpreter"):
            cues = _non_overlapping(turn.cues_of("barrier", label))
            if label == "lang_interpreter" and cues and _declined(turn):
                cues = []  # "nej tak, jeg har ikke brug for tolk"
            if cues:
                weight = {"lang_limited": opts.limited_danish, "lang_repeat": opts.repeat_request,
                          "lang_interpreter": opts.citizen_interpreter}[label]
                lang_add += min(len(cues), 2) * weight
                ev.extend(c.text.lower() for c in cues[:2])
        if broken:
            lang_add += min(broken, 3) * opts.broken_danish
            ev.append("gebrokkent dansk")
        if lang_add:
            self.language_score += lang_add
            self._flag("language_barrier", ev, index)
        health_cues = _non_overlapping([c for c in turn.cues_of("barrier")
                                        if c.label.startswith("health_") and not _fed_up(turn, c)])
        if health_cues:
            self.health_score += min(2.0, sum(c.weight for c in health_cues))
            self.health_turns.add(index)
            self._flag("health_barrier", [c.text.lower() for c in health_cues], index)
        rep = turn.cues_of("barrier", "representative")
        if rep:
            self.representative = True
            self._flag("representative", [c.text.lower() for c in rep], index)

    def update_caseworker(self, index: int, turn: TurnText) -> None:
        """The caseworker's words count only as weak evidence (an interpreter offered)."""
        if turn.cues_of("barrier", "lang_interpreter"):
            self.language_score += self.options.caseworker_interpreter
            self._flag("language_barrier", ["tolk tilbudt"], index)

    def public_flags(self) -> list[Flag]:
        """Flags that are raised now (evidence below threshold stays internal)."""
        raised = []
        for kind, flag in self.flags.items():
            if (kind == "language_barrier" and self.language_barrier) or (
                    kind == "health_barrier" and self.health_barrier) or (
                    kind == "representative" and self.representative):
                raised.append(flag)
        return raised


#: "træt af", "led af", "møg træt af": being fed up with something, everyday Danish, not fatigue or illness.
_FED_UP_WORDS = frozenset({"træt", "trætte", "led", "lede"})


def _fed_up(turn: TurnText, cue) -> bool:
    """True when a health cue is about being fed up ("jeg er altså så træt af det her"), not about being ill."""
    return any(turn.lowers[i] in _FED_UP_WORDS and i + 1 < len(turn.lowers) and turn.lowers[i + 1] == "af"
               for i in range(cue.start, cue.end))


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
