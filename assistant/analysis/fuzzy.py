"""Token-level fuzzy phrase matching for transcripts: phrases survive a dropped, substituted or inserted word.

A recogniser drops short words ("er [det] rigtigt forstået"), swaps a word for a similar-looking form
("patter det" for "passer det", "lydene" for "lyder") and inserts hesitations. Exact multi-word patterns miss
those; here a phrase matches when its words appear in order with at most ``max_missing`` of them absent and at
most one foreign word between two matched words (or as many as the missing words it replaces). Words marked ``!`` in a phrase must be present (fuzzily): they
carry the meaning ("lad mig lige !opsummere" must not match "lad mig lige se"). A word may list alternatives
("!forstået|!opfattet det|dig"), so one line describes a family of phrasings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.analysis.caching import cached_by_identity

DATA_DIR = Path(__file__).resolve().parent / "data"

#: Hesitations that never count as a word between two matched phrase words.
_FILLERS = frozenset({"øh", "øhm", "øhh", "hm", "hmm", "mm", "altså", "ja", "lige", "så"})


@dataclass(frozen=True)
class FuzzyPhrase:
    """One phrase of a fuzzy lexicon."""

    words: tuple[str, ...]
    """The phrase's words, lower case; a word may be alternatives joined by "|"."""
    required: frozenset[int]
    """Indexes of words that must be present."""
    label: str
    """What a match means (e.g. "summary", "tag", "check")."""
    weight: float = 1.0
    """Evidence weight of a match."""
    max_missing: int = 1
    """How many (non-required) words may be absent."""


@dataclass(frozen=True)
class FuzzyMatch:
    """A fuzzy phrase match: token span [start, end) and the phrase that matched."""

    phrase: FuzzyPhrase
    start: int
    end: int
    missing: int


@lru_cache(maxsize=65536)
def word_like(text_word: str, phrase_word: str) -> bool:
    """True when a transcribed word can stand for a phrase word: equal, or (4+ letters, same first letter)
    close in spelling, as a recogniser's similar-looking substitution is."""
    if text_word == phrase_word:
        return True
    if len(text_word) < 4 or len(phrase_word) < 4 or text_word[0] != phrase_word[0]:
        return False
    from rapidfuzz.fuzz import ratio

    if abs(len(text_word) - len(phrase_word)) > 2:
        return False
    cutoff = 72.0 if len(phrase_word) >= 7 else 70.0
    return ratio(text_word, phrase_word) >= cutoff


def parse_phrase(text: str, label: str, weight: float = 1.0, max_missing: int | None = None) -> FuzzyPhrase:
    """Build a phrase from "word word !required word"; by default one word may be missing from 3-word phrases
    on, none from shorter ones."""
    words, required = [], set()
    for i, raw in enumerate(text.lower().split()):
        if raw.startswith("!"):
            required.add(i)
        words.append("|".join(alt.lstrip("!") for alt in raw.split("|")))
    if max_missing is None:
        max_missing = 1 if len(words) >= 3 else 0
    return FuzzyPhrase(tuple(words), frozenset(required), label, weight, max_missing)


