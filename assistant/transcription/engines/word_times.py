"""Cheap word times: spread the words over the voiced part of the audio by their length."""

from __future__ import annotations

import numpy as np

from assistant.audio.frames import SAMPLE_RATE
from assistant.transcription.types import TranscriptWord

_FRAME = SAMPLE_RATE // 50  # 20 ms


def voiced_span(audio: np.ndarray) -> tuple[float, float]:
    """Start and end (seconds) of the part of the audio louder than a tenth of its loudest 20 ms."""
    n = len(audio) // _FRAME
    if n == 0:
        return 0.0, len(audio) / SAMPLE_RATE
    rms = np.sqrt(np.mean(np.square(audio[: n * _FRAME].reshape(n, _FRAME), dtype=np.float64), axis=1))
    voiced = np.flatnonzero(rms >= max(rms.max() * 0.1, 1e-4))
    if voiced.size == 0:
        return 0.0, len(audio) / SAMPLE_RATE
    return voiced[0] * _FRAME / SAMPLE_RATE, (voiced[-1] + 1) * _FRAME / SAMPLE_RATE


def estimate_word_times(words: list[str], audio: np.ndarray, *, probability: float) -> list[TranscriptWord]:
    """Give each word a time span proportional to its length (+1 for the gap) inside the voiced span.

    Args:
        words: The words in order.
        audio: The decoded audio (16 kHz mono).
        probability: Probability to give every word (e.g. exp of the average log-probability).

    Returns:
        Words with monotonic, non-overlapping times relative to the audio start.
    """
    if not words:
        return []
    start, end = voiced_span(audio)
    weights = np.array([len(w) + 1 for w in words], dtype=np.float64)
    edges = start + (end - start) * np.concatenate([[0.0], np.cumsum(weights) / weights.sum()])
    return [TranscriptWord(start=round(float(a), 3), end=round(float(b), 3), word=w, probability=probability)
            for w, a, b in zip(words, edges[:-1], edges[1:])]
