"""Which language each clause of a citizen turn is in: writing system first, then lingua's statistical detector.

A turn is cut into clauses at sentence punctuation; a transcript without punctuation (a recogniser's output) is
searched for runs of words outside the Danish vocabulary instead. Lingua is restricted to the languages callers
of a Danish municipality plausibly speak (``_plausible`` in ``data/languages.json``); it is built once per process,
in its low-accuracy mode (trigrams only: about half a second to load, well under a millisecond per clause), and
asked only about clauses that hold a word Danish does not know, so a plain Danish turn costs nothing extra.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.analysis.caching import cached_by_identity
from assistant.analysis.lexicon import DATA_DIR
from assistant.analysis.text import TurnText

#: Writing systems that name their language outright (Arabic and Cyrillic script are refined by lingua).
_SCRIPTS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"[\u0600-\u06FF\u0750-\u077F]"), "ar"),
    (re.compile(r"[\u0400-\u04FF]"), "ru"),
    (re.compile(r"[\u0E00-\u0E7F]"), "th"),
    # Ge'ez script: in Danish municipalities mostly Tigrinya (Eritrea); lingua knows neither Tigrinya nor Amharic.
    (re.compile(r"[\u1200-\u137F]"), "ti"),
    (re.compile(r"[\u0590-\u05FF]"), "he"),
    (re.compile(r"[\u0900-\u097F]"), "hi"),
    (re.compile(r"[\u4E00-\u9FFF]"), "zh"),
    (re.compile(r"[\uAC00-\uD7AF]"), "ko"),
    (re.compile(r"[\u0370-\u03FF]"), "el"),
)
#: The lowest character any pattern of :data:`_SCRIPTS` matches (Greek).
_FIRST_SCRIPT_CHAR = "\u0370"
#: Danish, Norwegian and Swedish are understood across the border: never a language barrier, and lingua often
#: confuses them on a few words.
SCANDINAVIAN = frozenset({"da", "nb", "nn", "no", "sv"})
#: Sentence punctuation that ends a clause (commas do not: a foreign sentence often holds commas).
_CLAUSE_END = frozenset({".", "!", "?", ";", ":", "…", "...", "–", "—", "-", '"', "'", "(", ")"})
#: A clause needs this many words before lingua's verdict counts: one or two foreign words are a name, a greeting
#: or a loan word ("spas", "okay", "hej hej"), no sign of another language.
MIN_WORDS = 3
#: A run of words Danish does not know, inside a clause that is Danish as a whole, needs this many words: a
#: three-word English tag ("you know what") is Danish speech, a longer run is a switch of language.
MIN_RUN_WORDS = 4
#: Evidence shows at most this many tokens of a foreign span (a prefix of the transcript's words).
EVIDENCE_TOKENS = 8
#: Of a Latin-script clause's words at least this share must be foreign to Danish (unknown to its vocabulary, a
#: letter Danish does not use, or another language's function word) before lingua is asked.
MIN_FOREIGN_SHARE = 0.5
#: Lingua's confidence needed for a non-Danish verdict (its values sum to 1 over the plausible languages).
MIN_CONFIDENCE = 0.6
#: Lingua's confidence that, with the transcriber's moderate vote for the same language, makes a turn foreign.
LEANING_CONFIDENCE = 0.3
#: Non-Latin letters needed before a writing system counts.
MIN_SCRIPT_LETTERS = 4


@dataclass(frozen=True)
class ForeignSpan:
    """Words of a turn in another language than Danish: token span [start, end), the words and the language."""

    lang: str
    start: int
    end: int
    text: str
    words: int
    letters: int


@lru_cache(maxsize=1)
def _language_data() -> dict:
    return json.loads((DATA_DIR / "languages.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _detector():
    """Lingua restricted to the plausible languages (built once: about half a second)."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in _language_data()["_plausible"]]
    return (LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode()
            .with_preloaded_language_models().build())


def warm_up_language_detector() -> None:
    """Build the detector now (once per process) rather than on the first clause that needs it."""
    _detector()


def lingua_language(text: str) -> tuple[str, float]:
    """The most likely plausible language of a text and lingua's confidence in it (ISO 639-1)."""
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return "da", 0.0
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), float(best.value)


