"""Simple Danish cue rules (data in prompts/notes/cues.json): outcome, agreements and explanations from a transcript."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.paths import PROMPTS_DIR

CUES_PATH = PROMPTS_DIR / "notes" / "cues.json"
Turn = tuple[str, str]  # (speaker, text)

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])\s+|\s*\n+\s*")


@dataclass(frozen=True)
class Agreement:
    """Who does what by when, as said in the call."""

    who: str
    what: str
    when: str
    turn: int


@lru_cache(maxsize=4)
def load_cues(path: Path = CUES_PATH) -> dict[str, Any]:
    """The cue file, parsed, with every pattern compiled (case-insensitive)."""
    data = json.loads(path.read_text(encoding="utf-8"))

    def compile_all(node: Any) -> Any:
        if isinstance(node, str):
            return re.compile(node, re.IGNORECASE)
        if isinstance(node, list):
            return [compile_all(item) for item in node]
        if isinstance(node, dict):
            return {key: compile_all(value) for key, value in node.items() if not key.startswith("_")}
        return node

    return compile_all(data)


def sentences(text: str) -> list[str]:
    """Split a turn into sentences (ASR text without punctuation stays one sentence)."""
    return [part.strip() for part in _SENTENCE_SPLIT.split(text or "") if part and part.strip()]


def _any(patterns: list[re.Pattern[str]], text: str) -> bool:
    return any(pattern.search(text) for pattern in patterns)


def classify_outcome(turns: list[Turn], cues: dict[str, Any] | None = None) -> tuple[str, str]:
    """The call's outcome from its transcript: the last decisive cue wins.

    Statements count; a caseworker's yes/no question with a closing cue counts when the citizen answers
    yes in the next turn; questions offering both options ("… eller skriftligt?") count for nothing.

    Args:
        turns: (speaker, text) in order.
        cues: Parsed cue file; the project's file when None.

    Returns:
        (call outcome, note outcome): ("lagt_ned", "lagt_ned"), ("fastholdt", "skriftligt_svar"),
        ("fastholdt", "genvurdering") or ("uafklaret", "uafklaret").
    """
    rules = (cues or load_cues())["outcome"]
    decision = "uafklaret"
    for index, (speaker, text) in enumerate(turns):
        role = "citizen" if speaker == "citizen" else "caseworker"
        for sentence in sentences(text):
            is_question = sentence.rstrip().endswith("?")
            for outcome in ("lagt_ned", "fastholdt", "uafklaret"):
                if is_question and role == "caseworker":
                    if " eller " in f" {sentence.lower()} ":
                        continue  # offers both options: the answer decides, not the question
                    if _any(rules[outcome]["question"], sentence) and _answered_yes(turns, index, rules):
                        decision = outcome
                    continue
                if _any(rules[outcome][role], sentence):
                    decision = outcome
    if decision == "fastholdt":
        whole = " ".join(text.lower() for _, text in turns)
        detail = "genvurdering" if any(p.search(whole) for p in rules["reconsideration"]) else "skriftligt_svar"
        return decision, detail
    return decision, decision


def _answered_yes(turns: list[Turn], index: int, rules: dict[str, Any]) -> bool:
    following = turns[index + 1] if index + 1 < len(turns) else None
    return bool(following and following[0] == "citizen" and rules["affirmative"].search(following[1]))


def extract_agreements(turns: list[Turn], cues: dict[str, Any] | None = None) -> list[Agreement]:
    """Sentences where someone commits to do something ("jeg sender …", "du får … inden fredag").

    Returns:
        One `Agreement` per committing sentence (questions excluded), in call order.
    """
    rules = (cues or load_cues())["agreements"]
    found: list[Agreement] = []
    for index, (speaker, text) in enumerate(turns):
        role = "citizen" if speaker == "citizen" else "caseworker"
        for sentence in sentences(text):
            if sentence.endswith("?") or not _any(rules[role], sentence) or _any(rules["exclude"], sentence):
                continue
            when = rules["when"].search(sentence)
            found.append(Agreement(who="Borgeren" if role == "citizen" else "Sagsbehandleren",
                                   what=_clean(sentence), when=when.group(0) if when else "", turn=index))
    return found


def extract_explanations(turns: list[Turn], cues: dict[str, Any] | None = None, *, limit: int = 6) -> list[str]:
    """The caseworker's explaining sentences (reasons, rules, errors admitted, complaint guidance)."""
    rules = (cues or load_cues())["explanations"]
    found: list[str] = []
    for speaker, text in turns:
        if speaker != "caseworker":
            continue
        for sentence in sentences(text):
            if sentence.endswith("?") or _any(rules["exclude"], sentence) or not _any(rules["include"], sentence):
                continue
            if sentence not in found:
                found.append(_clean(sentence))
    return found[:limit]


