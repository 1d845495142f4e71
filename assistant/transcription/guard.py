"""Hallucination guard: drop or clean what Whisper invents on silence and noise."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
import zlib
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.transcription.types import GuardOptions, Transcript, TranscriptWord

PHANTOM_PHRASES_FILE = Path(__file__).with_name("phantom_phrases.txt")
_NON_WORD = re.compile(r"[^\w]+")
_SOUND_TAG = re.compile(r"^[\[(*♪♫].*[\])*♪♫]$|^[♪♫]+$")
_MAX_LOOP_NGRAM = 8


def compression_ratio(text: str) -> float:
    """How well the text gzip-compresses; Whisper's loops score above ~2.4."""
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


def audio_rms(audio: np.ndarray) -> float:
    """Root-mean-square level of float audio in [-1, 1]."""
    return float(np.sqrt(np.mean(np.square(audio, dtype=np.float64)))) if audio.size else 0.0


def normalise_word(word: str) -> str:
    """Lower-case, without punctuation, for comparing words."""
    return _NON_WORD.sub("", unicodedata.normalize("NFC", word).lower())


@lru_cache(maxsize=4)
def load_phantom_phrases(path: Path = PHANTOM_PHRASES_FILE) -> tuple[tuple[tuple[str, ...], bool], ...]:
    """The phantom phrases as `(normalised words, removes the rest)` pairs, longest first."""
    phrases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        wildcard = line.endswith("*")
        words = tuple(w for w in (normalise_word(w) for w in line.rstrip("*").split()) if w)
        if words:
            phrases.append((words, wildcard))
    return tuple(sorted(phrases, key=lambda p: -len(p[0])))


def apply_guard(transcript: Transcript, *, options: GuardOptions) -> Transcript:
    """Drop or clean hallucinated text.

    Rules, in order: Whisper's no-speech rule (high no-speech probability with a low log-probability
    drops everything, unless the text is dense enough to be speech); bracketed sound tags ("[Musik]", "♪") and known phantom phrases are removed;
    an n-gram repeated `min_repeats` times in a row is cut to one copy; text that still compresses
    above the threshold is dropped.

    Args:
        transcript: The engine's raw result.
        options: The guard's thresholds.

    Returns:
        The transcript with cleaned text and words; `dropped` says which rule fired (None if none).
    """
    if not transcript.text.strip():
        return dataclasses.replace(transcript, text="", words=[])
    if (transcript.no_speech_prob is not None and transcript.avg_logprob is not None
            and transcript.no_speech_prob > options.no_speech_threshold
            and transcript.avg_logprob < options.log_prob_threshold
            and len(transcript.text.split()) < options.min_words_per_second * max(transcript.duration, 1.0)):
        return dataclasses.replace(transcript, text="", words=[], dropped="no-speech")

    units = [w.word.strip() for w in transcript.words] if transcript.words else transcript.text.split()
    keep, reason = guard_units(units, options=options)
    if reason is None:
        text = transcript.text.strip()
        words = transcript.words
    else:
        text = " ".join(units[i] for i in keep)
        words = [transcript.words[i] for i in keep] if transcript.words else []
    ratio = compression_ratio(text)
    if ratio > options.compression_ratio_threshold:
        return dataclasses.replace(transcript, text="", words=[], compression_ratio=ratio, dropped="compression")
    return dataclasses.replace(transcript, text=text, words=list(words), compression_ratio=ratio, dropped=reason)


def guard_units(units: list[str], *, options: GuardOptions) -> tuple[list[int], str | None]:
    """Which word units survive the phantom-phrase and loop rules.

    Returns:
        Indices of the kept units, and the reason of the last rule that removed something (or None).
    """
    keep = list(range(len(units)))
    reason = None
    if options.phantom_phrases:
        kept = [i for i in keep if not _SOUND_TAG.match(units[i])]
        kept = _remove_phantoms(kept, units)
        if len(kept) != len(keep):
            keep, reason = kept, "phantom"
    kept = _collapse_loops(keep, units, min_repeats=options.min_repeats)
    if len(kept) != len(keep):
        keep, reason = kept, "repetition"
    return keep, reason


def _remove_phantoms(keep: list[int], units: list[str]) -> list[int]:
    norm = [normalise_word(units[i]) for i in keep]
    # Punctuation-only units ("," or "...") take no part in matching.
    idx = [k for k, w in enumerate(norm) if w]
    words = [norm[k] for k in idx]
    removed: set[int] = set()
    pos = 0
    while pos < len(words):
        for phrase, wildcard in load_phantom_phrases():
            if tuple(words[pos:pos + len(phrase)]) == phrase:
                end = len(words) if wildcard else pos + len(phrase)
                removed.update(idx[pos:end])
                pos = end
                break
        else:
            pos += 1
    return [i for k, i in enumerate(keep) if k not in removed]


def _collapse_loops(keep: list[int], units: list[str], *, min_repeats: int) -> list[int]:
    norm = [normalise_word(units[i]) or units[i] for i in keep]
    out: list[int] = []
    pos = 0
    while pos < len(norm):
        step = 1
        for n in range(1, min(_MAX_LOOP_NGRAM, (len(norm) - pos) // min_repeats) + 1):
            gram = norm[pos:pos + n]
            reps = 1
            while norm[pos + reps * n:pos + (reps + 1) * n] == gram:
                reps += 1
            if reps >= min_repeats:
                step = reps * n
                break
        out.extend(keep[pos:pos + (n if step > 1 else 1)])
        pos += step
    return out


def merge_punctuation(words: list[TranscriptWord]) -> list[TranscriptWord]:
    """Attach punctuation-only words to the word before them and strip spaces from every word.

    Whisper's tokens carry a leading space (" Jeg") and emit "," and "." as separate pieces.
    """
    merged: list[TranscriptWord] = []
    for word in words:
        text = word.word.strip()
        if not text:
            continue
        if merged and not normalise_word(text):
            prev = merged[-1]
            merged[-1] = dataclasses.replace(prev, word=prev.word + text, end=max(prev.end, word.end))
        else:
            merged.append(dataclasses.replace(word, word=text))
    return merged