def text_leans_to(turn: TurnText, lang: str) -> bool:
    """True when the turn's words lean towards ``lang`` (used only beside the transcriber's own, moderate, vote
    for that language: telephone audio often leaves it unsure).

    Short turns are where lingua's trigrams are weakest, so the language's function words count too ("thank
    you", "tomorrow"): a quarter of the words, at least one, not Danish ones.
    """
    words = _words(turn, 0, len(turn.lowers))
    if len(words) < 2:
        return False
    hits = sum(1 for w in words if w in _function_words(lang) and w not in _function_words("da"))
    if hits and hits >= 0.25 * len(words):
        return True
    from lingua import IsoCode639_1, Language

    code = getattr(IsoCode639_1, lang.upper(), None)
    if code is None or Language.from_iso_code_639_1(code) not in _detector_languages():
        return False
    confidence = _detector().compute_language_confidence(" ".join(words), Language.from_iso_code_639_1(code))
    return confidence >= LEANING_CONFIDENCE


@lru_cache(maxsize=1)
def _detector_languages() -> frozenset:
    from lingua import IsoCode639_1, Language

    return frozenset(Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper()))
                     for c in _language_data()["_plausible"])


def script_language(text: str) -> str | None:
    """The language a non-Latin writing system names, when most letters of the text are in it."""
    if not text or max(text) < _FIRST_SCRIPT_CHAR:
        return None  # every script below starts above Latin: the usual Danish or English text needs no counting
    letters = sum(ch.isalpha() for ch in text)
    if not letters:
        return None
    for pattern, lang in _SCRIPTS:
        count = len(pattern.findall(text))
        if count >= MIN_SCRIPT_LETTERS and count / letters > 0.5:
            if lang in ("ar", "ru"):
                refined, _ = lingua_language(text)
                return refined if refined not in SCANDINAVIAN | {"en"} else lang
            return lang
    return None


def _foreignish(word: str, vocabulary) -> bool:
    """A word Danish does not know, or one with letters Danish does not use (cached per vocabulary: a call
    repeats its words, and every turn asks about each word twice, for its clauses and for the whole turn)."""
    known = _foreignish_answers(vocabulary)
    answer = known.get(word)
    if answer is None:
        if len(known) >= 100_000:
            known.clear()  # bounded: a long-running server hears many words
        answer = known[word] = _foreignish_uncached(word, vocabulary)
    return answer


@cached_by_identity(maxsize=4)
def _foreignish_answers(vocabulary) -> dict[str, bool]:
    """The answers of :func:`_foreignish` so far for one vocabulary."""
    return {}


def _foreignish_uncached(word: str, vocabulary) -> bool:
    if any(ord(ch) > 0x24F for ch in word):
        return True  # a non-Latin script
    if not word.isalpha():
        return False
    if word in _foreign_function_words():
        return True  # "is", "not", "bu", "nie": Danish's word list holds many English and other short words
    return word not in vocabulary or any(ch not in _DANISH_LATIN for ch in word)


@lru_cache(maxsize=1)
def _foreign_function_words() -> frozenset[str]:
    """Function words of the other languages in ``languages.json`` that are not Danish function words too."""
    other = {w for lang, words in _language_data().items() if not lang.startswith("_") and lang not in SCANDINAVIAN
             for w in words}
    return frozenset(other - _function_words("da"))


_DANISH_LATIN = frozenset("abcdefghijklmnopqrstuvwxyzæøåéü")


def _clauses(turn: TurnText) -> list[tuple[int, int]]:
    spans, start = [], 0
    for i, low in enumerate(turn.lowers):
        if low in _CLAUSE_END or (turn.is_punct[i] and low not in (",",)):
            if i > start:
                spans.append((start, i))
            start = i + 1
    if start < len(turn.lowers):
        spans.append((start, len(turn.lowers)))
    return spans