def guidance_given(turns: list[Turn], cues: dict[str, Any] | None = None) -> dict[str, bool]:
    """Which parts of the complaint guidance the caseworker said in the call."""
    rules = (cues or load_cues())["guidance_given"]
    said = " ".join(text.lower() for speaker, text in turns if speaker == "caseworker")
    return {part: any(p.search(said) for p in patterns) for part, patterns in rules.items()}


def mentions_decision(turns: list[Turn], cues: dict[str, Any] | None = None) -> bool:
    """True when the call talks about a decision (afgørelse, afslag, …): used when there is no analysis."""
    patterns = (cues or load_cues())["decision"]
    return any(_any(patterns, text) for _, text in turns)


def _clean(sentence: str) -> str:
    """Drop fillers at the start and make the first letter upper case."""
    text = re.sub(r"^\s*((øh+m?|øhm|hm+|altså|jamen|ja|nå|okay|og)[,.\s]+)+", "", sentence, flags=re.IGNORECASE)
    text = text.strip() or sentence.strip()
    return text[0].upper() + text[1:] if text else text


# ---- the note's own voice ----------------------------------------------------------------------------

_PRONOUNS = {  # pronoun → the slot in cues.json "third_person" that replaces it
    "jeg": "subject", "mig": "object", "vi": "own_group", "os": "own_group", "vores": "own_group_possessive",
    "du": "listener", "dig": "listener", "din": "listener_possessive", "dit": "listener_possessive",
    "dine": "listener_possessive", "i": "listener_group", "jer": "listener_group", "jeres": "listener_group_possessive",
}
_OWN_POSSESSIVE = {"min": "sin", "mit": "sit", "mine": "sine"}
_PRONOUN_WORD = re.compile(r"(?<!\w)(" + "|".join([*_PRONOUNS, *_OWN_POSSESSIVE]) + r"|I)(?!\w)", re.IGNORECASE)


def third_person(sentence: str, speaker: str, cues: dict[str, Any] | None = None) -> str:
    """The sentence as the note states it: "Jeg sender dig svaret" (caseworker) → "Sagsbehandleren sender
    borgeren svaret". Pronouns are replaced word for word (Danish verbs do not change with the person).

    Args:
        sentence: One sentence as said.
        speaker: "caseworker" or "citizen" (who said it).
        cues: Parsed cue file; the project's file when None.
    """
    table = (cues or load_cues())["third_person"]
    words = {key: value.pattern for key, value in table["citizen" if speaker == "citizen" else "caseworker"].items()}
    for phrase, replacement in table["phrases"].items():
        sentence = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", replacement.pattern, sentence, flags=re.IGNORECASE)
    last_subject = [""]  # the last person-subject seen: "sin" only refers back to the speaker as subject

    def replace(match: re.Match[str]) -> str:
        word, lower = match.group(0), match.group(0).lower()
        if lower == "i" and not _is_pronoun_i(sentence, match):
            return word
        if lower in ("jeg", "du", "vi", "i"):
            last_subject[0] = lower
        if lower in _OWN_POSSESSIVE:
            return _OWN_POSSESSIVE[lower] if last_subject[0] == "jeg" else words["possessive"]
        return words[_PRONOUNS[lower]]

    stated = _PRONOUN_WORD.sub(replace, sentence)
    return stated[0].upper() + stated[1:] if stated else stated


_VERBS_AFTER_YOU = frozenset({"skal", "har", "er", "kan", "må", "vil", "burde", "bør", "gør", "får", "sender",
                              "tager", "ringer", "siger", "lover", "gider", "bliver", "havde", "var", "skulle",
                              "kunne"})


def _is_pronoun_i(sentence: str, match: re.Match[str]) -> bool:
    """Capital "I" is "you" (plural), lower-case "i" a preposition; a sentence-initial "I" is "you" only
    when a verb follows ("I skal …", not "I morgen …")."""
    if match.group(0) != "I":
        return False
    if match.start() > 0:
        return True
    following = sentence[match.end():].split()
    return bool(following) and following[0].lower() in _VERBS_AFTER_YOU


def ends_call(text: str, cues: dict[str, Any] | None = None) -> bool:
    """True when a caseworker's turn says the call is being ended ("jeg afslutter samtalen nu")."""
    return _any((cues or load_cues())["ended_call"], text)


def informs_manager(text: str, cues: dict[str, Any] | None = None) -> bool:
    """True when a caseworker's turn says the manager is told ("jeg orienterer min leder")."""
    return _any((cues or load_cues())["informs_manager"], text)


def about_self_harm(text: str, cues: dict[str, Any] | None = None) -> bool:
    """True when the words speak of harming oneself (then the "threat" is a risk to the citizen)."""
    return _any((cues or load_cues())["self_harm"], text)
