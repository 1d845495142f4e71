"""Cue lexicons as data (JSONL) and a matcher on lemmas/lower-case forms that tolerates transcription errors.

A lexicon line is ``{"pattern": "hver eneste gang", "label": "absolute", "weight": 1.0}``. A pattern is a
sequence of space-separated token specs, each matched against a token's lower-case text *or* its lemma:

- ``word``: exact; words of 5+ letters also match fuzzily (rapidfuzz ratio), to survive ASR errors.
- ``=word``: exact only (short or ambiguous words never match fuzzily anyway).
- ``word*``: prefix (``afslag*`` matches "afslaget", "afslagene").
- ``*word*``: inside a compound (``*spand*`` matches "restaffaldsspanden").
- ``a|b|c``: alternatives (each alternative may use the forms above).
- ``?``: any one token; ``...``: a gap of 0-3 tokens.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

GAP_MAX = 3
#: Hesitations a transcriber inserts anywhere; patterns match as if they were not there.
SKIPPED_FILLERS = frozenset({"øh", "øhm", "øhh", "øhhm", "hm", "hmm", "mm", "mmm", "eh", "ehm", "altså"})


@dataclass(frozen=True)
class LexiconEntry:
    """One pattern of a lexicon."""

    pattern: tuple[str, ...]
    label: str
    weight: float = 1.0
    lexicon: str = ""


@dataclass(frozen=True)
class Cue:
    """A lexicon match in a doc: token span [start, end), the matched text and the entry that matched."""

    lexicon: str
    label: str
    weight: float
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Spec:
    """A compiled token spec: the alternatives as (kind, value) pairs."""

    alts: tuple[tuple[str, str], ...]
    wildcard: str = ""  # "", "any" or "gap"

    @property
    def altset(self) -> frozenset[tuple[str, str]]:
        return frozenset(self.alts)


@dataclass
class MatcherOptions:
    """How tolerant the cue matcher is."""

    fuzzy_min_len: int = 5
    """Only words at least this long (in the pattern and in the text) match fuzzily."""
    fuzzy_cutoff: float = 84.0
    """Minimum rapidfuzz ratio (0-100) for a fuzzy word match."""


def load_lexicon(name: str, data_dir: Path = DATA_DIR) -> list[LexiconEntry]:
    """Read ``<data_dir>/<name>.jsonl`` into entries (blank lines and lines starting with # are skipped).

    Args:
        name: The lexicon's file stem, e.g. "frustration".
        data_dir: Folder holding the JSONL files.

    Returns:
        The entries, with ``lexicon`` set to ``name``.

    Raises:
        FileNotFoundError: when the file does not exist.
        ValueError: when a line is not a valid entry.
    """
    path = data_dir / f"{name}.jsonl"
    entries: list[LexiconEntry] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            row = json.loads(line)
            tokens = tuple(row["pattern"].lower().split())
            entries.append(LexiconEntry(tokens, row["label"], float(row.get("weight", 1.0)), name))
        except (KeyError, ValueError, AttributeError) as err:
            raise ValueError(f"{path}:{number}: invalid lexicon line: {err}") from err
    return entries


def _compile_spec(token: str) -> _Spec:
    if token == "?":
        return _Spec((), "any")
    if token == "...":
        return _Spec((), "gap")
    alts: list[tuple[str, str]] = []
    for alt in token.split("|"):
        if alt.startswith("*") and alt.endswith("*") and len(alt) > 2:
            alts.append(("infix", alt[1:-1]))
        elif alt.endswith("*") and len(alt) > 1:
            alts.append(("prefix", alt[:-1]))
        elif alt.startswith("="):
            alts.append(("exact", alt[1:]))
        else:
            alts.append(("word", alt))
    return _Spec(tuple(alts))


class CueMatcher:
    """Matches many lexicons against token forms; word-level fuzzy results are cached per form."""

    def __init__(self, entries: list[LexiconEntry], options: MatcherOptions | None = None) -> None:
        self.options = options or MatcherOptions()
        self._patterns: list[tuple[LexiconEntry, tuple[_Spec, ...]]] = []
        # Per pattern: the features every match needs (single-alternative specs), checked with one subset test.
        self._needs: list[frozenset[tuple[str, str]]] = []
        self._altsets: list[tuple[frozenset[tuple[str, str]] | None, ...]] = []
        # Most patterns have no "..." gap: they can only match one way, checked in a plain loop (no recursion).
        self._gapless: list[bool] = []
        words: set[str] = set()
        self._prefixes: set[str] = set()
        self._infixes: set[str] = set()
        for entry in entries:
            specs = tuple(_compile_spec(t) for t in entry.pattern)
            if not specs or specs[0].wildcard:
                raise ValueError(f"pattern must start with a word: {' '.join(entry.pattern)!r}")
            self._patterns.append((entry, specs))
            self._needs.append(frozenset(s.alts[0] for s in specs if not s.wildcard and len(s.alts) == 1))
            self._altsets.append(tuple(None if s.wildcard else s.altset for s in specs))
            self._gapless.append(not any(s.wildcard == "gap" for s in specs))
            for spec in specs:
                for kind, value in spec.alts:
                    if kind in ("word", "exact"):
                        words.add(value)
                    elif kind == "prefix":
                        self._prefixes.add(value)
                    else:
                        self._infixes.add(value)
        self._words = frozenset(words)
        # Fuzzy candidates bucketed by first letter (ASR errors rarely change the first letter): small lists.
        self._fuzzy_words: dict[str, list[str]] = {}
        self._fuzzy_by_length: dict[tuple[str, int], list[str]] = {}
        for w in sorted(words):
            if len(w) >= self.options.fuzzy_min_len and w.isalpha():
                self._fuzzy_words.setdefault(w[0], []).append(w)
        # Index so an utterance only tries the patterns that can match in it: a pattern is filed under one word
        # every match needs (the longest: short words such as "jeg" or "det" open hundreds of patterns and are in
        # most utterances), else under its first spec's alternatives. Both are necessary for a match, so the
        # index only skips patterns that could not match.
        self._by_key: dict[tuple[str, str], list[int]] = {}
        for i, (_, specs) in enumerate(self._patterns):
            needs = self._needs[i]
            keys = [max(needs, key=lambda kv: (len(kv[1]), kv))] if needs else specs[0].alts
            for alt in keys:
                self._by_key.setdefault(alt, []).append(i)
        self._features = lru_cache(maxsize=50_000)(self._compute_features)
        self._pair_features = lru_cache(maxsize=50_000)(self._compute_pair_features)

    def _compute_features(self, form: str) -> frozenset[tuple[str, str]]:
        """Every (kind, value) spec alternative that the word form satisfies."""
        found: set[tuple[str, str]] = set()
        if form in self._words:
            found.add(("word", form))
            found.add(("exact", form))
        for n in range(2, len(form) + 1):
            if form[:n] in self._prefixes:
                found.add(("prefix", form[:n]))
        for infix in self._infixes:
            if infix in form:
                found.add(("infix", infix))
        if len(form) >= self.options.fuzzy_min_len and form.isalpha() and ("word", form) not in found:
            from rapidfuzz import fuzz, process

            bucket = self._fuzzy_bucket(form[0], len(form))
            for word, _score, _ in process.extract(
                form, bucket, scorer=fuzz.ratio, score_cutoff=self.options.fuzzy_cutoff, limit=5
            ):
                found.add(("word", word))
        return frozenset(found)

    def _fuzzy_bucket(self, letter: str, length: int) -> list[str]:
        """The fuzzy candidates for a form: same first letter, length within 2 (in the bucket's sorted order, so
        the ranking among equal scores stays the same); kept per letter and length, a new word needs no scan."""
        key = (letter, length)
        bucket = self._fuzzy_by_length.get(key)
        if bucket is None:
            bucket = self._fuzzy_by_length[key] = [
                w for w in self._fuzzy_words.get(letter, ()) if abs(len(w) - length) <= 2]
        return bucket

    def token_features(self, forms: list[tuple[str, str]]) -> list[frozenset[tuple[str, str]]]:
        """Features per token from its (lower text, lemma) pair."""
        return [self._pair_features(lower, lemma) for lower, lemma in forms]

    def _compute_pair_features(self, lower: str, lemma: str) -> frozenset[tuple[str, str]]:
        feats = self._features(lower)
        if lemma and lemma != lower:
            feats = feats | self._features(lemma)
        return feats

    def match(self, forms: list[tuple[str, str]], texts: list[str] | None = None) -> list[Cue]:
        """All matches (overlaps allowed) over tokens given as (lower text, lemma) pairs.

        Args:
            forms: One (lower-case text, lemma) pair per token.
            texts: The tokens' surface texts, used for the cue's text (defaults to the lower forms).

        Returns:
            The cues, in token order.
        """
        texts = texts or [lower for lower, _ in forms]
        # Match on the tokens without hesitations, then map positions back to the original tokens.
        keep = [i for i, (lower, _) in enumerate(forms) if lower not in SKIPPED_FILLERS]
        feats = self.token_features([forms[i] for i in keep])
        positions: dict[tuple[str, str], list[int]] = {}
        for i, token_feats in enumerate(feats):
            for feat in token_feats:
                positions.setdefault(feat, []).append(i)
        present = set(positions)
        by_key, needs = self._by_key, self._needs
        candidates: set[int] = set()
        for feat in present:
            candidates.update(by_key.get(feat, ()))
        cues: list[Cue] = []
        # Patterns some of whose words are nowhere in the utterance are dropped before sorting.
        for index in sorted([i for i in candidates if needs[i] <= present]):
            entry, specs = self._patterns[index]
            first = specs[0].alts
            # One alternative: its positions are already ascending and distinct.
            starts = positions.get(first[0], ()) if len(first) == 1 else sorted(
                {i for alt in first for i in positions.get(alt, ())})
            altsets = self._altsets[index]
            gapless = self._gapless[index]
            for start in starts:
                if gapless:
                    end = _match_fixed(altsets, feats, start)
                else:
                    end = _match_from(specs, altsets, feats, start)
                if end is not None and end > start:
                    a, b = keep[start], keep[end - 1] + 1
                    cues.append(Cue(entry.lexicon, entry.label, entry.weight, a, b, " ".join(texts[a:b])))
        cues.sort(key=lambda c: (c.start, c.end))
        return cues


def _match_fixed(altsets, feats: list[frozenset[tuple[str, str]]], start: int) -> int | None:
    """End index of the match of a pattern without gaps starting at `start`, or None (``None`` in ``altsets`` is
    the any-token wildcard). The same result as :func:`_match_from` for such patterns."""
    ti = start
    for altset in altsets:
        if ti >= len(feats) or (altset is not None and altset.isdisjoint(feats[ti])):
            return None
        ti += 1
    return ti


def _match_from(specs: tuple[_Spec, ...], altsets, feats: list[frozenset[tuple[str, str]]],
                start: int) -> int | None:
    """End index of the shortest match of specs starting at `start`, or None."""
    return _walk(specs, altsets, feats, 0, start)


def _walk(specs: tuple[_Spec, ...], altsets, feats: list[frozenset[tuple[str, str]]], si: int, ti: int) -> int | None:
    """Match specs[si:] from token ti: a loop over plain specs, a recursion only at a gap (shortest skip first)."""
    while si < len(specs):
        spec = specs[si]
        if spec.wildcard == "gap":
            for skip in range(0, GAP_MAX + 1):
                end = _walk(specs, altsets, feats, si + 1, ti + skip)
                if end is not None:
                    return end
            return None
        if ti >= len(feats):
            return None
        if spec.wildcard != "any" and altsets[si].isdisjoint(feats[ti]):
            return None
        si += 1
        ti += 1
    return ti


@dataclass
class LexiconSet:
    """Several named lexicons compiled into one matcher."""

    names: list[str]
    matcher: CueMatcher = field(init=False)

    def __post_init__(self) -> None:
        entries: list[LexiconEntry] = []
        for name in self.names:
            entries.extend(load_lexicon(name))
        self.matcher = CueMatcher(entries)