def foreign_spans(turn: TurnText, vocabulary) -> list[ForeignSpan]:
    """The clauses (or, in text without punctuation, the runs of words) of a turn in another language.

    Args:
        turn: The parsed turn.
        vocabulary: Danish word forms (the pipeline's lemma lookup table: form -> lemma).

    Returns:
        The foreign spans in text order; Scandinavian languages never count (see :data:`SCANDINAVIAN`).
    """
    found: list[ForeignSpan] = []
    for start, end in _clauses(turn):
        span = _foreign_clause(turn, start, end, vocabulary)
        if span is not None:
            found.append(span)
        elif end - start >= 2 * MIN_WORDS:
            found.extend(_foreign_runs(turn, start, end, vocabulary))
    return found


def main_language(turn: TurnText, spans: list[ForeignSpan], vocabulary) -> str:
    """The language of most of a turn's letters: one of its foreign spans' languages, or "da".

    Short foreign clauses ("okay. thank you. bye") are each below :data:`MIN_WORDS`; the turn as a whole is then
    asked too, under the same conditions as a clause.
    """
    letters = sum(ch.isalpha() for low, punct in zip(turn.lowers, turn.is_punct) if not punct for ch in low) or 1
    by_lang: dict[str, int] = {}
    for span in spans:
        by_lang[span.lang] = by_lang.get(span.lang, 0) + span.letters
    if by_lang:
        lang, count = max(by_lang.items(), key=lambda kv: kv[1])
        if count / letters > 0.5:
            return lang
    whole = _foreign_clause(turn, 0, len(turn.lowers), vocabulary)
    return whole.lang if whole is not None else "da"


def _words(turn: TurnText, start: int, end: int) -> list[str]:
    return [turn.lowers[i] for i in range(start, end) if not turn.is_punct[i] and not turn.lowers[i].isdigit()]


def _span_text(turn: TurnText, start: int, end: int) -> str:
    """The span's tokens as the transcript has them (joined like a cue's text), at most EVIDENCE_TOKENS."""
    tokens = turn.tokens[start:end]
    return " ".join(tokens[:EVIDENCE_TOKENS])


def _foreign_clause(turn: TurnText, start: int, end: int, vocabulary) -> ForeignSpan | None:
    words = _words(turn, start, end)
    text = _span_text(turn, start, end)
    script = script_language(" ".join(words))
    letters = sum(ch.isalpha() for w in words for ch in w)
    if script is not None:
        return ForeignSpan(script, start, end, text, len(words), letters)
    foreign_words = sum(1 for w in words if _foreignish(w, vocabulary))
    if len(words) < MIN_WORDS or foreign_words < MIN_FOREIGN_SHARE * len(words):
        return None  # "den fra Bispebjerg": a place name in a Danish clause
    if _danish_frame(words):
        return None
    lang, confidence = lingua_language(" ".join(words))
    if lang in SCANDINAVIAN or confidence < MIN_CONFIDENCE:
        return None
    return ForeignSpan(lang, start, end, text, len(words), letters)


def _danish_frame(words: list[str]) -> bool:
    """True when Danish function words carry the clause ("det var lidt of a mess, you see"): loan words and
    English tags inside a Danish sentence are Danish speech, not another language."""
    danish = sum(1 for w in words if w in _function_words("da"))
    return danish >= 2 and danish >= 0.25 * len(words)


@lru_cache(maxsize=None)
def _function_words(lang: str) -> frozenset[str]:
    return frozenset(_language_data().get(lang, ()))


def _foreign_runs(turn: TurnText, start: int, end: int, vocabulary) -> list[ForeignSpan]:
    """Runs of at least MIN_WORDS words Danish does not know (one known short word may stand among them)."""
    runs: list[tuple[int, int]] = []
    run_start, last_foreign, known_inside = None, None, 0
    for i in range(start, end):
        word = turn.lowers[i]
        if turn.is_punct[i]:
            continue
        if _foreignish(word, vocabulary):
            if run_start is None:
                run_start, known_inside = i, 0
            last_foreign = i
        elif run_start is not None:
            known_inside += 1
            if known_inside > 1 or len(word) > 3:
                runs.append((run_start, last_foreign + 1))
                run_start = None
    if run_start is not None:
        runs.append((run_start, last_foreign + 1))
    found = []
    for a, b in runs:
        if len(_words(turn, a, b)) < MIN_RUN_WORDS:
            continue
        span = _foreign_clause(turn, a, b, vocabulary)
        if span is not None:
            found.append(span)
    return found