@lru_cache(maxsize=8)
def load_phrases(name: str) -> tuple[FuzzyPhrase, ...]:
    """Read ``data/<name>.jsonl`` lines ``{"phrase": ..., "label": ..., "weight": ..., "max_missing": ...}``.

    Args:
        name: File stem in the analysis data folder.

    Returns:
        The parsed phrases.
    """
    out = []
    for line in (DATA_DIR / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        row = json.loads(line)
        out.append(parse_phrase(row["phrase"], row["label"], float(row.get("weight", 1.0)), row.get("max_missing")))
    return tuple(out)


def find_phrases(words: list[str], phrases, start: int = 0, end: int | None = None) -> list[FuzzyMatch]:
    """All phrases that occur fuzzily in ``words[start:end]`` (best match per phrase).

    Args:
        words: Lower-case tokens of a turn (punctuation tokens are simply non-matching words).
        phrases: The phrases to look for (a tuple, as ``load_phrases`` returns).
        start: First token index to search.
        end: One past the last token index to search (default: the end).

    Returns:
        One match per phrase found, with its span and the number of phrase words that were missing.
    """
    end = len(words) if end is None else end
    phrases = tuple(phrases)
    where = _word_positions(words, start, end, _vocabulary(phrases))
    # Which words of which phrases occur, from an index by word: the same two tests as on the phrases' hits
    # (enough words, every required word), without reading the phrases that have no word in the turn.
    by_word, always = _phrase_index(phrases)
    present: dict[int, set[int]] = {i: set() for i in always}
    for word in where:
        for i, k in by_word.get(word, ()):
            present.setdefault(i, set()).add(k)
    out = []
    for i in sorted(present):
        phrase = phrases[i]
        if len(present[i]) < len(phrase.words) - phrase.max_missing or not phrase.required <= present[i]:
            continue
        hits = [_hits(where, w) for w in phrase.words]
        best = _align(words, phrase, hits)
        if best is not None:
            out.append(best)
    return out


def _hits(where: dict[str, list[int]], word: str) -> list[int]:
    """Token indexes where a phrase word (or one of its "|" alternatives) occurs."""
    if "|" not in word:
        return where.get(word, [])
    return sorted({i for alt in word.split("|") for i in where.get(alt, ())})


@cached_by_identity()
def _vocabulary(phrases: tuple) -> dict[str, tuple[str, ...]]:
    """The phrases' words of 4+ letters grouped by first letter (fuzzy candidates), cached per phrase set."""
    by_letter: dict[str, set[str]] = {}
    for phrase in phrases:
        for w in (alt for word in phrase.words for alt in word.split("|")):
            if len(w) >= 4:
                by_letter.setdefault(w[0], set()).add(w)
    return {k: tuple(sorted(v)) for k, v in by_letter.items()}


@cached_by_identity()
def _phrase_index(phrases: tuple) -> tuple[dict[str, list[tuple[int, int]]], list[int]]:
    """Per word (each "|" alternative): (phrase index, word position) of every phrase word it can be; and the
    phrases that need no word present at all (cached per phrase set, like the vocabulary)."""
    by_word: dict[str, list[tuple[int, int]]] = {}
    always: list[int] = []
    for i, phrase in enumerate(phrases):
        if len(phrase.words) - phrase.max_missing <= 0:
            always.append(i)
        for k, word in enumerate(phrase.words):
            for alt in set(word.split("|")):
                by_word.setdefault(alt, []).append((i, k))
    return by_word, always


def _word_positions(words, start: int, end: int, vocab: dict[str, tuple[str, ...]]) -> dict[str, list[int]]:
    """Phrase word -> token indexes where it occurs (exactly, or fuzzily for words of 4+ letters)."""
    where: dict[str, list[int]] = {}
    for i in range(start, end):
        w = words[i]
        if not w:
            continue
        where.setdefault(w, []).append(i)
        if len(w) < 4:
            continue
        for candidate in vocab.get(w[0], ()):
            if candidate != w and word_like(w, candidate):
                where.setdefault(candidate, []).append(i)
    return where


def _align(words, phrase: FuzzyPhrase, hits: list[list[int]]) -> FuzzyMatch | None:
    """Best in-order chain of matched words: fewest missing, then shortest span."""
    n = len(phrase.words)
    best: FuzzyMatch | None = None
    # chains[k] = list of (first_pos, last_pos, missing) for chains whose last matched word is phrase word k
    # chains[k]: (first_pos, last_pos, missing, foreign) for chains whose last matched word is phrase word k
    chains: list[list[tuple[int, int, int, int]]] = [[] for _ in range(n)]
    for k in range(n):
        for pos in hits[k]:
            options = []
            if k <= phrase.max_missing and not any(j in phrase.required for j in range(k)):
                # chain starts here; words before k are missing. Then nothing may be inserted: "det er rigtigt"
                # (a statement) must not pass for "[er] det rigtigt" (a question).
                options.append((pos, pos, k, 1 if k else 0))
            for j in range(max(0, k - phrase.max_missing - 1), k):
                skipped = k - j - 1
                if any(s in phrase.required for s in range(j + 1, k)):
                    continue
                for first, last, missing, foreign in chains[j]:
                    if pos <= last:
                        continue
                    between = sum(1 for i in range(last + 1, pos) if words[i] not in _FILLERS)
                    if between <= max(skipped, 1) and missing + skipped <= phrase.max_missing:
                        options.append((first, pos, missing + skipped, foreign + max(0, between - skipped)))
            chains[k].extend(options)
    for k in range(n):
        tail = n - 1 - k
        if any(s in phrase.required for s in range(k + 1, n)):
            continue
        for first, last, missing, foreign in chains[k]:
            total = missing + tail
            if total > phrase.max_missing or (n - total) < min(2, n) or foreign > 1:
                continue  # at most one inserted word in the whole phrase
            cand = FuzzyMatch(phrase, first, last + 1, total)
            if best is None or (cand.missing, cand.end - cand.start) < (best.missing, best.end - best.start):
                best = cand
    return best
